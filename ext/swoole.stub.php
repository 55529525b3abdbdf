<?php

/**
 * Global functions of the swoole module (ext/swoole.c, ext/swoole_error.c).
 * Signatures follow Swoole 5.1; scripts/gen_stubs.sh turns this file into
 * swoole_arginfo.h.
 *
 * @generate-function-entries
 */

/** The Swoole API level eddy implements (SWOOLE_VERSION). */
function swoole_version(): string {}

/** Number of online CPUs. */
function swoole_cpu_num(): int {}

/** The Swoole error code (or errno) of the last failed operation; 0 if none. */
function swoole_last_error(): int {}

/** The C errno of the process. */
function swoole_errno(): int {}

/** Message for $errno; $error_type is one of the SWOOLE_STRERROR_* constants. */
function swoole_strerror(int $errno, int $error_type = SWOOLE_STRERROR_SYSTEM): string {}

/** Resets swoole_last_error() to 0. */
function swoole_clear_error(): void {}

/** Sets the process title shown by ps (cli SAPI only). */
function swoole_set_process_name(string $process_name): bool {}
