<?php

/**
 * Swoole\Coroutine\Http\Client and the Swoole\Coroutine\Http\get() / post()
 * / request() helpers (ext/php_http_client.c) over the engine's HTTP client
 * (include/eddy/http_client.h). Signatures follow Swoole 5.1;
 * scripts/gen_stubs.sh turns this file into http_client_arginfo.h.
 *
 * SSL is not built: new Client($host, $port, true) throws. HTTP/2 and
 * proxies are not provided.
 *
 * @generate-class-entries
 */

namespace Swoole\Coroutine\Http {
    /** @not-serializable */
    class Client {
        public int $errCode = 0;
        public string $errMsg = "";
        public bool $connected = false;
        public string $host = "";
        public int $port = 0;
        public bool $ssl = false;
        public ?array $setting = null;
        public ?string $requestMethod = null;
        public ?array $requestHeaders = null;
        public mixed $requestBody = null;
        public ?array $uploadFiles = null;
        public ?string $downloadFile = null;
        public int $downloadOffset = 0;
        public int $statusCode = 0;
        public ?array $headers = null;
        public ?array $set_cookie_headers = null;
        public ?array $cookies = null;
        public string $body = "";

        public function __construct(string $host, int $port = 0, bool $ssl = false) {}

        public function __destruct() {}

        /** timeout, connect_timeout, read_timeout, write_timeout, keep_alive, http_compression, websocket_compression, body_max_size */
        public function set(array $settings): bool {}

        public function getDefer(): bool {}

        public function setDefer(bool $defer = true): bool {}

        public function setMethod(string $method): bool {}

        public function setHeaders(array $headers): bool {}

        public function setBasicAuth(string $username, string $password): void {}

        public function setCookies(array $cookies): bool {}

        /** A string is sent as is; an array as a form (urlencoded, or multipart fields with addFile()). */
        public function setData(string|array $data): bool {}

        /** $length 0: to the end of the file. */
        public function addFile(string $path, string $name, ?string $type = null, ?string $filename = null, int $offset = 0, int $length = 0): bool {}

        public function addData(string $data, string $name, ?string $type = null, ?string $filename = null): bool {}

        public function execute(string $path): bool {}

        public function getpeername(): array|false {}

        public function get(string $path): bool {}

        public function post(string $path, mixed $data): bool {}

        public function download(string $path, string $file, int $offset = 0): bool {}

        public function getBody(): string|false {}

        public function getHeaders(): array|null|false {}

        public function getCookies(): array|null|false {}

        public function getStatusCode(): int|false {}

        public function getHeaderOut(): string|false {}

        public function upgrade(string $path): bool {}

        /** $opcode: SWOOLE_WEBSOCKET_OPCODE_*; $flags: SWOOLE_WEBSOCKET_FLAG_FIN | SWOOLE_WEBSOCKET_FLAG_COMPRESS */
        public function push(mixed $data, int $opcode = 1, int $flags = 1): bool {}

        /** A Swoole\WebSocket\Frame (Swoole\WebSocket\CloseFrame for a close), or false. */
        public function recv(float $timeout = 0): object|false {}

        public function close(): bool {}
    }

    /** What get() / post() / request() return. */
    class ClientProxy {
        private string $body;
        private int $statusCode;
        private ?array $headers;
        private ?array $cookies;

        public function __construct(string $body, int $statusCode, ?array $headers, ?array $cookies) {}

        public function getBody(): string {}

        public function getStatusCode(): int {}

        public function getHeaders(): ?array {}

        public function getCookies(): ?array {}
    }

    /** @throws \Swoole\Coroutine\Http\Client\Exception when no response came */
    function request(string $url, string $method, mixed $data = null, ?array $options = null, ?array $headers = null, ?array $cookies = null): ClientProxy {}

    function get(string $url, ?array $options = null, ?array $headers = null, ?array $cookies = null): ClientProxy {}

    function post(string $url, mixed $data, ?array $options = null, ?array $headers = null, ?array $cookies = null): ClientProxy {}
}

namespace Swoole\Coroutine\Http\Client {
    class Exception extends \Swoole\Exception {}
}
