// The real stack for browser tests: scripts/stack.sh with demo data in a
// private state folder on free loopback ports, sipp phones and gateways
// (tests/sip), the B2BUA's control socket and the database.
//
// Everything started here is stopped here, by pid: the sipp processes and
// the stack (scripts/stack.sh stop). That happens on the normal path
// (stop()), and also on an exception, a signal, or the time limit, through
// the process 'exit' handler installed by guard(), which is synchronous.
// KEEP_STATE=1 keeps the state folder; it is also kept when a test failed.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync, execFileSync } = require('child_process');
const tap = require('./tap');
const { readEnv } = require('./env');

const top = path.resolve(__dirname, '../../..');
const bin = path.join(top, 'build/bin');
const stackSh = path.join(top, 'scripts/stack.sh');

let state = null;     // the state folder, once made
let started = false;  // stack.sh start was run (stop is due even if start failed)
let ports = null;     // $CC_STATE/etc/ports.env as an object
const children = new Map(); // pid -> { name, child }
let stopped = false;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// eventually(fn, ms): fn() until it returns a truthy value (returned) or the
// time is up (returns the last value); fn may be async and may throw.
async function eventually(fn, ms, every = 100) {
  const end = Date.now() + ms;
  let v;
  for (;;) {
    try { v = await fn(); } catch (e) { v = undefined; }
    if (v || Date.now() >= end) return v;
    await sleep(every);
  }
}

function stackEnv() {
  return { ...process.env, CC_STATE: state, CC_PORTS: 'auto', CC_QUIET: '1' };
}

// start(): makes the state folder and starts the whole stack with demo data.
// Resolves with the ports (HTTP_PORT, SIP_PORT, CTL_PORT, DB_SOCKET, ...).
// A port found free can be taken before the service binds it, by another
// stack starting beside this one: then the start is tried again (twice at
// most) on other ports, in a new state folder.
async function start() {
  for (let attempt = 1; ; attempt++) {
    state = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-test.'));
    started = true;
    const out = [];
    const code = await new Promise((resolve) => {
      const p = spawn(stackSh, ['start', '--demo'], { env: stackEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      children.set(p.pid, { name: 'stack.sh start', child: p });
      p.stdout.on('data', (d) => out.push(d));
      p.stderr.on('data', (d) => out.push(d));
      p.on('exit', (c, sig) => { children.delete(p.pid); resolve(c === null ? 128 : c); });
    });
    const text = Buffer.concat(out).toString();
    if (code === 0) break;
    if (attempt < 3 && text.includes('already in use')) {
      tap.diag('a port was taken while the stack started; starting again on other ports');
      spawnSync(stackSh, ['stop'], { env: stackEnv(), timeout: 120000 });
      fs.rmSync(state, { recursive: true, force: true });
      continue;
    }
    throw new Error(`scripts/stack.sh start failed (${code}): ${text.slice(-2000)}`);
  }
  ports = readEnv(path.join(state, 'etc/ports.env'));
  return ports;
}

const logs = () => path.join(state, 'log');

// sql(query): the result rows of one query as text (tab-separated, no
// header), trimmed. Values put into queries must be checked by the caller.
function sql(query) {
  return execFileSync('mariadb', ['--no-defaults', '-S', ports.DB_SOCKET, '-u', 'root', 'cc', '-N', '-B', '-e', query],
    { encoding: 'utf8', timeout: 15000 }).replace(/\n$/, '');
}

// ctl(args...): one cc-ctl command on the B2BUA's control socket, its JSON
// reply (a reply may take long on a loaded machine).
function ctl(...args) {
  const out = execFileSync(path.join(bin, 'cc-ctl'),
    ['-a', `127.0.0.1:${ports.CTL_PORT}`, '-s', ports.CTL_SECRET_FILE, '-t', '20000', ...args],
    { encoding: 'utf8', timeout: 30000 });
  return JSON.parse(out);
}

const agentGet = (id) => ctl('agent.get', `agent=${id}`).agent;

// dirTicket(): the ticket of the B2BUA's directory in force.
const dirTicket = () => ctl('ping').dir_loaded;

// reloadDir(): the B2BUA re-reads numbers, groups and agents; resolves true
// once the snapshot in force was read after the request (ping's dir_loaded
// reaches the reload's ticket), false after 20 s.
async function reloadDir() {
  const ticket = ctl('reload').ticket;
  return Boolean(await eventually(() => dirTicket() >= ticket, 20000));
}

// callFinal(id): the call record is final. The B2BUA writes it on a worker
// after the call has ended: the row's last update, then the event log,
// whose last line is "end".
const callFinal = (id) => sql(`SELECT COUNT(*) FROM cc_call_event WHERE call_id = '${id}' AND event = 'end'`) !== '0';

// sipp(name, args): one sipp run against Kamailio, its messages and errors in
// $CC_STATE/log/sipp-NAME.*. Returns the child with .done, a promise of its
// exit status. The child is stopped by pid at the end if it still runs.
function sipp(name, args) {
  const base = path.join(logs(), `sipp-${name}`);
  const fd = fs.openSync(`${base}.out`, 'w');
  const child = spawn('sipp', [`127.0.0.1:${ports.SIP_PORT}`, '-nostdin', '-m', '1', '-trace_msg',
    '-message_file', `${base}.msg`, '-trace_err', '-error_file', `${base}.err`, ...args],
  { stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  children.set(child.pid, { name: `sipp ${name}`, child });
  child.done = new Promise((resolve) => {
    child.on('exit', (c, sig) => { children.delete(child.pid); resolve(c === null ? 128 : c); });
  });
  child.on('error', () => {}); // reported through done (exit) or the missing process
  return child;
}

// An agent's phone on 127.0.0.2, registered; sets are extra -set pairs.
function agentPhone(name, user, password, sets = {}) {
  const args = ['-sf', path.join(top, 'tests/sip/agent/uac.xml'), '-oocsf', path.join(top, 'tests/sip/agent/uas.xml'),
    '-i', '127.0.0.2', '-s', user, '-ap', password];
  for (const [k, v] of Object.entries(sets)) args.push('-set', k, String(v));
  return sipp(name, args);
}

// A call from the trusted gateway (127.0.0.1) to number.
function gatewayCall(name, number, sets = {}) {
  const args = ['-sf', path.join(top, 'tests/sip/gateway/uac.xml'), '-s', number, '-i', '127.0.0.1'];
  for (const [k, v] of Object.entries(sets)) args.push('-set', k, String(v));
  return sipp(name, args);
}

// tell(name): ends the wait of sipp run NAME started with until_notify
// (a caller hangs up, a phone unregisters): tests/sip/notify.sh.
function tell(name) {
  execFileSync(path.join(top, 'tests/sip/notify.sh'), [path.join(logs(), `sipp-${name}.msg`)], { timeout: 15000 });
}

// Requests received by a sipp process (lines "METHOD sip:" in its message trace).
function received(name, method) {
  try {
    const text = fs.readFileSync(path.join(logs(), `sipp-${name}.msg`), 'utf8');
    return text.split('\n').filter((l) => l.startsWith(`${method} sip:`)).length;
  } catch (e) {
    return 0;
  }
}

function alive(pid) {
  try {
    // A child that exited but was not reaped yet (the event loop does not
    // run in an exit handler) is a zombie: gone for our purpose.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch (e) {
    return false;
  }
}

// Stops every child still running, by pid: TERM, then KILL after 3 s.
function killChildrenSync() {
  const pids = [...children.keys()];
  for (const pid of pids) {
    try { process.kill(pid, 'SIGTERM'); } catch (e) { /* already gone */ }
  }
  const end = Date.now() + 3000;
  while (pids.some(alive) && Date.now() < end) sleepSync(50);
  for (const pid of pids.filter(alive)) {
    tap.diag(`${children.get(pid).name} (pid ${pid}) did not stop on TERM; killing it`);
    try { process.kill(pid, 'SIGKILL'); } catch (e) { /* already gone */ }
  }
  children.clear();
}

// stop(): synchronous, idempotent; safe in an exit handler.
function stop() {
  if (stopped) return;
  stopped = true;
  killChildrenSync();
  if (!started) return;
  const r = spawnSync(stackSh, ['stop'], { env: stackEnv(), encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) tap.diag(`scripts/stack.sh stop: ${r.status} ${r.stderr || ''}`);
  if (process.env.KEEP_STATE === '1' || tap.failed() > 0) {
    tap.diag(`state kept in ${state}`);
  } else {
    fs.rmSync(state, { recursive: true, force: true });
  }
}

// guard(limitMs): stops everything on exit, on SIGINT/SIGTERM/SIGHUP, on an
// uncaught exception, and when the time limit is reached (which fails the test).
function guard(limitMs) {
  process.on('exit', () => { stop(); tap.plan(); });
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [sig, code] of Object.entries(signals)) {
    process.on(sig, () => {
      tap.notOk('the test runs to its end', `stopped by ${sig}`);
      process.exit(code);
    });
  }
  const die = (e) => {
    tap.notOk('the test runs without an uncaught error', e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e);
    process.exit(1);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
  const timer = setTimeout(() => {
    tap.notOk(`the test finishes within ${Math.round(limitMs / 1000)} s`, 'time limit reached');
    process.exit(1);
  }, limitMs);
  return () => clearTimeout(timer);
}

module.exports = {
  top, bin, start, stop, guard, sql, ctl, agentGet, dirTicket, reloadDir, callFinal, sipp, agentPhone, gatewayCall, tell,
  received,
  eventually, state: () => state, ports: () => ports, logs,
};
