# Helpers shared by the bench/*.sh scripts: a temporary directory removed on
# exit with every server started, free ports, waiting for a server to answer,
# and the nginx configuration the comparisons use. Source it from a script
# that runs under `set -euo pipefail`:
#
#   . "$(dirname "$0")/lib.sh"
#   bench_init http.sh            # name for messages; sets TMP and pids, traps EXIT
#   P=$(free_port)
#   server ... & pids+=($!)       # every background pid goes in pids
#   wait_port "$P"; ...; stop "${pids[-1]}"

# bench_init NAME: creates $TMP, an empty pids array, and an EXIT trap that
# kills whatever is left in pids and removes $TMP, so an aborted run leaves
# no server behind.
bench_init() {
  BENCH_NAME=$1
  TMP=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}

# need_tools TOOL...: exits with a hint when one is not on PATH.
need_tools() {
  for t in "$@"; do
    command -v "$t" >/dev/null || { echo "$BENCH_NAME: $t missing (scripts/bench_deps.sh)" >&2; exit 1; }
  done
}

# A port nothing listens on right now (the kernel's pick for port 0).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_port PORT: until an HTTP GET / on PORT answers, 5 s at most, else exit.
wait_port() {
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
    sleep 0.05
  done
  echo "$BENCH_NAME: nothing answers on port $1" >&2; exit 1
}

# stop PID: ends one server and reaps it.
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

# hello_page: $TMP/html/index.html holding the 24-byte page the hello-world
# servers send, and the $TMP/logs nginx needs.
hello_page() {
  mkdir -p "$TMP/html" "$TMP/logs"
  printf '<h1>\nHello Swoole.\n</h1>' >"$TMP/html/index.html"
  # nginx started by root serves from a worker running as nobody, which
  # cannot enter mktemp's 0700 directory: every request got a 403 (and an
  # error.log line) instead of the page, and that is what was measured.
  chmod 755 "$TMP"
}

# check_page PORT: exits unless GET / on PORT answers 200 with the hello
# page's 24 bytes. Run it before measuring a server: wrk counts an error
# page as a request served.
check_page() {
  local got want
  got=$(curl -s -w '%{http_code}' "http://127.0.0.1:$1/" || true)
  want="$(printf '<h1>\nHello Swoole.\n</h1>')200"
  [ "$got" = "$want" ] && return 0
  echo "$BENCH_NAME: port $1 does not answer 200 with the hello page (got: ${got: -3})" >&2
  exit 1
}

# nginx_conf PORT [HTTP_DIRECTIVES]: writes $TMP/nginx.conf, one worker in the
# foreground, access log off, keep-alive without a request cap, serving
# $TMP/html on 127.0.0.1:PORT. HTTP_DIRECTIVES (e.g. "sendfile on;") go in the
# http block. Set before the call if needed: NGINX_MAIN (main-context
# directives), NGINX_CONNS (worker_connections, default 4096), NGINX_LISTEN
# (extra listen parameters, e.g. "backlog=4096").
nginx_conf() {
  cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
${NGINX_MAIN:-}
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log;
events { worker_connections ${NGINX_CONNS:-4096}; }
http {
  access_log off;
  keepalive_requests 1000000;
  ${2:-}
  server {
    listen 127.0.0.1:$1 ${NGINX_LISTEN:-};
    location / { root $TMP/html; index index.html; }
  }
}
CONF
}

# wait_for WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds, 60 s
# at most (a database's first start takes a while); else exits showing the
# tail of every $TMP/*.log.
wait_for() {
  local what=$1; shift
  for _ in $(seq 600); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$BENCH_NAME: $what did not come up; logs in $TMP:" >&2
  tail -n 20 "$TMP"/*.log >&2 || true
  exit 1
}

# median: the median of the numbers on stdin, one a line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# wrk_p99: the 99th percentile in ms from `wrk --latency` output on stdin
# (its "99%  1.23ms" line).
wrk_p99() {
  awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'
}

# cpu_ticks PID...: CPU time (user + system, in CLK_TCK ticks) used so far by
# these processes, every thread of theirs and all their descendants: what a
# stack spent, whatever else shares the machine. Take it before and after
# a load; the difference over the requests served is CPU per request.
cpu_ticks() {
  local p t=0 kids
  for p in "$@"; do
    kids=$(pgrep -P "$p" || true)
    # shellcheck disable=SC2086 # a list of pids
    [ -n "$kids" ] && t=$((t + $(cpu_ticks $kids)))
    # utime and stime are fields 14 and 15, counted after the ")" that ends
    # the command name, which may hold spaces
    t=$((t + $(cat /proc/"$p"/task/*/stat 2>/dev/null |
      awk '{sub(/.*\) /, ""); s += $12 + $13} END {print s + 0}')))
  done
  echo "$t"
}

# busy_ticks: CLK_TCK ticks the machine's CPUs have spent out of idle
# (user, nice, system, irq, softirq, steal) since boot. Over a run, minus
# what the server and the client used (cpu_ticks), it is what everything
# else took: the share that makes a figure untrustworthy.
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
