'use strict';
// Browser checks of built briefing sites: Debian's /usr/bin/chromium driven by playwright-core,
// axe-core for WCAG 2.1 A/AA, plus our own layout, chart and keyboard checks.
//
//   node checks.cjs --shots DIR [--counts FILE] --site NAME URL DIR [--site NAME URL DIR ...]
//
// URL is where the site DIR is served (http://127.0.0.1:PORT, no trailing slash). Every .html
// file of DIR is a page. Per page, at 1280 px (desktop) and 390 px (phone: isMobile, touch,
// device scale 1), the checks are:
//   http-status      the page answers 200 (404 for the missing-page probe)
//   subresource      no request fails (requestfailed, HTTP >= 400, or leaving the loopback site)
//   console          no console error and no uncaught script error
//   overflow         the document is not wider than the viewport (culprit elements are named)
//   axe              axe-core, rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa, best-practice: zero violations
//                    (each violated rule is reported under its axe id, e.g. image-alt); every
//                    page at 1280 px, one page per kind at 390 px (BROWSER_AXE_PHONE=all: every)
//   print            per brief page (desktop), with print media: no navigation, skip link,
//                    breadcrumbs or feed links rendered; every chart's data table rendered
//                    (expanded) and each chart figure kept on one page (break-inside: avoid)
//   chart-marks      every bar, point and coloured map shape has data-value (a cell of its
//                    chart's data table) and a <title>   [desktop only: same DOM]
//   map-fit          every map <svg> (a chart with [data-iso] shapes), at 390 and 1280 px, fits
//                    its figure's column and the viewport, and every shape lies inside it
//   chart-labels     in every chart <svg>, at 390 and 1280 px, each label's rendered box lies
//                    inside the svg, no two labels overlap, and text is at least 11 px
//   chart-annotations  every annotation label overlaps no bar or point (annotations.cjs)
//   direct-labels    line charts' direct labels overlap no text and no other series, with
//                    4.5:1 contrast in light and dark mode (direct-labels.cjs)
//   svg-role-img, svg-accessible-name
//                    every <svg> that is not aria-hidden has role="img" and an accessible
//                    name (<title>, aria-label or aria-labelledby)   [desktop only: same DOM]
// Per brief page (desktop), the keyboard: Tab from page load must focus a visible skip link to
// <main> (skip-link); Enter then Tab must land inside <main> (skip-link-target); further Tabs
// must follow document order (focus-order) and reach every focusable element of <main>
// (focus-reaches-main), and the <summary> of a chart's data table, which Enter opens
// (chart-table-keyboard), when a <figure class="chart"> holds a <details>/<table>.
// Per site: every page kind exists (page-kinds): home, briefs list, brief, term index, term
// page, search, 404 (further pages of a paginated list count as their list's kind).
// Per site with /search/ (search), at 1280 px: typing "Kazakhstan" and then "quebec" into the
// search box lists exactly the briefs whose title, regions, tags or text hold the word (folded
// for case and accents: "quebec" finds "Québec"), those with it in the title or regions
// first; a word no brief holds says so.
// Screenshots (full page, both widths) of one page per kind go into --shots DIR
// (BROWSER_SHOTS=all: every page).
// Output: one "FAIL rule [site] /path @width: detail" line per failure, then
// a summary by rule and "checks: P passed, F failed" (also written to --counts FILE).
// Exit 1 when anything failed, 3 when the browser could not run.
// Env: BRIEFING_CACHE (npm packages in $BRIEFING_CACHE/node), CHROMIUM, BROWSER_CONCURRENCY (2),
//      BROWSER_TIMEOUT_MS (30000), BROWSER_SHOTS (kinds|all|none), BROWSER_AXE_PHONE (kinds|all).
// Extend: a new page kind is a line in kindOf() (and REQUIRED_KINDS once every site has it); a
// new per-page check is a function run in checkPage() that calls pass() or fail(rule, ...).
const fs = require('fs');
const os = require('os');
const path = require('path');

const CACHE = process.env.BRIEFING_CACHE || path.join(os.homedir(), '.cache', 'briefing');
const NM = path.join(CACHE, 'node', 'node_modules');
const { chromium } = require(path.join(NM, 'playwright-core'));
const AXE_SRC = fs.readFileSync(path.join(NM, 'axe-core', 'axe.min.js'), 'utf8');
const AXE_VERSION = require(path.join(NM, 'axe-core', 'package.json')).version;
const { checkDirectLabels } = require('./direct-labels.cjs');

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync',
  '--disable-dev-shm-usage',
];
const WIDTHS = [
  { name: 'desktop', width: 1280, axe: 'all', ctx: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 } },
  { name: 'phone', width: 390, axe: process.env.BROWSER_AXE_PHONE === 'all' ? 'all' : 'kinds', ctx: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true } },
];
const REQUIRED_KINDS = ['home', 'briefs', 'brief', 'terms', 'term', '404', 'search'];
const MISSING_PROBE = '/no-such-page/for/the/404/check/';
const TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS || 30000);
const CONCURRENCY = Number(process.env.BROWSER_CONCURRENCY || 2);
const SHOTS_MODE = process.env.BROWSER_SHOTS || 'kinds';

// ---- results --------------------------------------------------------------------------------
let passed = 0;
const failures = [];
function pass() { passed += 1; }
function fail(rule, page, width, detail) {
  const where = `[${page.site}] ${page.path}` + (width ? ` @${width}` : '');
  const line = `FAIL ${rule} ${where}: ${detail}`;
  failures.push({ rule, page: `[${page.site}] ${page.path}` });
  console.log(line);
}
const dec = (u) => { try { return decodeURI(u); } catch (_) { return u; } };
const decC = (u) => { try { return decodeURIComponent(u); } catch (_) { return u; } };
const clip = (s, n = 160) => String(s).replace(/\s+/g, ' ').trim().slice(0, n);

// ---- pages ---------------------------------------------------------------------------------
function walk(dir, base = dir, out = []) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) walk(full, base, out);
    else if (/\.html?$/i.test(ent.name)) out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

function urlPathOf(file) {
  const p = '/' + file;
  return p.endsWith('/index.html') ? p.slice(0, -'index.html'.length) : p;
}

function kindOf(p) {
  if (p === '/') return 'home';
  if (p === '/404.html') return '404';
  if (p === MISSING_PROBE) return '404-missing';
  if (p === '/briefs/' || /^\/briefs\/page\/\d+\/$/.test(p)) return 'briefs';
  if (/^\/briefs\/[^/]+\/$/.test(p)) return 'brief';
  if (p === '/tags/' || p === '/regions/') return 'terms';
  if (/^\/(tags|regions)\/[^/]+\/(page\/\d+\/)?$/.test(p)) return 'term';
  if (p === '/search/') return 'search';
  return 'other';
}

function encodePath(p) {
  return p.split('/').map((s) => encodeURIComponent(s)).join('/');
}

function collectPages(site) {
  const files = walk(site.dir);
  const pages = files.map((f) => {
    const p = urlPathOf(f);
    return { site: site.name, base: site.url, dir: site.dir, file: f, path: p, kind: kindOf(p),
      size: fs.statSync(path.join(site.dir, f)).size, url: site.url + encodePath(p) };
  });
  // a URL that does not exist must answer 404 with the 404 page, whose links work from any depth
  if (files.includes('404.html')) {
    pages.push({ site: site.name, base: site.url, dir: site.dir, file: '404.html', path: MISSING_PROBE,
      kind: '404-missing', size: 0, url: site.url + MISSING_PROBE, expectStatus: 404 });
  }
  // one page per kind represents it (screenshots, axe on the phone): the largest file, the one
  // with the most content (tables, charts)
  const rep = new Map();
  for (const pg of pages) {
    if (!rep.has(pg.kind) || pg.size > rep.get(pg.kind).size) rep.set(pg.kind, pg);
  }
  for (const pg of pages) {
    pg.rep = rep.get(pg.kind) === pg;
    pg.shot = SHOTS_MODE === 'all' || (SHOTS_MODE !== 'none' && pg.rep);
  }
  return pages;
}

// ---- in-page functions (serialised into the page) -----------------------------------------
function inPageHelpers() {
  window.__bt = {
    sel(el) {
      if (!el || el.nodeType !== 1) return String(el);
      const parts = [];
      while (el && el.nodeType === 1 && parts.length < 5) {
        let s = el.localName;
        if (el.id) { parts.unshift(s + '#' + CSS.escape(el.id)); break; }
        if (el.classList.length) s += '.' + [...el.classList].slice(0, 2).map((c) => CSS.escape(c)).join('.');
        const sibs = el.parentElement ? [...el.parentElement.children].filter((c) => c.localName === el.localName) : [];
        if (sibs.length > 1) s += ':nth-of-type(' + (sibs.indexOf(el) + 1) + ')';
        parts.unshift(s);
        if (el.localName === 'body') break;
        el = el.parentElement;
      }
      return parts.join(' > ');
    },
    html(el) { return el && el.outerHTML ? el.outerHTML.replace(/\s+/g, ' ').slice(0, 120) : ''; },
    visible(el) {
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return false;
      const s = getComputedStyle(el);
      return s.visibility !== 'hidden' && s.display !== 'none';
    },
    order(el) {
      // position of el in document order
      let i = 0;
      const w = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT);
      for (let n = w.currentNode; n; n = w.nextNode(), i++) if (n === el) return i;
      return -1;
    },
  };
}

function overflowCulprits(vw) {
  const bt = window.__bt;
  const docW = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const stick = new Set();
  const textOver = new Set();
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (clipped(el)) continue;
    if (r.right > vw + 1) stick.add(el);
    else if (getComputedStyle(el).overflowX === 'visible' && el.clientWidth > 0 &&
      el.scrollWidth > el.clientWidth + 1 && r.left + el.scrollWidth > vw + 1) textOver.add(el);
  }
  // culprits: the outermost element of each chain whose box sticks out of the viewport, and the
  // innermost element whose content (a long word, a nowrap line) overflows its own box
  const flagged = [...stick, ...textOver];
  const culprits = [
    ...[...stick].filter((el) => !stick.has(el.parentElement)),
    ...[...textOver].filter((el) => !flagged.some((f) => f !== el && el.contains(f))),
  ].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  return {
    docW,
    culprits: culprits.slice(0, 5).map((el) => {
      const r = el.getBoundingClientRect();
      return `${bt.sel(el)} (${Math.round(r.left)}..${Math.round(Math.max(r.right, r.left + el.scrollWidth))} px) ` +
        bt.html(el).slice(0, 80);
    }).concat(culprits.length > 5 ? [`... ${culprits.length - 5} more`] : []),
  };
}

function svgChecks() {
  const bt = window.__bt;
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement && svg.parentElement.closest('svg')) continue; // nested svg: part of its parent
    if (svg.closest('[aria-hidden="true"]')) continue;                    // decorative, hidden from AT
    const role = (svg.getAttribute('role') || '').trim();
    const title = svg.querySelector(':scope > title');
    const byIds = (svg.getAttribute('aria-labelledby') || '').trim().split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)).filter(Boolean).map((e) => e.textContent.trim()).join(' ').trim();
    const name = byIds || (svg.getAttribute('aria-label') || '').trim() || (title ? title.textContent.trim() : '');
    const badIds = (svg.getAttribute('aria-labelledby') || '').trim().split(/\s+/).filter(Boolean)
      .filter((id) => !document.getElementById(id));
    out.push({ sel: bt.sel(svg), html: bt.html(svg), role, name, badIds,
      chart: !!svg.closest('figure.chart') });
  }
  return out;
}

// Chart labels as the browser lays them out: every <text> of a chart <svg> (rendered boxes,
// not attributes) must lie inside the svg's box, no two may overlap, and each must be at least
// 11 CSS px tall in font terms (font-size scaled by the svg's width / viewBox width).
function chartLabelChecks() {
  const out = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const box = svg.getBoundingClientRect();
    const vb = svg.viewBox && svg.viewBox.baseVal;
    const scale = vb && vb.width ? box.width / vb.width : 1;
    const texts = [...svg.querySelectorAll('text')]
      .filter((t) => t.textContent.trim())
      .map((t) => ({ t, r: t.getBoundingClientRect(), text: t.textContent.trim(),
        size: parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale }));
    const problems = [];
    const eps = 0.5;
    for (const a of texts) {
      if (a.r.left < box.left - 1 || a.r.right > box.right + 1 || a.r.top < box.top - 1 || a.r.bottom > box.bottom + 1) {
        problems.push(`"${a.text}" is clipped by the chart's edge`);
      }
      if (a.size < 11 - 0.01) problems.push(`"${a.text}" is ${a.size.toFixed(1)} px, under 11 px`);
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > eps &&
          Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > eps;
        if (overlap) problems.push(`"${texts[i].text}" overlaps "${texts[j].text}"`);
      }
    }
    out.push({ id: svg.closest('figure.chart').id, labels: texts.length, problems });
  }
  return out;
}

// Maps as the browser lays them out: the svg fits its figure's column (no wider than the
// figure's container, inside the viewport), and every country's shape lies inside the svg.
function mapFitChecks(vw) {
  const out = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const shapes = [...svg.querySelectorAll('[data-iso]')];
    if (!shapes.length) continue;
    const fig = svg.closest('figure.chart');
    const column = (fig.parentElement || fig).getBoundingClientRect();
    const box = svg.getBoundingClientRect();
    const problems = [];
    if (box.width < 1) problems.push('the map is not shown');
    if (box.left < column.left - 1 || box.right > column.right + 1) {
      problems.push(`the map (${Math.round(box.left)}..${Math.round(box.right)} px) leaves its column ` +
        `(${Math.round(column.left)}..${Math.round(column.right)} px)`);
    }
    if (box.right > vw + 1) problems.push(`the map ends at ${Math.round(box.right)} px in a ${vw} px viewport`);
    let outside = 0, first = '';
    for (const s of shapes) {
      const r = s.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        outside += 1;
        if (!first) first = s.getAttribute('data-iso');
      }
    }
    if (outside) problems.push(`${outside} shapes lie outside the map (first: ${first})`);
    out.push({ id: fig.id, shapes: shapes.length, problems });
  }
  return out;
}

// Every mark says what it is: each bar, point and coloured map shape of a chart carries
// data-value and a <title>, and its data-value is a cell of the chart's own data table.
function chartMarkChecks() {
  const out = [];
  for (const fig of document.querySelectorAll('figure.chart')) {
    // Every svg of the figure: small multiples hold one per facet.
    const marks = [...fig.querySelectorAll('svg .chart-bar, svg .chart-point, svg .map-fill')];
    if (!fig.querySelector('svg')) continue;
    // A cell shows the value as readers read it (1,234.5; 1.2k) and carries the plain number
    // in data-value, as the marks do. By row label (a row's last <th>), so that a mark's
    // value is checked against its own row; any cell when the row is not found.
    const value = (td) => (td.getAttribute('data-value') ?? td.textContent).trim();
    const cells = new Set([...fig.querySelectorAll('table td')].map(value));
    const rows = new Map();
    for (const tr of fig.querySelectorAll('table tbody tr')) {
      const ths = tr.querySelectorAll('th');
      if (!ths.length) continue;
      const label = ths[ths.length - 1].textContent.trim();
      const set = rows.get(label) || new Set();
      for (const td of tr.querySelectorAll('td')) set.add(value(td));
      rows.set(label, set);
    }
    const problems = [];
    for (const m of marks) {
      const v = m.getAttribute('data-value');
      const title = m.querySelector(':scope > title');
      const label = m.getAttribute('data-label');
      const what = label || m.getAttribute('data-iso') || m.tagName;
      const row = label !== null ? rows.get(label.trim()) : undefined;
      if (v === null) problems.push(`${what} has no data-value`);
      else if (row && !row.has(v)) problems.push(`${what}'s data-value ${v} is not in its row of the data table`);
      else if (!row && cells.size && !cells.has(v)) problems.push(`${what}'s data-value ${v} is not in the data table`);
      if (!title || !title.textContent.trim()) problems.push(`${what} has no <title>`);
    }
    out.push({ id: fig.id, marks: marks.length, problems });
  }
  return out;
}

function describeFocus() {
  const bt = window.__bt;
  const el = document.activeElement;
  const main = document.querySelector('main');
  if (!el || el === document.body || el === document.documentElement) return { none: true };
  const r = el.getBoundingClientRect();
  return {
    none: false, tag: el.localName, sel: bt.sel(el), html: bt.html(el), order: bt.order(el),
    href: el.getAttribute('href'), text: (el.textContent || '').trim().slice(0, 60),
    inMain: !!(main && main.contains(el)), isMain: el === main,
    visible: bt.visible(el) && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    tabindex: el.getAttribute('tabindex'),
  };
}

function skipTargetInfo(href) {
  const main = document.querySelector('main');
  if (!href || !href.startsWith('#') || href.length < 2) return { ok: false, why: 'href is not a #fragment' };
  let id;
  try { id = decodeURIComponent(href.slice(1)); } catch (_) { id = href.slice(1); }
  const t = document.getElementById(id);
  if (!t) return { ok: false, why: `no element with id "${id}"` };
  if (!main) return { ok: false, why: 'the page has no <main>' };
  const ok = t === main || main.contains(t) || t.contains(main);
  return { ok, why: ok ? '' : `#${id} is ${window.__bt.sel(t)}, not <main> or inside it` };
}

function mainFocusables() {
  // focusable, visible elements inside <main> that sequential navigation should reach
  const bt = window.__bt;
  const main = document.querySelector('main');
  if (!main) return [];
  const q = 'a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), ' +
    'select:not([disabled]), textarea:not([disabled]), summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true]';
  return [...main.querySelectorAll(q)].filter((el) => {
    const ti = el.getAttribute('tabindex');
    if (ti !== null && Number(ti) < 0) return false;
    if (el.localName === 'summary' && !(el.parentElement && el.parentElement.localName === 'details' &&
      el.parentElement.querySelector(':scope > summary') === el)) return false;
    const closed = el.closest('details:not([open])');
    if (closed && !(el.localName === 'summary' && el.parentElement === closed)) return false;
    if (el.closest('[inert]')) return false;
    return bt.visible(el);
  }).map((el) => ({ order: bt.order(el), sel: bt.sel(el), html: bt.html(el) }));
}

function chartTables() {
  const bt = window.__bt;
  return [...document.querySelectorAll('figure.chart')].map((fig) => {
    const details = fig.querySelector('details');
    const table = fig.querySelector('table');
    const summary = details ? details.querySelector(':scope > summary') : null;
    return { sel: bt.sel(fig), hasTable: !!table, hasDetails: !!details,
      tableInDetails: !!(details && table && details.contains(table)),
      summaryOrder: summary ? bt.order(summary) : -1, summarySel: summary ? bt.sel(summary) : '' };
  });
}

function chartTableOpen(summaryOrder) {
  const bt = window.__bt;
  const el = document.activeElement;
  if (!el || bt.order(el) !== summaryOrder) return { focused: false };
  const details = el.parentElement;
  const table = details.querySelector('table');
  return { focused: true, open: details.open, tableVisible: !!(table && bt.visible(table)) };
}

// ---- search --------------------------------------------------------------------------------
// What a query must find, from the built brief pages themselves: every brief whose title,
// regions, tags or text (charts aside) holds a word starting with the query, folded for case
// and accents; "strong" when the title or a region holds it.
const SEARCH_QUERIES = ['Kazakhstan', 'quebec'];

function foldText(text) {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function htmlText(html) {
  return html.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;|&#x27;|&apos;/g, "'").replace(/&amp;/g, '&');
}

function expectedMatches(site, pages, query) {
  const word = new RegExp('(^|[^\\p{L}\\p{N}\\p{M}])' + foldText(query), 'u');
  const out = [];
  for (const pg of pages.filter((p) => p.site === site.name && p.kind === 'brief')) {
    const html = fs.readFileSync(path.join(site.dir, pg.file), 'utf8');
    const article = (html.match(/<article class="brief">([\s\S]*?)<\/article>/) || [, ''])[1]
      .replace(/<figure class="chart[\s\S]*?<\/figure>/g, ' ');
    const title = (html.match(/<h1 class="brief-title">([\s\S]*?)<\/h1>/) || [, ''])[1];
    const regions = (article.match(/<div class="term-group term-group-regions">([\s\S]*?)<\/div>/) || [, ''])[1];
    if (!word.test(foldText(htmlText(article)))) continue;
    out.push({ path: pg.path, strong: word.test(foldText(htmlText(title))) || word.test(foldText(htmlText(regions))) });
  }
  return out;
}

async function searchCheck(page, site, pages) {
  const searchPage = pages.find((p) => p.site === site.name && p.kind === 'search');
  if (!searchPage) return;
  const W = 1280;
  for (const query of SEARCH_QUERIES) {
    const pg = { ...searchPage, path: `/search/ "${query}"` };
    page.__problems = { sub: [], console: [] };
    try {
      await page.goto(searchPage.url, { waitUntil: 'load', timeout: TIMEOUT });
      const box = page.locator('#search-input');
      await box.waitFor({ state: 'visible', timeout: 5000 });
      if (await page.locator('#search-nojs').isVisible()) fail('search', pg, W, 'the no-JavaScript message stays visible with JavaScript on');
      await box.click();
      await page.keyboard.type(query, { delay: 30 });
      // the status names the query once its results are on screen
      await page.waitForFunction((q) => document.getElementById('search-status').textContent.includes('“' + q + '”'),
        query, { timeout: 10000 });
      const got = await page.evaluate(() => ({
        status: document.getElementById('search-status').textContent,
        hrefs: [...document.querySelectorAll('#search-results li a')].map((a) => decodeURI(new URL(a.href).pathname)),
      }));
      const want = expectedMatches(site, pages, query);
      const wantPaths = want.map((w) => w.path);
      const missing = wantPaths.filter((p) => !got.hrefs.includes(p));
      const extra = got.hrefs.filter((p) => !wantPaths.includes(p));
      if (missing.length || extra.length) {
        fail('search', pg, W, `results ${JSON.stringify(got.hrefs)} (status "${got.status}"); ` +
          (missing.length ? `missing ${missing.join(', ')} ` : '') + (extra.length ? `unexpected ${extra.join(', ')}` : ''));
        continue;
      }
      const strong = new Set(want.filter((w) => w.strong).map((w) => w.path));
      const firstWeak = got.hrefs.findIndex((h) => !strong.has(h));
      const lateStrong = firstWeak < 0 ? -1 : got.hrefs.slice(firstWeak).findIndex((h) => strong.has(h));
      if (lateStrong >= 0) {
        fail('search', pg, W, `a brief with "${query}" in its title or regions (${got.hrefs[firstWeak + lateStrong]}) ` +
          `is ranked after one with it only in its text (${got.hrefs[firstWeak]}): ${JSON.stringify(got.hrefs)}`);
      } else if (!want.length && !/No brief matches/.test(got.status)) {
        fail('search', pg, W, `no brief holds "${query}", but the status says "${got.status}"`);
      } else {
        pass();
        console.log(`browser: [${site.name}] search "${query}": ${got.hrefs.length} result(s), ${strong.size} in title or regions first`);
      }
      const q = await page.evaluate(() => new URL(location.href).searchParams.get('q'));
      if (q !== query) fail('search', pg, W, `the address does not keep the query (?q=${q})`); else pass();
      if (page.__problems.sub.length || page.__problems.console.length) {
        fail('search', pg, W, [...page.__problems.sub, ...page.__problems.console].slice(0, 5).join('; '));
      }
    } catch (e) {
      fail('search', pg, W, 'search check crashed: ' + clip(e.message.split('\n')[0], 300));
    }
  }
}

// ---- runner --------------------------------------------------------------------------------
// Run fn(page, item) over items, `limit` at a time, each worker with its own reused page.
async function pool(ctx, items, limit, fn) {
  let next = 0;
  async function worker() {
    const page = await workerPage(ctx);
    while (next < items.length) { const i = next++; await fn(page, items[i]); }
    await page.close();
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function newContext(browser, w, origins, blocked) {
  const ctx = await browser.newContext({ ...w.ctx, reducedMotion: 'reduce' });
  await ctx.addInitScript(inPageHelpers);
  // axe on every page: as an init script, compiled once and cached, far cheaper than a script
  // tag per page. Where axe runs on a few pages only, a script tag is cheaper.
  if (w.axe === 'all') await ctx.addInitScript({ content: AXE_SRC });
  // only our loopback servers may be reached; anything else is aborted and reported
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (origins.some((o) => url.startsWith(o + '/')) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    blocked.add(url);
    return route.abort('blockedbyclient');
  });
  return ctx;
}

async function runAxe(page, pg, w) {
  const W = w.width;
  // Evaluated through the DevTools protocol, not as a <script>: the pages are served under a
  // strict Content-Security-Policy that would (rightly) refuse an inline script tag.
  if (w.axe !== 'all') await page.evaluate(AXE_SRC);
  const res = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
  }), AXE_TAGS);
  if (res.violations.length === 0) pass();
  for (const v of res.violations) {
    const nodes = v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${clip(n.html, 100)}`).join(' | ');
    fail(v.id, pg, W, `axe [${v.impact}] ${v.help}; ${v.nodes.length} element(s): ${nodes}` +
      (v.nodes.length > 3 ? ' | ...' : '') + ` (${v.helpUrl.replace(/\?.*$/, '')})`);
  }
}

// One page per worker, reused from one check to the next (a new page costs more than a
// navigation); its listeners report into page.__problems, which every check resets.
async function workerPage(ctx) {
  const page = await ctx.newPage();
  const problems = () => page.__problems || (page.__problems = { sub: [], console: [] });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const t = m.text();
    if (/^Failed to load resource/.test(t)) return; // reported as a subresource failure instead
    problems().console.push('console error: ' + clip(t));
  });
  page.on('pageerror', (e) => problems().console.push('uncaught error: ' + clip(e.message)));
  const seenStatus = new Set();
  page.on('response', (resp) => {
    const req = resp.request();
    const isMain = req.isNavigationRequest() && req.frame() === page.mainFrame();
    if (resp.status() >= 400 && !isMain) {
      seenStatus.add(resp.url());
      problems().sub.push(`HTTP ${resp.status()} ${dec(resp.url())}`);
    }
  });
  page.on('requestfailed', (req) => {
    if (seenStatus.has(req.url())) return; // already reported with its HTTP status
    problems().sub.push(`${req.failure() ? req.failure().errorText : 'failed'} ${dec(req.url())}`);
  });
  return page;
}

async function checkPage(page, pg, w, shotsDir) {
  const problems = page.__problems = { sub: [], console: [] };
  const W = w.width;
  try {
    let resp;
    try {
      resp = await page.goto(pg.url, { waitUntil: 'load', timeout: TIMEOUT });
      await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true));
    } catch (e) {
      fail('http-status', pg, W, 'page did not load: ' + clip(e.message.split('\n')[0]));
      return;
    }
    const want = pg.expectStatus || 200;
    const got = resp ? resp.status() : 0;
    if (got !== want) fail('http-status', pg, W, `HTTP ${got}, expected ${want}`); else pass();

    // overflow
    const ov = await page.evaluate(overflowCulprits, W);
    if (ov.docW > W + 1) {
      fail('overflow', pg, W, `page is ${ov.docW} px wide in a ${W} px viewport; widest: ` +
        (ov.culprits.length ? ov.culprits.join('; ') : '(no single element found)'));
    } else pass();

    // axe: every page on the desktop; on the phone, one page per kind (BROWSER_AXE_PHONE=all: every page)
    if (w.axe === 'all' || pg.rep) await runAxe(page, pg, w);

    // svg (same DOM at both widths: once)
    if (w.name === 'desktop') {
      const svgs = await page.evaluate(svgChecks);
      for (const s of svgs) {
        if (s.role === 'img') pass();
        else fail('svg-role-img', pg, W, `${s.chart ? 'chart ' : ''}<svg> has role="${s.role}", expected role="img" ` +
          `(or aria-hidden="true" if decorative): ${s.sel} ${s.html}`);
        if (s.name && !s.badIds.length) pass();
        else fail('svg-accessible-name', pg, W, `${s.chart ? 'chart ' : ''}<svg> has no accessible name ` +
          (s.badIds.length ? `(aria-labelledby points to missing id ${s.badIds.join(', ')}) ` : '') +
          `(add a <title> first child, aria-label or aria-labelledby): ${s.sel} ${s.html}`);
      }
      pg.svgCount = svgs.length;
      for (const c of await page.evaluate(chartMarkChecks)) {
        if (c.problems.length) fail('chart-marks', pg, W, `#${c.id}: ${c.problems.slice(0, 4).join('; ')}`);
        else pass();
      }
    }

    // chart labels: at every width, since the layout scales with the column
    const charts = await page.evaluate(chartLabelChecks);
    for (const c of charts) {
      if (c.problems.length) fail('chart-labels', pg, W, `#${c.id}: ${c.problems.slice(0, 4).join('; ')}`);
      else pass();
    }

    await require('./annotations.cjs').check(page, pg, W, pass, fail);
    await checkDirectLabels(page, pg, W, pass, fail);

    const maps = await page.evaluate(mapFitChecks, W);
    for (const m of maps) {
      if (m.problems.length) fail('map-fit', pg, W, `#${m.id}: ${m.problems.join('; ')}`);
      else pass();
    }

    if (pg.shot) {
      const name = `${pg.site}--${pg.kind}--${pg.path.replace(/^\/|\/$/g, '').replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'home'}--${W}.png`;
      await page.screenshot({ path: path.join(shotsDir, name), fullPage: true, animations: 'disabled' });
    }

    // sub-resources and console, after everything ran
    if (problems.sub.length) fail('subresource', pg, W, [...new Set(problems.sub)].slice(0, 5).join('; ')); else pass();
    if (problems.console.length) fail('console', pg, W, [...new Set(problems.console)].slice(0, 5).join('; ')); else pass();
  } catch (e) {
    fail('browser', pg, W, 'check crashed: ' + clip(e.message.split('\n')[0], 300));
  }
}

// A brief as printed: with print media, no navigation, skip link or footer links are
// rendered, and every chart's data table is laid out (expanded, not behind its summary).
function printChecks() {
  // checkVisibility: false under display: none or content-visibility: hidden, which is how a
  // closed <details> hides its content (its boxes still measure, so sizes would not tell).
  const shown = (el) => el.checkVisibility() && el.getBoundingClientRect().height > 0;
  const problems = [];
  for (const sel of ['.site-nav', '.skip-link', '.site-footer-feeds', '.breadcrumbs']) {
    for (const el of document.querySelectorAll(sel)) if (shown(el)) problems.push(`${sel} is printed`);
  }
  let tables = 0;
  for (const fig of document.querySelectorAll('figure.chart')) {
    const table = fig.querySelector('table');
    if (!table) continue;
    tables += 1;
    if (!shown(table)) problems.push(`the data table of #${fig.id} is not printed`);
    if (getComputedStyle(fig).breakInside !== 'avoid') problems.push(`#${fig.id} may break across pages`);
  }
  return { problems, tables };
}

async function printCheck(page, pg) {
  try {
    await page.goto(pg.url, { waitUntil: 'load', timeout: TIMEOUT });
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate(printChecks);
    await page.emulateMedia({ media: 'screen' });
    if (r.problems.length) fail('print', pg, 0, r.problems.slice(0, 5).join('; ')); else pass();
  } catch (e) {
    fail('print', pg, 0, 'check crashed: ' + clip(e.message.split('\n')[0], 300));
  }
}

async function keyboardCheck(page, pg) {
  const W = 1280;
  page.__problems = { sub: [], console: [] };
  try {
    await page.goto(pg.url, { waitUntil: 'load', timeout: TIMEOUT });
    await page.keyboard.press('Tab');
    const first = await page.evaluate(describeFocus);
    const looksSkip = !first.none && first.tag === 'a' && (first.href || '').startsWith('#');
    if (!looksSkip) {
      fail('skip-link', pg, W, 'first Tab from page load focuses ' +
        (first.none ? 'nothing' : `${first.sel} ${first.html}`) + ', expected a skip link (<a href="#main">)');
      return;
    }
    const target = await page.evaluate(skipTargetInfo, first.href);
    if (!target.ok) { fail('skip-link', pg, W, `skip link ${first.html} does not lead to <main>: ${target.why}`); return; }
    if (!first.visible || !first.text) {
      fail('skip-link', pg, W, `skip link ${first.html} is ${first.text ? 'not visible' : 'without text'} when focused`);
    } else pass();

    await page.keyboard.press('Enter');
    await page.waitForTimeout(50);
    const hash = await page.evaluate(() => location.hash);
    await page.keyboard.press('Tab');
    const afterSkip = await page.evaluate(describeFocus);
    const expected = await page.evaluate(mainFocusables);
    if (hash !== first.href && decC(hash) !== decC(first.href)) {
      fail('skip-link-target', pg, W, `Enter on the skip link did not go to ${first.href} (location.hash is "${hash}")`);
    } else if (expected.length && !(afterSkip.inMain)) {
      fail('skip-link-target', pg, W, 'after the skip link, Tab focuses ' +
        (afterSkip.none ? 'nothing' : `${afterSkip.sel} ${afterSkip.html}`) + ', expected the first focusable element in <main>');
    } else pass();

    // walk the rest of the page with Tab: document order, every focusable element of <main>
    const seen = [];
    let cur = afterSkip;
    const visited = new Set([first.order]);
    for (let i = 0; i < 400 && !cur.none; i++) {
      if (visited.has(cur.order)) break; // wrapped around to the start of the page
      // Tab past the last element wraps to the browser UI and back to the page's top (header
      // links before <main>): that is the end of the walk, not focus going backwards.
      if (seen.length && cur.order < seen[0].order) break;
      visited.add(cur.order);
      seen.push(cur);
      await page.keyboard.press('Tab');
      cur = await page.evaluate(describeFocus);
    }
    const back = seen.findIndex((f, i) => i > 0 && f.order <= seen[i - 1].order);
    if (back > 0) {
      fail('focus-order', pg, W, `Tab goes backwards in the document: from ${seen[back - 1].sel} to ${seen[back].sel} ` +
        `(tabindex="${seen[back].tabindex}")`);
    } else pass();
    const invisible = seen.filter((f) => !f.visible);
    if (invisible.length) {
      fail('focus-order', pg, W, `focus lands on elements that are not visible on screen: ` +
        invisible.slice(0, 3).map((f) => `${f.sel} ${f.html}`).join(' | '));
    } else pass();
    const reached = new Set(seen.map((f) => f.order));
    const missed = expected.filter((e) => !reached.has(e.order));
    if (missed.length) {
      fail('focus-reaches-main', pg, W, `${missed.length} focusable element(s) in <main> never get focus with Tab: ` +
        missed.slice(0, 3).map((m) => `${m.sel} ${m.html}`).join(' | '));
    } else pass();

    // chart data tables: the <summary> is reached, and Enter opens the table
    for (const c of await page.evaluate(chartTables)) {
      if (!c.hasTable) continue; // a chart without a data table: nothing to reach (yet)
      if (!c.tableInDetails) { pass(); continue; } // table always shown
      if (!reached.has(c.summaryOrder)) {
        fail('chart-table-keyboard', pg, W, `the data table of ${c.sel} is never reached with Tab (${c.summarySel})`);
        continue;
      }
      await page.reload({ waitUntil: 'load' });
      let st = { focused: false };
      for (let i = 0; i < 400 && !st.focused; i++) {
        await page.keyboard.press('Tab');
        st = await page.evaluate(chartTableOpen, c.summaryOrder);
        if (!st.focused && (await page.evaluate(describeFocus)).none && i > 0) break;
      }
      if (st.focused && !st.open) {
        await page.keyboard.press('Enter');
        st = await page.evaluate(chartTableOpen, c.summaryOrder);
      } else if (st.focused && st.open) {
        // Shown open already (a chart with nothing to draw shows its rows): Enter must fold it
        // and Enter again bring it back, both from the keyboard.
        await page.keyboard.press('Enter');
        const folded = await page.evaluate(chartTableOpen, c.summaryOrder);
        await page.keyboard.press('Enter');
        st = await page.evaluate(chartTableOpen, c.summaryOrder);
        if (folded.open) st = { ...st, open: false };
      }
      if (st.focused && st.open && st.tableVisible) pass();
      else fail('chart-table-keyboard', pg, W, `Enter on ${c.summarySel} of ${c.sel} does not show the data table ` +
        `(open=${st.open}, table visible=${st.tableVisible})`);
    }
  } catch (e) {
    fail('browser', pg, W, 'keyboard check crashed: ' + clip(e.message.split('\n')[0], 300));
  }
}

function parseArgs(argv) {
  const o = { sites: [], shots: null, counts: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--shots') o.shots = argv[++i];
    else if (argv[i] === '--counts') o.counts = argv[++i];
    else if (argv[i] === '--site') { o.sites.push({ name: argv[i + 1], url: argv[i + 2].replace(/\/$/, ''), dir: argv[i + 3] }); i += 3; }
    else throw new Error('unknown argument ' + argv[i]);
  }
  if (!o.sites.length || !o.shots) throw new Error('usage: node checks.cjs --shots DIR --site NAME URL DIR [...]');
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  fs.mkdirSync(o.shots, { recursive: true });
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: FLAGS, timeout: 60000,
  });
  const blocked = new Set();
  const origins = o.sites.map((s) => s.url);
  const all = [];
  for (const site of o.sites) {
    const pages = collectPages(site);
    const kinds = new Set(pages.map((p) => p.kind));
    const missing = REQUIRED_KINDS.filter((k) => !kinds.has(k));
    const pgSite = { site: site.name, path: '/' };
    if (missing.length) fail('page-kinds', pgSite, 0, `no page of kind ${missing.join(', ')} in ${site.dir}`); else pass();
    const count = {};
    for (const p of pages) count[p.kind] = (count[p.kind] || 0) + 1;
    console.log(`browser: [${site.name}] ${pages.length} pages: ` +
      Object.entries(count).map(([k, n]) => `${k} ${n}`).join(', '));
    all.push(...pages);
  }
  console.log(`browser: Chromium ${browser.version()}, axe-core ${AXE_VERSION} (${AXE_TAGS.join(',')}), widths 1280 and 390`);
  for (const w of WIDTHS) {
    const ctx = await newContext(browser, w, origins, blocked);
    await pool(ctx, all, CONCURRENCY, (page, pg) => checkPage(page, pg, w, o.shots));
    if (w.name === 'desktop') {
      await pool(ctx, all.filter((p) => p.kind === 'brief'), CONCURRENCY, (page, pg) => keyboardCheck(page, pg));
      await pool(ctx, all.filter((p) => p.kind === 'brief'), CONCURRENCY, (page, pg) => printCheck(page, pg));
      await pool(ctx, o.sites, CONCURRENCY, (page, site) => searchCheck(page, site, all));
    }
    await ctx.close();
  }
  await browser.close();
  for (const site of o.sites) {
    const svgs = all.filter((p) => p.site === site.name).reduce((n, p) => n + (p.svgCount || 0), 0);
    if (!svgs) console.log(`note: [${site.name}] no <svg> on any page: the svg checks had nothing to check`);
  }
  if (blocked.size) console.log(`note: requests outside the loopback site were blocked: ${[...blocked].slice(0, 5).join(' ')}`);
  console.log(`browser: screenshots in ${o.shots}`);
  console.log(`browser: ${all.length} pages x 2 widths in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (failures.length) {
    const byRule = new Map();
    for (const f of failures) {
      if (!byRule.has(f.rule)) byRule.set(f.rule, { n: 0, pages: new Set() });
      byRule.get(f.rule).n += 1; byRule.get(f.rule).pages.add(f.page);
    }
    console.log('failures by rule:');
    for (const [rule, e] of [...byRule].sort((a, b) => b[1].n - a[1].n)) {
      const pages = [...e.pages];
      console.log(`  ${rule}: ${e.n} on ${pages.length} page(s): ${pages.slice(0, 6).join(', ')}` +
        (pages.length > 6 ? `, ... ${pages.length - 6} more` : ''));
    }
  }
  console.log(`checks: ${passed} passed, ${failures.length} failed`);
  if (o.counts) fs.writeFileSync(o.counts, `checks: ${passed} passed, ${failures.length} failed\n`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
  console.log('FAIL browser: could not run the browser checks: ' + (e && e.stack ? e.stack : e));
  console.log(`checks: ${passed} passed, ${failures.length + 1} failed`);
  process.exitCode = 3;
});
