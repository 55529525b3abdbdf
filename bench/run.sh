#!/usr/bin/env bash
# Runs every bench_* binary of a build directory and prints its result lines.
# Usage: bench/run.sh [build_dir]   (make bench passes build/release)
#
# Each binary is pinned to CPU 0 with taskset: the micro-benchmarks are
# single-threaded and a migration mid-run skews them, and a bench that
# starts a server keeps it on CPU 0 and pins its own load generator to
# CPU 1 (bench/README.md, "method").
set -uo pipefail
BUILD=${1:-build/release}

shopt -s nullglob
benches=("$BUILD"/bench_*)
if [ ${#benches[@]} -eq 0 ]; then
  echo "no bench_* binaries in $BUILD (build with: make build)" >&2
  exit 1
fi

pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c 0)
fi

rc=0
for b in "${benches[@]}"; do
  [ -x "$b" ] && [ -f "$b" ] || continue
  echo "== $(basename "$b")"
  if ! "${pin[@]}" "$b"; then
    echo "$(basename "$b") failed" >&2
    rc=1
  fi
done
exit $rc
