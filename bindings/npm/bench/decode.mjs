// decodePhp in Node against the pure-JS unserialize packages and JSON.parse, on getOrders and
// getTarifs answers of ~1 MB and ~20 MB written by real PHP (crates/vpsgate/tests/php/
// bench_payload.php, the payloads of the codec's report). Not run in CI; scripts/perf-report.sh
// runs it at its end.
//
//   (cd tests/npm && npm ci)            # php-serialize, phpunserialize, locutus
//   bindings/npm/build.sh               # the package's wasm
//   node bindings/npm/bench/decode.mjs [runs]
//
// Prints the median of each decoder (ms, MB/s of the PHP input) and the ratios the issue asks
// for: decodePhp over the fastest pure-JS package, and decodePhp over JSON.parse of the same
// answer as JSON (throughput ratio; above 1 means decodePhp is faster).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodePhp } from '../node.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const require = createRequire(join(here, '../../../tests/npm/package.json'));
const phpSerialize = require('php-serialize');
const phpunserialize = require('phpunserialize');
const locutus = require('locutus/php/var/unserialize');

const runs = Number(process.argv[2] || 9);
const dir = join(tmpdir(), 'vpsgate-npm-bench');
mkdirSync(dir, { recursive: true });
execFileSync('php', [join(here, '../../../crates/vpsgate/tests/php/bench_payload.php'), dir], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function once(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
/** Index-keyed objects (0, 1, ...) as arrays, for comparing values across decoders. */
function lists(v) {
  if (Array.isArray(v)) return v.map(lists);
  if (v === null || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => lists(v[k]));
  return Object.fromEntries(keys.map((k) => [k, lists(v[k])]));
}

const rows = [];
const markdown = [
  '| answer | decodePhp (bytes) | decodePhp (string) | JSON.parse (JSON twin) | php-serialize | phpunserialize | locutus | decodePhp vs fastest pure-JS | decodePhp vs JSON.parse |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const [kind, file] of [['getOrders', 'orders'], ['getTarifs', 'tarifs']]) {
  for (const size of ['1mb', '20mb']) {
    const ser = readFileSync(join(dir, `${file}_${size}.ser`));
    const json = readFileSync(join(dir, `${file}_${size}.json`), 'utf8');
    // The pure-JS packages take a JS string (as `response.text()` gives it): each counts PHP's
    // byte lengths on the UTF-8 text itself. Decoding the bytes to that string is left out of
    // their time; decodePhp is timed from the bytes (as fetch's arrayBuffer gives them) and from
    // the same string.
    const utf8 = ser.toString('utf8');
    const n = size === '20mb' ? Math.max(3, Math.ceil(runs / 3)) : runs;
    const mb = ser.length / (1 << 20);
    const decoders = {
      'decodePhp(Uint8Array)': () => decodePhp(ser),
      'decodePhp(string)': () => decodePhp(utf8),
      'JSON.parse (same answer as JSON)': () => JSON.parse(json),
      'php-serialize': () => phpSerialize.unserialize(utf8),
      phpunserialize: () => phpunserialize(utf8),
      'locutus unserialize': () => locutus(utf8),
    };
    // Every decoder must give the same values (PHP lists may come back as index-keyed objects).
    const want = JSON.stringify(JSON.parse(json));
    for (const [name, fn] of Object.entries(decoders)) {
      assert.equal(JSON.stringify(lists(fn())), want, `${name} on ${kind} ${size}`);
    }
    // Side by side: each round times every decoder once, in turn; medians over the rounds.
    const times = Object.fromEntries(Object.keys(decoders).map((k) => [k, []]));
    for (let i = 0; i < n; i++) {
      for (const [name, fn] of Object.entries(decoders)) times[name].push(once(fn));
    }
    const result = Object.fromEntries(Object.entries(times).map(([k, t]) => [k, median(t)]));
    const pure = Math.min(result['php-serialize'], result.phpunserialize, result['locutus unserialize']);
    const ours = result['decodePhp(Uint8Array)'];
    for (const [name, ms] of Object.entries(result)) {
      rows.push({ answer: `${kind} ${size}`, decoder: name, 'median ms': ms.toFixed(1), 'MB/s': (mb / (ms / 1000)).toFixed(0) });
    }
    rows.push({ answer: `${kind} ${size}`, decoder: 'ratio decodePhp / fastest pure-JS', 'median ms': (pure / ours).toFixed(2) + 'x', 'MB/s': '' });
    rows.push({ answer: `${kind} ${size}`, decoder: 'ratio decodePhp / JSON.parse', 'median ms': (result['JSON.parse (same answer as JSON)'] / ours).toFixed(2) + 'x', 'MB/s': '' });
    const ms = (k) => result[k].toFixed(1);
    markdown.push(`| ${kind} ${size} (${mb.toFixed(1)} MB) | ${ms('decodePhp(Uint8Array)')} | ${ms('decodePhp(string)')} | `
      + `${ms('JSON.parse (same answer as JSON)')} | ${ms('php-serialize')} | ${ms('phpunserialize')} | `
      + `${ms('locutus unserialize')} | ${(pure / ours).toFixed(2)}x | `
      + `${(result['JSON.parse (same answer as JSON)'] / ours).toFixed(2)}x |`);
  }
}
console.log(`node ${process.version}, ${runs} runs (20 MB: fewer), medians`);
console.table(rows);
console.log('\nMedian ms per decode (ratios: throughput of decodePhp from bytes over the other):\n');
console.log(markdown.join('\n'));
