#!/usr/bin/env bash
# The PHP hello world (examples/http_server.php, worker_num 1, opcache on)
# in BASE and PROCESS mode against nginx (1 worker, access_log off, the
# same 24-byte page from a file), Go net/http (GOMAXPROCS=1, the same
# handler: bench/go_http.go) and, when given, the single-threaded epoll
# limit server of bench/http.sh. Every server runs pinned to CPU 0, the
# load generator on CPU 1, keep-alive over loopback:
#   wrk -t1 -c100 -d<secs>s --latency   and   ab -k -c100 -n200000
# All servers are started first and the runs are interleaved (round 1 of
# every server, then round 2...), so a change in the machine's load hits
# them alike. Before measuring, each server must answer 200 with the page.
#
# Printed per server: medians over RUNS rounds of req/s (with the range),
# the server's CPU time per request (all its processes and threads: less
# sensitive to a busy machine than req/s, never to a slow client), p99
# latency, RSS after the load, and "others": the largest share of the two
# CPUs that processes other than this server and its client took during
# one of its runs. Other work on the machine slows the servers unevenly:
# on the shared 2-vCPU VM, between back-to-back runs, nginx's CPU time per
# request moved from 8.3 to 13.9 us while the epoll limit's stayed at
# 4.5-5.4 us. Over 5% and the ratios cannot be trusted; the script says so
# at the end.
#
# Usage: bench/php_http.sh [swoole.so] [secs] [runs]
#   defaults: build/ext/modules/swoole.so (make ext), 10, 3
#   EPOLL_BIN=build/release/bench_epoll_http adds the limit server.
#   ABN=200000 requests per ab run.
# Needs nginx, wrk, ab, php8.2-opcache and golang-go (scripts/bench_deps.sh);
# without go the Go column is skipped.
set -euo pipefail
export LC_ALL=C # bash's `time`, awk and sort -g read and write "1.5", never "1,5"
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_init php_http.sh
SO=$(realpath "${1:-build/ext/modules/swoole.so}")
SECS=${2:-10}
RUNS=${3:-3}
ABN=${ABN:-200000}
need_tools nginx wrk ab taskset curl php
[ -f "$SO" ] || { echo "php_http.sh: $SO not found (make ext)" >&2; exit 1; }
HZ=$(getconf CLK_TCK)
NCPU=$(nproc)

# RSS in KiB of a process and all its descendants.
rss_tree() {
  local all=("$1") kids
  kids=$(pgrep -P "$1" || true)
  for k in $kids; do all+=($(pgrep -P "$k" || true) "$k"); done
  ps -o rss= -p "$(IFS=,; echo "${all[*]}")" | awk '{s+=$1} END {print s}'
}

names=() ports=() spids=() noab=()
add_server() { # name port pid [noab]
  wait_port "$2"
  check_page "$2"
  taskset -c 1 wrk -t1 -c100 -d2s "http://127.0.0.1:$2/" >/dev/null # warm-up
  names+=("$1"); ports+=("$2"); spids+=("$3"); noab+=("${4:-}")
}

# measure INDEX TOOL COMMAND...: runs the load generator COMMAND (its output
# in $TMP/out) and appends to $TMP/NAME.TOOL the server's CPU microseconds
# per request and the others' share of the CPUs (%) over the run; the caller
# appends req/s and p99 from the output.
measure() {
  local i=$1 tool=$2; shift 2
  local pid=${spids[$i]} s0 s1 b0 b1 t0 t1 client n
  s0=$(cpu_ticks "$pid"); b0=$(busy_ticks); t0=$(date +%s%N)
  TIMEFORMAT='%3U %3S'
  { time "$@" >"$TMP/out" 2>&1; } 2>"$TMP/time" || true
  t1=$(date +%s%N); s1=$(cpu_ticks "$pid"); b1=$(busy_ticks)
  client=$(awk -v hz="$HZ" '{print ($1 + $2) * hz}' "$TMP/time")
  n=$(awk '/^Complete requests:/ {print $3} / requests in / {print $1}' "$TMP/out")
  awk -v s=$((s1 - s0)) -v b=$((b1 - b0)) -v c="$client" -v ns=$((t1 - t0)) -v n="${n:-0}" \
      -v hz="$HZ" -v ncpu="$NCPU" 'BEGIN {
        o = b - s - c; if (o < 0) o = 0
        printf "%.2f %.1f\n", n ? s * 1e6 / hz / n : 0, 100 * o / hz / (ns / 1e9 * ncpu) }' \
      >>"$TMP/${names[$i]}.$tool.cpu"
}

one_round() { # index
  local name=${names[$1]} port=${ports[$1]}
  measure "$1" wrk taskset -c 1 wrk -t1 -c100 -d"${SECS}s" --latency "http://127.0.0.1:$port/"
  if grep -q "Non-2xx" "$TMP/out"; then echo "php_http.sh: $name answered non-2xx" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$TMP/out" >>"$TMP/$name.wrk.rps"
  wrk_p99 <"$TMP/out" >>"$TMP/$name.wrk.p99"
  [ -n "${noab[$1]}" ] && return
  measure "$1" ab taskset -c 1 ab -q -s 5 -k -c100 -n"$ABN" "http://127.0.0.1:$port/"
  awk '/^Requests per second/ {print $4}' "$TMP/out" >>"$TMP/$name.ab.rps"
  awk '$1=="99%" {print $2}' "$TMP/out" >>"$TMP/$name.ab.p99"
  grep -q "^Failed requests: *0" "$TMP/out" || echo "php_http.sh: ab saw failures on $name" >&2
}

# summary NAME TOOL: "req/s min max cpu-us/req p99 others%" over the rounds.
summary() {
  local f="$TMP/$1.$2"
  [ -f "$f.rps" ] || { echo "0 0 0 0 0 0"; return; }
  echo "$(median <"$f.rps") $(sort -g "$f.rps" | head -n1) $(sort -g "$f.rps" | tail -n1)" \
    "$(cut -d' ' -f1 "$f.cpu" | median) $(median <"$f.p99") $(cut -d' ' -f2 "$f.cpu" | sort -g | tail -n1)"
}

report() { # index
  local name=${names[$1]} w a abcol
  read -r -a w <<<"$(summary "$name" wrk)"
  read -r -a a <<<"$(summary "$name" ab)"
  abcol=$(printf 'ab %7.0f (%6.0f-%6.0f) %5.2f us %4s ms' "${a[0]}" "${a[1]}" "${a[2]}" "${a[3]}" "${a[4]}")
  [ -n "${noab[$1]}" ] && abcol=$(printf '%-44s' "ab (HTTP/1.0 keep-alive not served)")
  printf '%-12s | wrk %7.0f (%6.0f-%6.0f) %5.2f us %5.2f ms | %s | %5.1f MiB | %4.1f%%\n' \
    "$name" "${w[0]}" "${w[1]}" "${w[2]}" "${w[3]}" "${w[4]}" "$abcol" \
    "$(rss_tree "${spids[$1]}" | awk '{print $1/1024}')" \
    "$(printf '%s\n%s\n' "${w[5]}" "${a[5]}" | sort -g | tail -n1)"
  echo "$name ${w[0]} ${a[0]} ${w[3]} ${a[3]} ${w[5]} ${a[5]}" >>"$TMP/results"
}

PHP=(php -n -d "extension=$SO" -d zend_extension=opcache.so -d opcache.enable_cli=1)
"${PHP[@]}" -r 'exit(opcache_get_status() !== false ? 0 : 1);' ||
  { echo "php_http.sh: opcache does not load (install php8.2-opcache)" >&2; exit 1; }

for mode in base process; do
  P=$(free_port)
  taskset -c 0 "${PHP[@]}" examples/http_server.php "$P" 1 "$mode" >"$TMP/php-$mode.log" 2>&1 & pids+=($!)
  add_server "eddy-$mode" "$P" "${pids[-1]}"
done

P=$(free_port)
hello_page
nginx_conf "$P"
taskset -c 0 nginx -p "$TMP" -c "$TMP/nginx.conf" & pids+=($!)
add_server nginx "$P" "${pids[-1]}"

if command -v go >/dev/null; then
  cp bench/go_http.go "$TMP/"
  (cd "$TMP" && GOCACHE="$TMP/gocache" GOPATH="$TMP/gopath" GO111MODULE=off go build -o go_http go_http.go)
  P=$(free_port)
  GOMAXPROCS=1 taskset -c 0 "$TMP/go_http" "$P" & pids+=($!)
  add_server go "$P" "${pids[-1]}"
else
  echo "go: not installed (golang-go), skipped"
fi

if [ -n "${EPOLL_BIN:-}" ]; then
  P=$(free_port)
  taskset -c 0 "$EPOLL_BIN" "$P" & pids+=($!)
  # wrk only: the limit server ignores HTTP/1.0 keep-alive, which ab speaks
  add_server epoll "$P" "${pids[-1]}" noab
fi

echo "wrk -t1 -c100 -d${SECS}s --latency / ab -k -c100 -n$ABN; medians of $RUNS interleaved rounds;" \
  "server on CPU 0, client on CPU 1; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$RUNS"); do
  for i in "${!names[@]}"; do one_round "$i"; done
done
echo "server       | wrk req/s (min-max)    CPU/req   p99     | ab req/s (min-max)     CPU/req  p99    | RSS       | others"
for i in "${!names[@]}"; do report "$i"; done

awk -v la="$(cut -d' ' -f1-3 /proc/loadavg)" '{w[$1]=$2; a[$1]=$3; cw[$1]=$4; ca[$1]=$5; o = $6 > $7 ? $6 : $7; if (o > others) others = o}
  END {
    printf "eddy-base/nginx    wrk %.2fx ab %.2fx (target >= 1.35x); CPU per request %.2fx / %.2fx of nginx\n", w["eddy-base"]/w["nginx"], a["eddy-base"]/a["nginx"], cw["eddy-base"]/cw["nginx"], ca["eddy-base"]/ca["nginx"]
    printf "eddy-process/nginx wrk %.2fx ab %.2fx (target >= 0.75x); CPU per request %.2fx / %.2fx of nginx\n", w["eddy-process"]/w["nginx"], a["eddy-process"]/a["nginx"], cw["eddy-process"]/cw["nginx"], ca["eddy-process"]/ca["nginx"]
    if ("go" in w) printf "eddy-base/go       wrk %.2fx ab %.2fx\n", w["eddy-base"]/w["go"], a["eddy-base"]/a["go"]
    if ("epoll" in w) printf "eddy-base/epoll    wrk %.0f%% (target >= 85%%)\n", 100*w["eddy-base"]/w["epoll"]
    printf "load average at the end %s; others took up to %.1f%% of the CPUs during a run\n", la, others
    if (others > 5) print "WARNING: the machine was not idle (others > 5%): these ratios are not to be trusted; rerun on an idle machine"
  }' "$TMP/results"
