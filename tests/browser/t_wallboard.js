// 实时监控 in a real browser against the real stack: the admin lowers the
// longest wait's thresholds with the board's form and watches the center's
// board; a call from the gateway (sipp) waits in the queue while agent1 is
// on a break: the board shows it waiting and the longest wait turns amber,
// then red; agent1 becomes ready and its phone (sipp) answers: the call
// rings, then is in progress with agent1, whose tile turns on call, all
// without a reload; after the hang-up the answered count is one more and
// the call is gone. The wall screen's layout (?kiosk=1) is dark with big
// figures. No script error and no CSP violation.
//
// Run by scripts/test.sh browser (node tests/browser/t_wallboard.js).
// Starts the stack in a private state folder and stops it, and every sipp
// it started, at the end, on failure, on a signal, and at the time limit
// (300 s). Screenshots: $BUILD/test-logs/t_wallboard-*.png.
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const wb = require('./lib/workbench');
const cons = require('./lib/console');
const { demo } = require('./lib/env');

const { check, expectEq, diag } = tap;
const { must, waits } = steps;

const { A1, NUMBER } = demo;
const CALLER = '13500000789';

const shot = steps.shooter('t_wallboard');

const fig = (page, id) => page.$eval(`#fig-${id}`, (f) => ({
  value: f.querySelector('.wb-fig-value').textContent.trim(), level: f.getAttribute('data-level'),
}));

async function main() {
  const ports = await waits('the stack starts (scripts/stack.sh start --demo)', stack.start());
  const base = `http://127.0.0.1:${ports.HTTP_PORT}`;
  stack.sql('UPDATE cc_skill_group SET ring_timeout_s = 30, max_wait_s = 120, wrapup_s = 0, no_answer_break = 0');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path.join(stack.state(), 'audio/welcome.wav'),
    'synth', '0.3', 'sine', '440'], { stdio: 'ignore' });
  must('the B2BUA reloads its directory', await stack.reloadDir());
  stack.agentPhone('a1', demo.A1_SIP, demo.A1_SIP_PASSWORD, { stay_ms: 280000, answer_ms: 1500 });
  must("agent1's phone registers", await stack.eventually(() => stack.agentGet(A1).registered, 30000));
  stack.ctl('agent.state', `agent=${A1}`, 'state=not_ready', 'reason=rest');
  const browser = await wb.launch();
  try {
    await run(browser, base);
  } finally {
    await browser.close().catch(() => {});
  }
}

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);

  // --- the board, and its thresholds lowered through its form ----------------------------------
  await page.goto(`${base}/cc/admin`);
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click('#side-wallboard')]);
  await waits('the board takes its snapshot', page.waitForSelector('#wallboard[data-snapshot]', { timeout: 20000 }));
  await page.click('#wb-settings summary');
  await page.fill('#set-wait_amber_s', '2');
  await page.fill('#set-wait_red_s', '5');
  await cons.submit(page, '#wb-settings-save');
  check('the thresholds are saved', page.url().endsWith('/cc/wallboard?saved=1'), page.url());
  expectEq('stored', '2 5', stack.sql("SELECT GROUP_CONCAT(value ORDER BY name SEPARATOR ' ') FROM cc_setting WHERE name IN ('wallboard.wait_amber_s', 'wallboard.wait_red_s')"));
  await waits('the board takes its snapshot again', page.waitForSelector('#wallboard[data-snapshot]', { timeout: 20000 }));
  await page.waitForSelector(`#wb-agent-list [data-agent-id="${A1}"]`, { timeout: 20000 });
  expectEq("agent1's tile: on a break", 'not_ready', await page.getAttribute(`#wb-agent-list [data-agent-id="${A1}"]`, 'data-state'));
  expectEq('the break is counted by its reason', '1 休息 1',
    `${(await page.textContent('#wb-agent-counts li[data-state="not_ready"] .wb-count')).trim()} ${(await page.textContent('#wb-agent-counts .wb-reasons')).trim()}`);
  const answered0 = Number((await fig(page, 'answered')).value);
  expectEq('nothing waits', '0 ', Object.values(await fig(page, 'waiting')).join(' '));
  const loads = [];
  page.on('request', (r) => { if (r.url().includes('/cc/api/wallboard')) loads.push(r.url()); });
  // Which stages each call row showed, and agent1's tile states, as drawn.
  await page.evaluate((a1) => {
    const rec = { stages: {}, tiles: [] };
    window.ccWallRec = rec;
    new MutationObserver(() => {
      document.querySelectorAll('#wb-calls tr[data-call-id]').forEach((tr) => {
        const id = tr.getAttribute('data-call-id'), s = tr.getAttribute('data-stage');
        rec.stages[id] = rec.stages[id] || [];
        if (rec.stages[id][rec.stages[id].length - 1] !== s) rec.stages[id].push(s);
      });
      const tile = document.querySelector(`#wb-agent-list [data-agent-id="${a1}"]`);
      const st = tile && tile.getAttribute('data-state');
      if (st && rec.tiles[rec.tiles.length - 1] !== st) rec.tiles.push(st);
    }).observe(document.getElementById('wallboard'), { childList: true, subtree: true, attributes: true });
  }, A1);

  // --- a call waits -------------------------------------------------------------------------------
  const call = stack.gatewayCall('c1', NUMBER, { caller: CALLER, until_notify: 1 });
  await waits('the call is shown waiting', page.waitForSelector('#wb-calls tr[data-stage="waiting"]', { timeout: 30000 }));
  expectEq('one call waiting', '1', (await fig(page, 'waiting')).value);
  await waits('the longest wait turns amber (2 s)', page.waitForSelector('#fig-longest[data-level="amber"]', { timeout: 20000 }));
  await waits('then red (5 s)', page.waitForSelector('#fig-longest[data-level="red"]', { timeout: 20000 }));
  const w = (await fig(page, 'longest')).value;
  check(`the longest wait ticks (${w})`, /^0:0[5-9]$|^0:[1-9]\d$/.test(w), w);
  await shot(page, 'waiting');

  // --- answered: ringing, then in progress, agent1 on call ---------------------------------------
  stack.ctl('agent.state', `agent=${A1}`, 'state=ready');
  await waits('the call is in progress', page.waitForSelector('#wb-calls tr[data-stage="talking"]', { timeout: 30000 }));
  await waits("agent1's tile turns on call", page.waitForSelector(`#wb-agent-list [data-agent-id="${A1}"][data-state="on_call"]`, { timeout: 20000 }));
  const row = await page.$eval('#wb-calls tr[data-stage="talking"]', (tr) => ({
    id: tr.getAttribute('data-call-id'), cells: Array.from(tr.cells).map((td) => td.textContent.trim()),
  }));
  expectEq('the row: caller, group, 通话中, agent1', `${CALLER} 客服一组 通话中 ${demo.A1_NAME}`, row.cells.slice(0, 4).join(' '));
  const rec = await page.evaluate(() => window.ccWallRec);
  expectEq('the row went waiting, ringing, talking', 'waiting,ringing,talking', (rec.stages[row.id] || []).join(','));
  expectEq("agent1's tile went ready, reserved, on call", 'ready,reserved,on_call',
    rec.tiles.filter((s) => s !== 'not_ready').join(','));
  expectEq('nothing waits any more; the longest wait is back to no colour', '0  0:00 ',
    `${(await fig(page, 'waiting')).value} ${(await fig(page, 'waiting')).level} ${(await fig(page, 'longest')).value} ${(await fig(page, 'longest')).level}`);
  await shot(page, 'talking');

  // --- the hang-up ------------------------------------------------------------------------------------
  stack.tell('c1');
  expectEq("the caller's call completes", 0, await call.done);
  await waits('the answered count goes up by one', page.waitForFunction((n) =>
    document.querySelector('#wb-answered').textContent.trim() === String(n), answered0 + 1, { timeout: 20000 }));
  await waits('the call leaves the board', page.waitForSelector(`#wb-calls tr[data-call-id="${row.id}"]`, { state: 'detached', timeout: 20000 }));
  expectEq('without a reload or a new snapshot', 0, loads.length);
  must('the call record is final', await stack.eventually(() => stack.callFinal(row.id), 30000));

  // --- the wall screen -------------------------------------------------------------------------------
  await page.goto(`${base}/cc/wallboard?kiosk=1`);
  await waits('the wall screen takes its snapshot', page.waitForSelector('#wallboard[data-snapshot]', { timeout: 20000 }));
  const k = await page.evaluate(() => ({
    kiosk: document.body.classList.contains('wb-kiosk'),
    bg: getComputedStyle(document.body).backgroundColor,
    top: getComputedStyle(document.querySelector('.topbar')).display,
    size: parseFloat(getComputedStyle(document.querySelector('#wb-answered')).fontSize),
    side: !!document.querySelector('nav.side'),
  }));
  expectEq('dark, without the top bar or the side navigation', 'true rgb(13, 17, 23) none false',
    `${k.kiosk} ${k.bg} ${k.top} ${k.side}`);
  check(`big figures (${k.size} px)`, k.size >= 60, String(k.size));
  expectEq('the answered count is the same from a new snapshot', String(answered0 + 1), (await fig(page, 'answered')).value);
  check('a full-screen button', await page.$('#wb-fullscreen'));
  await shot(page, 'kiosk');
  check('no script errors or CSP violations', errors.length === 0, errors.join(' | '));
}

steps.run(main, 300);
