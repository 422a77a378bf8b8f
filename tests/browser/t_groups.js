// 技能组管理 and 审计日志 in a real browser against the real stack: the admin
// opens the skill groups from the console's side navigation, creates a
// group with its queue settings and an agent bound at a level, sees the
// strategies' hints, is refused deleting the demo's group while a number
// and the new group's overflow use it (the page lists them, linked), then
// finds the change in the audit log, field by field; then changes the
// agents' levels of the demo's group on its page, and a real call (sipp as
// the gateway and as the agents' phones) goes to the agent the page made
// first, before and after the change. No script errors or CSP violations
// on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_groups.js). The stack
// is stopped at the end, on failure, on a signal and at the time limit.
'use strict';

const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { must } = steps;
const { GROUP, GROUP_NAME, NUMBER, A1, A1_NAME, A2, AUDIO_MOH } = demo;

const { submit, text } = cons;

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);
  await submit(page, '#side-groups');
  expectEq('the side navigation leads to 技能组管理', '技能组管理', await text(page, 'h1'));
  expectEq('the list shows the demo group', GROUP_NAME, await text(page, `tr[data-key="${GROUP}"] td[data-col="name"]`));

  // --- a new group with its settings and an agent at level 2 -----------------------
  const before = stack.dirTicket();
  await submit(page, '#res-new');
  expectEq('the new form is shown', '新建技能组', await text(page, '#res-heading'));
  check('each strategy has its hint', (await page.$$('#hints-strategy li')).length === 7);
  await page.fill('#f-name', '投诉组');
  await page.selectOption('#f-strategy', 'random');
  await page.fill('#f-ring_timeout_s', '30');
  await page.fill('#f-max_wait_s', '180');
  await page.selectOption('#f-max_wait_action', 'overflow');
  await page.selectOption('#f-overflow_group_id', GROUP);
  await page.selectOption('#f-moh_audio_id', AUDIO_MOH);
  await page.fill('#f-announce_interval_s', '45');
  await page.uncheck('#f-announce_wait');
  await page.check(`#l-agents-${A1}`);
  await page.fill(`#lv-agents-${A1}`, '2');
  await submit(page, '#res-save');
  check('saving goes back to the list', page.url().endsWith('/cc/admin/groups?done=created'), page.url());
  expectEq('which says it was created', '已新建。', await text(page, '#res-notice'));
  const id = stack.sql("SELECT id FROM cc_skill_group WHERE name = '投诉组'");
  expectEq('the settings are stored', `random|30|180|overflow|${GROUP}|${AUDIO_MOH}|45|1|0`,
    stack.sql(`SELECT CONCAT_WS('|', strategy, ring_timeout_s, max_wait_s, max_wait_action, overflow_group_id, ` +
      `moh_audio_id, announce_interval_s, announce_position, announce_wait) FROM cc_skill_group WHERE id = ${id}`));
  expectEq('the agent is bound at level 2', `${A1}:2`,
    stack.sql(`SELECT CONCAT(user_id, ':', level) FROM cc_skill_group_member WHERE skill_group_id = ${id}`));
  must('the B2BUA re-read its directory', await stack.eventually(() => stack.dirTicket() > before, 20000));

  // --- a level out of bounds: the server's message, nothing saved -----------------------
  await submit(page, `tr[data-key="${id}"] a.res-edit`);
  check('the edit form has the agent ticked', await page.isChecked(`#l-agents-${A1}`));
  expectEq('at level 2', '2', await page.inputValue(`#lv-agents-${A1}`));
  // The browser would stop a number above max itself: the field's bound is
  // lifted to see the server's own check.
  await page.evaluate((sel) => document.querySelector(sel).removeAttribute('max'), `#lv-agents-${A1}`);
  await page.fill(`#lv-agents-${A1}`, '12');
  await submit(page, '#res-save');
  expectEq('a level above 9 gets the server\'s message', '必须在 1 到 9 之间', await text(page, '#err-agents'));
  expectEq('nothing was saved', `${A1}:2`,
    stack.sql(`SELECT CONCAT(user_id, ':', level) FROM cc_skill_group_member WHERE skill_group_id = ${id}`));

  // --- deleting the demo group is refused, with its users --------------------------------
  await page.goto(`${base}/cc/admin/groups`);
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await submit(page, `tr[data-key="${GROUP}"] form.res-delete button`);
  check('the confirmation asked first', asked.length > 0, asked);
  expectEq('the refusal says why', 'res.in_use', await page.getAttribute('#res-error', 'data-reason'));
  const users = await page.$$eval('#res-users li', (lis) => lis.map((li) => li.textContent.replace(/\s+/g, ' ').trim()));
  expectEq('and lists who uses it: the number and the overflowing group', `号码 ${NUMBER}|技能组 投诉组`, users.join('|'));
  expectEq('each linked to its page', `/cc/admin/groups/${id}`, await page.getAttribute('#res-users li[data-item="res.groups.item"] a', 'href'));
  expectEq('the group is still there', GROUP_NAME, stack.sql(`SELECT name FROM cc_skill_group WHERE id = ${GROUP}`));

  // --- the audit log ------------------------------------------------------------------------
  await submit(page, '#side-audit');
  expectEq('the side navigation leads to 审计日志', '审计日志', await text(page, 'h1'));
  const first = page.locator('#audit-list > tbody > tr').first();
  expectEq('the newest record is the new group', `groups ${id} create`,
    `${await first.getAttribute('data-resource')} ${await first.getAttribute('data-item')} ${await first.getAttribute('data-action')}`);
  expectEq('its fields are shown one by one: the strategy by name', '随机',
    await text(page, '#audit-list > tbody > tr:first-child tr[data-field="strategy"] td.audit-after'));
  expectEq('the agent with its level', `${A1_NAME} (级别 2)`,
    await text(page, '#audit-list > tbody > tr:first-child tr[data-field="agents"] td.audit-after'));
  await page.selectOption('#a-resource', 'numbers');
  await submit(page, '#audit-go');
  expectEq('filtered to the numbers: none changed yet', 0, (await page.$$('#audit-list tr[data-action]')).length);

  await levelsThenACall(page, base);
  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

// The demo group's page binds agent1 and agent2 at the levels given, and
// saves; the B2BUA re-reads its directory.
async function setLevels(page, base, l1, l2) {
  const before = stack.dirTicket();
  await page.goto(`${base}/cc/admin/groups/${GROUP}`);
  for (const [id, level] of [[A1, l1], [A2, l2]]) {
    await page.check(`#l-agents-${id}`);
    await page.fill(`#lv-agents-${id}`, String(level));
  }
  await submit(page, '#res-save');
  check(`levels ${l1}/${l2}: saved`, page.url().includes('/cc/admin/groups?done=updated'), page.url());
  must(`levels ${l1}/${l2}: the B2BUA re-read its directory`,
    await stack.eventually(() => stack.dirTicket() > before, 20000));
}

// A call to the demo number; resolves the agent who answered it.
async function callAnsweredBy(name, caller) {
  stack.gatewayCall(name, NUMBER, { caller, until_notify: 1 });
  const bridged = await stack.eventually(() => {
    const c = stack.ctl('call.list').calls.find((x) => x.state === 'bridged');
    return c && c.agent;
  }, 30000);
  stack.tell(name);
  await stack.eventually(() => stack.ctl('call.list').calls.length === 0, 30000);
  return bridged || 'nobody';
}

async function levelsThenACall(page, base) {
  stack.sql(`UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 30, wrapup_s = 0, no_answer_break = 0 WHERE id = ${GROUP}`);
  stack.agentPhone('a1', demo.A1_SIP, demo.A1_SIP_PASSWORD, { stay_ms: 200000, answer_ms: 300 });
  stack.agentPhone('a2', demo.A2_SIP, demo.A2_SIP_PASSWORD, { stay_ms: 200000, answer_ms: 300 });
  must('both agents\' phones register', await stack.eventually(
    () => stack.agentGet(A1).registered && stack.agentGet(A2).registered, 30000));
  // agent1 idles longest: without levels it would get every call.
  const ready = async () => {
    for (const id of [A1, A2]) {
      stack.ctl('agent.state', `agent=${id}`, 'state=logged_out');
      stack.ctl('agent.state', `agent=${id}`, 'state=ready');
      const since = stack.agentGet(id).since;
      await stack.eventually(() => Date.now() > since, 5000);
    }
  };
  await setLevels(page, base, 2, 1);
  await ready();
  expectEq('agent2 (level 1 on the page) answers, though agent1 idles longer', A2,
    await callAnsweredBy('lv1', '13900139301'));
  await setLevels(page, base, 1, 2);
  await ready();
  expectEq('after the page changed the levels, agent1 answers', A1, await callAnsweredBy('lv2', '13900139302'));
}

steps.run(() => cons.withStack(run), 240);
