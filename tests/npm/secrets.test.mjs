// Secrets never leave the package in text: a known password, API key and GoVPSFX md5 secret
// must not appear in any VpsgateError's message or stack, in String(err), JSON.stringify(err),
// util.inspect(err) or console output of it, nor in what util.inspect, String, JSON.stringify
// and console.log show of the client objects. The failures are driven through injected fetch
// functions (and one real fetch to a closed loopback port), so no sandbox is needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import util from 'node:util';
import { Friendhosting, Govpsfx, Lifecycle, VpsgateError, sign } from 'vpsgate';

// Distinctive values, so that a leak cannot hide behind a common word.
const PASSWORD = 'Pw-7fq2Zx9Kd';
const API_KEY = 'Ak-3hV8mQ1rT6';
const SECRET = 'Md5-9sLq4Wn2Xe';
const SECRETS = [PASSWORD, API_KEY, SECRET];

/** Everything a person or a log could see of `value`, as one string. */
function shown(value) {
  const lines = [];
  const original = { log: console.log, error: console.error, warn: console.warn };
  const capture = (...args) => lines.push(util.format(...args));
  console.log = console.error = console.warn = capture;
  try {
    console.log(value);
    console.error('%o', value);
    console.log('%s', value);
  } finally {
    Object.assign(console, original);
  }
  const parts = [...lines, util.inspect(value, { showHidden: true, depth: 5 }), String(value)];
  try {
    parts.push(JSON.stringify(value));
  } catch (e) {
    parts.push(`JSON.stringify threw: ${e}`);
  }
  if (value instanceof Error) parts.push(value.message, String(value.stack));
  return parts.join('\n');
}

function assertNoSecret(value, what) {
  const text = shown(value);
  for (const s of SECRETS) {
    assert.ok(!text.includes(s), `${what}: the secret ${s} shows in\n${text}`);
  }
  return text;
}

/** The error `run()` throws or rejects with; it must be a VpsgateError of `code`. */
async function failure(run, code, what) {
  let error = null;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof VpsgateError, `${what}: not a VpsgateError: ${error}`);
  assert.equal(error.code, code, `${what}: ${error.codeName}: ${error.message}`);
  assertNoSecret(error, what);
  return error;
}

const answer = (body, status = 200) => async () => new Response(body, { status });
const endpoint = 'http://127.0.0.1:9/apih.php';
const fhConfig = (extra) => ({ endpoint, login: 'admin', api_key: API_KEY, ...extra });
const fxConfig = (extra) => ({ endpoint: 'http://127.0.0.1:9', partner_code: '14321', secret: SECRET, ...extra });

/** A port on loopback that nothing listens on. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('client objects show no secret', () => {
  const clients = [
    new Friendhosting(fhConfig({ fetch: answer('') })),
    new Friendhosting({ endpoint, login: 'admin', password: PASSWORD, method: 'get' }),
    new Govpsfx(fxConfig()),
    new Lifecycle({ provider: 'friendhosting', ...fhConfig() }),
    new Lifecycle({ provider: 'govpsfx', ...fxConfig() }),
  ];
  for (const c of clients) {
    const text = assertNoSecret(c, c.constructor.name);
    assert.ok(text.length > 0);
  }
});

test('configuration errors show no secret', async () => {
  // Both credentials at once; a password of the wrong type; an unknown field next to a secret.
  const e = await failure(
    () => new Friendhosting({ endpoint, login: 'admin', password: PASSWORD, api_key: API_KEY }),
    1,
    'password and api_key',
  );
  assert.ok(e.field, 'the field at fault is named');
  await failure(() => new Friendhosting({ login: 'admin', password: [PASSWORD] }), 1, 'password array');
  await failure(() => new Govpsfx({ partner_code: '1', secret: { SECRET } }), 1, 'secret object');
  await failure(() => new Govpsfx({ ...fxConfig(), secret_key: SECRET }), 1, 'unknown field');
  await failure(() => new Lifecycle({ provider: 'nope', api_key: API_KEY, login: 'a' }), 1, 'provider');
  await failure(() => sign({ rate: 'x', extra: SECRET }, SECRET), 1, 'sign, unknown field');
});

test('answer and transport errors show no secret, GET queries included', async () => {
  for (const method of ['post', 'get']) {
    for (const creds of [{ api_key: API_KEY }, { password: PASSWORD }]) {
      const base = { endpoint, login: 'admin', method, ...creds };
      const what = `${method} ${Object.keys(creds)[0]}`;
      const gw = new Friendhosting({
        ...base,
        fetch: answer('a:3:{s:6:"status";s:5:"ERROR";s:9:"errorCode";i:3;s:8:"errorMsg";s:13:"Access denied";}'),
      });
      const e = await failure(() => gw.getBalance(), 7, `${what}: gateway error`);
      assert.equal(e.upstreamCode, 3);
      await failure(
        () => new Friendhosting({ ...base, fetch: answer('<html>oops</html>', 502) }).getOrders(),
        6,
        `${what}: unexpected status`,
      );
      await failure(
        () => new Friendhosting({ ...base, fetch: answer('a:1:{s:6:"status";') }).getTarifs(),
        5,
        `${what}: truncated answer`,
      );
      // A fetch whose error quotes the URL it was given (the GET query holds the credentials).
      const quoting = new Friendhosting({
        ...base,
        fetch: async (url) => {
          throw new TypeError(`fetch failed for ${url} (${decodeURIComponent(url)})`);
        },
      });
      // A bare TypeError does not show that nothing was sent: transport (19), not connect.
      const q = await failure(() => quoting.getBalance(), 19, `${what}: fetch error quoting the URL`);
      assert.match(q.message, /fetch failed for <request URL>/);
      const slow = new Friendhosting({ ...base, fetch: () => new Promise(() => {}) });
      await failure(() => slow.getBalance({ timeout_ms: 20 }), 15, `${what}: timeout`);
      const redirect = new Friendhosting({
        ...base,
        fetch: async (url) => new Response('', { status: 302, headers: { location: `${url}&again=1` } }),
      });
      await failure(() => redirect.getBalance(), 18, `${what}: redirect quoting the URL`);
      const life = new Lifecycle({ provider: 'friendhosting', ...base, fetch: answer('i:1;') });
      await failure(() => life.balance(), 5, `${what}: lifecycle, not a map`);
    }
  }
  // Node's real fetch to a closed loopback port, the credentials in the query.
  const port = await closedPort();
  const real = new Friendhosting({ endpoint: `http://127.0.0.1:${port}/apih.php`, login: 'admin', api_key: API_KEY, method: 'get' });
  await failure(() => real.getBalance(), 16, 'real fetch, connection refused');
});

test('GoVPSFX errors and callback checks show no secret nor a hash made with it', async () => {
  const fx = (body, status) => new Govpsfx(fxConfig({ fetch: answer(body, status) }));
  await failure(() => fx('{"error":"bad hash"}', 403).lease({ rate: 'singapore', term: 1, client_id: '7' }), 9, 'refused');
  await failure(() => fx('{"error":"x"}', 400).extend({ term: 1, client_id: '7' }), 8, 'invalid parameters');
  await failure(() => fx('not json', 200).recall({ server_id: '5' }), 5, 'unreadable answer');
  await failure(() => fx('', 500).lease({ rate: 'singapore', term: 1, client_id: '7' }), 10, 'provider error');

  // A deferred delivery with a wrong hash: neither the secret nor the right hash may show.
  const fields = { server_id: '77', partner_code: '14321' };
  const right = sign(fields, SECRET);
  assert.match(right, /^[0-9a-f]{32}$/);
  const partner = new Govpsfx(fxConfig());
  const body = new URLSearchParams({ ...fields, ip: '192.0.2.1', login: 'root', password: 'pw', hash: 'f'.repeat(32) });
  const e = await failure(
    () => partner.verifyCallback(body.toString(), 'application/x-www-form-urlencoded'),
    11,
    'callback with a wrong hash',
  );
  assert.ok(!shown(e).includes(right), `the expected hash shows in ${shown(e)}`);
});
