/* The audio library's pages (templates/audio.xsl). A delete form asks
 * first (data-confirm). The upload form says at once when the chosen file
 * is larger than the server takes (#audio[data-max-bytes]) instead of
 * sending 5 MB for nothing; the server checks everything again, and the
 * pages work without this script. */
(function () {
  'use strict';

  function t(k) {
    var e = document.querySelector('#i18n [data-k="' + k + '"]');
    return e ? e.textContent : k;
  }

  Array.prototype.forEach.call(document.querySelectorAll('form.audio-delete[data-confirm]'), function (f) {
    f.addEventListener('submit', function (e) {
      if (!window.confirm(f.getAttribute('data-confirm'))) e.preventDefault();
    });
  });

  var form = document.getElementById('audio-upload-form');
  var input = document.getElementById('f-file');
  var err = document.getElementById('err-file');
  var root = document.getElementById('audio');
  if (!form || !input || !err || !root) return;
  var max = parseInt(root.getAttribute('data-max-bytes'), 10) || 0;

  function tooLarge() {
    var f = input.files && input.files[0];
    return f && max && f.size > max;
  }
  function show(text) {
    err.textContent = text;
    err.parentNode.classList.toggle('has-error', !!text);
  }
  input.addEventListener('change', function () {
    show(tooLarge() ? t('audio.err.too_large') : '');
  });
  form.addEventListener('submit', function (e) {
    if (!input.files || !input.files.length) {
      e.preventDefault();
      show(t('audio.err.no_file'));
    } else if (tooLarge()) {
      e.preventDefault();
      show(t('audio.err.too_large'));
    } else {
      var b = document.getElementById('audio-submit');
      if (b) { b.disabled = true; b.textContent = t('audio.uploading'); }
    }
  });
})();
