// Runs the console's browser cases (cases.mjs) against the edgehubd that
// test_console.py started; one browser, a fresh context per case. Prints
// "ok NAME", "skip NAME: why" or "FAIL NAME: why" per case; exit 1 if any
// failed. Usage: node run.mjs [CASE...] (default: all).
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {cases, Skip} from './cases.mjs';
import {env, launch, openPage, screenshot, Terminal} from './lib.mjs';

async function runCase(browser, name) {
  const pages = [];
  const terminals = [];
  const ctx = {
    browser,
    open: async (options) => {
      const page = await openPage(browser, options);
      pages.push(page);
      return page;
    },
    terminal: async (user) => {
      const t = await Terminal.login(user, mkdtempSync(join(env.work, `${user}-`)));
      terminals.push(t);
      return t;
    },
  };
  try {
    await cases[name](ctx);
    const errors = pages.flatMap((p) => p.errors);
    if (errors.length) throw new Error(`the page reported errors: ${errors.join(' | ')}`);
    return `ok ${name}`;
  } catch (e) {
    if (e instanceof Skip) return `skip ${name}: ${e.message}`;
    for (const [i, page] of pages.entries()) await screenshot(page, `${name}-failed-${i}`).catch(() => {});
    return `FAIL ${name}: ${e.stack || e}`;
  } finally {
    for (const t of terminals) t.kill();
    for (const page of pages) await page.context().close().catch(() => {});
  }
}

async function main() {
  env.work = env.work || mkdtempSync(join(tmpdir(), 'edgehub-browser-'));
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(cases);
  const browser = await launch();
  let failed = false;
  try {
    for (const name of names) {
      if (!cases[name]) throw new Error(`no case ${name}`);
      const result = await runCase(browser, name);
      failed ||= result.startsWith('FAIL');
      console.log(result);
    }
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log(`FAIL run: ${e.stack || e}`);
  process.exit(1);
});
