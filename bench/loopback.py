"""Section (e) of bench/client.py: concurrent async calls over real loopback sockets.

A server in its own process (bench/loopback_server.py, aiohttp) answers the job-status body.
Each side sends N requests with at most C in flight (C workers taking the next request until N
are sent), after a warm-up that opens its connections:

- raw aiohttp: `ClientSession.get(url, headers={token})` + `json.loads` (the floor of the
  aiohttp transport);
- raw httpx: `AsyncClient.get(url, headers={token})` + `json.loads` (the floor of the default);
- ours on httpx: `AsyncCdmClient(token=...).jobs.get_status(...)`, its own httpx pool;
- ours on aiohttp: the same with `http_client=dataarts.DefaultAioHttpClient()`;
- httpx on aiohttp: a plain `httpx.AsyncClient` on httpx-aiohttp's `AiohttpTransport` +
  `json.loads`, without this package (the second floor of the aiohttp transport: what httpx's
  request and response objects cost on that pool by themselves).

Every pool allows 100 connections (httpx's and aiohttp's default). The sides run one after
another, their order rotated each round; ratios are taken within a round (paired), then the
median over rounds. Requests per second are wall time; the client process's CPU time per
request is shown too (the server runs in another process).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import canned
import httpx
from httpx_aiohttp import AiohttpTransport

from dataarts import AsyncCdmClient, DefaultAioHttpClient

BENCH = Path(__file__).resolve().parent
SIDES = ("raw aiohttp", "httpx on aiohttp", "ours on aiohttp", "raw httpx", "ours on httpx")
LEVELS = (1, 20, 200)  # requests in flight
LIMIT = 100  # connections per pool: httpx's default, set on every side


class LoopbackServer:
    """bench/loopback_server.py in a child process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(BENCH / "loopback_server.py")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            self.close()
            raise SystemExit("bench: the loopback server did not start")
        self.base_url = f"http://127.0.0.1:{int(line)}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


async def timed(call: Callable[[], Awaitable[Any]], n: int, c: int) -> tuple[float, float]:
    """(requests per second, client CPU seconds per request) of n calls, at most c in flight."""
    left = n

    async def worker() -> None:
        nonlocal left
        while left > 0:
            left -= 1
            await call()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(c)))
    return n / (time.perf_counter() - started), (time.process_time() - cpu) / n


async def one_level(base_url: str, n: int, c: int, order: list[str]) -> dict[str, tuple[float, float]]:
    """Every side once at concurrency c, in `order`; fresh pools, warmed up first."""
    status_url = (
        f"{base_url}/v1.1/{canned.PROJECT_ID}/clusters/{canned.CLUSTER_ID}/cdm/job/"
        f"{canned.JOB_NAME}/status"
    )
    token = "MIIbenchmark-token-" + "x" * 64
    headers = {"X-Auth-Token": token}
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=LIMIT))
    # httpx's default pool without timeouts, as raw aiohttp's session connects: on a loaded
    # machine at C = 200 httpx's 5 s pool wait, and even a 10 s connect, ran out and stopped
    # the run (the clients retry a failed connect; a floor has no retries).
    raw_httpx = httpx.AsyncClient(timeout=None)
    httpx_aiohttp = httpx.AsyncClient(
        transport=AiohttpTransport(limits=httpx.Limits(max_connections=LIMIT)), timeout=None
    )
    ours_httpx = AsyncCdmClient(base_url=base_url, project_id=canned.PROJECT_ID, token=token)
    aiohttp_pool = DefaultAioHttpClient(limits=httpx.Limits(max_connections=LIMIT))
    ours_aiohttp = AsyncCdmClient(
        base_url=base_url, project_id=canned.PROJECT_ID, token=token, http_client=aiohttp_pool
    )

    async def raw_aiohttp_call() -> Any:
        async with session.get(status_url, headers=headers) as response:
            return json.loads(await response.read())

    async def raw_httpx_call() -> Any:
        return json.loads((await raw_httpx.get(status_url, headers=headers)).content)

    async def httpx_aiohttp_call() -> Any:
        return json.loads((await httpx_aiohttp.get(status_url, headers=headers)).content)

    def ours(client: AsyncCdmClient) -> Callable[[], Awaitable[Any]]:
        async def call() -> Any:
            return await client.jobs.get_status(
                cluster_id=canned.CLUSTER_ID, job_name=canned.JOB_NAME
            )

        return call

    calls = {
        "raw aiohttp": raw_aiohttp_call,
        "raw httpx": raw_httpx_call,
        "httpx on aiohttp": httpx_aiohttp_call,
        "ours on httpx": ours(ours_httpx),
        "ours on aiohttp": ours(ours_aiohttp),
    }
    check = await calls["ours on aiohttp"]()
    if check.submissions[0].job_name != canned.JOB_NAME:
        raise SystemExit(f"bench: unexpected loopback answer {check!r}")
    try:
        results = {}
        for name in order:
            await timed(calls[name], min(n, max(200, 2 * c)), c)  # warm-up: connections opened
            results[name] = await timed(calls[name], n, c)
        return results
    finally:
        await session.close()
        await raw_httpx.aclose()
        await httpx_aiohttp.aclose()
        await ours_httpx.close()
        await aiohttp_pool.aclose()  # passed in: the client leaves it open


def run(n: int, rounds: int, levels: tuple[int, ...]) -> dict[int, dict[str, list[tuple[float, float]]]]:
    """{C: {side: [(req/s, cpu s/request) per round]}} with one server for the whole run."""
    server = LoopbackServer()
    try:
        found: dict[int, dict[str, list[tuple[float, float]]]] = {
            c: {side: [] for side in SIDES} for c in levels
        }
        for r in range(rounds):
            order = list(SIDES[r % len(SIDES) :] + SIDES[: r % len(SIDES)])
            for c in levels:
                for side, value in asyncio.run(one_level(server.base_url, n, c, order)).items():
                    found[c][side].append(value)
                print(f"  round {r + 1}/{rounds}, C={c} done", flush=True)
        return found
    finally:
        server.close()


def paired(found: dict[str, list[tuple[float, float]]], ours: str, floor: str) -> float:
    """Median over rounds of ours' rate / the floor's rate in the same round."""
    return statistics.median(
        o[0] / f[0] for o, f in zip(found[ours], found[floor], strict=True)
    )
