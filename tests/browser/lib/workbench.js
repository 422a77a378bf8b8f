// Driving the web app in Debian's Chromium: launch, sign in through the
// real form, and watch a workbench page.
//
// watch(page) installs a recorder in the page that notes every time the
// ringing banner (with the call the pop showed at that moment, if any) or
// the pop is shown (a MutationObserver on the call panel,
// so a banner shown for half a second is not missed), and opens a second
// event stream of the same session that logs every event's name: on the
// agent who takes the call it is the positive control, on the other agent it
// proves that nothing about the call reached that browser. The page's own
// code is not touched: its timing (#pop[data-received]) is the page's own.
'use strict';

const { chromium } = require('playwright-core');

// launch(extraArgs): Chromium with the tests' flags and extraArgs (the
// browser phone's test adds fake media devices).
async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    // Our own handlers stop the stack on a signal; Playwright's exit handler
    // still kills the browser.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

// Script errors and CSP violations of a page, collected for a final check.
function collectErrors(page, into) {
  page.on('pageerror', (e) => into.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) into.push(`console: ${m.text()}`);
  });
}

// signIn(context, base, username, password, errors): a new page signed in
// through the sign-in form; resolves when the workbench is shown and its
// event stream (GET /cc/events) answered: { page, eventsStatus }. The
// page's script errors and CSP violations go into errors.
async function signIn(context, base, username, password, errors) {
  const page = await context.newPage();
  if (errors) collectErrors(page, errors);
  const events = page.waitForResponse((r) => r.url().endsWith('/cc/events'), { timeout: 30000 });
  events.catch(() => {});
  await page.goto(`${base}/cc/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL('**/cc/workbench', { timeout: 30000 }), page.click('#btn-login')]);
  await page.waitForSelector('#workbench');
  const r = await events;
  return { page, eventsStatus: r.status() };
}

async function watch(page) {
  await page.evaluate(() => {
    const rec = { ringing: [], pops: [], events: [], streamOpen: false };
    window.ccTestRec = rec;
    const ringing = document.getElementById('ringing');
    const pop = document.getElementById('pop');
    const text = (id) => (document.getElementById(id) || {}).textContent || '';
    const note = () => {
      const rc = ringing.getAttribute('data-call-id');
      if (!ringing.hidden && !rec.ringing.some((x) => x.call === rc)) {
        rec.ringing.push({ call: rc, caller: text('ringing-caller'), name: text('ringing-name'),
          popCall: pop.hidden ? null : pop.getAttribute('data-call-id'), at: Date.now() });
      }
      const pc = pop.getAttribute('data-call-id');
      if (!pop.hidden && !rec.pops.some((x) => x.call === pc)) rec.pops.push({ call: pc, at: Date.now() });
    };
    new MutationObserver(note).observe(document.getElementById('call-panel'),
      { attributes: true, subtree: true, childList: true });
    note();
    const es = new EventSource('/cc/events');
    es.onopen = () => { rec.streamOpen = true; };
    ['hello', 'link', 'agent.state', 'agent.registration', 'call.queued', 'call.ringing', 'call.answered',
      'call.offer_failed', 'call.ended', 'pop', 'bye'].forEach((name) => {
      es.addEventListener(name, (m) => {
        let call = null;
        try { call = JSON.parse(m.data).call || null; } catch (e) { /* not JSON */ }
        rec.events.push({ name, call, at: Date.now() });
      });
    });
  });
  // The recorder's stream is open once its hello arrived.
  await page.waitForFunction(() => window.ccTestRec.events.some((e) => e.name === 'hello'), null, { timeout: 20000 });
}

const record = (page) => page.evaluate(() => JSON.parse(JSON.stringify(window.ccTestRec)));

module.exports = { launch, collectErrors, signIn, watch, record };
