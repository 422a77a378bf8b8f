// The IVR editor's handles for browser tests (流程管理 > IVR流程 > a flow):
// the console's IVR API from inside a page, opening the editor, finding a
// node on the canvas, dragging an exit to a node, filling a panel's field,
// the editor's message and its document.
'use strict';

const stack = require('./stack');
const cons = require('./console');

// A JSON request of the console's API from inside the page (its session
// and CSRF token): { status, body }.
function api(page, method, url, body) {
  return page.evaluate(async ([m, u, b]) => {
    const csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
    const opts = { method: m, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } };
    if (b !== null) { opts.headers['Content-Type'] = 'application/json'; opts.body = JSON.stringify(b); }
    const res = await fetch(u, opts);
    return { status: res.status, body: await res.json().catch(() => null) };
  }, [method, `/cc/api/admin/ivr${url}`, body === undefined ? null : body]);
}

// Opens the editor of flow id and waits until it has loaded.
async function openEditor(page, base, id) {
  await page.goto(`${base}/cc/admin/ivr/${id}`);
  await page.waitForSelector('#ivr-editor[data-ready="1"]', { state: 'attached', timeout: 30000 });
}

const docOf = (page) => page.evaluate(() => document.getElementById('ivr-editor').ivrDocument());
const nodeSel = (fid) => `g.x6-node:has(rect[data-node="${fid}"])`;
const nodeCount = (page) => page.$$eval('g.x6-node', (l) => l.length);
// The number of nodes drawn once it is want (X6 draws asynchronously), or
// what it is after 5 s.
async function countBecomes(page, want) {
  return (await stack.eventually(async () => ((await nodeCount(page)) === want ? want : 0), 5000)) || nodeCount(page);
}

async function center(page, sel) {
  const b = await page.locator(sel).first().boundingBox();
  if (!b) throw new Error(`${sel} is not on the screen`);
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

// Drags from the exit port of node from to node to, as a person does.
async function connect(page, from, port, to) {
  const a = await center(page, `${nodeSel(from)} [port${port.endsWith(':') ? '^' : ''}="${port}"]`);
  const b = await center(page, `${nodeSel(to)} rect[data-node="${to}"]`);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

// Types into a panel field and lets it know (its change event).
async function setField(page, sel, value) {
  const l = page.locator(sel).first();
  await l.fill(value);
  await l.dispatchEvent('change');
}

// The attributes of the element <tag id="id" …> in a document, as an object.
function attrsOf(doc, tag, id) {
  const m = new RegExp(`<${tag} id="${id}"([^>]*?)/?>`).exec(doc);
  if (!m) return null;
  const out = {};
  for (const a of m[1].matchAll(/([a-z-]+)="([^"]*)"/g)) out[a[1]] = a[2];
  return out;
}

// The editor's message once one is shown: { kind, text }.
async function waitMessage(page) {
  await page.waitForFunction(() => {
    const m = document.getElementById('ivr-message');
    return m && !m.hidden && m.getAttribute('data-kind');
  }, null, { timeout: 30000 });
  return { kind: await page.getAttribute('#ivr-message', 'data-kind'), text: await cons.text(page, '#ivr-message') };
}

module.exports = { api, openEditor, docOf, nodeSel, nodeCount, countBecomes, center, connect, setField, attrsOf, waitMessage };
