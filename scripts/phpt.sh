#!/usr/bin/env bash
# Runs phpt tests with PHP's run-tests.php against a built swoole.so.
#   scripts/phpt.sh [SO] [tests or dirs...]
# SO defaults to build/ext/modules/swoole.so, tests to tests/php. Prints
# run-tests' output, ending with its "TEST RESULT SUMMARY"; exit status is
# run-tests' own (non-zero when a test failed).
#
# Tests run with -n (no php.ini: only PHP's built-in extensions plus ours) and
# USE_ZEND_ALLOC=0, so PHP allocates with the system malloc: glibc's checks
# and MALLOC_PERTURB_ (fill freed memory) catch heap misuse that Zend's
# allocator would hide. Set PHPT_VALGRIND=1 to add run-tests' -m (valgrind
# memcheck, leak detection; about 20x slower).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SO=$(realpath "${1:-build/ext/modules/swoole.so}")
shift || true
[ $# -gt 0 ] || set -- tests/php
RUN_TESTS=${RUN_TESTS:-$(php-config --extension-dir)/build/run-tests.php}
PHP=${PHP:-$(command -v php)}
[ -f "$RUN_TESTS" ] || { echo "phpt: run-tests.php not found (install php8.2-dev)" >&2; exit 2; }
[ -f "$SO" ] || { echo "phpt: $SO not found (make ext)" >&2; exit 2; }

# Temporary .php/.out/.diff files go beside the extension's build dir (one
# per build, so two runs against different builds do not share files), not
# next to the tests.
TMP="$(dirname "$(dirname "$SO")")/phpt"
rm -rf "$TMP"; mkdir -p "$TMP"
# run-tests' parallel workers each mkdir() a test's output directory and
# race on it ("mkdir(): File exists"); create the whole tree up front.
(cd "$ROOT/tests/php" && find . -type d -exec mkdir -p "$TMP/{}" \;)

# run-tests probes which extensions load by dl()-ing every .so of
# extension_dir; dl() of Debian's xdebug.so aborts PHP ("corrupted
# double-linked list") under run-tests' ini settings. Tests see a private
# extension_dir with the system extensions minus xdebug; a test that wants
# xdebug loads it as zend_extension by absolute path.
EXT_DIR="$TMP/extensions"
mkdir -p "$EXT_DIR"
for so in "$("$PHP" -n -r 'echo ini_get("extension_dir");')"/*.so; do
  case $(basename "$so") in xdebug.so) ;; *) ln -sfn "$so" "$EXT_DIR/" ;; esac
done

args=(-q -p "$PHP" -n -d "extension_dir=$EXT_DIR" -d "extension=$SO" --show-diff --no-color --no-progress
      --set-timeout 120 -j"$(nproc)"
      --temp-source "$ROOT/tests/php" --temp-target "$TMP")
if [ "${PHPT_VALGRIND:-0}" = 1 ]; then args+=(-m); fi

export USE_ZEND_ALLOC=0 MALLOC_PERTURB_=${MALLOC_PERTURB_:-165} NO_INTERACTION=1
exec "$PHP" -n "$RUN_TESTS" "${args[@]}" "$@"
