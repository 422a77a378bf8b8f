/* 未接来电 (templates/missed.xsl): claim, call back, release and the
 * outcome form, each a POST to /cc/api/missed/{id}/…; and the list kept
 * fresh: every REFRESH_MS (and after each action) the page is fetched
 * again and its rows, made by the server's template, replace these. A
 * refusal shows the server's message (e.g. "已被 张三 领取") in
 * #missed-status. Call back claims the number first (unless it is the
 * user's already), then sends the click-to-dial box (static/dial.js).
 * Text comes from the page; everything here sets textContent. */
(function () {
  'use strict';

  var REFRESH_MS = 10000;
  var root = document.getElementById('missed');
  if (!root) return;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var status = document.getElementById('missed-status');
  var form = document.getElementById('missed-outcome');
  var refreshes = 0;

  function post(id, action, body) {
    return fetch('/cc/api/missed/' + encodeURIComponent(id) + '/' + action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false }; });
    }, function () {
      return { ok: false };
    }).then(function (j) {
      if (!j.ok) j.message = j.message || cc.t('missed.failed');
      return j;
    });
  }

  /* The rows (and the total) of the page as the server makes it now. */
  function refresh() {
    return fetch(location.href, { credentials: 'same-origin' }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var rows = doc.getElementById('missed-rows');
      var old = document.getElementById('missed-rows');
      if (rows && old) old.parentNode.replaceChild(document.importNode(rows, true), old);
      var total = doc.getElementById('missed-total');
      if (total) document.getElementById('missed-total').textContent = total.textContent;
      refreshes++;
      root.setAttribute('data-refreshed', String(refreshes));
    }, function () {});
  }

  function say(text) {
    status.textContent = text || '';
  }

  function claim(tr) {
    if (tr.getAttribute('data-mine') === '1') return Promise.resolve({ ok: true });
    return post(tr.getAttribute('data-id'), 'claim');
  }

  function openOutcome(tr) {
    document.getElementById('mo-id').value = tr.getAttribute('data-id');
    document.getElementById('mo-who').textContent =
      tr.querySelector('[data-col="caller"] .mono').textContent;
    document.getElementById('mo-outcome').value = '';
    document.getElementById('mo-note').value = '';
    document.getElementById('mo-error').textContent = '';
    form.hidden = false;
    document.getElementById('mo-outcome').focus();
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('#missed-rows button') : null;
    if (!b) return;
    var tr = b.closest('tr');
    var id = tr.getAttribute('data-id');
    say('');
    if (b.classList.contains('missed-claim')) {
      b.disabled = true;
      post(id, 'claim').then(function (j) {
        if (!j.ok) say(j.message);
        return refresh();
      });
    } else if (b.classList.contains('missed-release')) {
      post(id, 'release').then(function (j) {
        if (!j.ok) say(j.message);
        return refresh();
      });
    } else if (b.classList.contains('missed-call')) {
      var box = document.getElementById('dial-box');
      claim(tr).then(function (j) {
        if (!j.ok) {
          say(j.message);
        } else if (box) {
          document.getElementById('dial-number').value = tr.getAttribute('data-dial');
          if (box.requestSubmit) box.requestSubmit();
          else box.dispatchEvent(new Event('submit', { cancelable: true }));
        }
        return refresh();
      });
    } else if (b.classList.contains('missed-set')) {
      openOutcome(tr);
    }
  });

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var err = document.getElementById('mo-error');
    var outcome = document.getElementById('mo-outcome').value;
    if (!outcome) {
      err.textContent = cc.t('missed.outcome_required');
      return;
    }
    post(document.getElementById('mo-id').value, 'outcome', {
      outcome: outcome, note: document.getElementById('mo-note').value
    }).then(function (j) {
      if (!j.ok) {
        err.textContent = j.message;
        return;
      }
      form.hidden = true;
      return refresh();
    });
  });
  document.getElementById('mo-cancel').addEventListener('click', function () {
    form.hidden = true;
  });

  setInterval(function () {
    if (!document.hidden) refresh();
  }, REFRESH_MS);
})();
