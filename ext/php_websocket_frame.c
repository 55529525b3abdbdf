/*
 * Swoole\WebSocket\Frame and CloseFrame: the message objects on('message')
 * receives, and pack()/unpack() (static on both Frame and
 * WebSocket\Server), over the engine's frame writer and parser
 * (include/eddy/websocket.h). Also the WEBSOCKET_* constants.
 *
 * pack() builds a whole frame as a server sends it: unmasked unless
 * SWOOLE_WEBSOCKET_FLAG_MASK (then masked with a random key, as a client
 * sends it); SWOOLE_WEBSOCKET_FLAG_COMPRESS deflates a data frame's payload
 * on its own (no context kept between calls) and sets RSV1. unpack() reads
 * the first frame of a string, masked or not, unmasks it, and inflates a
 * data frame that has RSV1 (flags then carry COMPRESS and RSV1).
 */
#include "php_swoole.h"
#include "php_websocket.h"
#include "ext/random/php_random.h"
#include "zend_smart_str.h"

#include "eddy/websocket.h"

zend_class_entry *php_ws_frame_ce;
zend_class_entry *php_ws_close_frame_ce;

/* Swoole's SW_ERROR_WEBSOCKET_* (swoole_error.c has their messages). */
#define ERR_PACK_FAILED 8505
#define ERR_UNPACK_FAILED 8506
#define ERR_INCOMPLETE_PACKET 8507

/* Swoole's limit on an unpacked message, as package_max_length's default:
 * unpack() of a deflate bomb stops there. */
#define UNPACK_MAX (2 * 1024 * 1024)

/* ---- frame objects ------------------------------------------------------------ */

void php_ws_frame_new(zval *out, int fd, int opcode, const char *data, size_t len, int flags) {
    bool close = opcode == EDDY_WS_OP_CLOSE;
    zend_class_entry *ce = close ? php_ws_close_frame_ce : php_ws_frame_ce;
    zend_object *o;

    object_init_ex(out, ce);
    o = Z_OBJ_P(out);
    zend_update_property_long(ce, o, ZEND_STRL("fd"), fd);
    zend_update_property_stringl(ce, o, ZEND_STRL("data"), data, len);
    zend_update_property_long(ce, o, ZEND_STRL("opcode"), opcode);
    zend_update_property_long(ce, o, ZEND_STRL("flags"), flags);
    zend_update_property_bool(ce, o, ZEND_STRL("finish"), (flags & EDDY_WS_FLAG_FIN) != 0);
    if (close) {
        uint16_t code = EDDY_WS_CLOSE_STATUS_ERROR;
        const char *reason = "";
        size_t reason_len = 0;
        /* A malformed payload (the engine fails those with 1002 before
         * delivering; unpack() may see one) leaves 1005 and no reason. */
        if (eddy_ws_close_parse(data, len, &code, &reason, &reason_len) < 0) {
            code = EDDY_WS_CLOSE_STATUS_ERROR;
            reason = "", reason_len = 0;
        }
        zend_update_property_long(ce, o, ZEND_STRL("code"), code);
        zend_update_property_stringl(ce, o, ZEND_STRL("reason"), reason, reason_len);
    }
}

static zend_long read_long(zend_object *o, const char *name, size_t len) {
    zval rv;
    return zval_get_long(zend_read_property(o->ce, o, name, len, 1, &rv));
}

void php_ws_frame_read(zend_object *o, zend_string **data, zend_long *opcode, zend_long *flags) {
    zval rv;

    *opcode = read_long(o, ZEND_STRL("opcode"));
    *flags = read_long(o, ZEND_STRL("flags"));
    if (*opcode == EDDY_WS_OP_CLOSE && instanceof_function(o->ce, php_ws_close_frame_ce)) {
        /* Section 5.5.1: the code big-endian, then the reason. */
        zend_long code = read_long(o, ZEND_STRL("code"));
        zend_string *reason = zval_get_string(zend_read_property(o->ce, o, ZEND_STRL("reason"), 1, &rv));
        smart_str s = {0};
        smart_str_appendc(&s, (char) ((code >> 8) & 0xff));
        smart_str_appendc(&s, (char) (code & 0xff));
        smart_str_append(&s, reason);
        zend_string_release(reason);
        *data = smart_str_extract(&s);
        return;
    }
    *data = zval_get_string(zend_read_property(o->ce, o, ZEND_STRL("data"), 1, &rv));
}

/* ---- pack / unpack ------------------------------------------------------------- */

/* One message deflated on its own (RFC 7692 section 7.2.1), into out. */
static bool deflate_payload(const char *data, size_t len, eddy_buf_t *out) {
    eddy_ws_deflate_params_t p = {1, 1, 15, 15};
    eddy_ws_deflate_t d;
    bool ok;

    if (eddy_ws_deflate_init(&d, &p, EDDY_WS_SERVER, -1) < 0) {
        return false;
    }
    ok = eddy_ws_deflate_message(&d, data, len, out) == 0;
    eddy_ws_deflate_close(&d);
    return ok;
}

static bool inflate_payload(const char *data, size_t len, eddy_buf_t *out) {
    eddy_ws_deflate_params_t p = {1, 1, 15, 15};
    eddy_ws_deflate_t d;
    bool ok;

    if (eddy_ws_deflate_init(&d, &p, EDDY_WS_SERVER, -1) < 0) {
        return false;
    }
    ok = eddy_ws_inflate(&d, data, len, 1, out, UNPACK_MAX) == 0;
    eddy_ws_deflate_close(&d);
    return ok;
}

static bool known_opcode(zend_long op) {
    return (op >= EDDY_WS_OP_CONTINUATION && op <= EDDY_WS_OP_BINARY) ||
           (op >= EDDY_WS_OP_CLOSE && op <= EDDY_WS_OP_PONG);
}

/* The whole frame, or NULL (error recorded) when deflating failed. */
static zend_string *pack_frame(const char *data, size_t len, zend_long opcode, zend_long flags) {
    eddy_buf_t out, z;
    uint8_t bits = 0, key[4], *mask = NULL;
    zend_string *frame = NULL;

    eddy_buf_init(&out);
    eddy_buf_init(&z);
    bits |= (flags & EDDY_WS_FLAG_FIN) ? EDDY_WS_FIN : 0;
    bits |= (flags & EDDY_WS_FLAG_RSV1) ? EDDY_WS_RSV1 : 0;
    bits |= (flags & EDDY_WS_FLAG_RSV2) ? EDDY_WS_RSV2 : 0;
    bits |= (flags & EDDY_WS_FLAG_RSV3) ? EDDY_WS_RSV3 : 0;
    if ((flags & EDDY_WS_FLAG_COMPRESS) && !(opcode & 0x8)) { /* never a control frame */
        if (!deflate_payload(data, len, &z)) {
            php_swoole_set_error(ERR_PACK_FAILED);
            goto done;
        }
        data = z.data, len = z.len;
        bits |= EDDY_WS_RSV1;
    }
    if (flags & EDDY_WS_FLAG_MASK) {
        if (php_random_bytes_silent(key, sizeof(key)) != SUCCESS) {
            php_swoole_set_error(ERR_PACK_FAILED);
            goto done;
        }
        mask = key;
    }
    eddy_ws_frame_write(&out, bits, (uint8_t) opcode, data, len, mask);
    frame = zend_string_init(out.data, out.len, 0);
done:
    eddy_buf_free(&out);
    eddy_buf_free(&z);
    return frame;
}

static void pack_impl(zend_object *obj, zend_string *str, zend_long opcode, zend_long flags,
                      zval *return_value) {
    zend_string *data, *frame;

    if (obj) { /* its own opcode and flags win, as in Swoole */
        php_ws_frame_read(obj, &data, &opcode, &flags);
    } else {
        data = zend_string_copy(str);
    }
    if (!known_opcode(opcode)) {
        zend_string_release(data);
        zend_value_error("WebSocket opcode " ZEND_LONG_FMT " is not 0-2 or 8-10", opcode);
        return;
    }
    frame = pack_frame(ZSTR_VAL(data), ZSTR_LEN(data), opcode, flags);
    zend_string_release(data);
    if (!frame) {
        zend_throw_error(NULL, "WebSocket pack failed: the payload could not be deflated");
        return;
    }
    RETURN_STR(frame);
}

PHP_METHOD(Swoole_WebSocket_Server, pack) {
    zend_object *obj;
    zend_string *str;
    zend_long opcode = EDDY_WS_OP_TEXT, flags = EDDY_WS_FLAG_FIN;

    ZEND_PARSE_PARAMETERS_START(1, 3)
        Z_PARAM_OBJ_OF_CLASS_OR_STR(obj, php_ws_frame_ce, str)
        Z_PARAM_OPTIONAL
        Z_PARAM_LONG(opcode)
        Z_PARAM_LONG(flags)
    ZEND_PARSE_PARAMETERS_END();
    pack_impl(obj, str, opcode, flags, return_value);
}

PHP_METHOD(Swoole_WebSocket_Frame, __toString) {
    ZEND_PARSE_PARAMETERS_NONE();
    pack_impl(Z_OBJ_P(ZEND_THIS), NULL, 0, 0, return_value);
}

/* The flags a received frame header carries, as SWOOLE_WEBSOCKET_FLAG_*. */
static zend_long header_flags(const eddy_ws_frame_t *f) {
    return (f->fin ? EDDY_WS_FLAG_FIN : 0) | ((f->rsv & EDDY_WS_RSV1) ? EDDY_WS_FLAG_RSV1 : 0) |
           ((f->rsv & EDDY_WS_RSV2) ? EDDY_WS_FLAG_RSV2 : 0) |
           ((f->rsv & EDDY_WS_RSV3) ? EDDY_WS_FLAG_RSV3 : 0) |
           (f->masked ? EDDY_WS_FLAG_MASK : 0);
}

PHP_METHOD(Swoole_WebSocket_Server, unpack) {
    zend_string *in, *payload;
    eddy_ws_limits_t lim = {.rsv_allowed = EDDY_WS_RSV1 | EDDY_WS_RSV2 | EDDY_WS_RSV3};
    eddy_ws_frame_t f;
    ssize_t h;
    zend_long flags;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(in)
    ZEND_PARSE_PARAMETERS_END();

    /* Either side's frames: the mask bit says whose it is. */
    lim.role = ZSTR_LEN(in) > 1 && (ZSTR_VAL(in)[1] & 0x80) ? EDDY_WS_SERVER : EDDY_WS_CLIENT;
    h = eddy_ws_frame_parse(&f, ZSTR_VAL(in), ZSTR_LEN(in), &lim);
    if (h < 0) {
        php_swoole_set_error(ERR_UNPACK_FAILED);
        RETURN_FALSE;
    }
    if (h == 0 || ZSTR_LEN(in) - (size_t) h < f.payload_len) {
        php_swoole_set_error(ERR_INCOMPLETE_PACKET);
        RETURN_FALSE;
    }
    payload = zend_string_init(ZSTR_VAL(in) + h, (size_t) f.payload_len, 0);
    if (f.masked) {
        eddy_ws_mask(ZSTR_VAL(payload), ZSTR_LEN(payload), f.mask, 0);
    }
    flags = header_flags(&f);
    if ((f.rsv & EDDY_WS_RSV1) && !(f.opcode & 0x8)) {
        eddy_buf_t z;
        eddy_buf_init(&z);
        if (!inflate_payload(ZSTR_VAL(payload), ZSTR_LEN(payload), &z)) {
            eddy_buf_free(&z);
            zend_string_release(payload);
            php_swoole_set_error(ERR_UNPACK_FAILED);
            RETURN_FALSE;
        }
        php_ws_frame_new(return_value, 0, f.opcode, z.data ? z.data : "", z.len,
                         (int) (flags | EDDY_WS_FLAG_COMPRESS));
        eddy_buf_free(&z);
    } else {
        php_ws_frame_new(return_value, 0, f.opcode, ZSTR_VAL(payload), ZSTR_LEN(payload),
                         (int) flags);
    }
    zend_string_release(payload);
}

/* ---- constants ------------------------------------------------------------------ */

static void constant(const char *name, zend_long v, int module_number) {
    zend_register_long_constant(name, strlen(name), v, CONST_CS | CONST_PERSISTENT,
                                module_number);
}

/* Swoole registers the opcode, status and close names both bare
 * (WEBSOCKET_OPCODE_TEXT) and prefixed (SWOOLE_WEBSOCKET_OPCODE_TEXT); the
 * flags only prefixed. */
static void both(const char *name, zend_long v, int module_number) {
    char full[64];

    constant(name, v, module_number);
    snprintf(full, sizeof(full), "SWOOLE_%s", name);
    constant(full, v, module_number);
}

void php_ws_frame_minit(zend_class_entry *frame_ce, zend_class_entry *close_frame_ce,
                        int module_number) {
    php_ws_frame_ce = frame_ce;
    php_ws_close_frame_ce = close_frame_ce;
    both("WEBSOCKET_OPCODE_CONTINUATION", EDDY_WS_OP_CONTINUATION, module_number);
    both("WEBSOCKET_OPCODE_TEXT", EDDY_WS_OP_TEXT, module_number);
    both("WEBSOCKET_OPCODE_BINARY", EDDY_WS_OP_BINARY, module_number);
    both("WEBSOCKET_OPCODE_CLOSE", EDDY_WS_OP_CLOSE, module_number);
    both("WEBSOCKET_OPCODE_PING", EDDY_WS_OP_PING, module_number);
    both("WEBSOCKET_OPCODE_PONG", EDDY_WS_OP_PONG, module_number);
    both("WEBSOCKET_STATUS_CONNECTION", EDDY_WS_STATUS_CONNECTION, module_number);
    both("WEBSOCKET_STATUS_HANDSHAKE", EDDY_WS_STATUS_HANDSHAKE, module_number);
    both("WEBSOCKET_STATUS_ACTIVE", EDDY_WS_STATUS_ACTIVE, module_number);
    both("WEBSOCKET_STATUS_FRAME", EDDY_WS_STATUS_ACTIVE, module_number); /* Swoole's old name */
    both("WEBSOCKET_STATUS_CLOSING", EDDY_WS_STATUS_CLOSING, module_number);
    both("WEBSOCKET_CLOSE_NORMAL", EDDY_WS_CLOSE_NORMAL, module_number);
    both("WEBSOCKET_CLOSE_GOING_AWAY", EDDY_WS_CLOSE_GOING_AWAY, module_number);
    both("WEBSOCKET_CLOSE_PROTOCOL_ERROR", EDDY_WS_CLOSE_PROTOCOL_ERROR, module_number);
    both("WEBSOCKET_CLOSE_DATA_ERROR", EDDY_WS_CLOSE_DATA_ERROR, module_number);
    both("WEBSOCKET_CLOSE_STATUS_ERROR", EDDY_WS_CLOSE_STATUS_ERROR, module_number);
    both("WEBSOCKET_CLOSE_ABNORMAL", EDDY_WS_CLOSE_ABNORMAL, module_number);
    both("WEBSOCKET_CLOSE_MESSAGE_ERROR", EDDY_WS_CLOSE_MESSAGE_ERROR, module_number);
    both("WEBSOCKET_CLOSE_POLICY_ERROR", EDDY_WS_CLOSE_POLICY_ERROR, module_number);
    both("WEBSOCKET_CLOSE_MESSAGE_TOO_BIG", EDDY_WS_CLOSE_MESSAGE_TOO_BIG, module_number);
    both("WEBSOCKET_CLOSE_EXTENSION_MISSING", EDDY_WS_CLOSE_EXTENSION_MISSING, module_number);
    both("WEBSOCKET_CLOSE_SERVER_ERROR", EDDY_WS_CLOSE_SERVER_ERROR, module_number);
    both("WEBSOCKET_CLOSE_TLS", EDDY_WS_CLOSE_TLS, module_number);
    constant("SWOOLE_WEBSOCKET_FLAG_FIN", EDDY_WS_FLAG_FIN, module_number);
    constant("SWOOLE_WEBSOCKET_FLAG_COMPRESS", EDDY_WS_FLAG_COMPRESS, module_number);
    constant("SWOOLE_WEBSOCKET_FLAG_RSV1", EDDY_WS_FLAG_RSV1, module_number);
    constant("SWOOLE_WEBSOCKET_FLAG_RSV2", EDDY_WS_FLAG_RSV2, module_number);
    constant("SWOOLE_WEBSOCKET_FLAG_RSV3", EDDY_WS_FLAG_RSV3, module_number);
    constant("SWOOLE_WEBSOCKET_FLAG_MASK", EDDY_WS_FLAG_MASK, module_number);
}
