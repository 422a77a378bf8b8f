#!/usr/bin/env node
// bench/soak-web.js: agents working from the web during the soak (bench/soak.sh).
// Each of the given agents, in turn and again until the deadline, signs in
// through the login page (its CSRF token), opens the workbench (the page's
// token), goes ready, takes a break (a reason from the workbench's list),
// comes back ready and signs out, as the workbench's buttons do
// (POST /cc/api/agent/state with X-CSRF-Token). Bounded: it stops by itself
// after SECONDS.
//
//   node bench/soak-web.js BASE_URL SECONDS PAUSE_MS OUT_JSON USER:PASSWORD ...
//
// OUT_JSON gets {cycles, ok, failed, errors: {what: count}, ms: {sign_in,
// state}} (ms: mean per request); exit 0 when no request failed, 1 otherwise.
'use strict';
const fs = require('fs');

const [base, secondsS, pauseS, outFile, ...creds] = process.argv.slice(2);
if (!base || !secondsS || !outFile || !creds.length) {
  process.stderr.write('usage: soak-web.js BASE_URL SECONDS PAUSE_MS OUT_JSON USER:PASSWORD ...\n');
  process.exit(2);
}
const deadline = Date.now() + Number(secondsS) * 1000;
const pause = Number(pauseS) || 0;
const reasons = ['rest', 'meal', 'meeting', 'training', 'other'];
const out = { cycles: 0, ok: 0, failed: 0, errors: {}, ms: { sign_in: 0, state: 0 } };
const n = { sign_in: 0, state: 0 };

function fail(what) {
  out.failed++;
  out.errors[what] = (out.errors[what] || 0) + 1;
}

class Client {
  constructor() { this.jar = new Map(); }
  cookie() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      this.jar.set(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
    }
  }
  async req(method, path, { body, type, csrf } = {}) {
    const headers = { Cookie: this.cookie() };
    if (type) headers['Content-Type'] = type;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    const res = await fetch(base + path, { method, headers, body, redirect: 'manual',
      signal: AbortSignal.timeout(20000) });
    this.keep(res);
    return { status: res.status, location: res.headers.get('location') || '', text: await res.text() };
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function timed(kind, f) {
  const t = Date.now();
  const r = await f();
  out.ms[kind] += Date.now() - t;
  n[kind]++;
  return r;
}

async function state(c, csrf, s, reason) {
  const body = JSON.stringify(reason ? { state: s, reason } : { state: s });
  const r = await timed('state', () => c.req('POST', '/cc/api/agent/state',
    { body, type: 'application/json', csrf }));
  let j = null;
  try { j = JSON.parse(r.text); } catch (e) { /* counted below */ }
  if (r.status !== 200 || !j || !j.ok) { fail(`state ${s}: ${r.status} ${j && j.error || ''}`.trim()); return false; }
  out.ok++;
  return true;
}

async function cycle(user, password, k) {
  const c = new Client();
  const form = await c.req('GET', '/cc/login');
  const tok = (form.text.match(/name="_csrf" value="([0-9a-f]+)"/) || [])[1];
  if (form.status !== 200 || !tok) { fail(`login page: ${form.status}`); return; }
  const body = new URLSearchParams({ username: user, password, _csrf: tok }).toString();
  const login = await timed('sign_in', () => c.req('POST', '/cc/login',
    { body, type: 'application/x-www-form-urlencoded' }));
  if (login.status !== 303 && login.status !== 302) { fail(`sign-in: ${login.status}`); return; }
  out.ok++;
  const wb = await c.req('GET', '/cc/workbench');
  const csrf = (wb.text.match(/<meta name="csrf-token" content="([0-9a-f]+)"/) || [])[1];
  if (wb.status !== 200 || !csrf) { fail(`workbench: ${wb.status}`); return; }
  out.ok++;
  if (await state(c, csrf, 'ready')) {
    await sleep(pause);
    if (await state(c, csrf, 'not_ready', reasons[k % reasons.length])) {
      await sleep(pause);
      await state(c, csrf, 'ready');
    }
  }
  await sleep(pause);
  const lo = await c.req('POST', '/cc/logout', { body: `_csrf=${csrf}`,
    type: 'application/x-www-form-urlencoded', csrf });
  if (lo.status !== 303 && lo.status !== 302) fail(`sign-out: ${lo.status}`);
  else out.ok++;
  out.cycles++;
}

async function main() {
  let k = 0;
  while (Date.now() < deadline) {
    const [user, password] = creds[k % creds.length].split(':');
    try {
      await cycle(user, password, k);
    } catch (e) {
      fail(`request: ${e.name === 'TimeoutError' ? 'timeout' : e.message}`);
    }
    k++;
  }
}

main().then(() => {
  for (const kind of Object.keys(n)) out.ms[kind] = n[kind] ? Math.round(out.ms[kind] / n[kind]) : 0;
  fs.writeFileSync(outFile, JSON.stringify(out) + '\n');
  process.exit(out.failed ? 1 : 0);
});
