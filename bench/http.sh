#!/usr/bin/env bash
# HTTP hello world: eddy's C example (BASE, 1 worker) against nginx (1
# worker, access_log off, the same 24-byte page from a file) and against
# bench_epoll_http (the limit: a fixed response, no parsing). Each server
# runs pinned to CPU 0, wrk -t1 -c100 -d10s on CPU 1, keep-alive, loopback.
#
# Usage: bench/http.sh [build_dir] [seconds]   (default build/release, 10)
# Needs nginx and wrk: scripts/bench_deps.sh installs them.
set -euo pipefail
BUILD=${1:-build/release}
SECS=${2:-10}
. "$(dirname "$0")/lib.sh"
bench_init http.sh
need_tools nginx wrk taskset
[ -x "$BUILD/http_server" ] && [ -x "$BUILD/bench_epoll_http" ] ||
  { echo "http.sh: build $BUILD first (make build)" >&2; exit 1; }

run_wrk() { # name port
  wait_port "$2"
  check_page "$2" # an error page would be measured as a request served
  local out rps
  out=$(taskset -c 1 wrk -t1 -c100 -d"${SECS}s" "http://127.0.0.1:$2/")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$1 $rps" >>"$TMP/results"
  printf '%-8s %12s req/s   %s\n' "$1" "$rps" "$(echo "$out" | awk '/Latency/ {print "latency avg " $2 ", max " $4}')"
}

# eddy
P=$(free_port)
taskset -c 0 "$BUILD/http_server" "$P" 1 >/dev/null & pids+=($!)
run_wrk eddy "$P"; stop "${pids[-1]}"

# nginx: one worker, the page from a file, headers as close as nginx gives
P=$(free_port)
hello_page
nginx_conf "$P"
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
run_wrk nginx "$P"; stop "${pids[-1]}"

# the limit
P=$(free_port)
taskset -c 0 "$BUILD/bench_epoll_http" "$P" & pids+=($!)
run_wrk epoll "$P"; stop "${pids[-1]}"

awk '{r[$1]=$2} END {printf "eddy/nginx %.2fx (target >= 1.4x), eddy/epoll %.0f%% (target >= 90%%)\n", r["eddy"]/r["nginx"], 100*r["eddy"]/r["epoll"]}' "$TMP/results"
