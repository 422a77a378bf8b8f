// 号码管理 in a real browser against the real stack: the admin signs in,
// opens the numbers from the console's side navigation, creates a number
// through the form (the B2BUA re-reads its directory and answers a call to
// it), sees the server's per-field message for a bad number with what was
// typed kept, edits, searches, sorts, deletes after confirming (and keeps
// the row when the confirmation is dismissed), and reads the page in
// English. No script errors or CSP violations on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_admin.js). The stack
// and every sipp it started are stopped at the end, on failure, on a
// signal and at the time limit (TEST_TIMEOUT_S, 240 s).
'use strict';

const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { must } = steps;
// The demo's number, its skill group and welcome prompt (tests/demo.env).
const { NUMBER, GROUP, GROUP_NAME, AUDIO_WELCOME } = demo;

const rowOf = (number) => stack.sql(`SELECT CONCAT_WS('|', number, name, COALESCE(skill_group_id, '-'), ` +
  `COALESCE(welcome_audio_id, '-'), enabled) FROM cc_number WHERE number = '${number}'`);
const keys = (page) => page.$$eval('#res-list tbody tr[data-key]', (trs) => trs.map((tr) => tr.getAttribute('data-key')));
const { submit, text } = cons;

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);
  await submit(page, '#side-numbers');
  expectEq('the side navigation leads to 号码管理', '号码管理', await text(page, 'h1'));
  expectEq('the side navigation marks it current', 'page', await page.getAttribute('#side-numbers', 'aria-current'));
  // The demo's numbers (the skill group's and the IVR flow's), in order.
  const numberIds = stack.sql('SELECT GROUP_CONCAT(id ORDER BY number) FROM cc_number');
  const numberId = stack.sql(`SELECT id FROM cc_number WHERE number = '${NUMBER}'`);
  check('the demo has the number the group answers', numberIds.split(',').includes(numberId), numberIds);
  expectEq('the list shows the demo numbers', numberIds, (await keys(page)).join(','));
  expectEq('with its skill group by name', GROUP_NAME,
    await text(page, `tr[data-key="${numberId}"] td[data-col="skill_group_id"]`));

  // --- create -----------------------------------------------------------------
  const before = stack.dirTicket();
  await submit(page, '#res-new');
  expectEq('the new form is shown', '新建号码', await text(page, '#res-heading'));
  check('a new number is enabled by default', await page.isChecked('#f-enabled'));
  await page.fill('#f-number', '4777');
  await page.fill('#f-name', '售后热线');
  await page.selectOption('#f-skill_group_id', GROUP);
  await page.selectOption('#f-welcome_audio_id', AUDIO_WELCOME);
  await submit(page, '#res-save');
  check('saving goes back to the list', page.url().endsWith('/cc/admin/numbers?done=created'), page.url());
  expectEq('which says it was created', '已新建。', await text(page, '#res-notice'));
  expectEq('the row is in the database', `4777|售后热线|${GROUP}|${AUDIO_WELCOME}|1`, rowOf('4777'));
  must('the B2BUA re-read its directory', await stack.eventually(() => stack.dirTicket() > before, 20000));
  const call = stack.gatewayCall('c1', '4777', { caller: '13700137000', hold_ms: 500 });
  expectEq('a call to the new number is answered', 0, await call.done);
  const id = stack.sql("SELECT id FROM cc_number WHERE number = '4777'");
  const numbers = stack.sql('SELECT COUNT(*) FROM cc_number');

  // --- the server's messages, with what was typed kept ---------------------------
  await submit(page, '#res-new');
  await page.fill('#f-number', '40a1');
  await page.fill('#f-name', '保留我');
  await submit(page, '#res-save');
  expectEq('a bad number gets its message under the field', '包含不允许的字符', await text(page, '#err-number'));
  expectEq('the form keeps what was typed', '40a1 保留我',
    `${await page.inputValue('#f-number')} ${await page.inputValue('#f-name')}`);
  expectEq('and says nothing was saved', 'res.invalid', await page.getAttribute('#res-error', 'data-reason'));
  await page.fill('#f-number', NUMBER);
  await submit(page, '#res-save');
  expectEq('a number in use is a field error', '已存在，不能重复', await text(page, '#err-number'));
  expectEq('nothing was written', numbers, stack.sql('SELECT COUNT(*) FROM cc_number'));

  // --- edit, search, sort ------------------------------------------------------------
  await page.goto(`${base}/cc/admin/numbers`);
  await submit(page, `tr[data-key="${id}"] a.res-edit`);
  expectEq('the edit form holds the number', '4777', await page.inputValue('#f-number'));
  await page.fill('#f-name', '售后热线 二');
  await page.uncheck('#f-enabled');
  await submit(page, '#res-save');
  expectEq('the edit is saved', '已保存。', await text(page, '#res-notice'));
  expectEq('as typed, and disabled', `4777|售后热线 二|${GROUP}|${AUDIO_WELCOME}|0`, rowOf('4777'));
  await page.fill('#res-q', '售后');
  await submit(page, '#res-search-btn');
  expectEq('a search finds it', id, (await keys(page)).join(','));
  await page.goto(`${base}/cc/admin/numbers`);
  await submit(page, '#sort-number');
  expectEq('clicking the sorted column (number) turns the order around',
    [id, ...numberIds.split(',').reverse()].join(','), (await keys(page)).join(','));

  // --- delete -------------------------------------------------------------------------
  // A request is issued when the form submits: none may be seen for a
  // dismissed confirmation (checked after a round trip to the page).
  const deletes = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/delete')) deletes.push(r.url()); });
  page.once('dialog', (d) => d.dismiss());
  await page.click(`tr[data-key="${id}"] form.res-delete button`);
  await page.evaluate(() => document.readyState);
  expectEq('dismissing the confirmation sends nothing', '', deletes.join(','));
  expectEq('and deletes nothing', `4777|售后热线 二|${GROUP}|${AUDIO_WELCOME}|0`, rowOf('4777'));
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await submit(page, `tr[data-key="${id}"] form.res-delete button`);
  expectEq('the confirmation asks first', '确定要删除这条记录吗？删除后无法恢复。', asked);
  expectEq('then the form is sent', 1, deletes.length);
  expectEq('confirmed, the row is deleted', '已删除。', await text(page, '#res-notice'));
  expectEq('and gone from the database', '', rowOf('4777'));

  // --- English --------------------------------------------------------------------------
  await page.goto(`${base}/cc/admin/numbers?lang=en`);
  expectEq('in English the page is Phone numbers', 'Phone numbers', await text(page, 'h1'));
  expectEq('with its columns in English', 'Number,As typed,Name,Usage,Skill group,IVR flow,Welcome prompt,Enabled,Actions',
    (await page.$$eval('#res-list thead th', (ths) => ths.map((th) => th.textContent.trim()))).join(','));

  // --- an agent is refused every page of the console ------------------------------------
  // The pages the side navigation leads to, whichever feature added them.
  await page.goto(`${base}/cc/admin`);
  // (Pages outside /cc/admin, like 留言, are also for agents: not these.)
  const pages = (await page.$$eval('nav a[id^="side-"]', (as) => as.map((a) => a.getAttribute('href'))))
    .filter((href) => href.startsWith('/cc/admin'));
  check(`the side navigation lists the console's pages (${pages.length})`, pages.length >= 5, pages.join(' '));
  const actx = await browser.newContext({ locale: 'zh-CN' });
  const agent = await actx.newPage();
  await cons.signIn(agent, base, demo.A1_LOGIN, demo.AGENT_PASSWORD, '**/cc/workbench');
  const refused = [];
  for (const href of pages) {
    const res = await agent.goto(`${base}${href}`);
    const title = await text(agent, 'h1');
    if (res.status() !== 403 || title !== '没有权限') refused.push(`${href}: ${res.status()} ${title}`);
  }
  expectEq('an agent gets 403 没有权限 on each of them', '', refused.join(', '));
  await actx.close();

  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 240);
