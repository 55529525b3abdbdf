#!/usr/bin/env bash
# Builds the PHP extension out of tree: build/ext/modules/swoole.so.
#   scripts/build_ext.sh [BUILD_DIR] [configure flags...]
#
# BUILD_DIR (default build/ext) gets symlinks to every file of ext/, so
# phpize's output stays out of the source tree and edits to ext/ need no
# copy. ext/config.m4 finds the engine through its own symlink and globs
# src/ at configure time, so configure re-runs whenever the set of engine or
# ext files (or config.m4, or the flags) changes; otherwise only make runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${1:-build/ext}
shift || true
FLAGS=("$@")
JOBS=${JOBS:-$(nproc)}

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
# Links for ext/'s sources (not for what an in-place phpize may have left
# in ext/); drop links whose target is gone (file renamed).
find "$OUT" -maxdepth 1 -type l ! -exec test -e {} \; -delete
for f in "$ROOT"/ext/config.m4 "$ROOT"/ext/*.stub.php "$ROOT"/ext/*.c "$ROOT"/ext/*.h; do
  case $(basename "$f") in config.h) continue ;; esac
  [ -f "$f" ] && ln -sfn "$f" "$OUT/$(basename "$f")"
done

# What configure baked in: the file lists it globbed, config.m4 and the flags.
stamp=$( { cd "$ROOT" && find src ext -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | LC_ALL=C sort
           cat ext/config.m4; echo "${FLAGS[*]:-}"; } | sha1sum | cut -d' ' -f1)
cd "$OUT"
if [ ! -f Makefile ] || [ "$(cat .eddy-configured 2>/dev/null)" != "$stamp" ]; then
  rm -f .eddy-configured
  # A reconfigure rebuilds everything: dependency files may name headers
  # that are gone (make would stop: "No rule to make target"), and without
  # them make could not tell which objects a changed header affects.
  find . \( -name '*.dep' -o -name '*.lo' -o -name '*.o' \) -delete
  phpize >phpize.log 2>&1 || { cat phpize.log >&2; exit 1; }
  ./configure "${FLAGS[@]}" >configure.log 2>&1 || { tail -n 30 configure.log >&2; exit 1; }
  echo "$stamp" >.eddy-configured
fi
# phpize's Makefile regenerates *_arginfo.h when a stub is newer, with the
# build/gen_stub.php it copied here, which downloads nikic/php-parser when
# its directory is missing. Give it Debian's (php-parser), as gen_stubs.sh does.
ver=$(sed -n 's/^ *\$version = "\([0-9.]*\)";/\1/p' build/gen_stub.php | head -n1)
if [ -n "$ver" ] && [ -d /usr/share/php/PhpParser ]; then
  mkdir -p "build/PHP-Parser-$ver/lib"
  ln -sfn /usr/share/php/PhpParser "build/PHP-Parser-$ver/lib/PhpParser"
fi
make -j "$JOBS" >make.log 2>&1 || { grep -E -A3 "error:|\*\*\*" make.log | head -n 60 >&2; exit 1; }
# A shared object links with undefined symbols (PHP's own are resolved at
# load time), so a missing function only shows when PHP loads it: try.
if ! err=$(php -n -d "extension=$OUT/modules/swoole.so" -r 'exit(extension_loaded("swoole") ? 0 : 1);' 2>&1) \
   || [ -n "$err" ]; then
  echo "build_ext: modules/swoole.so does not load: $err" >&2
  exit 1
fi
