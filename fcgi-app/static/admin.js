/* The admin console's overview: keeps the agents' states and registrations
 * current from the event stream, and refreshes the queue figures from
 * /cc/api/admin/overview when queue or agent events arrive (at most every
 * 2 s). Everything is written with textContent. */
(function () {
  'use strict';

  var $ = cc.$, t = cc.t, clockOf = cc.clockOf, duration = cc.duration;

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

  var link = function (up) { $('b2bua-status').hidden = !!up; };
  cc.events({
    hello: function (d) { link(d.link); },
    link: function (d) { link(d.up); if (d.up) refresh(); },
    'agent.state': function (d) {
      var tr = row(d.agent);
      if (!tr) return;
      replace(tr.querySelector('.cell-state'), stateBadge(d.state, d.reason));
      var since = tr.querySelector('.cell-since');
      since.textContent = d.ts ? clockOf(d.ts) : '';
      since.setAttribute('data-since', d.ts || '');
      recount();
      refresh();
    },
    'agent.registration': function (d) {
      var tr = row(d.agent);
      if (!tr) return;
      replace(tr.querySelector('.cell-reg'),
        badge(d.registered ? 'reg-on' : 'reg-off', t(d.registered ? 'wb.registered' : 'wb.unregistered')));
    },
    'call.queued': refresh,
    bye: function (d, es) { es.close(); window.location.href = '/cc/login'; },
  });
})();
