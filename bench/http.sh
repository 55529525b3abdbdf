#!/usr/bin/env bash
# HTTP hello world: eddy's C example (BASE, 1 worker) against nginx (1
# worker, access_log off, the same 24-byte page from a file) and against
# bench_epoll_http (the limit: a fixed response, no parsing). Each server
# runs pinned to CPU 0, the client on CPU 1, keep-alive, loopback:
# wrk -t1 -c100 -d<secs>s for all three, ab -k -c100 -n200000 for eddy and
# nginx (the limit answers no HTTP/1.0). All three servers are started
# first and the rounds interleave them; medians over the rounds.
#
# Usage: bench/http.sh [build_dir] [seconds] [rounds]   (default build/release, 10, 3)
# Needs nginx, wrk and ab: scripts/bench_deps.sh installs them.
set -euo pipefail
BUILD=${1:-build/release}
SECS=${2:-10}
ROUNDS=${3:-3}
. "$(dirname "$0")/lib.sh"
bench_init http.sh
need_tools nginx wrk ab taskset
[ -x "$BUILD/http_server" ] && [ -x "$BUILD/bench_epoll_http" ] ||
  { echo "http.sh: build $BUILD first (make build)" >&2; exit 1; }

HZ=$(getconf CLK_TCK)

# run_wrk NAME PORT PID: req/s and the server's CPU time per request (all
# its processes: with one client thread the client may be what limits
# req/s, while CPU per request is the server's own cost).
run_wrk() {
  local out rps n s0 s1 us
  s0=$(cpu_ticks "$3")
  out=$(taskset -c 1 wrk -t1 -c100 -d"${SECS}s" "http://127.0.0.1:$2/")
  s1=$(cpu_ticks "$3")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  us=$(awk -v d=$((s1 - s0)) -v hz="$HZ" -v n="$n" 'BEGIN {printf "%.2f", d * 1e6 / hz / n}')
  echo "$1 wrk $rps" >>"$TMP/results"
  echo "$1 cpu $us" >>"$TMP/results"
  printf '%-6s wrk %12s req/s   server CPU %s us/request   %s\n' "$1" "$rps" "$us" \
    "$(echo "$out" | awk '/Latency/ {print "latency avg " $2 ", max " $4}')"
}

run_ab() { # name port
  local out rps failed
  out=$(taskset -c 1 ab -k -c100 -n200000 "http://127.0.0.1:$2/" 2>&1)
  rps=$(echo "$out" | awk '/^Requests per second/ {print $4}')
  failed=$(echo "$out" | awk '/^Failed requests|^Non-2xx/ {n += $3} END {print n + 0}')
  [ -n "$rps" ] && [ "$failed" = 0 ] || { echo "$1: ab failed ($failed failed requests)" >&2; echo "$out" | tail -n 20 >&2; exit 1; }
  echo "$1 ab $rps" >>"$TMP/results"
  printf '%-6s ab  %12s req/s\n' "$1" "$rps"
}

# eddy
PE=$(free_port)
taskset -c 0 "$BUILD/http_server" "$PE" 1 >/dev/null & pids+=($!)
# nginx: one worker, the page from a file, headers as close as nginx gives
PN=$(free_port)
hello_page
nginx_conf "$PN"
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
# the limit
PL=$(free_port)
taskset -c 0 "$BUILD/bench_epoll_http" "$PL" & pids+=($!)
for p in "$PE" "$PN" "$PL"; do
  wait_port "$p"
  check_page "$p" # an error page would be measured as a request served
done

for r in $(seq "$ROUNDS"); do
  echo "round $r (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  run_wrk eddy "$PE" "${pids[0]}"; run_wrk nginx "$PN" "${pids[1]}"; run_wrk epoll "$PL" "${pids[2]}"
  run_ab eddy "$PE"; run_ab nginx "$PN"
done

med() { awk -v s="$1" -v c="$2" '$1 == s && $2 == c {print $3}' "$TMP/results" | median; }
we=$(med eddy wrk); wn=$(med nginx wrk); wl=$(med epoll wrk); ae=$(med eddy ab); an=$(med nginx ab)
ce=$(med eddy cpu); cn=$(med nginx cpu); cl=$(med epoll cpu)
printf 'medians of %d: wrk eddy %.0f, nginx %.0f, epoll %.0f; ab eddy %.0f, nginx %.0f req/s\n' "$ROUNDS" "$we" "$wn" "$wl" "$ae" "$an"
printf 'server CPU per request (wrk): eddy %s, nginx %s, epoll %s us\n' "$ce" "$cn" "$cl"
awk -v we="$we" -v wn="$wn" -v wl="$wl" -v ae="$ae" -v an="$an" -v ce="$ce" -v cn="$cn" 'BEGIN {
  printf "eddy/nginx %.2fx (wrk), %.2fx (ab) (target >= 1.4x); eddy/epoll %.0f%% (wrk; target >= 90%%); nginx/eddy CPU per request %.2fx\n", we/wn, ae/an, 100*we/wl, cn/ce }'
