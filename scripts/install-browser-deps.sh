#!/usr/bin/env bash
# Installs what the browser test stage (tests/browser/run.sh) needs, when it is missing:
#   apt: Debian's chromium (never a downloaded browser build), fonts for Latin, Cyrillic,
#        Greek, Arabic, Devanagari, CJK and Hangul, xmllint and pdftotext; default-jre-headless
#        only when `java` is missing. Always --no-install-recommends; `apt-get update` once if the install fails.
#   npm: playwright-core, axe-core and vnu-jar (the Nu Html Checker), pinned to exact versions,
#        into "${BRIEFING_CACHE:-$HOME/.cache/briefing}/node" (outside the repository).
# Idempotent: when everything is there it only checks (a few milliseconds) and prints one line.
# A lock (flock) in the cache folder keeps two runs from installing at the same time.
# Usage: scripts/install-browser-deps.sh [-q]   (-q: print nothing when nothing is installed)
# Env:   BRIEFING_CACHE (cache root), CHROMIUM (default /usr/bin/chromium)
# Exit:  0 ready, 1 something could not be installed.
set -euo pipefail

# Pinned versions: bump here, nowhere else.
PLAYWRIGHT_CORE_VERSION="1.65.1"
AXE_CORE_VERSION="4.14.1"
VNU_JAR_VERSION="26.9.27"
SITEMAP_VERSION="9.0.1"     # only for the official sitemaps.org sitemap.xsd it ships

# fonts-dejavu-core: Latin, Greek, Cyrillic (and a default sans/serif/mono);
# fonts-noto-core:   Noto Sans/Serif incl. Arabic (Naskh, Sans Arabic) and Devanagari;
# fonts-noto-cjk:    Noto Sans/Serif CJK: Chinese, Japanese and Korean Hangul.
# libxml2-utils:     xmllint, to check feeds are well-formed and sitemaps match sitemap.xsd.
# poppler-utils:     pdftotext, to read the text of a brief printed to PDF (tests/browser/print.cjs).
APT_PACKAGES=(chromium fonts-dejavu-core fonts-noto-core fonts-noto-cjk libxml2-utils poppler-utils)
NPM_PACKAGES=("playwright-core@$PLAYWRIGHT_CORE_VERSION" "axe-core@$AXE_CORE_VERSION" "vnu-jar@$VNU_JAR_VERSION" "sitemap@$SITEMAP_VERSION")

CACHE="${BRIEFING_CACHE:-$HOME/.cache/briefing}"
NODE_DIR="$CACHE/node"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
QUIET=0
[ "${1:-}" = "-q" ] && QUIET=1

say() { echo "install-browser-deps: $*" >&2; }

apt_missing() {
  # prints the packages of "$@" that are not installed (one dpkg-query call)
  local installed
  installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' "$@" 2>/dev/null | awk '$1 == "ii" { print $2 }' || true)
  local p
  for p in "$@"; do
    grep -qxF "$p" <<<"$installed" || echo "$p"
  done
}

npm_missing() {
  # prints the NAME@VERSION specs whose exact version is not installed under $NODE_DIR
  local spec name ver pj
  for spec in "$@"; do
    name=${spec%@*}; ver=${spec##*@}
    pj="$NODE_DIR/node_modules/$name/package.json"
    if [ -f "$pj" ] && grep -q "\"version\": *\"$ver\"" "$pj"; then continue; fi
    echo "$spec"
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "need root (or sudo) to run: $*"; return 1
  fi
}

LOCKED=0
lock() {
  [ "$LOCKED" = 1 ] && return 0
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.install.lock"
  flock 9
  LOCKED=1
}

want_apt() {
  local want=("${APT_PACKAGES[@]}")
  command -v java >/dev/null 2>&1 || want+=(default-jre-headless)
  apt_missing "${want[@]}"
}

# ---- fast path: everything present ------------------------------------------------------
missing_apt=$(want_apt)
missing_npm=$(npm_missing "${NPM_PACKAGES[@]}")

if [ -n "$missing_apt" ]; then
  lock
  missing_apt=$(want_apt)      # again, under the lock: another run may have installed it
  if [ -n "$missing_apt" ]; then
    # shellcheck disable=SC2086
    say "apt-get install --no-install-recommends $(echo $missing_apt)"
    log="$CACHE/apt-install.log"; t0=$SECONDS
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! as_root apt-get install -y -q --no-install-recommends $missing_apt >"$log" 2>&1; then
      say "apt-get install failed; running apt-get update and trying once more"
      # shellcheck disable=SC2086
      if ! { as_root apt-get update -q && as_root apt-get install -y -q --no-install-recommends $missing_apt; } >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        say "could not install: $missing_apt (log: $log)"
        exit 1
      fi
    fi
    say "apt done in $((SECONDS - t0))s (log: $log)"
  fi
fi

if [ -n "$missing_npm" ]; then
  command -v npm >/dev/null 2>&1 || { say "npm is missing: install Node.js 20 or newer first"; exit 1; }
  lock
  missing_npm=$(npm_missing "${NPM_PACKAGES[@]}")
  if [ -n "$missing_npm" ]; then
    mkdir -p "$NODE_DIR"
    [ -f "$NODE_DIR/package.json" ] || echo '{"name":"briefing-browser-cache","private":true}' >"$NODE_DIR/package.json"
    # shellcheck disable=SC2086
    say "npm install $(echo $missing_npm) into $NODE_DIR"
    log="$CACHE/npm-install.log"; t0=$SECONDS
    # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: playwright-core downloads nothing itself, but be sure.
    # shellcheck disable=SC2086
    if ! (cd "$NODE_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
          npm install --no-audit --no-fund --loglevel=error --save-exact $missing_npm) >"$log" 2>&1; then
      tail -n 20 "$log" >&2
      say "could not npm install: $missing_npm (log: $log)"
      exit 1
    fi
    say "npm done in $((SECONDS - t0))s"
  fi
fi

[ "$LOCKED" = 1 ] && { flock -u 9; exec 9>&-; }

# ---- sanity: what the stage will run -------------------------------------------------------
[ -x "$CHROMIUM" ] || { say "no chromium at $CHROMIUM"; exit 1; }
command -v java >/dev/null 2>&1 || { say "java is still missing"; exit 1; }
nv=$(node --version 2>/dev/null || true); nv=${nv#v}
if ! [ "${nv%%.*}" -ge 20 ] 2>/dev/null; then
  say "playwright-core $PLAYWRIGHT_CORE_VERSION needs Node.js >= 20, found '${nv:-none}' (Debian 12's nodejs is 18)"
  exit 1
fi
if [ "$QUIET" = 0 ] || [ "$LOCKED" = 1 ]; then
  say "ready: chromium, fonts, java, playwright-core $PLAYWRIGHT_CORE_VERSION, axe-core $AXE_CORE_VERSION, vnu-jar $VNU_JAR_VERSION in $NODE_DIR"
fi
