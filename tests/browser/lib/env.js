// KEY=VALUE files as objects: tests/demo.env (the demo data's ids, logins
// and numbers, shared with the shell tests and the benchmarks) and a
// stack's etc/ports.env.
'use strict';

const fs = require('fs');
const path = require('path');

function readEnv(file) {
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z][A-Z_0-9]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

const demo = Object.freeze(readEnv(path.resolve(__dirname, '../../demo.env')));

module.exports = { readEnv, demo };
