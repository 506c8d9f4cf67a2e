// Chart annotations as the browser lays them out: each annotation label's rendered box
// overlaps no bar or point of its chart (labels sit in rows above the plot, in a margin right
// of it, or under the chart; none is drawn over a mark, not even the one it points at).
// Called from checks.cjs at every width; rule "chart-annotations".

function annotationOverlaps() {
  const out = [];
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const labels = [...svg.querySelectorAll('text.chart-annotation-label')];
    if (!labels.length) continue;
    const marks = [...svg.querySelectorAll('.chart-bar, .chart-point')];
    const problems = [];
    const eps = 0.5;
    for (const l of labels) {
      const a = l.getBoundingClientRect();
      for (const m of marks) {
        const b = m.getBoundingClientRect();
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > eps &&
          Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > eps;
        if (overlap) {
          problems.push(`"${l.textContent.trim()}" lies over ${m.getAttribute('data-label') || m.tagName}`);
        }
      }
    }
    out.push({ id: svg.closest('figure.chart').id, labels: labels.length, problems });
  }
  return out;
}

async function check(page, pg, width, pass, fail) {
  for (const c of await page.evaluate(annotationOverlaps)) {
    if (c.problems.length) fail('chart-annotations', pg, width, `#${c.id}: ${c.problems.slice(0, 4).join('; ')}`);
    else pass();
  }
}

module.exports = { check };
