// The packed, installed `vpsgate` package against the sandbox on loopback, with Node's real
// fetch: every Friendhosting command, GoVPSFX lease/extend/recall, every lifecycle step of both
// providers, and the error objects with their codes. VPSGATE_SANDBOX is the sandbox's base URL
// (scripts/test-npm.sh starts one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  Friendhosting, Govpsfx, Lifecycle, VpsgateError, ErrorCode, sign,
} from 'vpsgate';

const base = process.env.VPSGATE_SANDBOX;
assert.ok(base, 'VPSGATE_SANDBOX must name the sandbox, e.g. http://127.0.0.1:8080');
const gateway = `${base}/apih.php`;
const demo = { endpoint: gateway, login: 'demo', api_key: 'demo-key' };
const partner = { endpoint: base, partner_code: '14321', secret: 'sdsd4223dsd' };

/** Await `promise`, which must reject with a VpsgateError of `code`; returns the error. */
async function rejects(promise, code) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof VpsgateError, `not a VpsgateError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'VpsgateError');
    assert.equal(e.code, code, `${e.codeName}: ${e.message}`);
    assert.equal(ErrorCode[e.codeName], code);
    for (const secret of ['demo-key', 'sdsd4223dsd', 'hunter2']) {
      assert.ok(!e.message.includes(secret), `secret in message: ${e.message}`);
      assert.ok(!JSON.stringify(e.toJSON()).includes(secret));
    }
    return e;
  }
  assert.fail(`resolved, expected VpsgateError ${code}`);
}

test('every Friendhosting command, PHP and JSON answers, POST and GET', async () => {
  for (const extra of [{}, { format: 'json' }, { method: 'get' }]) {
    const fh = new Friendhosting({ ...demo, ...extra });
    const balance = await fh.getBalance();
    assert.equal(balance.command, 'getBalance');
    assert.equal(balance.warning, null);
    assert.equal(balance.data.currency, 'USD');
    assert.match(balance.data.balance, /^\d+\.\d\d$/);

    const tarifs = await fh.getTarifs({ vid: 'vds' });
    assert.equal(tarifs.command, 'getTarifs');
    assert.deepEqual(tarifs.data.tarifs.map((t) => t.id), ['201', '202']);

    const created = await fh.createOrder({ tarifid: 201, period: 1, vid: 'vds', addons: ['12'] });
    assert.equal(created.command, 'createOrder');
    const id = created.data.orderid;
    assert.match(id, /^\d+$/);
    assert.equal(typeof created.data.serverpassword, 'string');
    const after = await fh.getBalance();
    assert.equal(
      (Number(balance.data.balance) - Number(after.data.balance)).toFixed(2),
      created.data.cost,
    );

    const one = await fh.getOrders({ orderid: id });
    assert.equal(one.data.orders.length, 1);
    assert.equal(one.data.orders[0].orderid, id);
    assert.equal(one.data.orders[0].tarifid, '201');

    assert.equal((await fh.renewOrder({ orderid: id, period: 1 })).command, 'renewOrder');
    assert.equal((await fh.suspendOrder({ orderid: id })).data.orderid, id);
    assert.equal((await fh.unSuspendOrder({ orderid: Number(id) })).command, 'unSuspendOrder');
    assert.equal((await fh.restartOrder({ orderid: id })).command, 'restartOrder');
    assert.equal((await fh.reinstallOrder({ orderid: id })).command, 'reinstallOrder');
    const all = await fh.getOrders();
    assert.ok(all.data.orders.some((o) => o.orderid === id));
  }
});

test('Friendhosting gateway errors carry the upstream code', async () => {
  const fh = new Friendhosting({ ...demo, api_key: 'hunter2' });
  const e = await rejects(fh.getBalance(), ErrorCode.gateway);
  assert.equal(typeof e.upstreamCode, 'number');
  assert.equal(e.toJSON().upstream_code, e.upstreamCode);
  const good = new Friendhosting(demo);
  const missing = await rejects(good.suspendOrder({ orderid: '999999' }), 7);
  assert.ok(missing.upstreamCode > 0);
  // A warning is a success: tariff 102 is set up by hand (warning 30).
  const manual = await good.createOrder({ tarifid: '102', period: 1, domain: 'manual.example' });
  assert.equal(manual.warning?.code, 30);
  // Invalid input is refused before anything is sent.
  const bad = await rejects(good.createOrder({ period: 1 }), 1);
  assert.match(bad.message, /missing field `tarifid`/);
  const typo = await rejects(good.getOrders({ order: '1' }), 1);
  assert.match(typo.message, /unknown field `order`/);
});

test('GoVPSFX lease, extend, recall, and their refusals', async () => {
  const fx = new Govpsfx(partner);
  const lease = await fx.lease({ rate: 'singapore', term: 1, client_id: 'ID16773' });
  assert.equal(lease.status, 'delivered');
  const server = lease.server;
  assert.equal(server.rate, 'singapore');
  assert.equal(server.client_id, 'ID16773');
  assert.equal(typeof server.port, 'number');
  assert.match(server.end_at, /^\d{4}-\d\d-\d\d$/);

  const extended = await fx.extend({ term: 3, client_id: 'ID16773' });
  assert.match(extended.end_at, /^\d{4}-\d\d-\d\d$/);
  assert.ok(extended.end_at > server.end_at);
  assert.deepEqual(await fx.recall({ server_id: server.server_id }), { recalled: true });

  const pending = await fx.lease({ rate: 'france_mini', term: 1, client_id: 'ID2' });
  assert.equal(pending.status, 'pending');
  assert.equal(typeof pending.message, 'string');

  const refused = await rejects(
    new Govpsfx({ ...partner, secret: 'hunter2' }).lease({ rate: 'singapore', term: 1, client_id: 'x' }),
    ErrorCode.refused,
  );
  assert.equal(refused.upstreamCode, 403);
  assert.equal(typeof refused.rawBody, 'string');
  const invalid = await rejects(fx.lease({ rate: 'nowhere', term: 1, client_id: 'x' }), 8);
  assert.equal(invalid.upstreamCode, 400);
  const term = await rejects(fx.lease({ rate: 'singapore', term: 2, client_id: 'x' }), 1);
  assert.equal(term.field, 'term');
});

test('GoVPSFX signature and deferred-delivery verification', () => {
  assert.equal(
    sign({ rate: 'singapore', term: 1, partner_code: '14321' }, 'sdsd4223dsd'),
    '8cfff6fb2b39a4f0c9d6d7413e9439f6',
  );
  const fx = new Govpsfx(partner);
  const fields = {
    ip: '10.0.0.5', port: '22', login: 'root', password: 'pw', created_at: '01.01.2026',
    end_at: '01.02.2026', rate: 'singapore', client_id: 'ID1', server_id: 'S77',
    partner_code: '14321',
  };
  const hash = sign({ rate: 'singapore', server_id: 'S77', partner_code: '14321' }, 'sdsd4223dsd');
  const body = new URLSearchParams({ ...fields, hash }).toString();
  const details = fx.verifyCallback(body, 'application/x-www-form-urlencoded');
  assert.equal(details.server_id, 'S77');
  assert.equal(details.port, 22);
  const json = fx.verifyCallback(new TextEncoder().encode(JSON.stringify({ ...fields, hash })), 'application/json');
  assert.equal(json.password, 'pw');
  assert.throws(() => fx.verifyCallback(body.replace(hash, '0'.repeat(32))), (e) => e instanceof VpsgateError && e.code === 11);
  assert.throws(() => fx.verifyCallback(body.replace(/&hash=.*/, '')), (e) => e.code === 11);
  assert.throws(() => fx.verifyCallback('x'.repeat(70000)), (e) => e.code === 13);
});

test('every lifecycle step at Friendhosting', async () => {
  const fh = new Lifecycle({ provider: 'friendhosting', ...demo, format: 'json' });
  assert.equal(fh.provider, 'friendhosting');
  const before = await fh.balance();
  assert.equal(before.currency, 'USD');
  const created = await fh.create({ plan: '201', months: 1, kind: 'vds', domain: 'life.example' });
  assert.deepEqual(created.provisioning, { state: 'ready' });
  assert.equal(created.access.login !== undefined, true);
  const id = created.service.id;
  assert.match(id, /^\d+$/);
  assert.match(created.cost, /^\d+\.\d\d$/);
  const renewed = await fh.renew({ id, months: 1 });
  assert.equal(renewed.warning, null);
  assert.match(renewed.cost, /^\d+\.\d\d$/);
  for (const step of ['suspend', 'unsuspend', 'reboot', 'reinstall']) {
    assert.deepEqual(await fh[step]({ id }), { done: true, warning: null }, step);
  }
  const info = await fh.info({ id });
  assert.equal(info.service.id, id);
  assert.equal(info.domain, 'life.example');
  assert.equal(info.state, 'active');
  await fh.suspend({ id });
  assert.equal((await fh.info({ id })).state, 'suspended');
  const list = await fh.list();
  assert.ok(list.some((s) => s.service.id === id));
  assert.equal((await fh.run('balance')).currency, 'USD');
  await rejects(fh.terminate({ id }), ErrorCode.unsupported);
  const wrong = await rejects(fh.run('explode'), 1);
  assert.equal(wrong.field, 'step');
  // An account without orders lists none (gateway error 26 is an empty list).
  const empty = new Lifecycle({ provider: 'friendhosting', endpoint: gateway, login: 'test', password: 'test' });
  assert.deepEqual(await empty.list(), []);
});

test('every lifecycle step at GoVPSFX', async () => {
  const fx = new Lifecycle({ provider: 'govpsfx', ...partner });
  const created = await fx.create({ plan: 'singapore', months: 1, client_id: 'C9' });
  assert.deepEqual(created.provisioning, { state: 'ready' });
  assert.equal(created.service.client_id, 'C9');
  const id = created.service.id;
  assert.ok(id.length > 0);
  const renewed = await fx.renew({ id, months: 3, client_id: 'C9' });
  assert.match(renewed.expires, /^\d{4}-\d\d-\d\d$/);
  assert.equal((await fx.terminate({ id })).done, true);
  const pending = await fx.create({ plan: 'france_mini', months: 1, client_id: 'C10' });
  assert.equal(pending.provisioning.state, 'pending');
  assert.equal(pending.service.id, '');
  for (const step of ['suspend', 'unsuspend', 'reboot', 'reinstall', 'info']) {
    await rejects(fx[step]({ id }), ErrorCode.unsupported);
  }
  await rejects(fx.list(), 14);
  await rejects(fx.balance(), 14);
});

test('transport errors: connect, insecure URL, timeout, abort, redirect, status, body', async () => {
  // Nothing listens on port 1 of loopback.
  await rejects(new Friendhosting({ ...demo, endpoint: 'http://127.0.0.1:1/apih.php' }).getBalance(), ErrorCode.connect);
  await rejects(new Friendhosting({ ...demo, endpoint: 'http://gw.example/apih.php' }).getBalance(), ErrorCode.insecure_url);

  // A local server that never answers, one that redirects, one that answers 502 and one huge body.
  const server = createServer((req, res) => {
    if (req.url.startsWith('/slow')) return; // never answers
    if (req.url.startsWith('/redirect')) {
      res.writeHead(302, { location: 'http://127.0.0.1:1/' });
      return res.end();
    }
    if (req.url.startsWith('/big')) {
      res.writeHead(200);
      return res.end('a'.repeat(4096));
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('bad gateway \xff');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const at = `http://127.0.0.1:${server.address().port}`;
  try {
    const slow = new Friendhosting({ ...demo, endpoint: `${at}/slow`, timeout_ms: 100 });
    const t = await rejects(slow.getBalance(), ErrorCode.timeout);
    assert.match(t.message, /100 ms/);
    await rejects(slow.getBalance({ timeout_ms: 50 }), 15);
    const controller = new AbortController();
    const p = new Friendhosting({ ...demo, endpoint: `${at}/slow` }).getBalance({ signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const aborted = await rejects(p, ErrorCode.transport);
    assert.match(aborted.message, /AbortSignal/);
    await rejects(new Friendhosting({ ...demo, endpoint: `${at}/redirect` }).getBalance(), ErrorCode.redirect);
    const status = await rejects(new Lifecycle({ provider: 'govpsfx', ...partner, endpoint: at }).terminate({ id: 'S1' }), ErrorCode.unexpected_status);
    assert.equal(status.upstreamCode, 502);
    assert.match(status.rawBody, /^bad gateway/);
    const big = await rejects(new Friendhosting({ ...demo, endpoint: `${at}/big`, max_body_bytes: 1000 }).getBalance(), 19);
    assert.match(big.message, /1000 bytes/);
    // A money-moving request that fails after sending is marked outcomeUnknown.
    const unknown = await rejects(
      new Friendhosting({ ...demo, endpoint: `${at}/slow`, timeout_ms: 50 }).createOrder({ tarifid: '201', period: 1 }),
      15,
    );
    assert.equal(unknown.outcomeUnknown, true);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a custom fetch (the relay pattern) sends the exact request', async () => {
  const seen = [];
  const relay = async (url, init) => {
    seen.push({ url, method: init.method, body: new TextDecoder().decode(init.body) });
    return fetch(url, init);
  };
  const fh = new Friendhosting({ ...demo, fetch: relay });
  await fh.getBalance();
  assert.deepEqual(seen, [{ url: gateway, method: 'POST', body: 'command=getBalance&login=demo&apikey=demo-key' }]);
  assert.throws(() => new Friendhosting({ ...demo, fetch: 'nope' }), (e) => e instanceof VpsgateError && e.field === 'fetch');
  assert.throws(() => new Friendhosting(), (e) => e.code === 1 && e.field === 'config');
  await rejects(fh.getBalance({ timeout: 5 }), 1);
});

test('retries: a read-only command again after transient failures, a money-moving one never', async () => {
  // A relay that answers the first `fail` requests with a bare 500 and passes the rest on.
  const flaky = (fail) => {
    const seen = [];
    const relay = async (url, init) => {
      seen.push(new TextDecoder().decode(init.body));
      if (seen.length <= fail) return new Response('Internal Server Error', { status: 500 });
      return fetch(url, init);
    };
    return { seen, relay };
  };
  const retry = { retry_attempts: 3, retry_base_delay_ms: 5, retry_max_delay_ms: 20 };

  // Two failures, third attempt answers: the read resolves, sent three times.
  let f = flaky(2);
  const balance = await new Friendhosting({ ...demo, ...retry, fetch: f.relay }).getBalance();
  assert.equal(balance.command, 'getBalance');
  assert.match(String(balance.data.balance), /^\d+(\.\d+)?$/);
  assert.equal(f.seen.length, 3);

  // More failures than attempts: the last error, after exactly `retry_attempts` sends.
  f = flaky(10);
  await rejects(new Friendhosting({ ...demo, ...retry, fetch: f.relay }).getOrders(), ErrorCode.unexpected_status);
  assert.equal(f.seen.length, 3);

  // Without the setting, one send.
  f = flaky(1);
  await rejects(new Friendhosting({ ...demo, fetch: f.relay }).getBalance(), ErrorCode.unexpected_status);
  assert.equal(f.seen.length, 1);

  // createOrder and renewOrder move money: sent once even with retries configured.
  const fh = new Friendhosting({ ...demo, ...retry });
  f = flaky(1);
  const before = (await fh.getBalance()).data.balance;
  const e = await rejects(
    new Friendhosting({ ...demo, ...retry, fetch: f.relay }).createOrder({ tarifid: '201', period: 1, vid: 'vds' }),
    ErrorCode.unexpected_status,
  );
  assert.equal(e.outcomeUnknown, true);
  assert.equal(f.seen.length, 1);
  assert.ok(f.seen[0].startsWith('command=createOrder&'), f.seen[0]);
  assert.equal((await fh.getBalance()).data.balance, before, 'the 500 came before the sandbox: nothing charged');

  // The lifecycle reads too: a `list` step is retried.
  f = flaky(1);
  const orders = await new Lifecycle({ provider: 'friendhosting', ...demo, ...retry, fetch: f.relay }).list();
  assert.ok(Array.isArray(orders));
  assert.equal(f.seen.length, 2);
});
