/* The agent workbench: live state from the event stream, the state buttons,
 * the ringing banner, the screen pop (the contact form filled from the `pop`
 * event), one-click save. Text comes from the page (#i18n), never built
 * into markup: everything here sets textContent or form values. */
(function () {
  'use strict';

  var $ = cc.$, t = cc.t;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';

  var stateEl = $('state'), timerEl = $('state-timer'), stateErr = $('state-error');
  var ringing = $('ringing'), pop = $('pop'), idle = $('idle'), form = $('contact-form');
  var saveStatus = $('save-status'), callStatus = $('call-status');
  var current = { state: stateEl.getAttribute('data-state'), since: +stateEl.getAttribute('data-since') || 0 };
  var currentCall = null;

  /* --- agent state ------------------------------------------------------- */
  function showState(state, reason, since) {
    current.state = state || 'unknown';
    current.since = since || Date.now();
    stateEl.className = 'badge state-' + current.state;
    stateEl.setAttribute('data-state', current.state);
    stateEl.setAttribute('data-reason', reason || '');
    var text = t('state.' + current.state);
    if (current.state === 'not_ready' && reason) text += ' · ' + t('reason.' + reason);
    stateEl.textContent = text;
    updateButtons();
    tick();
  }

  function updateButtons() {
    var s = current.state;
    var out = s === 'logged_out' || s === 'unknown';
    $('btn-signin').disabled = !out;
    $('btn-ready').disabled = out || s === 'ready';
    $('btn-break').disabled = out || s === 'not_ready';
    $('break-reason').disabled = out || s === 'not_ready';
    $('btn-signout').disabled = s === 'logged_out';
  }

  function tick() {
    timerEl.textContent = current.since && current.state !== 'unknown'
      ? cc.duration((Date.now() - current.since) / 1000) : '';
  }
  setInterval(tick, 1000);

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, message: r.statusText }; })
        .then(function (j) { j.status = r.status; return j; });
    });
  }

  function askState(state, reason) {
    stateErr.textContent = '';
    var body = { state: state };
    if (reason) body.reason = reason;
    var buttons = document.querySelectorAll('.state-actions button');
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    post('/cc/api/agent/state', body).then(function (j) {
      if (j.ok && j.agent) {
        showState(j.agent.state, j.agent.reason, j.agent.since);
        if (j.agent.pending) stateErr.textContent = t('state.' + j.agent.pending) + ' …';
      } else {
        stateErr.textContent = t('wb.state_failed') + (j.message ? ': ' + j.message : '');
        updateButtons();
      }
    }, function () {
      stateErr.textContent = t('wb.state_failed');
      updateButtons();
    });
  }

  $('btn-signin').addEventListener('click', function () { askState('ready'); });
  $('btn-ready').addEventListener('click', function () { askState('ready'); });
  $('btn-break').addEventListener('click', function () { askState('not_ready', $('break-reason').value); });
  $('btn-signout').addEventListener('click', function () { askState('logged_out'); });

  /* --- the call panel ---------------------------------------------------- */
  function setCallStatus(key, cls) {
    callStatus.className = 'badge ' + (cls || '');
    callStatus.textContent = t(key);
  }

  function showRinging(ev) {
    ringing.classList.remove('missed');
    ringing.querySelector('.ring-label').textContent = t('wb.ringing');
    $('ringing-caller').textContent = ev.caller || '';
    $('ringing-name').textContent = ev.contact_name || t('wb.unknown_caller');
    ringing.setAttribute('data-call-id', ev.call || '');
    ringing.setAttribute('data-ts', ev.ts || '');
    ringing.hidden = false;
  }

  function hideRinging(callId) {
    if (!callId || ringing.getAttribute('data-call-id') === callId) ringing.hidden = true;
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll('.field'), function (f) {
      f.classList.remove('has-error');
      var e = $('err-' + f.getAttribute('data-column'));
      if (e) e.textContent = '';
    });
  }

  function fillForm(contact, prefill) {
    form.reset();
    clearErrors();
    form.elements._id.value = contact && contact.id ? contact.id : '';
    (contact && contact.fields || []).forEach(function (f) {
      var el = form.elements[f.column];
      if (el && f.value !== null && f.value !== undefined) el.value = f.value;
    });
    if (prefill && form.elements[prefill.column]) form.elements[prefill.column].value = prefill.value || '';
  }

  function durationText(s) {
    return s === null || s === undefined ? '—' : cc.duration(s);
  }

  function fillRecent(list) {
    var body = $('recent-calls').tBodies[0];
    while (body.firstChild) body.removeChild(body.firstChild);
    if (!list || !list.length) {
      var tr = body.insertRow(), td = tr.insertCell();
      td.colSpan = 5;
      td.textContent = t('wb.no_recent');
      tr.className = 'empty';
      return;
    }
    list.forEach(function (c) {
      var tr = body.insertRow();
      tr.setAttribute('data-call-id', c.call || '');
      var cells = [c.time || '', c.direction ? t('dir.' + c.direction) : '', c.agent || '—',
        c.result ? t('result.' + c.result) : '—', durationText(c.duration)];
      cells.forEach(function (v, i) {
        var td = tr.insertCell();
        td.textContent = v;
        if (i === 0) td.className = 'mono';
        if (i === 4) td.className = 'num mono';
      });
    });
  }

  // What the IVR flow attached to the call: name/value pairs.
  function fillData(list) {
    var dl = $('pop-data-list');
    while (dl.firstChild) dl.removeChild(dl.firstChild);
    (list || []).forEach(function (d) {
      var dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = d.name || '';
      dd.textContent = d.value || '';
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    $('pop-data').hidden = !(list && list.length);
  }

  function contactName(contact) {
    if (!contact || !contact.fields) return '';
    for (var i = 0; i < contact.fields.length; i++)
      if (contact.fields[i].column === 'name') return contact.fields[i].value || '';
    return '';
  }

  function showPop(ev) {
    var received = Date.now();
    currentCall = ev.call;
    hideRinging();
    idle.hidden = true;
    pop.setAttribute('data-call-id', ev.call || '');
    pop.setAttribute('data-ts', ev.ts || '');
    pop.setAttribute('data-received', received);
    pop.setAttribute('data-known', ev.known ? '1' : '0');
    pop.removeAttribute('data-ended');
    form.elements._call.value = ev.call || '';
    fillForm(ev.contact, ev.known ? null : ev.prefill);
    $('pop-caller').textContent = ev.caller || '';
    $('pop-title').textContent = ev.known ? contactName(ev.contact) : t('wb.unknown_caller');
    var ded = ev.contact && ev.contact.dedicated;
    $('pop-dedicated').textContent = ded ? t('agents.dedicated.agent') + ': ' + (ded.name || '') : '';
    $('pop-dedicated').hidden = !ded;
    setCallStatus('wb.answered', 'state-on_call');
    saveStatus.textContent = '';
    saveStatus.className = '';
    fillRecent(ev.recent);
    fillData(ev.data);
    pop.hidden = false;
    window.ccLastPop = { call: ev.call, ts: ev.ts, received: received };
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.disabled && el.tagName !== 'BUTTON') body[el.name] = el.value;
    });
    saveStatus.className = '';
    saveStatus.textContent = t('wb.saving');
    $('btn-save').disabled = true;
    post('/cc/api/contacts/save', body).then(function (j) {
      $('btn-save').disabled = false;
      clearErrors();
      if (j.ok) {
        form.elements._id.value = j.contact.id;
        pop.setAttribute('data-known', '1');
        $('pop-title').textContent = contactName(j.contact);
        saveStatus.className = 'ok';
        saveStatus.textContent = t('wb.saved') + ' ' + new Date().toLocaleTimeString();
        return;
      }
      saveStatus.className = 'bad';
      if (j.errors) {
        Object.keys(j.errors).forEach(function (col) {
          var err = $('err-' + col), field = form.querySelector('.field[data-column="' + CSS.escape(col) + '"]');
          if (err) err.textContent = j.errors[col];
          if (field) field.classList.add('has-error');
        });
        saveStatus.textContent = t('wb.save_failed');
      } else {
        saveStatus.textContent = j.message || t('wb.save_failed');
      }
    }, function () {
      $('btn-save').disabled = false;
      saveStatus.className = 'bad';
      saveStatus.textContent = t('wb.save_failed');
    });
  });

  /* --- the event stream ---------------------------------------------------- */
  function link(up) {
    $('b2bua-status').hidden = !!up;
    $('workbench').setAttribute('data-b2bua', up ? 'up' : 'down');
  }

  cc.events({
    hello: function (d) { link(d.link); },
    link: function (d) { link(d.up); },
    'agent.state': function (d) { showState(d.state, d.reason, d.ts); },
    'agent.registration': function (d) {
      var reg = $('reg');
      if (!reg) return;
      reg.className = 'badge ' + (d.registered ? 'reg-on' : 'reg-off');
      reg.setAttribute('data-registered', d.registered ? '1' : '0');
      reg.textContent = t(d.registered ? 'wb.registered' : 'wb.unregistered');
    },
    'call.ringing': showRinging,
    'call.answered': function (d) { hideRinging(d.call); },
    pop: showPop,
    'call.offer_failed': function (d) {
      if (ringing.getAttribute('data-call-id') !== d.call) return;
      ringing.classList.add('missed');
      ringing.querySelector('.ring-label').textContent = t('wb.offer_failed');
      setTimeout(function () { hideRinging(d.call); }, 6000);
    },
    'call.ended': function (d) {
      hideRinging(d.call);
      if (d.call && d.call === currentCall) {
        setCallStatus('wb.ended', '');
        pop.setAttribute('data-ended', '1');
      }
    },
    bye: function (d, es) {
      es.close();
      link(true);
      stateErr.textContent = t(d.reason === 'signed_out' ? 'wb.signed_out' : 'wb.expired');
      setTimeout(function () { window.location.href = '/cc/login'; }, 1500);
    },
  });

  updateButtons();
  tick();
})();
