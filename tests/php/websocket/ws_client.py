#!/usr/bin/python3
"""A real WebSocket client (python3-websockets) for tests/php/websocket.

Usage: ws_client.py SCENARIO PORT [ARGS...]. Each scenario prints what it
saw, one line per step, for the phpt to compare; every wait is bounded
(5 s), and an unexpected exception is printed with its type.
"""
import asyncio
import sys

import websockets

TIMEOUT = 5


def uri(port, path="/"):
    return "ws://127.0.0.1:%d%s" % (port, path)


async def recv(ws):
    return await asyncio.wait_for(ws.recv(), TIMEOUT)


def show(got):
    if isinstance(got, bytes):
        return "binary %d bytes" % len(got)
    return "text %r" % got


async def example(port):
    """examples/websocket_server.php: welcome, echo of every kind, broadcast."""
    async with websockets.connect(uri(port), compression=None) as a:
        print("a:", await recv(a))
        await a.send("hello")
        print("echo:", show(await recv(a)))
        data = bytes(range(256)) * 300
        await a.send(data)
        got = await recv(a)
        print("echo:", show(got), "same" if got == data else "DIFFERENT")
        await a.send(["frag1-", "frag2-", "frag3"])  # one message, three frames
        print("fragmented:", show(await recv(a)))
        await a.send([b"\x00\x01", b"", b"\x02"])
        print("fragmented:", (await recv(a)).hex())
        async with websockets.connect(uri(port), compression=None) as b:
            print("b:", await recv(b))
            await b.send("broadcast:hi all")
            print("a got:", await recv(a))
            print("b got:", await recv(b))


async def compression(port, text):
    """Offers permessage-deflate; sends `text` and reads one reply."""
    async with websockets.connect(uri(port), compression="deflate") as ws:
        print("extensions:", ws.response_headers.get("Sec-WebSocket-Extensions"))
        await ws.send(text)
        print("reply:", show(await recv(ws)))


async def ping(port):
    """A ping is answered with a pong carrying the same payload."""
    async with websockets.connect(uri(port), compression=None) as ws:
        waiter = await ws.ping(b"are-you-there")
        await asyncio.wait_for(waiter, TIMEOUT)
        print("pong received")


async def closing(port, code, reason):
    """The client closes; the server's answering close code is printed."""
    ws = await websockets.connect(uri(port), compression=None)
    await ws.close(int(code), reason)
    print("closed:", ws.close_code, repr(ws.close_reason))


async def kicked(port, message):
    """Sends `message`, then waits for the server to close."""
    async with websockets.connect(uri(port), compression=None) as ws:
        await ws.send(message)
        try:
            print("unexpected message:", show(await recv(ws)))
        except websockets.ConnectionClosed as e:
            rcvd = getattr(e, "rcvd", None)
            code, reason = (rcvd.code, rcvd.reason) if rcvd else (e.code, e.reason)
            print("closed by server:", code, repr(reason))


async def connect(port, path, subprotocols=""):
    """Tries a handshake; prints the outcome."""
    protos = [p for p in subprotocols.split(",") if p] or None
    try:
        async with websockets.connect(uri(port, path), compression=None,
                                      subprotocols=protos) as ws:
            print("connected, subprotocol:", ws.subprotocol)
            await ws.send("hi")
            print("reply:", show(await recv(ws)))
    except websockets.InvalidStatusCode as e:
        print("refused:", e.status_code)


SCENARIOS = {"example": example, "compression": compression, "ping": ping,
             "close": closing, "kicked": kicked, "connect": connect}


def main():
    name, port, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    try:
        asyncio.run(asyncio.wait_for(SCENARIOS[name](port, *args), 3 * TIMEOUT))
    except Exception as e:  # the phpt shows it instead of hanging or passing
        print("error: %s %s" % (type(e).__name__, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
