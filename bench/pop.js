#!/usr/bin/env node
// bench/pop.js: screen-pop latency as an agent sees it. Headless Chromium
// (Debian's, driven by playwright-core from tests/browser/node_modules) signs
// an agent in through the real login page, presses "sign in" on the
// workbench, then records every screen pop the page shows: the B2BUA's `ts`
// (when the agent's 200 OK arrived, ms since the epoch) and Date.now() in the
// page when the pop was shown (the workbench's own data-received, and a
// MutationObserver's reading as a cross-check). Same machine, same clock.
//
//   node bench/pop.js BASE_URL USER PASSWORD COUNT TIMEOUT_S OUT_JSON READY_FILE
//
// READY_FILE is created once the agent is ready and the page listens; the
// caller then places COUNT calls. Exits when COUNT pops were seen or after
// TIMEOUT_S; OUT_JSON gets {pops: [{call, ts, received, observed,
// answered_at}], ...}: answered_at is when the call.answered event of the same
// call arrived on a second event stream of the page.
'use strict';
const path = require('path');
const fs = require('fs');
const { chromium } = require(path.join(__dirname, '..', 'tests', 'browser', 'node_modules', 'playwright-core'));

const [base, user, password, countS, timeoutS, outFile, readyFile] = process.argv.slice(2);
const count = Number(countS);
const deadline = Date.now() + Number(timeoutS) * 1000;

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const result = { pops: [], error: null };
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/cc/login?lang=en`);
    await page.fill('#username', user);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(/\/cc\/workbench/, { timeout: 15000 }), page.click('#btn-login')]);
    // The event stream is up when the B2BUA link is reported.
    await page.waitForSelector('#workbench[data-b2bua="up"]', { timeout: 15000 });
    // Sign in (the agent may still be signed in from an earlier run: then
    // sign out first, so that every run goes through the button).
    if (await page.getAttribute('#state', 'data-state') !== 'logged_out') {
      await page.click('#btn-signout');
      await page.waitForSelector('#state[data-state="logged_out"]', { timeout: 15000 });
    }
    await page.click('#btn-signin');
    await page.waitForSelector('#state[data-state="ready"]', { timeout: 15000 });
    // The event stream has been open since the page loaded; give it a moment.
    await page.waitForTimeout(500);
    await page.evaluate(() => {
      window.__pops = [];
      const pop = document.getElementById('pop');
      new MutationObserver(() => {
        const now = Date.now();
        const call = pop.getAttribute('data-call-id');
        const last = window.__pops[window.__pops.length - 1];
        if (!call || (last && last.call === call)) return;
        window.__pops.push({
          call, ts: Number(pop.getAttribute('data-ts')),
          received: Number(pop.getAttribute('data-received')), observed: now,
        });
      }).observe(pop, { attributes: true, attributeFilter: ['data-received'] });
    });
    // A second event stream in the same page (same session), recording when
    // each call.answered event arrives: the B2BUA -> cc-web -> nginx -> browser
    // path without the pop loader, to tell the two apart.
    await page.evaluate(() => new Promise((resolve, reject) => {
      window.__answered = {};
      const es = new EventSource('/cc/events');
      es.addEventListener('call.answered', (m) => {
        const now = Date.now();
        try { const d = JSON.parse(m.data); window.__answered[d.call] = { ts: d.ts, at: now }; } catch (e) { /* ignore */ }
      });
      es.addEventListener('hello', () => resolve());
      setTimeout(() => reject(new Error('second event stream did not open')), 10000);
      window.__es2 = es;
    }));
    fs.writeFileSync(readyFile, 'ready\n');
    let n = 0;
    while (Date.now() < deadline) {
      n = await page.evaluate(() => window.__pops.length);
      if (n >= count) break;
      await page.waitForTimeout(200);
    }
    await page.waitForTimeout(300);
    result.pops = await page.evaluate(() => window.__pops.map((p) => {
      const a = window.__answered[p.call];
      return Object.assign({}, p, { answered_at: a ? a.at : null });
    }));
    result.state = await page.getAttribute('#state', 'data-state');
    // Leave the agent signed out, as a person would at the end of a shift.
    await page.waitForSelector('#btn-signout:not([disabled])', { timeout: 10000 }).catch(() => {});
    await page.click('#btn-signout').catch(() => {});
    await page.waitForSelector('#state[data-state="logged_out"]', { timeout: 10000 }).catch(() => {});
  } catch (e) {
    result.error = String(e && e.message || e);
  } finally {
    fs.writeFileSync(outFile, JSON.stringify(result));
    await browser.close();
  }
  process.exit(result.error ? 1 : 0);
}
main();
