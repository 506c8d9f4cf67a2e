#!/usr/bin/env bash
# Feeds and sitemaps as feed readers and search engines read them: every .xml file of each
# built site must be well-formed (xmllint), and every sitemap must validate against the
# official sitemaps.org schema (sitemap.xsd, as shipped in the npm package "sitemap").
#   tests/browser/xml.sh NAME DIR [NAME DIR ...]
# Prints "FAIL xml [NAME] file: message" per problem and "xml: N passed, M failed".
set -uo pipefail
NM="${BRIEFING_CACHE:-$HOME/.cache/briefing}/node/node_modules"
XSD_DIR="$NM/sitemap/schema"
passed=0 failed=0
while [ $# -gt 0 ]; do
  name=$1 dir=$2; shift 2
  mapfile -d '' files < <(find "$dir" -type f -name '*.xml' -print0 | sort -z)
  for f in "${files[@]}"; do
    rel=${f#"$dir"/}
    if ! msg=$(xmllint --noout "$f" 2>&1); then
      echo "FAIL xml [$name] $rel: not well-formed: $(head -n 2 <<<"$msg" | tr '\n' ' ')"; failed=$((failed + 1)); continue
    fi
    passed=$((passed + 1))
    root=$(xmllint --xpath 'local-name(/*)' "$f" 2>/dev/null)
    case "$root" in
      urlset) xsd="$XSD_DIR/sitemap.xsd" ;;
      sitemapindex) xsd="$XSD_DIR/all.xsd" ;;
      *) continue ;;
    esac
    if msg=$(xmllint --noout --schema "$xsd" "$f" 2>&1); then
      passed=$((passed + 1))
    else
      echo "FAIL xml [$name] $rel: does not validate against $(basename "$xsd"): $(grep -v 'validates$' <<<"$msg" | head -n 2 | tr '\n' ' ')"
      failed=$((failed + 1))
    fi
  done
  [ ${#files[@]} -gt 0 ] || { echo "FAIL xml [$name] /: no .xml file (feeds and sitemap are missing)"; failed=$((failed + 1)); }
done
echo "xml: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
