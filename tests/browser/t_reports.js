// 数据报表 in a real browser against the real stack: three calls of today as
// the B2BUA leaves them (cc_call rows and their logs): two answered by
// agent1, one abandoned in the queue. The admin opens 数据报表 from the
// side navigation, rolls the figures up (立即汇总), sees the chart drawn by
// ECharts and the table (offered 3, handled 2, abandoned 1); downloads the
// CSV export and finds the page's table in it cell for cell; follows the
// handled count to the call records behind it; switches to the skill
// groups' report. The pages raise no script error or CSP violation.
//
// Run by scripts/test.sh browser (node tests/browser/t_reports.js). Starts
// the stack in a private state folder and stops it at the end, on failure,
// on a signal and at the time limit (180 s). Screenshots:
// $BUILD/test-logs/t_reports-*.png.
'use strict';

const stack = require('./lib/stack');
const steps = require('./lib/steps');
const tap = require('./lib/tap');
const cons = require('./lib/console');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { submit, text } = cons;


const shot = steps.shooter('t_reports');

const IDS = ['0k0000000000000000000000000p0001', '0k0000000000000000000000000p0002', '0k0000000000000000000000000p0003'];

function seed() {
  const { A1, GROUP } = demo;
  const row = (id, ago, answered) => `('${id}', '${id}@test', 'n1', 'inbound', '1390013900${id.slice(-1)}',
      '+861390013900${id.slice(-1)}', '4001', 1, ${GROUP}, ${answered ? `'${A1}'` : 'NULL'}, ${answered ? 1 : 0},
      NOW(3) - INTERVAL ${ago} SECOND, NOW(3) - INTERVAL ${ago - 2} SECOND,
      ${answered ? `NOW(3) - INTERVAL ${ago - 5} SECOND` : 'NULL'}, ${answered ? `NOW(3) - INTERVAL ${ago - 8} SECOND` : 'NULL'},
      NOW(3) - INTERVAL ${ago - 28} SECOND, '${answered ? 'answered' : 'abandoned'}', 'caller',
      '${answered ? 'bridged' : 'queued'}')`;
  stack.sql(`INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, number_id,
      skill_group_id, agent_id, offers, started_at, enqueued_at, offered_at, answered_at, ended_at, result,
      hangup_side, end_state) VALUES ${row(IDS[0], 90, true)}, ${row(IDS[1], 60, true)}, ${row(IDS[2], 40, false)}`);
  const ev = (id, ago, event, agent) => `('${id}', NOW(3) - INTERVAL ${ago} SECOND, '${event}', ${GROUP},
      ${agent ? `'${demo.A1}'` : 'NULL'}, NULL)`;
  stack.sql(`INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, detail) VALUES
    ${ev(IDS[0], 90, 'start')}, ${ev(IDS[0], 88, 'enqueue')}, ${ev(IDS[0], 85, 'offer', true)},
    ${ev(IDS[0], 82, 'answer', true)}, ${ev(IDS[0], 62, 'end', true)},
    ${ev(IDS[1], 60, 'start')}, ${ev(IDS[1], 58, 'enqueue')}, ${ev(IDS[1], 55, 'offer', true)},
    ${ev(IDS[1], 52, 'answer', true)}, ${ev(IDS[1], 32, 'end', true)},
    ${ev(IDS[2], 40, 'start')}, ${ev(IDS[2], 38, 'enqueue')}, ${ev(IDS[2], 12, 'end')}`);
}

// The table as text: one array of cells per row, the header first.
const tableCells = (page) => page.$$eval('#reports-table tr', (trs) =>
  trs.map((tr) => Array.from(tr.children).map((c) => c.textContent.trim())));

// A CSV file's records (RFC 4180: quoted cells may hold commas and quotes).
function parseCsv(s) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') {
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function run(browser, base) {
  seed();
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);

  await submit(page, '#side-reports');
  expectEq('the side navigation leads to 数据报表', '数据报表', await text(page, '#reports-heading'));
  // From a little before the calls: the test may cross midnight.
  const pad = (n) => String(n).padStart(2, '0');
  const at = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const since = at(new Date(Date.now() - 10 * 60000)), until = at(new Date(Date.now() + 86400000));
  await page.goto(`${base}/cc/admin/reports?from=${since}&to=${until}`);
  await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click('#reports-refresh')]);
  const totalOf = async () => (await tableCells(page)).slice(-1)[0];
  const header = (await tableCells(page))[0];
  const col = (label) => header.indexOf(label);
  check('the table has the figures\' columns', col('呼入量') > 1 && col('接通量') > 1 && col('放弃量') > 1,
    header.join('|'));
  const total = await totalOf();
  expectEq('the total row: offered, handled, abandoned', '合计 3 2 1',
    [total[0], total[col('呼入量')], total[col('接通量')], total[col('放弃量')]].join(' '));
  await page.waitForSelector('#reports-chart[data-drawn] svg', { timeout: 30000 });
  check('ECharts drew the chart', Number(await page.getAttribute('#reports-chart', 'data-drawn')) >= 1,
    await page.getAttribute('#reports-chart', 'data-drawn'));
  await shot(page, 'center');

  const href = await page.getAttribute('#reports-csv', 'href');
  const res = await page.request.get(base + href);
  expectEq('the CSV export downloads', 200, res.status());
  check('as an attachment', /attachment; filename="report-center-/.test(res.headers()['content-disposition'] || ''),
    res.headers()['content-disposition']);
  let body = await res.text();
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
  const csv = parseCsv(body);
  const shown = await tableCells(page);
  expectEq('it has the page\'s rows', shown.length, csv.length);
  expectEq('and the page\'s cells, one for one', JSON.stringify(shown), JSON.stringify(csv));

  const handledLink = `#reports-table tbody tr:not(.total) td:nth-child(${col("接通量") + 1}) a.drill`;
  await submit(page, handledLink);
  check('the handled count leads to its calls', page.url().includes('/cc/records?') && page.url().includes('result=answered'),
    page.url());
  const listed = await page.$$eval('#records-list tbody tr[data-id]', (trs) => trs.map((tr) => tr.getAttribute('data-id')));
  expectEq('the two answered calls', [IDS[1], IDS[0]].join(' '), listed.filter((id) => IDS.includes(id)).join(' '));

  await page.goto(`${base}/cc/admin/reports?from=${since}&to=${until}`);
  await submit(page, '#reports-dims a[data-dim="group"]');
  const groups = await tableCells(page);
  check('by skill group: the group\'s row', groups.some((r) => r.includes(demo.GROUP_NAME)), JSON.stringify(groups));
  await shot(page, 'group');

  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 180);
