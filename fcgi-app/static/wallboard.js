/* 实时监控: draws the wallboard (templates/wallboard.xsl) from the
 * snapshot (/cc/api/wallboard) and keeps it live from the event stream
 * (/cc/events?calls=1) with wallboard-state.js; clocks tick every second,
 * and a new snapshot is taken every 5 minutes (and when the B2BUA link
 * comes back) to correct drift. Events that arrive while a snapshot is
 * being read are kept and applied to it. Everything is written with
 * textContent; a figure's colour is its data-level attribute. */
(function () {
  'use strict';

  var $ = cc.$, t = cc.t, duration = cc.duration, W = window.ccWallboard;
  var root = $('wallboard');
  var group = parseInt(root.getAttribute('data-group'), 10) || 0;
  var RESNAP_MS = 5 * 60 * 1000;
  var state = null, pending = null, loading = false;

  if (root.getAttribute('data-kiosk') === '1') document.body.classList.add('wb-kiosk');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function figure(id, text, lvl) {
    $('wb-' + id).textContent = text;
    $('fig-' + id).setAttribute('data-level', lvl || '');
  }

  function stateText(a) {
    var s = t('state.' + a.state);
    if (a.state === 'not_ready' && a.reason) s += ' · ' + t('reason.' + a.reason);
    return s;
  }

  function drawAgents(v) {
    Array.prototype.forEach.call(document.querySelectorAll('#wb-agent-counts li'), function (li) {
      li.querySelector('.wb-count').textContent = v.counts[li.getAttribute('data-state')] || 0;
    });
    // Breaks by reason: "休息 1 · 用餐 2".
    var r = document.querySelector('#wb-agent-counts li[data-state="not_ready"] .wb-reasons');
    if (r) {
      r.textContent = Object.keys(v.reasons).sort().map(function (k) {
        return t('reason.' + k) + ' ' + v.reasons[k];
      }).join(' · ');
    }
    var ul = $('wb-agent-list');
    clear(ul);
    if (!v.agents.length) ul.appendChild(el('li', 'wb-empty', t('wallboard.no_agents')));
    v.agents.forEach(function (a) {
      var li = el('li', 'wb-tile');
      li.setAttribute('data-agent-id', a.id);
      li.setAttribute('data-state', a.state);
      li.appendChild(el('span', 'wb-tile-name', a.name));
      var line = el('span', 'wb-tile-line');
      var b = el('span', 'badge state-' + a.state, stateText(a));
      b.setAttribute('data-state', a.state);
      line.appendChild(b);
      line.appendChild(el('span', 'mono wb-since', a.seconds === null ? '' : duration(a.seconds)));
      li.appendChild(line);
      ul.appendChild(li);
    });
  }

  function drawCalls(v) {
    var body = $('wb-calls').tBodies[0];
    clear(body);
    if (!v.calls.length) {
      var tr = body.insertRow();
      tr.className = 'empty';
      var td = tr.insertCell();
      td.colSpan = 6;
      td.textContent = t('wallboard.no_calls');
    }
    v.calls.forEach(function (c) {
      var tr = body.insertRow();
      tr.setAttribute('data-call-id', c.id);
      tr.setAttribute('data-stage', c.stage);
      [c.caller, c.groupName, t('wallboard.call.' + c.stage), c.agentName, duration(c.seconds)]
        .forEach(function (text, i) {
          var td = tr.insertCell();
          td.textContent = text || '';
          if (i === 4) td.className = 'num mono';
          if (i === 2) td.setAttribute('data-col', 'stage');
        });
      var act = tr.insertCell();
      act.setAttribute('data-col', 'listen');
      if (c.monitor) {
        act.appendChild(el('span', 'badge', t(c.monitor === 'listening' ? 'wallboard.listening' : 'wallboard.listen_ringing')));
      } else if (listenable && c.stage === 'talking') {
        var b = el('button', 'btn btn-quiet btn-sm', t('wallboard.listen'));
        b.type = 'button';
        b.setAttribute('data-listen', c.id);
        act.appendChild(b);
      }
    });
  }

  /* 监听: the supervisor's own phone is called and hears the call. */
  var listenable = root.getAttribute('data-listen') === '1';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  $('wb-calls').addEventListener('click', function (e) {
    var b = e.target.closest('button[data-listen]');
    if (!b) return;
    b.disabled = true;
    $('wb-listen-status').textContent = '';
    fetch('/cc/api/wallboard/calls/' + encodeURIComponent(b.getAttribute('data-listen')) + '/listen', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: '{}',
    }).then(function (r) { return r.json(); }).then(function (j) {
      b.disabled = false;
      $('wb-listen-status').textContent = j.ok ? t('wallboard.listen_calling') : (j.message || j.error || '');
    }).catch(function () {
      b.disabled = false;
      $('wb-listen-status').textContent = t('wallboard.listen_failed');
    });
  });

  function drawGroups(v, s) {
    var table = $('wb-groups');
    if (!table) return;
    var body = table.tBodies[0];
    clear(body);
    v.groups.forEach(function (g) {
      var tr = body.insertRow();
      tr.setAttribute('data-group-id', String(g.id));
      [[g.name], [g.waiting, W.level(s, 'waiting', g.waiting)],
        [duration(g.longest), W.level(s, 'longest', g.longest)],
        [g.sl === null ? '–' : g.sl + '%', W.level(s, 'sl', g.sl)], [g.answered], [g.abandoned]]
        .forEach(function (cell, i) {
          var td = tr.insertCell();
          td.textContent = String(cell[0]);
          if (i) td.className = 'num mono';
          if (cell[1]) td.setAttribute('data-level', cell[1]);
        });
    });
  }

  function draw() {
    if (!state) return;
    var v = W.view(state, Date.now()), s = state.settings, tot = v.totals;
    figure('waiting', tot.waiting, W.level(s, 'waiting', tot.waiting));
    figure('longest', duration(tot.longest), W.level(s, 'longest', tot.longest));
    figure('sl', tot.sl === null ? '–' : tot.sl + '%', W.level(s, 'sl', tot.sl));
    figure('answered', tot.answered);
    figure('abandoned', tot.abandoned);
    figure('no_agent', tot.no_agent);
    drawAgents(v);
    drawCalls(v);
    drawGroups(v, s);
    $('wb-b2bua').hidden = state.b2bua;
  }

  // Takes a snapshot; events arriving meanwhile are kept and applied to it.
  function snapshot() {
    if (loading) return;
    loading = true;
    pending = [];
    fetch('/cc/api/wallboard' + (group ? '?group=' + group : ''), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (!j.ok) throw new Error(j.error || 'snapshot');
        var st = W.load(j);
        pending.forEach(function (ev) { W.apply(st, ev); });
        state = st;
        root.setAttribute('data-snapshot', String(j.at));
      })
      .catch(function () { root.setAttribute('data-snapshot-error', String(Date.now())); })
      .then(function () {
        pending = null;
        loading = false;
        draw();
      });
  }

  function onEvent(ev) {
    if (pending) pending.push(ev);
    if (state && W.apply(state, ev)) draw();
  }

  var handlers = {
    hello: function () { snapshot(); },
    link: function (d) { if (d.up) snapshot(); else if (state) { state.b2bua = false; draw(); } },
    bye: function (d, es) { es.close(); window.location.href = '/cc/login'; },
  };
  ['agent.state', 'call.new', 'call.queued', 'call.offered', 'call.ringing', 'call.answered',
    'call.offer_failed', 'call.no_agent', 'call.ended', 'call.hold', 'call.resume',
    'call.transfer', 'call.monitor', 'call.monitor_answered', 'call.monitor_ended'].forEach(function (name) { handlers[name] = onEvent; });
  cc.events(handlers, function (why) {
    var b = $('wb-stale');
    b.textContent = t(why === 'replaced' ? 'wallboard.stream_replaced' : 'wallboard.stale');
    b.hidden = false;
  }, '/cc/events?calls=1');

  setInterval(draw, 1000);
  setInterval(snapshot, RESNAP_MS);

  var fs = $('wb-fullscreen');
  if (!document.fullscreenEnabled) fs.hidden = true;
  fs.addEventListener('click', function () {
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(function () {});
  });
  document.addEventListener('fullscreenchange', function () {
    document.body.classList.toggle('wb-kiosk',
      !!document.fullscreenElement || root.getAttribute('data-kiosk') === '1');
  });
  $('wb-group').addEventListener('change', function () { $('wb-scope').submit(); });
})();
