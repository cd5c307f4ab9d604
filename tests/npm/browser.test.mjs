// The example admin panel in headless Chromium (Debian's chromium, driven by playwright-core):
// the page loads the installed package as a plain <script type="module">, lists orders from the
// sandbox, suspends one, and shows the new state. A screenshot is kept under artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Lifecycle } from 'vpsgate';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.VPSGATE_SANDBOX;
const packageDir = dirname(createRequire(import.meta.url).resolve('vpsgate/package.json'));
const { serve } = await import(join(here, '../../examples/admin-panel/serve.mjs'));

test('the example panel lists, suspends and shows an order', { timeout: 120_000 }, async () => {
  assert.ok(base, 'VPSGATE_SANDBOX must name the sandbox');
  const gateway = `${base}/apih.php`;
  // An order of the demo account to work on, placed from Node with the same package.
  const life = new Lifecycle({ provider: 'friendhosting', endpoint: gateway, login: 'demo', api_key: 'demo-key' });
  const { service } = await life.create({ plan: '201', months: 1, kind: 'vds', domain: 'browser.example' });

  const server = await serve(0, packageDir);
  const profile = mkdtempSync(join(tmpdir(), 'vpsgate-chromium-'));
  // A fresh profile each run (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    const url = `http://127.0.0.1:${server.address().port}/?gateway=${encodeURIComponent(gateway)}`;
    await page.goto(url);
    await page.waitForSelector('body[data-ready="yes"]', { timeout: 30_000 });
    assert.equal(await page.textContent('#error'), '', 'the page shows an error');
    assert.match(await page.textContent('#balance'), /^\d+\.\d\d USD$/);
    assert.ok((await page.$$('#tariffs tbody tr')).length >= 2);

    const row = `#orders tr[data-order="${service.id}"]`;
    await page.waitForSelector(row);
    assert.equal(await page.textContent(`${row} .state`), 'active');
    await page.evaluate(() => { document.body.dataset.ready = ''; });
    await page.click(`${row} button[data-action="suspend"]`);
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent === 'suspended', `${row} .state`, { timeout: 30_000 });
    assert.equal(await page.textContent('#notice'), `Order ${service.id} suspended`);
    assert.equal((await life.info({ id: service.id })).state, 'suspended');

    // A gateway error is shown readably: suspending a suspended order again.
    await page.click(`${row} button[data-action="suspend"]`);
    await page.waitForFunction(() => document.querySelector('#error').textContent !== '', null, { timeout: 30_000 });
    assert.match(await page.textContent('#error'), /^Error 7 \(gateway, upstream code \d+\): /);

    const artifacts = join(here, 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'admin-panel.png'), fullPage: true });
    assert.deepEqual(problems.filter((p) => !/status of 4\d\d|Failed to load resource/.test(p)), []);
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
