#!/usr/bin/env bash
# Response compression: bench_compress_server (BASE, 1 worker) answering one
# HTML page from memory, uncompressed, gzip and br (level 1, Swoole's
# default), against nginx (1 worker, gzip on, gzip_comp_level 1, access_log
# off) serving the same page from a file. Servers pinned to CPU 0, wrk -t1
# -c50 on CPU 1, keep-alive, loopback. Prints requests/s and the bytes of
# one response body for each.
#
# Usage: bench/compress.sh [build_dir] [seconds] [page_bytes]
#        (default build/release, 10, 10240)
# Needs nginx and wrk: scripts/bench_deps.sh installs them.
set -euo pipefail
BUILD=${1:-build/release}
SECS=${2:-10}
SIZE=${3:-10240}
. "$(dirname "$0")/lib.sh"
bench_init compress.sh
need_tools nginx wrk taskset curl python3
[ -x "$BUILD/bench_compress_server" ] || { echo "compress.sh: build $BUILD first" >&2; exit 1; }

mkdir -p "$TMP/html" "$TMP/logs"
chmod 755 "$TMP" # nginx's worker runs as nobody when started by root

# A table-like page: repetitive markup, varying numbers and words, as
# rendered HTML tends to be.
python3 - "$SIZE" >"$TMP/html/index.html" <<'PY'
import random, sys
random.seed(1)
words = "alpha beta gamma delta order invoice customer total shipped pending paid".split()
out = ["<!doctype html><html><head><title>Orders</title></head><body><table>\n"]
i = 0
while sum(map(len, out)) < int(sys.argv[1]):
    out.append('<tr class="row"><td>%d</td><td>%s %s</td><td>%d.%02d EUR</td></tr>\n' % (
        1000 + i, random.choice(words), random.choice(words), random.randint(1, 999),
        random.randint(0, 99)))
    i += 1
sys.stdout.write("".join(out)[: int(sys.argv[1])])
PY

run_wrk() { # name port accept-encoding
  local hdr=() rps bytes enc
  [ -n "$3" ] && hdr=(-H "Accept-Encoding: $3")
  bytes=$(curl -s -o /dev/null -w '%{size_download}' "${hdr[@]}" "http://127.0.0.1:$2/")
  enc=$(curl -s -o /dev/null -D - "${hdr[@]}" "http://127.0.0.1:$2/" | tr -d '\r' |
        awk -F': ' 'tolower($1)=="content-encoding" {print $2}')
  rps=$(taskset -c 1 wrk -t1 -c50 -d"${SECS}s" "${hdr[@]}" "http://127.0.0.1:$2/" | awk '/Requests\/sec/ {print $2}')
  printf '%-22s %-9s %12s req/s   body %7s bytes\n' "$1" "${enc:-identity}" "$rps" "$bytes"
}

echo "page: $SIZE bytes of HTML, ${SECS}s per run"
P=$(free_port)
taskset -c 0 "$BUILD/bench_compress_server" "$P" "$TMP/html/index.html" >/dev/null 2>&1 & pids+=($!)
wait_port "$P"
run_wrk "eddy" "$P" ""
run_wrk "eddy" "$P" "gzip"
run_wrk "eddy" "$P" "br"
stop "${pids[-1]}"

P=$(free_port)
nginx_conf "$P" "gzip on; gzip_comp_level 1; gzip_min_length 20;"
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
wait_port "$P"
run_wrk "nginx" "$P" ""
run_wrk "nginx" "$P" "gzip"
stop "${pids[-1]}"
