'use strict';
// Printed briefs and embeddable charts, in the headless Chromium of the browser stage.
//
//   node print.cjs --pdf DIR [--counts FILE] --site NAME URL DIR [--site NAME URL DIR ...]
//
// Every brief page of DIR with a chart is printed to PDF (A4) with page.pdf, and the PDF's
// text read with `pdftotext -layout` (poppler-utils, from scripts/install-browser-deps.sh),
// one page per form feed. Checks, per printed brief:
//   print-pdf-nav     no label of the page's navigation (its <nav> links, the skip link and any
//                     search form, read from the DOM, not written here) is printed: each occurs
//                     in the PDF no more often than in the printed main content and footer
//   print-pdf-chart   each chart's title and its data table's first and last row labels are on
//                     one PDF page (the figure is not split)
//   print-pdf-link    an external link in the prose has its URL printed after it; one whose
//                     text is its address (an autolink) has not
//   embed-image       the chart file the page's "Embed this chart" snippet names (chart-N.svg)
//                     loads as an image: naturalWidth > 0, and its size is the snippet's
// and per site: print-pdf-briefs (a printed brief holds two or more charts; fixture only).
// Last line: "print: P passed, F failed".

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const CACHE = process.env.BRIEFING_CACHE || path.join(os.homedir(), '.cache', 'briefing');
const { chromium } = require(path.join(CACHE, 'node', 'node_modules', 'playwright-core'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];
const TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS || 30000);

let passed = 0;
const failures = [];
const pass = () => { passed += 1; };
function fail(rule, site, page, detail) {
  const line = `FAIL ${rule} [${site}] ${page}: ${detail}`;
  failures.push(line);
  console.log(line);
}
const squash = (s) => String(s).replace(/\s+/g, ' ').trim();
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Whole-word occurrences of `word` in `text`, in any script and either case (the stylesheet
// may print a label in capitals).
const occurrences = (text, word) =>
  (text.match(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(word)}(?![\\p{L}\\p{N}])`, 'giu')) || []).length;

// Brief pages with at least one chart figure: /briefs/<slug>/ and how many charts.
function briefsWithCharts(dir) {
  const root = path.join(dir, 'briefs');
  const out = [];
  for (const slug of fs.readdirSync(root).sort()) {
    const file = path.join(root, slug, 'index.html');
    if (!fs.existsSync(file)) continue;
    const n = (fs.readFileSync(file, 'utf8').match(/<figure class="chart" /g) || []).length;
    if (n > 0) out.push({ path: `/briefs/${slug}/`, charts: n });
  }
  return out;
}

// Read on the page as the screen shows it: what the PDF must not, and must, hold.
function pageFacts() {
  const text = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const labels = new Set();
  for (const el of document.querySelectorAll(
    'nav a, .skip-link, [role="search"] label, [role="search"] button, [role="search"] input[type="submit"]')) {
    const t = text(el) || el.value || '';
    if (t) labels.add(t);
  }
  const charts = [];
  for (const fig of document.querySelectorAll('figure.chart')) {
    const rows = [...fig.querySelectorAll('.chart-data table tbody tr')];
    const label = (tr) => (tr && tr.cells.length ? text(tr.cells[0]) : '');
    charts.push({
      id: fig.id,
      title: text(fig.querySelector('.chart-title') || fig),
      first: label(rows[0]),
      last: label(rows[rows.length - 1]),
    });
  }
  const external = [...document.querySelectorAll('.prose a[href^="http"]')]
    .filter((a) => !a.closest('figure.chart'));
  const links = external.filter((a) => !a.classList.contains('link-url')).map((a) => a.getAttribute('href'));
  // Links whose text is their address: printed once, with no "(address)" after.
  const urls = external.filter((a) => a.classList.contains('link-url')).map((a) => a.getAttribute('href'));
  const embeds = [...document.querySelectorAll('figure.chart .chart-embed code')].map((c) => {
    const m = c.textContent.match(/<img src="([^"]+)"[^>]*width="(\d+)" height="(\d+)"/);
    return m ? { src: m[1], width: Number(m[2]), height: Number(m[3]) } : { src: '', raw: c.textContent.slice(0, 80) };
  });
  return { labels: [...labels], charts, links, urls, embeds };
}

// Under print media: the text of what prints besides the navigation (main, footer, title).
function printedText() {
  return ['.site-title', 'main', 'footer'].flatMap((sel) => [...document.querySelectorAll(sel)])
    .map((el) => el.innerText || '').join('\n');
}

async function loadsAsImage(page, url) {
  return page.evaluate((u) => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ ok: true, w: img.naturalWidth, h: img.naturalHeight });
    img.onerror = () => resolve({ ok: false, w: 0, h: 0 });
    img.src = u;
  }), url);
}

async function checkEmbeds(page, site, pg, facts) {
  for (const e of facts.embeds) {
    if (!e.src) { fail('embed-image', site.name, pg.path, `a snippet has no <img src>: ${e.raw}`); continue; }
    const local = site.url + new URL(e.src).pathname;
    const r = await loadsAsImage(page, local);
    if (r.ok && r.w > 0 && r.w === e.width && r.h === e.height) pass();
    else fail('embed-image', site.name, pg.path, `${local} as an image: loaded=${r.ok}, ${r.w}x${r.h} (snippet ${e.width}x${e.height})`);
  }
}

function pdfPages(pdf) {
  const out = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  return out.split('\f').map(squash).filter((p, i, all) => p || i < all.length - 1);
}

function checkPdf(site, pg, facts, printed, pages) {
  const all = pages.join(' ');
  const nav = facts.labels.filter((l) => occurrences(all, l) > occurrences(printed, l));
  if (!facts.labels.length) fail('print-pdf-nav', site.name, pg.path, 'no navigation labels found in the DOM to look for');
  else if (nav.length) fail('print-pdf-nav', site.name, pg.path, `navigation printed: ${nav.map((l) => JSON.stringify(l)).join(', ')}`);
  else pass();
  for (const c of facts.charts) {
    const together = pages.some((p) => p.includes(c.title) && p.includes(c.first) && p.includes(c.last));
    if (!c.first) fail('print-pdf-chart', site.name, pg.path, `#${c.id} has no data table rows to look for`);
    else if (together) pass();
    else {
      const where = (s) => pages.map((p, i) => (p.includes(s) ? i + 1 : 0)).filter(Boolean).join(',') || 'none';
      fail('print-pdf-chart', site.name, pg.path, `#${c.id} is split: title on page ${where(c.title)}, ` +
        `first row "${c.first}" on ${where(c.first)}, last row "${c.last}" on ${where(c.last)}`);
    }
  }
  const bare = all.replace(/\s+/g, '');
  if (facts.links.length) {
    const missing = facts.links.filter((u) => !bare.includes(`(${u})`));
    if (missing.length) fail('print-pdf-link', site.name, pg.path, `no printed URL after ${missing.slice(0, 3).join(', ')}`);
    else pass();
  }
  for (const u of facts.urls) {
    if (bare.includes(u) && !bare.includes(`(${u})`)) pass();
    else fail('print-pdf-link', site.name, pg.path, `the link written as its address ${u} is not printed once`);
  }
  return facts.links.length;
}

async function printBrief(page, site, pg, pdfDir) {
  await page.emulateMedia({ media: 'screen' });
  await page.goto(site.url + pg.path, { waitUntil: 'load', timeout: TIMEOUT });
  const facts = await page.evaluate(pageFacts);
  await checkEmbeds(page, site, pg, facts);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(printedText);
  const pdf = path.join(pdfDir, `${site.name}-${pg.path.replace(/[^\p{L}\p{N}]+/gu, '_')}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: false });
  return checkPdf(site, pg, facts, printed, pdfPages(pdf));
}

function parseArgs(argv) {
  const o = { sites: [], pdf: null, counts: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pdf') o.pdf = argv[++i];
    else if (argv[i] === '--counts') o.counts = argv[++i];
    else if (argv[i] === '--site') { o.sites.push({ name: argv[i + 1], url: argv[i + 2].replace(/\/$/, ''), dir: argv[i + 3] }); i += 3; }
    else throw new Error('unknown argument ' + argv[i]);
  }
  if (!o.sites.length || !o.pdf) throw new Error('usage: node print.cjs --pdf DIR [--counts FILE] --site NAME URL DIR [...]');
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(o.pdf, { recursive: true });
  execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 60000,
  });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  for (const site of o.sites) {
    const briefs = briefsWithCharts(site.dir);
    let links = 0;
    for (const pg of briefs) {
      try {
        links += await printBrief(page, site, pg, o.pdf);
      } catch (e) {
        fail('print-pdf', site.name, pg.path, 'check crashed: ' + squash(e.message.split('\n')[0]).slice(0, 300));
      }
    }
    console.log(`print: [${site.name}] printed ${briefs.length} briefs with charts to PDF, ${links} external links`);
    if (site.name === 'fixture') {
      if (briefs.some((b) => b.charts >= 2) && links > 0) pass();
      else fail('print-pdf-briefs', site.name, '/', 'no printed brief with two or more charts and an external link');
    }
  }
  await browser.close();
  console.log(`print: PDFs in ${o.pdf}`);
  console.log(`print: ${passed} passed, ${failures.length} failed`);
  if (o.counts) fs.writeFileSync(o.counts, `print: ${passed} passed, ${failures.length} failed\n`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
  console.log('FAIL print: could not run the print checks: ' + (e && e.stack ? e.stack : e));
  console.log(`print: ${passed} passed, ${failures.length + 1} failed`);
  if (process.argv.includes('--counts')) {
    const f = process.argv[process.argv.indexOf('--counts') + 1];
    fs.writeFileSync(f, `print: ${passed} passed, ${failures.length + 1} failed\n`);
  }
  process.exitCode = 3;
});
