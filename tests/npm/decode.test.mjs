// decodePhp / encodePhp of the installed package against real PHP: cases written by
// php/cases.php (serialize() + json_encode(unserialize())), compared value by value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodePhp, encodePhp, VpsgateError } from 'vpsgate';

const script = fileURLToPath(new URL('./php/cases.php', import.meta.url));
const cases = JSON.parse(execFileSync('php', [script, '400', '7'], { maxBuffer: 64 << 20 }));
const bytes = (c) => Buffer.from(c.php, 'base64');

test('PHP wrote the cases', () => {
  assert.ok(cases.length >= 400);
  const all = cases.map((c) => bytes(c).toString('latin1')).join('');
  for (const needle of ['i:9223372036854775807;', 'd:INF;', 'd:NAN;', 'i:-', '\xd0\xbc']) {
    assert.ok(all.includes(needle), `no case holds ${JSON.stringify(needle)}`);
  }
});

test('decodePhp(bytes, {bigint: "string"}) equals JSON.parse(json_encode(unserialize()))', () => {
  for (const [i, c] of cases.entries()) {
    const got = decodePhp(new Uint8Array(bytes(c)), { bigint: 'string' });
    const want = JSON.parse(c.json);
    assert.deepStrictEqual(got, want, `case ${i}: ${bytes(c).toString('latin1')}`);
    // deepStrictEqual leaves key order out; the text has it.
    assert.equal(JSON.stringify(got), JSON.stringify(want), `case ${i}: key order`);
  }
});

// Maps that repeat their keys (the rows of an answer), which the wasm writes as msgpackr
// records: lists of them, nested, more shapes than record ids, shapes that change or alternate,
// keys that start as a record's and then differ (the codec's tests/php/gen_records.php).
test('decodePhp of repeated records equals JSON.parse(json_encode()), key order included', () => {
  const records = fileURLToPath(new URL('../../crates/vpsgate/tests/php/gen_records.php', import.meta.url));
  const lines = execFileSync('php', [records], { maxBuffer: 64 << 20 }).toString().trim().split('\n');
  assert.ok(lines.length > 300, `${lines.length} cases`);
  for (const [i, line] of lines.entries()) {
    const [, ser, json] = line.split('\t');
    const got = decodePhp(new Uint8Array(Buffer.from(ser, 'hex')));
    const want = JSON.parse(Buffer.from(json, 'hex').toString('utf8'));
    assert.deepStrictEqual(got, want, `case ${i}`);
    assert.equal(JSON.stringify(got), JSON.stringify(want), `case ${i}: key order`);
  }
});

test('default decodePhp: numbers exact within 2^53, BigInt beyond', () => {
  const exact = (v) => {
    if (typeof v === 'bigint') return v.toString();
    if (Array.isArray(v)) return v.map(exact);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, exact(x)]));
    return v;
  };
  let bigints = 0;
  for (const [i, c] of cases.entries()) {
    const got = decodePhp(bytes(c));
    const text = JSON.stringify(got, (_, v) => (typeof v === 'bigint' ? (bigints++, `${v}`) : v));
    assert.ok(text !== undefined || got === undefined);
    assert.deepStrictEqual(exact(got), JSON.parse(c.json), `case ${i}`);
  }
  assert.ok(bigints > 0, 'no BigInt seen');
  assert.equal(decodePhp('i:9223372036854775807;'), 9223372036854775807n);
  assert.equal(decodePhp('i:-9007199254740993;', { bigint: 'string' }), '-9007199254740993');
  assert.equal(decodePhp('i:9007199254740991;'), 9007199254740991);
});

test('maps: "ordered" keeps PHP key order where an object would not, "always" everywhere', () => {
  let maps = 0;
  for (const [i, c] of cases.entries()) {
    if (!c.keys) continue;
    const ordered = decodePhp(bytes(c), { maps: 'ordered', bigint: 'string' });
    const always = decodePhp(bytes(c), { maps: 'always', bigint: 'string' });
    const isList = c.keys.every((k, n) => k === String(n));
    if (isList) {
      assert.ok(Array.isArray(ordered), `case ${i}`);
      continue;
    }
    assert.ok(always instanceof Map, `case ${i}`);
    assert.deepStrictEqual([...always.keys()], c.keys, `case ${i}`);
    const keys = ordered instanceof Map ? (maps++, [...ordered.keys()]) : Object.keys(ordered);
    assert.deepStrictEqual(keys, c.keys, `case ${i}`);
  }
  assert.ok(maps > 0, 'no case needed a Map');
});

test('strings as input, Cyrillic byte-exact, errors with offsets', () => {
  assert.equal(decodePhp('s:6:"мир";'), 'мир');
  assert.deepStrictEqual(decodePhp('a:1:{s:6:"имя";s:4:"Ёж";}'), { имя: 'Ёж' });
  // s:1:"\xd0"; is a lone lead byte: one U+FFFD, as JSON_INVALID_UTF8_SUBSTITUTE shows it.
  assert.equal(decodePhp(new Uint8Array([0x73, 0x3a, 0x31, 0x3a, 0x22, 0xd0, 0x22, 0x3b])), '\ufffd');
  for (const [input, offset] of [['a:1:{i:0;', 9], ['x', 0], ['s:5:"abc";', 10]]) {
    assert.throws(() => decodePhp(input), (e) => e instanceof VpsgateError && e.code === 2 && e.offset === offset, input);
  }
  assert.throws(() => decodePhp(42), (e) => e.code === 1 && e.field === 'input');
  assert.throws(() => decodePhp('N;', { bigint: 'number' }), (e) => e.code === 1 && e.field === 'bigint');
});

test('encodePhp writes what PHP unserializes back to the same value', () => {
  const values = [
    { id: 7, name: 'Иван', list: [1, 2.5, true, null], nested: { 10: 'x', '-3': 'y' } },
    [0.1, -0.0, 1e25, 9007199254740993n, 'quote " \\', new Uint8Array([0, 255, 10])],
    new Map([[5, 'a'], [1, 'b'], ['k', 'c']]),
  ];
  for (const v of values) {
    const php = encodePhp(v);
    assert.ok(php instanceof Uint8Array);
    const back = execFileSync('php', ['-r', 'echo json_encode(unserialize(stream_get_contents(STDIN)), JSON_PRESERVE_ZERO_FRACTION|JSON_INVALID_UTF8_SUBSTITUTE|JSON_UNESCAPED_UNICODE);'], { input: php }).toString();
    assert.deepStrictEqual(decodePhp(php, { bigint: 'string' }), JSON.parse(back.replace(/9007199254740993/, '"9007199254740993"')));
  }
  assert.equal(new TextDecoder().decode(encodePhp(new Map([[5, 'a'], [1, 'b']]))), 'a:2:{i:5;s:1:"a";i:1;s:1:"b";}');
  assert.throws(() => encodePhp({ f() {} }), (e) => e instanceof VpsgateError && e.code === 4);
  const cycle = {};
  cycle.self = cycle;
  assert.throws(() => encodePhp(cycle), (e) => e.code === 4);
  assert.throws(() => encodePhp(2n ** 64n), (e) => e.code === 4);
});
