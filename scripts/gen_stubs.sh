#!/usr/bin/env bash
# Regenerates ext/*_arginfo.h from ext/*.stub.php with PHP's gen_stub.php.
#   scripts/gen_stubs.sh          rewrite the arginfo headers in ext/
#   scripts/gen_stubs.sh --check  regenerate into a scratch copy and fail if
#                                 any committed header differs (make test)
#
# gen_stub.php wants nikic/php-parser in <its dir>/PHP-Parser-<ver>/ and
# downloads it when missing. We run a copy of gen_stub.php from a scratch dir
# where that path is a link to Debian's php-parser (package php-parser, see
# scripts/deps.sh), so nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
GEN_STUB=${GEN_STUB:-$(php-config --extension-dir 2>/dev/null)/build/gen_stub.php}
PARSER=${PHP_PARSER_DIR:-/usr/share/php/PhpParser}
[ -f "$GEN_STUB" ] || { echo "gen_stubs: gen_stub.php not found (install php8.2-dev)" >&2; exit 2; }
[ -d "$PARSER" ] || { echo "gen_stubs: $PARSER not found (install php-parser)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tool" "$work/ext"
cp "$GEN_STUB" "$work/tool/gen_stub.php"
# The version gen_stub.php pins; any 4.x php-parser reads stubs the same way.
ver=$(sed -n 's/^ *\$version = "\([0-9.]*\)";/\1/p' "$GEN_STUB" | head -n1)
mkdir -p "$work/tool/PHP-Parser-$ver/lib"
ln -s "$PARSER" "$work/tool/PHP-Parser-$ver/lib/PhpParser"

cp ext/*.stub.php "$work/ext/"
# -f: regenerate even when the stub hash in the old header matches.
php "$work/tool/gen_stub.php" -f "$work/ext" >/dev/null

status=0
for stub in ext/*.stub.php; do
  base=$(basename "$stub" .stub.php)
  new="$work/ext/${base}_arginfo.h"
  old="ext/${base}_arginfo.h"
  if [ "$mode" = "--check" ]; then
    if ! cmp -s "$new" "$old"; then
      echo "gen_stubs: $old is stale; run scripts/gen_stubs.sh" >&2
      diff -u "$old" "$new" >&2 || true
      status=1
    fi
  else
    cp "$new" "$old"
  fi
done
exit $status
