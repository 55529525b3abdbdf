dnl eddy's PHP extension, loaded as "swoole".
dnl
dnl The extension compiles the whole engine (src/base, src/loop, src/coro,
dnl src/net and the context-switch assembly) into swoole.so. Engine files are
dnl added over time, so they are globbed here at configure time, never listed.
dnl
dnl phpize's build rules put an object next to its source path (relative to
dnl the build directory), so "../src/x.c" would drop objects into the engine
dnl tree. Instead configure mirrors the engine's src/ as a tree of symlinks in
dnl eddy-src/ inside the build directory: objects land there, and a source's
dnl own-directory #includes still resolve because headers are mirrored too.

PHP_ARG_ENABLE([swoole],
  [whether to enable eddy (the swoole extension)],
  [AS_HELP_STRING([--enable-swoole], [Enable eddy, the Swoole-compatible engine])],
  [yes])

PHP_ARG_WITH([eddy-root],
  [for an explicit eddy source tree],
  [AS_HELP_STRING([--with-eddy-root=DIR],
    [eddy checkout holding src/ and include/ (default: the directory above
     the real location of this config.m4)])],
  [no], [no])

PHP_ARG_ENABLE([eddy-werror],
  [whether to build with -Werror],
  [AS_HELP_STRING([--enable-eddy-werror], [Treat compiler warnings as errors (make test)])],
  [no], [no])

if test "$PHP_SWOOLE" != "no"; then
  dnl ---- find the engine ----------------------------------------------------
  AC_MSG_CHECKING([where the eddy sources are])
  if test "$PHP_EDDY_ROOT" != "no"; then
    EDDY_ROOT=$PHP_EDDY_ROOT
  else
    dnl config.m4 may be a symlink (make ext links ext/ into build/ext).
    eddy_m4=`readlink -f "$abs_srcdir/config.m4"`
    EDDY_ROOT=`dirname "$eddy_m4"`/..
  fi
  EDDY_ROOT=`cd "$EDDY_ROOT" 2>/dev/null && pwd`
  if test -z "$EDDY_ROOT" || test ! -f "$EDDY_ROOT/include/eddy/base.h"; then
    AC_MSG_ERROR([eddy sources not found; pass --with-eddy-root=DIR])
  fi
  AC_MSG_RESULT([$EDDY_ROOT])

  dnl ---- mirror src/ as symlinks (see the top of this file) ---------------
  EDDY_MIRROR=eddy-src
  rm -rf "$abs_srcdir/$EDDY_MIRROR"
  for eddy_f in `cd "$EDDY_ROOT/src" && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.S' \) | LC_ALL=C sort`; do
    eddy_d=`dirname "$eddy_f"`
    mkdir -p "$abs_srcdir/$EDDY_MIRROR/$eddy_d"
    ln -s "$EDDY_ROOT/src/$eddy_f" "$abs_srcdir/$EDDY_MIRROR/$eddy_f"
  done

  dnl ---- engine sources: every module's .c, plus the arch's switch ---------
  EDDY_SOURCES=
  for eddy_mod in base loop coro net server http; do
    for eddy_f in `cd "$abs_srcdir" && ls $EDDY_MIRROR/$eddy_mod/*.c 2>/dev/null | LC_ALL=C sort`; do
      EDDY_SOURCES="$EDDY_SOURCES $eddy_f"
    done
  done

  AC_MSG_CHECKING([for the coroutine context switch])
  eddy_cpu=${host_cpu:-`uname -m`}
  case $eddy_cpu in
    x86_64|amd64) eddy_arch=x86_64 ;;
    aarch64|arm64) eddy_arch=aarch64 ;;
    *) eddy_arch= ;;
  esac
  if test -n "$eddy_arch" && test -f "$abs_srcdir/$EDDY_MIRROR/coro/arch/switch_$eddy_arch.S"; then
    EDDY_SOURCES="$EDDY_SOURCES $EDDY_MIRROR/coro/arch/switch_$eddy_arch.S"
    EDDY_CONTEXT_DEF="-DEDDY_CONTEXT_ASM=1"
    AC_MSG_RESULT([assembly ($eddy_arch)])
  else
    EDDY_CONTEXT_DEF="-DEDDY_CONTEXT_UCONTEXT=1"
    AC_MSG_RESULT([ucontext])
  fi

  dnl ---- the extension's own files: every ext/*.c --------------------------
  EXT_SOURCES=
  for eddy_f in `cd "$abs_srcdir" && ls *.c | LC_ALL=C sort`; do
    EXT_SOURCES="$EXT_SOURCES $eddy_f"
  done

  dnl -fvisibility=hidden: only get_module is exported from swoole.so, so
  dnl engine symbols never clash with another extension's.
  eddy_common="-std=gnu11 -fno-strict-aliasing -fvisibility=hidden -Wall -Wextra"
  if test "$PHP_EDDY_WERROR" != "no"; then
    eddy_common="$eddy_common -Werror"
  fi
  dnl The ext's files: PHP_FUNCTION() declares parameters every function
  dnl gets, used or not.
  EXT_CFLAGS="$eddy_common -Wno-unused-parameter"
  dnl The engine compiles as under CMake: phpize puts -D_GNU_SOURCE on every
  dnl command line, which the engine does not expect (its files define
  dnl _GNU_SOURCE themselves where they need it), so it is undone here.
  ENGINE_CFLAGS="$eddy_common -U_GNU_SOURCE $EDDY_CONTEXT_DEF"

  PHP_ADD_INCLUDE([$EDDY_ROOT/include])
  PHP_ADD_INCLUDE([$EDDY_ROOT/src])
  PHP_ADD_LIBRARY([pthread], 1, SWOOLE_SHARED_LIBADD)
  dnl zlib: WebSocket permessage-deflate.
  PHP_ADD_LIBRARY([z], 1, SWOOLE_SHARED_LIBADD)
  dnl brotli: HTTP response compression (Content-Encoding: br).
  PHP_ADD_LIBRARY([brotlienc], 1, SWOOLE_SHARED_LIBADD)
  dnl brotli decoder: the HTTP client decodes Content-Encoding: br.
  PHP_ADD_LIBRARY([brotlidec], 1, SWOOLE_SHARED_LIBADD)
  dnl libcurl: the curl hook drives the curl extension's handles
  dnl (ext/php_hook_curl.c); the same libcurl.so.4 php8.2-curl uses.
  PHP_ADD_LIBRARY([curl], 1, SWOOLE_SHARED_LIBADD)
  dnl OpenSSL: TLS on coroutine sockets (src/net/tls*.c), the SSL/TLS hooks
  dnl and the clients' SSL; the same libssl.so.3 PHP's openssl extension uses.
  PHP_ADD_LIBRARY([ssl], 1, SWOOLE_SHARED_LIBADD)
  PHP_ADD_LIBRARY([crypto], 1, SWOOLE_SHARED_LIBADD)
  PHP_SUBST(SWOOLE_SHARED_LIBADD)

  PHP_NEW_EXTENSION([swoole], [$EXT_SOURCES], [$ext_shared], , [$EXT_CFLAGS])
  dnl Engine objects join the module's object list with their own flags.
  if test "$ext_shared" = "yes"; then
    PHP_ADD_SOURCES_X(PHP_EXT_DIR(swoole), [$EDDY_SOURCES], [$ENGINE_CFLAGS], shared_objects_swoole, yes)
  else
    PHP_ADD_SOURCES(PHP_EXT_DIR(swoole), [$EDDY_SOURCES], [$ENGINE_CFLAGS])
  fi
  for eddy_d in `cd "$abs_srcdir" && find $EDDY_MIRROR -type d`; do
    PHP_ADD_BUILD_DIR([$eddy_d])
  done
fi
