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
. "$(dirname "$0")/lib.sh"
bench_init static.sh
need_tools nginx wrk taskset curl
[ -x "$BUILD/bench_static_server" ] || { echo "static.sh: build $BUILD first" >&2; exit 1; }

chmod 755 "$TMP" # nginx's worker runs as nobody when started by root
hello_page
head -c 1048576 /dev/urandom >"$TMP/html/large.bin"

run_wrk() { # name port
  wait_port "$2"
  local small large got
  got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$2/large.bin")
  [ "$got" = "200 1048576" ] || { echo "static.sh: $1 answers $got for large.bin" >&2; exit 1; }
  small=$(taskset -c 1 wrk -t1 -c100 -d"${SECS}s" "http://127.0.0.1:$2/" | awk '/Requests\/sec/ {print $2}')
  large=$(taskset -c 1 wrk -t1 -c10 -d"${SECS}s" "http://127.0.0.1:$2/large.bin" | awk '/Transfer\/sec/ {print $2}')
  printf '%-14s small %12s req/s   large %10s/s\n' "$1" "$small" "$large"
}

for mode in base process; do
  P=$(free_port)
  taskset -c 0 "$BUILD/bench_static_server" "$P" "$TMP/html" "$mode" >/dev/null 2>&1 & pids+=($!)
  run_wrk "eddy-$mode" "$P"; stop "${pids[-1]}"
done

P=$(free_port)
nginx_conf "$P" "sendfile on;"
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
run_wrk nginx "$P"; stop "${pids[-1]}"
