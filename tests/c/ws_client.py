#!/usr/bin/python3
"""A real WebSocket client (python3-websockets) for tests/c/test_ws_server.c.

Usage: ws_client.py SCENARIO PORT [ARGS...]. Each scenario prints one line
per check ("ok ..." or a description of what went wrong) and exits 0 only
if every check passed; the C test asserts on both. Every wait is bounded.
"""
import asyncio
import random
import sys

import websockets

TIMEOUT = 5


def uri(port, path="/"):
    return "ws://127.0.0.1:%d%s" % (port, path)


def close_info(exc):
    """Code and reason of the close frame received, across library versions."""
    rcvd = getattr(exc, "rcvd", None)
    if rcvd is not None:
        return rcvd.code, rcvd.reason
    return exc.code, exc.reason


async def recv(ws):
    return await asyncio.wait_for(ws.recv(), TIMEOUT)


async def echo(port):
    async with websockets.connect(uri(port), compression=None) as ws:
        await ws.send("hello")
        got = await recv(ws)
        assert got == "hello", got
        print("ok text")
        data = bytes(range(256)) * 3
        await ws.send(data)
        got = await recv(ws)
        assert got == data, got
        print("ok binary")
        # One 512 KiB frame: streamed through the assembler in pieces.
        big = random.Random(3).randbytes(512 * 1024)  # a generator took seconds when loaded
        await ws.send(big)
        got = await recv(ws)
        assert got == big, "big echo differs (%d bytes back)" % len(got)
        print("ok big")
        await ws.send("whoami")
        print("ok " + await recv(ws))


async def fragment(port):
    async with websockets.connect(uri(port), compression=None) as ws:
        # An iterable is sent as one message in several frames.
        await ws.send(["frag1-", "frag2-", "frag3"])
        got = await recv(ws)
        assert got == "frag1-frag2-frag3", got
        await ws.send([b"\x01\x02", b"", b"\x03"])
        got = await recv(ws)
        assert got == b"\x01\x02\x03", got
        print("ok fragmented")


async def ping(port):
    async with websockets.connect(uri(port), compression=None) as ws:
        waiter = await ws.ping(b"are-you-there")
        await asyncio.wait_for(waiter, TIMEOUT)
        print("ok pong")


async def close(port):
    ws = await websockets.connect(uri(port), compression=None)
    await ws.close(1000, "done")
    print("ok close %s %s" % (ws.close_code, ws.close_reason))


async def disconnect(port):
    async with websockets.connect(uri(port), compression=None) as ws:
        await ws.send("bye")
        try:
            got = await recv(ws)
            print("unexpected message %r" % got)
            return
        except websockets.ConnectionClosed as e:
            code, reason = close_info(e)
            print("ok closed %s %s" % (code, reason))


def count_rsv1():
    """Counts compressed frames the client decodes (server -> client)."""
    from websockets.extensions import permessage_deflate as pmd
    seen = {"rsv1": 0}
    orig = pmd.PerMessageDeflate.decode

    def decode(self, frame, *args, **kwargs):
        if frame.rsv1:
            seen["rsv1"] += 1
        return orig(self, frame, *args, **kwargs)

    pmd.PerMessageDeflate.decode = decode
    return seen


async def deflate(port):
    seen = count_rsv1()
    async with websockets.connect(uri(port), compression="deflate", max_size=None) as ws:
        ext = ws.response_headers.get("Sec-WebSocket-Extensions", "")
        assert "permessage-deflate" in ext, ext
        rnd = random.Random(7)
        # 100 KiB that compresses but is not trivially repetitive.
        words = [bytes(rnd.choice(b"abcdefghij") for _ in range(8)) for _ in range(64)]
        data = b"".join(rnd.choice(words) for _ in range(100 * 1024 // 8))
        await ws.send(data)
        got = await recv(ws)
        assert got == data, "echo differs (%d bytes back)" % len(got)
        await ws.send(data.decode())
        got = await recv(ws)
        assert got == data.decode(), "text echo differs"
        assert seen["rsv1"] >= 2, seen
        print("ok deflate %d %s" % (len(data), ext))


async def push(port):
    async with websockets.connect(uri(port), compression=None) as a, \
            websockets.connect(uri(port), compression=None) as b:
        await b.send("whoami")
        fd_b = (await recv(b)).split()[0].split("=")[1]
        await a.send("push-to:%s:hi-b" % fd_b)
        assert await recv(a) == "pushed 0"
        got = await recv(b)
        assert got == "hi-b", got
        print("ok push")


async def broadcast(port, n):
    conns = [await websockets.connect(uri(port), compression=None) for _ in range(n)]
    try:
        # Everyone is established before the broadcast starts.
        for c in conns:
            await c.send("whoami")
            await recv(c)
        await conns[0].send("broadcast:news")
        got = 0
        first = []
        for i, c in enumerate(conns):
            m = await recv(c)
            if i == 0 and m.startswith("sent="):
                first.append(m)
                m = await recv(c)
            if m == "news":
                got += 1
        if not first:
            first.append(await recv(conns[0]))
        print("ok broadcast received=%d %s" % (got, first[0]))
    finally:
        for c in conns:
            await c.close()


async def relay(port):
    async with websockets.connect(uri(port), compression=None) as ws:
        await ws.send("whoami")
        fd = (await recv(ws)).split()[0].split("=")[1]
        await ws.send("relay:%s:hello-relay" % fd)
        got = await recv(ws)
        assert got == "hello-relay", got
        print("ok relay")
        await ws.send("relaybye:%s" % fd)
        try:
            got = await recv(ws)
            print("unexpected message %r" % got)
        except websockets.ConnectionClosed as e:
            code, reason = close_info(e)
            print("ok relaybye %s %s" % (code, reason))


async def restart(port):
    async with websockets.connect(uri(port), compression=None) as ws:
        await ws.send("reload")
        try:
            got = await asyncio.wait_for(ws.recv(), 10)
            print("unexpected message %r" % got)
        except websockets.ConnectionClosed as e:
            code, reason = close_info(e)
            print("ok restart %s" % code)


async def reject(port):
    try:
        async with websockets.connect(uri(port, "/deny"), compression=None):
            print("connected where it should be refused")
    except websockets.InvalidStatusCode as e:
        print("ok refused %d" % e.status_code)
    async with websockets.connect(uri(port, "/custom"), compression=None) as ws:
        await ws.send("whoami")
        print("ok custom " + await recv(ws))


SCENARIOS = {"echo": echo, "fragment": fragment, "ping": ping, "close": close,
             "disconnect": disconnect, "deflate": deflate, "push": push,
             "reject": reject, "relay": relay,
             "restart": restart}


def main():
    name, port = sys.argv[1], int(sys.argv[2])
    if name == "broadcast":
        coro = broadcast(port, int(sys.argv[3]))
    else:
        coro = SCENARIOS[name](port)
    try:
        asyncio.run(asyncio.wait_for(coro, 20))
    except Exception as e:  # reported to the C test, which shows the output
        print("error %s: %r" % (type(e).__name__, e))
        sys.exit(1)


if __name__ == "__main__":
    main()
