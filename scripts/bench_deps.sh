#!/usr/bin/env bash
# Debian packages the benchmarks need beyond scripts/deps.sh: nginx (the
# reference server of bench/http.sh), wrk and ab (load generators);
# bench/php_http.sh also runs PHP with opcache and Go net/http;
# bench/php_db.sh compares against php8.2-fpm behind nginx.
set -euo pipefail
PKGS=(nginx-light wrk apache2-utils curl php8.2-opcache golang-go php8.2-fpm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
