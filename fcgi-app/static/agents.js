/* 客服管理 > 坐席: the agents' pages (templates/agents.xsl). Changes go
 * through the JSON API (/cc/api/admin/agents…) with the page's CSRF token
 * in X-CSRF-Token; a new SIP password is shown once, from the answer. The
 * list follows agents' states and phones from the event stream. The
 * import sends the file as the body and polls its progress. Everything is
 * written with textContent. */
(function () {
  'use strict';

  var $ = cc.$, t = cc.t;
  var page = $('agents-page');
  if (!page) return;
  var view = page.getAttribute('data-view');
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';

  function api(method, url, body, type) {
    var opts = { method: method, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } };
    if (body !== undefined) {
      if (type) {
        opts.headers['Content-Type'] = type;
        opts.body = body;
      } else {
        opts.headers['Content-Type'] = 'application/json';
        opts.body = JSON.stringify(body);
      }
    }
    return fetch(url, opts).then(function (res) {
      return res.json().catch(function () { return { ok: false, message: t('agents.failed') }; })
        .then(function (j) { j.status = res.status; return j; });
    }, function () { return { ok: false, status: 0, message: t('agents.failed') }; });
  }

  function message(text, ok) {
    var m = $('ag-message');
    if (!m) return;
    m.textContent = text;
    m.className = 'banner ' + (ok ? 'banner-ok' : 'alert-error');
    m.setAttribute('data-kind', ok ? 'ok' : 'bad');
    m.hidden = false;
  }

  function showPassword(ext, pw) {
    $('ag-password-ext').textContent = ext;
    $('ag-password-value').textContent = pw;
    $('ag-password').hidden = false;
  }

  function clearErrors() {
    Array.prototype.forEach.call(document.querySelectorAll('.field-error'), function (e) { e.textContent = ''; });
  }

  function showErrors(j) {
    clearErrors();
    var errs = j.errors || {};
    Object.keys(errs).forEach(function (k) {
      var e = $('err-' + k);
      if (e) e.textContent = errs[k];
    });
    message(j.message || t('agents.failed'), false);
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /* --- the list: live state and phone ------------------------------------ */
  function badge(cls, text) {
    var b = document.createElement('span');
    b.className = 'badge ' + cls;
    b.textContent = text;
    return b;
  }

  function replace(cell, node) {
    while (cell.firstChild) cell.removeChild(cell.firstChild);
    cell.appendChild(node);
  }

  function liveRow(agent) {
    return document.querySelector('#ag-list tr[data-id="' + CSS.escape(agent) + '"]');
  }

  function listView() {
    cc.events({
      /* The stream is open: what happens from now on is shown. */
      hello: function () { page.setAttribute('data-stream', 'open'); },
      'agent.state': function (d) {
        var tr = d.agent && liveRow(d.agent);
        if (!tr) return;
        var b = badge('state-' + d.state, t('state.' + d.state));
        b.setAttribute('data-state', d.state);
        replace(tr.querySelector('.cell-state'), b);
      },
      'agent.registration': function (d) {
        var tr = d.agent && liveRow(d.agent);
        if (!tr) return;
        var cell = tr.querySelector('.cell-reg');
        cell.setAttribute('data-registered', d.registered ? '1' : '0');
        replace(cell, badge(d.registered ? 'reg-on' : 'reg-off',
          t(d.registered ? 'agents.registered' : 'agents.unregistered')));
      },
    });
    ['ag-group', 'ag-state', 'ag-reg'].forEach(function (id) {
      var s = $(id);
      if (s) s.addEventListener('change', function () { $('ag-search').submit(); });
    });
  }

  /* --- the new agent's form and an agent's page ----------------------------- */
  function groupsValue() {
    return Array.prototype.filter.call(document.querySelectorAll('input.grp'), function (c) {
      return c.checked && !c.disabled;	/* disabled: through the department */
    }).map(function (c) {
      var id = c.getAttribute('data-id');
      return id + ':' + $('lvl-' + id).value;
    }).join(',');
  }

  function formView() {
    var form = $('ag-form');
    var id = form.getAttribute('data-id');
    var isNew = form.getAttribute('data-mode') === 'new';

    if (isNew) {
      var modeNew = $('mode-new'), modeOld = $('mode-existing');
      var sync = function () {
        $('new-fields').hidden = !modeNew.checked;
        $('existing-fields').hidden = modeNew.checked;
        $('name-field').hidden = !modeNew.checked;
      };
      modeNew.addEventListener('change', sync);
      modeOld.addEventListener('change', sync);
      sync();
      var sel = $('f-user_id');
      var search = debounce(function (q) {
        api('GET', '/cc/api/admin/agents/users?q=' + encodeURIComponent(q)).then(function (j) {
          while (sel.firstChild) sel.removeChild(sel.firstChild);
          (j.users || []).forEach(function (u) {
            var o = document.createElement('option');
            o.value = u.id;
            o.textContent = (u.name || '') + ' (' + (u.username || '') + ')';
            sel.appendChild(o);
          });
          if (!(j.users || []).length) {
            var o = document.createElement('option');
            o.disabled = true;
            o.textContent = t('agents.users.none');
            sel.appendChild(o);
          }
        });
      }, 250);
      $('f-user-q').addEventListener('input', function (e) { search(e.target.value); });
      search('');
    }

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var body = { extension: $('f-extension').value, groups: groupsValue() };
      var url = '/cc/api/admin/agents';
      if (isNew && $('mode-existing').checked) {
        body.user_id = $('f-user_id').value;
      } else if (isNew) {
        body.username = $('f-username').value;
        body.password = $('f-password').value;
        body.name = $('f-name').value;
      } else {
        body.name = $('f-name').value;
        url += '/' + encodeURIComponent(id);
      }
      $('ag-save').disabled = true;
      api('POST', url, body).then(function (j) {
        $('ag-save').disabled = false;
        if (!j.ok) { showErrors(j); return; }
        clearErrors();
        if (j.sip_password) showPassword(j.extension || (j.agent && j.agent.extension), j.sip_password);
        if (isNew) {
          message(t('agents.created'), true);
          form.closest('section').hidden = true;
          var a = document.createElement('a');
          a.href = '/cc/admin/agents/' + encodeURIComponent(j.agent.id);
          a.id = 'ag-created-link';
          a.className = 'btn';
          a.textContent = j.agent.name || j.agent.username;
          $('ag-message').appendChild(document.createTextNode(' '));
          $('ag-message').appendChild(a);
        } else {
          message(t('agents.saved'), true);
        }
      });
    });

    if (isNew) return;
    var base = '/cc/api/admin/agents/' + encodeURIComponent(id);

    $('ag-reset').addEventListener('click', function () {
      if (!window.confirm(t('agents.confirm_reset'))) return;
      api('POST', base + '/password', {}).then(function (j) {
        if (!j.ok) { message(j.message || t('agents.failed'), false); return; }
        showPassword(j.extension, j.sip_password);
      });
    });

    var toggle = $('ag-toggle');
    toggle.addEventListener('click', function () {
      var enabled = toggle.getAttribute('data-enabled') === '1';
      if (enabled && !window.confirm(t('agents.confirm_disable'))) return;
      api('POST', base + '/enabled', { enabled: !enabled }).then(function (j) {
        if (!j.ok) { message(j.message || t('agents.failed'), false); return; }
        toggle.setAttribute('data-enabled', enabled ? '0' : '1');
        toggle.textContent = t(enabled ? 'agents.enable' : 'agents.disable');
        $('ag-status').setAttribute('data-enabled', enabled ? '0' : '1');
        message(t(enabled ? 'agents.disabled' : 'agents.enabled_done'), true);
      });
    });

    $('ag-delete').addEventListener('click', function () {
      if (!window.confirm(t('agents.confirm_delete'))) return;
      api('POST', base + '/delete', {}).then(function (j) {
        if (!j.ok) { message(j.message || t('agents.failed'), false); return; }
        window.location.href = '/cc/admin/agents?done=deleted';
      });
    });

    /* Dedicated contacts. */
    var list = $('ded-list'), results = $('ded-results');
    function dedItem(c) {
      var li = document.createElement('li');
      li.setAttribute('data-id', c.id);
      var s = document.createElement('span');
      s.className = 'ded-name';
      s.textContent = c.name || c.id;
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn btn-quiet btn-sm ded-remove';
      b.setAttribute('data-id', c.id);
      b.textContent = t('agents.dedicated.remove');
      li.appendChild(s);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(b);
      return li;
    }
    list.addEventListener('click', function (e) {
      var b = e.target.closest('.ded-remove');
      if (!b) return;
      var cid = b.getAttribute('data-id');
      api('POST', base + '/dedicated', { remove: cid }).then(function (j) {
        if (!j.ok) { message(j.message || t('agents.failed'), false); return; }
        var li = list.querySelector('li[data-id="' + CSS.escape(cid) + '"]');
        if (li) li.parentNode.removeChild(li);
      });
    });
    var find = debounce(function (q) {
      while (results.firstChild) results.removeChild(results.firstChild);
      if (!q) return;
      api('GET', '/cc/api/admin/agents/contacts?q=' + encodeURIComponent(q)).then(function (j) {
        while (results.firstChild) results.removeChild(results.firstChild);
        (j.contacts || []).forEach(function (c) {
          var li = document.createElement('li');
          li.setAttribute('data-id', c.id);
          li.textContent = (c.name || '') + (c.phone ? ' · ' + c.phone : '') + ' ';
          var b = document.createElement('button');
          b.type = 'button';
          b.className = 'btn btn-sm ded-add';
          b.textContent = t('agents.dedicated.add');
          b.addEventListener('click', function () {
            api('POST', base + '/dedicated', { add: c.id }).then(function (r) {
              if (!r.ok) { message(r.message || t('agents.failed'), false); return; }
              if (!list.querySelector('li[data-id="' + CSS.escape(c.id) + '"]')) list.appendChild(dedItem(c));
              li.parentNode && li.parentNode.removeChild(li);
            });
          });
          li.appendChild(b);
          results.appendChild(li);
        });
        if (!(j.contacts || []).length) {
          var li = document.createElement('li');
          li.className = 'muted';
          li.textContent = t('agents.contacts.none');
          results.appendChild(li);
        }
      });
    }, 250);
    $('ded-q').addEventListener('input', function (e) { find(e.target.value.trim()); });
  }

  /* --- the import ----------------------------------------------------------- */
  function jobId() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join('');
  }

  function csvCell(s) {
    s = String(s == null ? '' : s);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function importView() {
    var form = $('imp-form'), bar = $('imp-progress'), status = $('imp-status');
    var passwords = null;
    $('imp-passwords').addEventListener('click', function () {
      if (!passwords) return;
      var lines = ['\ufeffusername,extension,sip_password'];
      passwords.forEach(function (p) {
        lines.push([p.username, p.extension, p.sip_password].map(csvCell).join(','));
      });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv' }));
      a.download = 'sip-passwords.csv';
      document.body.appendChild(a);
      a.click();
      a.parentNode.removeChild(a);
      passwords = null;	/* once */
      $('imp-passwords').hidden = true;
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var file = $('imp-file').files[0];
      if (!file) return;
      var job = jobId(), done = false;
      $('imp-start').disabled = true;
      $('imp-report').hidden = true;
      bar.hidden = false;
      bar.removeAttribute('value');	/* indeterminate until the count is known */
      status.textContent = t('agents.import.running');
      status.setAttribute('data-state', 'running');
      var poll = function () {
        if (done) return;
        api('GET', '/cc/api/admin/agents/import/' + job).then(function (j) {
          if (done) return;
          if (j.ok && j.total) {
            bar.max = j.total;
            bar.value = j.done;
          }
          setTimeout(poll, 300);
        });
      };
      setTimeout(poll, 300);
      api('POST', '/cc/api/admin/agents/import?job=' + job, file, 'text/csv').then(function (j) {
        done = true;
        $('imp-start').disabled = false;
        if (j.total !== undefined) {
          bar.max = j.total || 1;
          bar.value = j.total || 1;
        } else {
          bar.hidden = true;
        }
        if (j.status === 413 && !j.error) j.message = t('agents.import.too_large');
        if (!j.ok && j.total === undefined) {
          status.textContent = t('agents.import.failed') + ': ' + (j.message || '') +
            (j.line ? ' (' + t('agents.import.line') + ' ' + j.line + ')' : '');
          status.setAttribute('data-state', 'failed');
          status.setAttribute('data-error', j.error || '');
          return;
        }
        status.textContent = j.ok ? t('agents.import.done') : t('agents.import.failed') + ': ' + j.message;
        status.setAttribute('data-state', j.ok ? 'done' : 'failed');
        var sum = $('imp-summary');
        sum.textContent = t('agents.import.summary').replace('{created}', j.created)
          .replace('{unchanged}', j.unchanged).replace('{failed}', j.failed);
        sum.setAttribute('data-created', j.created);
        sum.setAttribute('data-unchanged', j.unchanged);
        sum.setAttribute('data-failed', j.failed);
        var tb = document.querySelector('#imp-errors tbody');
        while (tb.firstChild) tb.removeChild(tb.firstChild);
        (j.errors || []).forEach(function (er) {
          var tr = document.createElement('tr');
          tr.setAttribute('data-line', er.line);
          [String(er.line), er.field ? t('agents.col.' + er.field) : '', er.message].forEach(function (x) {
            var td = document.createElement('td');
            td.textContent = x;
            tr.appendChild(td);
          });
          tb.appendChild(tr);
        });
        passwords = (j.passwords || []).length ? j.passwords : null;
        $('imp-passwords').hidden = !passwords;
        $('imp-report').hidden = false;
      });
    });
  }

  if (view === 'list') listView();
  else if (view === 'import') importView();
  else formView();
})();
