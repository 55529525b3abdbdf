<?php
/*
 * A TLS server for the ssl tests, run by stock PHP (`php -n`, no swoole):
 * PHP's own openssl transport, so the tests' client side meets an
 * implementation that is not ours.
 *
 *   php -n tls_server.php MODE CERT KEY
 *
 * Listens on a free port of 127.0.0.1 and prints it on stdout once 24
 * pre-forked workers wait on it (so 20 slow answers overlap, with no fork
 * in the way); each worker accepts plain TCP and runs the TLS handshake
 * itself. Until SIGTERM: the workers notice their parent is gone (a pipe
 * from it reaches EOF) and exit. A test that dies before stopping it
 * leaves nothing behind for long: the parent ends after 120 s, the
 * workers after 60 s.
 *
 * MODE: echo     lines back upper-cased until EOF
 *       slow     one line in, 0.2 s pause, "pong\n" out, close
 *       starttls plain text "STARTTLS\n" -> "GO\n", then TLS and echo
 *       http     HTTP/1.1 keep-alive; answers JSON {method, uri, body, host, peer}
 *       ws       HTTP upgrade to WebSocket, echoes text frames upper-cased
 */
[, $mode, $cert, $key] = $argv;
$ctx = stream_context_create(['ssl' => ['local_cert' => $cert, 'local_pk' => $key]]);
$srv = stream_socket_server("tcp://127.0.0.1:0", $errno, $errstr,
                            STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
if (!$srv) {
    fwrite(STDERR, "listen: $errstr\n");
    exit(1);
}

[$keep, $watch] = stream_socket_pair(STREAM_PF_UNIX, STREAM_SOCK_STREAM, STREAM_IPPROTO_IP);
for ($i = 0; $i < 24; $i++) {
    if (pcntl_fork() === 0) {
        fclose($keep);
        worker($mode, $srv, $watch);
        exit(0);
    }
}
fclose($watch);
echo substr(strrchr(stream_socket_get_name($srv, false), ':'), 1), "\n";
fflush(STDOUT);
pcntl_alarm(120);
pcntl_async_signals(true);
pcntl_signal(SIGTERM, function () {
    exit(0); /* $keep closes: the workers see EOF */
});
while (true) {
    sleep(1);
    while (pcntl_waitpid(-1, $status, WNOHANG) > 0) {
    }
}

function worker(string $mode, $srv, $watch): void {
    pcntl_alarm(60);
    /* the workers race for each connection: the losers must not block */
    stream_set_blocking($srv, false);
    while (true) {
        $r = [$srv, $watch];
        $w = $e = null;
        if (@stream_select($r, $w, $e, 1) < 1) {
            continue;
        }
        if (in_array($watch, $r, true)) {
            return; /* the parent is gone */
        }
        /* another worker may have taken it: accept without waiting */
        $conn = @stream_socket_accept($srv, 0);
        if (!$conn) {
            continue;
        }
        stream_set_blocking($conn, true); /* not the listener's mode */
        /* a failed handshake (a client that rejected us) is the client's business */
        if ($mode === 'starttls' ||
            @stream_socket_enable_crypto($conn, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
            serve($mode, $conn);
        } else {
            fclose($conn);
        }
    }
}

function serve(string $mode, $conn): void {
    switch ($mode) {
    case 'echo':
        echo_lines($conn);
        break;
    case 'slow':
        if (fgets($conn) !== false) {
            usleep(200000);
            fwrite($conn, "pong\n");
        }
        break;
    case 'starttls':
        if (fgets($conn) === "STARTTLS\n") {
            fwrite($conn, "GO\n");
            if (stream_socket_enable_crypto($conn, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
                echo_lines($conn);
            }
        }
        break;
    case 'http':
        serve_http($conn);
        break;
    case 'ws':
        serve_ws($conn);
        break;
    }
    fclose($conn);
}

function echo_lines($conn): void {
    while (($line = fgets($conn)) !== false) {
        fwrite($conn, strtoupper($line));
    }
}

/* The head as [request line, [lower-case name => value]], or null at EOF. */
function read_head($conn): ?array {
    $line = fgets($conn);
    if ($line === false || trim($line) === '') {
        return null;
    }
    $headers = [];
    while (($h = fgets($conn)) !== false && trim($h) !== '') {
        [$name, $value] = explode(':', $h, 2);
        $headers[strtolower($name)] = trim($value);
    }
    return [trim($line), $headers];
}

function serve_http($conn): void {
    while (($head = read_head($conn)) !== null) {
        [$line, $headers] = $head;
        [$method, $uri] = explode(' ', $line);
        $len = (int) ($headers['content-length'] ?? 0);
        $body = '';
        while (strlen($body) < $len && !feof($conn)) {
            $body .= fread($conn, $len - strlen($body));
        }
        $out = json_encode(['method' => $method, 'uri' => $uri, 'body' => $body,
                            'host' => $headers['host'] ?? null,
                            'peer' => stream_socket_get_name($conn, true)]);
        fwrite($conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    . "Content-Length: " . strlen($out) . "\r\n\r\n" . $out);
        /* HTTP/1.0 (PHP's http:// wrapper by default) or "close": the
         * client reads to the end */
        if (str_ends_with($line, 'HTTP/1.0') || strcasecmp($headers['connection'] ?? '', 'close') === 0) {
            return;
        }
    }
}

function read_exact($conn, int $n): ?string {
    $s = '';
    while (strlen($s) < $n) {
        $d = fread($conn, $n - strlen($s));
        if ($d === false || $d === '') {
            return null;
        }
        $s .= $d;
    }
    return $s;
}

function serve_ws($conn): void {
    $head = read_head($conn);
    if ($head === null || !isset($head[1]['sec-websocket-key'])) {
        return;
    }
    $accept = base64_encode(sha1($head[1]['sec-websocket-key']
                                 . '258EAFA5-E914-47DA-95CA-C5AB0DC85B11', true));
    fwrite($conn, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                . "Connection: Upgrade\r\nSec-WebSocket-Accept: $accept\r\n\r\n");
    while (($h = read_exact($conn, 2)) !== null) {
        $op = ord($h[0]) & 0x0f;
        $len = ord($h[1]) & 0x7f;
        if ($len === 126) {
            $len = unpack('n', read_exact($conn, 2))[1];
        } elseif ($len === 127) {
            $len = unpack('J', read_exact($conn, 8))[1];
        }
        $mask = read_exact($conn, 4);
        $data = $len ? read_exact($conn, $len) : '';
        for ($i = 0; $i < $len; $i++) {
            $data[$i] = $data[$i] ^ $mask[$i % 4];
        }
        if ($op === 8) {
            fwrite($conn, "\x88\x00");
            return;
        }
        $reply = strtoupper($data);
        $n = strlen($reply);
        $hdr = $n < 126 ? chr($n) : ($n < 65536 ? chr(126) . pack('n', $n) : chr(127) . pack('J', $n));
        fwrite($conn, "\x81" . $hdr . $reply);
    }
}
