// Small multiples as the browser lays them out: on every page holding a
// <figure class="chart chart-facets">, the small charts sit in one column at 390 px and in
// more than one at 1280 px, the figure and each small chart stay inside the viewport, the page
// does not scroll sideways, and every small chart's text is at least 11 px. The fixture site
// must hold at least one such figure (tests/fixtures/browser-site/.../small-multiples.md).
//
//   node facets.cjs --site NAME URL DIR [--site NAME URL DIR ...]
// Prints one "FAIL facets-<rule> [site] /path @width: detail" line per failure, then
// "facets: N passed, M failed"; exit 1 on any failure, 3 when the browser could not run.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const CACHE = process.env.BRIEFING_CACHE || path.join(os.homedir(), '.cache', 'briefing');
const { chromium } = require(path.join(CACHE, 'node', 'node_modules', 'playwright-core'));
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--disable-dev-shm-usage'];
const WIDTHS = [
  { width: 390, columns: (n) => n === 1, want: 'one column', ctx: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } },
  { width: 1280, columns: (n) => n > 1, want: 'more than one column', ctx: { viewport: { width: 1280, height: 900 } } },
];
// Sites that must hold small multiples (the others are checked when they have any).
const MUST_HAVE = new Set(['fixture']);
const TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS || 30000);

let passed = 0, failed = 0;
const pass = () => { passed += 1; };
const fail = (rule, where, msg) => { failed += 1; console.log(`FAIL facets-${rule} ${where}: ${msg}`); };

/// The site's pages (URL paths) whose HTML holds a faceted figure.
function facetPages(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'index.html' && fs.readFileSync(p, 'utf8').includes('class="chart chart-facets"')) {
        const rel = path.relative(dir, path.dirname(p)).split(path.sep).join('/');
        out.push(rel ? `/${rel}/` : '/');
      }
    }
  };
  walk(dir);
  return out.sort();
}

// In the page: each faceted figure's columns (distinct left edges of its small charts), its
// box, its small charts' boxes, and the smallest text of its charts in CSS px.
function measure() {
  const vw = document.documentElement.clientWidth;
  const figures = [...document.querySelectorAll('figure.chart-facets')].map((fig) => {
    const cells = [...fig.querySelectorAll('.chart-facet-grid > .chart-facet')];
    const lefts = new Set(cells.map((c) => Math.round(c.getBoundingClientRect().left)));
    const outside = [];
    for (const el of [fig, ...cells, ...fig.querySelectorAll('svg')]) {
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.right > vw + 0.5) outside.push(`${el.localName}.${el.getAttribute('class') || ''} spans ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    let smallest = Infinity;
    for (const svg of fig.querySelectorAll('svg')) {
      const vb = svg.viewBox.baseVal;
      const scale = svg.getBoundingClientRect().width / (vb && vb.width ? vb.width : 1);
      for (const t of svg.querySelectorAll('text')) {
        smallest = Math.min(smallest, parseFloat(getComputedStyle(t).fontSize) * scale);
      }
    }
    return { id: fig.id, cells: cells.length, svgs: fig.querySelectorAll('svg').length, columns: lefts.size, outside, smallest };
  });
  return { figures, scrollWidth: document.documentElement.scrollWidth, vw };
}

async function checkPage(browser, site, page, W) {
  const ctx = await browser.newContext(W.ctx);
  const tab = await ctx.newPage();
  const where = `[${site.name}] ${page} @${W.width}`;
  try {
    await tab.goto(site.url + page, { waitUntil: 'load', timeout: TIMEOUT });
    const m = await tab.evaluate(measure);
    if (m.scrollWidth > m.vw) fail('overflow', where, `the page scrolls sideways: ${m.scrollWidth} px wide in a ${m.vw} px viewport`); else pass();
    for (const f of m.figures) {
      if (f.cells < 2 || f.svgs !== f.cells) fail('grid', where, `#${f.id}: ${f.cells} small charts, ${f.svgs} svgs`); else pass();
      if (!W.columns(f.columns)) fail('columns', where, `#${f.id}: ${f.columns} columns, expected ${W.want}`); else pass();
      if (f.outside.length) fail('fit', where, `#${f.id}: ${f.outside.slice(0, 3).join('; ')}`); else pass();
      if (!(f.smallest >= 11)) fail('text', where, `#${f.id}: text as small as ${f.smallest.toFixed(2)} px`); else pass();
    }
  } catch (e) {
    fail('crash', where, String(e.message).split('\n')[0].slice(0, 300));
  } finally {
    await ctx.close();
  }
}

async function main() {
  const sites = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== '--site') throw new Error('usage: node facets.cjs --site NAME URL DIR [...]');
    sites.push({ name: argv[i + 1], url: argv[i + 2].replace(/\/$/, ''), dir: argv[i + 3] });
    i += 3;
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 60000 });
  } catch (e) {
    console.log(`FAIL facets-browser: could not start Chromium: ${String(e.message).split('\n')[0]}`);
    console.log(`facets: ${passed} passed, ${failed + 1} failed`);
    process.exit(3);
  }
  try {
    for (const site of sites) {
      const pages = facetPages(site.dir);
      if (MUST_HAVE.has(site.name)) {
        if (!pages.length) fail('missing', `[${site.name}]`, 'no page holds small multiples'); else pass();
      }
      for (const page of pages) for (const W of WIDTHS) await checkPage(browser, site, page, W);
      console.log(`facets: [${site.name}] ${pages.length} page(s) with small multiples`);
    }
  } finally {
    await browser.close();
  }
  console.log(`facets: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.log(`FAIL facets-crash: ${e.stack || e}`); console.log(`facets: ${passed} passed, ${failed + 1} failed`); process.exit(1); });
