// The console's shell (docs/CONSOLE.md): login, navigation between the pages,
// the live event stream. Each page is a module with mount(container, ctx)
// (which adds its <section id="page-NAME">), shown(), and optionally left()
// and unmount(); pages keep their state while hidden.
import {api, setCsrf, setUnauthorizedHandler} from './api.js';
import {connect, disconnect, onEvent} from './events.js';
import * as devices from './devices.js';
import * as messages from './messages.js';
import * as edge from './edge.js';
import * as files from './files.js';
import * as admin from './admin.js';

const pages = {devices, messages, edge, files, admin};
const $ = (id) => document.getElementById(id);
let session = null;
let current = null;

function showPage(name) {
  if (!session) return;
  if (!pages[name] || (name === 'admin' && !session.admin)) name = 'devices';
  if (current && current !== name) {
    document.getElementById(`page-${current}`).hidden = true;
    pages[current].left?.();
  }
  current = name;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.getElementById(`page-${name}`).hidden = false;
  pages[name].shown();
}

function enter(info) {
  session = info;
  byeReason = '';
  setCsrf(info.csrf);
  $('login-page').hidden = true;
  $('top').hidden = false;
  $('whoami').textContent = info.name + (info.admin ? ' (admin)' : '');
  $('nav-admin').hidden = !info.admin;
  const container = $('pages');
  const ctx = {session: info, unread: $('unread')};
  for (const page of Object.values(pages)) {
    if (page === admin && !info.admin) continue;
    page.mount(container, ctx);
  }
  connect($('live'));
  showPage(location.hash.slice(1) || 'devices');
}

function leave(message) {
  disconnect();
  session = null;
  current = null;
  setCsrf('');
  for (const page of Object.values(pages)) page.unmount?.();
  document.getElementById('pages').replaceChildren();
  $('top').hidden = true;
  $('login-page').hidden = false;
  $('login-error').textContent = message || '';
  $('login-name').focus();
}

async function login(event) {
  event.preventDefault();
  const name = $('login-name').value.trim();
  const password = $('login-password').value;
  $('login-error').textContent = '';
  try {
    const info = await api('POST', '/api/v1/login', {name, password});
    $('login-password').value = '';
    enter(info);
  } catch (e) {
    $('login-error').textContent = e.message;
  }
}

async function logout() {
  try {
    await api('POST', '/api/v1/logout');
  } catch {
    // the session may be gone already: the login page is right either way
  }
  leave('Logged out.');
}

// The server closed the live stream ("bye": logged out elsewhere, expired,
// account deleted) or it broke: if the session is gone, the API's 401 sends
// the user to the login page; otherwise events.js reconnects.
let byeReason = '';
onEvent((event) => {
  if (!session) return;
  if (event.type === 'bye') byeReason = event.reason || '';
  if (event.type === 'bye' || event.type === 'closed') api('GET', '/api/v1/session').catch(() => {});
});

async function start() {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', () => showPage(location.hash.slice(1)));
  setUnauthorizedHandler((e) => session && leave(`Session ended: ${byeReason || e.message}`));
  try {
    enter(await api('GET', '/api/v1/session'));
  } catch {
    leave('');
  }
}

start();
