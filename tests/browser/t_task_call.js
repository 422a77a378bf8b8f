// An outbound task end to end in real browsers against the real stack: the
// admin creates a task from a CSV file (the initializing progress reaches
// 已停止), starts it and watches its monitor; the B2BUA dials the customers
// through Kamailio to the carrier's gateway (sipp,
// tests/sip/gateway/customers.xml); agent1, signed in on the workbench with
// a registered phone (sipp), answers a customer and the pop shows the
// target's data; the agent records intent and note and saves the customer;
// the monitor follows the task to 已停止 by itself; the admin deletes the
// task and finds it under 已删除任务.
//
// Run by scripts/test.sh browser (node tests/browser/t_task_call.js).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');
const wb = require('./lib/workbench');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { must, waits } = steps;
const { submit, text } = cons;

// The customers: ...0 answers (and talks until the B2BUA hangs up), ...1 is busy.
const ANSWERS = '13900000120';
const BUSY = '13900000121';

// The carrier's gateway with the customers behind it, until the test ends:
// the customer who answers hangs up after hangup_ms.
function customers(ports) {
  return stack.sipp('customers', ['-m', '10', '-sf', path.join(stack.top, 'tests/sip/gateway/customers.xml'),
    '-i', ports.OUTBOUND_IP, '-p', String(ports.OUTBOUND_PORT), '-mi', ports.OUTBOUND_IP,
    '-set', 'answer_ms', '300', '-set', 'hangup_ms', '8000']);
}

async function run(browser, base) {
  const ports = stack.ports();
  stack.sql("INSERT INTO cc_number (number, display, name, `usage`) VALUES ('+862160000019', '021-6000 0019', '外呼 e2e', 'outbound')");
  const num = stack.sql("SELECT id FROM cc_number WHERE number = '+862160000019'");
  stack.sql(`INSERT INTO cc_skill_group_number (skill_group_id, number_id) VALUES (${demo.GROUP}, ${num})`);
  stack.sql('UPDATE cc_skill_group SET ring_timeout_s = 30, wrapup_s = 0, no_answer_break = 0');
  must('the B2BUA reloads its directory', await stack.reloadDir());
  for (const a of [demo.A1, demo.A2, demo.A3]) stack.ctl('agent.state', `agent=${a}`, 'state=logged_out');
  const gw = customers(ports);

  // --- the agent: workbench signed in, phone registered, ready -----------------------
  const errors = [];
  const actx = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
  const s = await waits('agent1 signs in', wb.signIn(actx, base, demo.A1_LOGIN, demo.AGENT_PASSWORD, errors));
  const agent = s.page;
  const phone = stack.agentPhone('e2e-a1', demo.A1_SIP, demo.A1_SIP_PASSWORD, { stay_ms: 230000, expires: 600 });
  must("agent1's phone registers", await stack.eventually(() => stack.agentGet(demo.A1).registered === true, 30000));
  await agent.click('#btn-signin');
  await waits('agent1 is ready', agent.waitForSelector('#state[data-state="ready"]', { timeout: 20000 }));

  // --- the admin: 新建任务 from a CSV file -------------------------------------------
  const admin = await cons.adminPage(browser, base, errors);
  await submit(admin, '#nav-tasks');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-e2e-'));
  const file = path.join(dir, 'customers.csv');
  fs.writeFileSync(file, `电话,姓名,订单号\r\n${ANSWERS},钱七,D-120\r\n${BUSY},孙八,D-121\r\n`);
  await submit(admin, '#tk-new');
  await admin.fill('#f-name', '端到端回访');
  await admin.selectOption('#f-group', String(demo.GROUP));
  await admin.selectOption('#f-number', String(num));
  await admin.fill('#f-max', '2');
  await admin.setInputFiles('#f-file', file);
  await admin.click('#tk-create');
  await admin.waitForSelector('#tk-status[data-state]', { timeout: 30000 });
  expectEq('the initializing load ends in 已停止 by itself', 'stopped', await admin.getAttribute('#tk-status', 'data-state'));
  expectEq('its progress bar is full', '1', String(await admin.evaluate(() => document.getElementById('tk-progress').value)));
  const id = stack.sql("SELECT id FROM cc_task WHERE name = '端到端回访'");
  stack.sql(`UPDATE cc_task SET max_attempts = 1 WHERE id = ${id}`);

  // --- start; the monitor follows -----------------------------------------------------
  await submit(admin, '#tk-created');
  await Promise.all([admin.waitForNavigation({ timeout: 30000 }), admin.click('button[data-action="start"]')]);
  expectEq('the task runs', 'running', await admin.getAttribute('#m-state [data-state]', 'data-state'));

  await waits("the agent's pop appears when agent1 answers the customer",
    agent.waitForSelector('#pop:not([hidden])[data-received]', { timeout: 40000 }));
  expectEq('the pop is the task\'s call', `端到端回访 ${id}`,
    `${(await agent.textContent('#pop-task-name')).trim()} ${await agent.getAttribute('#pop', 'data-task')}`);
  const pairs = await agent.$$eval('#pop-data-list dt, #pop-data-list dd', (els) => els.map((x) => x.textContent));
  check(`the target's data is shown: ${pairs.join(' ')}`, pairs.join(' ').includes('订单号 D-120'));
  const form = await agent.evaluate(() => {
    const out = {};
    for (const el of document.getElementById('contact-form').elements) if (el.name) out[el.name] = el.value;
    return out;
  });
  expectEq('a new-contact form with the number (as the target keeps it, E.164) and the name from the data',
    `+86${ANSWERS} 钱七`, `${form.mobileno} ${form.name}`);
  must('the monitor shows the customer connected to an agent', await stack.eventually(async () =>
    (await text(admin, '#m-connected')) === '1', 20000));

  await agent.selectOption('#f-_intent', 'interested');
  await agent.fill('#f-_note', '对年度套餐有兴趣');
  await agent.click('#btn-save');
  await waits('the customer is saved', agent.waitForSelector('#save-status.ok', { timeout: 20000 }));
  const contact = stack.sql(`SELECT contact_id FROM cc_task_target WHERE task_id = ${id} AND number LIKE '%${ANSWERS}'`);
  expectEq('the customer is in the CRM, linked to the target', '钱七 1',
    stack.sql(`SELECT CONCAT_WS(' ', MAX(name), COUNT(*)) FROM uk_contacts WHERE id = '${contact}' AND mobileno LIKE '%${ANSWERS}'`));
  expectEq('with the intent and note of the call', 'interested 对年度套餐有兴趣',
    stack.sql(`SELECT CONCAT_WS(' ', intent, note) FROM cc_call_note WHERE task_id = ${id}`));

  const call = stack.sql(`SELECT last_call_id FROM cc_task_target WHERE task_id = ${id} AND number LIKE '%${ANSWERS}'`);
  must('the customer hangs up: the call ends', await stack.eventually(() => stack.callFinal(call), 60000));
  must('the monitor follows the task to 已停止 by itself', await stack.eventually(async () =>
    (await admin.getAttribute('#m-state [data-state]', 'data-state')) === 'stopped', 60000));
  expectEq('the results per target', 'answered busy',
    stack.sql(`SELECT GROUP_CONCAT(state ORDER BY number SEPARATOR ' ') FROM cc_task_target WHERE task_id = ${id}`));

  // --- delete; 已删除任务 ------------------------------------------------------------
  await admin.goto(`${base}/cc/admin/tasks`);
  admin.once('dialog', (d) => d.accept());
  await Promise.all([admin.waitForNavigation({ timeout: 30000 }), admin.click(`tr[data-id="${id}"] button[data-action="delete"]`)]);
  check('the deleted task left the list', !(await admin.$(`tr[data-id="${id}"]`)));
  await submit(admin, '#tk-deleted');
  expectEq('已删除任务 shows it with its targets done', 'deleted 2 / 2',
    `${await admin.getAttribute(`tr[data-id="${id}"]`, 'data-state')} ${await text(admin, `tr[data-id="${id}"] .tk-done`)}`);

  phone.kill();
  gw.kill();
  fs.rmSync(dir, { recursive: true, force: true });
  check('no script errors or CSP violations', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 280);
