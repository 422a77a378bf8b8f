/* The wallboard's state and how events change it, without the page: pure
 * functions over plain objects, loaded by wallboard.js in the browser
 * (window.ccWallboard) and by node in tests/browser/t_wallboard_state.js.
 *
 *   load(snapshot)       the state of /cc/api/wallboard
 *   apply(state, event)  one event of the stream (agent.*, call.*): true
 *                        when the state changed
 *   view(state, now)     the figures to draw at time now (ms): totals,
 *                        per group, agents and calls with their durations,
 *                        agents by state and breaks by reason
 *   level(settings, figure, value)  '', 'amber' or 'red'
 *
 * A call is keyed by its id and an agent by its id, so an event applied
 * twice changes nothing; a call the snapshot already saw ended (`ended`)
 * is left alone, so its end is never counted twice. Today's counts only
 * grow by calls that joined a queue today and end while the page watches. */
(function (root) {
  'use strict';

  function num(v) { return typeof v === 'number' && isFinite(v) ? v : null; }

  function load(snap) {
    var st = {
      at: num(snap.at) || 0,
      day: num(snap.day_start) || 0,
      group: num(snap.group) || 0,
      settings: snap.settings || {},
      b2bua: snap.b2bua !== false,
      groups: {}, order: [], agents: {}, calls: {}, ended: {},
    };
    (snap.groups || []).forEach(function (g) {
      st.groups[g.id] = {
        id: g.id, name: g.name || '', total: g.total || 0, answered: g.answered || 0,
        abandoned: g.abandoned || 0, no_agent: g.no_agent || 0, sl_in: g.sl_in || 0,
      };
      st.order.push(g.id);
    });
    (snap.ended || []).forEach(function (id) { st.ended[id] = true; });
    (snap.agents || []).forEach(function (a) {
      st.agents[a.id] = {
        id: a.id, name: a.name || a.id, state: a.state, reason: a.reason || null,
        since: num(a.since), call: a.call || null, groups: a.groups || [],
      };
    });
    (snap.calls || []).forEach(function (c) {
      st.calls[c.id] = {
        id: c.id, direction: c.direction || 'inbound', caller: c.caller || '',
        group: c.group || 0, agent: c.agent || null, started: num(c.started) || st.at,
        enqueued: num(c.enqueued), answered: num(c.answered),
        stage: c.answered ? 'talking' : c.enqueued ? 'waiting' : 'ivr',
      };
    });
    // A call whose agent is reserved for it rings there.
    Object.keys(st.agents).forEach(function (id) {
      var a = st.agents[id], c = a.call && st.calls[a.call];
      if (c && a.state === 'reserved' && c.stage === 'waiting') {
        c.stage = 'ringing';
        c.agent = id;
      }
    });
    return st;
  }

  // Does the board show calls of group g?
  function mine(st, g) { return !st.group || g === st.group; }

  function call(st, ev, create) {
    var c = st.calls[ev.call];
    if (!c && create) {
      c = st.calls[ev.call] = {
        id: ev.call, direction: ev.direction || 'inbound', caller: ev.caller || '', group: 0,
        agent: null, started: num(ev.ts) || 0, enqueued: null, answered: null, stage: 'ivr',
      };
    }
    return c || null;
  }

  function ended(st, c, ev) {
    delete st.calls[c.id];
    st.ended[c.id] = true;
    var g = st.groups[c.group];
    if (!g || !c.enqueued || c.enqueued < st.day) return;
    g.total++;
    if (ev.result === 'answered') {
      g.answered++;
      var T = (st.settings.sl_target_s || 20) * 1000;
      if (c.answered && c.answered - c.enqueued <= T) g.sl_in++;
    } else if (ev.result === 'abandoned') {
      g.abandoned++;
    } else if (ev.result === 'no_agent') {
      g.no_agent++;
    }
  }

  function apply(st, ev) {
    if (!ev || typeof ev.event !== 'string') return false;
    var name = ev.event, ts = num(ev.ts) || 0;
    if (name === 'agent.state') {
      var a = st.agents[ev.agent];
      if (!a) {
        // A newcomer: the center's board takes it; a group's waits for the
        // next snapshot, which knows the agent's groups.
        if (st.group || ev.state === 'logged_out') return false;
        a = st.agents[ev.agent] = { id: ev.agent, name: ev.agent, groups: [], since: null };
      }
      if (a.since && ts && ts < a.since) return false;
      a.state = ev.state;
      a.reason = ev.reason || null;
      a.call = ev.call || null;
      a.since = ts || a.since;
      return true;
    }
    if (name.indexOf('call.') !== 0 || !ev.call || st.ended[ev.call]) return false;
    var c;
    switch (name) {
    case 'call.new':
      if (st.group) return false;	// a group's board takes a call when it queues
      c = call(st, ev, true);
      if (ev.direction) c.direction = ev.direction;
      if (ev.agent && !c.agent) c.agent = ev.agent;
      return true;
    case 'call.queued':
      if (!mine(st, ev.group)) {
        // Overflowed to another group: no longer this board's.
        return st.calls[ev.call] ? delete st.calls[ev.call] : false;
      }
      c = call(st, ev, true);
      c.group = ev.group || 0;
      if (ev.caller) c.caller = ev.caller;
      if (!c.enqueued) c.enqueued = ts;
      c.stage = 'waiting';
      c.agent = null;
      return true;
    case 'call.offered':
    case 'call.ringing':
      c = call(st, ev, false);
      if (!c) return false;
      if (c.stage !== 'talking') c.stage = 'ringing';
      c.agent = ev.agent || c.agent;
      return true;
    case 'call.answered':
      c = call(st, ev, !st.group || mine(st, ev.group));
      if (!c) return false;
      c.stage = 'talking';
      c.agent = ev.agent || c.agent;
      if (!c.answered) c.answered = ts;
      if (ev.group && !c.group) c.group = ev.group;
      return true;
    case 'call.hold':
    case 'call.resume':
      c = call(st, ev, false);
      if (!c || (c.stage !== 'talking' && c.stage !== 'held')) return false;
      c.stage = name === 'call.hold' ? 'held' : 'talking';
      return true;
    case 'call.transfer':
      // The agent left; the caller's next step (a queue, a flow, a
      // number) follows as its own events.
      c = call(st, ev, false);
      if (!c) return false;
      c.stage = 'ivr';
      c.agent = null;
      return true;
    case 'call.monitor':
    case 'call.monitor_answered':
    case 'call.monitor_ended':
      // A supervisor's phone rings for the call, listens, or has left.
      c = call(st, ev, false);
      if (!c) return false;
      c.monitor = name === 'call.monitor' ? 'ringing' : name === 'call.monitor_answered' ? 'listening' : null;
      return true;
    case 'call.offer_failed':
      c = call(st, ev, false);
      if (!c || c.stage === 'talking') return false;
      c.stage = c.enqueued ? 'waiting' : 'ivr';
      c.agent = null;
      return true;
    case 'call.no_agent':
      c = call(st, ev, false);
      if (!c) return false;
      c.stage = 'ivr';
      c.agent = null;
      return true;
    case 'call.ended':
      c = call(st, ev, false);
      if (!c) return false;
      ended(st, c, ev);
      return true;
    default:
      return false;
    }
  }

  function pct(inn, total) { return total ? Math.floor((100 * inn) / total) : null; }

  function view(st, now) {
    var groups = {}, tot = { waiting: 0, longest: 0, answered: 0, abandoned: 0, no_agent: 0, total: 0, sl_in: 0 };
    st.order.forEach(function (id) {
      var g = st.groups[id];
      groups[id] = {
        id: id, name: g.name, waiting: 0, longest: 0, answered: g.answered, abandoned: g.abandoned,
        no_agent: g.no_agent, total: g.total, sl_in: g.sl_in, sl: pct(g.sl_in, g.total),
      };
      ['answered', 'abandoned', 'no_agent', 'total', 'sl_in'].forEach(function (k) { tot[k] += g[k]; });
    });
    var calls = Object.keys(st.calls).map(function (id) { return st.calls[id]; })
      .filter(function (c) { return mine(st, c.group) || (!st.group && !c.group); })
      .map(function (c) {
        var from = c.stage === 'talking' || c.stage === 'held' ? c.answered || c.started :
          (c.stage === 'waiting' || c.stage === 'ringing') ? c.enqueued || c.started : c.started;
        var a = c.agent && st.agents[c.agent];
        var v = {
          id: c.id, caller: c.caller, direction: c.direction, stage: c.stage, group: c.group,
          groupName: st.groups[c.group] ? st.groups[c.group].name : '',
          agent: c.agent, agentName: a ? a.name : (c.agent || ''),
          seconds: Math.max(0, Math.floor((now - from) / 1000)),
          monitor: c.monitor || null,
        };
        if (c.stage === 'waiting' || c.stage === 'ringing') {
          var w = v.seconds, g = groups[c.group];
          tot.waiting++;
          tot.longest = Math.max(tot.longest, w);
          if (g) { g.waiting++; g.longest = Math.max(g.longest, w); }
        }
        return v;
      })
      .sort(function (x, y) { return y.seconds - x.seconds; });
    var agents = Object.keys(st.agents).map(function (id) { return st.agents[id]; })
      .filter(function (a) {
        return a.state && a.state !== 'logged_out' &&
          (!st.group || a.groups.indexOf(st.group) >= 0);
      })
      .map(function (a) {
        return {
          id: a.id, name: a.name, state: a.state, reason: a.reason, call: a.call,
          seconds: a.since ? Math.max(0, Math.floor((now - a.since) / 1000)) : null,
        };
      })
      .sort(function (x, y) { return x.name < y.name ? -1 : x.name > y.name ? 1 : 0; });
    var counts = {}, reasons = {};
    agents.forEach(function (a) {
      counts[a.state] = (counts[a.state] || 0) + 1;
      if (a.state === 'not_ready') reasons[a.reason || 'other'] = (reasons[a.reason || 'other'] || 0) + 1;
    });
    tot.sl = pct(tot.sl_in, tot.total);
    return {
      totals: tot, groups: st.order.map(function (id) { return groups[id]; }),
      calls: calls, agents: agents, counts: counts, reasons: reasons,
    };
  }

  // The colour of a figure: waits and waiting calls from a level up, the
  // service level below one (none while no call has ended today).
  function level(s, figure, value) {
    if (value === null || value === undefined) return '';
    if (figure === 'longest') return value >= s.wait_red_s ? 'red' : value >= s.wait_amber_s ? 'amber' : '';
    if (figure === 'waiting') return value >= s.waiting_red ? 'red' : value >= s.waiting_amber ? 'amber' : '';
    if (figure === 'sl') return value < s.sl_red ? 'red' : value < s.sl_amber ? 'amber' : '';
    return '';
  }

  var api = { load: load, apply: apply, view: view, level: level };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.ccWallboard = api;
})(this);
