"""An ExpireEye client as its users wrote them: the `websockets` package, asyncio, nothing Herald-specific.

Run by ExpireEyePythonClientTest. Each step prints one JSON line; the test answers on stdin where it must
act (publish a notification) before the client goes on.
"""
import asyncio
import json
import sys

import websockets


def report(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


async def without_token(base):
    async with websockets.connect(base + "/api/ws/notification") as ws:
        try:
            await ws.recv()
            report("unexpected-message")
        except websockets.exceptions.ConnectionClosed as closed:
            report("closed", code=closed.rcvd.code, reason=closed.rcvd.reason)


async def with_token(base, token):
    async with websockets.connect(base + "/api/ws/notification?access_token=" + token) as ws:
        report("established", message=json.loads(await ws.recv()))
        await ws.send("PING")
        report("pong", text=await ws.recv())
        # Let the test publish, then read what arrives.
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        notification = json.loads(await ws.recv())
        report("notification", message=notification)
        await ws.send(json.dumps({"action": "mark_read", "id": notification["id"]}))
        report("read", message=json.loads(await ws.recv()))


if __name__ == "__main__":
    base_url = sys.argv[1]
    asyncio.run(without_token(base_url) if len(sys.argv) == 2 else with_token(base_url, sys.argv[2]))
