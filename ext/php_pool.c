/* Thread-pool calls from a PHP coroutine: see php_pool.h. */
#include <string.h>

#include "php_pool.h"

static void pool_work(eddy_work_t *w) {
    php_pool_req_t *r = (php_pool_req_t *) w;
    r->run(r);
}

/* On the loop thread once run has returned. */
static void pool_done(eddy_work_t *w) {
    php_pool_req_t *r = (php_pool_req_t *) w;
    eddy_wait_t *waiter = r->waiter;

    if (!waiter) {
        r->release(r); /* the coroutine left: the request is ours to free */
        return;
    }
    r->waiter = NULL;
    eddy_coro_wake(waiter, 0); /* the coroutine reads and frees r */
}

static void pool_abort(eddy_wait_t *w) {
    php_pool_req_t *r = w->data;
    r->waiter = NULL; /* pool_done frees it */
}

int php_pool_call(php_pool_req_t *r) {
    eddy_wait_t w;
    int rc;

    memset(&w, 0, sizeof(w));
    w.data = r;
    r->waiter = &w;
    eddy_work_submit(eddy_loop_default(), &r->work, pool_work, pool_done);
    rc = eddy_coro_wait(&w, EDDY_WAIT_FOREVER, pool_abort);
    if (rc != 0) {
        r->waiter = NULL;
    }
    return rc;
}
