// The console's cases in a real browser (docs/CONSOLE.md#browser-tests).
// Each case gets a fresh browser context and its own users, and awaits what
// it checks (selectors, events, client output): no fixed sleeps.
import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {env, goTo, login, screenshot, sha256, Skip, Terminal} from './lib.mjs';

async function status(page, method, path) {
  return page.evaluate(async ([m, p]) => (await fetch(p, {method: m})).status, [method, path]);
}

// A case whose endpoints are not on this build yet is skipped, naming them.
// Asked before login: a route that is there answers 401 (or 400, 426...);
// 404 means no route has the path, 405 no route has the method.
async function needs(page, ...routes) {
  await page.goto(env.url);
  const missing = [];
  for (const route of routes) {
    const [method, path] = route.split(' ');
    const code = await status(page, method, path);
    if (code === 404 || (code === 405 && method !== 'GET')) missing.push(route);
  }
  if (missing.length) throw new Skip(`not on this build: ${missing.join(', ')}`);
}

export const cases = {
  // A wrong password shows the server's answer; the right one opens the
  // console, with the live stream connected. At phone width.
  async login({browser, open}) {
    const page = await open({phone: true});
    await needs(page, 'POST /api/v1/login', 'GET /api/v1/session', 'POST /api/v1/logout', 'GET /api/v1/events');
    await page.goto(env.url);
    await page.fill('#login-name', 'alice');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#login-error:not(:empty)');
    await login(page, 'alice');
    await page.waitForSelector('#page-devices:not([hidden])');
    await screenshot(page, 'login-phone');
    // The session survives a reload (the cookie), and logout ends it.
    await page.reload();
    await page.waitForSelector('#live[data-state="live"]');
    await page.click('#logout');
    await page.waitForSelector('#login-page:not([hidden])');
    if ((await status(page, 'GET', '/api/v1/session')) !== 401) throw new Error('session still valid after logout');
  },

  // A terminal client appears in "Online now" and in the timeline, and
  // leaves, over the WebSocket (the page never reloads).
  async devices({open, terminal}) {
    const page = await open();
    await needs(page, 'GET /api/v1/devices', 'GET /api/v1/devices/history', 'GET /api/v1/events');
    await login(page, 'bob');
    const carol = await terminal('carol');
    const row = '#devices-online tr[data-device="carol"]';
    await page.waitForSelector(`${row} >> text=terminal`);
    await page.waitForSelector('#devices-timeline .timeline-row[data-name="carol"] .bar.open');
    await page.waitForSelector(`${row} >> text=127.0.0.1`);
    await screenshot(page, 'devices-online');
    await carol.finish();
    await page.waitForSelector(row, {state: 'detached'});
    await page.waitForSelector('#devices-timeline .timeline-row[data-name="carol"] .bar:not(.open)');
    await screenshot(page, 'devices-left');
  },

  // Offline messages arrive at login, live ones both ways.
  async messages({open, terminal}) {
    const page = await open();
    await needs(page, 'POST /api/v1/messages', 'GET /api/v1/blocks', 'GET /api/v1/events');
    const erin = await terminal('erin');
    erin.send('message dave stored while you were away');
    await erin.expect(/dave is offline; the message is stored/);
    await login(page, 'dave');
    await page.waitForSelector('#unread:not([hidden])');
    await goTo(page, 'messages');
    await page.click('#peers button[data-peer="erin"]');
    await page.waitForSelector('#message-log .msg >> text=stored while you were away');
    await page.waitForSelector('#message-log .msg >> text=delivered later');
    erin.send('message dave hello from the terminal');
    await page.waitForSelector('#message-log .msg >> text=hello from the terminal');
    await page.fill('#message-text', 'hello from the browser');
    await page.click('#message-text-button');
    await erin.expect(/dave: hello from the browser/);
    await page.waitForSelector('#message-log .msg.mine >> text=hello from the browser');
    await screenshot(page, 'messages');
  },

  // Upload a data file with progress, see its statistics, an SCS result
  // and the server's histogram drawn by uPlot.
  async edge({open}) {
    const page = await open();
    await needs(page, 'GET /api/v1/edge-data', 'PUT /api/v1/edge-data/7', 'POST /api/v1/edge-data/7/scs', 'GET /api/v1/edge-data/7/histogram');
    const path = join(env.work, 'values.txt');
    writeFileSync(path, Array.from({length: 100}, (_, i) => `${i + 1}\n`).join(''));
    await login(page, 'grace');
    await goTo(page, 'edge');
    await page.fill('#edge-id', '7');
    await page.setInputFiles('#edge-file', path);
    await page.click('#page-edge form button[type=submit]');
    await page.waitForSelector('#edge-upload-note.ok');
    const row = '#edge-rows tr[data-edge="7"]';
    await page.waitForSelector(`${row} >> text=5,050`);
    await page.selectOption(`${row} select`, 'MEDIAN');
    await page.click(`${row} >> text=Compute`);
    await page.waitForSelector(`${row} output >> text=MEDIAN = 50.5`);
    await page.fill('#edge-bins', '10');
    await page.click(`${row} >> text=Histogram`);
    await page.waitForSelector('#edge-histogram[data-ready="true"] canvas');
    const note = await page.textContent('#edge-histogram-note');
    if (!/^10 bins from 1 to 100, 100 values$/.test(note)) throw new Error(`histogram note: ${note}`);
    await screenshot(page, 'edge-data');
  },

  // A file put by a terminal client downloads with the same SHA-256.
  async download({open, terminal}) {
    const page = await open();
    await needs(page, 'GET /api/v1/files', 'GET /api/v1/files/report.bin');
    const path = join(env.work, 'report.bin');
    writeFileSync(path, randomBytes(300 * 1024));
    const ivan = await terminal('ivan');
    ivan.send(`put ${path}`);
    await ivan.expect(/^Stored 'report.bin': \d+ bytes, SHA-256 verified$/);
    await login(page, 'heidi');
    await goTo(page, 'files');
    const link = '#file-rows tr[data-file="report.bin"] a';
    await page.waitForSelector(link);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(link)]);
    const saved = join(env.work, 'downloaded.bin');
    await download.saveAs(saved);
    if (sha256(saved) !== sha256(path)) throw new Error('downloaded file differs');
    await screenshot(page, 'files');
  },

  // An upload fills the progress bar and reports the server's SHA-256; a
  // second upload of the same name shows the server's error as it is.
  async upload({open}) {
    const page = await open();
    await needs(page, 'GET /api/v1/files', 'PUT /api/v1/files/upload.bin');
    const path = join(env.work, 'upload.bin');
    writeFileSync(path, randomBytes(4 * 1024 * 1024));
    await login(page, 'judy');
    await goTo(page, 'files');
    await page.setInputFiles('#file-input', path);
    await page.click('#page-files form button[type=submit]');
    await page.waitForSelector('#file-progress:not([hidden])');
    await page.waitForSelector('#file-upload-note.ok');
    const note = await page.textContent('#file-upload-note');
    if (!note.includes(sha256(path))) throw new Error(`upload note without the SHA-256: ${note}`);
    if ((await page.textContent('#file-percent')) !== '100%') throw new Error('progress did not reach 100%');
    await page.waitForSelector('#file-rows tr[data-file="upload.bin"]');
    await screenshot(page, 'upload');
    await page.setInputFiles('#file-input', path);
    await page.click('#page-files form button[type=submit]');
    await page.waitForSelector('#file-upload-note.error >> text=/exist/i');
  },

  // The admin page's charts take a new sample each second; messages between
  // terminal clients show in the counters.
  async admin({open, terminal}) {
    const page = await open();
    await needs(page, 'GET /api/v1/admin/status', 'GET /api/v1/admin/accounts', 'GET /api/v1/admin/limits', 'GET /api/v1/admin/stats');
    if (!process.env.EDGEHUB_ADMIN) throw new Skip('`edgehubd user admin NAME on` is not on this build');
    await login(page, 'root');
    await goTo(page, 'admin');
    await page.waitForSelector('#admin-accounts tr[data-account="mallory"]');
    await page.waitForSelector('#admin-limits tr');
    await page.waitForFunction(() => Number(document.getElementById('admin-charts').dataset.samples) >= 2);
    const before = Number(await page.getAttribute('#admin-charts', 'data-messages'));
    const ken = await terminal('ken');
    const lee = await terminal('lee');
    ken.send('message lee ping from ken');
    await lee.expect(/ken: ping from ken/);
    await page.waitForFunction((n) => Number(document.getElementById('admin-charts').dataset.messages) > n, before);
    await page.waitForSelector('#admin-status tr[data-connection="ken"]');
    await page.waitForSelector('#chart-messages canvas');
    await screenshot(page, 'admin');
    // The accounts from the keyboard alone: a new password for oscar (Enter
    // submits its form), then peggy deleted (Enter on the button, the
    // confirmation accepted).
    await page.focus('#password-oscar');
    await page.keyboard.type('oscar-pw-2');
    await page.keyboard.press('Enter');
    await page.waitForSelector("#admin-account-note >> text=oscar's password reset.");
    page.once('dialog', (dialog) => dialog.accept());
    await page.focus('#admin-accounts tr[data-account="peggy"] button.danger');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#admin-accounts tr[data-account="peggy"]', {state: 'detached'});
    await page.waitForSelector('#admin-account-note >> text=peggy deleted.');
  },

  // Someone without the admin role sees no admin page, and the API refuses.
  async nonadmin({open}) {
    const page = await open();
    await needs(page, 'GET /api/v1/admin/status', 'GET /api/v1/admin/accounts', 'GET /api/v1/admin/limits', 'GET /api/v1/admin/stats');
    await login(page, 'mallory');
    if (await page.isVisible('#nav-admin')) throw new Error('admin link shown to a non-admin');
    for (const path of ['/api/v1/admin/status', '/api/v1/admin/accounts', '/api/v1/admin/limits',
      '/api/v1/admin/stats']) {
      const code = await status(page, 'GET', path);
      if (code !== 403) throw new Error(`${path} answered ${code} to a non-admin`);
    }
    await page.goto(`${env.url}#admin`);
    await page.waitForSelector('#page-devices:not([hidden])');
    if (await page.$('#page-admin')) throw new Error('admin page built for a non-admin');
  },
};

export {Skip};
