// The browser phone (docs/softphone.md) against the real stack: Chromium
// with fake media devices signs in as agent1, who has no desk phone
// registered, turns on 浏览器电话 on the workbench; JsSIP registers over
// nginx's /ws to Kamailio (a ws contact in cc_location); a call from the
// sipp gateway to the skill group's number rings the browser, the test
// clicks 接听, the pop appears, audio flows both ways (rtpengine's packet
// counters of the gateway's leg, of the B2BUA's side of Kamailio's WebRTC
// hop and of the browser's side all grow; the browser's RTCPeerConnection
// sent and received packets), then the browser hangs up and the gateway's
// call ends. Also: the credentials route refuses an anonymous request and
// an admin, and gives agent2's session agent2's account; a second call is
// rejected from the panel (拒接) and the caller is not connected to it.
//
// Run by scripts/test.sh browser (node tests/browser/t_softphone.js).
// Starts the stack in a private state folder and stops it, and every sipp
// it started, at the end, on failure, on a signal, and at the time limit
// (TEST_TIMEOUT_S, 240 s). Screenshots: $BUILD/test-logs/t_softphone-*.png.
//
// Hook for the transfer test (a later part of the same issue): after the
// answer, window.ccSoftphone.transfer(target) sends a REFER in the call's
// dialog; see answerCall() below for a call to build on.
'use strict';

const path = require('path');
const { execFileSync } = require('child_process');
const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const wb = require('./lib/workbench');
const { demo } = require('./lib/env');

const { check, expectEq, diag } = tap;
const { must, waits } = steps;
const shot = steps.shooter('t_softphone');

const MEDIA_FLAGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required', '--allow-loopback-in-peer-connection'];

// Every call rtpengine holds, with each tag's received packets and the
// transport of its media: [{ callId, tags: { tag: { packets, proto } } }].
function rtpCalls() {
  const ng = (...args) => JSON.parse(execFileSync(path.join(stack.bin, 'cc-ngctl'),
    ['-a', `127.0.0.1:${stack.ports().NG_PORT}`, ...args], { encoding: 'utf8', timeout: 10000 }));
  const list = ng('list', 'limit:=100').calls || [];
  return list.map((callId) => {
    let q;
    try { q = ng('query', `call-id=${callId}`); } catch (e) { return { callId, tags: {} }; }
    const tags = {};
    for (const [tag, t] of Object.entries(q.tags || {})) {
      let packets = 0, proto = '';
      for (const m of t.medias || []) {
        proto = m.protocol || proto;
        for (const s of m.streams || []) packets += (s.stats && s.stats.packets) || 0;
      }
      tags[tag] = { packets, proto };
    }
    return { callId, tags };
  });
}

async function main() {
  const started = Date.now();
  const ports = await waits('the stack starts (scripts/stack.sh start --demo)', stack.start());
  const base = `http://127.0.0.1:${ports.HTTP_PORT}`;
  diag(`state ${stack.state()}, http ${ports.HTTP_PORT}, sip ${ports.SIP_PORT}, ws ${ports.WS_PORT}`);
  stack.sql('UPDATE cc_skill_group SET wrapup_s = 1');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path.join(stack.state(), 'audio/welcome.wav'),
    'synth', '0.6', 'sine', '440'], { stdio: 'ignore' });
  must('the B2BUA reloads its directory', await stack.reloadDir());

  // --- the credentials route refuses who is not the agent ---------------------
  const anon = await fetch(`${base}/cc/api/softphone`);
  expectEq('GET /cc/api/softphone without a session: 401', 401, anon.status);
  const anonBody = await anon.text();
  check('and the answer holds no digest', !/ha1/i.test(anonBody) || !/[0-9a-f]{32}/.test(anonBody), anonBody);

  const browser = await wb.launch(MEDIA_FLAGS);
  try {
    await run(browser, base);
  } finally {
    await browser.close().catch(() => {});
  }
  diag(`ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function credentialsOf(page) {
  return page.evaluate(async () => {
    const r = await fetch('/cc/api/softphone', { credentials: 'same-origin' });
    let j = null;
    try { j = await r.json(); } catch (e) { /* not JSON */ }
    return { status: r.status, cache: r.headers.get('cache-control'), body: j };
  });
}

async function run(browser, base) {
  const errors = [];
  const ctxOpts = { viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', permissions: ['microphone'] };

  // --- the admin and agent2 get nothing of agent1's --------------------------------
  const ctxAdmin = await browser.newContext(ctxOpts);
  const admin = await ctxAdmin.newPage();
  await admin.goto(`${base}/cc/login`);
  await admin.fill('#username', demo.ADMIN_LOGIN);
  await admin.fill('#password', demo.ADMIN_PASSWORD);
  await Promise.all([admin.waitForURL('**/cc/admin**', { timeout: 30000 }), admin.click('#btn-login')]);
  const adm = await credentialsOf(admin);
  expectEq('an admin (no agent) asking for softphone credentials: 403', 403, adm.status);
  check('and gets no digest', !(adm.body && adm.body.ha1), JSON.stringify(adm.body));
  await ctxAdmin.close();

  const ctx2 = await browser.newContext(ctxOpts);
  const s2 = await waits('agent2 signs in', wb.signIn(ctx2, base, demo.A2_LOGIN, demo.AGENT_PASSWORD, errors));
  const c2 = await credentialsOf(s2.page);
  expectEq("agent2's session gets agent2's own account", `200 ${demo.A2_SIP}`, `${c2.status} ${c2.body && c2.body.user}`);
  await ctx2.close();

  // --- agent1 signs in, goes ready, turns the browser phone on -----------------------
  const ctx1 = await browser.newContext(ctxOpts);
  const s1 = await waits('agent1 signs in', wb.signIn(ctx1, base, demo.A1_LOGIN, demo.AGENT_PASSWORD, errors));
  const a1 = s1.page;
  // SP_DEBUG=1: the page's console (and JsSIP's own log) in the test's output.
  if (process.env.SP_DEBUG === '1') {
    a1.on('console', (m) => diag(`console ${m.type()}: ${m.text().slice(0, 400)}`));
    await a1.evaluate(() => localStorage.setItem('debug', 'JsSIP:*'));
  }
  const c1 = await credentialsOf(a1);
  expectEq("agent1's session gets agent1's account", `200 ${demo.A1_SIP}`, `${c1.status} ${c1.body && c1.body.user}`);
  check('the credentials are never cached (Cache-Control: no-store)', /no-store/.test(c1.cache || ''), c1.cache);
  const dbHa1 = stack.sql(`SELECT ha1 FROM cc_sip_account WHERE username = '${demo.A1_SIP}'`);
  check('they are the HA1 Kamailio checks, with realm and URI; no password', c1.body && c1.body.ha1 === dbHa1 &&
    c1.body.realm === stack.ports().SIP_REALM && c1.body.uri === `sip:${demo.A1_SIP}@${stack.ports().SIP_REALM}` &&
    !('password' in c1.body), JSON.stringify({ ...c1.body, ha1: c1.body && c1.body.ha1 ? '…' : null }));
  expectEq('the WebSocket is the same origin\'s /ws', '/ws', c1.body && c1.body.ws);

  await a1.click('#btn-signin');
  await waits('agent1 is ready', a1.waitForSelector('#state[data-state="ready"]', { timeout: 20000 }));
  expectEq('the browser phone starts off', 'off', await a1.getAttribute('#sp-reg', 'data-reg'));
  expectEq('the switch reads 浏览器电话', '浏览器电话', (await a1.textContent('#sp-title')).trim());
  await a1.check('#sp-enable');
  await waits('the browser phone registers (注册状态 已注册)',
    a1.waitForSelector('#sp-reg[data-reg="registered"]', { timeout: 20000 }));
  expectEq('the registration badge reads 已注册', '已注册', (await a1.textContent('#sp-reg')).trim());
  const loc = await stack.eventually(() => stack.sql(
    `SELECT received, socket, user_agent FROM cc_location WHERE username = '${demo.A1_SIP}' AND expires > NOW()`), 10000);
  check('Kamailio\'s location holds a WebSocket contact for 1001 (cc_location)', /transport=ws/i.test(loc || '') &&
    /^tcp:127\.0\.0\.1:/.test((loc || '').split('\t')[1] || ''), loc);
  must('the B2BUA sees agent1 registered', await stack.eventually(() => stack.agentGet(demo.A1).registered, 20000));
  await waits("the workbench's phone badge shows registered too",
    a1.waitForSelector('#reg[data-registered="1"]', { timeout: 20000 }));
  expectEq('the switch is remembered in this browser', '1',
    await a1.evaluate((id) => localStorage.getItem(`cc.softphone.${id}`), demo.A1));
  await wb.watch(a1);

  // --- a call from the gateway rings the browser; 接听 -----------------------------
  const call = stack.gatewayCall('c1', demo.NUMBER, { caller: demo.KNOWN_CALLER, wait_bye: 1 });
  await waits('the browser phone rings (来电 with 接听 and 拒接)',
    a1.waitForSelector('#sp-call[data-call="ringing"] #sp-answer:not([hidden])', { timeout: 30000 }));
  check('拒接 is shown beside 接听', await a1.isVisible('#sp-reject'));
  expectEq('the answer button reads 接听', '接听', (await a1.textContent('#sp-answer')).trim());
  await shot(a1, 'ringing');
  const pop = await answerCall(a1);
  must('the pop names the call', /^[0-9A-Za-z_-]{1,64}$/.test(pop.call || ''), JSON.stringify(pop));
  expectEq('the pop is the known caller 陈小明', demo.CONTACT_NAME, (await a1.textContent('#pop-title')).trim());
  expectEq('the B2BUA has agent1 on that call', pop.call, stack.agentGet(demo.A1).call);

  // --- audio both ways --------------------------------------------------------------
  const MIN = 50;
  const media = await stack.eventually(async () => {
    const st = await a1.evaluate(() => window.ccSoftphone.stats());
    return st.sent > MIN && st.received > MIN ? st : null;
  }, 20000, 250);
  const st = media || await a1.evaluate(() => window.ccSoftphone.stats());
  check(`the browser sends and receives RTP (sent ${st.sent}, received ${st.received})`, Boolean(media), JSON.stringify(st));

  let seen = null;
  const flows = await stack.eventually(() => {
    const calls = rtpCalls();
    seen = calls;
    // Kamailio's WebRTC hop: one tag speaks UDP/TLS/RTP/SAVPF (the browser), the other RTP/AVP.
    const hop = calls.find((c) => Object.values(c.tags).some((t) => /SAVPF/.test(t.proto)));
    const b2b = calls.find((c) => c !== hop && Object.keys(c.tags).length >= 2);
    if (!hop || !b2b) return null;
    const web = Object.values(hop.tags).find((t) => /SAVPF/.test(t.proto));
    const plain = Object.values(hop.tags).find((t) => !/SAVPF/.test(t.proto));
    const ok = web.packets > MIN && plain && plain.packets > MIN &&
      Object.values(b2b.tags).filter((t) => t.packets > MIN).length >= 2;
    return ok ? { hop, b2b } : null;
  }, 20000, 500);
  diag(`rtpengine: ${JSON.stringify(seen)}`);
  check('rtpengine: the browser sent media on the WebRTC side (UDP/TLS/RTP/SAVPF tag counts packets)', Boolean(flows));
  check("rtpengine: the B2BUA's side of the hop and both of the B2BUA's legs (gateway and agent) count packets",
    Boolean(flows));
  expectEq('the browser speaks G.711 A-law, as the gateway offered', 'audio/PCMA', st.codec);
  await shot(a1, 'talking');

  // --- hold and unhold from the browser (the API the in-call buttons use) ---------------
  await a1.evaluate(() => window.ccSoftphone.hold());
  await waits('ccSoftphone.hold(): the panel shows 保持中',
    a1.waitForSelector('#sp-call[data-call="held"]', { state: 'attached', timeout: 20000 }));
  expectEq('the held state reads 保持中', '保持中', (await a1.textContent('#sp-call-state')).trim());
  expectEq('on hold the microphone and the speaker are off', 'false true', await a1.evaluate(() => {
    const pc = window.ccSoftphone.session().connection;
    const t = pc.getSenders().map((x) => x.track).find((x) => x && x.kind === 'audio');
    return `${t && t.enabled} ${document.getElementById('sp-audio').muted}`;
  }));
  expectEq('the call stays up on hold (B2BUA: agent1 on that call)', pop.call, stack.agentGet(demo.A1).call);
  await a1.evaluate(() => window.ccSoftphone.unhold());
  await waits('ccSoftphone.unhold(): the panel shows 通话中 again',
    a1.waitForSelector('#sp-call[data-call="talking"]', { state: 'attached', timeout: 20000 }));
  expectEq('after unhold the microphone and the speaker are on', 'true false', await a1.evaluate(() => {
    const pc = window.ccSoftphone.session().connection;
    const t = pc.getSenders().map((x) => x.track).find((x) => x && x.kind === 'audio');
    return `${t && t.enabled} ${document.getElementById('sp-audio').muted}`;
  }));
  const before = await a1.evaluate(() => window.ccSoftphone.stats());
  check('after unhold, audio flows both ways again', Boolean(await stack.eventually(async () => {
    const now = await a1.evaluate(() => window.ccSoftphone.stats());
    return now.sent > before.sent + MIN && now.received > before.received + MIN;
  }, 20000, 250)), JSON.stringify(before));

  // --- hang up from the browser -----------------------------------------------------------
  await a1.click('#sp-hangup');
  await waits('the panel shows no call after 挂断', a1.waitForSelector('#sp-call[data-call="none"]', { state: 'attached', timeout: 20000 }));
  await waits("the pop is marked ended", a1.waitForSelector(`#pop[data-ended="1"][data-call-id="${pop.call}"]`, { timeout: 20000 }));
  expectEq("the gateway's call ends normally (BYE from the agent's side)", 0, await call.done);
  check("rtpengine: Kamailio's WebRTC hop is deleted", Boolean(await stack.eventually(
    () => !rtpCalls().some((c) => Object.values(c.tags).some((t) => /SAVPF/.test(t.proto))), 10000, 500)));

  // --- 拒接: a second call is rejected from the panel ----------------------------------
  must('agent1 is ready again after wrap-up', await stack.eventually(() => stack.agentGet(demo.A1).state === 'ready', 30000));
  const call2 = stack.gatewayCall('c2', demo.NUMBER, { caller: '13500000999', until_notify: 1 });
  await waits('a second call rings the browser', a1.waitForSelector('#sp-call[data-call="ringing"]', { timeout: 30000 }));
  await a1.click('#sp-reject');
  await waits('the panel shows no call after 拒接', a1.waitForSelector('#sp-call[data-call="none"]', { state: 'attached', timeout: 20000 }));
  const rec = await wb.record(a1);
  check('the rejected call did not pop', rec.pops.filter((p) => p.call !== pop.call).length === 0, JSON.stringify(rec.pops));
  check('the rejected call did not connect agent1', await stack.eventually(
    () => stack.agentGet(demo.A1).call !== pop.call && stack.agentGet(demo.A1).state !== 'on_call', 5000));
  stack.tell('c2');
  await call2.done;

  // --- click-to-dial: the B2BUA's late offer to the browser ---------------------------------
  // The agent's leg is an INVITE without SDP: JsSIP's 200 carries the
  // browser's offer (rtpengine's offer on the reply), the B2BUA's ACK the
  // answer (rtpengine's answer on the ACK).
  await stack.eventually(() => stack.agentGet(demo.A1).state !== 'on_call' && stack.agentGet(demo.A1).state !== 'wrap_up', 20000);
  if (stack.agentGet(demo.A1).state !== 'ready') {
    await a1.click('#btn-ready');
  }
  must('agent1 is ready to dial', await stack.eventually(() => stack.agentGet(demo.A1).state === 'ready', 20000));
  const p = stack.ports();
  const carrier = stack.sipp('up', ['-sf', path.join(stack.top, 'tests/sip/agent/uas.xml'), '-i', p.OUTBOUND_IP,
    '-p', p.OUTBOUND_PORT, '-set', 'hangup_ms', '15000']);
  await stack.eventually(() => {
    try { return execFileSync('ss', ['-Hlnu', `sport = :${p.OUTBOUND_PORT}`], { encoding: 'utf8' }).trim(); } catch (e) { return ''; }
  }, 10000);
  await a1.fill('#dial-number', demo.KNOWN_CALLER);
  await a1.click('#btn-dial');
  await waits('click-to-dial rings the browser first',
    a1.waitForSelector('#sp-call[data-call="ringing"]', { timeout: 30000 }));
  const popOut = await answerCall(a1, pop.call);
  check('click-to-dial: the pop is a new call', popOut.call && popOut.call !== pop.call, JSON.stringify(popOut));
  // The carrier talks for 15 s (hangup_ms): media is seen well within it;
  // the samples say how soon, or what the browser counted if it never was.
  const lateFrom = Date.now();
  const lateSeen = [];
  const lateMedia = await stack.eventually(async () => {
    const m = await a1.evaluate(() => window.ccSoftphone.stats());
    lateSeen.push(`${Date.now() - lateFrom}ms:${m.sent}/${m.received}`);
    return m.sent > MIN && m.received > MIN ? m : null;
  }, 20000, 250);
  diag(`click-to-dial media (ms since the pop: sent/received): ${lateSeen.slice(-8).join(' ')}`);
  check('click-to-dial: the browser sends and receives RTP (late offer through rtpengine)', Boolean(lateMedia),
    `${JSON.stringify(lateMedia)}; rtpengine: ${JSON.stringify(lateMedia ? null : rtpCalls())}`);
  expectEq("click-to-dial: the browser's offer was reduced to G.711 A-law (it sends PCMA)", 'audio/PCMA',
    lateMedia && lateMedia.codec);
  const lateHop = await stack.eventually(() => rtpCalls().find((c) => {
    const tags = Object.values(c.tags);
    return tags.some((t) => /SAVPF/.test(t.proto) && t.packets > MIN) && tags.some((t) => !/SAVPF/.test(t.proto) && t.packets > MIN);
  }), 20000, 500);
  check("click-to-dial: rtpengine's WebRTC hop counts packets both ways", Boolean(lateHop), JSON.stringify(lateHop));
  expectEq("click-to-dial: the carrier's side ends the call", 0, await carrier.done);
  await waits('click-to-dial: the panel shows no call after the far end hung up',
    a1.waitForSelector('#sp-call[data-call="none"]', { state: 'attached', timeout: 20000 }));

  // --- the workbench's in-call buttons with the browser phone; transfer to agent2 --------
  // agent2 has a desk phone (sipp) and is ready; agent1 answers a third call
  // in the browser, holds and takes it back, mutes and unmutes with the
  // workbench's buttons, then transfers it to agent2.
  const phone2 = stack.agentPhone('p2', demo.A2_SIP, demo.A2_SIP_PASSWORD,
    { until_notify: 1, expires: 3600, answer_ms: 300 });
  must("agent2's desk phone registers", await stack.eventually(() => stack.agentGet(demo.A2).registered, 20000));
  await stack.eventually(() => !['on_call', 'wrap_up', 'reserved'].includes(stack.agentGet(demo.A1).state), 20000);
  if (stack.agentGet(demo.A1).state !== 'ready') await a1.click('#btn-ready');
  must('agent1 is ready for the third call', await stack.eventually(() => stack.agentGet(demo.A1).state === 'ready', 20000));
  // agent2 ready after agent1: agent1 has been idle longest, the call is agent1's.
  stack.ctl('agent.state', `agent=${demo.A2}`, 'state=ready');
  const call3 = stack.gatewayCall('c3', demo.NUMBER, { caller: demo.KNOWN_CALLER, wait_bye: 1 });
  await waits('the third call rings the browser', a1.waitForSelector('#sp-call[data-call="ringing"]', { timeout: 30000 }));
  const pop3 = await answerCall(a1, popOut.call);
  await waits('the in-call buttons appear with the pop', a1.waitForSelector('#incall:not([hidden]) #btn-hold', { timeout: 20000 }));
  const held = () => {
    const c = (stack.ctl('call.list').calls || []).find((x) => x.id === pop3.call);
    return c ? `${c.state} ${c.held} ${c.muted}` : 'gone';
  };
  await a1.click('#btn-hold');
  await waits('保持: the workbench shows 保持中', a1.waitForSelector('#incall[data-held="1"] #incall-state:not([hidden])', { timeout: 20000 }));
  expectEq('the B2BUA holds the call', 'held true false', held());
  expectEq('the hold button now reads 恢复通话', '恢复通话', (await a1.textContent('#btn-hold')).trim());
  await shot(a1, 'held');
  await a1.click('#btn-hold');
  await waits('恢复通话: the workbench shows it talking again', a1.waitForSelector('#incall[data-held="0"]', { timeout: 20000 }));
  expectEq('the B2BUA talks again', 'bridged false false', held());
  await a1.click('#btn-mute');
  await waits('静音: the workbench shows 已静音', a1.waitForSelector('#incall[data-muted="1"]', { timeout: 20000 }));
  expectEq('the B2BUA mutes agent1', 'bridged false true', held());
  await a1.click('#btn-mute');
  await waits('取消静音', a1.waitForSelector('#incall[data-muted="0"]', { timeout: 20000 }));
  await a1.fill('#f-_note', '客户要求转接');
  await a1.click('#btn-transfer');
  await waits('the transfer box lists agent2', a1.waitForSelector(`#transfer-target option[value="agent:${demo.A2}"]`,
    { state: 'attached', timeout: 20000 }));
  await a1.selectOption('#transfer-target', `agent:${demo.A2}`);
  await shot(a1, 'transfer');
  const p2Invites = stack.received('p2', 'INVITE');
  await a1.click('#btn-transfer-go');
  await waits('转接: the workbench says 已转接', a1.waitForFunction(
    () => document.getElementById('call-status').textContent.trim() === '已转接', null, { timeout: 20000 }));
  await waits("the browser phone's call ends (the B2BUA hung it up)",
    a1.waitForSelector('#sp-call[data-call="none"]', { state: 'attached', timeout: 20000 }));
  check("agent2's phone rings", Boolean(await stack.eventually(() => stack.received('p2', 'INVITE') > p2Invites, 20000)));
  must('the call talks with agent2', await stack.eventually(() => {
    const c = (stack.ctl('call.list').calls || []).find((x) => x.id === pop3.call);
    return c && c.state === 'bridged' && c.agent === demo.A2;
  }, 30000));
  expectEq("the note agent1 wrote was saved with the call, for agent2's pop", '客户要求转接',
    stack.sql(`SELECT note FROM cc_call_note WHERE call_id = '${pop3.call}'`));
  check('the timeline has the transfer by agent1', stack.sql(
    `SELECT COUNT(*) FROM cc_call_event WHERE call_id = '${pop3.call}' AND event = 'transfer' AND agent_id = '${demo.A1}'`) === '1');
  stack.ctl('call.hangup', `agent=${demo.A2}`);
  expectEq('the caller is hung up at the end', 0, await call3.done);
  stack.tell('p2');
  await phone2.done;

  // --- off: unregisters ---------------------------------------------------------------------
  await a1.uncheck('#sp-enable');
  expectEq('turned off, the panel says 未启用', 'off', await a1.getAttribute('#sp-reg', 'data-reg'));
  check("turned off, the browser's contact leaves Kamailio's location", Boolean(await stack.eventually(() => stack.sql(
    `SELECT COUNT(*) FROM cc_location WHERE username = '${demo.A1_SIP}' AND expires > NOW()`) === '0', 10000)));
  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

// Clicks 接听 and waits for the pop of a call other than notCall: { call }.
async function answerCall(page, notCall = null) {
  await page.click('#sp-answer');
  await waits('after 接听 the panel shows the call (通话中) with 挂断',
    page.waitForSelector('#sp-call[data-call="talking"] #sp-hangup:not([hidden])', { timeout: 20000 }));
  const h = await waits('the pop appears', page.waitForFunction((prev) => {
    const p = document.getElementById('pop');
    const call = p.getAttribute('data-call-id');
    return !p.hidden && call && call !== prev && p.getAttribute('data-received') ? { call } : null;
  }, notCall, { timeout: 30000 }));
  return h.jsonValue();
}

steps.run(main, 240);
