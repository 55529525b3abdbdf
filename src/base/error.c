/* eddy_strerror: names for engine codes, strerror for negative errno. */
#include <string.h>

#include "eddy/base.h"

const char *eddy_strerror(int code) {
    switch (code) {
    case EDDY_OK: return "Success";
    case EDDY_ESYSCALL: return "System call fail";
    case EDDY_EPROTOCOL: return "Protocol error";
    case EDDY_EWRONG_OP: return "Wrong operation";
    /* Session texts as Swoole's swoole_strerror() gives them. */
    case EDDY_ESESSION_CLOSED_BY_SERVER: return "Session closed by server";
    case EDDY_ESESSION_CLOSED_BY_CLIENT: return "Session closed by client";
    case EDDY_ESESSION_CLOSING: return "Session closing";
    case EDDY_ESESSION_CLOSED: return "Session closed";
    case EDDY_ESESSION_NOT_EXIST: return "Session not exist";
    case EDDY_ESESSION_INVALID_ID: return "Session invalid id";
    case EDDY_ESESSION_DISCARD_TIMEOUT_DATA: return "Session discard timeout data";
    case EDDY_ESESSION_DISCARD_DATA: return "Session discard data";
    case EDDY_EOUTPUT_BUFFER_OVERFLOW: return "Output buffer overflow";
    case EDDY_ESSL_NOT_READY: return "SSL not ready";
    case EDDY_ESSL_EMPTY_PEER_CERTIFICATE: return "SSL empty peer certificate";
    case EDDY_ESSL_VERIFY_FAILED: return "SSL verify failed";
    case EDDY_ESSL_BAD_PROTOCOL: return "SSL bad protocol";
    case EDDY_ESSL_RESET: return "SSL reset";
    case EDDY_ESSL_HANDSHAKE_FAILED: return "SSL handshake failed";
    case EDDY_EPACKAGE_TOO_LARGE: return "Package length too large";
    case EDDY_ECO_OUT_OF_COROUTINE: return "Coroutine out of coroutine";
    case EDDY_ECO_HAS_BEEN_BOUND: return "Coroutine has been bound";
    case EDDY_ECO_PROTECT_STACK: return "Coroutine protect stack failed";
    case EDDY_ECO_CANNOT_CANCEL: return "Coroutine cannot cancel";
    case EDDY_ECO_NOT_EXISTS: return "Coroutine not exists";
    case EDDY_ECHAN_CLOSED: return "Channel is closed";
    case EDDY_ECHAN_DRAINED: return "Channel is closed and empty";
    default: break;
    }
    if (code < 0 && code > -4096) {
        /* strerror() on glibc returns static strings for known errnos; the
         * thread-safety concern is only for unknown values, which it
         * formats into a shared buffer — we never pass those. */
        return strerror(-code);
    }
    return "Unknown error";
}
