/* The workbench's browser phone (docs/softphone.md): JsSIP over a
 * WebSocket to Kamailio (through nginx's /ws), the agent's own SIP account
 * fetched from /cc/api/softphone for this session (never typed, never
 * stored in the browser), media by WebRTC (rtpengine bridges it to the
 * plain RTP the B2BUA anchors).
 *
 * The switch (#sp-enable) is remembered per browser and per agent in
 * localStorage; JsSIP (/cc/static/vendor/jssip.min.js) is loaded only when
 * it is on. The panel shows the registration, an incoming call with answer
 * and reject, the call with hang-up. The pop and the save are the
 * workbench's, from the event stream, as with a desk phone.
 *
 * window.ccSoftphone is the API the workbench's other controls use:
 *   enabled(), registered(), callState()  'none' | 'ringing' | 'talking' | 'held'
 *   enable(), disable()
 *   answer(), reject(), hangup(), hold(), unhold() (the browser's half of
 *               hold; {sip: true} sends a re-INVITE instead), mute(), unmute(),
 *   sendDTMF(digits), transfer(target) (a hook: a REFER in the call's dialog)
 *   stats()     a promise of {sent, received, codec}: RTP packets of the call
 *               and the codec the browser sends (e.g. "audio/PCMA")
 *   session()   the JsSIP RTCSession of the call, or null
 * and every change is a 'cc-softphone' event on document, detail
 * {reg, call, peer}.
 *
 * Text comes from the panel's data attributes; everything here sets
 * textContent. */
(function () {
  'use strict';

  var panel = document.getElementById('softphone');
  if (!panel) return;
  var el = function (id) { return document.getElementById(id); };
  var toggle = el('sp-enable'), body = el('sp-body'), regEl = el('sp-reg');
  var callBox = el('sp-call'), callState = el('sp-call-state'), peerEl = el('sp-peer');
  var btnAnswer = el('sp-answer'), btnReject = el('sp-reject'), btnHangup = el('sp-hangup');
  var errEl = el('sp-error'), audio = el('sp-audio');
  var storeKey = 'cc.softphone.' + (panel.getAttribute('data-agent-id') || '');
  var MEDIA = { audio: true, video: false };

  var ua = null;        // the JsSIP UA while enabled
  var session = null;   // the call (one at a time)
  var reg = 'off';
  var call = 'none';
  var generation = 0;   // bumps on every disable: late callbacks of an old UA are ignored

  function text(key) { return panel.getAttribute('data-t-' + key) || key; }

  function emit() {
    var detail = { reg: reg, call: call, peer: peerEl.textContent };
    try {
      document.dispatchEvent(new CustomEvent('cc-softphone', { detail: detail }));
    } catch (e) { /* a listener's error is its own */ }
  }

  function showReg(state) {
    reg = state;
    panel.setAttribute('data-state', state);
    regEl.setAttribute('data-reg', state);
    regEl.className = 'badge ' + (state === 'registered' ? 'reg-on' : 'reg-off');
    regEl.textContent = text(state);
    emit();
  }

  function showCall(state, peer) {
    call = state;
    callBox.setAttribute('data-call', state);
    callBox.hidden = state === 'none';
    if (peer !== undefined) peerEl.textContent = peer;
    callState.textContent = state === 'none' ? '' : text(state);
    btnAnswer.hidden = btnReject.hidden = state !== 'ringing';
    btnHangup.hidden = state !== 'talking' && state !== 'held';
    emit();
  }

  function fail(key) {
    errEl.textContent = text(key);
  }

  /* --- JsSIP, loaded on first use --------------------------------------- */
  var loading = null;
  function loadJsSIP() {
    if (window.JsSIP) return Promise.resolve(window.JsSIP);
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = '/cc/static/vendor/jssip.min.js';
      s.onload = function () { window.JsSIP ? resolve(window.JsSIP) : reject(new Error('JsSIP')); };
      s.onerror = function () { loading = null; reject(new Error('JsSIP')); };
      document.head.appendChild(s);
    });
    return loading;
  }

  function wsUrl(ws) {
    if (/^wss?:\/\//.test(ws)) return ws;
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + ws;
  }

  function credentials() {
    return fetch('/cc/api/softphone', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) {
        if (r.status === 404) throw new Error('no-account');
        if (!r.ok) throw new Error('failed');
        return r.json();
      });
  }

  /* --- the UA ------------------------------------------------------------ */
  function start() {
    errEl.textContent = '';
    if (!window.RTCPeerConnection || !navigator.mediaDevices) {
      showReg('failed');
      fail('unsupported');
      return;
    }
    var gen = generation;
    showReg('connecting');
    Promise.all([credentials(), loadJsSIP()]).then(function (got) {
      if (gen !== generation) return;
      var c = got[0], JsSIP = got[1];
      var socket = new JsSIP.WebSocketInterface(wsUrl(c.ws));
      ua = new JsSIP.UA({
        sockets: [socket],
        uri: c.uri,
        authorization_user: c.user,
        ha1: c.ha1,
        realm: c.realm,
        display_name: c.display,
        register: true,
        register_expires: 600,
        session_timers: false,
        user_agent: 'cc-softphone JsSIP/' + JsSIP.version
      });
      ua.on('registered', function () { if (gen === generation) showReg('registered'); });
      ua.on('unregistered', function () { if (gen === generation) showReg('unregistered'); });
      ua.on('registrationFailed', function () { if (gen === generation) showReg('failed'); });
      ua.on('disconnected', function () {
        if (gen === generation && reg === 'registered') showReg('connecting');
      });
      ua.on('newRTCSession', function (e) { if (gen === generation) onSession(e); });
      ua.start();
    }, function (e) {
      if (gen !== generation) return;
      showReg('failed');
      fail(e && e.message === 'no-account' ? 'no-account' : 'failed');
    });
  }

  function stop() {
    generation++;
    if (session) {
      try { session.terminate(); } catch (e) { /* already over */ }
    }
    session = null;
    if (ua) {
      var old = ua;
      ua = null;
      // Unregister, then close the socket.
      try { old.stop(); } catch (e) { /* gone */ }
    }
    audio.srcObject = null;
    showCall('none', '');
    showReg('off');
  }

  function remoteAudio(pc) {
    if (!pc) return;
    var attach = function () {
      var tracks = pc.getReceivers().map(function (r) { return r.track; })
        .filter(function (t) { return t && t.kind === 'audio'; });
      if (tracks.length) {
        audio.srcObject = new MediaStream(tracks);
        var p = audio.play();
        if (p && p.catch) p.catch(function () { /* autoplay refused: the call still flows */ });
      }
    };
    pc.addEventListener('track', attach);
    attach();
  }

  function peerOf(s) {
    var id = s.remote_identity;
    if (!id) return '';
    return (id.display_name ? id.display_name + ' ' : '') + (id.uri && id.uri.user ? id.uri.user : '');
  }

  function onSession(e) {
    var s = e.session;
    if (session && s !== session) {
      // One call at a time: a second one is busy here.
      if (e.originator === 'remote') s.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    session = s;
    var ended = function () {
      if (session !== s) return;
      session = null;
      audio.srcObject = null;
      showCall('none', '');
      callState.textContent = '';
    };
    s.on('peerconnection', function (ev) { remoteAudio(ev.peerconnection); });
    s.on('accepted', function () { showCall('talking'); remoteAudio(s.connection); });
    s.on('confirmed', function () { remoteAudio(s.connection); });
    s.on('hold', function () { showCall('held'); });
    s.on('unhold', function () { showCall('talking'); });
    s.on('ended', ended);
    s.on('failed', ended);
    if (e.originator === 'remote') {
      showCall('ringing', peerOf(s));
    } else {
      showCall('talking', peerOf(s));
    }
  }

  /* --- the API ------------------------------------------------------------- */
  var api = {
    enabled: function () { return !!ua || reg !== 'off'; },
    registered: function () { return reg === 'registered'; },
    callState: function () { return call; },
    session: function () { return session; },
    enable: function () {
      toggle.checked = true;
      try { localStorage.setItem(storeKey, '1'); } catch (e) { /* private mode */ }
      body.hidden = false;
      if (!ua) start();
    },
    disable: function () {
      toggle.checked = false;
      try { localStorage.removeItem(storeKey); } catch (e) { /* private mode */ }
      stop();
      body.hidden = true;
    },
    answer: function () {
      if (!session || call !== 'ringing') return false;
      errEl.textContent = '';
      // rtcOfferConstraints: an INVITE without SDP (the B2BUA's
      // click-to-dial leg) has no audio line for JsSIP to follow; our 200
      // then carries the offer, with audio.
      session.answer({ mediaConstraints: MEDIA, pcConfig: { iceServers: [] },
        rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false } });
      return true;
    },
    reject: function () {
      if (!session || call !== 'ringing') return false;
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return true;
    },
    hangup: function () {
      if (!session) return false;
      session.terminate();
      return true;
    },
    // Hold here is the browser's half: the microphone and the speaker off.
    // The customer's half (music on hold) is the B2BUA's, as for a desk
    // phone: the B2BUA refuses a phone's re-INVITE today, and JsSIP ends a
    // call whose hold re-INVITE fails, so a SIP hold is sent only when
    // asked for ({ sip: true }), for a far end that takes it.
    hold: function (opts) {
      if (!session || call !== 'talking') return false;
      if (opts && opts.sip) return session.hold();
      session.mute({ audio: true });
      audio.muted = true;
      showCall('held');
      return true;
    },
    unhold: function (opts) {
      if (!session || call !== 'held') return false;
      if (opts && opts.sip) return session.unhold();
      session.unmute({ audio: true });
      audio.muted = false;
      showCall('talking');
      return true;
    },
    mute: function () { if (session) session.mute({ audio: true }); return !!session; },
    unmute: function () { if (session) session.unmute({ audio: true }); return !!session; },
    sendDTMF: function (digits) {
      if (!session || call !== 'talking') return false;
      session.sendDTMF(String(digits), { transportType: 'RFC2833' });
      return true;
    },
    // Blind transfer inside the call's dialog; what the far end does with
    // the REFER is its own (docs/softphone.md).
    transfer: function (target) {
      if (!session || call !== 'talking') return false;
      session.refer(target);
      return true;
    },
    stats: function () {
      var pc = session && session.connection;
      if (!pc) return Promise.resolve({ sent: 0, received: 0, codec: '' });
      return pc.getStats().then(function (report) {
        var out = { sent: 0, received: 0, codec: '' };
        report.forEach(function (st) {
          if (st.kind !== 'audio' && st.mediaType !== 'audio') return;
          if (st.type === 'outbound-rtp') {
            out.sent += st.packetsSent || 0;
            var c = st.codecId && report.get(st.codecId);
            if (c) out.codec = c.mimeType;
          }
          if (st.type === 'inbound-rtp') out.received += st.packetsReceived || 0;
        });
        return out;
      });
    }
  };
  window.ccSoftphone = api;

  btnAnswer.addEventListener('click', api.answer);
  btnReject.addEventListener('click', api.reject);
  btnHangup.addEventListener('click', api.hangup);
  toggle.addEventListener('change', function () {
    if (toggle.checked) api.enable(); else api.disable();
  });
  // Unregister when the page goes away, so calls do not ring a closed tab.
  window.addEventListener('pagehide', function () { if (ua) stop(); });

  showCall('none', '');
  showReg('off');
  var on = false;
  try { on = localStorage.getItem(storeKey) === '1'; } catch (e) { /* private mode */ }
  if (on) api.enable();
})();
