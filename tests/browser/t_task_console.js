// 外呼系统 > 任务列表 in a real browser against the real stack: the admin opens
// the tasks from the top navigation, creates a task from a CSV file with a bad
// row (the new task's page shows the load's progress and report, then 已停止),
// opens its monitor; start is refused with its reason while no agent of the
// group is signed in with a registered phone, and runs the task once one is;
// the list edits the maximum concurrency; the task is deleted from the list and
// found under 已删除任务. No script errors or CSP violations on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_task_console.js).
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
const { submit, text } = cons;

const taskText = (k) => {
  const xml = fs.readFileSync(path.join(stack.top, 'templates/i18n/task.zh-CN.xml'), 'utf8');
  const m = xml.match(new RegExp(`<s k="${k.replace(/\./g, '\\.')}">([^<]*)</s>`));
  return m ? m[1] : `(no ${k})`;
};

async function message(page) {
  await page.waitForSelector('#tk-message:not([hidden])', { timeout: 20000 });
  return [await page.getAttribute('#tk-message', 'data-kind'), await text(page, '#tk-message')];
}

async function run(browser, base) {
  stack.sql("INSERT INTO cc_number (number, display, name, `usage`) VALUES ('+862160000009', '021-6000 0009', '外呼 browser', 'outbound')");
  const num = stack.sql("SELECT id FROM cc_number WHERE number = '+862160000009'");
  stack.sql(`INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES (${demo.GROUP}, ${num})`);
  for (const a of [demo.A1, demo.A2, demo.A3]) stack.ctl('agent.state', `agent=${a}`, 'state=logged_out');

  const errors = [];
  const page = await cons.adminPage(browser, base, errors);
  await submit(page, '#nav-tasks');
  expectEq('the top navigation leads to 任务列表', '任务列表', await text(page, 'h1'));

  // --- 新建任务 from a CSV file ---------------------------------------------------
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-tasks-'));
  const file = path.join(dir, 'targets.csv');
  let csv = '电话,姓名,订单号\r\n';
  for (let i = 1; i <= 300; i++) csv += `1370${String(i).padStart(7, '0')},客户${i},B-${i}\r\n`;
  csv += '不是号码,坏,B-x\r\n';
  fs.writeFileSync(file, csv);
  await submit(page, '#tk-new');
  expectEq('the new task form', '新建任务', await text(page, 'h1'));
  await page.fill('#f-name', '浏览器任务');
  await page.selectOption('#f-group', String(demo.GROUP));
  await page.selectOption('#f-number', String(num));
  await page.fill('#f-max', '6');
  await page.setInputFiles('#f-file', file);
  await page.click('#tk-create');
  await page.waitForSelector('#tk-status[data-state]', { timeout: 30000 });
  expectEq('the load ends in 已停止 by itself', 'stopped', await page.getAttribute('#tk-status', 'data-state'));
  expectEq('the progress bar is full', '1', String(await page.evaluate(() => document.getElementById('tk-progress').value)));
  expectEq('the report names the bad row by its line', `302 ${taskText('task.load.bad_number')}`,
    (await page.$$eval('#tk-errors tbody td', (tds) => tds.map((td) => td.textContent))).join(' '));
  const id = stack.sql("SELECT id FROM cc_task WHERE name = '浏览器任务'");
  expectEq('the task has its 300 targets', '300 stopped', stack.sql(`SELECT CONCAT(targets_total, ' ', state) FROM cc_task WHERE id = ${id}`));

  // --- 监控, and start ---------------------------------------------------------------
  await submit(page, '#tk-created');
  expectEq('the monitor shows the task 已停止', 'stopped', await page.getAttribute('#m-state [data-state]', 'data-state'));
  must('the monitor fetches its snapshot', await stack.eventually(async () =>
    (await page.getAttribute('#tk-monitor', 'data-updated')) !== null, 20000));
  expectEq('targets total and remaining', '300 300', `${await text(page, '#m-total')} ${await text(page, '#m-remaining')}`);
  await page.click('button[data-action="start"]');
  expectEq('start is refused with its reason while no agent is ready', `bad ${taskText('task.refuse.no_agent')}`,
    (await message(page)).join(' '));
  expectEq('and the task stays stopped', 'stopped', stack.sql(`SELECT state FROM cc_task WHERE id = ${id}`));

  const phone = stack.agentPhone('task-a1', demo.A1_SIP, demo.A1_SIP_PASSWORD, { stay_ms: 600000, expires: 600 });
  must('agent1 registers', await stack.eventually(async () => stack.agentGet(demo.A1).registered === true, 20000));
  stack.ctl('agent.state', `agent=${demo.A1}`, 'state=ready');
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click('button[data-action="start"]')]);
  expectEq('with agent1 ready, the task runs', 'running', await page.getAttribute('#m-state [data-state]', 'data-state'));
  must('the monitor shows agent1 among the group\'s agents', await stack.eventually(async () =>
    (await page.textContent('#m-agents')).includes('空闲'), 20000));

  // --- edit, delete, 已删除任务 ---------------------------------------------------
  await page.goto(`${base}/cc/admin/tasks`);
  expectEq('the list shows it running', 'running', await page.getAttribute(`tr[data-id="${id}"]`, 'data-state'));
  check('a running task has no edit button', !(await page.$(`tr[data-id="${id}"] button[data-action="edit"]`)));
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click(`tr[data-id="${id}"] button[data-action="stop"]`)]);
  expectEq('stopped from the list', 'stopped', await page.getAttribute(`tr[data-id="${id}"]`, 'data-state'));
  await page.click(`tr[data-id="${id}"] button[data-action="edit"]`);
  await page.fill('#tk-edit-max', '9');
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click('#tk-edit-save')]);
  expectEq('the maximum concurrency is edited', '9', await text(page, `tr[data-id="${id}"] td[data-col="max_concurrency"]`));
  page.once('dialog', (d) => d.accept());
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click(`tr[data-id="${id}"] button[data-action="delete"]`)]);
  check('the deleted task left the list', !(await page.$(`tr[data-id="${id}"]`)));
  await submit(page, '#tk-deleted');
  expectEq('已删除任务 shows it', 'deleted', await page.getAttribute(`tr[data-id="${id}"]`, 'data-state'));
  expectEq('with its targets', '0 / 300', await text(page, `tr[data-id="${id}"] .tk-done`));

  phone.kill();
  fs.rmSync(dir, { recursive: true, force: true });
  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 240);
