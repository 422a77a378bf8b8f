/* 外呼系统 > 任务列表: the tasks' pages (templates/task.xsl). Actions go
 * through the JSON API (/cc/api/admin/tasks…) with the page's CSRF token
 * in X-CSRF-Token; a refusal's text comes from the server. The new task's
 * form is sent as multipart/form-data while the load's progress is
 * polled; the monitor fetches its snapshot again on each task event of
 * its task. Everything is written with textContent. */
(function () {
  'use strict';

  var $ = cc.$, t = cc.t;
  var page = $('task-page');
  if (!page) return;
  var view = page.getAttribute('data-view');
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  function api(method, url, body) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } };
    if (body instanceof FormData) {
      opts.body = body;
    } else if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(url, opts).then(function (res) {
      return res.json().catch(function () { return { ok: false, message: t('task.failed') }; })
        .then(function (j) { j.status = res.status; return j; });
    }, function () { return { ok: false, status: 0, message: t('task.failed') }; });
  }

  function message(text, ok) {
    var m = $('tk-message');
    m.textContent = text;
    m.className = 'banner ' + (ok ? 'banner-ok' : 'alert-error');
    m.setAttribute('data-kind', ok ? 'ok' : 'bad');
    m.hidden = false;
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, k) {
      return values[k] !== undefined ? String(values[k]) : all;
    });
  }

  /* --- actions (list and monitor) ----------------------------------------------- */

  function act(id, action, body) {
    return api('POST', '/cc/api/admin/tasks/' + id + '/' + action, body || {}).then(function (j) {
      if (!j.ok) {
        message(j.message || t('task.failed'), false);
        return j;
      }
      message(t('task.done.' + action), true);
      setTimeout(function () { location.reload(); }, 600);
      return j;
    });
  }

  var dialog = $('tk-edit-dialog');
  var editing = null;
  if (dialog) {
    $('tk-edit-cancel').addEventListener('click', function () { dialog.close(); });
    $('tk-edit-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var body = { max_concurrency: $('tk-edit-max').value, agent_ratio: $('tk-edit-ratio').value };
      api('POST', '/cc/api/admin/tasks/' + editing + '/edit', body).then(function (j) {
        if (!j.ok) {
          $('tk-edit-error').textContent = j.message || t('task.failed');
          return;
        }
        dialog.close();
        message(t('task.done.edit'), true);
        setTimeout(function () { location.reload(); }, 600);
      });
    });
  }

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-action]') : null;
    if (!b) return;
    var id = b.getAttribute('data-id'), action = b.getAttribute('data-action');
    if (action === 'delete' && !window.confirm(t('task.confirm_delete'))) return;
    if (action === 'edit' && dialog) {
      editing = id;
      $('tk-edit-max').value = b.getAttribute('data-max');
      $('tk-edit-ratio').value = b.getAttribute('data-ratio');
      $('tk-edit-error').textContent = '';
      dialog.showModal();
      return;
    }
    b.disabled = true;
    act(id, action).then(function () { b.disabled = false; });
  });

  /* --- 新建任务 ------------------------------------------------------------------ */

  function newTask() {
    var form = $('tk-form');
    var group = $('f-group'), number = $('f-number');
    function numbers() {
      Array.prototype.forEach.call(number.options, function (o) {
        if (!o.value) return;
        o.hidden = o.getAttribute('data-group') !== group.value;
        if (o.hidden && o.selected) number.value = '';
      });
    }
    group.addEventListener('change', numbers);
    numbers();
    Array.prototype.forEach.call(document.querySelectorAll('input[name="source"]'), function (r) {
      r.addEventListener('change', function () {
        var csv = $('f-source-csv').checked;
        $('tk-source-csv').hidden = !csv;
        $('tk-source-contacts').hidden = csv;
      });
    });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      Array.prototype.forEach.call(document.querySelectorAll('.field-error'), function (e) { e.textContent = ''; });
      $('tk-report').hidden = true;
      var fd = new FormData(form);
      var results = [];
      Array.prototype.forEach.call(document.querySelectorAll('.tk-result'), function (c) {
        if (c.checked) results.push(c.value);
      });
      fd.set('retry_results', results.join(','));
      if ($('f-source-csv').checked) {
        var f = $('f-file').files[0];
        if (f && f.size > Number(form.getAttribute('data-max-kb')) * 1024) {
          message(t('task.load.too_big'), false);
          return;
        }
        if (f) fd.set('targets', f, f.name);
      }
      var job = '';
      for (var i = 0; i < 24; i++) job += Math.floor(Math.random() * 16).toString(16);
      var bar = $('tk-progress'), status = $('tk-status');
      bar.hidden = false;
      bar.value = 0;
      status.textContent = t('task.load.loading');
      $('tk-create').disabled = true;
      var timer = setInterval(function () {
        api('GET', '/cc/api/admin/tasks/load/' + job).then(function (j) {
          if (j.ok && j.total) bar.value = j.done / j.total;
        });
      }, 500);
      api('POST', '/cc/api/admin/tasks?job=' + job, fd).then(function (j) {
        clearInterval(timer);
        $('tk-create').disabled = false;
        if (!j.ok) {
          bar.hidden = true;
          status.textContent = '';
          if (j.field && $('err-' + j.field)) $('err-' + j.field).textContent = j.message;
          message(j.message + (j.line ? ' (' + t('task.line') + ' ' + j.line + ')' : ''), false);
          if (j.errors && j.errors.length) report(j);
          return;
        }
        bar.value = 1;
        status.textContent = fill(t('task.load.done'), j);
        status.setAttribute('data-state', j.state);
        report(j);
        var a = document.createElement('a');
        a.href = '/cc/admin/tasks/' + j.id;
        a.id = 'tk-created';
        a.className = 'btn';
        a.textContent = t('task.state.' + j.state);
        status.appendChild(document.createTextNode(' '));
        status.appendChild(a);
      });
    });
  }

  function report(j) {
    var body = $('tk-errors').querySelector('tbody');
    body.textContent = '';
    (j.errors || []).forEach(function (e) {
      var tr = document.createElement('tr');
      var a = document.createElement('td'), b = document.createElement('td');
      a.textContent = e.line;
      b.textContent = e.message;
      tr.appendChild(a);
      tr.appendChild(b);
      body.appendChild(tr);
    });
    $('tk-summary').textContent = fill(t('task.load.done'), j);
    $('tk-report').hidden = false;
  }

  /* --- 监控 ---------------------------------------------------------------------- */

  function rows(table, pairs) {
    var body = $(table).querySelector('tbody');
    body.textContent = '';
    pairs.forEach(function (p) {
      var tr = document.createElement('tr');
      var a = document.createElement('th'), b = document.createElement('td');
      a.textContent = p[0];
      b.textContent = p[1];
      b.className = 'n';
      tr.appendChild(a);
      tr.appendChild(b);
      body.appendChild(tr);
    });
  }

  function monitor() {
    var box = $('tk-monitor');
    var id = box.getAttribute('data-id');
    var pending = null, fetching = false;
    function show(s) {
      var task = s.task;
      var st = $('m-state').querySelector('.badge');
      st.textContent = t('task.state.' + task.state);
      st.setAttribute('data-state', task.state);
      st.className = 'badge task-state task-' + task.state;
      $('m-total').textContent = s.targets.total;
      $('m-done').textContent = s.targets.done;
      $('m-remaining').textContent = s.targets.remaining;
      $('m-max').textContent = task.max_concurrency;
      $('m-abandoned').textContent = s.targets.by_state.abandoned;
      Array.prototype.forEach.call(document.querySelectorAll('#m-targets tr'), function (tr) {
        var n = s.targets.by_state[tr.getAttribute('data-state')];
        tr.querySelector('.n').textContent = n === undefined ? 0 : n;
      });
      var live = s.live;
      $('m-live-error').hidden = !!live;
      ['dialing', 'ringing', 'answered', 'connected', 'concurrency', 'limit'].forEach(function (k) {
        $('m-' + k).textContent = live && live[k] !== undefined ? live[k] : '–';
      });
      $('m-abandon-rate').textContent = live && live.abandon_rate !== undefined
        ? (live.abandon_rate * 100).toFixed(1) + ' %' : '–';
      rows('m-attempts', (s.attempts || []).filter(function (a) { return a.result; }).map(function (a) {
        return [t('task.target.' + a.result) + (a.cause ? ' · ' + a.cause : ''), a.n];
      }));
      var ag = s.agents && s.agents.by_state ? s.agents.by_state : {};
      rows('m-agents', Object.keys(ag).map(function (k) { return [t('state.' + k), ag[k]]; }));
      box.setAttribute('data-updated', String(Date.now()));
    }
    function refresh() {
      if (fetching) { pending = true; return; }
      fetching = true;
      api('GET', '/cc/api/admin/tasks/' + id).then(function (s) {
        fetching = false;
        if (s.ok) show(s);
        if (pending) { pending = false; refresh(); }
      });
    }
    /* A task's calls change at call rates: one refresh a second at most. */
    var later = null;
    function soon() {
      if (later) return;
      later = setTimeout(function () { later = null; refresh(); }, 1000);
    }
    function mine(d) { return String(d.task) === id; }
    cc.events({
      'task.state': function (d) { if (mine(d)) refresh(); },
      'task.call': function (d) { if (mine(d)) soon(); },
    });
    refresh();
  }

  /* --- 免打扰号码 ------------------------------------------------------------------ */

  function dnc() {
    $('dnc-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var body = { numbers: $('dnc-numbers').value, note: $('dnc-note').value };
      $('dnc-add').disabled = true;
      api('POST', '/cc/api/admin/tasks/dnc', body).then(function (j) {
        $('dnc-add').disabled = false;
        var tbody = $('dnc-errors').querySelector('tbody');
        tbody.textContent = '';
        (j.errors || []).forEach(function (e) {
          var tr = document.createElement('tr');
          [e.line, e.message].forEach(function (v) {
            var td = document.createElement('td');
            td.textContent = v;
            tr.appendChild(td);
          });
          tbody.appendChild(tr);
        });
        $('dnc-report').hidden = !(j.errors && j.errors.length);
        if (!j.ok) {
          message(j.message || t('task.failed'), false);
          return;
        }
        message(fill(t('task.dnc.added'), j), true);
        if (!j.bad) setTimeout(function () { location.reload(); }, 1200);
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll('button.dnc-remove'), function (b) {
      b.addEventListener('click', function () {
        if (!window.confirm(t('task.dnc.confirm_remove'))) return;
        b.disabled = true;
        api('POST', '/cc/api/admin/tasks/dnc/remove', { numbers: [b.getAttribute('data-number')] })
          .then(function (j) {
            if (!j.ok) {
              b.disabled = false;
              message(j.message || t('task.failed'), false);
              return;
            }
            message(fill(t('task.dnc.removed'), j), true);
            var tr = b.closest('tr');
            if (tr) tr.parentNode.removeChild(tr);
          });
      });
    });
  }

  /* A task loading its targets: the list follows its bar until it is in. */
  if ((view === 'list') && document.querySelector('#tk-list tr[data-state="init"]')) {
    setTimeout(function () { location.reload(); }, 1500);
  }
  if (view === 'new') newTask();
  if (view === 'monitor') monitor();
  if (view === 'dnc') dnc();
})();
