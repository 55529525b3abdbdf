/* Status codes: reason phrases, error -> status, error names. */
#include "eddy/http.h"

const char *eddy_http_reason(int status) {
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 102: return "Processing";
    case 103: return "Early Hints";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 208: return "Already Reported";
    case 226: return "IM Used";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 305: return "Use Proxy";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 418: return "I'm a teapot";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 424: return "Failed Dependency";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 451: return "Unavailable For Legal Reasons";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    case 506: return "Variant Also Negotiates";
    case 507: return "Insufficient Storage";
    case 508: return "Loop Detected";
    case 510: return "Not Extended";
    case 511: return "Network Authentication Required";
    default: return NULL;
    }
}

int eddy_http_error_status(ssize_t code) {
    switch (code) {
    case EDDY_EHTTP_VERSION: return 505;
    case EDDY_EHTTP_TE_NOT_IMPLEMENTED: return 501;
    case EDDY_EHTTP_URI_TOO_LONG: return 414;
    case EDDY_EHTTP_HEADERS_TOO_LARGE: return 431;
    case EDDY_EHTTP_BODY_TOO_LARGE: return 413;
    default: break;
    }
    if (code <= EDDY_EHTTP_BAD_REQUEST && code >= EDDY_EHTTP_BAD_CHUNK) return 400;
    return 0;
}

const char *eddy_http_strerror(int code) {
    switch (code) {
    case EDDY_EHTTP_BAD_REQUEST: return "HTTP: malformed request line";
    case EDDY_EHTTP_BAD_METHOD: return "HTTP: invalid method";
    case EDDY_EHTTP_BAD_TARGET: return "HTTP: invalid request target";
    case EDDY_EHTTP_BAD_VERSION: return "HTTP: malformed version";
    case EDDY_EHTTP_VERSION: return "HTTP: version not supported";
    case EDDY_EHTTP_BAD_LINE_END: return "HTTP: line not ended by CRLF";
    case EDDY_EHTTP_BAD_HEADER_NAME: return "HTTP: invalid header name";
    case EDDY_EHTTP_BAD_HEADER_VALUE: return "HTTP: invalid header value";
    case EDDY_EHTTP_OBS_FOLD: return "HTTP: folded header line";
    case EDDY_EHTTP_BAD_CONTENT_LENGTH: return "HTTP: invalid Content-Length";
    case EDDY_EHTTP_DUP_CONTENT_LENGTH: return "HTTP: conflicting Content-Length";
    case EDDY_EHTTP_CL_AND_TE: return "HTTP: Content-Length with Transfer-Encoding";
    case EDDY_EHTTP_BAD_TRANSFER_ENCODING: return "HTTP: invalid Transfer-Encoding";
    case EDDY_EHTTP_TE_NOT_IMPLEMENTED: return "HTTP: transfer coding not implemented";
    case EDDY_EHTTP_BAD_HOST: return "HTTP: missing or repeated Host";
    case EDDY_EHTTP_URI_TOO_LONG: return "HTTP: request line too long";
    case EDDY_EHTTP_HEADERS_TOO_LARGE: return "HTTP: header section too large";
    case EDDY_EHTTP_BODY_TOO_LARGE: return "HTTP: body too large";
    case EDDY_EHTTP_BAD_CHUNK: return "HTTP: invalid chunked encoding";
    case EDDY_EHTTP_BAD_STATUS: return "HTTP: malformed status line";
    default: return eddy_strerror(code);
    }
}
