#!/usr/bin/env node
// bench/ctl.js: bulk work on the B2BUA's control socket (docs/control-protocol.md),
// one TCP connection, requests pipelined.
//
//   node bench/ctl.js HOST:PORT SECRET_FILE state STATE < agent-ids   set each agent's state
//   node bench/ctl.js HOST:PORT SECRET_FILE ready-count                agents ready and registered
//   node bench/ctl.js HOST:PORT SECRET_FILE registered-count           agents whose phone is registered
//   node bench/ctl.js HOST:PORT SECRET_FILE agent-count                agents the B2BUA knows
//   node bench/ctl.js HOST:PORT SECRET_FILE db-waiting                 database jobs waiting (ping's db.waiting)
//   node bench/ctl.js HOST:PORT SECRET_FILE call-count [STATE|any [SINCE_MS]]
//                                                   calls up (in STATE, e.g. bridged; started since)
//   node bench/ctl.js HOST:PORT SECRET_FILE events SECONDS FILE        write every event (JSON lines) to FILE
//
// Exits 0 on success, 1 when any request failed, 2 on connection errors.
'use strict';
const net = require('net');
const fs = require('fs');

const [addr, secretFile, cmd, ...args] = process.argv.slice(2);
if (!addr || !secretFile || !cmd) {
  process.stderr.write('usage: ctl.js HOST:PORT SECRET_FILE state STATE|ready-count|registered-count|events SECONDS FILE\n');
  process.exit(2);
}
const [host, port] = addr.split(':');
const secret = fs.readFileSync(secretFile, 'utf8').trim();

const sock = net.connect({ host, port: Number(port) });
sock.setNoDelay(true);
let buf = '';
let nextId = 1;
const pending = new Map();
let onEvent = null;

function request(obj) {
  return new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    sock.write(JSON.stringify({ id, ...obj }) + '\n');
  });
}

sock.on('data', (d) => {
  buf += d.toString('utf8');
  let nl;
  while ((nl = buf.indexOf('\n')) >= 0) {
    const line = buf.slice(0, nl);
    buf = buf.slice(nl + 1);
    if (!line) continue;
    let m;
    try { m = JSON.parse(line); } catch (e) { continue; }
    if (m.event) {
      if (onEvent) onEvent(line, m);
    } else if (pending.has(m.id)) {
      const r = pending.get(m.id);
      pending.delete(m.id);
      r(m);
    }
  }
});
sock.on('error', (e) => { process.stderr.write(`ctl.js: ${e.message}\n`); process.exit(2); });

async function main() {
  const a = await request({ cmd: 'auth', secret });
  if (!a.ok) { process.stderr.write('ctl.js: auth refused\n'); process.exit(2); }
  if (cmd === 'state') {
    const ids = fs.readFileSync(0, 'utf8').split(/\s+/).filter(Boolean);
    const rs = await Promise.all(ids.map((agent) => request({ cmd: 'agent.state', agent, state: args[0] })));
    const bad = rs.filter((r) => !r.ok);
    console.log(`${rs.length - bad.length} ok, ${bad.length} failed${bad.length ? ': ' + JSON.stringify(bad[0]) : ''}`);
    sock.end();
    process.exit(bad.length ? 1 : 0);
  } else if (cmd === 'agent-count') {
    const r = await request({ cmd: 'agent.list' });
    console.log((r.agents || []).length);
    sock.end();
    process.exit(0);
  } else if (cmd === 'db-waiting') {
    const r = await request({ cmd: 'ping' });
    if (!r.db) process.exit(1);
    console.log(r.db.waiting);
    sock.end();
    process.exit(0);
  } else if (cmd === 'call-count') {
    const r = await request({ cmd: 'call.list' });
    let list = r.calls || [];
    if (args[0] && args[0] !== 'any') list = list.filter((x) => x.state === args[0]);
    if (args[1]) list = list.filter((x) => x.started >= Number(args[1]));
    console.log(list.length);
    sock.end();
    process.exit(0);
  } else if (cmd === 'ready-count' || cmd === 'registered-count') {
    const r = await request({ cmd: 'agent.list' });
    const list = r.agents || [];
    const n = cmd === 'ready-count'
      ? list.filter((x) => x.state === 'ready' && x.registered).length
      : list.filter((x) => x.registered).length;
    console.log(n);
    sock.end();
    process.exit(0);
  } else if (cmd === 'events') {
    const secs = Number(args[0]);
    const out = fs.createWriteStream(args[1]);
    onEvent = (line) => out.write(line + '\n');
    const r = await request({ cmd: 'subscribe', events: ['all'] });
    if (!r.ok) process.exit(1);
    setTimeout(() => { out.end(() => { sock.end(); process.exit(0); }); }, secs * 1000);
    process.on('SIGTERM', () => { out.end(() => process.exit(0)); });
  } else {
    process.stderr.write(`ctl.js: unknown command ${cmd}\n`);
    process.exit(2);
  }
}
main();
