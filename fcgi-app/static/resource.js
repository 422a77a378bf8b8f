/* Admin resource pages (list.xsl, form.xsl): a delete form asks first, with
 * the text of its data-confirm attribute. The pages work without this
 * script (the server checks everything); it only saves a slip of the mouse. */
(function () {
  'use strict';

  Array.prototype.forEach.call(document.querySelectorAll('form.res-delete[data-confirm]'), function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });
})();
