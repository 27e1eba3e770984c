// The VeloZ dashboard. Everything it shows comes from the gateway's own API (same origin) with the user's key:
// /health, /api/config, /api/market, /api/symbols, /api/orders_state, /api/fills, /api/account, /api/stream,
// /api/order, /api/cancel and, for admin keys, /api/admin/trading_mode and /api/admin/cancel_all.
// Data is written with textContent only: nothing the API or the venue says is ever parsed as HTML.
import { PriceChart } from './chart.js';

const KEY_STORE = 'veloz.api_key';
const STREAM_KEY_STORE = 'veloz.stream_key';
const OPEN_STATUSES = ['PENDING', 'ACCEPTED', 'PARTIALLY_FILLED'];
const MAX_LOG = 500;

const $ = id => document.getElementById(id);
const state = {
  authOn: false,
  key: '',
  streamKey: '',
  symbols: [],
  chartSymbol: '',
  latest: new Map(),
  orders: new Map(),
  balances: new Map(),
  log: [],
  historyCursor: null,
  fillsCursor: null,
  source: null,
  isAdmin: false,
};
const chart = new PriceChart($('price-chart'));

// ---- API access -------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super(describeError(status, body));
    this.status = status;
    this.body = body;
  }
}

/** The API's own words for an error: its code, message and the field, filter or venue code it names. */
function describeError(status, body) {
  if (!body || typeof body !== 'object') return `HTTP ${status}`;
  const parts = [body.error || `HTTP ${status}`];
  if (body.message) parts.push(body.message);
  const details = [];
  if (body.field) details.push(`field: ${body.field}`);
  if (body.filter) details.push(`filter: ${body.filter}`);
  if (body.code !== undefined && body.code !== null) details.push(`code: ${body.code}`);
  return parts.join(': ') + (details.length ? ` (${details.join(', ')})` : '');
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json' };
  if (state.key) headers['X-API-Key'] = state.key;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method: options.method || 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (response.status === 429) {
    const retry = response.headers.get('Retry-After');
    showNotice(`Rate limited by the gateway${retry ? `: retry after ${retry} s` : ''}.`);
  }
  if (response.status === 401) showKeyPanel(true);
  if (!response.ok && !(options.acceptStatus || []).includes(response.status)) throw new ApiError(response.status, body);
  return body;
}

/** Shows the outcome of an action under it: 'ok', 'error' (the API's words) or 'pending'. */
function showResult(element, outcome, text) {
  element.dataset.outcome = outcome;
  element.textContent = text;
}

/** Fills a description list with [term, value] pairs (values as text). */
function describe(list, rows) {
  list.replaceChildren(...rows.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = fmt(value);
    dd.dataset.item = term;
    return [dt, dd];
  }));
}

function showNotice(text) {
  const notice = $('notice');
  notice.textContent = text;
  notice.hidden = !text;
}

// ---- formatting -------------------------------------------------------------------------------------------

const fmt = value => (value === null || value === undefined ? '–' : String(value));
const timeOf = tsNs => (tsNs ? new Date(Number(BigInt(tsNs) / 1000000n)) : null);
const fmtTime = tsNs => { const t = timeOf(tsNs); return t ? t.toLocaleTimeString() : '–'; };

function cell(row, value, className) {
  const td = document.createElement('td');
  td.textContent = fmt(value);
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

// Raw ts_ns values can exceed 2^53: parse them from the JSON text as strings before JSON.parse rounds them.
function parseEvent(text) {
  return JSON.parse(text.replace(/"([a-z_]*ts_ns)":(\d+)/g, '"$1":"$2"'));
}

// ---- keys -------------------------------------------------------------------------------------------------

function showKeyPanel(show) {
  $('key-panel').hidden = !show;
}

function loadKeys() {
  state.key = sessionStorage.getItem(KEY_STORE) || '';
  state.streamKey = sessionStorage.getItem(STREAM_KEY_STORE) || '';
  $('api-key').value = state.key;
  $('stream-key').value = state.streamKey;
}

$('key-form').addEventListener('submit', event => {
  event.preventDefault();
  state.key = $('api-key').value.trim();
  state.streamKey = $('stream-key').value.trim();
  // Session storage only: the key leaves with the tab, never persists on disk across sessions.
  if (state.key) sessionStorage.setItem(KEY_STORE, state.key); else sessionStorage.removeItem(KEY_STORE);
  if (state.streamKey) sessionStorage.setItem(STREAM_KEY_STORE, state.streamKey); else sessionStorage.removeItem(STREAM_KEY_STORE);
  start();
});

$('forget-keys').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORE);
  sessionStorage.removeItem(STREAM_KEY_STORE);
  state.key = state.streamKey = '';
  $('api-key').value = $('stream-key').value = '';
  if (state.source) state.source.close();
  setStreamStatus('closed', 'Stream: closed');
});

// ---- market and chart -------------------------------------------------------------------------------------

function setSymbols(symbols) {
  state.symbols = symbols;
  const select = $('chart-symbol');
  const list = $('symbol-list');
  select.replaceChildren(...symbols.map(s => new Option(s, s)));
  list.replaceChildren(...symbols.map(s => new Option(s, s)));
  if (!symbols.includes(state.chartSymbol)) state.chartSymbol = symbols[0] || '';
  select.value = state.chartSymbol;
  if (!$('order-symbol').value) $('order-symbol').value = state.chartSymbol;
}

$('chart-symbol').addEventListener('change', () => {
  state.chartSymbol = $('chart-symbol').value;
  chart.clear();
  const latest = state.latest.get(state.chartSymbol);
  if (latest) { chart.add(latest.t, latest.price); }
  showLatest();
});

function onMarket(event) {
  if (event.price === null || event.price === undefined) return;
  const t = timeOf(event.ts_ns);
  const entry = { price: Number(event.price), text: String(event.price), t: t ? t.getTime() : Date.now() };
  state.latest.set(event.symbol, entry);
  if (event.symbol === state.chartSymbol) {
    chart.add(entry.t, entry.price);
    showLatest();
  }
}

function showLatest() {
  const latest = state.latest.get(state.chartSymbol);
  $('last-price').textContent = latest ? latest.text : '–';
  const time = $('last-time');
  time.textContent = latest ? new Date(latest.t).toLocaleTimeString() : '';
  time.dateTime = latest ? new Date(latest.t).toISOString() : '';
}

async function loadMarket() {
  for (const symbol of state.symbols) {
    const body = parseEvent(await fetchText(`/api/market?symbol=${encodeURIComponent(symbol)}`));
    if (body.price !== null && !state.latest.has(symbol)) onMarket(body);
  }
}

// ---- exchange rules ---------------------------------------------------------------------------------------

let rulesFor = '';
async function loadRules() {
  const symbol = $('order-symbol').value.trim().toUpperCase();
  if (!symbol || symbol === rulesFor) return;
  rulesFor = symbol;
  $('rules-symbol').textContent = symbol;
  const list = $('rules');
  try {
    const body = await api(`/api/symbols?symbol=${encodeURIComponent(symbol)}`);
    const info = body.symbols[0];
    const rows = [
      ['Status', info.status],
      ['Assets', `${info.base_asset} / ${info.quote_asset}`],
      ['Price', info.price_filter ? `${info.price_filter.min_price} – ${info.price_filter.max_price}, tick ${info.price_filter.tick_size}` : 'no filter'],
      ['Quantity', info.lot_size ? `${info.lot_size.min_qty} – ${info.lot_size.max_qty}, step ${info.lot_size.step_size}` : 'no filter'],
      ['Notional', info.notional ? `${info.notional.filter}: ${info.notional.min_notional}${info.notional.max_notional ? ` – ${info.notional.max_notional}` : ''}` : 'no filter'],
    ];
    describe(list, rows);
  } catch (error) {
    rulesFor = '';
    const dd = document.createElement('dd');
    dd.textContent = error.message;
    list.replaceChildren(dd);
  }
}
$('order-symbol').addEventListener('change', loadRules);

// ---- order entry ------------------------------------------------------------------------------------------

function showFieldsForType() {
  const type = $('order-type').value;
  for (const element of document.querySelectorAll('[data-for-types]')) {
    const shown = element.dataset.forTypes.split(' ').includes(type);
    element.hidden = !shown;
    if (!shown && 'value' in element && element.tagName === 'INPUT') element.value = '';
  }
}
$('order-type').addEventListener('change', showFieldsForType);

$('order-form').addEventListener('submit', async event => {
  event.preventDefault();
  const result = $('order-result');
  const type = $('order-type').value;
  // Numbers go as the strings typed: the API keeps them exactly as written.
  const order = { symbol: $('order-symbol').value.trim(), side: $('order-side').value, type };
  const put = (name, value) => { if (value !== '') order[name] = value; };
  put('qty', $('order-qty').value.trim());
  if (type === 'MARKET') put('quote_qty', $('order-quote-qty').value.trim());
  if (type !== 'MARKET') put('price', $('order-price').value.trim());
  if (type === 'LIMIT') put('time_in_force', $('order-tif').value);
  put('self_trade_prevention', $('order-stp').value);
  put('client_order_id', $('order-coid').value.trim());
  $('place-order').disabled = true;
  showResult(result, 'pending', 'Sending…');
  try {
    const body = await api('/api/order', { method: 'POST', body: order });
    showResult(result, 'ok', `Placed ${body.client_order_id}${body.venue_order_id ? ` (venue order ${body.venue_order_id})` : ''}.`);
    $('order-coid').value = '';
    refreshOrder(body.client_order_id);
  } catch (error) {
    showResult(result, 'error', error.message);
  } finally {
    $('place-order').disabled = false;
  }
});

// ---- orders -----------------------------------------------------------------------------------------------

function upsertOrder(order) {
  const known = state.orders.get(order.client_order_id);
  // Events may replay after a reconnect: never let an older view replace a newer one.
  if (known && known.last_ts_ns && order.last_ts_ns && BigInt(known.last_ts_ns) > BigInt(order.last_ts_ns)) return;
  state.orders.set(order.client_order_id, order);
  renderOrders();
}

async function refreshOrder(clientOrderId) {
  try {
    const text = await fetchText(`/api/order_state?client_order_id=${encodeURIComponent(clientOrderId)}`);
    upsertOrder(parseEvent(text));
  } catch { /* the stream brings it too */ }
}

async function fetchText(path) {
  const response = await fetch(path, { headers: state.key ? { 'X-API-Key': state.key } : {}, cache: 'no-store', credentials: 'omit' });
  const text = await response.text();
  if (!response.ok) { let body = null; try { body = JSON.parse(text); } catch { /* not JSON */ } throw new ApiError(response.status, body); }
  return text;
}

function orderType(order) {
  return order.order_type || 'LIMIT';
}

/** A table row with the columns both order tables start with: id, symbol, side, type, quantity, price, executed. */
function orderRow(order) {
  const row = document.createElement('tr');
  row.dataset.clientOrderId = order.client_order_id;
  cell(row, order.client_order_id);
  cell(row, order.symbol);
  cell(row, order.side);
  cell(row, orderType(order) + (order.time_in_force ? ` ${order.time_in_force}` : ''));
  cell(row, order.order_qty ?? (order.quote_order_qty !== undefined ? `quote ${order.quote_order_qty}` : null));
  cell(row, order.limit_price);
  cell(row, order.executed_qty);
  return row;
}

function renderOrders() {
  const all = [...state.orders.values()].sort((a, b) => (BigInt(b.last_ts_ns || 0) > BigInt(a.last_ts_ns || 0) ? 1 : -1));
  const open = all.filter(o => OPEN_STATUSES.includes(o.status));
  const tbody = $('open-orders').tBodies[0];
  tbody.replaceChildren(...open.map(order => {
    const row = orderRow(order);
    cell(row, order.status, 'status');
    const action = document.createElement('td');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = 'Cancel';
    button.setAttribute('aria-label', `Cancel ${order.client_order_id}`);
    button.addEventListener('click', () => cancelOrder(order, button));
    action.appendChild(button);
    row.appendChild(action);
    return row;
  }));
  if (open.length === 0) tbody.appendChild(emptyRow(9, 'No open orders.'));

  const history = $('history').tBodies[0];
  history.replaceChildren(...all.map(order => {
    const row = orderRow(order);
    cell(row, order.avg_price);
    cell(row, order.status, 'status');
    cell(row, order.reason);
    return row;
  }));
  if (all.length === 0) history.appendChild(emptyRow(10, 'No orders yet.'));
}

function emptyRow(columns, text) {
  const row = document.createElement('tr');
  const td = cell(row, text, 'hint');
  td.colSpan = columns;
  return row;
}

async function cancelOrder(order, button) {
  const result = $('open-result');
  button.disabled = true;
  try {
    await api('/api/cancel', { method: 'POST', body: { client_order_id: order.client_order_id, symbol: order.symbol } });
    showResult(result, 'ok', `Cancel of ${order.client_order_id} accepted.`);
    refreshOrder(order.client_order_id);
  } catch (error) {
    showResult(result, 'error', error.message);
    button.disabled = false;
  }
}

async function loadOrders(more) {
  const cursor = more ? `&cursor=${encodeURIComponent(state.historyCursor)}` : '';
  const page = parseEvent(await fetchText(`/api/orders_state?limit=50${cursor}`));
  const open = more ? { items: [] } : parseEvent(await fetchText(`/api/orders_state?status=${OPEN_STATUSES.join(',')}&limit=200`));
  for (const order of [...page.items, ...open.items]) upsertOrder(order);
  state.historyCursor = page.next_cursor;
  $('history-more').hidden = !page.next_cursor;
  renderOrders();
}
$('history-more').addEventListener('click', () => loadOrders(true).catch(error => showNotice(error.message)));

// ---- fills ------------------------------------------------------------------------------------------------

const fills = new Map();

async function loadFills(more) {
  const cursor = more ? `&cursor=${encodeURIComponent(state.fillsCursor)}` : '';
  const page = parseEvent(await fetchText(`/api/fills?limit=50${cursor}`));
  for (const fill of page.items) fills.set(`${fill.symbol}:${fill.trade_id}:${fill.client_order_id}`, fill);
  if (!more || state.fillsCursor) state.fillsCursor = page.next_cursor;
  $('fills-more').hidden = !page.next_cursor;
  renderFills();
}
$('fills-more').addEventListener('click', () => loadFills(true).catch(error => showNotice(error.message)));

function renderFills() {
  const tbody = $('fills').tBodies[0];
  const rows = [...fills.values()].sort((a, b) => (BigInt(b.ts_ns) > BigInt(a.ts_ns) ? 1 : -1));
  tbody.replaceChildren(...rows.map(fill => {
    const row = document.createElement('tr');
    row.dataset.clientOrderId = fill.client_order_id;
    cell(row, fmtTime(fill.ts_ns));
    cell(row, fill.client_order_id);
    cell(row, fill.symbol);
    cell(row, fill.side);
    cell(row, fill.qty);
    cell(row, fill.price);
    cell(row, fill.commission_asset ? `${fill.commission} ${fill.commission_asset}` : fill.commission);
    cell(row, fill.trade_id);
    return row;
  }));
  if (rows.length === 0) tbody.appendChild(emptyRow(8, 'No fills yet.'));
}

// A fill event carries no fee: the stored fills (with the venue's commission) are read again, at most once a second.
let fillsTimer = 0;
function fillsChanged() {
  if (fillsTimer) return;
  fillsTimer = setTimeout(() => { fillsTimer = 0; loadFills(false).catch(() => {}); }, 1000);
}

// ---- balances ---------------------------------------------------------------------------------------------

function applyBalances(balances, tsNs, replace) {
  if (replace) state.balances.clear();
  for (const b of balances) {
    if (Number(b.free) === 0 && Number(b.locked) === 0) state.balances.delete(b.asset);
    else state.balances.set(b.asset, b);
  }
  const tbody = $('balances').tBodies[0];
  const rows = [...state.balances.values()].sort((a, b) => a.asset.localeCompare(b.asset));
  tbody.replaceChildren(...rows.map(b => {
    const row = document.createElement('tr');
    row.dataset.asset = b.asset;
    cell(row, b.asset);
    cell(row, b.free);
    cell(row, b.locked);
    return row;
  }));
  if (rows.length === 0) tbody.appendChild(emptyRow(3, 'No balances reported yet.'));
  $('balances-time').textContent = tsNs ? `As of ${fmtTime(tsNs)}` : '';
}

async function loadAccount() {
  const body = parseEvent(await fetchText('/api/account'));
  applyBalances(body.balances, body.ts_ns, true);
}

// ---- gateway state ----------------------------------------------------------------------------------------

async function loadGateway() {
  const [health, config] = await Promise.all([
    api('/health', { acceptStatus: [503] }),
    api('/api/config'),
  ]);
  const c = health.components || {};
  const rows = [
    ['Market source', config.market_source],
    ['Execution mode', config.execution_mode],
    ['User stream', config.binance_user_stream_connected ? 'connected' : 'not connected'],
    ['Worker (leader)', c.worker + (c.worker_heartbeat_age_ms !== null && c.worker_heartbeat_age_ms !== undefined ? ` (heartbeat ${c.worker_heartbeat_age_ms} ms ago)` : '')],
    ['Standby worker', c.worker_standby],
    ['Market feed', c.market_feed],
    ['Storage', c.storage],
    ['Trading mode', c.trading_mode || config.trading_mode],
    ['Trading halted until', c.trading_halted_until_ts_ns ? timeOf(c.trading_halted_until_ts_ns).toLocaleString() : 'not halted'],
    ['Venue rate limit', c.venue_weight_used_1m !== undefined
      ? `${c.venue_weight_used_1m} weight this minute, ${c.venue_orders_10s} orders in 10 s (as the venue last reported)`
      : 'no venue request yet'],
  ];
  describe($('gateway-state'), rows);
  return config;
}

async function detectAdmin() {
  // An admin key can read the brake; any other key is answered 403 and the controls stay hidden.
  try {
    const body = await api('/api/admin/trading_mode');
    state.isAdmin = true;
    $('admin-controls').hidden = false;
    $('admin-result').textContent = `Trading mode: ${body.trading_mode}`;
  } catch {
    state.isAdmin = false;
    $('admin-controls').hidden = true;
  }
}

async function setMode(mode) {
  const result = $('admin-result');
  try {
    const body = await api('/api/admin/trading_mode', { method: 'POST', body: { mode } });
    showResult(result, 'ok', `Trading mode: ${body.trading_mode}`);
    loadGateway().catch(() => {});
  } catch (error) {
    showResult(result, 'error', error.message);
  }
}
$('mode-cancel-only').addEventListener('click', () => setMode('cancel_only'));
$('mode-normal').addEventListener('click', () => setMode('normal'));
$('cancel-all').addEventListener('click', async () => {
  if (!window.confirm('Cancel every open order?')) return;
  const result = $('admin-result');
  try {
    const body = await api('/api/admin/cancel_all', { method: 'POST', body: {} });
    showResult(result, body.ok ? 'ok' : 'error', `Requested ${body.requested}: cancelled ${body.cancelled.length}, already final ${body.not_open.length}, failed ${body.failed.length}` +
      (body.failed.length ? ` (${body.failed.map(f => `${f.client_order_id}: ${f.error}`).join('; ')})` : '') + '.');
  } catch (error) {
    showResult(result, 'error', error.message);
  }
});

// ---- event log --------------------------------------------------------------------------------------------

function logEvent(id, type, text) {
  state.log.push({ id, type, text });
  if (state.log.length > MAX_LOG) state.log.splice(0, state.log.length - MAX_LOG);
  if (matchesFilter(type, text)) {
    const list = $('event-log');
    list.prepend(logLine({ id, type, text }));
    while (list.children.length > MAX_LOG) list.lastElementChild.remove();
  }
}

function matchesFilter(type, text) {
  const wanted = $('event-type').value;
  const contains = $('event-text').value.trim().toLowerCase();
  if (wanted === '-market' && type === 'market') return false;
  if (wanted && wanted !== '-market' && wanted !== type) return false;
  return !contains || text.toLowerCase().includes(contains);
}

function logLine(entry) {
  const item = document.createElement('li');
  item.dataset.type = entry.type;
  const label = document.createElement('span');
  label.className = 'event-type';
  label.textContent = `#${entry.id} ${entry.type}`;
  const body = document.createElement('code');
  body.textContent = entry.text;
  item.append(label, ' ', body);
  return item;
}

function renderLog() {
  $('event-log').replaceChildren(...state.log.filter(e => matchesFilter(e.type, e.text)).reverse().map(logLine));
}
$('event-type').addEventListener('change', renderLog);
$('event-text').addEventListener('input', renderLog);

// ---- stream -----------------------------------------------------------------------------------------------

function setStreamStatus(kind, text) {
  const status = $('stream-status');
  status.dataset.state = kind;
  status.textContent = text;
}

function openStream() {
  if (state.source) state.source.close();
  const key = state.streamKey || state.key;
  // EventSource cannot send headers: the key goes in the URL, where the API accepts only a read-scope key.
  const url = '/api/stream' + (state.authOn && key ? `?access_token=${encodeURIComponent(key)}` : '');
  const source = new EventSource(url);
  state.source = source;
  setStreamStatus('connecting', 'Stream: connecting');
  source.onopen = () => setStreamStatus('open', 'Stream: live');
  source.onerror = () => {
    if (source !== state.source) return;
    if (source.readyState === EventSource.CLOSED) {
      // The API refused the stream (an answer other than the stream): ask once more to read its words.
      setStreamStatus('closed', 'Stream: refused');
      explainStreamRefusal(url);
      setTimeout(() => { if (source === state.source) openStream(); }, 10000);
    } else {
      // The browser reconnects by itself and resumes with Last-Event-ID: nothing is missed.
      setStreamStatus('reconnecting', 'Stream: reconnecting');
    }
  };
  for (const type of ['market', 'order_update', 'fill', 'order_state', 'account', 'error']) {
    source.addEventListener(type, message => onStreamEvent(type, message));
  }
}

async function explainStreamRefusal(url) {
  const abort = new AbortController();
  try {
    const response = await fetch(url, { signal: abort.signal, cache: 'no-store', credentials: 'omit' });
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch { /* not JSON */ }
      showNotice(`Live stream: ${describeError(response.status, body)}`);
      if (response.status === 401 || response.status === 403) showKeyPanel(true);
    }
  } catch { /* unreachable: the next attempt says more */ } finally {
    abort.abort();
  }
}

function onStreamEvent(type, message) {
  setStreamStatus('open', 'Stream: live');
  let event;
  try { event = parseEvent(message.data); } catch { return; }
  logEvent(message.lastEventId, type, message.data);
  switch (type) {
    case 'market': onMarket(event); break;
    case 'order_state': upsertOrder(event); break;
    case 'fill': fillsChanged(); break;
    case 'account': applyBalances(event.balances || [], event.ts_ns, false); break;
    case 'error': showNotice(`Gateway error: ${event.message}${event.detail ? ` (${event.detail})` : ''}`); break;
    default: break;
  }
}

// ---- start ------------------------------------------------------------------------------------------------

async function start() {
  showNotice('');
  let config;
  try {
    config = await api('/api/config');
  } catch (error) {
    if (error.status === 401 || error.status === 403) {
      state.authOn = true;
      showKeyPanel(true);
      showNotice(state.key ? error.message : 'Enter an API key to see the gateway.');
      return;
    }
    showNotice(error.message);
    setTimeout(start, 5000);
    return;
  }
  // Authentication is on when the configuration needed the key; without it the key field is not offered.
  state.authOn = state.authOn || Boolean(state.key);
  showKeyPanel(state.authOn);
  setSymbols(config.market_symbols || [config.market_symbol]);
  openStream();
  const results = await Promise.allSettled([loadGateway(), loadMarket(), loadRules(), loadOrders(false), loadFills(false), loadAccount(), detectAdmin()]);
  const failed = results.find(r => r.status === 'rejected');
  if (failed) showNotice(failed.reason.message);
  document.body.dataset.ready = 'true';
}

loadKeys();
showFieldsForType();
start();
setInterval(() => { if (document.body.dataset.ready) loadGateway().catch(error => showNotice(error.message)); }, 5000);
