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
# The databases are set up as on a host that runs the application too, the
# same for both stacks:
#   DB_NET=unix (default): both stacks reach MariaDB and Redis over their
#     unix sockets, which skip loopback TCP's send/receive path; DB_NET=tcp:
#     127.0.0.1 ports instead. Measured (CPU per request, unix vs tcp):
#     eddy worker 27.0 vs 29.7 us, php-fpm + nginx 197 vs 226 us, MariaDB
#     and Redis 5-20% less for both stacks.
#   MARIADB_THREADS=pool-of-threads (default): MariaDB's thread pool, a few
#     threads serving every connection, instead of a thread per connection
#     (one-thread-per-connection, MariaDB's default), which wakes one of 64
#     (eddy's pool) or 8 (fpm's children) threads per query. Measured:
#     MariaDB's CPU per request 52 -> 22 us under eddy's 64 connections,
#     104 -> 94 us under fpm's 8; the eddy worker's own 40 -> 27 us (fewer
#     database threads preempting it on the CPU they share).
#   QUERY_CACHE=0 (default): MariaDB's query cache off, as MariaDB ships it;
#     QUERY_CACHE=1 turns it on (16 MB), which answers the repeated SELECTs
#     without running them: MariaDB's CPU per request 22 -> 10 us (eddy),
#     94 -> 51 us (fpm), which helps php-fpm's requests/s more than eddy's.
#     Off by default: the figure should include a query that runs.
#   Stated, no effect on the figures: performance_schema is off (MariaDB's
#   default, passed explicitly), skip-name-resolve (only connects resolve
#   names, and both stacks keep their connections), no binary log, no
#   Redis persistence (save '', appendonly no).
#
# CPUs: the stack under test on CPU 0 (the eddy process; nginx and every
# fpm child), wrk on CPU 1, MariaDB and Redis on DB_CPUS, the same for both
# stacks: by default CPUs 0 and 1, as an application and its database share
# one machine, so the databases get whatever CPU time the stack leaves.
# DB_CPUS=1 keeps CPU 0 for the stack alone; then CPU 1 (wrk and both
# databases) is what caps eddy's requests/s, not eddy.
#   wrk -t1 -c100 -d<secs>s --latency   RUNS times per stack, interleaved;
# medians printed, with each stack's CPU time per request and MariaDB's and
# Redis' (which, unlike requests/s, other load on the machine barely
# moves). Any non-2xx answer or socket error fails the run.
#
# A/B of two builds of the extension: SO_B=other/swoole.so adds a stack
# "eddy-b" (the same server on that build), run interleaved with the
# others; FPM=0 leaves php-fpm out (A/B runs that only compare eddy builds).
#
# Usage: bench/php_db.sh [swoole.so] [secs] [runs]
#   defaults: build/ext/modules/swoole.so (make ext), 10, 3; POOL=64,
#   DB_CPUS=0,1, DB_NET=unix, MARIADB_THREADS=pool-of-threads, QUERY_CACHE=0
# Needs mariadb-server, redis-server, php8.2-mysql, php8.2-redis
# (scripts/deps.sh) and nginx, wrk, php8.2-opcache, php8.2-fpm
# (scripts/bench_deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROOT=$PWD
SO=$(realpath "${1:-build/ext/modules/swoole.so}")
SECS=${2:-10}
RUNS=${3:-3}
POOL=${POOL:-64}
DB_CPUS=${DB_CPUS:-0,1}
DB_NET=${DB_NET:-unix}
MARIADB_THREADS=${MARIADB_THREADS:-pool-of-threads}
QUERY_CACHE=${QUERY_CACHE:-0}
SO_B=${SO_B:+$(realpath "$SO_B")}
FPM=${FPM:-1}
bench_init php_db.sh
need_tools nginx wrk taskset curl php php-fpm8.2 mariadbd mariadb-install-db mariadb redis-server redis-cli
for so in "$SO" ${SO_B:+"$SO_B"}; do
  [ -f "$so" ] || { echo "php_db.sh: $so not found (make ext)" >&2; exit 1; }
done
case $DB_NET in unix | tcp) ;; *) echo "php_db.sh: DB_NET is unix or tcp" >&2; exit 1 ;; esac
chmod 755 "$TMP" # nginx's worker (nobody) reaches the fpm socket through here
# MariaDB must be down before bench_cleanup removes its data directory:
# every server is sent SIGTERM and waited for (30 s each at most).
db_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 300); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  done
  bench_cleanup
}
trap db_cleanup EXIT

# ---- the databases -------------------------------------------------------------
USER_NAME=$(id -un)
MY_PORT=$(free_port)
MY_SOCK=$TMP/mysql.sock
case $QUERY_CACHE in 1) qc=(--query-cache-type=1 --query-cache-size=16M) ;; *) qc=(--query-cache-type=0) ;; esac
mariadb-install-db --no-defaults --datadir="$TMP/mysql" --user="$USER_NAME" \
  --auth-root-authentication-method=normal --skip-test-db >"$TMP/mariadb-install.log" 2>&1
taskset -c "$DB_CPUS" mariadbd --no-defaults --datadir="$TMP/mysql" --socket="$MY_SOCK" \
  --port="$MY_PORT" --bind-address=127.0.0.1 --user="$USER_NAME" --skip-grant-tables \
  --skip-log-bin --innodb-buffer-pool-size=64M --pid-file="$TMP/mysql.pid" \
  --max-connections=500 --performance-schema=OFF --skip-name-resolve \
  --thread-handling="$MARIADB_THREADS" "${qc[@]}" >"$TMP/mariadb.log" 2>&1 & pids+=($!)
MYSQL=(mariadb --no-defaults -h127.0.0.1 -P"$MY_PORT" -uroot)
wait_for MariaDB "${MYSQL[@]}" -e 'SELECT 1'
"${MYSQL[@]}" -e "CREATE DATABASE bench;
  USE bench; -- the sequence engine wants a current database
  CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL);
  INSERT INTO items SELECT seq, CONCAT('item-', seq) FROM seq_1_to_1000;"

RS_PORT=$(free_port)
RS_SOCK=$TMP/redis.sock
taskset -c "$DB_CPUS" redis-server --port "$RS_PORT" --bind 127.0.0.1 --unixsocket "$RS_SOCK" \
  --unixsocketperm 700 --save '' --appendonly no --daemonize no --maxclients 1000 \
  >"$TMP/redis.log" 2>&1 & pids+=($!)
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
php_with() { echo env PHP_INI_SCAN_DIR= php -c "$TMP/php.ini" -d "extension=$1"; }
for so in "$SO" ${SO_B:+"$SO_B"}; do
  $(php_with "$so") -r 'exit(opcache_get_status() !== false && extension_loaded("swoole") ? 0 : 1);' ||
    { echo "php_db.sh: opcache or $so does not load (php8.2-opcache, make ext)" >&2; exit 1; }
done

# Where both stacks find the databases: a PDO DSN and phpredis' address.
if [ "$DB_NET" = unix ]; then
  DSN="mysql:unix_socket=$MY_SOCK"
  REDIS_ADDR=$RS_SOCK
else
  DSN="mysql:host=127.0.0.1;port=$MY_PORT"
  REDIS_ADDR=127.0.0.1:$RS_PORT
fi

# ---- eddy (and eddy-b) -----------------------------------------------------------
declare -A STACK_PIDS STACK_PORTS
start_eddy() { # name swoole.so
  local port
  port=$(free_port)
  # shellcheck disable=SC2046 # the php command line, word by word
  taskset -c 0 $(php_with "$2") bench/php_db_eddy.php "$port" "$DSN" "$REDIS_ADDR" "$POOL" \
    >"$TMP/$1.log" 2>&1 & pids+=($!)
  STACK_PIDS[$1]=$!
  STACK_PORTS[$1]=$port
  wait_for "$1" grep -q READY "$TMP/$1.log"
}
STACKS=(eddy)
start_eddy eddy "$SO"
if [ -n "$SO_B" ]; then
  STACKS+=(eddy-b)
  start_eddy eddy-b "$SO_B"
fi

# ---- nginx + php-fpm -------------------------------------------------------------
start_fpm() {
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
env[PHP_DB_REDIS] = $REDIS_ADDR
CONF
  local root_flag=(); [ "$(id -u)" -eq 0 ] && root_flag=(-R) # the pool runs as the caller, root in CI
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
  STACK_PIDS[php-fpm]="$FPM_PID $NGINX_PID"
  STACK_PORTS[php-fpm]=$NGINX_PORT
  STACKS+=(php-fpm)
}
[ "$FPM" = 1 ] && start_fpm

# ---- the load ----------------------------------------------------------------------
check_answer() { # name port: one answer must be the handler's JSON
  local body
  body=$(curl -sf "http://127.0.0.1:$2/") ||
    { echo "php_db.sh: $1 does not answer 200; logs in $TMP:" >&2; tail -n 20 "$TMP"/*.log >&2; exit 1; }
  echo "$body" | grep -Eq '^\{"id":[0-9]+,"name":"item-[0-9]+","tag":"tag-[0-9]+"\}$' ||
    { echo "php_db.sh: $1 answered '$body'" >&2; exit 1; }
}
[ "$FPM" = 1 ] && wait_for nginx curl -sf -o /dev/null "http://127.0.0.1:${STACK_PORTS[php-fpm]}/"
for name in "${STACKS[@]}"; do check_answer "$name" "${STACK_PORTS[$name]}"; done

MARIADB_PID=${pids[0]}
REDIS_PID=${pids[1]}
TCK=$(getconf CLK_TCK)
per_req() { # ticks requests: microseconds of CPU per request
  awk -v d="$1" -v n="$2" -v t="$TCK" 'BEGIN {print d * 1e6 / t / n}'
}
run_wrk() { # name secs: appends req/s, p99 and CPU per request unless it is a warm-up (secs < SECS)
  local name=$1 secs=$2 out srv0 my0 rs0 srv1 my1 rs1 n
  # shellcheck disable=SC2086 # a list of pids
  srv0=$(cpu_ticks ${STACK_PIDS[$name]}); my0=$(cpu_ticks "$MARIADB_PID"); rs0=$(cpu_ticks "$REDIS_PID")
  out=$(taskset -c 1 wrk -t1 -c100 -d"${secs}s" --latency "http://127.0.0.1:${STACK_PORTS[$name]}/")
  # shellcheck disable=SC2086
  srv1=$(cpu_ticks ${STACK_PIDS[$name]}); my1=$(cpu_ticks "$MARIADB_PID"); rs1=$(cpu_ticks "$REDIS_PID")
  if echo "$out" | grep -Eq "Non-2xx|Socket errors"; then
    echo "php_db.sh: $name: errors under load:" >&2; echo "$out" >&2; exit 1
  fi
  [ "$secs" -lt "$SECS" ] && return 0
  echo "$out" | awk '/Requests\/sec/ {print $2}' >>"$TMP/$name.rps"
  echo "$out" | wrk_p99 >>"$TMP/$name.p99"
  cut -d' ' -f1 /proc/loadavg >>"$TMP/$name.load"
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  per_req $((srv1 - srv0)) "$n" >>"$TMP/$name.cpu"
  per_req $((my1 - my0)) "$n" >>"$TMP/$name.mycpu"
  per_req $((rs1 - rs0)) "$n" >>"$TMP/$name.rscpu"
}

echo "wrk -t1 -c100 -d${SECS}s --latency; medians of $RUNS, interleaved; servers on CPU 0, wrk on CPU 1," \
  "MariaDB and Redis on CPUs $DB_CPUS over $DB_NET sockets; MariaDB $MARIADB_THREADS, query cache $QUERY_CACHE"
for name in "${STACKS[@]}"; do
  run_wrk "$name" 2 # warm-up: opcache, the pool, fpm's persistent connections
done
for i in $(seq "$RUNS"); do
  for name in "${STACKS[@]}"; do run_wrk "$name" "$SECS"; done
done
# nothing may have gone wrong quietly either
for name in "${STACKS[@]}"; do
  [ "$name" = php-fpm ] && continue
  if grep -Eiv '^READY|INFO\]|^$' "$TMP/$name.log" | grep -q .; then
    echo "php_db.sh: the $name server logged:" >&2; cat "$TMP/$name.log" >&2; exit 1
  fi
done
if [ "$FPM" = 1 ] && grep -Eq 'WARNING|ERROR|PHP ' "$TMP/fpm.log"; then
  echo "php_db.sh: php-fpm logged:" >&2; cat "$TMP/fpm.log" >&2; exit 1
fi

# CPU per request: the stack's own processes (eddy: its master, manager and
# worker; php-fpm: nginx and fpm, masters included) and, apart, MariaDB and
# Redis serving that stack's queries. Unlike req/s these do not move when
# something else shares the machine; the load average (1 min, after each
# run) tells how much else did.
for name in "${STACKS[@]}"; do
  printf '%-8s %7.0f req/s  p99 %6.2f ms  server CPU %6.1f us/req  MariaDB %5.1f  Redis %5.1f us/req  (runs: %s; load avg %s)\n' \
    "$name" "$(median <"$TMP/$name.rps")" "$(median <"$TMP/$name.p99")" "$(median <"$TMP/$name.cpu")" \
    "$(median <"$TMP/$name.mycpu")" "$(median <"$TMP/$name.rscpu")" \
    "$(tr '\n' ' ' <"$TMP/$name.rps" | sed 's/ $//')" "$(tr '\n' ' ' <"$TMP/$name.load" | sed 's/ $//')"
done
ratio() { # a b label
  awk -v a="$(median <"$TMP/$1.rps")" -v b="$(median <"$TMP/$2.rps")" \
      -v ac="$(median <"$TMP/$1.cpu")" -v bc="$(median <"$TMP/$2.cpu")" -v l="$3" \
    'BEGIN {printf "%s/%s %.2fx req/s%s; %.2fx less server CPU per request\n", ARGV[1], ARGV[2], a/b, l, bc/ac}' "$1" "$2"
}
[ -n "$SO_B" ] && ratio eddy-b eddy ""
[ "$FPM" = 1 ] && ratio eddy php-fpm " (target >= 5x)"
exit 0
