// 客服管理 > 坐席 in a real browser against the real stack: the admin opens
// the agents from the console's side navigation and sees the demo's agents
// with their state and phone; creates an agent and sees its SIP password
// once (not on its page afterwards); imports a CSV file with a bad row and
// sees the report with that row's line and reason; an agent signed in is
// refused the page. No script errors or CSP violations on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_agents.js).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { must } = steps;

const ids = (page) => page.$$eval('#ag-list tbody tr[data-id]', (trs) => trs.map((tr) => tr.getAttribute('data-id')));
const { submit, text } = cons;

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);
  await submit(page, '#side-agents');
  expectEq('the side navigation leads to 坐席', '坐席', await text(page, 'h1'));
  expectEq('and marks it current', 'page', await page.getAttribute('#side-agents', 'aria-current'));
  expectEq('the list shows the demo agents', [demo.A1, demo.A2, demo.A3].sort().join(','), (await ids(page)).sort().join(','));
  expectEq('with their state', 'logged_out', await page.getAttribute(`tr[data-id="${demo.A1}"] .cell-state [data-state]`, 'data-state'));
  expectEq('and phone', '0', await page.getAttribute(`tr[data-id="${demo.A1}"] .cell-reg`, 'data-registered'));
  expectEq('the total is shown', '3', await page.getAttribute('#ag-pages', 'data-total'));
  await page.fill('#ag-q', demo.A2_NAME);
  await submit(page, '#ag-search-btn');
  expectEq('a search finds one agent', demo.A2, (await ids(page)).join(','));

  // The state follows the event stream without a reload.
  await page.goto(`${base}/cc/admin/agents`);
  await page.waitForSelector('#agents-page[data-stream="open"]', { timeout: 20000 });
  stack.ctl('agent.state', `agent=${demo.A3}`, 'state=ready');
  must('the list shows agent3 ready, live', await stack.eventually(async () =>
    (await page.getAttribute(`tr[data-id="${demo.A3}"] .cell-state [data-state]`, 'data-state')) === 'ready', 20000));
  stack.ctl('agent.state', `agent=${demo.A3}`, 'state=logged_out');

  // --- create: the SIP password once -----------------------------------------
  await submit(page, '#ag-new');
  expectEq('the new agent form', '新建坐席', await text(page, 'h1'));
  await page.fill('#f-username', 'browser1');
  await page.fill('#f-password', 'secret12');
  await page.fill('#f-name', '浏览器坐席');
  await page.check(`#grp-${demo.GROUP}`);
  await page.selectOption(`#lvl-${demo.GROUP}`, '2');
  await page.click('#ag-save');
  await page.waitForSelector('#ag-password:not([hidden])', { timeout: 20000 });
  const pw = await text(page, '#ag-password-value');
  const ext = await text(page, '#ag-password-ext');
  check('the SIP password is shown', /^[a-zA-Z2-9]{16}$/.test(pw), pw);
  expectEq('with the suggested extension', '1004', ext);
  const uid = stack.sql("SELECT ID FROM cs_user WHERE USERNAME = 'browser1'");
  expectEq('the agent is in the database with its level', `${demo.GROUP}:2`,
    stack.sql(`SELECT CONCAT(skill_group_id, ':', level) FROM cc_skill_group_member WHERE user_id = '${uid}'`));
  await submit(page, '#ag-created-link');
  check('its page does not show the password again', !(await page.content()).includes(pw));
  expectEq('its page has its name', '浏览器坐席', await text(page, 'h1'));

  // --- import with a bad row ---------------------------------------------------
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-agents-'));
  const file = path.join(dir, 'agents.csv');
  fs.writeFileSync(file, '\ufeff用户名,姓名,分机,登录密码,技能组\r\n' +
    `bimp1,导入甲,1601,secret01,${demo.GROUP_NAME}:1\r\n` +
    'bimp2,导入乙,16x,secret02,\r\n' +
    'bimp3,导入丙,1603,secret03,\r\n');
  await page.goto(`${base}/cc/admin/agents`);
  await submit(page, '#ag-import');
  await page.setInputFiles('#imp-file', file);
  await page.click('#imp-start');
  await page.waitForSelector('#imp-report:not([hidden])', { timeout: 30000 });
  expectEq('the import reports 2 created and 1 bad row', '2 0 1', [
    await page.getAttribute('#imp-summary', 'data-created'),
    await page.getAttribute('#imp-summary', 'data-unchanged'),
    await page.getAttribute('#imp-summary', 'data-failed')].join(' '));
  expectEq('the bad row by its line', '3', (await page.$$eval('#imp-errors tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-line')))).join(','));
  expectEq('with its column and reason', '分机 分机为 3 到 10 位数字，不以 0 开头',
    (await page.$$eval('#imp-errors tbody tr td', (tds) => tds.slice(1).map((td) => td.textContent))).join(' '));
  expectEq('the progress bar is full', '3/3', `${await page.evaluate(() => document.getElementById('imp-progress').value)}/` +
    `${await page.evaluate(() => document.getElementById('imp-progress').max)}`);
  check('the passwords can be downloaded once', await page.isVisible('#imp-passwords'));
  expectEq('the good rows are in', '2', stack.sql("SELECT COUNT(*) FROM cs_user WHERE USERNAME IN ('bimp1', 'bimp2', 'bimp3')"));
  fs.rmSync(dir, { recursive: true, force: true });

  // --- an agent is refused --------------------------------------------------------
  const actx = await browser.newContext({ locale: 'zh-CN' });
  const apage = await actx.newPage();
  await cons.signIn(apage, base, demo.A1_LOGIN, demo.AGENT_PASSWORD, '**/cc/workbench');
  const res = await apage.goto(`${base}/cc/admin/agents`);
  expectEq('an agent gets 403 on the agents page', 403, res.status());
  await actx.close();

  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 240);
