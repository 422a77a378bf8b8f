// 流程管理 > IVR流程 > a flow: the visual editor in a real browser against
// the real stack. The admin builds a small flow on the canvas (start → menu
// with key 1 → queue to the demo group, the menu's fallback → hang-up) by
// adding nodes from the palette, filling their panels and dragging exits to
// nodes; undo and redo (buttons and keys) take a node away and bring it
// back; the draft is saved and published, and the API has version 1 with
// that graph. A node nothing reaches makes the next publish refused, with
// the problem on its node. The test call panel runs the draft: keys on
// its dial pad, the prompts named, the path marked on the canvas, the call
// ending; no key three times takes the fallback. A second admin opening the flow sees it read
// only with the holder's name, and can edit once the first admin leaves.
// docs/ivr.md's example flow reads and writes back unchanged (but for the
// positions the editor adds); a flow with content the editor does not know
// is refused a save rather than losing it. No script errors or CSP
// violations on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_ivr_editor.js). The
// stack is stopped at the end, on failure, on a signal and at the time
// limit (TEST_TIMEOUT_S, 240 s).
'use strict';

const fs = require('fs');
const path = require('path');
const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');
const ivr = require('./lib/ivr');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { must, waits } = steps;

const { api, openEditor, docOf, nodeSel, nodeCount, countBecomes, connect, setField, attrsOf, waitMessage } = ivr;

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);

  // --- a new flow, opened in the editor ---------------------------------------------------
  const made = await api(page, 'POST', '/flows', { name: '浏览器测试流程', description: '' });
  must('a new flow is made through the API', made.status === 201 || made.status === 200, JSON.stringify(made));
  const id = String(made.body.id);
  await openEditor(page, base, id);
  expectEq('the editor shows the flow\'s name', '浏览器测试流程', await cons.text(page, '#ivr-name'));
  check('the admin holds the lock: the page can be edited', !(await page.isDisabled('#ivr-save')));
  expectEq('the state is 未发布', '未发布', await cons.text(page, '#ivr-state'));
  const first = await docOf(page);
  const hang = (/<hangup id="([^"]+)"/.exec(first) || [])[1];
  must('the new flow has a start and a hang-up', hang && /<start id="start"/.test(first), first);
  const palette = await page.$$eval('#ivr-palette button[data-type]', (l) => l.map((b) => b.textContent));
  expectEq('the palette offers every node type but the start', '放音 按键菜单 收号 条件分支 时间条件 设置变量 HTTP请求 '
    + '转技能组 转坐席 转外线 留言 满意度调查 子流程 挂机 结束', palette.join(' '));

  // --- build: start → menu (key 1 → queue, fallback → hang-up) ---------------------------------
  await page.click('#ivr-palette button[data-type="menu"]');
  await page.waitForSelector(nodeSel('menu1'));
  expectEq('a menu is added and its panel shown', 'menu1', await page.getAttribute('#ivr-props', 'data-node'));
  await setField(page, '#ivr-props [data-list="prompt"] textarea', '请按1转人工');
  await setField(page, '#ivr-props [data-list="key"] input[data-field="digit"]', '1');
  const portLabel = () => page.$eval(`${nodeSel('menu1')} [port^="k:"] + text`, (e) => e.textContent.replace(/\s/g, ' '))
    .catch(() => '');
  expectEq('the key\'s port is labelled with its digit', '按键 1', await stack.eventually(async () => {
    const l = await portLabel();
    return l === '按键 1' ? l : '';
  }, 10000) || await portLabel());

  await page.click('#ivr-palette button[data-type="queue"]');
  await page.waitForSelector(nodeSel('queue1'));
  const groups = await page.$$eval('#ivr-f-group option', (l) => l.map((o) => o.value));
  check('the group picker offers the demo group', groups.includes(demo.GROUP), groups.join(','));
  await page.selectOption('#ivr-f-group', demo.GROUP);

  // --- undo and redo ------------------------------------------------------------------------
  const n0 = await nodeCount(page);
  await page.click('#ivr-palette button[data-type="play"]');
  await page.waitForSelector(nodeSel('play1'));
  expectEq('a play node is added', n0 + 1, await countBecomes(page, n0 + 1));
  await page.click('#ivr-undo');
  expectEq('undo (button) takes it away', n0, await countBecomes(page, n0));
  await page.click('#ivr-redo');
  expectEq('redo (button) brings it back', n0 + 1, await countBecomes(page, n0 + 1));
  await page.click('#ivr-canvas', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+z');
  expectEq('Ctrl+Z takes it away again', n0, await countBecomes(page, n0));
  await page.keyboard.press('Control+y');
  expectEq('Ctrl+Y brings it back', n0 + 1, await countBecomes(page, n0 + 1));
  await page.keyboard.press('Control+z');
  expectEq('and Ctrl+Z once more leaves the flow without it', n0, await countBecomes(page, n0));
  check('the group chosen before is still set (undo went back one step only)',
    (attrsOf(await docOf(page), 'queue', 'queue1') || {}).group === demo.GROUP);

  await connect(page, 'start', 'x:next', 'menu1');
  await connect(page, 'menu1', 'k:', 'queue1');
  await connect(page, 'menu1', 'x:fallback', hang);
  await connect(page, 'queue1', 'x:next', hang);
  const built = await docOf(page);
  expectEq('the start leads to the menu (its old exit replaced)', 'menu1', (attrsOf(built, 'start', 'start') || {}).next);
  check('key 1 leads to the queue', /<key digit="1" next="queue1"\/>/.test(built), built);
  expectEq('the fallback to the hang-up', hang, (attrsOf(built, 'menu', 'menu1') || {}).fallback);
  expectEq('the queue, when nobody answers, to the hang-up', hang, (attrsOf(built, 'queue', 'queue1') || {}).next);

  // --- save and publish ------------------------------------------------------------------------
  const rev0 = Number(await page.getAttribute('#ivr-editor', 'data-rev'));
  await page.click('#ivr-save');
  let msg = await waitMessage(page);
  expectEq('the draft is saved', '草稿已保存。', msg.text);
  let flow = (await api(page, 'GET', `/flows/${id}`)).body.flow;
  check('with a new revision', flow.draft_rev > rev0, `${rev0} -> ${flow.draft_rev}`);
  expectEq('the saved draft is the graph on the screen', built, flow.document);

  await page.evaluate(() => { document.getElementById('ivr-message').hidden = true; });
  await page.click('#ivr-publish');
  await page.waitForSelector('#ivr-version[data-version="1"]', { timeout: 30000 });
  msg = await waitMessage(page);
  expectEq('publishing says the version', '已发布为版本 v1。', msg.text);
  flow = (await api(page, 'GET', `/flows/${id}`)).body.flow;
  expectEq('the API has version 1', 1, flow.published_version);
  expectEq('and the flow published', 'published', flow.state);
  expectEq('the page shows 已发布', '已发布', await cons.text(page, '#ivr-state'));
  const v1 = stack.sql(`SELECT document FROM cc_ivr_version WHERE flow_id = ${Number(id)} AND version = 1`).replace(/\\n/g, '\n');
  check('version 1 is the graph built', /<key digit="1" next="queue1"\/>/.test(v1)
    && (attrsOf(v1, 'queue', 'queue1') || {}).group === demo.GROUP && (attrsOf(v1, 'start', 'start') || {}).next === 'menu1', v1);

  // --- the test call panel: keys on the dial pad, prompts named, the path marked ---------------
  const simSteps = () => page.$$eval('#ivr-sim-log li.ivr-sim-step', (l) => l.map((e) =>
    `${e.getAttribute('data-node')}:${e.getAttribute('data-exit') || '-'}`).join(' '));
  const simStatus = async () => ({
    waiting: await page.getAttribute('#ivr-sim-log li.ivr-sim-status', 'data-waiting'),
    ended: await page.getAttribute('#ivr-sim-log li.ivr-sim-status', 'data-ended'),
    text: await cons.text(page, '#ivr-sim-log li.ivr-sim-status'),
  });
  // Waits until the log shows want (each reply redraws it), or 10 s.
  const simBecomes = async (want) => (await stack.eventually(async () => ((await simSteps()) === want ? want : ''), 10000))
    || simSteps();
  const marked = (fid, cls) => page.$(`${nodeSel(fid)}.${cls}`).then((e) => !!e);
  await page.click('#ivr-sim-toggle');
  expectEq('the test call starts: the menu waits for a key', 'start:next menu1:-', await simBecomes('start:next menu1:-'));
  let ss = await simStatus();
  expectEq('its status says so', 'digit 0 等待按键', `${ss.waiting} ${ss.ended} ${ss.text}`);
  expectEq('the menu\'s prompt is named (its text)', '♪ 请按1转人工',
    await cons.text(page, '#ivr-sim-log li.ivr-sim-step[data-node="menu1"] .ivr-sim-prompt'));
  check('the menu is marked as where the call is', await marked('menu1', 'ivr-sim-current'));
  check('the start as the path taken', await marked('start', 'ivr-sim-path'));
  check('the queue is not marked yet', !(await marked('queue1', 'ivr-sim-path')) && !(await marked('queue1', 'ivr-sim-current')));
  await page.click('#ivr-sim-pad button[data-digit="1"]');
  expectEq('key 1 on the dial pad leaves the menu for the queue', 'start:next menu1:key 1 queue1:-',
    await simBecomes('start:next menu1:key 1 queue1:-'));
  expectEq('the key is shown on its step', '按键：1', await cons.text(page, '#ivr-sim-log li.ivr-sim-step[data-node="menu1"] .ivr-sim-digits'));
  check('the queue\'s step says it transfers to the group',
    (await cons.text(page, '#ivr-sim-log li.ivr-sim-step[data-node="queue1"] .ivr-sim-action')).startsWith(`转技能组 · group=${demo.GROUP}`),
    await cons.text(page, '#ivr-sim-log li.ivr-sim-step[data-node="queue1"] .ivr-sim-action'));
  ss = await simStatus();
  expectEq('the call waits for the transfer', 'queue 0', `${ss.waiting} ${ss.ended}`);
  check('the menu is now on the path, the queue current', (await marked('menu1', 'ivr-sim-path')) && (await marked('queue1', 'ivr-sim-current')));
  await page.click('#ivr-sim-queue-next');
  expectEq('nobody takes it: on to the hang-up', `start:next menu1:key 1 queue1:next ${hang}:-`,
    await simBecomes(`start:next menu1:key 1 queue1:next ${hang}:-`));
  ss = await simStatus();
  expectEq('and the call ends', 'null 1 通话结束', `${ss.waiting || 'null'} ${ss.ended} ${ss.text}`);
  check('the hang-up is on the path, nothing is current', (await marked(hang, 'ivr-sim-path')) && !(await page.$('g.x6-node.ivr-sim-current')));
  expectEq('the keys sent are listed', '1 queue:next', await cons.text(page, '#ivr-sim-events'));
  await page.click('#ivr-sim-start');
  await simBecomes('start:next menu1:-');
  for (let i = 0; i < 3; i++) await page.click('#ivr-sim-timeout');
  expectEq('started again, no key three times: the fallback to the hang-up', `start:next menu1:fallback ${hang}:-`,
    await simBecomes(`start:next menu1:fallback ${hang}:-`));
  check('the queue is not marked on that path', !(await marked('queue1', 'ivr-sim-path')));
  await page.click('#ivr-sim-toggle');

  // --- a refused publish: a node nothing reaches ---------------------------------------------
  await page.click('#ivr-palette button[data-type="play"]');
  await page.waitForSelector(nodeSel('play1'));
  await setField(page, '#ivr-props [data-list="prompt"] textarea', '没有人会听到');
  await connect(page, 'play1', 'x:next', hang);
  await page.evaluate(() => { document.getElementById('ivr-message').hidden = true; });
  await page.click('#ivr-publish');
  await page.waitForSelector('#ivr-state[data-state="failed"]', { timeout: 30000 });
  msg = await waitMessage(page);
  check('the publish is refused', msg.kind === 'bad' && msg.text.startsWith('发布被拒绝'), msg.text);
  const items = await page.$$eval('.ivr-problem-item', (l) => l.map((e) => `${e.getAttribute('data-code')}@${e.getAttribute('data-node')}`));
  check('the problem names the play node', items.includes('ivr.unreachable@play1'), items.join(' '));
  check('the node is marked on the canvas', await page.isVisible(`${nodeSel('play1')}.ivr-problem`));
  expectEq('with the problem as its tooltip', 1, await page.$$eval(`${nodeSel('play1')} > title.ivr-problem-tip`, (l) => l.length));
  check('other nodes are not marked', !(await page.$(`${nodeSel('menu1')}.ivr-problem`)));
  await page.click('#ivr-canvas', { position: { x: 5, y: 5 } });
  await page.click('.ivr-problem-item[data-node="play1"]');
  expectEq('clicking the problem selects its node', 'play1', await page.getAttribute('#ivr-props', 'data-node'));
  check('whose panel lists the problem', (await cons.text(page, '#ivr-props .ivr-node-problems')).length > 0);
  flow = (await api(page, 'GET', `/flows/${id}`)).body.flow;
  expectEq('the API says 发布失败 and keeps version 1', 'failed 1', `${flow.state} ${flow.published_version}`);

  // --- a second admin sees it read only --------------------------------------------------------
  stack.sql("INSERT INTO cs_user (ID, USERNAME, PASSWORD, uname, email, mobile, agent, callcenter, admin, superadmin, createtime) "
    + "VALUES ('0u000000000000000000000000000099', 'admin2', MD5(MD5('admin21234')), '钱七', 'qianqi@example.com', "
    + "'13900000099', 0, 0, 1, 0, NOW())");
  const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  const page2 = await ctx2.newPage();
  require('./lib/workbench').collectErrors(page2, errors);
  await waits('a second admin signs in', cons.signIn(page2, base, 'admin2', 'admin21234', '**/cc/admin'));
  await openEditor(page2, base, id);
  check('the second admin sees who holds the lock', await page2.isVisible('#ivr-lock'));
  expectEq('named', '管理员', await page2.getAttribute('#ivr-lock', 'data-holder'));
  check('and until when', /管理员 正在编辑此流程（锁定至 \d\d:\d\d:\d\d）/.test(await cons.text(page2, '#ivr-lock')),
    await cons.text(page2, '#ivr-lock'));
  check('save and publish are disabled', (await page2.isDisabled('#ivr-save')) && (await page2.isDisabled('#ivr-publish')));
  check('the palette is disabled', await page2.isDisabled('#ivr-palette button[data-type="menu"]'));
  const before2 = await docOf(page2);
  await page2.click(`${nodeSel('menu1')} rect[data-node="menu1"]`);
  check('a node\'s panel is read only', await page2.isDisabled('#ivr-f-id'));
  await page2.keyboard.press('Delete');
  expectEq('keys change nothing', before2, await docOf(page2));

  // The first admin leaves: the lock goes back, and the second can edit.
  await page.goto(`${base}/cc/admin/ivr`);
  const freed = await stack.eventually(async () => (await api(page2, 'GET', `/flows/${id}`)).body.flow.lock === null, 15000);
  check('leaving the editor gives the lock back', freed);
  await openEditor(page2, base, id);
  check('then the second admin can edit', !(await page2.isDisabled('#ivr-save')) && (await page2.isHidden('#ivr-lock')));
  await page2.goto(`${base}/cc/admin/ivr`);
  await ctx2.close();

  // --- docs/ivr.md's example reads and writes back ------------------------------------------------
  const md = fs.readFileSync(path.join(stack.top, 'docs/ivr.md'), 'utf8');
  const example = /```xml\n([\s\S]*?)```/.exec(md)[1];
  const ex = await api(page, 'POST', '/flows', { name: '文档示例', description: '' });
  const exId = String(ex.body.id);
  await api(page, 'POST', `/flows/${exId}/lock`);
  const put = await api(page, 'POST', `/flows/${exId}/draft`, { document: example, rev: 1 });
  must('the example is stored as a draft', put.status === 200, JSON.stringify(put.body));
  await api(page, 'POST', `/flows/${exId}/unlock`);
  await openEditor(page, base, exId);
  const same = await page.evaluate(([a, b]) => {
    // The elements and attributes of a document, attributes sorted, the
    // editor's positions aside.
    const canon = (text) => {
      const d = new DOMParser().parseFromString(text, 'application/xml');
      const walk = (e) => {
        const at = Array.from(e.attributes).filter((x) => x.name !== 'x' && x.name !== 'y')
          .map((x) => `${x.name}=${x.value}`).sort().join(' ');
        const kids = Array.from(e.children).map(walk).join('');
        const text = e.children.length ? '' : e.textContent.trim();
        return `<${e.localName} ${at}>${text}${kids}</>`;
      };
      return walk(d.documentElement);
    };
    return { a: canon(a), b: canon(b) };
  }, [example, await docOf(page)]);
  expectEq('docs/ivr.md\'s example reads and writes back the same', same.a, same.b);
  check('every node has its position', (await docOf(page)).match(/ x="-?\d+" y="-?\d+"/g).length === 8);

  // --- content the editor does not know is not lost --------------------------------------------
  const odd = await api(page, 'POST', '/flows', { name: '未知内容', description: '' });
  const oddId = String(odd.body.id);
  const oddDoc = '<flow xmlns="urn:cc:ivr-flow:1" name="未知内容">\n  <start id="start" next="bye"/>\n'
    + '  <hangup id="bye" volume="3"/>\n</flow>\n';
  await api(page, 'POST', `/flows/${oddId}/lock`);
  await api(page, 'POST', `/flows/${oddId}/draft`, { document: oddDoc, rev: 1 });
  await api(page, 'POST', `/flows/${oddId}/unlock`);
  await openEditor(page, base, oddId);
  msg = await waitMessage(page);
  check('the editor says what it cannot show', msg.kind === 'warn' && msg.text.includes('@volume'), msg.text);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/draft')) posts.push(r.url()); });
  await page.click('#ivr-save');
  await page.waitForFunction(() => document.getElementById('ivr-message').textContent.startsWith('不能保存'), null, { timeout: 10000 });
  check('and refuses to save it', posts.length === 0, posts.join(' '));
  expectEq('the stored draft keeps it', oddDoc, (await api(page, 'GET', `/flows/${oddId}`)).body.flow.document);
  await page.goto(`${base}/cc/admin/ivr`);

  check('no script errors or CSP violations', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 240);
