// Shared pieces of the browser tests (docs/CONSOLE.md#browser-tests): the
// test's edgehubd (from the environment the Python wrapper sets), headless
// Debian Chromium through playwright-core, and real edgehub terminal clients.
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

export const env = {
  url: process.env.EDGEHUB_HTTP_URL,
  port: process.env.EDGEHUB_PORT,
  client: process.env.EDGEHUB_CLIENT,
  users: JSON.parse(process.env.EDGEHUB_USERS || '{}'),
  shots: process.env.EDGEHUB_SHOTS,
  work: process.env.EDGEHUB_WORK,
  timeout: 1000 * Number(process.env.EDGEHUB_TEST_TIMEOUT || 20),
};

// A case that cannot run on this build (an endpoint not there yet).
export class Skip extends Error {}

export function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export async function launch() {
  return chromium.launch({executablePath: '/usr/bin/chromium', args: ['--no-sandbox']});
}

// A fresh browser context (own cookies) at phone or desktop width. Script
// errors on the page fail the case: the console must not throw.
export async function openPage(browser, {phone = false} = {}) {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: phone ? {width: 390, height: 844} : {width: 1280, height: 900},
  });
  context.setDefaultTimeout(env.timeout);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  // HTTP error statuses are expected answers (401 before login, 409 on a
  // second upload); anything else logged as an error is not.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.errors.push(`console: ${m.text()}`);
  });
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(env.shots, {recursive: true});
  await page.screenshot({path: join(env.shots, `${name}.png`), fullPage: true});
}

export async function login(page, name) {
  await page.goto(env.url);
  await page.fill('#login-name', name);
  await page.fill('#login-password', env.users[name]);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector(`#whoami:text-matches("^${name}")`);
  await page.waitForSelector('#live[data-state="live"]');
}

export async function goTo(page, name) {
  await page.click(`#nav a[data-page="${name}"]`);
  await page.waitForSelector(`#page-${name}:not([hidden])`);
}

// A real edgehub client in batch mode (stdin a pipe), as the integration
// harness drives it (tests/integration/harness.py).
export class Terminal {
  constructor(user, cwd) {
    this.user = user;
    this.lines = [];
    this.waiters = [];
    this.proc = spawn(env.client, ['127.0.0.1', env.port], {cwd: cwd || env.work, stdio: ['pipe', 'pipe', 'pipe']});
    let partial = '';
    const take = (chunk) => {
      partial += chunk.toString();
      const parts = partial.split('\n');
      partial = parts.pop();
      for (const line of parts) this.lines.push(line.replace(/\r$/, ''));
      this.wake();
    };
    this.proc.stdout.on('data', take);
    this.proc.stderr.on('data', take);
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => {
      this.done = true;
      this.wake();
      resolve(code);
    }));
  }

  static async login(user, cwd) {
    const t = new Terminal(user, cwd);
    t.send(user);
    t.send(env.users[user]);
    await t.expect(new RegExp(`Welcome to edgehub, ${user}`));
    return t;
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(line) {
    this.proc.stdin.write(`${line}\n`);
  }

  // The first line not consumed yet that matches; earlier lines are dropped.
  async expect(regex) {
    const deadline = Date.now() + env.timeout;
    const seen = [];
    for (;;) {
      while (this.lines.length) {
        const line = this.lines.shift();
        seen.push(line);
        const m = line.match(regex);
        if (m) return m;
      }
      if (this.done) throw new Error(`${this.user}'s client exited before ${regex}; saw ${seen.slice(-10)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${regex} from ${this.user}; saw ${seen.slice(-10)}`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  // Closing stdin logs the client out.
  async finish() {
    this.proc.stdin.end();
    return this.exited;
  }

  kill() {
    if (!this.done) this.proc.kill('SIGKILL');
  }
}
