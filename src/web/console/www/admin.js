// Admin (docs/CONSOLE.md#admin): every connection (`status`), live charts of
// connections, messages/s and bytes/s from /api/v1/admin/stats polled each
// second while the page is shown (last 5 minutes), accounts, limits.
import {api, enc} from './api.js';
import {timeChart} from './charts.js';
import {clear, formatBytes, formatNumber, formatTime, h, say, section} from './ui.js';

const WINDOW = 300;  // samples, one a second
const samples = [];  // {t, connections, logged_in, messages, bytes_in, bytes_out}
let ui = null;
let charts = [];
let timer = null;
let ticks = 0;

function rate(key, i) {
  const a = samples[i - 1];
  const b = samples[i];
  const dt = b.t - a.t;
  return dt > 0 ? Math.max(0, (b[key] - a[key]) / dt) : 0;
}

function redraw() {
  const n = samples.length;
  const xs = samples.slice(1).map((s) => s.t);
  const idx = [...Array(Math.max(0, n - 1)).keys()].map((i) => i + 1);
  const data = [
    [xs, idx.map((i) => samples[i].connections), idx.map((i) => samples[i].logged_in)],
    [xs, idx.map((i) => rate('messages', i))],
    [xs, idx.map((i) => rate('bytes_in', i)), idx.map((i) => rate('bytes_out', i))],
  ];
  charts.forEach((c, i) => c?.setData(data[i]));
  const last = samples[n - 1];
  if (last && n > 1) {
    ui.now.textContent = `connections ${last.connections}, logged in ${last.logged_in}, ` +
      `${rate('messages', n - 1).toFixed(1)} messages/s, in ${formatBytes(rate('bytes_in', n - 1))}/s, ` +
      `out ${formatBytes(rate('bytes_out', n - 1))}/s`;
  }
  ui.charts.dataset.samples = String(n);
  ui.charts.dataset.messages = last ? String(last.messages) : '0';
}

async function poll() {
  try {
    const s = await api('GET', '/api/v1/admin/stats');
    samples.push({t: Date.parse(s.time) / 1000, connections: s.connections, logged_in: s.logged_in,
      messages: s.messages_routed, bytes_in: s.bytes_in, bytes_out: s.bytes_out});
    if (samples.length > WINDOW + 1) samples.shift();
    redraw();
    say(ui.statsNote, '', false);
  } catch (e) {
    say(ui.statsNote, e.message);
  }
  if (ticks++ % 5 === 0) loadStatus();
}

async function loadStatus() {
  try {
    const answer = await api('GET', '/api/v1/admin/status');
    clear(ui.status);
    for (const c of answer.connections || []) {
      ui.status.append(h('tr', {'data-connection': c.name ?? ''}, h('td', {}, c.name ?? '(not logged in)'),
        h('td', {}, c.kind), h('td', {}, c.ip), h('td', {}, formatTime(c.connected)),
        h('td', {}, formatTime(c.logged_in)), h('td', {}, formatTime(c.last_command))));
    }
  } catch (e) {
    say(ui.statsNote, e.message);
  }
}

async function act(method, path, body, done) {
  try {
    await api(method, path, body);
    say(ui.accountNote, done, false);
  } catch (e) {
    say(ui.accountNote, e.message);
  }
  loadAccounts();
}

function resetForm(name) {
  const id = `password-${name}`;
  const input = h('input', {id, type: 'password', autocomplete: 'new-password', required: true});
  return h('form', {class: 'inline', onsubmit: (e) => {
    e.preventDefault();
    act('POST', `/api/v1/admin/accounts/${enc(name)}/password`, {password: input.value}, `${name}'s password reset.`);
  }}, h('label', {for: id, class: 'sr-only'}, `New password for ${name}`), input,
  h('button', {type: 'submit'}, 'Reset password'));
}

async function loadAccounts() {
  try {
    const answer = await api('GET', '/api/v1/admin/accounts');
    clear(ui.accounts);
    for (const a of answer.accounts || []) {
      ui.accounts.append(h('tr', {'data-account': a.name}, h('td', {}, a.name), h('td', {}, a.admin ? 'yes' : ''),
        h('td', {}, a.locked ? 'locked' : ''), h('td', {}, a.online ? 'online' : ''),
        h('td', {class: 'actions'},
          a.locked ? h('button', {type: 'button', onclick: () =>
            act('POST', `/api/v1/admin/accounts/${enc(a.name)}/unlock`, undefined, `${a.name} unlocked.`)}, 'Unlock') : null,
          resetForm(a.name),
          h('button', {type: 'button', class: 'danger', onclick: () => window.confirm(`Delete account ${a.name}?`) &&
            act('DELETE', `/api/v1/admin/accounts/${enc(a.name)}`, undefined, `${a.name} deleted.`)}, 'Delete'))));
    }
  } catch (e) {
    say(ui.accountNote, e.message);
  }
}

async function loadLimits() {
  try {
    const answer = await api('GET', '/api/v1/admin/limits');
    clear(ui.limits);
    for (const l of answer.limits || []) {
      ui.limits.append(h('tr', {}, h('td', {}, h('code', {}, l.name)), h('td', {}, String(l.value)),
        h('td', {}, l.description || '')));
    }
  } catch (e) {
    say(ui.limitNote, e.message);
  }
}

function tableOf(columns, body) {
  return h('div', {class: 'scroll'}, h('table', {}, h('thead', {}, h('tr', {},
    columns.map((c) => h('th', {scope: 'col'}, c)))), body));
}

function chartBox(id, title) {
  return h('figure', {class: 'chart', id}, h('figcaption', {}, title));
}

export function mount(container) {
  const root = section('admin', 'Admin');
  ui = {root, status: h('tbody', {id: 'admin-status'}), accounts: h('tbody', {id: 'admin-accounts'}),
    limits: h('tbody', {id: 'admin-limits'}), statsNote: h('p', {role: 'status'}),
    accountNote: h('p', {id: 'admin-account-note', role: 'status'}), limitNote: h('p', {role: 'status'}),
    now: h('p', {id: 'admin-now', 'aria-live': 'off'}), charts: h('div', {id: 'admin-charts', class: 'charts'})};
  const boxes = [chartBox('chart-connections', 'Connections'), chartBox('chart-messages', 'Messages per second'),
    chartBox('chart-bytes', 'Bytes per second')];
  ui.charts.append(...boxes);
  root.append(h('h2', {}, 'Live (last 5 minutes)'), ui.now, ui.charts, ui.statsNote,
    h('h2', {}, 'Connections'), tableOf(['Name', 'Kind', 'IP', 'Connected', 'Logged in', 'Last command'], ui.status),
    h('h2', {}, 'Accounts'), tableOf(['Name', 'Admin', 'Locked', 'Online', 'Actions'], ui.accounts), ui.accountNote,
    h('h2', {}, 'Limits'), tableOf(['Option', 'Value', 'Meaning'], ui.limits), ui.limitNote);
  container.append(root);
  charts = [
    timeChart(boxes[0], ['connections', 'logged in'], ['#1e88e5', '#43a047']),
    timeChart(boxes[1], ['messages/s'], ['#e53935']),
    timeChart(boxes[2], ['in B/s', 'out B/s'], ['#8e24aa', '#fb8c00']),
  ];
}

export function unmount() {
  left();
  charts.forEach((c) => c?.destroy());
  charts = [];
  samples.length = 0;
  ui = null;
}

export function shown() {
  loadAccounts();
  loadLimits();
  ticks = 0;
  if (!timer) timer = setInterval(poll, 1000);
  poll();
}

export function left() {
  if (timer) clearInterval(timer);
  timer = null;
}
