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
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# run_server <label> <command...>: prints "<label> <median requests/s>"
run_server() {
  local label=$1; shift
  taskset -c 0 "$@" &
  local pid=$!
  if ! wait_port; then echo "$label: server did not start" >&2; kill "$pid"; return 1; fi
  local results=()
  for _ in $(seq 1 "$RUNS"); do
    r=$(taskset -c 1 "$B/bench_echo_load" "$PORT" "$CONNS" "$SECS" | awk '{print $2}')
    results+=("$r")
  done
  kill -TERM "$pid"; wait "$pid" 2>/dev/null
  local median
  median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label $median ${results[*]}"
  sleep 0.3
}

out=$(
  run_server epoll "$B/bench_epoll_echo" "$PORT"
  run_server base "$B/bench_server_echo" "$PORT" base 1
  run_server process "$B/bench_server_echo" "$PORT" process 1 1
)
echo "$out" | awk -v c="$CONNS" -v s="$SECS" '
  {m[$1]=$2; runs[$1]=$3" "$4" "$5}
  END {
    printf "connections=%s, %s s per run, 64-byte messages; median of runs (all runs)\n", c, s
    printf "%-36s %10d req/s  (%s)\n", "epoll echo (limit)", m["epoll"], runs["epoll"]
    printf "%-36s %10d req/s  (%s)  %.0f%% of limit\n", "BASE, 1 worker", m["base"], runs["base"], 100*m["base"]/m["epoll"]
    printf "%-36s %10d req/s  (%s)  %.0f%% of BASE\n", "PROCESS, 1 reactor + 1 worker", m["process"], runs["process"], 100*m["process"]/m["base"]
  }'
