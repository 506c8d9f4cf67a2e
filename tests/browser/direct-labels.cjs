'use strict';
// Direct labels of line charts (a line's name at its end, instead of a legend), checked on
// rendered boxes by checks.cjs at 390 and 1280 px:
//   direct-labels    each label (text.chart-direct-label) overlaps no other text, no point of
//                    another series and no segment of another series' line; its fill has at
//                    least 4.5:1 contrast against the page background, in light and in dark
//                    mode. The fixture brief /briefs/time-series-lines/ must show some, so the
//                    check never passes for want of labels.

const MUST_HAVE = '/briefs/time-series-lines/';

// In the page: every chart with direct labels, and what is wrong with them.
function directLabelChecks() {
  const seriesOf = (el) => [...el.classList].find((c) => /^chart-series-\d+$/.test(c)) || '';
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  const eps = 0.5;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > eps &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > eps;
  // Whether the segment a-b crosses the rectangle r (Liang-Barsky clipping).
  const crosses = (a, b, r) => {
    let t0 = 0, t1 = 1;
    const dx = b.x - a.x, dy = b.y - a.y;
    const p = [-dx, dx, -dy, dy];
    const q = [a.x - r.left, r.right - a.x, a.y - r.top, r.bottom - a.y];
    for (let i = 0; i < 4; i++) {
      if (p[i] === 0) {
        if (q[i] < 0) return false;
      } else {
        const t = q[i] / p[i];
        if (p[i] < 0) { if (t > t1) return false; t0 = Math.max(t0, t); }
        else { if (t < t0) return false; t1 = Math.min(t1, t); }
      }
    }
    return t0 <= t1;
  };
  const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const out = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const labels = [...svg.querySelectorAll('text.chart-direct-label')];
    if (!labels.length) continue;
    const texts = [...svg.querySelectorAll('text')].map((t) => ({ el: t, text: t.textContent.trim(), r: box(t) }));
    const dots = [...svg.querySelectorAll('.chart-point')].map((d) => ({
      series: seriesOf(d), r: box(d), what: d.getAttribute('data-label') + ' (' + d.getAttribute('data-series') + ')',
    }));
    const segments = [];
    for (const line of svg.querySelectorAll('.chart-line')) {
      const m = line.getScreenCTM();
      const pts = [...line.points].map((p) => new DOMPoint(p.x, p.y).matrixTransform(m));
      for (let i = 1; i < pts.length; i++) segments.push({ series: seriesOf(line), a: pts[i - 1], b: pts[i] });
    }
    const bg = background(svg.closest('figure.chart'));
    const problems = [];
    for (const label of labels) {
      const r = box(label), s = seriesOf(label), name = label.textContent.trim();
      // The line's stroke is about 2 px wide: a little room either side of the box.
      const wide = { left: r.left - 1, right: r.right + 1, top: r.top - 1, bottom: r.bottom + 1 };
      for (const t of texts) {
        if (t.el !== label && overlap(r, t.r)) problems.push(`"${name}" overlaps the text "${t.text}"`);
      }
      for (const d of dots) {
        if (d.series !== s && overlap(r, d.r)) problems.push(`"${name}" overlaps the point ${d.what}`);
      }
      if (segments.some((g) => g.series !== s && crosses(g.a, g.b, wide))) {
        problems.push(`"${name}" crosses another series' line`);
      }
      const c = ratio(rgb(getComputedStyle(label).fill), bg);
      if (c < 4.5) problems.push(`"${name}" has contrast ${c.toFixed(2)}:1, under 4.5:1`);
    }
    out.push({ id: svg.closest('figure.chart').id, labels: labels.length, problems });
  }
  return out;
}

// Runs the check on the loaded page `page` (light, then dark mode) and reports through
// checks.cjs' pass() and fail().
async function checkDirectLabels(page, pg, W, pass, fail) {
  let seen = 0;
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const c of await page.evaluate(directLabelChecks)) {
      seen += c.labels;
      if (c.problems.length) fail('direct-labels', pg, W, `#${c.id} (${scheme}): ${c.problems.slice(0, 4).join('; ')}`);
      else pass();
    }
    if (seen === 0) break;
  }
  if (seen) await page.emulateMedia({ colorScheme: 'light' });
  if (pg.path === MUST_HAVE && pg.site === 'fixture') {
    if (seen) pass();
    else fail('direct-labels', pg, W, 'the fixture brief shows no direct labels: the check had nothing to check');
  }
}

module.exports = { checkDirectLabels, directLabelChecks };
