// Live reload, as an editor meets it: `briefing serve` on a free loopback port, a brief open
// in headless Chromium, the brief's title edited on disk, and the page reloading by itself
// with the new title, with no click or keypress. The server is stopped by its PID.
//
//   node reload.cjs BRIEFING_BIN SITE_DIR
// Prints "reload: N passed, M failed"; exit 1 on any failure.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const CACHE = process.env.BRIEFING_CACHE || path.join(os.homedir(), '.cache', 'briefing');
const { chromium } = require(path.join(CACHE, 'node', 'node_modules', 'playwright-core'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--disable-dev-shm-usage'];

let passed = 0, failed = 0;
const pass = () => { passed += 1; };
const fail = (rule, msg) => { failed += 1; console.log(`FAIL ${rule} [serve] ${msg}`); };

async function main() {
  const [bin, site] = process.argv.slice(2);
  const brief = path.join(site, 'content', 'briefs', 'live-reload.md');
  fs.mkdirSync(path.dirname(brief), { recursive: true });
  fs.writeFileSync(brief, '---\ntitle: Before the edit\ndate: 2025-11-20\n---\nBody.\n');

  const server = spawn(bin, ['serve', '--root', site, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(0), 20000);
    server.stderr.on('data', (d) => {
      log += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
  });
  let browser;
  try {
    if (!port) { fail('serve-start', `briefing serve did not start: ${log.slice(-300)}`); return; }
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: FLAGS });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/briefs/live-reload/`, { waitUntil: 'load' });
    if ((await page.title()).startsWith('Before the edit')) pass(); else fail('serve-page', `unexpected title ${await page.title()}`);
    await page.evaluate(() => { window.__notReloaded = true; });
    // Let the reload script open its long poll before the edit.
    await page.waitForTimeout(300);
    const reloaded = page.waitForEvent('load', { timeout: 10000 }).then(() => true, () => false);
    fs.writeFileSync(brief, '---\ntitle: After the edit\ndate: 2025-11-20\n---\nBody.\n');
    if (await reloaded) pass(); else fail('live-reload', 'the open page did not reload within 10 s of the save');
    const title = await page.title();
    if (title.startsWith('After the edit')) pass(); else fail('live-reload', `after reload the title is "${title}"`);
    if (!(await page.evaluate(() => window.__notReloaded === true))) pass();
    else fail('live-reload', 'the page changed without a reload');
    if (errors.length) fail('console', errors.join('; ')); else pass();
  } catch (e) {
    fail('browser', String(e.message || e).split('\n')[0]);
  } finally {
    if (browser) await browser.close();
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.on('exit', r)));
    console.log(`reload: stopped briefing serve (pid ${server.pid})`);
    console.log(`reload: ${passed} passed, ${failed} failed`);
    process.exitCode = failed ? 1 : 0;
  }
}
main();
