"""The loopback server of bench/loopback.py: an aiohttp server in its own process.

    .venv/bin/python bench/loopback_server.py      (started by bench/loopback.py)

Answers every request, whatever its path, with the job-status body of bench/canned.py and the
same headers as the canned service; prints its port on the first line of stdout, then serves on
127.0.0.1 until it is terminated.
"""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import canned
from aiohttp import web

BODY = canned.status_body()


async def answer(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(body=BODY, headers=canned.JSON_HEADERS)


async def serve() -> None:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1024)
    await web.SockSite(runner, sock).start()
    print(sock.getsockname()[1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(serve())
