// Messages (docs/CONSOLE.md#messages): one conversation per user, broadcasts,
// block/unblock. Messages arrive as WebSocket events, also those stored while
// this user was offline (sent right after "hello", marked stored).
import {api, enc} from './api.js';
import {onEvent} from './events.js';
import {clear, formatTime, h, say, section} from './ui.js';

const BROADCASTS = '(broadcasts)';
const conversations = new Map();  // peer -> [{from, text, time, stored, mine}]
const unread = new Map();
let selected = null;
let visible = false;
let ui = null;
let badge = null;
let me = '';

function add(peer, entry) {
  if (!conversations.has(peer)) conversations.set(peer, []);
  conversations.get(peer).push(entry);
  if (!visible || selected !== peer) unread.set(peer, (unread.get(peer) || 0) + 1);
  render();
}

function renderList() {
  clear(ui.list);
  for (const peer of [...conversations.keys()].sort()) {
    const count = unread.get(peer) || 0;
    ui.list.append(h('li', {}, h('button', {type: 'button', class: peer === selected ? 'peer current' : 'peer',
      'data-peer': peer, 'aria-current': peer === selected ? 'true' : null, onclick: () => select(peer)},
    peer, count ? h('span', {class: 'badge'}, count) : null)));
  }
}

function renderLog() {
  clear(ui.log);
  ui.heading.textContent = selected ? `Conversation with ${selected}` : 'No conversation selected';
  ui.send.hidden = !selected || selected === BROADCASTS;
  for (const m of conversations.get(selected) || []) {
    ui.log.append(h('li', {class: m.mine ? 'msg mine' : 'msg'},
      h('span', {class: 'meta'}, `${m.mine ? 'you' : m.from} · ${formatTime(m.time)}`,
        m.stored ? ' · delivered later' : ''),
      h('span', {class: 'text'}, m.text)));
  }
  ui.log.lastElementChild?.scrollIntoView({block: 'nearest'});
}

function render() {
  if (!ui) return;
  let total = 0;
  for (const n of unread.values()) total += n;
  badge.textContent = total ? String(total) : '';
  badge.hidden = !total;
  renderList();
  renderLog();
}

function select(peer) {
  selected = peer;
  if (!conversations.has(peer)) conversations.set(peer, []);
  unread.delete(peer);
  render();
}

onEvent((event) => {
  if (event.type === 'message') add(event.from, {...event, mine: false});
  if (event.type === 'broadcast') add(BROADCASTS, {...event, mine: false});
});

async function send(e) {
  e.preventDefault();
  const text = ui.text.value;
  if (!selected || !text) return;
  try {
    const answer = await api('POST', '/api/v1/messages', {to: selected, text});
    ui.text.value = '';
    say(ui.note, answer.delivered === 'stored' ? `${selected} is offline: stored for later.` : 'Delivered.', false);
    add(selected, {from: me, text, time: new Date().toISOString(), stored: answer.delivered === 'stored', mine: true});
  } catch (err) {
    say(ui.note, err.message);
  }
}

async function broadcast(e) {
  e.preventDefault();
  const text = ui.broadcastText.value;
  try {
    await api('POST', '/api/v1/broadcast', {text});
    ui.broadcastText.value = '';
    say(ui.broadcastNote, 'Broadcast sent.', false);
    add(BROADCASTS, {from: me, text, time: new Date().toISOString(), stored: false, mine: true});
  } catch (err) {
    say(ui.broadcastNote, err.message);
  }
}

async function loadBlocks() {
  try {
    const answer = await api('GET', '/api/v1/blocks');
    clear(ui.blocks);
    for (const name of answer.blocked || []) {
      ui.blocks.append(h('li', {'data-blocked': name}, name, ' ',
        h('button', {type: 'button', onclick: () => changeBlock('DELETE', name)}, `Unblock ${name}`)));
    }
    if (!(answer.blocked || []).length) ui.blocks.append(h('li', {}, 'Nobody is blocked.'));
  } catch (err) {
    say(ui.blockNote, err.message);
  }
}

async function changeBlock(method, name) {
  try {
    if (method === 'POST') await api('POST', '/api/v1/blocks', {name});
    else await api('DELETE', `/api/v1/blocks/${enc(name)}`);
    say(ui.blockNote, method === 'POST' ? `${name} is blocked.` : `${name} is unblocked.`, false);
  } catch (err) {
    say(ui.blockNote, err.message);
  }
  loadBlocks();
}

function form(id, label, input, button, onsubmit) {
  input.id = id;
  return h('form', {class: 'inline', onsubmit}, h('label', {for: id}, label), input,
    h('button', {type: 'submit', id: `${id}-button`}, button));
}

export function mount(container, ctx) {
  me = ctx.session.name;
  badge = ctx.unread;
  const root = section('messages', 'Messages');
  ui = {root, list: h('ul', {class: 'peers', id: 'peers'}), log: h('ol', {class: 'log', id: 'message-log',
    'aria-live': 'polite'}), heading: h('h2', {id: 'conversation-title'}), note: h('p', {role: 'status'}),
  text: h('input', {required: true, autocomplete: 'off'}), broadcastText: h('input', {required: true}),
  broadcastNote: h('p', {role: 'status'}), blocks: h('ul', {id: 'blocks'}), blockNote: h('p', {role: 'status'})};
  const peerInput = h('input', {required: true, autocomplete: 'off'});
  const blockInput = h('input', {required: true, autocomplete: 'off'});
  ui.send = form('message-text', 'Message', ui.text, 'Send', send);
  root.append(h('div', {class: 'columns'},
    h('div', {class: 'side'}, h('h2', {}, 'Conversations'),
      form('new-peer', 'Talk to', peerInput, 'Open', (e) => {
        e.preventDefault();
        if (peerInput.value.trim()) select(peerInput.value.trim());
        peerInput.value = '';
      }), ui.list),
    h('div', {class: 'main'}, ui.heading, ui.log, ui.send, ui.note)),
  h('h2', {}, 'Broadcast'), form('broadcast-text', 'To everyone online', ui.broadcastText, 'Broadcast', broadcast),
  ui.broadcastNote,
  h('h2', {}, 'Blocked users'), ui.blocks,
  form('block-name', 'Block', blockInput, 'Block', (e) => {
    e.preventDefault();
    changeBlock('POST', blockInput.value.trim());
    blockInput.value = '';
  }), ui.blockNote);
  container.append(root);
  render();
  loadBlocks();
}

export function unmount() {
  conversations.clear();
  unread.clear();
  selected = null;
  ui = null;
}

export function shown() {
  visible = true;
  if (selected) unread.delete(selected);
  render();
}

export function left() {
  visible = false;
}
