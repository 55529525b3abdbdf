/*
 * Signals through signalfd: a watched signal is blocked in the loop's
 * thread, so instead of interrupting whatever runs it queues up and the
 * loop reads it from its signalfd and calls the watchers (nginx's rule:
 * no work in signal context).
 *
 * The loop's signalfd is created on the first watcher and kept until the
 * loop closes; its mask is loop->sigmask. Blocking is per thread: a
 * process-directed signal goes to any thread that does not block it, so
 * watch signals from the thread that starts the others (they inherit the
 * mask; the work pool's threads block every signal).
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <time.h>

#include "loop/internal.h"

static uint64_t bit(int signo) { return 1ull << (signo - 1); }

static sigset_t one_signal(int signo) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, signo);
    return set;
}

/* Points the signalfd at loop->sigmask, creating it the first time. */
static int apply_mask(eddy_loop_t *loop) {
    sigset_t set;
    sigemptyset(&set);
    for (int s = 1; s <= 64; s++)
        if (loop->sigmask & bit(s)) sigaddset(&set, s);
    int fd = signalfd(loop->sigfd, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) return -errno;
    if (loop->sigfd < 0) {
        loop->sigfd = fd;
        int rc = eddy__io_watch_internal(loop, fd, &loop->sigfd);
        if (rc < 0) eddy__loop_close_fd(&loop->sigfd);
        return rc;
    }
    return 0;
}

/* Unblocks a signal nobody watches any more. One that arrived but was not
 * yet dispatched is discarded first: unblocked, it would get its default
 * action, which for most signals kills the process. */
static void release(int signo) {
    sigset_t set = one_signal(signo), pending;
    struct timespec zero = {0, 0};
    while (sigpending(&pending) == 0 && sigismember(&pending, signo))
        if (sigtimedwait(&set, NULL, &zero) < 0) break;
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static int watching(eddy_loop_t *loop, eddy_signal_t *sig) {
    for (eddy_signal_t *s = loop->signals; s; s = s->next)
        if (s == sig) return 1;
    return 0;
}

int eddy_signal_start(eddy_loop_t *loop, eddy_signal_t *sig, int signo, eddy_signal_cb cb) {
    /* signalfd silently ignores SIGKILL and SIGSTOP; a watcher would never fire. */
    if (signo < 1 || signo > 64 || signo == SIGKILL || signo == SIGSTOP) return EDDY_EINVAL;
    if (watching(loop, sig)) eddy_signal_stop(sig);
    if (!(loop->sigmask & bit(signo))) {
        /* Block before the signalfd covers it: one arriving in between stays
         * pending and is read from the signalfd, instead of killing us. */
        sigset_t set = one_signal(signo);
        pthread_sigmask(SIG_BLOCK, &set, NULL);
        loop->sigmask |= bit(signo);
        int rc = apply_mask(loop);
        if (rc < 0) {
            loop->sigmask &= ~bit(signo);
            release(signo);
            return rc;
        }
    }
    sig->signo = signo;
    sig->cb = cb;
    sig->loop = loop;
    sig->next = loop->signals; /* head: not called for a signal being dispatched */
    loop->signals = sig;
    return 0;
}

static void unlink_watcher(eddy_loop_t *loop, eddy_signal_t *sig) {
    for (eddy_signal_t **p = &loop->signals; *p; p = &(*p)->next) {
        if (*p == sig) {
            *p = sig->next;
            break;
        }
    }
    if (loop->sig_cursor == sig) loop->sig_cursor = sig->next;
    sig->next = NULL;
    sig->loop = NULL;
}

void eddy_signal_stop(eddy_signal_t *sig) {
    eddy_loop_t *loop = sig->loop;
    if (!loop) return;
    int signo = sig->signo;
    unlink_watcher(loop, sig);
    for (eddy_signal_t *s = loop->signals; s; s = s->next)
        if (s->signo == signo) return; /* still watched */
    loop->sigmask &= ~bit(signo);
    (void)apply_mask(loop); /* narrowing an existing signalfd cannot fail */
    release(signo);
}

/* Calls every watcher of signo. The cursor lets a callback stop any
 * watcher, the next one included, without breaking the walk. */
static void deliver(eddy_loop_t *loop, int signo) {
    for (eddy_signal_t *s = loop->signals; s; s = loop->sig_cursor) {
        loop->sig_cursor = s->next;
        if (s->signo == signo) s->cb(loop, s, signo);
    }
    loop->sig_cursor = NULL;
}

void eddy__signal_dispatch(eddy_loop_t *loop) {
    struct signalfd_siginfo si[8];
    for (;;) {
        ssize_t r = eddy__loop_read(loop->sigfd, si, sizeof si);
        if (r <= 0) return; /* EAGAIN: drained */
        size_t n = (size_t)r / sizeof si[0];
        for (size_t i = 0; i < n; i++) deliver(loop, (int)si[i].ssi_signo);
        if (n < 8) return;
    }
}

void eddy__signal_close(eddy_loop_t *loop) {
    while (loop->signals) {
        eddy_signal_t *s = loop->signals;
        loop->signals = s->next;
        s->next = NULL;
        s->loop = NULL;
    }
    for (int s = 1; s <= 64; s++)
        if (loop->sigmask & bit(s)) release(s);
    loop->sigmask = 0;
}
