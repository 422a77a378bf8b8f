// An IVR flow from the editor to a real call, in a real browser against
// the real stack: the admin builds a small flow on the canvas (start → menu
// with a spoken prompt, key 1 → the demo group's queue, the menu's fallback
// → hang-up), publishes it, binds it to a new number on the numbers page
// (its IVR flow field), and a call to that number (sipp as the gateway,
// pressing 1 as RFC 2833) is answered by agent1's phone (sipp); the call's
// path (cc_call_event 'ivr') shows the menu left by key 1 for the queue,
// and its prompt was the speech made when the flow was published. No
// script errors or CSP violations on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_ivr_call.js). The
// stack is stopped at the end, on failure, on a signal and at the time
// limit (TEST_TIMEOUT_S, 240 s).
'use strict';

const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');
const { api, openEditor, docOf, nodeSel, connect, setField, attrsOf, waitMessage } = require('./lib/ivr');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { must } = steps;
const { submit, text } = cons;
const { GROUP, A1, A2, A3 } = demo;

const NUMBER = '4888';
const CALLER = '13900139888';

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);

  // --- the flow, built on the canvas and published --------------------------------------------
  const made = await api(page, 'POST', '/flows', { name: '来电导航', description: '' });
  must('a new flow is made', made.status === 201, JSON.stringify(made));
  const id = String(made.body.id);
  await openEditor(page, base, id);
  const hang = (/<hangup id="([^"]+)"/.exec(await docOf(page)) || [])[1];
  must('the new flow has a hang-up', hang);
  await page.click('#ivr-palette button[data-type="menu"]');
  await page.waitForSelector(nodeSel('menu1'));
  await setField(page, '#ivr-props [data-list="prompt"] textarea', '转人工请按1');
  await setField(page, '#ivr-props [data-list="key"] input[data-field="digit"]', '1');
  await page.click('#ivr-palette button[data-type="queue"]');
  await page.waitForSelector(nodeSel('queue1'));
  await page.selectOption('#ivr-f-group', GROUP);
  await connect(page, 'start', 'x:next', 'menu1');
  await connect(page, 'menu1', 'k:', 'queue1');
  await connect(page, 'menu1', 'x:fallback', hang);
  await connect(page, 'queue1', 'x:next', hang);
  const built = await docOf(page);
  check('the graph is start → menu, key 1 → queue, fallback → hang-up',
    (attrsOf(built, 'start', 'start') || {}).next === 'menu1' && /<key digit="1" next="queue1"\/>/.test(built)
    && (attrsOf(built, 'menu', 'menu1') || {}).fallback === hang, built);
  const before = stack.dirTicket();
  await page.click('#ivr-save');
  await waitMessage(page);
  await page.evaluate(() => { document.getElementById('ivr-message').hidden = true; });
  await page.click('#ivr-publish');
  await page.waitForSelector('#ivr-version[data-version="1"]', { timeout: 30000 });
  expectEq('it is published as version 1', '已发布为版本 v1。', (await waitMessage(page)).text);
  must('the B2BUA re-read its directory', await stack.eventually(() => stack.dirTicket() > before, 20000));
  await page.goto(`${base}/cc/admin/ivr`);

  // --- a new number bound to it on the numbers page ----------------------------------------------
  await page.goto(`${base}/cc/admin/numbers`);
  await submit(page, '#res-new');
  const flows = await page.$$eval('#f-ivr_flow_id option', (l) => l.map((o) => o.value));
  check('the number\'s IVR flow field offers the published flow', flows.includes(id), flows.join(','));
  await page.fill('#f-number', NUMBER);
  await page.fill('#f-name', '导航测试');
  await page.selectOption('#f-ivr_flow_id', id);
  const before2 = stack.dirTicket();
  await submit(page, '#res-save');
  check('saving goes back to the list', page.url().endsWith('/cc/admin/numbers?done=created'), page.url());
  expectEq('the number is bound to the flow, to no group', `${id}|`,
    stack.sql(`SELECT CONCAT(ivr_flow_id, '|', IFNULL(skill_group_id, '')) FROM cc_number WHERE number = '${NUMBER}'`));
  expectEq('the flows list shows the number using it', NUMBER,
    (((await api(page, 'GET', `/flows/${id}`)).body.flow.numbers || [])[0] || {}).number);
  must('the B2BUA re-read its directory', await stack.eventually(() => stack.dirTicket() > before2, 20000));

  // --- a call through it: key 1, the queue, agent1 answers ----------------------------------------
  stack.sql(`UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 60, wrapup_s = 0, no_answer_break = 0 WHERE id = ${GROUP}`);
  for (const other of [A2, A3]) stack.ctl('agent.state', `agent=${other}`, 'state=logged_out');
  stack.agentPhone('a1', demo.A1_SIP, demo.A1_SIP_PASSWORD, { stay_ms: 200000, answer_ms: 300 });
  must('agent1\'s phone registers', await stack.eventually(() => stack.agentGet(A1).registered, 30000));
  stack.ctl('agent.state', `agent=${A1}`, 'state=ready');
  stack.gatewayCall('k1', NUMBER, { caller: CALLER, key: 1, dtmf_ms: 1500, until_notify: 1 });
  const bridged = await stack.eventually(() => {
    const c = stack.ctl('call.list').calls.find((x) => x.state === 'bridged');
    return c && c.agent;
  }, 40000);
  expectEq('the call is answered by agent1', A1, bridged || 'nobody');
  stack.tell('k1');
  must('the call ends', await stack.eventually(() => stack.ctl('call.list').calls.length === 0, 30000));
  const callId = await stack.eventually(() => stack.sql(`SELECT id FROM cc_call WHERE caller = '${CALLER}' `
    + "AND EXISTS (SELECT 1 FROM cc_call_event e WHERE e.call_id = cc_call.id AND e.event = 'end') ORDER BY started_at DESC LIMIT 1"), 20000);
  must('the call is recorded', callId);
  expectEq('it was answered', 'answered', stack.sql(`SELECT result FROM cc_call WHERE id = '${callId}'`));
  const path = stack.sql(`SELECT GROUP_CONCAT(detail ORDER BY id SEPARATOR '; ') FROM cc_call_event WHERE call_id = '${callId}' AND event = 'ivr'`);
  check('its path: the menu left by key 1, then the queue', path.includes(`${id} menu1 key 1 1; ${id} queue1`), path);
  check('the menu was entered from the start', path.startsWith(`${id} start`), path);
  const prompts = stack.sql(`SELECT GROUP_CONCAT(detail SEPARATOR '; ') FROM cc_call_event WHERE call_id = '${callId}' AND event = 'prompt'`);
  check('the menu\'s text was played from the speech made when it was published', /tts-[0-9a-f]{32}\.wav/.test(prompts), prompts);
  expectEq('the key is in the call\'s log', '1',
    stack.sql(`SELECT GROUP_CONCAT(detail) FROM cc_call_event WHERE call_id = '${callId}' AND event = 'dtmf'`));
  expectEq('the flow\'s page still lists it published', '已发布', await (async () => {
    await page.goto(`${base}/cc/admin/ivr`);
    return text(page, `tr[data-id="${id}"] td[data-col="state"]`);
  })());

  check('no script errors or CSP violations', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 240);
