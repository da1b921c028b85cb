"""WebSocket client for WebSocketIT, with Debian's python3-websockets (independent of Netty).

usage: ws_client.py MODE URL [TOKEN] [SIZE]
  echo     text, binary, a large binary and a fragmented text message round trip, then a close handshake
  idle     wait until the server side ends the connection
  too-big  send one SIZE-byte binary message as a single frame
  too-big-fragmented  send SIZE bytes as one message of 64 KiB fragments
Prints one JSON object: what came back, the close code, or the HTTP status of a refused handshake.
"""
import asyncio
import json
import sys

import websockets


async def main():
    mode, url = sys.argv[1], sys.argv[2]
    token = sys.argv[3] if len(sys.argv) > 3 else ""
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    headers = {"Authorization": "Bearer " + token} if token else {}
    out = {}
    try:
        async with websockets.connect(url, extra_headers=headers, max_size=None, compression=None,
                                      open_timeout=10, close_timeout=10, ping_interval=None) as ws:
            if mode == "echo":
                await ws.send("hello through the gateway")
                out["text"] = await ws.recv()
                payload = bytes(range(256))
                await ws.send(payload)
                echoed = await ws.recv()
                out["binary"] = isinstance(echoed, bytes) and echoed == payload
                large = bytes((i * 7) % 251 for i in range(700_000))
                await ws.send(large)
                echoed = await ws.recv()
                out["large"] = len(echoed) if echoed == large else -1
                await ws.send(iter(["part one, ", "part two, ", "part three"]))
                out["fragmented"] = await ws.recv()
                await ws.close(1000, "done")
                out["close_code"] = ws.close_code
            elif mode == "idle":
                try:
                    await asyncio.wait_for(ws.recv(), 30)
                except websockets.ConnectionClosed:
                    pass
                out["close_code"] = ws.close_code
            elif mode in ("too-big", "too-big-fragmented"):
                data = b"x" * size
                try:
                    if mode == "too-big":
                        await ws.send(data)
                    else:
                        await ws.send(iter([data[i:i + 65536] for i in range(0, size, 65536)]))
                    await asyncio.wait_for(ws.recv(), 30)
                except websockets.ConnectionClosed:
                    pass
                out["close_code"] = ws.close_code
    except websockets.InvalidStatusCode as e:
        out["status"] = e.status_code
    print(json.dumps(out))


asyncio.run(main())
