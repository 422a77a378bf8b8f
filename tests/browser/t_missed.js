// 未接来电 in a real browser against the real stack (docs/missed-calls.md):
// agent1 and agent2, both of the demo group, open the worklist in two
// browser contexts. agent1 claims a missed call; agent2's page, not yet
// refreshed, tries to claim it too and is told "已被 张三 领取"; then its
// list refreshes by itself and shows the call claimed by agent1 with the
// claim button disabled. agent1 releases it (agent2's page shows it open
// again, by itself), claims it again and records the outcome with the
// form: the call leaves both lists.
//
// Run by scripts/test.sh browser (node tests/browser/t_missed.js). Starts
// the stack in a private state folder and stops it at the end, on failure,
// on a signal, and at the time limit (240 s). Screenshots:
// $BUILD/test-logs/t_missed-*.png.
'use strict';

const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const wb = require('./lib/workbench');
const { demo } = require('./lib/env');

const { check, expectEq, diag } = tap;
const { must, waits } = steps;

const { A1, A2, GROUP, NUMBER } = demo;
const CALL = '000000000000000000000000000mb001';
// Longer than missed.js's refresh interval (10 s), for a loaded machine.
const REFRESHED_MS = 30000;

const shot = steps.shooter('t_missed');

// The row of the call: its state, holder, state text and claim button.
const row = (page) => page.evaluate((c) => {
  const tr = document.querySelector(`#missed-rows tr[data-id="${c}"]`);
  if (!tr) return null;
  const claim = tr.querySelector('.missed-claim');
  return {
    state: tr.getAttribute('data-state'), by: tr.getAttribute('data-claimed-by'),
    mine: tr.getAttribute('data-mine'), text: tr.querySelector('[data-col="state"]').textContent.trim(),
    label: tr.querySelector('[data-col="state"] span').textContent.trim(),
    claim: claim ? (claim.disabled ? 'disabled' : 'enabled') : 'none',
    stage: tr.querySelector('[data-col="stage"]').textContent.trim(),
  };
}, CALL);

const rowIs = (page, want) => page.waitForFunction(([c, w]) => {
  const tr = document.querySelector(`#missed-rows tr[data-id="${c}"]`);
  return w === 'gone' ? !tr : tr && tr.getAttribute('data-state') === w;
}, [CALL, want], { timeout: REFRESHED_MS });

async function main() {
  const ports = await waits('the stack starts (scripts/stack.sh start --demo)', stack.start());
  const base = `http://127.0.0.1:${ports.HTTP_PORT}`;
  stack.sql(`INSERT IGNORE INTO cc_skill_group_member (skill_group_id, user_id) VALUES (${GROUP}, '${A1}'), (${GROUP}, '${A2}')`);
  // A call lost in the queue a minute ago, as the B2BUA leaves its record.
  stack.sql(`INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, skill_group_id,
      started_at, enqueued_at, ended_at, result, hangup_side, end_state) VALUES ('${CALL}', 'missed-browser@t',
      'node1', 'inbound', '13900139601', '+8613900139601', '${NUMBER}', ${GROUP}, NOW(3) - INTERVAL 70 SECOND,
      NOW(3) - INTERVAL 65 SECOND, NOW(3) - INTERVAL 20 SECOND, 'abandoned', 'caller', 'queued')`);
  const browser = await wb.launch();
  try {
    await run(browser, base);
  } finally {
    await browser.close().catch(() => {});
  }
}

async function open(browser, base, login, errors) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const { page } = await wb.signIn(ctx, base, login, demo.AGENT_PASSWORD, errors);
  await page.click('#nav-missed');
  await page.waitForSelector('#missed-rows');
  return page;
}

async function run(browser, base) {
  const errors = [];
  const p1 = await waits('agent1 opens 未接来电 from the top navigation', open(browser, base, demo.A1_LOGIN, errors));
  const p2 = await waits('agent2 opens it in another browser', open(browser, base, demo.A2_LOGIN, errors));
  let r1 = await row(p1), r2 = await row(p2);
  must('both lists have the call', r1 && r2, JSON.stringify([r1, r2]));
  expectEq('open, lost in the queue, its claim button enabled, on both', 'open 排队中放弃 enabled open enabled',
    `${r1.state} ${r1.stage} ${r1.claim} ${r2.state} ${r2.claim}`);

  // agent2's page stays as it is (its refreshes fail) while agent1 claims.
  await p2.route('**/cc/missed', (route) => route.abort());
  await p1.click(`#missed-rows tr[data-id="${CALL}"] .missed-claim`);
  await waits("agent1's row turns claimed", rowIs(p1, 'claimed'));
  r1 = await row(p1);
  expectEq('claimed by agent1, theirs, its claim button disabled', `${A1} mine disabled 已被 ${demo.A1_NAME} 领取`,
    `${r1.by} ${r1.mine === '1' ? 'mine' : 'not mine'} ${r1.claim} ${r1.label}`);
  expectEq('the claim is in the database', A1, stack.sql('SELECT claimed_by FROM cc_missed_claim'));
  r2 = await row(p2);
  expectEq("agent2's page has not refreshed yet: its button is still enabled", 'open enabled', `${r2.state} ${r2.claim}`);
  await p2.click(`#missed-rows tr[data-id="${CALL}"] .missed-claim`);
  await waits("agent2's claim is refused with who holds it",
    p2.waitForFunction(() => document.getElementById('missed-status').textContent !== '', null, { timeout: 20000 }));
  expectEq('the message names agent1', `已被 ${demo.A1_NAME} 领取`, (await p2.textContent('#missed-status')).trim());
  expectEq('the claim is still agent1\'s', A1, stack.sql('SELECT claimed_by FROM cc_missed_claim'));

  // Refreshes go through again: agent2's list shows the claim by itself.
  await p2.unroute('**/cc/missed');
  await waits("agent2's list refreshes by itself and shows the call claimed", rowIs(p2, 'claimed'));
  r2 = await row(p2);
  expectEq("agent2 sees agent1's claim, and its claim button is disabled", `${A1} not mine disabled 已被 ${demo.A1_NAME} 领取`,
    `${r2.by} ${r2.mine === '1' ? 'mine' : 'not mine'} ${r2.claim} ${r2.label}`);
  check('agent2 has no release button for it', !(await p2.$(`#missed-rows tr[data-id="${CALL}"] .missed-release`)));
  await shot(p2, 'claimed');

  // agent1 releases: agent2's page shows it open again.
  await p1.click(`#missed-rows tr[data-id="${CALL}"] .missed-release`);
  await waits("agent1's row is open again", rowIs(p1, 'open'));
  await waits("and agent2's, by itself", rowIs(p2, 'open'));
  expectEq("agent2's claim button is enabled again", 'enabled', (await row(p2)).claim);

  // agent1 claims again and records the outcome with the form.
  await p1.click(`#missed-rows tr[data-id="${CALL}"] .missed-claim`);
  await waits('claimed again', rowIs(p1, 'claimed'));
  await p1.click(`#missed-rows tr[data-id="${CALL}"] .missed-set`);
  await p1.waitForSelector('#missed-outcome:not([hidden])');
  expectEq('the form names the number', '13900139601', (await p1.textContent('#mo-who')).trim());
  await p1.click('#mo-save');
  expectEq('without an outcome the form says so', '请选择回拨结果。', (await p1.textContent('#mo-error')).trim());
  await p1.selectOption('#mo-outcome', 'reached');
  await p1.fill('#mo-note', '已回电，客户已下单');
  await p1.click('#mo-save');
  await waits('the call leaves agent1\'s list (to do)', rowIs(p1, 'gone'));
  expectEq('the outcome is stored', `reached 已回电，客户已下单 ${A1}`,
    stack.sql(`SELECT CONCAT_WS(' ', outcome, outcome_note, done_by) FROM cc_missed WHERE call_id = '${CALL}'`));
  await waits("and agent2's, by itself", rowIs(p2, 'gone'));
  await p2.selectOption('#m-state', 'done');
  await Promise.all([p2.waitForNavigation(), p2.click('#missed-go')]);
  r2 = await row(p2);
  expectEq("agent2's done filter shows it, reached, by agent1", `done 已回拨接通 ${demo.A1_NAME}`,
    `${r2 && r2.state} ${r2 && r2.label} ${r2 && r2.text.includes(demo.A1_NAME) ? demo.A1_NAME : ''}`);
  await shot(p2, 'done');
  check('no script errors or CSP violations', errors.length === 0, errors.join(' | '));
}

steps.run(main, 240);
