#!/usr/bin/env python3
"""Synthetic briefing sites for the benchmark, deterministic for a seed (Python 3.11 stdlib).

    python3 bench/gen.py --briefs 1000 --seed 1 --out /dev/shm/site-1000

writes two sites over the same Markdown:

    OUT/briefing/site.yaml, content/briefs/*.md, content/data/*.csv
    OUT/hugo/hugo.toml, layouts/ (from bench/hugo/), static/, content/briefs/*.md
    OUT/manifest.json   what a build of either must contain (brief and term counts, ...)

Two configurations, chosen with --term-feeds (the content is the same bytes in both; the
harness generates a site once and switches with write_config()):

    on  (the default): briefing's default, one Atom feed per tag and per region
        (tags/<term>/atom.xml, regions/<term>/atom.xml); Hugo writes the same per-term feed
        (tags/<term>/index.xml: bench/hugo/hugo.toml, `term = ["html", "rss"]`)
    off: `term_feeds: false`, the site feeds only; Hugo `term = ["html"]`
        (bench/hugo/hugo-term-feeds-off.toml)

The brief files are the same bytes for both tools (hard links where the file system allows):
YAML front-matter (title, date, summary, tags, regions; a past publish_date in one brief in ten;
TOML between +++ lines in one in twenty-five) and a body of 600-1,200 words with
H2/H3 headings, emphasis, links to other briefs and outside, a bullet and a numbered list, a
GFM table, a blockquote, a footnote in about one brief in five. One brief in ten (exactly
N/10, at least one) holds a `chart` block over its own CSV file of 20-200 rows
(`investor,region,sector,year,spend_usd_bn`, about 10% non-numeric spend cells; one chart in
ten is a `type: map` over the region column, one in ten a line chart over years with
direct labels and annotations, one in ten small multiples per sector, one in ten grouped bars
in compact numbers); for Hugo the
chart block is an ordinary fenced code block.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

TAGS = [
    "infrastructure", "data centers", "investment", "policy", "sovereign cloud", "chips",
    "energy", "grid", "cooling", "water", "regulation", "safety", "benchmarks", "open models",
    "frontier models", "inference", "training", "supply chain", "export controls", "talent",
    "education", "healthcare", "finance", "fintech", "telecom", "cloud", "edge", "robotics",
    "agriculture", "mining", "manufacturing", "startups", "venture capital", "public sector",
    "procurement", "privacy", "data residency", "cybersecurity", "standards", "trade",
    "semiconductors", "networking", "satellites", "nuclear", "renewables", "skills",
    "research", "compute", "language models", "governance",
]

REGIONS = [
    "Global", "United States", "European Union", "France", "Germany", "United Kingdom",
    "South Korea", "Kazakhstan", "Uzbekistan", "India", "Brazil", "Canada", "Mexico",
    "Saudi Arabia", "United Arab Emirates", "Singapore", "Indonesia", "Nigeria", "Kenya",
    "South Africa", "Côte d'Ivoire", "Australia", "Türkiye", "Poland",
    "Қазақстан", "日本", "한국", "भारत", "مصر", "Ελλάδα",
]

INVESTORS = [
    "Stargate", "SoftBank", "NAVER", "NVIDIA", "Alphabet", "Microsoft", "Amazon", "Meta",
    "Oracle", "JPMorgan Chase", "BlackRock", "MGX", "G42", "Samsung", "SK Group", "Kakao",
    "Reliance", "Tata", "Humain", "Temasek", "KazTransCom", "Beeline", "Mistral", "Iliad",
    "Deutsche Telekom", "Vodafone", "BT", "Equinix", "Digital Realty", "CoreWeave",
    "Nebius", "Lambda", "Crusoe", "Brookfield", "KKR", "Blackstone", "EQT", "Macquarie",
    "Telstra", "NTT",
]

SECTORS = [
    "Compute", "Data centers", "Chips", "Energy", "Networking", "Cloud", "Research",
    "Skills", "Cooling", "Software", "Telecom", "Public sector",
]

NON_NUMERIC = ["Undisclosed", "n/a", "TBD", "not stated", "pending"]

SUBJECTS = [
    "the ministry", "the regulator", "the consortium", "the operator", "the fund",
    "the cloud provider", "the chip maker", "the utility", "the city council", "the startup",
    "the central bank", "the telecom group", "the sovereign fund", "the research lab",
    "the grid operator", "the data-center builder", "the alliance", "the agency",
]
VERBS = [
    "announced", "confirmed", "delayed", "expanded", "financed", "reviewed", "approved",
    "proposed", "scaled back", "doubled", "priced", "signed", "opened", "paused",
    "accelerated", "benchmarked", "audited", "licensed", "tendered", "committed to",
]
OBJECTS = [
    "a new campus", "its second data hall", "a grid connection", "the cooling retrofit",
    "a sovereign cloud region", "the compute tender", "a chip packaging line",
    "a training cluster", "the inference network", "a fibre link", "the skills programme",
    "a power purchase agreement", "the safety framework", "a residency rule",
    "the public pilot", "a regional hub", "the export licence", "the model registry",
]
TAILS = [
    "ahead of the next budget cycle", "after months of talks", "despite higher power prices",
    "with local partners", "under the new rules", "for the third year running",
    "in a filing this week", "according to people familiar with the plan",
    "as demand for inference grows", "while capacity stays scarce", "before the summer",
    "pending an environmental review", "with a phased timeline", "at a lower cost than planned",
    "in line with earlier guidance", "as competitors hesitate",
]
FILLER = [
    "Analysts expect the capacity to come online in stages.",
    "The figures are preliminary and may be revised.",
    "Several details, including the final price, remain undisclosed.",
    "Local officials described the plan as a priority.",
    "Power and water remain the binding constraints.",
    "The timeline depends on equipment deliveries.",
    "Critics question whether demand will match the build-out.",
    "Supporters point to jobs and tax revenue.",
    "The operator declined to comment on utilisation.",
    "Prices for accelerators have eased since last year.",
]
HEADINGS_H2 = [
    "What happened", "Who is spending", "Why it matters", "The numbers", "Policy landscape",
    "What to watch", "Risks", "The regional picture", "Background", "Outlook",
    "Supply and demand", "Energy and water", "The financing", "Reactions",
]
HEADINGS_H3 = [
    "Key points", "Timeline", "Open questions", "In figures", "Context", "The fine print",
    "Next steps", "Who gains", "Who loses", "Caveats",
]
TITLE_A = [
    "Sovereign", "Regional", "Public", "Private", "Green", "Hyperscale", "Edge", "National",
    "Cross-border", "Shared", "Federated", "Open", "Secure", "Low-latency", "Modular",
]
TITLE_B = [
    "compute", "cloud", "data halls", "AI campuses", "chip plants", "grid deals",
    "model hubs", "fibre routes", "cooling plans", "training clusters", "inference farms",
    "research credits", "skills funds", "data rules", "GPU leases",
]
TITLE_C = [
    "gain momentum", "face delays", "draw new money", "test regulators", "split investors",
    "reach a milestone", "get a second look", "move east", "cost more than planned",
    "win approval", "stall on power", "expand quietly",
]
OUTSIDE = [
    "https://www.iea.org/reports/energy-and-ai",
    "https://oecd.ai/en/dashboards",
    "https://digital-strategy.ec.europa.eu/en/policies/regulatory-framework-ai",
    "https://www.nist.gov/itl/ai-risk-management-framework",
    "https://www.top500.org/lists/top500/",
    "https://en.wikipedia.org/wiki/Data_center",
]


def slugify(words: str) -> str:
    out, dash = [], False
    for ch in words.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


class Writer:
    """Builds brief bodies; all randomness comes from one random.Random(seed)."""

    def __init__(self, rng: random.Random, n: int):
        self.rng = rng
        self.n = n
        # A pool of plain sentences, drawn once: bodies pick from it (fast at 100,000 briefs).
        self.sentences = [self._sentence() for _ in range(4000)]

    def _sentence(self) -> str:
        r = self.rng
        s = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(TAILS)}"
        s = s[0].upper() + s[1:] + "."
        if r.random() < 0.35:
            s += " " + r.choice(FILLER)
        return s

    def paragraph(self, k: int) -> str:
        r = self.rng
        parts = [r.choice(self.sentences) for _ in range(k)]
        # Emphasis and strong emphasis inside the text, not only whole sentences.
        i = r.randrange(k)
        words = parts[i].split(" ")
        j = r.randrange(len(words) - 1)
        if r.random() < 0.5:
            words[j] = f"*{words[j]}*"
        else:
            words[j] = f"**{words[j]}**"
        parts[i] = " ".join(words)
        return " ".join(parts)


def words_in(text: str) -> int:
    return len(text.split())


def brief_body(w: Writer, slugs: list[str], titles: list[str], idx: int, chart: str | None,
               footnote: bool) -> str:
    r = w.rng
    target = r.randint(600, 1200)
    h2 = r.sample(HEADINGS_H2, 6)
    blocks: list[str] = []
    count = 0

    def add(text: str) -> None:
        nonlocal count
        blocks.append(text)
        count += words_in(text)

    add(w.paragraph(r.randint(3, 5)))
    add(f"## {h2[0]}")
    add(w.paragraph(r.randint(3, 6)))
    add(f"### {r.choice(HEADINGS_H3)}")
    add("\n".join(f"- {r.choice(w.sentences)}" for _ in range(r.randint(3, 6))))
    add(f"## {h2[1]}")
    # Links to other briefs (root-relative, both tools serve /briefs/<slug>/) and outside.
    others = [r.randrange(w.n) for _ in range(r.randint(1, 3))]
    links = ", ".join(f"[{titles[o]}](/briefs/{slugs[o]}/)" for o in others if o != idx) or "earlier briefs"
    note = "[^1]" if footnote else ""
    add(f"{w.paragraph(2)} See also {links}. The wider context is in "
        f"[this outside report]({r.choice(OUTSIDE)}){note}. {w.paragraph(2)}")
    add("\n".join(f"{i}. {r.choice(w.sentences)}" for i in range(1, r.randint(3, 5) + 1)))
    add(f"## {h2[2]}")
    rows = []
    for _ in range(r.randint(3, 6)):
        rows.append(f"| {r.choice(INVESTORS)} | {r.choice(REGIONS)} | {r.choice(SECTORS)} | "
                    f"{r.randint(2018, 2025)} | {r.uniform(0.2, 90):.1f} |")
    add("| Investor | Region | Sector | Year | USD bn |\n|---|---|---|---|---:|\n" + "\n".join(rows))
    if chart:
        add(chart)
    add(f"> {w.paragraph(2)}")
    section = 3
    while count < target:
        para = w.paragraph(r.randint(3, 6))
        if count >= 600 and count + words_in(para) > 1160:  # stay within 600-1,200 words
            break
        if section < len(h2) and r.random() < 0.5:
            add(f"## {h2[section]}")
            section += 1
        elif r.random() < 0.25:
            add(f"### {r.choice(HEADINGS_H3)}")
        add(para)
    if footnote:
        add(f"[^1]: {r.choice(FILLER)} {r.choice(w.sentences)}")
    return "\n\n".join(blocks) + "\n"


def csv_file(r: random.Random) -> str:
    lines = ["investor,region,sector,year,spend_usd_bn"]
    for _ in range(r.randint(20, 200)):
        inv = r.choice(INVESTORS)
        reg = r.choice(REGIONS)
        if "," in reg or '"' in reg:
            reg = '"' + reg.replace('"', '""') + '"'
        spend = r.choice(NON_NUMERIC) if r.random() < 0.10 else f"{r.uniform(0.1, 120):.1f}"
        lines.append(f"{inv},{reg},{r.choice(SECTORS)},{r.randint(2018, 2025)},{spend}")
    return "\n".join(lines) + "\n"


def chart_block(r: random.Random, data: str, number: int) -> str:
    kind = r.randrange(4)  # drawn for maps too, so the rest of the site stays as it was
    if number % 10 == 4:
        # One chart in ten is a map (issue 15): its region column mixes countries in many
        # scripts with places that are not one country (Global, European Union).
        keys = ["type: map", "x: region", "y: spend_usd_bn", "aggregate: sum",
                "title: Spend by country"]
    elif number % 10 == 6:
        # The story features of issue 16, one chart in ten each: lines over time named at
        # their ends, with a marker and a band ...
        keys = ["type: line", "x: year", "y: spend_usd_bn", "series: sector",
                "filter: {sector: [Compute, Cloud, Energy]}", "aggregate: sum",
                "title: Spend by year, three sectors",
                "annotate:\n  - {x: 2022, label: Illustrative marker}"
                "\n  - {x: [2020, 2021], label: Illustrative band}"]
    elif number % 10 == 8:
        # ... small multiples, one per sector, on one scale ...
        # (four sectors: the size of grid an editor draws, not all twelve)
        keys = ["type: bar", "x: year", "y: spend_usd_bn", "facet: sector",
                "filter: {sector: [Compute, Cloud, Energy, Chips]}", "aggregate: sum",
                "format: {decimals: 0}", "title: Spend by year, four sectors"]
    elif number % 10 == 2:
        # ... and grouped bars with numbers in compact form and a reference line.
        keys = ["type: grouped-bar", "x: year", "y: spend_usd_bn", "series: sector",
                "filter: {sector: [Chips, Networking]}", "aggregate: sum", "format: compact",
                "annotate:\n  - {y: 100, label: Illustrative target}",
                "title: Spend by year, chips and networking"]
    elif kind == 0:
        keys = ["type: bar", "x: region", "y: spend_usd_bn", "aggregate: sum",
                "sort: value-desc", "title: Spend by region"]
    elif kind == 1:
        keys = ["type: hbar", "x: investor", "y: spend_usd_bn", "aggregate: sum",
                "sort: value-desc", "limit: 10", "title: Largest investors"]
    elif kind == 2:
        keys = ["type: line", "x: year", "y: spend_usd_bn", "aggregate: sum", "sort: label",
                "title: Spend by year"]
    else:
        keys = ["type: stacked-bar", "x: year", "y: spend_usd_bn", "series: sector",
                "aggregate: sum", "sort: label", "title: Spend by year and sector"]
    return "```chart\n" + "\n".join([f"data: {data}", *keys, "unit: USD bn",
                                     "source: Synthetic benchmark data"]) + "\n```"


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


HUGO_CONFIGS = {True: "hugo.toml", False: "hugo-term-feeds-off.toml"}


def hugo_config(term_feeds: bool) -> str:
    """bench/hugo's config for the configuration, checked to differ from the other one only in
    the `term = [...]` outputs line (comments aside), so the two cannot drift apart."""
    def body(name: str) -> list[str]:
        text = (HERE / "hugo" / name).read_text(encoding="utf-8")
        return [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]

    on, off = body(HUGO_CONFIGS[True]), body(HUGO_CONFIGS[False])
    differ = [(a, b) for a, b in zip(on, off) if a != b]
    if len(on) != len(off) or differ != [('term = ["html", "rss"]', 'term = ["html"]')]:
        sys.exit(f"gen: bench/hugo/{HUGO_CONFIGS[True]} and {HUGO_CONFIGS[False]} must differ "
                 f"only in the term outputs line; they differ in {differ or 'length'}")
    return (HERE / "hugo" / HUGO_CONFIGS[term_feeds]).read_text(encoding="utf-8")


def site_yaml(page_size: int, term_feeds: bool) -> str:
    if term_feeds:
        comment = (
            '# The benchmarked configuration "per-term feeds on" (bench/gen.py --term-feeds on): no\n'
            "# pagination (0 = every brief on one list page), the site feeds (Atom and RSS) and one\n"
            "# Atom feed per tag and per region (briefing's default, written out), each of the\n"
            "# latest 20 briefs.\n")
    else:
        comment = (
            '# The benchmarked configuration "per-term feeds off" (bench/gen.py --term-feeds off):\n'
            "# no pagination (0 = every brief on one list page), the site feeds (Atom and RSS) of\n"
            "# the latest 20 briefs, no per-term feeds.\n")
    return (
        'title: "Benchmark Briefing"\n'
        'base_url: "https://briefing.example.org"\n'
        'description: "Synthetic briefs for the benchmark."\n'
        "language: en\n"
        'author: "Bench Desk"\n'
        + comment
        + f"page_size: {page_size}\n"
        "feed_limit: 20\n"
        f"term_feeds: {'true' if term_feeds else 'false'}\n"
    )


def write_config(out: Path, term_feeds: bool) -> None:
    """(Re)writes the two configuration files of a generated site, OUT/briefing/site.yaml and
    OUT/hugo/hugo.toml, for per-term feeds on or off; nothing else changes."""
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    (out / "briefing" / "site.yaml").write_text(site_yaml(manifest["page_size"], term_feeds),
                                                encoding="utf-8")
    (out / "hugo" / "hugo.toml").write_text(hugo_config(term_feeds), encoding="utf-8")
    manifest["term_feeds"] = term_feeds
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def generate(n: int, seed: int, out: Path, page_size: int = 0, term_feeds: bool = True) -> dict:
    """page_size 0 is "no pagination"; a briefing that refuses 0 gets page_size >= n instead.
    term_feeds picks the configuration (write_config switches it later)."""
    if out.exists():
        shutil.rmtree(out)
    b_root = out / "briefing"
    h_root = out / "hugo"
    b_briefs = b_root / "content" / "briefs"
    b_data = b_root / "content" / "data"
    h_briefs = h_root / "content" / "briefs"
    for d in (b_briefs, b_data, h_briefs):
        d.mkdir(parents=True)

    r = random.Random(seed)
    w = Writer(r, n)
    titles, slugs = [], []
    for i in range(n):
        t = f"{r.choice(TITLE_A)} {r.choice(TITLE_B)} {r.choice(TITLE_C)}"
        titles.append(t)
        slugs.append(f"{slugify(t)}-{i + 1:06d}")
    n_charts = max(1, n // 10)
    chart_briefs = {b: k for k, b in enumerate(sorted(r.sample(range(n), n_charts)))}

    start = dt.date(2018, 1, 1).toordinal()
    end = dt.date(2025, 12, 31).toordinal()
    tags_used: set[str] = set()
    regions_used: set[str] = set()
    footnotes = 0
    words = 0
    for i in range(n):
        date = dt.date.fromordinal(r.randint(start, end))
        tags = r.sample(TAGS, r.randint(2, 5))
        regions = r.sample(REGIONS, r.randint(1, 4))
        tags_used.update(tags)
        regions_used.update(regions)
        chart = None
        if i in chart_briefs:
            name = f"spend-{chart_briefs[i] + 1:05d}.csv"
            (b_data / name).write_text(csv_file(r), encoding="utf-8")
            chart = chart_block(r, name, chart_briefs[i])
        footnote = r.random() < 0.2
        footnotes += footnote
        summary = r.choice(w.sentences)
        body = brief_body(w, slugs, titles, i, chart, footnote)
        # One brief in ten (by index; never a TOML one) binds two numbers of the first data
        # file with a `values:` block (docs/values.md); Hugo shows the spans as code.
        values = ""
        if i % 10 == 5:
            values = (
                "values:\n"
                "  total: {data: spend-00001.csv, y: spend_usd_bn, aggregate: sum, unit: USD bn}\n"
                "  rows: {data: spend-00001.csv, aggregate: count}\n"
            )
            body += "\nThe first data file sums to `{value} total` over `{value} rows` rows.\n"
        words += words_in(body)
        # Chosen by index, not by the random stream, so every other byte of the site stays
        # what it was: one brief in ten is scheduled (a publish_date already past, so both
        # tools publish it: briefing checks it against "now"), and one in twenty-five has
        # Hugo's TOML front-matter (read by both).
        schedule = f"publish_date: {date.isoformat()}\n" if i % 10 == 3 else ""
        if i % 25 == 7:
            text = (
                "+++\n"
                f"title = {q(titles[i])}\n"
                f"date = {date.isoformat()}\n"
                f"summary = {q(summary)}\n"
                f"tags = [{', '.join(q(t) for t in tags)}]\n"
                f"regions = [{', '.join(q(x) for x in regions)}]\n"
                "+++\n\n" + body
            )
        else:
            text = (
                "---\n"
                f"title: {q(titles[i])}\n"
                f"date: {date.isoformat()}\n"
                f"summary: {q(summary)}\n"
                f"tags: [{', '.join(q(t) for t in tags)}]\n"
                f"regions: [{', '.join(q(x) for x in regions)}]\n"
                f"{schedule}"
                f"{values}"
                "---\n\n" + body
            )
        path = b_briefs / f"{slugs[i]}.md"
        path.write_text(text, encoding="utf-8")
        link_or_copy(path, h_briefs / path.name)

    hugo_src = HERE / "hugo"
    shutil.copytree(hugo_src / "layouts", h_root / "layouts")
    shutil.copytree(hugo_src / "static", h_root / "static")

    manifest = {
        "briefs": n,
        "seed": seed,
        "page_size": page_size,
        "charts": n_charts,
        "data_files": n_charts,
        "footnotes": footnotes,
        "words": words,
        "tags": len(tags_used),
        "regions": len(regions_used),
        "term_feeds": term_feeds,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    write_config(out, term_feeds)
    return manifest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--briefs", type=int, help="number of briefs (required unless --config-only)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--page-size", type=int, default=0, help="site.yaml page_size (0: no pagination)")
    ap.add_argument("--term-feeds", choices=["on", "off"], default="on",
                    help="per-term feeds in both tools' configuration (default on, briefing's default)")
    ap.add_argument("--config-only", action="store_true",
                    help="only rewrite site.yaml and hugo.toml of the site already in --out")
    a = ap.parse_args()
    if a.config_only:
        write_config(a.out, a.term_feeds == "on")
        print(json.dumps(json.loads((a.out / "manifest.json").read_text(encoding="utf-8"))),
              file=sys.stderr)
        return 0
    if a.briefs is None:
        ap.error("--briefs is required")
    m = generate(a.briefs, a.seed, a.out, a.page_size, a.term_feeds == "on")
    print(json.dumps(m), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
