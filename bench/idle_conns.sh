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

. "$(dirname "$0")/lib.sh"
bench_init idle_conns.sh

# The newest descendant of a pid: the worker under master and manager.
leaf() { local p=$1 c; while c=$(pgrep -P "$p" | tail -n1) && [ -n "$c" ]; do p=$c; done; echo "$p"; }

P=$(free_port)
"$BUILD/http_server" "$P" 1 >/dev/null & pids+=($!)
wait_port "$P"
printf 'eddy   '; "$BUILD/bench_idle_conns" "$P" "$N" "$(leaf "${pids[-1]}")"
stop "${pids[-1]}"

if command -v nginx >/dev/null; then
  P=$(free_port)
  hello_page
  NGINX_MAIN="worker_rlimit_nofile $((N + 1024));" NGINX_CONNS=$((N + 512)) NGINX_LISTEN=backlog=4096 \
    nginx_conf "$P" "keepalive_timeout 300s;"
  nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
  wait_port "$P"
  printf 'nginx  '; "$BUILD/bench_idle_conns" "$P" "$N" "$(leaf "${pids[-1]}")"
fi
