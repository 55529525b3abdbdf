/*
 * eddy base: error codes and their names.
 */
#include <string.h>

#include "eddy/base.h"
#include "eddy_test.h"

EDDY_TEST(base, strerror_names_session_errors_with_swoole_texts) {
    static const struct {
        int code, swoole;
        const char *text;
    } cases[] = {
        {EDDY_ESESSION_CLOSED_BY_SERVER, 1001, "Session closed by server"},
        {EDDY_ESESSION_CLOSED_BY_CLIENT, 1002, "Session closed by client"},
        {EDDY_ESESSION_CLOSING, 1003, "Session closing"},
        {EDDY_ESESSION_CLOSED, 1004, "Session closed"},
        {EDDY_ESESSION_NOT_EXIST, 1005, "Session not exist"},
        {EDDY_ESESSION_INVALID_ID, 1006, "Session invalid id"},
        {EDDY_ESESSION_DISCARD_DATA, 1007, "Session discard data"},
        {EDDY_ESESSION_DISCARD_TIMEOUT_DATA, 1008, "Session discard timeout data"},
        {EDDY_EOUTPUT_BUFFER_OVERFLOW, 1009, "Output buffer overflow"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cr_assert_eq(cases[i].code, -cases[i].swoole, "code of %s", cases[i].text);
        cr_assert_str_eq(eddy_strerror(cases[i].code), cases[i].text);
    }
}

EDDY_TEST(base, strerror_keeps_errno_and_unknown_codes_apart) {
    cr_assert_str_eq(eddy_strerror(EDDY_OK), "Success");
    cr_assert_str_eq(eddy_strerror(EDDY_EINVAL), strerror(EINVAL));
    cr_assert_str_eq(eddy_strerror(-5000), "Unknown error");
    cr_assert_str_eq(eddy_strerror(123456), "Unknown error");
}
