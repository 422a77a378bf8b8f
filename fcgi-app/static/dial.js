/* Click-to-dial on the workbench: the dial box, and a call button beside
 * each phone field of the screen pop's contact form. Both POST
 * /cc/api/agent/dial; the B2BUA rings the agent's phone first, then the
 * number, and the call's events come on the event stream as any other's.
 * Text comes from the page (the box's data attributes, the server's
 * messages); everything here sets textContent. */
(function () {
  'use strict';

  var box = document.getElementById('dial-box');
  if (!box) return;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  var input = document.getElementById('dial-number');
  var status = document.getElementById('dial-status');
  var error = document.getElementById('dial-error');
  var button = document.getElementById('btn-dial');

  function dial(number) {
    error.textContent = '';
    status.textContent = '';
    button.disabled = true;
    return fetch('/cc/api/agent/dial', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ number: number })
    }).then(function (r) {
      return r.json().catch(function () { return { ok: false, message: r.statusText }; });
    }).then(function (j) {
      if (j.ok) {
        status.textContent = box.getAttribute('data-calling').replace('{number}', j.number);
      } else {
        error.textContent = j.message || box.getAttribute('data-failed');
      }
    }, function () {
      error.textContent = box.getAttribute('data-failed');
    }).then(function () {
      button.disabled = false;
    });
  }

  box.addEventListener('submit', function (e) {
    e.preventDefault();
    dial(input.value.trim());
  });

  /* The pop's phone numbers: one click calls the one shown. */
  Array.prototype.forEach.call(document.querySelectorAll('#contact-form .field-phone'), function (field) {
    var phone = field.querySelector('input');
    if (!phone) return;
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'btn btn-quiet btn-dial-field';
    b.textContent = box.getAttribute('data-call');
    b.setAttribute('data-column', field.getAttribute('data-column') || '');
    b.addEventListener('click', function () {
      var n = phone.value.trim();
      if (!n) return;
      input.value = n;
      dial(n);
    });
    phone.insertAdjacentElement('afterend', b);
  });
})();
