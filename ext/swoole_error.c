/*
 * Swoole's error codes: the SWOOLE_ERROR_* and SWOOLE_STRERROR_* constants,
 * their messages, and swoole_strerror() / swoole_last_error() / swoole_errno()
 * / swoole_clear_error().
 *
 * Codes and names are Swoole 5.1's (positive; the engine returns them
 * negated, see php_swoole_error_from_engine()). Messages are the constant's
 * name in words, as Swoole words them ("Session closed by server").
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "php_swoole.h"

typedef struct {
    const char *name; /* after "SWOOLE_ERROR_" */
    int code;
    const char *message;
} error_entry;

/* Sorted by code; blocks start where Swoole starts a new range. */
static const error_entry error_table[] = {
    {"MALLOC_FAIL", 501, "Malloc fail"},
    {"SYSTEM_CALL_FAIL", 502, "System call fail"},
    {"PHP_FATAL_ERROR", 503, "PHP fatal error"},
    {"NAME_TOO_LONG", 504, "Name too long"},
    {"INVALID_PARAMS", 505, "Invalid params"},
    {"QUEUE_FULL", 506, "Queue full"},
    {"OPERATION_NOT_SUPPORT", 507, "Operation not support"},
    {"PROTOCOL_ERROR", 508, "Protocol error"},
    {"WRONG_OPERATION", 509, "Wrong operation"},
    {"FILE_NOT_EXIST", 700, "File not exist"},
    {"FILE_TOO_LARGE", 701, "File too large"},
    {"FILE_EMPTY", 702, "File empty"},
    {"DNSLOOKUP_DUPLICATE_REQUEST", 710, "DNS lookup duplicate request"},
    {"DNSLOOKUP_RESOLVE_FAILED", 711, "DNS lookup resolve failed"},
    {"DNSLOOKUP_RESOLVE_TIMEOUT", 712, "DNS lookup resolve timeout"},
    {"DNSLOOKUP_UNSUPPORTED", 713, "DNS lookup unsupported"},
    {"DNSLOOKUP_NO_SERVER", 714, "DNS lookup no server"},
    {"BAD_IPV6_ADDRESS", 720, "Bad IPv6 address"},
    {"UNREGISTERED_SIGNAL", 721, "Unregistered signal"},
    {"EVENT_SOCKET_REMOVED", 800, "Event socket removed"},
    {"EVENT_SOCKET_INVALID", 801, "Event socket invalid"},
    {"SESSION_CLOSED_BY_SERVER", 1001, "Session closed by server"},
    {"SESSION_CLOSED_BY_CLIENT", 1002, "Session closed by client"},
    {"SESSION_CLOSING", 1003, "Session closing"},
    {"SESSION_CLOSED", 1004, "Session closed"},
    {"SESSION_NOT_EXIST", 1005, "Session not exist"},
    {"SESSION_INVALID_ID", 1006, "Session invalid id"},
    {"SESSION_DISCARD_TIMEOUT_DATA", 1007, "Session discard timeout data"},
    {"SESSION_DISCARD_DATA", 1008, "Session discard data"},
    {"OUTPUT_BUFFER_OVERFLOW", 1009, "Output buffer overflow"},
    {"OUTPUT_SEND_YIELD", 1010, "Output send yield"},
    {"SSL_NOT_READY", 1011, "SSL not ready"},
    {"SSL_CANNOT_USE_SENFILE", 1012, "SSL cannot use senfile"},
    {"SSL_EMPTY_PEER_CERTIFICATE", 1013, "SSL empty peer certificate"},
    {"SSL_VERIFY_FAILED", 1014, "SSL verify failed"},
    {"SSL_BAD_CLIENT", 1015, "SSL bad client"},
    {"SSL_BAD_PROTOCOL", 1016, "SSL bad protocol"},
    {"SSL_RESET", 1017, "SSL reset"},
    {"SSL_HANDSHAKE_FAILED", 1018, "SSL handshake failed"},
    {"PACKAGE_LENGTH_TOO_LARGE", 1201, "Package length too large"},
    {"PACKAGE_LENGTH_NOT_FOUND", 1202, "Package length not found"},
    {"DATA_LENGTH_TOO_LARGE", 1203, "Data length too large"},
    {"PACKAGE_MALFORMED_DATA", 1204, "Package malformed data"},
    {"TASK_PACKAGE_TOO_BIG", 2001, "Task package too big"},
    {"TASK_DISPATCH_FAIL", 2002, "Task dispatch fail"},
    {"TASK_TIMEOUT", 2003, "Task timeout"},
    {"HTTP2_STREAM_ID_TOO_BIG", 3001, "HTTP2 stream id too big"},
    {"HTTP2_STREAM_NO_HEADER", 3002, "HTTP2 stream no header"},
    {"HTTP2_STREAM_NOT_FOUND", 3003, "HTTP2 stream not found"},
    {"HTTP2_STREAM_IGNORE", 3004, "HTTP2 stream ignore"},
    {"HTTP2_SEND_CONTROL_FRAME_FAILED", 3005, "HTTP2 send control frame failed"},
    {"AIO_BAD_REQUEST", 4001, "AIO bad request"},
    {"AIO_CANCELED", 4002, "AIO canceled"},
    {"AIO_TIMEOUT", 4003, "AIO timeout"},
    {"CLIENT_NO_CONNECTION", 5001, "Client no connection"},
    {"SOCKET_CLOSED", 6001, "Socket closed"},
    {"SOCKET_POLL_TIMEOUT", 6002, "Socket poll timeout"},
    {"SOCKS5_UNSUPPORT_VERSION", 7001, "Socks5 unsupport version"},
    {"SOCKS5_UNSUPPORT_METHOD", 7002, "Socks5 unsupport method"},
    {"SOCKS5_AUTH_FAILED", 7003, "Socks5 auth failed"},
    {"SOCKS5_SERVER_ERROR", 7004, "Socks5 server error"},
    {"SOCKS5_HANDSHAKE_FAILED", 7005, "Socks5 handshake failed"},
    {"HTTP_PROXY_HANDSHAKE_ERROR", 7101, "HTTP proxy handshake error"},
    {"HTTP_INVALID_PROTOCOL", 7102, "HTTP invalid protocol"},
    {"HTTP_PROXY_HANDSHAKE_FAILED", 7103, "HTTP proxy handshake failed"},
    {"HTTP_PROXY_BAD_RESPONSE", 7104, "HTTP proxy bad response"},
    {"WEBSOCKET_BAD_CLIENT", 8501, "Websocket bad client"},
    {"WEBSOCKET_BAD_OPCODE", 8502, "Websocket bad opcode"},
    {"WEBSOCKET_UNCONNECTED", 8503, "Websocket unconnected"},
    {"WEBSOCKET_HANDSHAKE_FAILED", 8504, "Websocket handshake failed"},
    {"WEBSOCKET_PACK_FAILED", 8505, "Websocket pack failed"},
    {"WEBSOCKET_UNPACK_FAILED", 8506, "Websocket unpack failed"},
    {"WEBSOCKET_INCOMPLETE_PACKET", 8507, "Websocket incomplete packet"},
    {"SERVER_MUST_CREATED_BEFORE_CLIENT", 9001, "Server must created before client"},
    {"SERVER_TOO_MANY_SOCKET", 9002, "Server too many socket"},
    {"SERVER_WORKER_TERMINATED", 9003, "Server worker terminated"},
    {"SERVER_INVALID_LISTEN_PORT", 9004, "Server invalid listen port"},
    {"SERVER_TOO_MANY_LISTEN_PORT", 9005, "Server too many listen port"},
    {"SERVER_PIPE_BUFFER_FULL", 9006, "Server pipe buffer full"},
    {"SERVER_NO_IDLE_WORKER", 9007, "Server no idle worker"},
    {"SERVER_ONLY_START_ONE", 9008, "Server only start one"},
    {"SERVER_SEND_IN_MASTER", 9009, "Server send in master"},
    {"SERVER_INVALID_REQUEST", 9010, "Server invalid request"},
    {"SERVER_CONNECT_FAIL", 9011, "Server connect fail"},
    {"SERVER_INVALID_COMMAND", 9012, "Server invalid command"},
    {"SERVER_IS_NOT_REGULAR_FILE", 9013, "Server is not regular file"},
    {"SERVER_WORKER_EXIT_TIMEOUT", 9101, "Server worker exit timeout"},
    {"SERVER_WORKER_ABNORMAL_PIPE_DATA", 9102, "Server worker abnormal pipe data"},
    {"SERVER_WORKER_UNPROCESSED_DATA", 9103, "Server worker unprocessed data"},
    {"CO_OUT_OF_COROUTINE", 10001, "Coroutine out of coroutine"},
    {"CO_HAS_BEEN_BOUND", 10002, "Coroutine has been bound"},
    {"CO_HAS_BEEN_DISCARDED", 10003, "Coroutine has been discarded"},
    {"CO_MUTEX_DOUBLE_UNLOCK", 10004, "Coroutine mutex double unlock"},
    {"CO_BLOCK_OBJECT_LOCKED", 10005, "Coroutine block object locked"},
    {"CO_BLOCK_OBJECT_WAITING", 10006, "Coroutine block object waiting"},
    {"CO_YIELD_FAILED", 10007, "Coroutine yield failed"},
    {"CO_GETCONTEXT_FAILED", 10008, "Coroutine getcontext failed"},
    {"CO_SWAPCONTEXT_FAILED", 10009, "Coroutine swapcontext failed"},
    {"CO_MAKECONTEXT_FAILED", 10010, "Coroutine makecontext failed"},
    {"CO_IOCPINIT_FAILED", 10011, "Coroutine iocpinit failed"},
    {"CO_PROTECT_STACK_FAILED", 10012, "Coroutine protect stack failed"},
    {"CO_STD_THREAD_LINK_ERROR", 10013, "Coroutine std thread link error"},
    {"CO_DISABLED_MULTI_THREAD", 10014, "Coroutine disabled multi thread"},
    {"CO_CANNOT_CANCEL", 10015, "Coroutine cannot cancel"},
    {"CO_NOT_EXISTS", 10016, "Coroutine not exists"},
    {"CO_CANCELED", 10017, "Coroutine canceled"},
    {"CO_TIMEDOUT", 10018, "Coroutine timedout"},
};

#define ERROR_COUNT (sizeof(error_table) / sizeof(error_table[0]))

/* Swoole numbers its own errors above every errno (SW_ERROR_BEGIN = 500). */
#define SWOOLE_ERROR_BEGIN 500

const char *php_swoole_error_message(int code) {
    size_t lo = 0, hi = ERROR_COUNT;
    while (lo < hi) { /* binary search: the table is sorted by code */
        size_t mid = lo + (hi - lo) / 2;
        if (error_table[mid].code == code) {
            return error_table[mid].message;
        }
        if (error_table[mid].code < code) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* Swoole's rules: GAI and DNS types use the resolver's own messages; a code
 * in Swoole's range, or any code with type SWOOLE, uses Swoole's table;
 * everything else is an errno for strerror(). An unknown code reads
 * "Unknown error N" either way, as glibc's strerror() words it. */
const char *php_swoole_strerror(int code, int type, char *buf, size_t len) {
    const char *msg;
    switch (type) {
    case PHP_SWOOLE_STRERROR_GAI: return gai_strerror(code);
    case PHP_SWOOLE_STRERROR_DNS: return hstrerror(code);
    default: break;
    }
    if (type == PHP_SWOOLE_STRERROR_SWOOLE || code > SWOOLE_ERROR_BEGIN) {
        msg = php_swoole_error_message(code);
        if (msg) {
            return msg;
        }
        snprintf(buf, len, "Unknown error %d", code);
        return buf;
    }
    /* strerror_r (GNU flavour) never writes a shared buffer. */
    return strerror_r(code, buf, len);
}

void php_swoole_error_minit(int module_number) {
    char name[96];
    REGISTER_LONG_CONSTANT("SWOOLE_STRERROR_SYSTEM", PHP_SWOOLE_STRERROR_SYSTEM,
                           CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_STRERROR_GAI", PHP_SWOOLE_STRERROR_GAI,
                           CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_STRERROR_DNS", PHP_SWOOLE_STRERROR_DNS,
                           CONST_CS | CONST_PERSISTENT);
    REGISTER_LONG_CONSTANT("SWOOLE_STRERROR_SWOOLE", PHP_SWOOLE_STRERROR_SWOOLE,
                           CONST_CS | CONST_PERSISTENT);
    for (size_t i = 0; i < ERROR_COUNT; i++) {
        size_t n = (size_t)snprintf(name, sizeof(name), "SWOOLE_ERROR_%s", error_table[i].name);
        zend_register_long_constant(name, n, error_table[i].code,
                                    CONST_CS | CONST_PERSISTENT, module_number);
    }
}

/* ---- functions ----------------------------------------------------------- */

PHP_FUNCTION(swoole_strerror) {
    zend_long code, type = PHP_SWOOLE_STRERROR_SYSTEM;
    char buf[128];

    ZEND_PARSE_PARAMETERS_START(1, 2)
        Z_PARAM_LONG(code)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(type)
    ZEND_PARSE_PARAMETERS_END();

    /* Codes outside int are no error anyone has; keep them distinguishable. */
    if (code < INT_MIN || code > INT_MAX) {
        RETURN_STR(zend_strpprintf(0, "Unknown error " ZEND_LONG_FMT, code));
    }
    /* Only the three special types are compared, so a huge $error_type must
     * not wrap onto one of them. */
    if (type != PHP_SWOOLE_STRERROR_GAI && type != PHP_SWOOLE_STRERROR_DNS &&
        type != PHP_SWOOLE_STRERROR_SWOOLE) {
        type = PHP_SWOOLE_STRERROR_SYSTEM;
    }
    RETURN_STRING(php_swoole_strerror((int)code, (int)type, buf, sizeof(buf)));
}

PHP_FUNCTION(swoole_last_error) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(SWOOLE_G(last_error));
}

/* The C errno of the process: whatever the last failing system call left. */
PHP_FUNCTION(swoole_errno) {
    ZEND_PARSE_PARAMETERS_NONE();
    RETURN_LONG(errno);
}

PHP_FUNCTION(swoole_clear_error) {
    ZEND_PARSE_PARAMETERS_NONE();
    php_swoole_set_error(0);
}
