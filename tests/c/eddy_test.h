/*
 * Shared scaffolding for eddy's Criterion tests.
 *
 * EDDY_TEST(suite, name, ...) is Criterion's Test() plus a leak check when
 * the body returns: under AddressSanitizer each test asks LeakSanitizer for
 * a report and fails if anything it allocated is unreachable. We check here,
 * inside the test, because Criterion counts a test as passed even when its
 * worker process reports leaks at exit; the runner process's own exit-time
 * leak check is switched off from failing (LSAN_OPTIONS=exitcode=0, set by
 * the Makefile), since Criterion's runner leaks a few bytes of bookkeeping.
 */
#ifndef EDDY_TEST_H
#define EDDY_TEST_H

#include <criterion/criterion.h>

#if defined(__SANITIZE_ADDRESS__)
#define EDDY_TEST_HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EDDY_TEST_HAVE_LSAN 1
#endif
#endif

#ifdef EDDY_TEST_HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#define EDDY_TEST_LEAK_CHECK()                                                              \
    cr_assert_eq(__lsan_do_recoverable_leak_check(), 0,                                      \
                 "memory leaked: see the LeakSanitizer report above")
#else
#define EDDY_TEST_LEAK_CHECK() ((void)0)
#endif

#define EDDY_TEST(suite, name, ...)                                                         \
    static void suite##__##name##__body(void);                                              \
    Test(suite, name, ##__VA_ARGS__) {                                                       \
        suite##__##name##__body();                                                           \
        EDDY_TEST_LEAK_CHECK();                                                             \
    }                                                                                       \
    static void suite##__##name##__body(void)

#endif /* EDDY_TEST_H */
