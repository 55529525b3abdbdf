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
