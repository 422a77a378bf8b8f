// The workbench's conversation list in a real browser against the real
// stack: agent1 answers a call from an unknown number; the list shows it
// online (在线) with a green phone icon; the caller hangs up and the entry
// turns left (已离开) with a grey phone while the form stays editable: the
// agent picks an intent, writes a note and saves the new customer after the
// call (uk_contacts, cc_call_note). After a reload the list comes from the
// database, and a click reopens the call's form with what was saved; an
// outbound task's call (its row as the dialer leaves it) reopens with the
// task's name, the target's data and the name from the data prefilled.
//
// Run by scripts/test.sh browser (node tests/browser/t_wb_list.js). Starts
// the stack in a private state folder and stops it, and every sipp it
// started, at the end, on failure, on a signal, and at the time limit
// (300 s). Screenshots: $BUILD/test-logs/t_wb_list-*.png.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const wb = require('./lib/workbench');
const { demo } = require('./lib/env');

const { check, expectEq, diag } = tap;
const { must, waits } = steps;

const { A1, NUMBER, GROUP } = demo;
const CALLER = '13500000456';
const TASK_CALL = '0k000000000000000000000000000w01';

const shot = steps.shooter('t_wb_list');

// The list entry of call: presence, icon class and colour, texts.
const entry = (page, call) => page.evaluate((c) => {
  const li = document.querySelector(`#conv-list .conv[data-call-id="${c}"]`);
  if (!li) return null;
  const icon = li.querySelector('.phone-icon');
  return {
    online: li.getAttribute('data-online'), icon: icon.className, colour: getComputedStyle(icon).backgroundColor,
    iconChars: icon.textContent, who: li.querySelector('.conv-who').textContent.trim(),
    presence: li.querySelector('.conv-presence').textContent.trim(),
    dir: li.querySelector('.conv-dir').textContent.trim(),
    intent: (li.querySelector('.conv-intent') || {}).textContent || '',
    first: document.querySelector('#conv-list .conv') === li,
  };
}, call);

const formValues = (page) => page.evaluate(() => {
  const out = {};
  for (const el of document.getElementById('contact-form').elements) if (el.name) out[el.name] = el.value;
  return out;
});

async function main() {
  const ports = await waits('the stack starts (scripts/stack.sh start --demo)', stack.start());
  const base = `http://127.0.0.1:${ports.HTTP_PORT}`;
  stack.sql('UPDATE cc_skill_group SET wrapup_s = 1');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path.join(stack.state(), 'audio/welcome.wav'),
    'synth', '0.6', 'sine', '440'], { stdio: 'ignore' });
  must('the B2BUA reloads its directory', await stack.reloadDir());
  stack.agentPhone('a1', demo.A1_SIP, demo.A1_SIP_PASSWORD, { stay_ms: 280000, answer_ms: 500 });
  const browser = await wb.launch();
  try {
    await run(browser, base);
  } finally {
    await browser.close().catch(() => {});
  }
}

async function run(browser, base) {
  const errors = [];
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: 'zh-CN' });
  const s = await waits('agent1 signs in', wb.signIn(ctx, base, demo.A1_LOGIN, demo.AGENT_PASSWORD, errors));
  const page = s.page;
  expectEq('the list is empty at first', false, await page.$eval('#conv-empty', (e) => e.hidden));
  await page.click('#btn-signin');
  await waits('agent1 is ready', page.waitForSelector('#state[data-state="ready"]', { timeout: 20000 }));
  must("agent1's phone registers", await stack.eventually(() => stack.agentGet(A1).registered, 30000));

  // --- a call in progress: online --------------------------------------------------------
  const call = stack.gatewayCall('c1', NUMBER, { caller: CALLER, until_notify: 1 });
  await waits('the pop appears', page.waitForSelector('#pop:not([hidden])[data-received]', { timeout: 30000 }));
  const id = await page.getAttribute('#pop', 'data-call-id');
  let e = await entry(page, id);
  must('the call is in the conversation list', e, JSON.stringify(e));
  expectEq('online, first, inbound, with the number', '1 true 呼入 13500000456', `${e.online} ${e.first} ${e.dir} ${e.who}`);
  expectEq('it reads 在线 with the green phone icon (CSS, no text or image)', '在线 phone-icon phone-online rgb(26, 143, 76) ',
    `${e.presence} ${e.icon} ${e.colour} ${e.iconChars}`);
  expectEq('no image in the list', 0, await page.$$eval('#conv-list img', (i) => i.length));
  await page.selectOption('#f-_intent', 'follow_up');
  await page.fill('#f-_note', '客户要求明天上午回电');
  await shot(page, 'online');

  // --- the caller hangs up: left, still editable ---------------------------------------------
  stack.tell('c1');
  expectEq("the caller's call completes", 0, await call.done);
  await waits('the entry turns left', page.waitForSelector(`#conv-list .conv[data-call-id="${id}"][data-online="0"]`,
    { timeout: 20000 }));
  e = await entry(page, id);
  expectEq('it reads 已离开 with the grey phone icon', '已离开 phone-icon phone-left rgb(184, 193, 205)',
    `${e.presence} ${e.icon} ${e.colour}`);
  expectEq('the form keeps what was typed', 'follow_up 客户要求明天上午回电',
    await page.evaluate(() => `${document.getElementById('f-_intent').value} ${document.getElementById('f-_note').value}`));
  check('the form stays editable', await page.$eval('#contact-form', (f) =>
    Array.from(f.elements).every((el) => !el.disabled && !el.readOnly)));
  await page.fill('#contact-form [name="name"]', '赵云');
  await page.click('#btn-save');
  await waits('saved after the call', page.waitForSelector('#save-status.ok', { timeout: 20000 }));
  const contact = await page.$eval('#contact-form', (f) => f.elements._id.value);
  expectEq('the new customer is in uk_contacts', '赵云 1',
    stack.sql(`SELECT CONCAT_WS(' ', MAX(name), COUNT(*)) FROM uk_contacts WHERE mobileno = '${CALLER}'`));
  expectEq("the call's note is stored", `${A1} ${contact} follow_up 客户要求明天上午回电`,
    stack.sql(`SELECT CONCAT_WS(' ', agent_id, contact_id, intent, note) FROM cc_call_note WHERE call_id = '${id}'`));
  e = await entry(page, id);
  expectEq('the entry shows the name and the intent', '赵云 待跟进', `${e.who} ${e.intent}`);
  await shot(page, 'left');

  // --- from the database: a reload, a reopened call, a task's call ------------------------------
  stack.sql(`INSERT INTO cc_task (name, skill_group_id, caller_id_number_id, caller_id, state, created_by)
      VALUES ('秋季回访', ${GROUP}, 1, '${NUMBER}', 'stopped', '${A1}')`);
  const task = stack.sql("SELECT id FROM cc_task WHERE name = '秋季回访'");
  stack.sql(`INSERT INTO cc_task_target (task_id, line, number, data, state, attempts, last_call_id)
      VALUES (${task}, 2, '+8613900139777', '{"name":"黄忠","套餐":"年度"}', 'answered', 1, '${TASK_CALL}')`);
  const target = stack.sql(`SELECT id FROM cc_task_target WHERE task_id = ${task}`);
  // Earlier today than the call above (the list is today's calls, newest
  // first), however close to midnight the test runs.
  const earlier = stack.sql(`SELECT DATE_FORMAT(GREATEST(CURDATE(), started_at - INTERVAL 2 SECOND),
      '%Y-%m-%d %H:%i:%s.%f') FROM cc_call WHERE id = '${id}'`);
  stack.sql(`INSERT INTO cc_call (id, sip_call_id, node, direction, caller, callee, agent_id, started_at, answered_at,
      ended_at, result, task_id, target_id) VALUES ('${TASK_CALL}', 'wb-list@t', 'node1', 'outbound', '${NUMBER}',
      '13900139777', '${A1}', '${earlier}', '${earlier}', TIMESTAMP('${earlier}') + INTERVAL 1 SECOND,
      'answered', ${task}, ${target})`);
  await page.reload();
  await page.waitForSelector('#workbench');
  e = await entry(page, id);
  expectEq('after a reload the call is listed from the database: left, name, intent', '0 赵云 已离开 待跟进 true',
    `${e && e.online} ${e && e.who} ${e && e.presence} ${e && e.intent} ${e && e.first}`);
  await page.click(`#conv-list .conv[data-call-id="${id}"] .conv-open`);
  await waits('a click reopens the call', page.waitForSelector(`#pop:not([hidden])[data-call-id="${id}"][data-ended="1"]`,
    { timeout: 20000 }));
  let form = await formValues(page);
  expectEq('with the saved contact, intent and note', `${contact} ${id} 赵云 follow_up 客户要求明天上午回电`,
    `${form._id} ${form._call} ${form.name} ${form._intent} ${form._note}`);
  await page.selectOption('#f-_intent', 'interested');
  await page.click('#btn-save');
  await waits('saved again', page.waitForSelector('#save-status.ok', { timeout: 20000 }));
  expectEq('the note is updated', 'interested',
    stack.sql(`SELECT intent FROM cc_call_note WHERE call_id = '${id}'`));

  await page.click(`#conv-list .conv[data-call-id="${TASK_CALL}"] .conv-open`);
  await waits("the task's call opens", page.waitForSelector(`#pop:not([hidden])[data-call-id="${TASK_CALL}"]`,
    { timeout: 20000 }));
  expectEq('the pop names the task', `秋季回访 ${task}`,
    `${(await page.textContent('#pop-task-name')).trim()} ${await page.getAttribute('#pop', 'data-task')}`);
  check('the task line is shown', !(await page.$eval('#pop-task', (el) => el.hidden)));
  const pairs = await page.$$eval('#pop-data-list dt, #pop-data-list dd', (els) => els.map((x) => x.textContent));
  expectEq("the target's data, the task's name apart", 'name 黄忠 套餐 年度', pairs.join(' '));
  form = await formValues(page);
  expectEq('a new-contact form with the number and the name from the data', ' 13900139777 黄忠',
    `${form._id} ${form.mobileno} ${form.name}`);
  await shot(page, 'task');
  check('no script errors or CSP violations', errors.length === 0, errors.join(' | '));
}

steps.run(main, 300);
