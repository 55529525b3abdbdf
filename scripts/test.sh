#!/usr/bin/env bash
# Runs every test suite and prints one closing line "N passed, N failed".
# C tests: Criterion binaries under ctest; each prints a "Synthesis" line
# whose counts are summed here. PHP tests: the extension is built into
# EXT_BUILD (default: build/ext beside BUILD) and tests/php/**/*.phpt run
# through PHP's run-tests.php (scripts/phpt.sh); its "Tests passed" and
# failure counts are added. Skipped tests count as neither. Exit status is
# non-zero on any failure.
set -uo pipefail
BUILD=${1:-build/test}
EXT_BUILD=${EXT_BUILD:-$(dirname "$BUILD")/ext}
LOG="$BUILD/ctest.log"

ctest --test-dir "$BUILD" -j2 --output-on-failure -V >"$LOG" 2>&1
ctest_rc=$?
grep -E "Synthesis|FAIL|Failed|CRASH|Timeout|\*\*\*" "$LOG" | grep -v "^ *[0-9]*: *$" || true

passed=0; failed=0
while read -r line; do
  t=$(sed -n 's/.*Tested: \([0-9]*\).*/\1/p' <<<"$line")
  p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' <<<"$line")
  f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' <<<"$line")
  c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f))
  : "$t" "$c" # crashing tests are already counted in Failing
done < <(grep "Synthesis:" "$LOG")

# A suite that crashed before its synthesis counts as one failure.
suites=$(ctest --test-dir "$BUILD" -N | sed -n 's/^Total Tests: //p')
synth=$(grep -c "Synthesis:" "$LOG" || true)
if [ "${suites:-0}" -gt "$synth" ]; then
  failed=$((failed + suites - synth))
fi
if [ "$ctest_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
# A sanitizer report from a process Criterion does not watch (a server child
# a test forked) leaves the test green; any such report fails the run.
# (LeakSanitizer's exit-time report of Criterion's own runner is not one.)
san=$(grep -c -E "ERROR: AddressSanitizer|: runtime error: " "$LOG" || true)
if [ "${san:-0}" -gt 0 ]; then
  grep -E -B2 -A12 "ERROR: AddressSanitizer|: runtime error: " "$LOG" | head -n 80
  echo "FAIL: $san sanitizer report(s) in the C test output ($LOG)"
  failed=$((failed + san))
fi

# ---- PHP extension ---------------------------------------------------------
# The committed arginfo headers must match their stubs.
if ! scripts/gen_stubs.sh --check; then
  echo "FAIL: ext/*_arginfo.h out of date (scripts/gen_stubs.sh)"
  failed=$((failed + 1))
fi

PHPT_LOG="$EXT_BUILD/phpt.log"
if ! scripts/build_ext.sh "$EXT_BUILD" --enable-eddy-werror; then
  echo "FAIL: the PHP extension does not build (see $EXT_BUILD/make.log)"
  failed=$((failed + 1))
else
  scripts/phpt.sh "$EXT_BUILD/modules/swoole.so" tests/php >"$PHPT_LOG" 2>&1
  phpt_rc=$?
  count() { sed -n "s/^$1 *: *\([0-9]*\).*/\1/p" "$PHPT_LOG" | head -n1; }
  p=$(count "Tests passed"); f=$(count "Tests failed")
  b=$(count "Tests borked"); l=$(count "Tests leaked"); w=$(count "Tests warned")
  if [ "$phpt_rc" -ne 0 ]; then
    grep -v "^PASS " "$PHPT_LOG" # failures with their diffs, and the summary
  else
    grep -E "^SKIP " "$PHPT_LOG" || true
    sed -n '/^Number of tests/,/^Tests passed/p' "$PHPT_LOG"
  fi
  if [ -z "$p" ]; then
    # No summary: run-tests itself died; show why.
    tail -n 20 "$PHPT_LOG"
    failed=$((failed + 1))
  else
    passed=$((passed + p))
    failed=$((failed + ${f:-0} + ${b:-0} + ${l:-0} + ${w:-0}))
    if [ "$phpt_rc" -ne 0 ] && [ $((${f:-0} + ${b:-0} + ${l:-0} + ${w:-0})) -eq 0 ]; then
      failed=$((failed + 1))
    fi
  fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
