// TAP output for the browser tests, in the shape scripts/test.sh counts:
// "ok - name", "not ok - name: why", "# comment", and the plan "1..N" at
// the end. A test that stops early still prints the plan of what it ran.
'use strict';

let count = 0;
let failures = 0;
let planned = false;

// Names and reasons stay on one line; "#" would start a TAP directive, so
// it is escaped as TAP 13 says.
const oneLine = (s) => String(s).replace(/\s+/g, ' ').replace(/#/g, '\\#').trim();

function ok(name) {
  count++;
  console.log(`ok - ${oneLine(name)}`);
  return true;
}

function notOk(name, why) {
  count++;
  failures++;
  console.log(`not ok - ${oneLine(name)}${why === undefined ? '' : ': ' + oneLine(why)}`);
  return false;
}

// check(name, cond, why): passes when cond is truthy; why explains a failure.
function check(name, cond, why) {
  return cond ? ok(name) : notOk(name, why);
}

function expectEq(name, want, got) {
  return check(name, want === got, `want '${want}', got '${got}'`);
}

function diag(msg) {
  for (const line of String(msg).split('\n')) console.log(`# ${line}`);
}

function plan() {
  if (planned) return;
  planned = true;
  console.log(`1..${count}`);
}

module.exports = { ok, notOk, check, expectEq, diag, plan, failed: () => failures };
