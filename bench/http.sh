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
for t in nginx wrk taskset; do
  command -v $t >/dev/null || { echo "http.sh: $t missing (scripts/bench_deps.sh)" >&2; exit 1; }
done
[ -x "$BUILD/http_server" ] && [ -x "$BUILD/bench_epoll_http" ] ||
  { echo "http.sh: build $BUILD first (make build)" >&2; exit 1; }

TMP=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.05
  done
  echo "http.sh: nothing answers on port $1" >&2; exit 1
}

run_wrk() { # name port
  wait_port "$2"
  local out rps
  out=$(taskset -c 1 wrk -t1 -c100 -d"${SECS}s" "http://127.0.0.1:$2/")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$1 $rps" >>"$TMP/results"
  printf '%-8s %12s req/s   %s\n' "$1" "$rps" "$(echo "$out" | awk '/Latency/ {print "latency avg " $2 ", max " $4}')"
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# eddy
P=$(free_port)
taskset -c 0 "$BUILD/http_server" "$P" 1 >/dev/null & pids+=($!)
run_wrk eddy "$P"; stop "${pids[-1]}"

# nginx: one worker, the page from a file, headers as close as nginx gives
P=$(free_port)
mkdir -p "$TMP/html" "$TMP/logs"
printf '<h1>\nHello Swoole.\n</h1>' >"$TMP/html/index.html"
cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$P;
    location / { root $TMP/html; index index.html; }
  }
}
CONF
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
run_wrk nginx "$P"; stop "${pids[-1]}"

# the limit
P=$(free_port)
taskset -c 0 "$BUILD/bench_epoll_http" "$P" & pids+=($!)
run_wrk epoll "$P"; stop "${pids[-1]}"

awk '{r[$1]=$2} END {printf "eddy/nginx %.2fx (target >= 1.4x), eddy/epoll %.0f%% (target >= 90%%)\n", r["eddy"]/r["nginx"], 100*r["eddy"]/r["epoll"]}' "$TMP/results"
