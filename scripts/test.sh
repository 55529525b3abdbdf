#!/usr/bin/env bash
# Runs every test suite and prints one closing line "N passed, N failed".
# C tests: Criterion binaries under ctest; each prints a "Synthesis" line
# whose counts are summed here. Exit status is non-zero on any failure.
set -uo pipefail
BUILD=${1:-build/test}
LOG="$BUILD/ctest.log"

ctest --test-dir "$BUILD" --output-on-failure -V >"$LOG" 2>&1
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
