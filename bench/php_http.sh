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
# them alike. RUNS rounds; the medians are printed (req/s, p99 latency)
# with each server's RSS after the load (all its processes summed).
#
# Usage: bench/php_http.sh [swoole.so] [secs] [runs]
#   defaults: build/ext/modules/swoole.so (make ext), 10, 3
#   EPOLL_BIN=build/release/bench_epoll_http adds the limit server.
# Needs nginx, wrk, ab, php8.2-opcache and golang-go (scripts/bench_deps.sh);
# without go the Go column is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
SO=$(realpath "${1:-build/ext/modules/swoole.so}")
SECS=${2:-10}
RUNS=${3:-3}
ABN=${ABN:-200000}
for t in nginx wrk ab taskset curl php; do
  command -v $t >/dev/null || { echo "php_http.sh: $t missing (scripts/bench_deps.sh)" >&2; exit 1; }
done
[ -f "$SO" ] || { echo "php_http.sh: $SO not found (make ext)" >&2; exit 1; }

TMP=$(mktemp -d)
chmod 755 "$TMP" # nginx's worker (www-data) reads the page from here
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_port() {
  for _ in $(seq 200); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.05
  done
  echo "php_http.sh: nothing answers on port $1" >&2; exit 1
}

# RSS in KiB of a process and all its descendants.
rss_tree() {
  local all=("$1") kids
  kids=$(pgrep -P "$1" || true)
  for k in $kids; do all+=($(pgrep -P "$k" || true) "$k"); done
  ps -o rss= -p "$(IFS=,; echo "${all[*]}")" | awk '{s+=$1} END {print s}'
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# p99 from wrk --latency ("99%  1.23ms") in ms.
wrk_p99() {
  awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'
}

names=() ports=() spids=() noab=()
add_server() { # name port pid [noab]
  wait_port "$2"
  taskset -c 1 wrk -t1 -c100 -d2s "http://127.0.0.1:$2/" >/dev/null # warm-up
  names+=("$1"); ports+=("$2"); spids+=("$3"); noab+=("${4:-}")
}

one_round() { # index
  local name=${names[$1]} port=${ports[$1]} out
  out=$(taskset -c 1 wrk -t1 -c100 -d"${SECS}s" --latency "http://127.0.0.1:$port/")
  echo "$out" | awk '/Requests\/sec/ {print $2}' >>"$TMP/$name.wrk_rps"
  echo "$out" | wrk_p99 >>"$TMP/$name.wrk_p99"
  if echo "$out" | grep -q "Non-2xx"; then echo "php_http.sh: $name answered non-2xx" >&2; exit 1; fi
  if [ -n "${noab[$1]}" ]; then echo 0 >>"$TMP/$name.ab_rps"; echo - >>"$TMP/$name.ab_p99"; return; fi
  out=$(taskset -c 1 ab -q -s 5 -k -c100 -n"$ABN" "http://127.0.0.1:$port/" 2>&1 || true)
  echo "$out" | awk '/^Requests per second/ {print $4}' >>"$TMP/$name.ab_rps"
  echo "$out" | awk '$1=="99%" {print $2}' >>"$TMP/$name.ab_p99"
  if ! echo "$out" | grep -q "^Failed requests: *0"; then echo "php_http.sh: ab saw failures on $name" >&2; fi
}

report() { # index
  local name=${names[$1]}
  printf '%-12s wrk %9.0f req/s p99 %6.2f ms | ab %9.0f req/s p99 %3s ms | RSS %6.1f MiB\n' "$name" \
    "$(median <"$TMP/$name.wrk_rps")" "$(median <"$TMP/$name.wrk_p99")" \
    "$(median <"$TMP/$name.ab_rps")" "$(median <"$TMP/$name.ab_p99")" \
    "$(rss_tree "${spids[$1]}" | awk '{print $1/1024}')"
  echo "$name $(median <"$TMP/$name.wrk_rps") $(median <"$TMP/$name.ab_rps")" >>"$TMP/results"
}

PHP=(php -n -d "extension=$SO" -d zend_extension=opcache.so -d opcache.enable_cli=1)
"${PHP[@]}" -r 'exit(opcache_get_status() !== false ? 0 : 1);' ||
  { echo "php_http.sh: opcache does not load (install php8.2-opcache)" >&2; exit 1; }
echo "wrk -t1 -c100 -d${SECS}s --latency / ab -k -c100 -n$ABN; medians of $RUNS interleaved rounds; server on CPU 0, client on CPU 1"

for mode in base process; do
  P=$(free_port)
  taskset -c 0 "${PHP[@]}" examples/http_server.php "$P" 1 "$mode" >"$TMP/php-$mode.log" 2>&1 & pids+=($!)
  add_server "eddy-$mode" "$P" "${pids[-1]}"
done

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
add_server nginx "$P" "${pids[-1]}"

if command -v go >/dev/null; then
  (cd "$TMP" && cp "$OLDPWD/bench/go_http.go" . && GOCACHE="$TMP/gocache" GOPATH="$TMP/gopath" \
     GO111MODULE=off go build -o go_http go_http.go)
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

for r in $(seq "$RUNS"); do
  for i in "${!names[@]}"; do one_round "$i"; done
done
for i in "${!names[@]}"; do report "$i"; done

awk '{w[$1]=$2; a[$1]=$3}
  END {
    printf "eddy-base/nginx    wrk %.2fx ab %.2fx (target >= 1.35x)\n", w["eddy-base"]/w["nginx"], a["eddy-base"]/a["nginx"]
    printf "eddy-process/nginx wrk %.2fx ab %.2fx (target >= 0.75x)\n", w["eddy-process"]/w["nginx"], a["eddy-process"]/a["nginx"]
    if ("go" in w) printf "eddy-base/go       wrk %.2fx ab %.2fx\n", w["eddy-base"]/w["go"], a["eddy-base"]/a["go"]
    if ("epoll" in w) printf "eddy-base/epoll    wrk %.0f%% (target >= 85%%)\n", 100*w["eddy-base"]/w["epoll"]
  }' "$TMP/results"
