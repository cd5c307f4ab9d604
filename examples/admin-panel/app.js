// The example panel: the vpsgate package in the browser, talking to the sandbox (which sends
// CORS headers). Everything shown comes from the package's plain JS results.
import { Friendhosting, Lifecycle, VpsgateError } from 'vpsgate';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
$('endpoint').value = params.get('gateway') || 'http://127.0.0.1:8080/apih.php';

let fh = null;
let life = null;

function showError(e) {
  if (e instanceof VpsgateError) {
    const upstream = e.upstreamCode === null ? '' : `, upstream code ${e.upstreamCode}`;
    const field = e.field ? `, field ${e.field}` : '';
    $('error').textContent = `Error ${e.code} (${e.codeName}${upstream}${field}): ${e.message}`;
  } else {
    $('error').textContent = `Unexpected error: ${e}`;
  }
}

function cell(row, text) {
  const td = row.insertCell();
  td.textContent = text ?? '–';
  return td;
}

function button(td, label, action) {
  const b = document.createElement('button');
  b.textContent = label;
  b.dataset.action = label.toLowerCase();
  b.addEventListener('click', action);
  td.append(b, ' ');
}

async function act(label, job) {
  $('error').textContent = '';
  $('notice').textContent = '';
  try {
    await job();
    if (label) $('notice').textContent = label;
    await refresh();
  } catch (e) {
    showError(e);
  }
}

async function refresh() {
  const balance = await life.balance();
  $('balance').textContent = `${balance.amount} ${balance.currency}`;

  const tarifs = await fh.getTarifs({ vid: 'vds' });
  const tbody = $('tariffs').tBodies[0];
  tbody.replaceChildren();
  for (const t of tarifs.data.tarifs) {
    const row = tbody.insertRow();
    cell(row, t.id);
    cell(row, t.name);
    cell(row, `${t.costMonthly} ${t.currency ?? ''}`);
    button(cell(row, ''), 'Order', () =>
      act(`Ordered tariff ${t.id}`, () => life.create({ plan: t.id, months: 1, kind: 'vds' })));
  }

  const services = await life.list();
  const orders = $('orders').tBodies[0];
  orders.replaceChildren();
  for (const s of services) {
    const id = s.service.id;
    const row = orders.insertRow();
    row.dataset.order = id;
    cell(row, id);
    cell(row, s.plan);
    cell(row, s.domain);
    cell(row, s.expires);
    cell(row, typeof s.state === 'string' ? s.state : `other (${s.state.other})`).className = 'state';
    const actions = cell(row, '');
    button(actions, 'Suspend', () => act(`Order ${id} suspended`, () => life.suspend({ id })));
    button(actions, 'Unsuspend', () => act(`Order ${id} unsuspended`, () => life.unsuspend({ id })));
    button(actions, 'Renew', () => act(`Order ${id} renewed for 1 month`, () => life.renew({ id, months: 1 })));
  }
  document.body.dataset.ready = 'yes';
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  document.body.dataset.ready = '';
  const config = {
    endpoint: $('endpoint').value,
    login: $('user').value,
    api_key: $('key').value,
  };
  act('', async () => {
    fh = new Friendhosting(config);
    life = new Lifecycle({ provider: 'friendhosting', ...config });
  }).finally(() => { document.body.dataset.ready = 'yes'; });
});

$('login').requestSubmit();
