#!/usr/bin/env bash
# Validates every .html and .svg file of built sites with the Nu Html Checker (npm vnu-jar,
# run with Java): errors only, SVG checked too.
#   tests/browser/validate.sh NAME DIR [NAME DIR ...]
# One check per file. Prints "FAIL vnu [NAME] /url/path (file:line.col): message" per error and
# "vnu: P passed, F failed" last. Exit 1 when any file has an error, 3 when vnu could not run.
# Needs scripts/install-browser-deps.sh to have run (vnu.jar in $BRIEFING_CACHE/node).
set -uo pipefail
CACHE="${BRIEFING_CACHE:-$HOME/.cache/briefing}"
VNU_JAR="$CACHE/node/node_modules/vnu-jar/build/dist/vnu.jar"
[ -f "$VNU_JAR" ] || { echo "FAIL vnu: no $VNU_JAR (run scripts/install-browser-deps.sh)"; echo "vnu: 0 passed, 1 failed"; exit 3; }
[ $(($# % 2)) -eq 0 ] && [ $# -gt 0 ] || { echo "usage: $0 NAME DIR [NAME DIR ...]" >&2; exit 2; }

# Turns vnu's JSON (stdin) into FAIL lines and a last line "COUNT ok bad".
PARSE=$(cat <<'EOF'
const fs = require('fs');
const [name, dir, ...files] = process.argv.slice(1);
const text = fs.readFileSync(0, 'utf8');
let msgs;
try { msgs = JSON.parse(text).messages || []; } catch (e) {
  console.log(`FAIL vnu [${name}] /: the Nu Html Checker did not run: ${text.slice(0, 400).replace(/\s+/g, ' ')}`);
  console.log('COUNT 0 1');
  process.exit(0);
}
const urlOf = (rel) => '/' + (rel.endsWith('index.html') ? rel.slice(0, -'index.html'.length) : rel);
const errs = new Map(files.map((f) => [f, []]));
for (const m of msgs) {
  if (m.type !== 'error' && !(m.type === 'non-document-error')) continue;
  let f = m.url || '';
  if (f.startsWith('file:')) { try { f = decodeURIComponent(new URL(f).pathname); } catch (_) { f = f.slice(5); } }
  if (!errs.has(f)) errs.set(f, []);
  errs.get(f).push(m);
}
let ok = 0, bad = 0;
for (const [f, list] of errs) {
  if (!list.length) { ok++; continue; }
  bad++;
  const rel = f.startsWith(dir + '/') ? f.slice(dir.length + 1) : f;
  for (const m of list.slice(0, 10)) {
    const at = m.lastLine ? `:${m.lastLine}.${m.firstColumn || m.lastColumn || 0}` : '';
    const ex = m.extract ? ` [${m.extract.replace(/\s+/g, ' ').trim().slice(0, 80)}]` : '';
    console.log(`FAIL vnu [${name}] ${urlOf(rel)} (${rel}${at}): ${m.message.replace(/\s+/g, ' ')}${ex}`);
  }
  if (list.length > 10) console.log(`FAIL vnu [${name}] ${urlOf(rel)} (${rel}): ... ${list.length - 10} more errors`);
}
console.log(`COUNT ${ok} ${bad}`);
EOF
)

passed=0 failed=0 status=0
while [ $# -gt 0 ]; do
  name=$1 dir=$(cd "$2" && pwd -P); shift 2
  mapfile -d '' files < <(find "$dir" -type f \( -name '*.html' -o -name '*.htm' -o -name '*.svg' \) -print0 | sort -z)
  if [ ${#files[@]} -eq 0 ]; then
    echo "FAIL vnu [$name] /: no .html or .svg files in $dir"; failed=$((failed + 1)); status=1; continue
  fi
  n_svg=0; for f in "${files[@]}"; do [[ $f == *.svg ]] && n_svg=$((n_svg + 1)); done
  echo "vnu: [$name] ${#files[@]} files ($((${#files[@]} - n_svg)) html, $n_svg svg)"
  # C.UTF-8: file names in every script (regions/қазақстан/index.html) reach Java intact.
  json=$(LC_ALL=C.UTF-8 java -Xss2m -jar "$VNU_JAR" --errors-only --also-check-svg \
           --format json --exit-zero-always --stdout "${files[@]}" 2>&1)
  out=$(node -e "$PARSE" "$name" "$dir" "${files[@]}" <<<"$json")
  grep -v '^COUNT ' <<<"$out"
  read -r _ ok bad < <(grep '^COUNT ' <<<"$out" || echo "COUNT 0 1")
  passed=$((passed + ok)); failed=$((failed + bad))
  [ "$bad" -gt 0 ] && status=1
done
echo "vnu: $passed passed, $failed failed"
exit $status
