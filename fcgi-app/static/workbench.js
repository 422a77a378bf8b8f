/* The agent workbench: live state from the event stream, the state buttons,
 * the ringing banner, the screen pop (the contact form filled from the `pop`
 * event, an outbound task's name and data, the call's intent and note),
 * one-click save, the conversation list (today's calls: online while up,
 * left after; a click reopens a call's form). Text comes from the page (#i18n), never built
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

  function fillNote(note) {
    form.elements._intent.value = note && note.intent || '';
    form.elements._note.value = note && note.note || '';
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

  // opts (a reopened call from the list): {ended, note, direction}.
  function showPop(ev, opts) {
    opts = opts || {};
    var received = Date.now();
    currentCall = ev.call;
    hideRinging();
    idle.hidden = true;
    pop.setAttribute('data-call-id', ev.call || '');
    pop.setAttribute('data-ts', ev.ts || '');
    pop.setAttribute('data-received', received);
    pop.setAttribute('data-known', ev.known ? '1' : '0');
    if (opts.ended) pop.setAttribute('data-ended', '1'); else pop.removeAttribute('data-ended');
    pop.setAttribute('data-task', ev.task || 0);
    pop.setAttribute('data-target', ev.target || 0);
    form.elements._call.value = ev.call || '';
    fillForm(ev.contact, ev.known ? null : ev.prefill);
    if (!ev.known && ev.prefill_name && form.elements[ev.prefill_name.column])
      form.elements[ev.prefill_name.column].value = ev.prefill_name.value || '';
    fillNote(opts.note || ev.note);
    $('pop-task-name').textContent = ev.task_name || '';
    $('pop-task').hidden = !ev.task;
    var dataTitle = $('pop-data-title');
    dataTitle.textContent = dataTitle.getAttribute(ev.task ? 'data-task' : 'data-call');
    $('pop-caller').textContent = ev.caller || '';
    $('pop-title').textContent = ev.known ? contactName(ev.contact) : t('wb.unknown_caller');
    var ded = ev.contact && ev.contact.dedicated;
    $('pop-dedicated').textContent = ded ? t('agents.dedicated.agent') + ': ' + (ded.name || '') : '';
    $('pop-dedicated').hidden = !ded;
    if (opts.ended) setCallStatus('wb.ended', ''); else setCallStatus('wb.answered', 'state-on_call');
    icShow(opts.ended ? null : ev.call);
    recFor(ev.call, !opts.ended);
    saveStatus.textContent = '';
    saveStatus.className = '';
    fillRecent(ev.recent);
    fillData(ev.data);
    pop.hidden = false;
    if (!opts.reopened)
      convUpsert(ev.call, {
        number: ev.caller, name: ev.known ? contactName(ev.contact) : '',
        direction: directions[ev.call] || (ev.task ? 'outbound' : 'inbound'), online: true
      });
    convCurrent(ev.call);
    window.ccLastPop = { call: ev.call, ts: ev.ts, received: received };
  }

  /* --- the call's recording (docs/recording.md) --------------------------------
   * The buttons ask; the B2BUA decides by the call's policy (a refusal's
   * message is shown); call.recording events say what is in force. */
  var rec = $('rec-controls');
  function showRec(state) {
    rec.setAttribute('data-state', state);
    $('rec-state').textContent = t('wb.rec.' + state);
    $('rec-state').className = 'badge' + (state === 'on' ? ' state-on_call' : '');
  }
  function recFor(call, live) {
    rec.hidden = !live;
    rec.setAttribute('data-call-id', call || '');
    $('rec-error').textContent = '';
    if (live) showRec('off');
  }
  Array.prototype.forEach.call(rec.querySelectorAll('button'), function (b) {
    b.addEventListener('click', function () {
      $('rec-error').textContent = '';
      post('/cc/api/agent/call/record', { op: b.getAttribute('data-op') }).then(function (j) {
        if (j.ok) showRec(j.recording);
        else $('rec-error').textContent = j.message || t('wb.rec.failed');
      }, function () { $('rec-error').textContent = t('wb.rec.failed'); });
    });
  });
  var recWord = { started: 'on', resumed: 'on', paused: 'paused', stopped: 'off' };

  /* --- the conversation list ----------------------------------------------- */
  var convList = $('conv-list'), directions = {};

  function convItem(call) {
    return convList.querySelector('.conv[data-call-id="' + CSS.escape(call) + '"]');
  }

  function convPresence(li, online) {
    li.setAttribute('data-online', online ? '1' : '0');
    li.querySelector('.phone-icon').className = 'phone-icon ' + (online ? 'phone-online' : 'phone-left');
    li.querySelector('.conv-presence').textContent = t(online ? 'wb.conv.online' : 'wb.conv.left');
  }

  function convWho(li, name, number) {
    var who = li.querySelector('.conv-who');
    while (who.firstChild) who.removeChild(who.firstChild);
    if (name) { who.textContent = name; return; }
    var n = document.createElement('span');
    n.className = 'mono';
    n.textContent = number || '';
    who.appendChild(n);
  }

  // Adds the call at the top of the list, or updates its entry.
  function convUpsert(call, c) {
    if (!call) return;
    var li = convItem(call);
    if (!li) {
      li = document.createElement('li');
      li.className = 'conv';
      li.setAttribute('data-call-id', call);
      var b = document.createElement('button'), icon = document.createElement('span'),
        who = document.createElement('span'), meta = document.createElement('span');
      b.type = 'button';
      b.className = 'conv-open';
      icon.className = 'phone-icon';
      icon.setAttribute('aria-hidden', 'true');
      who.className = 'conv-who';
      meta.className = 'conv-meta muted';
      ['conv-dir', 'conv-time mono', 'conv-presence'].forEach(function (cls, i) {
        if (i) meta.appendChild(document.createTextNode(' · '));
        var sp = document.createElement('span');
        sp.className = cls;
        meta.appendChild(sp);
      });
      b.appendChild(icon);
      b.appendChild(who);
      b.appendChild(meta);
      li.appendChild(b);
      li.setAttribute('data-direction', c.direction || 'inbound');
      li.querySelector('.conv-dir').textContent = t('dir.' + (c.direction || 'inbound'));
      var now = new Date();
      li.querySelector('.conv-time').textContent =
        ('0' + now.getHours()).slice(-2) + ':' + ('0' + now.getMinutes()).slice(-2);
      convList.insertBefore(li, convList.firstChild);
      $('conv-empty').hidden = true;
    }
    convWho(li, c.name, c.number);
    convPresence(li, c.online);
  }

  function convCurrent(call) {
    Array.prototype.forEach.call(convList.querySelectorAll('.conv'), function (li) {
      li.classList.toggle('current', li.getAttribute('data-call-id') === call);
    });
  }

  function convIntent(li, label) {
    var el = li.querySelector('.conv-intent');
    if (!el && label) {
      li.querySelector('.conv-meta').appendChild(document.createTextNode(' · '));
      el = document.createElement('span');
      el.className = 'conv-intent';
      li.querySelector('.conv-meta').appendChild(el);
    }
    if (el) el.textContent = label;
  }

  convList.addEventListener('click', function (e) {
    var li = e.target.closest('.conv');
    if (!li) return;
    var call = li.getAttribute('data-call-id');
    $('conv-error').textContent = '';
    fetch('/cc/api/workbench/calls/' + encodeURIComponent(call), { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (!j.ok) throw new Error(j.message || '');
        var online = li.getAttribute('data-online') === '1' && !j.ended;
        j.pop.ts = 0;
        showPop(j.pop, { reopened: true, ended: !online, note: j.note });
      })
      .catch(function () { $('conv-error').textContent = t('wb.conv.open_failed'); });
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    saveForm();
  });

  /* Saves the form; resolves to whether it was saved. */
  function saveForm() {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.disabled && el.tagName !== 'BUTTON') body[el.name] = el.value;
    });
    saveStatus.className = '';
    saveStatus.textContent = t('wb.saving');
    $('btn-save').disabled = true;
    return post('/cc/api/contacts/save', body).then(function (j) {
      $('btn-save').disabled = false;
      clearErrors();
      if (j.ok) {
        form.elements._id.value = j.contact.id;
        pop.setAttribute('data-known', '1');
        $('pop-title').textContent = contactName(j.contact);
        var li = body._call && convItem(body._call);
        if (li) {
          convWho(li, contactName(j.contact), li.querySelector('.conv-who').textContent);
          var sel = form.elements._intent;
          convIntent(li, sel.value ? sel.options[sel.selectedIndex].textContent : '');
        }
        saveStatus.className = 'ok';
        saveStatus.textContent = t('wb.saved') + ' ' + new Date().toLocaleTimeString();
        return true;
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
      return false;
    }, function () {
      $('btn-save').disabled = false;
      saveStatus.className = 'bad';
      saveStatus.textContent = t('wb.save_failed');
      return false;
    });
  }

  /* --- in-call controls (docs/incall.md) ------------------------------------ */
  var incall = $('incall'), transferBox = $('transfer-box'), icError = $('incall-error');
  var ic = { call: null, held: false, muted: false, heldSince: 0 }, targets = null;

  function icShow(callId) {
    ic = { call: callId, held: false, muted: false, heldSince: 0 };
    incall.hidden = !callId;
    transferBox.hidden = true;
    $('btn-transfer').setAttribute('aria-expanded', 'false');
    icError.textContent = '';
    icRender();
  }

  function icRender() {
    var hold = $('btn-hold'), mute = $('btn-mute'), badge = $('incall-state');
    hold.textContent = t(ic.held ? 'ic.resume' : 'ic.hold');
    hold.setAttribute('aria-pressed', ic.held ? 'true' : 'false');
    mute.textContent = t(ic.muted ? 'ic.unmute' : 'ic.mute');
    mute.setAttribute('aria-pressed', ic.muted ? 'true' : 'false');
    badge.hidden = !ic.held && !ic.muted;
    badge.className = 'badge ' + (ic.held ? 'state-not_ready' : 'state-wrap_up');
    badge.textContent = ic.held ? t('ic.held') : ic.muted ? t('ic.muted') : '';
    incall.setAttribute('data-held', ic.held ? '1' : '0');
    incall.setAttribute('data-muted', ic.muted ? '1' : '0');
  }

  function icTick() {
    $('hold-timer').textContent = ic.held && ic.heldSince ? cc.duration((Date.now() - ic.heldSince) / 1000) : '';
  }
  setInterval(icTick, 1000);

  /* The call is over for this agent: no more controls. */
  function icEnd() {
    incall.hidden = true;
    transferBox.hidden = true;
    $('consult-bar').hidden = true;
    ic.call = null;
  }

  function icAct(action, body) {
    icError.textContent = '';
    Array.prototype.forEach.call(incall.querySelectorAll('button'), function (b) { b.disabled = true; });
    return post('/cc/api/agent/call/' + action, body || {}).then(function (j) {
      Array.prototype.forEach.call(incall.querySelectorAll('button'), function (b) { b.disabled = false; });
      if (!j.ok) icError.textContent = j.message || t('ic.failed');
      return j;
    }, function () {
      Array.prototype.forEach.call(incall.querySelectorAll('button'), function (b) { b.disabled = false; });
      icError.textContent = t('ic.failed');
      return { ok: false };
    });
  }

  $('btn-hold').addEventListener('click', function () { icAct(ic.held ? 'resume' : 'hold'); });
  $('keys-box').addEventListener('submit', function (e) {
    e.preventDefault();
    var keys = $('keys').value.replace(/\s/g, '').toUpperCase();
    if (!/^[0-9*#A-D]{1,32}$/.test(keys)) { icError.textContent = t('b2bua.bad_keys'); return; }
    icAct('dtmf', { digits: keys }).then(function (j) { if (j.ok) $('keys').value = ''; });
  });
  $('btn-mute').addEventListener('click', function () { icAct(ic.muted ? 'unmute' : 'mute'); });
  $('btn-hangup').addEventListener('click', function () {
    if (window.confirm(t('ic.ask_hangup'))) icAct('hangup');
  });

  function fillTargets() {
    var kind = $('transfer-kind').value, sel = $('transfer-target'), num = $('transfer-number');
    num.hidden = kind !== 'number';
    sel.hidden = kind === 'number';
    while (sel.firstChild) sel.removeChild(sel.firstChild);
    if (kind === 'number' || !targets) return;
    var list = targets[kind + 's'] || [];
    list.forEach(function (x) {
      var o = document.createElement('option');
      o.value = kind + ':' + x.id;
      o.textContent = x.name + (x.state ? ' · ' + t('state.' + x.state) : '');
      if (kind === 'agent' && !x.registered) o.disabled = true;
      sel.appendChild(o);
    });
    if (!list.length) {
      var none = document.createElement('option');
      none.value = '';
      none.textContent = t('ic.no_targets');
      sel.appendChild(none);
    }
  }

  $('btn-transfer').addEventListener('click', function () {
    var open = transferBox.hidden;
    transferBox.hidden = !open;
    this.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (!open) return;
    fetch('/cc/api/agent/transfer-targets', { credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (!j.ok) throw new Error(j.message);
        targets = j;
        fillTargets();
      })
      .catch(function () { icError.textContent = t('ic.failed'); });
  });
  $('transfer-kind').addEventListener('change', function () {
    fillTargets();
    $('btn-consult').hidden = $('transfer-kind').value !== 'agent';
  });

  /* Consult: the caller waits on hold, the agent talks to the other agent,
   * then completes the transfer (saving the record first) or goes back. */
  function targetName(id) {
    var a = (targets && targets.agents || []).filter(function (x) { return x.id === id; })[0];
    return a ? a.name : id;
  }
  function consultShow(state, id) {
    var bar = $('consult-bar');
    bar.hidden = !state;
    bar.setAttribute('data-state', state || '');
    if (state) {
      $('consult-state').textContent = t(state === 'talking' ? 'ic.consult_talking' : 'ic.consulting')
        .replace('{name}', targetName(id));
    }
    $('btn-consult-complete').disabled = state !== 'talking';
  }
  $('btn-consult').addEventListener('click', function () {
    var to = $('transfer-target').value;
    if (!/^agent:/.test(to)) { icError.textContent = t('b2bua.bad_target'); return; }
    icAct('consult', { to: to }).then(function (j) { if (j.ok) transferBox.hidden = true; });
  });
  $('btn-consult-complete').addEventListener('click', function () {
    saveForm().then(function (saved) { if (saved) icAct('consult/complete'); });
  });
  $('btn-consult-cancel').addEventListener('click', function () { icAct('consult/cancel'); });

  transferBox.addEventListener('submit', function (e) {
    e.preventDefault();
    var kind = $('transfer-kind').value;
    var to = kind === 'number' ? 'number:' + $('transfer-number').value.replace(/[\s-]/g, '')
      : $('transfer-target').value;
    if (!to || /:$/.test(to)) { icError.textContent = t('b2bua.bad_target'); return; }
    $('btn-transfer-go').disabled = true;
    /* The record and the note go with the caller: saved first. */
    saveForm().then(function (saved) {
      if (!saved) { $('btn-transfer-go').disabled = false; return null; }
      return icAct('transfer', { to: to });
    }).then(function (j) {
      $('btn-transfer-go').disabled = false;
      if (j && j.ok) transferBox.hidden = true;
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
    'call.hold': function (d) {
      if (d.call !== ic.call) return;
      ic.held = true; ic.heldSince = d.ts || Date.now(); icRender(); icTick();
    },
    'call.resume': function (d) {
      if (d.call !== ic.call) return;
      ic.held = false; icRender(); icTick();
    },
    'call.consult': function (d) { if (d.call === ic.call) consultShow('ringing', d.to); },
    'call.consult_answered': function (d) { if (d.call === ic.call) consultShow('talking', d.to); },
    'call.consult_ended': function (d) { if (d.call === ic.call) consultShow(null); },
    'call.mute': function (d) { if (d.call === ic.call) { ic.muted = true; icRender(); } },
    'call.unmute': function (d) { if (d.call === ic.call) { ic.muted = false; icRender(); } },
    'call.transfer': function (d) {
      if (d.call !== currentCall) return;
      icEnd();
      setCallStatus('ic.transferred', '');
      var li = convItem(d.call);
      if (li) convPresence(li, false);
    },
    pop: showPop,
    'call.offer_failed': function (d) {
      if (ringing.getAttribute('data-call-id') !== d.call) return;
      ringing.classList.add('missed');
      ringing.querySelector('.ring-label').textContent = t('wb.offer_failed');
      setTimeout(function () { hideRinging(d.call); }, 6000);
    },
    'call.new': function (d) { if (d.call && d.direction) directions[d.call] = d.direction; },
    'call.recording': function (d) {
      if (d.call && d.call === rec.getAttribute('data-call-id') && recWord[d.recording])
        showRec(recWord[d.recording]);
    },
    'call.ended': function (d) {
      hideRinging(d.call);
      var li = d.call && convItem(d.call);
      if (li) convPresence(li, false);
      if (d.call && d.call === currentCall) {
        if (ic.call === d.call || callStatus.textContent !== t('ic.transferred'))
          setCallStatus('wb.ended', '');
        pop.setAttribute('data-ended', '1');
        icEnd();
        recFor(d.call, false);
      }
    },
    bye: function (d, es) {
      es.close();
      link(true);
      stateErr.textContent = t(d.reason === 'signed_out' ? 'wb.signed_out' : 'wb.expired');
      setTimeout(function () { window.location.href = '/cc/login'; }, 1500);
    },
  }, function (why) {
    stateErr.textContent = t(why === 'replaced' ? 'wb.stream_replaced' : 'wb.stream_closed');
  });

  updateButtons();
  tick();
})();
