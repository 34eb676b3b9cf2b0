"""Many concurrent clients against a simulator server in its own process, with aiohttp (so the
client is not the bottleneck). Shared by `bench/simulator.py` and the suite's load test.

    with server_process(ours()) as server:
        figures = run_load(server.url, calls=2000, connections=200)
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "0123456789abcdef0123456789abcdef"
LIST_PATH = f"/v1.1/{PROJECT}/clusters"  # ListClusters: the "list calls"


@dataclass
class Figures:
    """What one load run saw: each answered call's latency, and what went wrong."""

    calls: int
    connections: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, answered calls only
    errors: Counter[str] = field(default_factory=Counter)  # exception or status -> count
    connects: list[float] = field(default_factory=list)  # seconds each new connection took

    def percentile(self, share: float) -> float:
        """Latency at `share` (0.99: p99) of every call, a failed call counting as infinite."""
        ordered = sorted(self.latencies) + [float("inf")] * sum(self.errors.values())
        return ordered[min(int(share * len(ordered)), len(ordered) - 1)]

    def line(self) -> str:
        ms = {name: self.percentile(share) * 1000 for name, share in
              (("p50", 0.5), ("p95", 0.95), ("p99", 0.99))}  # fmt: skip
        errors = sum(self.errors.values())
        detail = f" ({', '.join(f'{n} {k}' for k, n in self.errors.most_common())})" if errors else ""
        return (
            f"{self.calls} calls over {self.connections} connections: {errors} errors{detail}, "
            + ", ".join(f"{k} {v:.1f} ms" for k, v in ms.items())
            + f", max {max(self.latencies, default=0) * 1000:.1f} ms,"
            f" {self.calls / self.seconds:.0f} calls/s,"
            f" slowest connect {max(self.connects, default=0) * 1000:.0f} ms"
        )


async def _load(url: str, calls: int, connections: int, timeout: float) -> Figures:
    figures = Figures(calls, connections, 0.0)
    limits = aiohttp.TCPConnector(limit=connections, limit_per_host=connections)
    per_call = aiohttp.ClientTimeout(total=timeout)
    headers = {"X-Auth-Token": "load-test-token"}
    remaining = iter(range(calls))

    async def worker(session: aiohttp.ClientSession) -> None:
        for _ in remaining:
            started = time.perf_counter()
            try:
                async with session.get(url + LIST_PATH, headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        figures.errors[f"HTTP {response.status}"] += 1
                        continue
            except (TimeoutError, aiohttp.ClientError) as exc:
                figures.errors[type(exc).__name__] += 1
                continue
            figures.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    jar = aiohttp.DummyCookieJar()  # the client's own work kept small: no cookies, no gzip
    async with aiohttp.ClientSession(
        connector=limits,
        timeout=per_call,
        cookie_jar=jar,
        auto_decompress=False,
        trace_configs=[_connect_timer(figures)],
    ) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
    figures.seconds = time.perf_counter() - started
    return figures


def _connect_timer(figures: Figures) -> aiohttp.TraceConfig:
    """Times each new connection: a refused one (a full listen queue) is retried by TCP after a
    second, where an accepted one takes microseconds on loopback."""
    trace = aiohttp.TraceConfig()
    started: dict[int, float] = {}

    async def start(session: Any, context: Any, params: Any) -> None:
        started[id(context)] = time.perf_counter()

    async def end(session: Any, context: Any, params: Any) -> None:
        figures.connects.append(time.perf_counter() - started.pop(id(context)))

    trace.on_connection_create_start.append(start)
    trace.on_connection_create_end.append(end)
    return trace


def run_load(url: str, *, calls: int, connections: int, timeout: float = 30.0) -> Figures:
    """`calls` ListClusters calls, `connections` of them in flight at once."""
    return asyncio.run(_load(url, calls, connections, timeout))


def ours() -> list[str]:
    """The simulator's own `serve` command."""
    return [sys.executable, "-m", "dataarts.testing", "serve", "--port", "0"]


@dataclass(frozen=True)
class Running:
    url: str
    pid: int


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server_process(argv: list[str]) -> Iterator[Running]:
    """Run a server command printing `... listening on URL` first, while it runs."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "generated"), str(ROOT)])}
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if "listening on" not in line:
            raise RuntimeError(f"{argv} did not start: {line!r}")
        url = line.split()[-1]
        run_load(url, calls=50, connections=5)  # warm-up: imports, first answers
        yield Running(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
