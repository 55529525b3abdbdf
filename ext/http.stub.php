<?php

/**
 * Swoole\Http\Server, Swoole\Http\Request and Swoole\Http\Response
 * (ext/php_http_server.c, php_http_request.c, php_http_response.c): the
 * HTTP/1.1 server of the engine (include/eddy/http.h) as Swoole 5.1's
 * classes. scripts/gen_stubs.sh turns this file into http_arginfo.h.
 *
 * Not provided: gzip (deprecated in Swoole; http_compression decides),
 * Request::create/parse, and Swoole\Coroutine\Http\Server. The WebSocket
 * methods (upgrade/push/recv/ping/close) are in php_http_response_ws.c.
 *
 * @generate-class-entries
 */

namespace Swoole\Http {
    /** @not-serializable */
    class Server extends \Swoole\Server {
    }

    /** @not-serializable */
    final class Request {
        public int $fd = 0;
        public ?array $header = null;
        public ?array $server = null;
        public ?array $cookie = null;
        public ?array $get = null;
        public ?array $files = null;
        public ?array $post = null;
        public ?array $tmpfiles = null;

        /** The request body (chunked coding undone); false for no body. */
        public function rawContent(): string|false {}

        /** @alias Swoole\Http\Request::rawContent */
        public function getContent(): string|false {}

        /** The request head as received followed by the body; false once the response has ended. */
        public function getData(): string|false {}

        public function getMethod(): string|false {}

        /** true: the request was received whole (always, for the server's requests). */
        public function isCompleted(): bool {}
    }

    /** @not-serializable */
    final class Response {
        public int $fd = 0;

        /** $reason "": the standard phrase. */
        public function status(int $http_code, string $reason = ""): bool {}

        /** @alias Swoole\Http\Response::status */
        public function setStatusCode(int $http_code, string $reason = ""): bool {}

        /** $value null removes the header, an array sends one line per element; $format: "content-type" -> "Content-Type". */
        public function header(string $key, string|array|null $value, bool $format = true): bool {}

        /** @alias Swoole\Http\Response::header */
        public function setHeader(string $key, string|array|null $value, bool $format = true): bool {}

        public function cookie(string $name, string $value = "", int $expires = 0, string $path = "/", string $domain = "", bool $secure = false, bool $httponly = false, string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** @alias Swoole\Http\Response::cookie */
        public function setCookie(string $name, string $value = "", int $expires = 0, string $path = "/", string $domain = "", bool $secure = false, bool $httponly = false, string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** As cookie(), the value sent as given (not url-encoded). */
        public function rawcookie(string $name, string $value = "", int $expires = 0, string $path = "/", string $domain = "", bool $secure = false, bool $httponly = false, string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** @alias Swoole\Http\Response::rawcookie */
        public function setRawCookie(string $name, string $value = "", int $expires = 0, string $path = "/", string $domain = "", bool $secure = false, bool $httponly = false, string $samesite = "", string $priority = "", bool $partitioned = false): bool {}

        /** Sends a piece of the body (chunked transfer coding). */
        public function write(string $content): bool {}

        public function end(?string $content = null): bool {}

        public function redirect(string $location, int $http_code = 302): bool {}

        /** Sends the file (from $offset, $length bytes; 0: to the end) as the whole body and ends the response. */
        public function sendfile(string $filename, int $offset = 0, int $length = 0): bool {}

        public function isWritable(): bool {}

        /** Sent after the last chunk (the response goes chunked); $value null removes the field. */
        public function trailer(string $key, ?string $value): bool {}

        /** Lets go of the response without answering: answer later with create() and the fd. */
        public function detach(): bool {}

        /**
         * A response to connection $fd of the running server: create($fd), create($server, $fd),
         * or create([$server, $request]) (which also takes the request's HTTP version and keep-alive).
         */
        public static function create(object|array|int $server = -1, int $fd = -1): Response|false {}

        public function upgrade(): bool {}

        /** @param \Swoole\WebSocket\Frame|string $data */
        public function push(mixed $data, int $opcode = 1, int $flags = 1): bool {}

        public function recv(float $timeout = -1): \Swoole\WebSocket\Frame|string|false {}

        public function ping(): bool {}

        public function close(): bool {}
    }
}
