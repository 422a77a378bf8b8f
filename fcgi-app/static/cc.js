/* What the pages' scripts share (loaded before them on every signed-in
 * page): element lookup, the page's strings (#i18n, put there by the
 * template), clock formatting, and the event stream. */
(function () {
  'use strict';

  var strings = null;

  /* The page's text for catalogue key k (the key itself when missing). */
  function t(k) {
    if (!strings) {
      strings = {};
      Array.prototype.forEach.call(document.querySelectorAll('#i18n [data-k]'), function (el) {
        strings[el.getAttribute('data-k')] = el.textContent;
      });
    }
    return Object.prototype.hasOwnProperty.call(strings, k) ? strings[k] : k;
  }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  /* "HH:MM:SS" of a time in ms since the epoch. */
  function clockOf(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  /* A length of time in seconds as "M:SS", or "H:MM:SS" from an hour. */
  function duration(s) {
    s = Math.max(0, Math.floor(s));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + ':' + pad(m) : m) + ':' + pad(s % 60);
  }

  /* Opens the event stream (/cc/events) and calls handlers[name](data, es)
   * for each event of that name whose data is JSON. A stream the server
   * replaced by a newer one of the session (`bye`, reason "replaced": the
   * page is open in another tab) or refused (too many streams: the browser
   * does not reconnect then) stays closed, and onClosed(why), if given, is
   * told: "replaced" or "closed". url: the stream's address, /cc/events
   * unless given (the wallboard's asks for call events). Returns the
   * EventSource. */
  function events(handlers, onClosed, url) {
    var es = new EventSource(url || '/cc/events');
    var done = false;
    function closed(why) {
      if (done) return;
      done = true;
      es.close();
      document.documentElement.setAttribute('data-stream', why);
      if (onClosed) onClosed(why);
    }
    Object.keys(handlers).forEach(function (name) {
      es.addEventListener(name, function (m) {
        var d;
        try { d = JSON.parse(m.data); } catch (err) { return; }
        if (name === 'bye' && d.reason === 'replaced') return;
        handlers[name](d, es);
      });
    });
    es.addEventListener('bye', function (m) {
      if (/"replaced"/.test(m.data)) closed('replaced');
    });
    es.addEventListener('error', function () {
      if (es.readyState === EventSource.CLOSED) closed('closed');
    });
    return es;
  }

  window.cc = {
    $: function (id) { return document.getElementById(id); },
    t: t,
    pad: pad,
    clockOf: clockOf,
    duration: duration,
    events: events,
  };
})();
