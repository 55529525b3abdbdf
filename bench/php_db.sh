#!/usr/bin/env bash
# One Redis GET and one MySQL primary-key SELECT per request (the handler of
# bench/php_db_app.php) on eddy against nginx + php-fpm:
#   eddy:    bench/php_db_eddy.php, Swoole\Http\Server, BASE mode, 1 worker,
#            hook_flags SWOOLE_HOOK_ALL, a pool of POOL PDO + POOL Redis
#            connections opened at worker start;
#   php-fpm: bench/php_db_fpm.php under php8.2-fpm (pm = static,
#            pm.max_children = 8, persistent PDO and phpredis pconnect)
#            behind nginx (1 worker, access_log off, fastcgi_pass to the
#            fpm unix socket).
# Both run the same php.ini (opcache on, only the extensions they need; the
# system's conf.d, xdebug included, is not scanned). A throwaway MariaDB
# (bench.items, 1000 rows, INT primary key) and redis-server (keys
# item:1..1000) serve both; they are started here and stopped by PID at exit.
#
# CPUs: the stack under test on CPU 0 (the eddy process; nginx and every
# fpm child), wrk on CPU 1, MariaDB and Redis on DB_CPUS, the same for both
# stacks: by default CPUs 0 and 1, as an application and its database share
# one machine, so the databases get whatever CPU time the stack leaves.
# DB_CPUS=1 keeps CPU 0 for the stack alone; then CPU 1 (wrk and both
# databases) is what caps eddy's requests/s, not eddy.
#   wrk -t1 -c100 -d<secs>s --latency   RUNS times per stack, interleaved;
# medians printed, with each stack's CPU time per request (which, unlike
# requests/s, other load on the machine barely moves). Any non-2xx answer
# or socket error fails the run.
#
# Usage: bench/php_db.sh [swoole.so] [secs] [runs]
#   defaults: build/ext/modules/swoole.so (make ext), 10, 3; POOL=64, DB_CPUS=0,1
# Needs mariadb-server, redis-server, php8.2-mysql, php8.2-redis
# (scripts/deps.sh) and nginx, wrk, php8.2-opcache, php8.2-fpm
# (scripts/bench_deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SO=$(realpath "${1:-build/ext/modules/swoole.so}")
SECS=${2:-10}
RUNS=${3:-3}
POOL=${POOL:-64}
DB_CPUS=${DB_CPUS:-0,1}
for t in nginx wrk taskset curl php php-fpm8.2 mariadbd mariadb-install-db mariadb redis-server redis-cli; do
  command -v $t >/dev/null || { echo "php_db.sh: $t missing (scripts/deps.sh, scripts/bench_deps.sh)" >&2; exit 1; }
done
[ -f "$SO" ] || { echo "php_db.sh: $SO not found (make ext)" >&2; exit 1; }

TMP=$(mktemp -d)
chmod 755 "$TMP" # nginx's worker (nobody) reaches the fpm socket through here
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # what command...: retries for up to 60 s
  local what=$1; shift
  for _ in $(seq 600); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "php_db.sh: $what did not come up; logs in $TMP:" >&2
  tail -n 20 "$TMP"/*.log >&2 || true
  exit 1
}

# CPU ticks (user + system) of the given processes, their threads and all
# their descendants: what a stack spent, whatever else shares the machine.
cpu_ticks() {
  local p t=0 kids
  for p in "$@"; do
    kids=$(pgrep -P "$p" || true)
    # shellcheck disable=SC2086 # a list of pids
    [ -n "$kids" ] && t=$((t + $(cpu_ticks $kids)))
    t=$((t + $(cat /proc/"$p"/task/*/stat 2>/dev/null | awk '{s += $14 + $15} END {print s + 0}')))
  done
  echo "$t"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# p99 from wrk --latency ("99%  1.23ms") in ms.
wrk_p99() {
  awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'
}

# ---- the databases, on CPU 1 -------------------------------------------------
USER_NAME=$(id -un)
MY_PORT=$(free_port)
mariadb-install-db --no-defaults --datadir="$TMP/mysql" --user="$USER_NAME" \
  --auth-root-authentication-method=normal --skip-test-db >"$TMP/mariadb-install.log" 2>&1
taskset -c "$DB_CPUS" mariadbd --no-defaults --datadir="$TMP/mysql" --socket="$TMP/mysql.sock" \
  --port="$MY_PORT" --bind-address=127.0.0.1 --user="$USER_NAME" --skip-grant-tables \
  --skip-log-bin --innodb-buffer-pool-size=64M --pid-file="$TMP/mysql.pid" \
  --max-connections=500 >"$TMP/mariadb.log" 2>&1 & pids+=($!)
MYSQL=(mariadb --no-defaults -h127.0.0.1 -P"$MY_PORT" -uroot)
wait_for MariaDB "${MYSQL[@]}" -e 'SELECT 1'
"${MYSQL[@]}" -e "CREATE DATABASE bench;
  USE bench; -- the sequence engine wants a current database
  CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL);
  INSERT INTO items SELECT seq, CONCAT('item-', seq) FROM seq_1_to_1000;"

RS_PORT=$(free_port)
taskset -c "$DB_CPUS" redis-server --port "$RS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --daemonize no --maxclients 1000 >"$TMP/redis.log" 2>&1 & pids+=($!)
wait_for redis-server redis-cli -p "$RS_PORT" ping
# shellcheck disable=SC2046 # one argument per word
redis-cli -p "$RS_PORT" MSET $(for i in $(seq 1000); do echo "item:$i tag-$i"; done) >/dev/null

# ---- the php.ini both stacks run -----------------------------------------------
EXT_DIR=$(php -n -r 'echo ini_get("extension_dir");')
cat >"$TMP/php.ini" <<INI
extension_dir = $EXT_DIR
zend_extension = opcache.so
opcache.enable = 1
opcache.enable_cli = 1
extension = mysqlnd.so
extension = pdo.so
extension = pdo_mysql.so
extension = igbinary.so
extension = redis.so
display_errors = stderr
INI
# PHP_INI_SCAN_DIR= keeps the system's conf.d (xdebug, ...) out
PHP=(env PHP_INI_SCAN_DIR='' php -c "$TMP/php.ini" -d "extension=$SO")
"${PHP[@]}" -r 'exit(opcache_get_status() !== false && extension_loaded("swoole") ? 0 : 1);' ||
  { echo "php_db.sh: opcache or swoole.so does not load (php8.2-opcache, make ext)" >&2; exit 1; }

DSN="mysql:host=127.0.0.1;port=$MY_PORT"

# ---- eddy ----------------------------------------------------------------------
EDDY_PORT=$(free_port)
taskset -c 0 "${PHP[@]}" bench/php_db_eddy.php "$EDDY_PORT" "$DSN" "127.0.0.1:$RS_PORT" "$POOL" \
  >"$TMP/eddy.log" 2>&1 & pids+=($!)
EDDY_PID=$!
wait_for eddy grep -q READY "$TMP/eddy.log"

# ---- nginx + php-fpm -------------------------------------------------------------
cat >"$TMP/fpm.conf" <<CONF
[global]
pid = $TMP/fpm.pid
error_log = $TMP/fpm.log
daemonize = no
[bench]
user = $USER_NAME
listen = $TMP/fpm.sock
listen.mode = 0666
listen.backlog = 4096
pm = static
pm.max_children = 8
clear_env = yes
env[PHP_DB_MYSQL] = "$DSN"
env[PHP_DB_REDIS] = 127.0.0.1:$RS_PORT
CONF
root_flag=(); [ "$(id -u)" -eq 0 ] && root_flag=(-R) # the pool runs as the caller, root in CI
PHP_INI_SCAN_DIR='' taskset -c 0 php-fpm8.2 "${root_flag[@]}" -F -c "$TMP/php.ini" -y "$TMP/fpm.conf" \
  >"$TMP/fpm-stdout.log" 2>&1 & pids+=($!)
FPM_PID=$!
wait_for php-fpm test -S "$TMP/fpm.sock"

NGINX_PORT=$(free_port)
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      fastcgi_param SCRIPT_FILENAME $ROOT/bench/php_db_fpm.php;
      fastcgi_param REQUEST_METHOD \$request_method;
      fastcgi_param QUERY_STRING \$query_string;
      fastcgi_param REQUEST_URI \$request_uri;
      fastcgi_param SERVER_PROTOCOL \$server_protocol;
      fastcgi_pass unix:$TMP/fpm.sock;
    }
  }
}
CONF
taskset -c 0 nginx -p "$TMP/nginx" -c "$TMP/nginx.conf" >"$TMP/nginx.log" 2>&1 & pids+=($!)
NGINX_PID=$!

# ---- the load ----------------------------------------------------------------------
check_answer() { # name port: one answer must be the handler's JSON
  local body
  body=$(curl -sf "http://127.0.0.1:$2/") ||
    { echo "php_db.sh: $1 does not answer 200; logs in $TMP:" >&2; tail -n 20 "$TMP"/*.log >&2; exit 1; }
  echo "$body" | grep -Eq '^\{"id":[0-9]+,"name":"item-[0-9]+","tag":"tag-[0-9]+"\}$' ||
    { echo "php_db.sh: $1 answered '$body'" >&2; exit 1; }
}
wait_for nginx curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/"
check_answer eddy "$EDDY_PORT"
check_answer php-fpm "$NGINX_PORT"

DB_PIDS=("${pids[0]}" "${pids[1]}") # mariadbd, redis-server
declare -A STACK_PIDS=([eddy]="$EDDY_PID" [php-fpm]="$FPM_PID $NGINX_PID")
TCK=$(getconf CLK_TCK)
run_wrk() { # name port secs: appends req/s, p99 and CPU per request unless it is a warm-up (secs < SECS)
  local name=$1 port=$2 secs=$3 out srv0 db0 srv1 db1 n
  # shellcheck disable=SC2086 # a list of pids
  srv0=$(cpu_ticks ${STACK_PIDS[$name]}); db0=$(cpu_ticks "${DB_PIDS[@]}")
  out=$(taskset -c 1 wrk -t1 -c100 -d"${secs}s" --latency "http://127.0.0.1:$port/")
  # shellcheck disable=SC2086
  srv1=$(cpu_ticks ${STACK_PIDS[$name]}); db1=$(cpu_ticks "${DB_PIDS[@]}")
  if echo "$out" | grep -Eq "Non-2xx|Socket errors"; then
    echo "php_db.sh: $name: errors under load:" >&2; echo "$out" >&2; exit 1
  fi
  [ "$secs" -lt "$SECS" ] && return 0
  echo "$out" | awk '/Requests\/sec/ {print $2}' >>"$TMP/$name.rps"
  echo "$out" | wrk_p99 >>"$TMP/$name.p99"
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  awk -v d=$((srv1 - srv0)) -v n="$n" -v t="$TCK" 'BEGIN {print d * 1e6 / t / n}' >>"$TMP/$name.cpu"
  awk -v d=$((db1 - db0)) -v n="$n" -v t="$TCK" 'BEGIN {print d * 1e6 / t / n}' >>"$TMP/$name.dbcpu"
}

echo "wrk -t1 -c100 -d${SECS}s --latency; medians of $RUNS, interleaved; servers on CPU 0, wrk on CPU 1, MariaDB and Redis on CPUs $DB_CPUS"
run_wrk eddy "$EDDY_PORT" 2    # warm-up: opcache, the pool, fpm's persistent connections
run_wrk php-fpm "$NGINX_PORT" 2
for i in $(seq "$RUNS"); do
  run_wrk eddy "$EDDY_PORT" "$SECS"
  run_wrk php-fpm "$NGINX_PORT" "$SECS"
done
# nothing may have gone wrong quietly either
if grep -Eiv '^READY|INFO\]|^$' "$TMP/eddy.log" | grep -q .; then
  echo "php_db.sh: the eddy server logged:" >&2; cat "$TMP/eddy.log" >&2; exit 1
fi
if grep -Eq 'WARNING|ERROR|PHP ' "$TMP/fpm.log"; then
  echo "php_db.sh: php-fpm logged:" >&2; cat "$TMP/fpm.log" >&2; exit 1
fi

# CPU per request: the stack's own processes (eddy: its master, manager and
# worker; php-fpm: nginx and fpm, masters included) and, apart, MariaDB +
# Redis serving that stack's queries. Unlike req/s these do not move when
# something else shares the machine.
for name in eddy php-fpm; do
  printf '%-8s %8.0f req/s  p99 %7.2f ms  server CPU %6.1f us/req  MariaDB+Redis CPU %6.1f us/req  (req/s runs: %s)\n' \
    "$name" "$(median <"$TMP/$name.rps")" "$(median <"$TMP/$name.p99")" "$(median <"$TMP/$name.cpu")" \
    "$(median <"$TMP/$name.dbcpu")" "$(tr '\n' ' ' <"$TMP/$name.rps")"
done
awk -v e="$(median <"$TMP/eddy.rps")" -v f="$(median <"$TMP/php-fpm.rps")" \
    -v ec="$(median <"$TMP/eddy.cpu")" -v fc="$(median <"$TMP/php-fpm.cpu")" \
  'BEGIN {printf "eddy/php-fpm %.2fx req/s (target >= 5x); %.2fx less server CPU per request\n", e/f, fc/ec}'
