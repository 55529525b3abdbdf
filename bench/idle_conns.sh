#!/usr/bin/env bash
# Memory of idle keep-alive connections: eddy's C hello world (BASE, 1
# worker) against nginx (1 worker). bench_idle_conns opens N connections,
# makes one request on each, leaves them idle and reports the growth of the
# worker process's RSS per connection.
#
# Usage: bench/idle_conns.sh [build_dir] [connections]   (default build/release, 10000)
# Needs nginx (scripts/bench_deps.sh); run as root or with a hard fd limit
# above the connection count.
set -euo pipefail
BUILD=${1:-build/release}
N=${2:-10000}
[ -x "$BUILD/http_server" ] && [ -x "$BUILD/bench_idle_conns" ] ||
  { echo "idle_conns.sh: build $BUILD first (make build)" >&2; exit 1; }
ulimit -n $((N + 1024))

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
  echo "idle_conns.sh: nothing answers on port $1" >&2; exit 1
}
# The newest descendant of a pid: the worker under master and manager.
leaf() { local p=$1 c; while c=$(pgrep -P "$p" | tail -n1) && [ -n "$c" ]; do p=$c; done; echo "$p"; }

P=$(free_port)
"$BUILD/http_server" "$P" 1 >/dev/null & pids+=($!)
wait_port "$P"
printf 'eddy   '; "$BUILD/bench_idle_conns" "$P" "$N" "$(leaf "${pids[-1]}")"
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

if command -v nginx >/dev/null; then
  P=$(free_port)
  mkdir -p "$TMP/html" "$TMP/logs"
  printf '<h1>\nHello Swoole.\n</h1>' >"$TMP/html/index.html"
  cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile $((N + 1024));
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log;
events { worker_connections $((N + 512)); }
http {
  access_log off;
  keepalive_timeout 300s;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$P backlog=4096;
    location / { root $TMP/html; index index.html; }
  }
}
CONF
  nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
  wait_port "$P"
  printf 'nginx  '; "$BUILD/bench_idle_conns" "$P" "$N" "$(leaf "${pids[-1]}")"
fi
