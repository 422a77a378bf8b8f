// The wallboard's event application (fcgi-app/static/wallboard-state.js)
// in node, without a browser or a stack: a snapshot, then events as the
// hub sends them. A queued call waits and its wait grows with the clock;
// offered, it rings at its agent; answered, it is in progress; its end
// counts once (an event applied twice, or an end the snapshot had already
// counted, changes nothing); the service level takes the answer time T;
// agents' tiles follow agent.state with their time in state; a group's
// board ignores other groups' calls and follows an overflow away; the
// thresholds' colours.
//
// Run by scripts/test.sh browser (node tests/browser/t_wallboard_state.js).
'use strict';

const path = require('path');
const tap = require('./lib/tap');
const W = require(path.join(__dirname, '../../fcgi-app/static/wallboard-state.js'));

const { check, expectEq } = tap;
const T0 = 1795259551000;
const DAY = T0 - 3600 * 1000;
const A = '0u000000000000000000000000000002', B = '0u000000000000000000000000000003';
const settings = { sl_target_s: 20, wait_amber_s: 30, wait_red_s: 60, waiting_amber: 2, waiting_red: 4, sl_amber: 80, sl_red: 60 };

function snap(over) {
  return Object.assign({
    ok: true, at: T0, day_start: DAY, group: 0, b2bua: true, settings,
    groups: [{ id: 1, name: '客服一组', total: 4, answered: 3, abandoned: 1, no_agent: 0, sl_in: 3 },
      { id: 2, name: '二组', total: 0, answered: 0, abandoned: 0, no_agent: 0, sl_in: 0 }],
    agents: [{ id: A, name: '张三', state: 'ready', reason: null, since: T0 - 5000, call: null, groups: [1] },
      { id: B, name: '李四', state: 'not_ready', reason: 'rest', since: T0 - 65000, call: null, groups: [2] }],
    calls: [], ended: ['old1'],
  }, over || {});
}
const ev = (event, f) => Object.assign({ event }, f);

// --- the snapshot ---------------------------------------------------------------------------
let st = W.load(snap());
let v = W.view(st, T0);
expectEq('the snapshot: nothing waiting', 0, v.totals.waiting);
expectEq("today's counts from the snapshot", '3 1 4 75', `${v.totals.answered} ${v.totals.abandoned} ${v.totals.total} ${v.totals.sl}`);
expectEq('agents with their time in state', '张三 ready 5; 李四 not_ready 65',
  v.agents.map((a) => `${a.name} ${a.state} ${a.seconds}`).join('; '));
expectEq('agents counted by state, breaks by reason', '1 1 1', `${v.counts.ready} ${v.counts.not_ready} ${v.reasons.rest}`);

// --- a call queues, rings, is answered, ends --------------------------------------------------
check('call.new adds a call', W.apply(st, ev('call.new', { ts: T0 + 100, call: 'c1', direction: 'inbound', caller: '13900139001' })));
expectEq('in the IVR it does not wait yet', 0, W.view(st, T0 + 500).totals.waiting);
W.apply(st, ev('call.queued', { ts: T0 + 1000, call: 'c1', group: 1, caller: '13900139001' }));
v = W.view(st, T0 + 11000);
expectEq('queued: one waiting, for 10 s', '1 10', `${v.totals.waiting} ${v.totals.longest}`);
expectEq('its wait grows with the clock', 45, W.view(st, T0 + 46000).totals.longest);
expectEq("the group's row waits too", '1 0', `${v.groups[0].waiting} ${v.groups[1].waiting}`);
W.apply(st, ev('agent.state', { ts: T0 + 12000, agent: A, state: 'reserved', prev: 'ready', call: 'c1' }));
W.apply(st, ev('call.offered', { ts: T0 + 12000, call: 'c1', agent: A, group: 1 }));
v = W.view(st, T0 + 13000);
expectEq('offered: it rings at agent1, still waiting', 'ringing 张三 1', `${v.calls[0].stage} ${v.calls[0].agentName} ${v.totals.waiting}`);
expectEq("agent1's tile: reserved for 1 s", 'reserved 1', `${v.agents[0].state} ${v.agents[0].seconds}`);
W.apply(st, ev('call.answered', { ts: T0 + 15000, call: 'c1', agent: A, group: 1 }));
W.apply(st, ev('agent.state', { ts: T0 + 15000, agent: A, state: 'on_call', prev: 'reserved', call: 'c1' }));
v = W.view(st, T0 + 75000);
expectEq('answered: in progress for 60 s, nothing waiting', 'talking 60 0', `${v.calls[0].stage} ${v.calls[0].seconds} ${v.totals.waiting}`);
expectEq("agent1's tile: on call", 'on_call', v.agents[0].state);
check('call.hold applies', W.apply(st, ev('call.hold', { ts: T0 + 76000, call: 'c1', agent: A, by: 'workbench' })));
v = W.view(st, T0 + 77000);
expectEq('held: shown as held, still timed from the answer', 'held 62', `${v.calls[0].stage} ${v.calls[0].seconds}`);
W.apply(st, ev('call.resume', { ts: T0 + 78000, call: 'c1', agent: A, by: 'workbench', ms: 2000 }));
expectEq('taken back: talking again', 'talking', W.view(st, T0 + 78000).calls[0].stage);
check('call.ended applies', W.apply(st, ev('call.ended', { ts: T0 + 80000, call: 'c1', agent: A, result: 'answered' })));
check('the same end again changes nothing', !W.apply(st, ev('call.ended', { ts: T0 + 80000, call: 'c1', agent: A, result: 'answered' })));
v = W.view(st, T0 + 80000);
expectEq('ended: counted once, answered within T (14 s)', '4 5 4 80', `${v.totals.answered} ${v.totals.total} ${v.totals.sl_in} ${v.totals.sl}`);
expectEq('no call in progress', 0, v.calls.length);
check('a late event of the ended call is ignored', !W.apply(st, ev('call.answered', { ts: T0 + 15000, call: 'c1', agent: A, group: 1 })));

// --- an answer after T, an abandoned call, a stale end ------------------------------------------
W.apply(st, ev('call.queued', { ts: T0 + 100000, call: 'c2', group: 1 }));
W.apply(st, ev('call.answered', { ts: T0 + 130000, call: 'c2', agent: A, group: 1 }));
W.apply(st, ev('call.ended', { ts: T0 + 140000, call: 'c2', result: 'answered' }));
W.apply(st, ev('call.queued', { ts: T0 + 150000, call: 'c3', group: 2 }));
W.apply(st, ev('call.ended', { ts: T0 + 160000, call: 'c3', result: 'abandoned' }));
v = W.view(st, T0 + 160000);
expectEq('answered after 30 s: not within T; the abandoned one counts in the total', '5 2 7 4',
  `${v.totals.answered} ${v.totals.abandoned} ${v.totals.total} ${v.totals.sl_in}`);
expectEq("per group: the second group's abandoned call", '0 1 1', `${v.groups[1].sl} ${v.groups[1].abandoned} ${v.groups[1].total}`);
check('an end the snapshot counted already is ignored', !W.apply(st, ev('call.ended', { ts: T0, call: 'old1', result: 'answered' })));
check('an end of a call never seen is ignored', !W.apply(st, ev('call.ended', { ts: T0, call: 'zz', result: 'answered' })));
check('an old agent.state does not undo a newer one', !W.apply(st, ev('agent.state', { ts: T0 - 1000, agent: A, state: 'ready' })));

// --- calls in progress from the snapshot -------------------------------------------------------
st = W.load(snap({
  agents: [{ id: A, name: '张三', state: 'reserved', since: T0 - 2000, call: 'w1', groups: [1] }],
  calls: [{ id: 'w1', caller: '1', group: 1, started: T0 - 40000, enqueued: T0 - 35000, answered: null },
    { id: 't1', caller: '2', group: 1, agent: B, started: T0 - 90000, enqueued: T0 - 80000, answered: T0 - 70000 }],
}));
v = W.view(st, T0);
expectEq('a snapshot call whose agent is reserved rings; the other talks', 't1 talking 70; w1 ringing 35',
  v.calls.map((c) => `${c.id} ${c.stage} ${c.seconds}`).join('; '));
W.apply(st, ev('call.offer_failed', { ts: T0 + 1000, call: 'w1', agent: A, reason: 'no_answer' }));
expectEq('offer failed: back to waiting', 'waiting', W.view(st, T0).calls.find((c) => c.id === 'w1').stage);
W.apply(st, ev('call.no_agent', { ts: T0 + 2000, call: 'w1', group: 1 }));
expectEq('no agent: it no longer waits', 0, W.view(st, T0).totals.waiting);

// --- a group's board ---------------------------------------------------------------------------
st = W.load(snap({ group: 1, groups: [{ id: 1, name: '客服一组', total: 0, answered: 0, abandoned: 0, no_agent: 0, sl_in: 0 }] }));
check("call.new does not add to a group's board", !W.apply(st, ev('call.new', { ts: T0, call: 'g1' })));
check("another group's queue is not this board's", !W.apply(st, ev('call.queued', { ts: T0, call: 'g1', group: 2 })));
W.apply(st, ev('call.queued', { ts: T0, call: 'g2', group: 1 }));
expectEq('its own group queues', 1, W.view(st, T0).totals.waiting);
W.apply(st, ev('call.queued', { ts: T0 + 5000, call: 'g2', group: 2 }));
expectEq('an overflow to another group leaves the board', 0, W.view(st, T0).calls.length);
expectEq("agents of other groups are not on a group's board", '张三', W.view(st, T0).agents.map((a) => a.name).join(','));
check("an unknown agent waits for the group's next snapshot", !W.apply(st, ev('agent.state', { ts: T0, agent: 'x', state: 'ready' })));

// --- thresholds ----------------------------------------------------------------------------------
expectEq('longest wait: below amber, amber at 30 s, red at 60 s', ',amber,red',
  [29, 30, 60].map((s) => W.level(settings, 'longest', s)).join(','));
expectEq('calls waiting: amber from 2, red from 4', ',amber,red', [1, 2, 4].map((n) => W.level(settings, 'waiting', n)).join(','));
expectEq('service level: amber below 80 %, red below 60 %', ',amber,red', [80, 79, 59].map((p) => W.level(settings, 'sl', p)).join(','));
expectEq('no service level yet: no colour', '', W.level(settings, 'sl', null));

tap.plan();
process.exitCode = tap.failed() ? 1 : 0;
