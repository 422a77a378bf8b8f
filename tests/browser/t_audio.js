// 流程管理 > 音频 in a real browser against the real stack: the admin opens
// the audio library from the console's side navigation, uploads a good WAV
// file (16 kHz stereo) through the form and finds it listed with its format
// and a player; the player in the file's page loads the converted file
// (8 kHz, the upload's length) through the app's session-checked route; a
// file that is not a WAV file comes back with the reason under the file
// field; a file over 5 MB is refused by the page's script before anything
// is sent; the file is renamed; the list reads in English. No script errors
// or CSP violations on any page.
//
// Run by scripts/test.sh browser (node tests/browser/t_audio.js). The stack
// is stopped at the end, on failure, on a signal and at the time limit
// (TEST_TIMEOUT_S, 180 s).
'use strict';

const tap = require('./lib/tap');
const stack = require('./lib/stack');
const steps = require('./lib/steps');
const cons = require('./lib/console');

const { check, expectEq } = tap;
const { must } = steps;

const { submit, text } = cons;

// A WAV file: 16-bit PCM, rate, channels, seconds of a 440 Hz tone.
function wav(rate, channels, seconds) {
  const frames = Math.round(rate * seconds);
  const data = frames * channels * 2;
  const b = Buffer.alloc(44 + data);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + data, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(rate, 24);
  b.writeUInt32LE(rate * channels * 2, 28);
  b.writeUInt16LE(channels * 2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    for (let c = 0; c < channels; c++) b.writeInt16LE(v, 44 + (i * channels + c) * 2);
  }
  return b;
}

async function run(browser, base) {
  const errors = [];
  const page = await cons.adminPage(browser, base, errors);
  await submit(page, '#side-audio');
  expectEq('the side navigation leads to the audio library', '音频', await text(page, 'h1'));
  expectEq('the side navigation marks it current', 'page', await page.getAttribute('#side-audio', 'aria-current'));
  expectEq('the demo prompts are listed', 3, (await page.$$('#audio-list tbody tr[data-id]')).length);

  // --- upload a good file -------------------------------------------------------------
  const before = stack.dirTicket();
  await submit(page, '#audio-upload');
  expectEq('the upload page is shown', '上传音频', await text(page, 'h1'));
  await page.setInputFiles('#f-file', { name: '排队音乐.wav', mimeType: 'audio/wav', buffer: wav(16000, 2, 1.2) });
  await page.fill('#f-description', '浏览器上传');
  await page.selectOption('#f-kind', 'music');
  await submit(page, '#audio-submit');
  check('uploading goes back to the list', page.url().endsWith('/cc/admin/audio?done=uploaded'), page.url());
  expectEq('which says it was uploaded', '已上传。', await text(page, '#audio-notice'));
  const id = stack.sql("SELECT id FROM cc_audio WHERE name = '排队音乐'");
  must('the row is in the database, named after the file', /^[0-9]+$/.test(id), id);
  expectEq('with the original format and what was typed', 'pcm|16000|2|16|1200|music|浏览器上传',
    stack.sql(`SELECT CONCAT_WS('|', codec, sample_rate, channels, bits, duration_ms, kind, description) FROM cc_audio WHERE id = ${id}`));
  must('the B2BUA re-read its directory', await stack.eventually(() => stack.dirTicket() > before, 20000));
  const row = `#audio-list tr[data-id="${id}"]`;
  expectEq('the list shows its format', 'PCM 16 位 · 16 kHz · 立体声', await text(page, `${row} td[data-col="format"]`));
  expectEq('and its length', '0:01.2', await text(page, `${row} td[data-col="duration"]`));
  expectEq('and a player for it', `/cc/admin/audio/${id}/play`, await page.getAttribute(`${row} audio.audio-play`, 'src'));

  // --- play --------------------------------------------------------------------------
  await submit(page, `${row} a.audio-name`);
  expectEq("the file's page is shown", '排队音乐', await text(page, 'h1'));
  const played = await page.evaluate(() => new Promise((resolve) => {
    const a = document.getElementById('audio-player');
    const done = () => resolve({ state: a.readyState, duration: a.duration, error: a.error && a.error.code });
    if (a.readyState >= 1) return done();
    a.addEventListener('loadedmetadata', done, { once: true });
    a.addEventListener('error', done, { once: true });
    a.load();
  }));
  check('the player loads the converted file through the app', played.state >= 1 && !played.error, JSON.stringify(played));
  check('of the upload\'s length', Math.abs(played.duration - 1.2) < 0.05, String(played.duration));
  const resp = await page.request.get(`${base}/cc/admin/audio/${id}/play`);
  expectEq('served as audio/wav', 'audio/wav', resp.headers()['content-type']);
  const body = await resp.body();
  expectEq('8 kHz mono 16-bit', '8000 1 16', `${body.readUInt32LE(24)} ${body.readUInt16LE(22)} ${body.readUInt16LE(34)}`);
  check('a download of the original is offered', (await page.getAttribute('#audio-download', 'href')).endsWith(`/audio/${id}/original`));

  // --- rename ------------------------------------------------------------------------
  await page.fill('#f-name', '排队音乐 二');
  await submit(page, '#audio-save');
  check('saving goes back to the list', page.url().endsWith('/cc/admin/audio?done=updated'), page.url());
  expectEq('which says it was saved', '已保存。', await text(page, '#audio-notice'));
  expectEq('the list shows the new name', '排队音乐 二', await text(page, `${row} a.audio-name`));
  expectEq('and so does the database', '排队音乐 二', stack.sql(`SELECT name FROM cc_audio WHERE id = ${id}`));

  // --- a file that is not a WAV file -----------------------------------------------------
  const n = stack.sql('SELECT COUNT(*) FROM cc_audio');
  await page.goto(`${base}/cc/admin/audio/new`);
  await page.setInputFiles('#f-file', { name: 'notes.wav', mimeType: 'audio/wav', buffer: Buffer.from('这是文字，不是声音。\n') });
  await page.fill('#f-name', '笔记');
  const [r422] = await Promise.all([page.waitForNavigation({ timeout: 30000 }), page.click('#audio-submit')]);
  expectEq('a text file is refused (422)', 422, r422 && r422.status());
  expectEq('with the reason under the file field', '这不是 WAV 文件（没有 RIFF/WAVE 文件头）。请上传 .wav 格式的音频。', await text(page, '#err-file'));
  check('shown to the user', await page.isVisible('#err-file'));
  expectEq('the name typed is kept', '笔记', await page.inputValue('#f-name'));
  expectEq('nothing was written', n, stack.sql('SELECT COUNT(*) FROM cc_audio'));

  // --- too large: the page says so before sending --------------------------------------
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST') posts.push(r.url()); });
  await page.setInputFiles('#f-file', { name: 'long.wav', mimeType: 'audio/wav', buffer: wav(8000, 1, 330) });
  await page.click('#audio-submit');
  expectEq('a file over 5 MB is refused at once', '文件太大：最大 5 MB。', await text(page, '#err-file'));
  await page.evaluate(() => document.readyState);
  expectEq('and not sent', '', posts.join(','));

  // --- English ---------------------------------------------------------------------------
  await page.goto(`${base}/cc/admin/audio?lang=en`);
  expectEq('in English the page is Audio', 'Audio', await text(page, 'h1'));
  expectEq('with the format in English', 'PCM 16-bit · 16 kHz · stereo', await text(page, `${row} td[data-col="format"]`));

  check('no script errors or CSP violations on the pages', errors.length === 0, errors.join(' | '));
}

steps.run(() => cons.withStack(run), 180);
