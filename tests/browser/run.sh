#!/usr/bin/env bash
# Browser test stage: builds the example site (the repository root) and the larger fixture
# (tests/fixtures/browser-site) with briefing, serves both from one loopback HTTP server of our
# own, runs the browser checks (checks.cjs: axe-core WCAG 2.1 A/AA, svg names, overflow at 390
# and 1280 px, failed sub-resources, console errors, keyboard, screenshots) and the Nu Html
# Checker (validate.sh), then stops the server by its PID.
#
#   tests/browser/run.sh                     the whole stage
#   tests/browser/run.sh --only example      one site (example | fixture)
#   tests/browser/run.sh --no-vnu            skip the Nu Html Checker
#   tests/browser/run.sh --self-test-defect  proves the stage catches planted defects: builds a
#                                            copy of the example whose templates/brief.html
#                                            override drops an image's alt text (and, second,
#                                            a chart <svg>'s <title>); exit 0 only when the
#                                            stage failed on each, naming the page and the rule
# Last line: "browser: N passed, M failed". Exit 0 when nothing failed, 1 when a check failed,
# 2 on bad usage, 3 when the tools could not be installed or started.
# Env: BRIEFING_BIN (default target/debug/briefing, relative to the repo root),
#      BROWSER_SHOTS_DIR (default ${CARGO_TARGET_DIR:-target}/browser-screenshots),
#      BROWSER_SHOTS (kinds|all|none), BROWSER_CONCURRENCY, BRIEFING_CACHE, CHROMIUM,
#      BROWSER_EXAMPLE_ROOT (site folder used as "example"; default the repo root).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
ROOT="$(cd "$HERE/../.." && pwd -P)"
ONLY="" VNU=1 SELFTEST=0
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="${2:-}"; shift ;;
    --no-vnu) VNU=0 ;;
    --self-test-defect) SELFTEST=1 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$ONLY" in ""|example|fixture) ;; *) echo "run.sh: --only takes example or fixture" >&2; exit 2 ;; esac

BIN="${BRIEFING_BIN:-target/debug/briefing}"
case "$BIN" in /*) ;; *) if [ -x "$BIN" ] && [ -n "${BRIEFING_BIN:-}" ]; then BIN="$(pwd -P)/$BIN"; else BIN="$ROOT/$BIN"; fi ;; esac
EXAMPLE_ROOT="${BROWSER_EXAMPLE_ROOT:-$ROOT}"
FIXTURE_ROOT="$ROOT/tests/fixtures/browser-site"
SHOTS="${BROWSER_SHOTS_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/browser-screenshots}"
case "$SHOTS" in /*) ;; *) SHOTS="$ROOT/$SHOTS" ;; esac
export BRIEFING_CACHE="${BRIEFING_CACHE:-$HOME/.cache/briefing}"

T0=$SECONDS
TMP="$(mktemp -d "${TMPDIR:-/tmp}/briefing-browser.XXXXXX")"
SERVER_PID="" VNU_PID="" CHECKS_PID=""

# kill PID and its descendants, each by its own id
kill_tree() {
  local pid=$1 kid
  for kid in $(pgrep -P "$pid" 2>/dev/null); do kill_tree "$kid"; done
  kill "$pid" 2>/dev/null
}
cleanup() {
  if [ -n "$CHECKS_PID" ]; then kill "$CHECKS_PID" 2>/dev/null; wait "$CHECKS_PID" 2>/dev/null; CHECKS_PID=""; fi
  if [ -n "$VNU_PID" ]; then kill_tree "$VNU_PID"; wait "$VNU_PID" 2>/dev/null; VNU_PID=""; fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    echo "browser: stopped the HTTP server (pid $SERVER_PID)"
    SERVER_PID=""
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- self-test: a planted defect must fail the stage -------------------------------------
if [ "$SELFTEST" = 1 ]; then
  tpl="$ROOT/templates/brief.html"
  [ -f "$tpl" ] || { echo "run.sh: no $tpl yet: nothing to plant a defect in" >&2; exit 2; }
  grep -q '{%-\{0,1\} *block content *-\{0,1\}%}' "$tpl" || { echo "run.sh: $tpl has no {% block content %} to plant a defect in" >&2; exit 2; }
  ok=0 bad=0
  # variant  snippet planted at the start of {% block content %}  rule that must be named
  while IFS='|' read -r variant snippet rule; do
    site="$TMP/defect-$variant"
    mkdir -p "$site/templates"
    # the example site, without what is not part of it (its own templates: replaced below)
    for e in "$EXAMPLE_ROOT"/* "$EXAMPLE_ROOT"/.[!.]*; do
      [ -e "$e" ] || continue
      case "$(basename "$e")" in
        .git|target|src|tests|scripts|docs|.ci|templates|Cargo.toml|Cargo.lock|README.md|node_modules) continue ;;
      esac
      cp -a "$e" "$site/"
    done
    [ -d "$EXAMPLE_ROOT/templates" ] && [ "$EXAMPLE_ROOT" != "$ROOT" ] && cp -a "$EXAMPLE_ROOT/templates/." "$site/templates/"
    awk -v s="$snippet" '!done && /\{%-? *block +content *-?%\}/ { sub(/\{%-? *block +content *-?%\}/, "&\n" s); done = 1 } 1' \
      "$tpl" >"$site/templates/brief.html"
    log="$TMP/defect-$variant.log"
    BROWSER_EXAMPLE_ROOT="$site" BROWSER_SHOTS_DIR="$TMP/shots-$variant" BROWSER_SHOTS=none \
      "$0" --only example --no-vnu >"$log" 2>&1
    rc=$?
    hits=$(grep -E "^FAIL $rule \[example\] /briefs/[^ ]+/ " "$log" | head -n 2)
    if [ "$rc" -ne 0 ] && [ -n "$hits" ]; then
      ok=$((ok + 1))
      echo "self-test: planted defect '$variant' caught (stage exit $rc):"
      sed 's/^/    /' <<<"$hits" | cut -c1-300
    else
      bad=$((bad + 1))
      echo "self-test: FAIL planted defect '$variant' NOT caught as rule $rule on a brief page (stage exit $rc); its output:"
      tail -n 25 "$log" | sed 's/^/    /'
    fi
  done <<'EOF'
img-alt|<img src="/style.css">|image-alt
svg-title|<figure class="chart"><svg role="img" viewBox="0 0 10 10" width="10" height="10"><rect width="10" height="10"/></svg></figure>|svg-accessible-name
EOF
  echo "browser self-test: $ok passed, $bad failed ($((SECONDS - T0)) s)"
  [ "$bad" -eq 0 ] && exit 0 || exit 1
fi

# ---- tools --------------------------------------------------------------------------------
"$ROOT/scripts/install-browser-deps.sh" -q || { echo "browser: 0 passed, 1 failed (could not install the browser tools)"; exit 3; }
if [ ! -x "$BIN" ]; then
  echo "FAIL build: no briefing binary at $BIN (run cargo build, or set BRIEFING_BIN)"
  echo "browser: 0 passed, 1 failed"; exit 1
fi

PASSED=0 FAILED=0
count() { # "xxx: P passed, F failed" in file $1
  local line p f
  line=$(grep -E '^[a-z]+: [0-9]+ passed, [0-9]+ failed' "$1" 2>/dev/null | tail -n 1)
  p=$(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line"); f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  PASSED=$((PASSED + ${p:-0})); FAILED=$((FAILED + ${f:-1}))
}

# ---- fonts: chart labels must be real glyphs in every script we promise, not tofu ----------
for lang in en ru el ar hi ja ko zh-cn; do
  if fc-list ":lang=$lang" family 2>/dev/null | grep -q .; then
    PASSED=$((PASSED + 1))
  else
    FAILED=$((FAILED + 1))
    echo "FAIL fonts: no installed font covers language '$lang' (scripts/install-browser-deps.sh installs them)"
  fi
done

# ---- build --------------------------------------------------------------------------------
NAMES=() DIRS=()
for name in example fixture; do
  [ -n "$ONLY" ] && [ "$ONLY" != "$name" ] && continue
  if [ "$name" = example ]; then src="$EXAMPLE_ROOT"; else src="$FIXTURE_ROOT"; fi
  out="$TMP/site-$name"
  "$BIN" build --root "$src" --output "$out" >"$TMP/build-$name.log" 2>&1
  rc=$?
  if [ "$rc" -eq 0 ]; then
    PASSED=$((PASSED + 1)); NAMES+=("$name"); DIRS+=("$out")
    echo "browser: built $name ($src) into $out"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL build [$name] /: '$BIN build --root $src --output ...' exited $rc:"
    tail -n 15 "$TMP/build-$name.log" | sed 's/^/    /'
  fi
done
if [ ${#NAMES[@]} -eq 0 ]; then echo "browser: $PASSED passed, $FAILED failed"; exit 1; fi

# ---- Nu Html Checker, in the background while the browser runs -------------------------------
if [ "$VNU" = 1 ]; then
  vargs=(); for i in "${!NAMES[@]}"; do vargs+=("${NAMES[$i]}" "${DIRS[$i]}"); done
  "$HERE/validate.sh" "${vargs[@]}" >"$TMP/vnu.log" 2>&1 &
  VNU_PID=$!
fi

# ---- one loopback HTTP server for all sites ---------------------------------------------------
node "$HERE/serve.cjs" --port-file "$TMP/ports" --parent $$ "${DIRS[@]}" >"$TMP/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
  [ -s "$TMP/ports" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.05
done
if [ ! -s "$TMP/ports" ]; then
  echo "FAIL server: the HTTP server did not start: $(tail -n 3 "$TMP/serve.log")"
  echo "browser: $PASSED passed, $((FAILED + 1)) failed"; exit 3
fi
read -r -a PORTS <"$TMP/ports"
cargs=()
for i in "${!NAMES[@]}"; do
  cargs+=(--site "${NAMES[$i]}" "http://127.0.0.1:${PORTS[$i]}" "${DIRS[$i]}")
  echo "browser: serving ${NAMES[$i]} at http://127.0.0.1:${PORTS[$i]}/ (server pid $SERVER_PID)"
done

# ---- browser checks -----------------------------------------------------------------------
mkdir -p "$SHOTS" && find "$SHOTS" -maxdepth 1 -name '*.png' -delete
# in the background and waited for, so that a signal reaches the trap at once
node "$HERE/checks.cjs" --shots "$SHOTS" --counts "$TMP/checks.count" "${cargs[@]}" 2>&1 &
CHECKS_PID=$!
wait "$CHECKS_PID"; CHECKS_PID=""
count "$TMP/checks.count"
# small multiples: one column at 390 px, several at 1280 px, nothing sideways (facets.cjs)
node "$HERE/facets.cjs" "${cargs[@]}" >"$TMP/facets.log" 2>&1
cat "$TMP/facets.log"
count "$TMP/facets.log"
# printed briefs (PDF text via pdftotext) and the charts' embeddable files: tests/browser/print.cjs
node "$HERE/print.cjs" --pdf "$TMP/pdf" --counts "$TMP/print.count" "${cargs[@]}" 2>&1 &
CHECKS_PID=$!
wait "$CHECKS_PID"; CHECKS_PID=""
count "$TMP/print.count"

kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
echo "browser: stopped the HTTP server (pid $SERVER_PID)"
SERVER_PID=""

if [ -n "$VNU_PID" ]; then
  wait "$VNU_PID"; VNU_PID=""
  cat "$TMP/vnu.log"
  count "$TMP/vnu.log"
fi

# ---- feeds well-formed, sitemaps valid against sitemap.xsd ------------------------------------
xargs_=(); for i in "${!NAMES[@]}"; do xargs_+=("${NAMES[$i]}" "${DIRS[$i]}"); done
"$HERE/xml.sh" "${xargs_[@]}" >"$TMP/xml.log" 2>&1
cat "$TMP/xml.log"
count "$TMP/xml.log"

# ---- live reload through briefing serve, on a copy of the fixture -----------------------------
if [ -z "$ONLY" ] || [ "$ONLY" = fixture ]; then
  cp -r "$FIXTURE_ROOT" "$TMP/serve-site"
  node "$HERE/reload.cjs" "$BIN" "$TMP/serve-site" >"$TMP/reload.log" 2>&1
  cat "$TMP/reload.log"
  count "$TMP/reload.log"
fi

echo "browser: screenshots in $SHOTS"
echo "browser: done in $((SECONDS - T0)) s"
echo "browser: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
