// Devices (docs/CONSOLE.md#devices): who is online now, kept live by the
// WebSocket's login/logout events, and a timeline of logins and logouts
// from /api/v1/devices/history (whoelsesince as a picture).
import {api} from './api.js';
import {onEvent} from './events.js';
import {clear, formatTime, h, say, section} from './ui.js';

const online = new Map();  // name -> {name, kind, ip, udp_port, since}
let history = [];          // [{name, login, logout|null}]
let root = null;
let rows = null;
let timeline = null;
let note = null;
let windowSeconds = 3600;

function render() {
  if (!rows) return;
  clear(rows);
  const sorted = [...online.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const d of sorted) {
    rows.append(h('tr', {'data-device': d.name},
      h('td', {}, d.name), h('td', {}, d.kind || ''), h('td', {}, d.ip || ''),
      h('td', {}, d.udp_port ?? '—'), h('td', {}, formatTime(d.since))));
  }
  if (!sorted.length) rows.append(h('tr', {}, h('td', {colspan: 5}, 'Nobody else is online.')));
  drawTimeline();
}

// One row per name, one bar per session, over the chosen window up to now.
function drawTimeline() {
  if (!timeline) return;
  clear(timeline);
  const now = Date.now();
  const start = now - windowSeconds * 1000;
  const byName = new Map();
  for (const e of history) {
    if (!byName.has(e.name)) byName.set(e.name, []);
    byName.get(e.name).push(e);
  }
  if (!byName.size) timeline.append(h('p', {}, 'No logins in this window.'));
  for (const [name, spans] of [...byName.entries()].sort()) {
    const lane = h('div', {class: 'lane', role: 'img', 'aria-label': `${name}: ${spans.length} session(s)`});
    for (const s of spans) {
      const from = Math.max(start, Date.parse(s.login));
      const to = s.logout ? Date.parse(s.logout) : now;
      const left = ((from - start) / (now - start)) * 100;
      const width = Math.max(0.5, ((to - from) / (now - start)) * 100);
      const bar = h('span', {class: s.logout ? 'bar' : 'bar open',
        title: `${name}: ${formatTime(s.login)} – ${s.logout ? formatTime(s.logout) : 'now'}`});
      // A session that began a moment ago still gets its 0.5 % at the
      // right edge (it had none left there, and the browser test found it
      // hidden: zero pixels wide).
      const shownLeft = Math.min(Math.max(0, left), 99.5);
      bar.style.left = `${shownLeft}%`;
      bar.style.width = `${Math.min(100 - shownLeft, width)}%`;
      lane.append(bar);
    }
    timeline.append(h('div', {class: 'timeline-row', 'data-name': name}, h('span', {class: 'lane-name'}, name), lane));
  }
  if (byName.size) {
    timeline.append(h('div', {class: 'timeline-row axis', 'aria-hidden': 'true'}, h('span'),
      h('span', {class: 'ends'}, h('span', {}, new Date(start).toLocaleTimeString()), h('span', {}, 'now'))));
  }
}

async function refresh() {
  try {
    const [list, past] = await Promise.all([
      api('GET', '/api/v1/devices'),
      api('GET', `/api/v1/devices/history?since=${windowSeconds}`),
    ]);
    online.clear();
    for (const d of list.devices || []) online.set(d.name, d);
    history = past.events || [];
    say(note, '', false);
  } catch (e) {
    say(note, e.message);
  }
  render();
}

function onLive(event) {
  if (event.type === 'hello') refresh();  // (re)connected: start from the truth
  if (event.type === 'login') {
    online.set(event.name, {name: event.name, kind: event.kind, since: event.time});
    history.push({name: event.name, login: event.time, logout: null});
    render();
    // The event carries no address: fill in IP and UDP port once.
    api('GET', '/api/v1/devices').then((list) => {
      for (const d of list.devices || []) if (online.has(d.name)) online.set(d.name, d);
      render();
    }).catch(() => {});
  }
  if (event.type === 'logout') {
    online.delete(event.name);
    const open = history.findLast((s) => s.name === event.name && !s.logout);
    if (open) open.logout = event.time;
    render();
  }
}

onEvent(onLive);

export function mount(container) {
  root = section('devices', 'Devices');
  rows = h('tbody', {id: 'devices-online'});
  note = h('p', {role: 'status'});
  timeline = h('div', {class: 'timeline', id: 'devices-timeline'});
  const choose = h('select', {id: 'timeline-window', onchange: (e) => {
    windowSeconds = Number(e.target.value);
    refresh();
  }}, [[600, 'last 10 minutes'], [3600, 'last hour'], [86400, 'last day']].map(
    ([v, t]) => h('option', {value: v, selected: v === windowSeconds}, t)));
  root.append(
    h('h2', {}, 'Online now'),
    h('div', {class: 'scroll'}, h('table', {}, h('thead', {}, h('tr', {},
      ['Name', 'Kind', 'IP', 'UDP port', 'Since'].map((c) => h('th', {scope: 'col'}, c)))), rows)),
    note,
    h('h2', {}, 'Logins and logouts'),
    h('p', {}, h('label', {for: 'timeline-window'}, 'Window '), choose),
    timeline);
  container.append(root);
  refresh();
}

export function unmount() {
  online.clear();
  history = [];
  root = rows = timeline = note = null;
}

export const shown = drawTimeline;
