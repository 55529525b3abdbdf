#!/usr/bin/env bash
# Installs the Debian packages eddy's build, tests and benchmarks need.
# Idempotent: packages already installed are skipped; runs apt-get update
# only when something is missing. Uses sudo when not root.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config
  libcriterion-dev
  # zlib: WebSocket permessage-deflate
  zlib1g-dev
  # brotli: HTTP response compression (Content-Encoding: br)
  libbrotli-dev
  clang
  # PHP extension: phpize/php-config/gen_stub.php/run-tests.php come with
  # php8.2-dev; gen_stub.php parses stubs with nikic/php-parser (php-parser),
  # which scripts/gen_stubs.sh points it at instead of letting it download.
  php8.2-cli php8.2-dev php-parser
  # tests/php/coroutine/xdebug.phpt: fiber observers followed across coroutines
  php8.2-xdebug
  # tests/c/test_ws_server.c: a real WebSocket client (tests/c/ws_client.py)
  # for echo, fragments, ping, close codes, permessage-deflate, broadcast
  python3-websockets
  # tests/php/runtime: the hooks under mysqlnd and phpredis, against a
  # MariaDB and a redis-server each test starts and stops itself
  php8.2-mysql php8.2-redis mariadb-server redis-server
  # tests/php/runtime/http_db.phpt: wrk drives the HTTP server over them
  wrk
  # the curl hook (ext/php_hook_curl.c) links libcurl; its tests load the
  # curl extension and drive Guzzle (Debian's package, no composer needed)
  libcurl4-openssl-dev php8.2-curl php-guzzlehttp-guzzle
  # curl(1): the HTTP server tests upload with `curl -F` (multipart/form-data)
  curl
  # TLS on coroutine sockets links OpenSSL; the TLS tests make their
  # self-signed certificates with the openssl CLI
  libssl-dev openssl
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
