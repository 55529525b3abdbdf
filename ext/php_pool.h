/*
 * One blocking call on the engine's thread pool while the calling PHP
 * coroutine waits: the shape Coroutine\System::readFile/writeFile
 * (php_system.c) and the FILE hook's read/write (php_hook_stdio.c) share.
 *
 * A request lives on the heap, never on the coroutine's stack: the
 * coroutine may be canceled while a pool thread still works on it, so
 * whichever side finishes last frees it (the rule of src/net/resolve.c).
 * Embed php_pool_req_t as the first member of the caller's request.
 */
#ifndef PHP_POOL_H
#define PHP_POOL_H

#include "eddy/coro.h"
#include "eddy/loop.h"

typedef struct php_pool_req_s php_pool_req_t;
struct php_pool_req_s {
    eddy_work_t work;                  /* first: the pool callbacks get &req->work */
    eddy_wait_t *waiter;               /* NULL once the coroutine has given up */
    void (*run)(php_pool_req_t *r);    /* on a pool thread: touches only the request */
    void (*release)(php_pool_req_t *r); /* frees the whole request */
};

/* Runs r->run on the pool while this coroutine waits (no timeout). 0: done,
 * r holds the result and is the caller's again (to release). Else (the
 * coroutine was canceled) r belongs to the pool, which calls r->release
 * once the thread is done: the caller must not touch r again. */
int php_pool_call(php_pool_req_t *r);

#endif /* PHP_POOL_H */
