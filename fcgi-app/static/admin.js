/* The admin console's overview: keeps the agents' states and registrations
 * current from the event stream, and refreshes the queue figures from
 * /cc/api/admin/overview when queue or agent events arrive (at most every
 * 2 s). Everything is written with textContent. */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var strings = {};
  Array.prototype.forEach.call(document.querySelectorAll('#i18n [data-k]'), function (el) {
    strings[el.getAttribute('data-k')] = el.textContent;
  });
  var t = function (k) { return Object.prototype.hasOwnProperty.call(strings, k) ? strings[k] : k; };
  var pad = function (n) { return (n < 10 ? '0' : '') + n; };
  var clockOf = function (ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  };
  var duration = function (s) {
    return s >= 60 ? Math.floor(s / 60) + ':' + pad(s % 60) : '0:' + pad(s);
  };

  function badge(cls, text) {
    var b = document.createElement('span');
    b.className = 'badge ' + cls;
    b.textContent = text;
    return b;
  }

  function stateBadge(state, reason) {
    var text = t('state.' + state);
    if (state === 'not_ready' && reason) text += ' · ' + t('reason.' + reason);
    var b = badge('state-' + state, text);
    b.setAttribute('data-state', state);
    return b;
  }

  function row(agent) {
    return document.querySelector('#agents tr[data-agent-id="' + CSS.escape(agent) + '"]');
  }

  function replace(cell, node) {
    while (cell.firstChild) cell.removeChild(cell.firstChild);
    cell.appendChild(node);
  }

  function recount() {
    var states = Array.prototype.map.call(document.querySelectorAll('#agents .cell-state [data-state]'),
      function (b) { return b.getAttribute('data-state'); });
    $('stat-signed-in').textContent = states.filter(function (s) { return s !== 'logged_out'; }).length;
    $('stat-ready').textContent = states.filter(function (s) { return s === 'ready'; }).length;
    $('stat-on-call').textContent = states.filter(function (s) { return s === 'on_call' || s === 'reserved'; }).length;
  }

  function renderQueues(queues) {
    var body = $('queues').tBodies[0], waiting = 0;
    while (body.firstChild) body.removeChild(body.firstChild);
    queues.forEach(function (q) {
      var tr = body.insertRow();
      tr.setAttribute('data-queue-id', String(q.id));
      [q.name, q.waiting, duration(Math.floor((q.oldest_wait_ms || 0) / 1000)), q.agents_ready,
        q.agents_signed_in].forEach(function (v, i) {
        var td = tr.insertCell();
        td.textContent = v === undefined || v === null ? '' : String(v);
        if (i) td.className = i === 2 ? 'num mono' : 'num';
      });
      waiting += q.waiting || 0;
    });
    $('stat-waiting').textContent = waiting;
  }

  var pending = null, last = 0;
  function refresh() {
    if (pending) return;
    var wait = Math.max(0, 2000 - (Date.now() - last));
    pending = setTimeout(function () {
      last = Date.now();
      fetch('/cc/api/admin/overview', { credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (j) { pending = null; if (j.ok) renderQueues(j.queues || []); },
          function () { pending = null; });
    }, wait);
  }

  var es = new EventSource('/cc/events');
  var on = function (name, fn) {
    es.addEventListener(name, function (m) {
      var d;
      try { d = JSON.parse(m.data); } catch (err) { return; }
      fn(d);
    });
  };
  var link = function (up) { $('b2bua-status').hidden = !!up; };
  on('hello', function (d) { link(d.link); });
  on('link', function (d) { link(d.up); if (d.up) refresh(); });
  on('agent.state', function (d) {
    var tr = row(d.agent);
    if (!tr) return;
    replace(tr.querySelector('.cell-state'), stateBadge(d.state, d.reason));
    var since = tr.querySelector('.cell-since');
    since.textContent = d.ts ? clockOf(d.ts) : '';
    since.setAttribute('data-since', d.ts || '');
    recount();
    refresh();
  });
  on('agent.registration', function (d) {
    var tr = row(d.agent);
    if (!tr) return;
    replace(tr.querySelector('.cell-reg'),
      badge(d.registered ? 'reg-on' : 'reg-off', t(d.registered ? 'wb.registered' : 'wb.unregistered')));
  });
  on('call.queued', refresh);
  on('bye', function () { es.close(); window.location.href = '/cc/login'; });
})();
