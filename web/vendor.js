// Puts the console's browser-side libraries where nginx serves them
// (/cc/static/vendor/ is fcgi-app/static/vendor/, which git ignores):
//   x6.min.js  AntV X6's UMD bundle (window.X6, plugins included)
//   x6.css     X6's style sheets as one file: X6 would insert them as <style>
//              elements, which the console's Content-Security-Policy refuses,
//              so the page links this file and sets X6.Config.autoInsertCSS
//              to false.
//   echarts.min.js  Apache ECharts' UMD bundle (window.echarts): the reports'
//              and the wallboard's charts.
//   jssip.min.js  JsSIP (window.JsSIP), the workbench's browser phone. Its
//              npm package ships CommonJS only since 3.11, so it is bundled
//              here with esbuild (the bundler JsSIP's own build uses) into
//              one script; the same input gives the same bytes.
// Run by scripts/deps.sh after `npm ci` in web/; writes only when a file
// differs, and exits non-zero when a part is missing.
'use strict';

const fs = require('fs');
const path = require('path');

const x6 = path.join(__dirname, 'node_modules/@antv/x6');
const out = path.resolve(__dirname, '../fcgi-app/static/vendor');

// The style sheets X6 would insert: the core's and the plugins' the editor
// uses, each the template literal of a generated raw.ts.
const sheets = ['src/style/raw.ts', 'src/plugin/selection/style/raw.ts', 'src/plugin/snapline/style/raw.ts'];

function css(file) {
  const text = fs.readFileSync(path.join(x6, file), 'utf8');
  const m = /content\s*=\s*`([\s\S]*?)`/.exec(text);
  if (!m) throw new Error(`${file}: no style sheet found`);
  return `/* @antv/x6 ${file} */\n${m[1].trim()}\n`;
}

function put(name, data) {
  const file = path.join(out, name);
  try {
    if (fs.readFileSync(file).equals(Buffer.from(data))) return;
  } catch (e) { /* missing: written below */ }
  fs.writeFileSync(`${file}.tmp`, data);
  fs.renameSync(`${file}.tmp`, file);
}

fs.mkdirSync(out, { recursive: true });
const pkg = JSON.parse(fs.readFileSync(path.join(x6, 'package.json'), 'utf8'));
put('x6.min.js', fs.readFileSync(path.join(x6, 'dist/x6.min.js')));
put('x6.css', `/* AntV X6 ${pkg.version} (MIT): its style sheets, collected by web/vendor.js */\n` +
  sheets.map(css).join('\n'));
const echarts = path.join(__dirname, 'node_modules/echarts');
put('echarts.min.js', fs.readFileSync(path.join(echarts, 'dist/echarts.min.js')));
const jssip = path.join(__dirname, 'node_modules/jssip');
const jssipPkg = JSON.parse(fs.readFileSync(path.join(jssip, 'package.json'), 'utf8'));
const bundle = require('esbuild').buildSync({
  entryPoints: [path.join(jssip, jssipPkg.main)], bundle: true, minify: true, format: 'iife',
  globalName: 'JsSIP', platform: 'browser', target: 'es2019', write: false, legalComments: 'none',
  banner: { js: `/* JsSIP ${jssipPkg.version} (MIT, https://jssip.net) with debug, events and sdp-transform (MIT): bundled by web/vendor.js */` },
});
put('jssip.min.js', bundle.outputFiles[0].contents);
