// The admin console's browser tests: a stack and Chromium for the test's
// run(browser, base), the admin signed in through the real form, forms
// submitted, text read.
'use strict';

const stack = require('./stack');
const steps = require('./steps');
const wb = require('./workbench');
const { demo } = require('./env');

// withStack(run): the stack started, Chromium launched, run(browser, base);
// the browser closed after (the stack is stopped by steps.run).
async function withStack(run) {
  const ports = await steps.waits('the stack starts (scripts/stack.sh start --demo)', stack.start());
  const base = `http://127.0.0.1:${ports.HTTP_PORT}`;
  const browser = await wb.launch();
  try {
    await run(browser, base);
  } finally {
    await browser.close().catch(() => {});
  }
}

// signIn(page, base, user, password, url): through the sign-in form, until
// the page lands on url (a glob).
async function signIn(page, base, user, password, url) {
  await page.goto(`${base}/cc/login`);
  await page.fill('#username', user);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(url, { timeout: 30000 }), page.click('#btn-login')]);
}

// adminPage(browser, base, errors): a page of a new context (zh-CN, a wide
// window) with the demo's admin signed in, on the console; its script
// errors and CSP violations go into errors.
async function adminPage(browser, base, errors) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  wb.collectErrors(page, errors);
  await steps.waits('the admin signs in to the console',
    signIn(page, base, demo.ADMIN_LOGIN, demo.ADMIN_PASSWORD, '**/cc/admin'));
  return page;
}

// Submits the form whose button is sel and waits for the page that follows.
async function submit(page, sel) {
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click(sel)]);
}

const text = async (page, sel) => ((await page.textContent(sel)) || '').trim();

module.exports = { withStack, signIn, adminPage, submit, text };
