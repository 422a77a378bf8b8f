// 通话记录 in a real browser against the real stack: two calls of today as
// the B2BUA leaves them (rows of cc_call and their event log): one answered
// by agent1, one abandoned in the queue. The admin opens 报表 › 通话记录 from
// the console's side navigation, sees both, filters by result (放弃) and
// sees one, opens the answered call from the list and reads its timeline
// in order (呼叫开始, 进入队列, 分配坐席, 坐席振铃, 坐席接听, 通话结束) with offsets
// from the start; the answered call's recording (a WAV as cc-web's worker
// leaves it) plays in the page's player, which reads its length through the
// route; the pages raise no script error or CSP violation.
//
// Run by scripts/test.sh browser (node tests/browser/t_records.js). Starts
// the stack in a private state folder and stops it at the end, on failure,
// on a signal and at the time limit (180 s). Screenshots:
// $BUILD/test-logs/t_records-*.png.
'use strict';

const fs = require('fs');
const path = require('path');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const tap = require('./lib/tap');
const cons = require('./lib/console');
const { demo } = require('./lib/env');

const { check, expectEq } = tap;
const { submit, text } = cons;


const shot = steps.shooter('t_records');

const ANSWERED = '0k0000000000000000000000000r0001';
const ABANDONED = '0k0000000000000000000000000r0002';

function seed() {
  const { A1, GROUP, KNOWN_CALLER } = demo;
  // Times relative to now (the list shows today by default): A began 60 s
  // ago and talked 40 s; B began 30 s ago and hung up in the queue.
  stack.sql(`INSERT INTO cc_call (id, sip_call_id, node, direction, caller, caller_norm, callee, skill_group_id,
      agent_id, offers, started_at, enqueued_at, offered_at, answered_at, ended_at, result, hangup_side, end_state)
    VALUES ('${ANSWERED}', 'r1@test', 'n1', 'inbound', '${KNOWN_CALLER}', '+86${KNOWN_CALLER}', '4001', ${GROUP},
      '${A1}', 1, NOW(3) - INTERVAL 60 SECOND, NOW(3) - INTERVAL 58 SECOND, NOW(3) - INTERVAL 55 SECOND,
      NOW(3) - INTERVAL 50 SECOND, NOW(3) - INTERVAL 10 SECOND, 'answered', 'caller', 'bridged'),
    ('${ABANDONED}', 'r2@test', 'n1', 'inbound', '13900139888', '+8613900139888', '4001', ${GROUP},
      NULL, 0, NOW(3) - INTERVAL 30 SECOND, NOW(3) - INTERVAL 28 SECOND, NULL, NULL, NOW(3) - INTERVAL 20 SECOND,
      'abandoned', 'caller', 'queued')`);
  stack.sql(`INSERT INTO cc_call_event (call_id, at, event, skill_group_id, agent_id, detail) VALUES
    ('${ANSWERED}', NOW(3) - INTERVAL 60 SECOND, 'start', NULL, NULL, '${KNOWN_CALLER}'),
    ('${ANSWERED}', NOW(3) - INTERVAL 58 SECOND, 'enqueue', ${GROUP}, NULL, NULL),
    ('${ANSWERED}', NOW(3) - INTERVAL 55 SECOND, 'offer', ${GROUP}, '${A1}', '${demo.A1_SIP}'),
    ('${ANSWERED}', NOW(3) - INTERVAL 54 SECOND, 'ringing', ${GROUP}, '${A1}', NULL),
    ('${ANSWERED}', NOW(3) - INTERVAL 50 SECOND, 'answer', ${GROUP}, '${A1}', NULL),
    ('${ANSWERED}', NOW(3) - INTERVAL 10 SECOND, 'end', NULL, '${A1}', 'answered'),
    ('${ABANDONED}', NOW(3) - INTERVAL 30 SECOND, 'start', NULL, NULL, '13900139888'),
    ('${ABANDONED}', NOW(3) - INTERVAL 28 SECOND, 'enqueue', ${GROUP}, NULL, NULL),
    ('${ABANDONED}', NOW(3) - INTERVAL 20 SECOND, 'end', NULL, NULL, 'abandoned')`);
}

// A ready recording of the answered call: 3 s of a 440 Hz tone, 8 kHz mono
// 16-bit, where the worker puts it, and its row.
function seedRecording() {
  const n = 3 * 8000, wav = Buffer.alloc(44 + 2 * n);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + 2 * n, 4); wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24); wav.writeUInt32LE(16000, 28); wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34); wav.write('data', 36); wav.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) wav.writeInt16LE(Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / 8000)), 44 + 2 * i);
  const rel = `2026/01/01/${ANSWERED}.wav`, file = path.join(stack.state(), 'recordings', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, wav);
  stack.sql(`INSERT INTO cc_recording (call_id, agent_id, state, file, duration_ms, size, created_at, converted_at, expires_at)
    VALUES ('${ANSWERED}', '${demo.A1}', 'ready', '${rel}', 3000, ${wav.length}, NOW(3), NOW(3), NOW(3) + INTERVAL 90 DAY)`);
}

const rows = (page) => page.$$eval('#records-list tbody tr[data-id]', (trs) => trs.map((tr) => tr.getAttribute('data-id')));

async function run(browser, base) {
  seed();
  seedRecording();
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);

  await submit(page, '#side-records');
  expectEq('the side navigation leads to 通话记录', '通话记录', await text(page, '#records-heading'));
  await shot(page, 'list');
  expectEq('both calls are listed, newest first', `${ABANDONED} ${ANSWERED}`,
    (await rows(page)).filter((id) => id === ANSWERED || id === ABANDONED).join(' '));
  expectEq('the answered call names agent1', demo.A1_NAME, await text(page, `tr[data-id="${ANSWERED}"] td[data-col="agent"]`));
  expectEq('its talk time', '0:40', await text(page, `tr[data-id="${ANSWERED}"] td[data-col="talk"]`));
  expectEq('the abandoned call says where it was lost', '放弃 (排队中)',
    (await text(page, `tr[data-id="${ABANDONED}"] td[data-col="result"]`)).replace(/\s+/g, ' '));

  await page.selectOption('#rf-result', 'abandoned');
  await submit(page, '#records-go');
  check('the filter is in the address', page.url().includes('result=abandoned'), page.url());
  expectEq('filtered by result: the abandoned call alone', ABANDONED,
    (await rows(page)).filter((id) => id === ANSWERED || id === ABANDONED).join(' '));

  await page.fill('#rf-from', 'not a date');
  await submit(page, '#records-go');
  expectEq('a bad date says which field', 'from', await page.getAttribute('#records-error', 'data-field'));

  await page.goto(`${base}/cc/records`);
  await submit(page, `tr[data-id="${ANSWERED}"] a.records-open`);
  check('the row opens the call\'s page', page.url().endsWith(`/cc/records/${ANSWERED}`), page.url());
  const events = await page.$$eval('#record-timeline tbody tr[data-event]', (trs) => trs.map((tr) => tr.getAttribute('data-event')));
  await shot(page, 'detail');
  expectEq('its timeline, in order', 'start enqueue offer ringing answer end', events.join(' '));
  const labels = await page.$$eval('#record-timeline tbody tr[data-event] td:nth-child(3)', (tds) => tds.map((td) => td.textContent.trim()));
  expectEq('in words', '呼叫开始 进入队列 分配坐席 坐席振铃 坐席接听 通话结束', labels.join(' '));
  const offsets = await page.$$eval('#record-timeline tbody tr[data-event] td:nth-child(2)', (tds) => tds.map((td) => td.textContent.trim()));
  expectEq('with offsets from the start', '+0.0s +2.0s +5.0s +6.0s +10.0s +50.0s', offsets.join(' '));
  expectEq('the talk time among the facts', '0:40', await text(page, 'tr[data-fact="talk_s"] td'));
  expectEq('the facts say it was recorded', '已录音，见下方播放', await text(page, 'tr[data-fact="recording"] td'));
  const src = await page.getAttribute('#record-recording audio', 'src');
  expectEq('a player for its recording', `/cc/api/records/${ANSWERED}/recording.wav`, src);
  const duration = await page.$eval('#record-recording audio', (a) => new Promise((resolve) => {
    if (a.readyState >= 1) return resolve(a.duration);
    a.addEventListener('loadedmetadata', () => resolve(a.duration));
    a.addEventListener('error', () => resolve(-1));
    a.load();
  }));
  expectEq('which loads it through the route: 3 s', '3.0', duration.toFixed(1));
  await shot(page, 'recording');

  await page.goto(`${base}/cc/records/${ABANDONED}`);
  expectEq('a call not recorded says so', '无录音', await text(page, 'tr[data-fact="recording"] td'));

  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 180);
