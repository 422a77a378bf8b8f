// The steps of a browser test: checks the rest of the test depends on
// (must, waits: a failure stops the test with Stop), and running main()
// under the time limit with everything stopped at the end (run).
'use strict';

const fs = require('fs');
const path = require('path');
const tap = require('./tap');
const stack = require('./stack');

class Stop extends Error {}

// must(name, cond, why): a check the rest of the test depends on.
function must(name, cond, why) {
  if (!tap.check(name, cond, why)) throw new Stop(name);
}

// waits(name, promise): the promise's value, or a failed check and a stop.
async function waits(name, promise) {
  try {
    const v = await promise;
    tap.ok(name);
    return v;
  } catch (e) {
    tap.notOk(name, e.message.split('\n')[0]);
    throw new Stop(name);
  }
}

// run(main, limitS): runs main() within TEST_TIMEOUT_S (default limitS)
// seconds, then stops the stack and every child, prints the plan and exits
// with 1 when a check failed.
function run(main, limitS) {
  const unguard = stack.guard((Number(process.env.TEST_TIMEOUT_S) || limitS) * 1000);
  main().catch((e) => {
    if (!(e instanceof Stop)) tap.notOk('the test runs to its end', e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e);
  }).finally(() => {
    unguard();
    stack.stop();
    tap.plan();
    process.exit(tap.failed() ? 1 : 0);
  });
}

// shooter(test): shot(page, name), which saves page as a full-page
// screenshot $BUILD/test-logs/TEST-NAME.png and says where.
function shooter(test) {
  const dir = path.join(stack.top, process.env.BUILD || 'build', 'test-logs');
  return async (page, name) => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${test}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    tap.diag(`screenshot: ${path.relative(stack.top, file)}`);
  };
}

module.exports = { Stop, must, waits, run, shooter };
