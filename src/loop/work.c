/*
 * The work pool: POOL_SIZE threads, shared by every loop of the process,
 * started on first use. A pool thread runs w->work(w), then, under the pool
 * lock, pushes w on its loop's done list and writes the loop's eventfd
 * (wakefd); the loop wakes, takes the list and runs the done callbacks on
 * its own thread.
 *
 * `pool` below is the module's process-wide state, next to the per-thread
 * default loop of loop.c. Its lock also guards every loop's done_head and
 * work_inflight.
 *
 * fork: only the forking thread survives in the child, so the child must
 * not believe the pool is running. A pthread_atfork child handler resets
 * it; every work item queued or running at fork time is queued again in
 * the child and runs on a fresh pool, started by the next submit or run.
 * Each process's copy of a loop thus gets exactly one done callback per
 * submit; work that the parent's pool was in the middle of runs again.
 */
#include <pthread.h>
#include <signal.h>

#include "loop/internal.h"

#define POOL_SIZE 4

static struct {
    pthread_mutex_t lock;
    pthread_cond_t queued;    /* work was added to the queue */
    pthread_cond_t drained;   /* some loop's work_inflight reached 0 */
    eddy_work_t *head, *tail; /* submitted, not yet picked by a thread */
    eddy_work_t *running[POOL_SIZE];
    pthread_t tids[POOL_SIZE]; /* joinable, so shutdown can wait for them */
    int started;              /* threads alive in this process */
    int stopping;             /* eddy_work_pool_shutdown() in progress */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
          NULL, NULL, {NULL}, {0}, 0, 0};

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void enqueue(eddy_work_t *w, int front) {
    if (front) {
        w->next = pool.head;
        pool.head = w;
        if (!pool.tail) pool.tail = w;
        return;
    }
    w->next = NULL;
    if (pool.tail)
        pool.tail->next = w;
    else
        pool.head = w;
    pool.tail = w;
}

/* Pool lock held. The eventfd is written under the lock so that
 * eddy_loop_close(), which waits for work_inflight to drop under the same
 * lock, cannot close wakefd while a write to it is on its way. */
static void complete(eddy_work_t *w) {
    eddy_loop_t *loop = w->loop;
    uint64_t one = 1;
    w->next = loop->done_head;
    loop->done_head = w;
    (void)eddy__loop_write(loop->wakefd, &one, sizeof one); /* EAGAIN: counter full, still readable */
    if (--loop->work_inflight == 0) pthread_cond_broadcast(&pool.drained);
}

static void *worker(void *arg) {
    int slot = (int)(intptr_t)arg;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (!pool.head && !pool.stopping) pthread_cond_wait(&pool.queued, &pool.lock);
        if (pool.stopping) break;
        eddy_work_t *w = pool.head;
        pool.head = w->next;
        if (!pool.head) pool.tail = NULL;
        pool.running[slot] = w;
        pthread_mutex_unlock(&pool.lock);
        w->work(w);
        pthread_mutex_lock(&pool.lock);
        pool.running[slot] = NULL;
        complete(w);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

static void atfork_prepare(void) { pthread_mutex_lock(&pool.lock); }
static void atfork_parent(void) { pthread_mutex_unlock(&pool.lock); }

static void atfork_child(void) {
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.queued, NULL);
    pthread_cond_init(&pool.drained, NULL);
    for (int i = 0; i < POOL_SIZE; i++) {
        if (pool.running[i]) enqueue(pool.running[i], 1);
        pool.running[i] = NULL;
    }
    pool.started = 0;
}

static void register_atfork(void) { pthread_atfork(atfork_prepare, atfork_parent, atfork_child); }

/* Pool lock held. Threads start with every signal blocked, so process
 * signals go to the loops that watch them (signal.c), never to the pool. */
static void start_pool(void) {
    pthread_once(&atfork_once, register_atfork);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    for (int i = pool.started; i < POOL_SIZE; i++) {
        if (pthread_create(&pool.tids[i], NULL, worker, (void *)(intptr_t)i) != 0) {
            eddy_log_warn("work pool: only %d of %d threads started", pool.started, POOL_SIZE);
            break;
        }
        pool.started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void eddy_work_submit(eddy_loop_t *loop, eddy_work_t *w, eddy_work_fn work,
                      eddy_work_done_cb done) {
    w->work = work;
    w->done = done;
    w->loop = loop;
    loop->pending_work++;
    pthread_mutex_lock(&pool.lock);
    if (pool.started < POOL_SIZE) start_pool();
    loop->work_inflight++;
    if (pool.started == 0) {
        /* No thread at all: run it here rather than never; done still
         * comes later from the loop, as the contract says. */
        w->work(w);
        complete(w);
    } else {
        enqueue(w, 0);
        pthread_cond_signal(&pool.queued);
    }
    pthread_mutex_unlock(&pool.lock);
}

/* Threads finish the work they run (its done callback still comes from its
 * loop), then exit and are joined; queued work stays queued for the next
 * start. Needed by hosts that unload the engine's code: a pool thread
 * returning from getaddrinfo() into an unmapped library would crash. */
void eddy_work_pool_shutdown(void) {
    pthread_mutex_lock(&pool.lock);
    int n = pool.started;
    pool.stopping = 1;
    pthread_cond_broadcast(&pool.queued);
    pthread_mutex_unlock(&pool.lock);
    for (int i = 0; i < n; i++) pthread_join(pool.tids[i], NULL);
    pthread_mutex_lock(&pool.lock);
    pool.started = 0;
    pool.stopping = 0;
    pthread_mutex_unlock(&pool.lock);
}

void eddy__work_resume(eddy_loop_t *loop) {
    (void)loop;
    pthread_mutex_lock(&pool.lock);
    if (pool.head && pool.started < POOL_SIZE) {
        start_pool();
        pthread_cond_broadcast(&pool.queued);
    }
    pthread_mutex_unlock(&pool.lock);
}

void eddy__work_dispatch(eddy_loop_t *loop) {
    uint64_t count;
    /* Read before taking the list: a completion racing with us either is
     * in the list we take or writes the eventfd again (a spare wake-up). */
    (void)eddy__loop_read(loop->wakefd, &count, sizeof count);
    pthread_mutex_lock(&pool.lock);
    eddy_work_t *w = loop->done_head, *fifo = NULL;
    loop->done_head = NULL;
    pthread_mutex_unlock(&pool.lock);
    while (w) { /* the list is newest first: reverse to completion order */
        eddy_work_t *next = w->next;
        w->next = fifo;
        fifo = w;
        w = next;
    }
    for (w = fifo; w; w = fifo) {
        fifo = w->next;
        w->next = NULL;
        loop->pending_work--;
        if (w->done) w->done(w);
    }
}

/* Forgets queued work of this loop and waits for the work pool threads are
 * running for it: they will touch the loop when they finish. */
void eddy__work_close(eddy_loop_t *loop) {
    pthread_mutex_lock(&pool.lock);
    eddy_work_t **p = &pool.head;
    pool.tail = NULL;
    while (*p) {
        if ((*p)->loop == loop) {
            *p = (*p)->next;
            loop->work_inflight--;
        } else {
            pool.tail = *p;
            p = &(*p)->next;
        }
    }
    while (loop->work_inflight) pthread_cond_wait(&pool.drained, &pool.lock);
    loop->done_head = NULL;
    pthread_mutex_unlock(&pool.lock);
    loop->pending_work = 0;
}
