#!/usr/bin/env bash
# TCP echo throughput: the engine's BASE and PROCESS servers against a
# minimal single-threaded epoll echo server (the limit), side by side.
# Every server is pinned to CPU 0 (all its processes and threads share it:
# a per-core comparison), the load generator to CPU 1.
#
# Usage: bench/tcp_echo.sh [build_dir=build/release] [seconds=5] [connections=50] [runs=3]
# Build first: make build (or cmake -DCMAKE_BUILD_TYPE=Release ... && cmake --build ...).
set -uo pipefail
B=${1:-build/release}
SECS=${2:-5}
CONNS=${3:-50}
RUNS=${4:-3}
PORT=${PORT:-19601}

for bin in bench_epoll_echo bench_server_echo bench_echo_load; do
  [ -x "$B/$bin" ] || { echo "missing $B/$bin (build first)" >&2; exit 1; }
done

wait_port() {
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# The three servers run side by side (idle ones cost nothing) and the runs
# are interleaved, so that load from elsewhere on the machine hits all three
# alike instead of skewing whichever ran during it.
names=(epoll base process)
ports=($PORT $((PORT + 1)) $((PORT + 2)))
taskset -c 0 "$B/bench_epoll_echo" "${ports[0]}" & pids=($!)
taskset -c 0 "$B/bench_server_echo" "${ports[1]}" base 1 & pids+=($!)
taskset -c 0 "$B/bench_server_echo" "${ports[2]}" process 1 1 & pids+=($!)
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait' EXIT
for p in "${ports[@]}"; do
  wait_port "$p" || { echo "server on port $p did not start" >&2; exit 1; }
done

declare -A res
for _ in $(seq 1 "$RUNS"); do
  for i in 0 1 2; do
    r=$(taskset -c 1 "$B/bench_echo_load" "${ports[$i]}" "$CONNS" "$SECS" | awk '{print $2}')
    res[${names[$i]}]+="$r "
  done
done

for n in "${names[@]}"; do echo "$n ${res[$n]}"; done | awk -v c="$CONNS" -v s="$SECS" '
  function median(   k, j, t, a) {
    for (k = 2; k <= NF; k++) a[k - 1] = $k
    for (k = 1; k < NF; k++) for (j = k + 1; j < NF; j++) if (a[j] < a[k]) { t = a[k]; a[k] = a[j]; a[j] = t }
    return a[int(NF / 2)]
  }
  { m[$1] = median(); $1 = ""; runs[$1 == "" ? "" : ""] = ""; all[NR] = $0 }
  END {
    printf "connections=%s, %s s per run, 64-byte messages, runs interleaved; median (all runs)\n", c, s
    printf "%-32s %8d req/s  (%s)\n", "epoll echo (limit)", m["epoll"], all[1]
    printf "%-32s %8d req/s  (%s)  %.0f%% of limit\n", "BASE, 1 worker", m["base"], all[2], 100 * m["base"] / m["epoll"]
    printf "%-32s %8d req/s  (%s)  %.0f%% of BASE\n", "PROCESS, 1 reactor + 1 worker", m["process"], all[3], 100 * m["process"] / m["base"]
  }'
