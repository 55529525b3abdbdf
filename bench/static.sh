#!/usr/bin/env bash
# Static files: eddy's static handler (bench_static_server, 1 worker, BASE
# and PROCESS) against nginx (1 worker, sendfile on, access_log off), the
# same files from the same directory. Servers pinned to CPU 0, wrk -t1 on
# CPU 1, keep-alive, loopback:
#   small: a 24-byte index.html, -c100 (requests/s)
#   large: a 1 MiB file, -c10 (transfer/s)
#
# Usage: bench/static.sh [build_dir] [seconds]   (default build/release, 10)
# Needs nginx and wrk: scripts/bench_deps.sh installs them.
set -euo pipefail
BUILD=${1:-build/release}
SECS=${2:-10}
for t in nginx wrk taskset curl; do
  command -v $t >/dev/null || { echo "static.sh: $t missing (scripts/bench_deps.sh)" >&2; exit 1; }
done
[ -x "$BUILD/bench_static_server" ] || { echo "static.sh: build $BUILD first" >&2; exit 1; }

TMP=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

mkdir -p "$TMP/html" "$TMP/logs"
chmod 755 "$TMP" # nginx's worker runs as nobody when started by root
printf '<h1>\nHello Swoole.\n</h1>' >"$TMP/html/index.html"
head -c 1048576 /dev/urandom >"$TMP/html/large.bin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.05
  done
  echo "static.sh: nothing answers on port $1" >&2; exit 1
}

run_wrk() { # name port
  wait_port "$2"
  local small large got
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$2/large.bin")
  [ "$got" = "200 1048576" ] || { echo "static.sh: $1 answers $got for large.bin" >&2; exit 1; }
  small=$(taskset -c 1 wrk -t1 -c100 -d"${SECS}s" "http://127.0.0.1:$2/" | awk '/Requests\/sec/ {print $2}')
  large=$(taskset -c 1 wrk -t1 -c10 -d"${SECS}s" "http://127.0.0.1:$2/large.bin" | awk '/Transfer\/sec/ {print $2}')
  printf '%-14s small %12s req/s   large %10s/s\n' "$1" "$small" "$large"
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

for mode in base process; do
  P=$(free_port)
  taskset -c 0 "$BUILD/bench_static_server" "$P" "$TMP/html" "$mode" >/dev/null 2>&1 & pids+=($!)
  run_wrk "eddy-$mode" "$P"; stop "${pids[-1]}"
done

P=$(free_port)
cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$P;
    location / { root $TMP/html; index index.html; }
  }
}
CONF
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
run_wrk nginx "$P"; stop "${pids[-1]}"
