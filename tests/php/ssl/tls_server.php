<?php
/*
 * A TLS server for the ssl tests, run by stock PHP (`php -n`, no swoole):
 * PHP's own openssl transport, so the tests' client side meets an
 * implementation that is not ours.
 *
 *   php -n tls_server.php MODE CERT KEY
 *
 * Listens on a free port of 127.0.0.1, prints it on stdout, and serves each
 * connection in a forked child (so slow answers overlap), until SIGTERM.
 * Children exit when their connection ends, or after 20 s at the latest.
 * The parent accepts plain TCP and the child runs the TLS handshake: a
 * parent closing its copy of a TLS stream would send close_notify on the
 * child's connection.
 *
 * MODE: echo     lines back upper-cased until EOF
 *       slow     one line in, 0.2 s pause, "pong\n" out, close
 *       starttls plain text "STARTTLS\n" -> "GO\n", then TLS and echo
 *       http     HTTP/1.1 keep-alive; answers JSON {method, uri, body, host}
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
echo substr(strrchr(stream_socket_get_name($srv, false), ':'), 1), "\n";
fflush(STDOUT);

$stop = false;
pcntl_async_signals(true);
pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; });

while (!$stop) {
    while (pcntl_waitpid(-1, $status, WNOHANG) > 0) {
    }
    $conn = @stream_socket_accept($srv, 0.2);
    if (!$conn) {
        continue;
    }
    $pid = pcntl_fork();
    if ($pid === 0) {
        fclose($srv);
        pcntl_signal(SIGTERM, SIG_DFL);
        pcntl_alarm(20);
        /* a failed handshake (a client that rejected us) is the client's business */
        if ($mode === 'starttls' || @stream_socket_enable_crypto($conn, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) {
            serve($mode, $conn);
        }
        exit(0);
    }
    fclose($conn);
}
exit(0);

function serve(string $mode, $conn): void {
    switch ($mode) {
    case 'echo':
        while (($line = fgets($conn)) !== false) {
            fwrite($conn, strtoupper($line));
        }
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
                serve('echo', $conn);
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
                            'host' => $headers['host'] ?? null]);
        fwrite($conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    . "Content-Length: " . strlen($out) . "\r\n\r\n" . $out);
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
