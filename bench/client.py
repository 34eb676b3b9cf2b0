"""Client benchmark: the generated `dataarts` package against raw httpx, measured in one run.

    PYTHONPATH=generated .venv/bin/python bench/client.py [--calls N] [--batches N]
    (make bench-client)

Both sides send through the same `httpx.MockTransport` handler (canned bodies, no network):
  (a) per call, "query job status": `client.jobs.get_status(...)` vs `httpx.Client.get(url)` +
      `json.loads`, with a token header; then with AK/SK signing on both sides (ours built with
      ak=/sk=, raw httpx given our `AkSkAuth`). Median µs per call over batches, after warm-up;
      batches of the two sides are interleaved.
  (b) a 5,000-job ShowJobs list response (the job of the recorded fixture, each with its own
      name): `client.jobs.get(job_name="all")` vs raw httpx + `json.loads`.
  (c) async variants of (a), for information.
  (d) import time: fresh interpreters running `import dataarts` etc., minus `pass`.
Not a test: timings are never asserted. Goals are printed next to the results.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import functools
import gc
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

import httpx

import dataarts
from dataarts import AkSkAuth, AsyncCdmClient, CdmClient

FIXTURES = ROOT / "tests" / "fixtures" / "cdm"
REGION = "cn-north-4"
PROJECT_ID = "1551c7f6c808414d8e9f3c514a170f2e"
CLUSTER_ID = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
JOB_NAME = "jdbc2hive"
TOKEN = "MIIbenchmark-token-" + "x" * 64
AK = "HPUABENCHMARKAK0001"
SK = "benchmarkSecretKey0123456789abcdefghijkl"
BASE = f"https://cdm.{REGION}.myhuaweicloud.com/v1.1/{PROJECT_ID}/clusters/{CLUSTER_ID}/cdm/job"
STATUS_URL = f"{BASE}/{JOB_NAME}/status"
JOBS_URL = f"{BASE}/all"
LIST_JOBS = 5000
GOAL_CALL_RATIO = 1.5
GOAL_IMPORT_MS = 150.0


# -- the canned server ---------------------------------------------------------------------------


def fixture_body(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["response"]["body"]


STATUS_BODY = json.dumps(fixture_body("ShowJobStatus.200.json")).encode()


def jobs_body(count: int) -> bytes:
    template = fixture_body("ShowJobs.200.json")
    job = template["jobs"][0]
    jobs = []
    for i in range(count):
        item = copy.deepcopy(job)
        item["name"] = f"{job['name']}_{i:05d}"
        jobs.append(item)
    body = {**template, "total": count, "jobs": jobs}
    return json.dumps(body).encode()


JOBS_BODY = jobs_body(LIST_JOBS)
JSON_HEADERS = {"Content-Type": "application/json", "X-Request-Id": "0123456789abcdef"}


def handler(request: httpx.Request) -> httpx.Response:
    """Same handler, same bytes for both sides."""
    body = STATUS_BODY if request.url.path.endswith("/status") else JOBS_BODY
    return httpx.Response(200, headers=JSON_HEADERS, content=body)


TRANSPORT = httpx.MockTransport(handler)


class WarningCounter(logging.Handler):
    """Counts `dataarts` warnings: a response that fails validation is parsed leniently, with one."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


WARNINGS = WarningCounter()
logging.getLogger("dataarts").addHandler(WARNINGS)


# -- timing helpers ------------------------------------------------------------------------------


def per_call_sync(fn: Callable[[], Any], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - started) / calls


async def per_call_async(fn: Callable[[], Awaitable[Any]], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        await fn()
    return (time.perf_counter() - started) / calls


def interleave(sides: dict[str, Callable[[], float]], batches: int) -> dict[str, list[float]]:
    """Run one batch of each side in turn (order rotated each time); every side's results."""
    names = list(sides)
    out: dict[str, list[float]] = {n: [] for n in names}
    for b in range(batches):
        for name in names[b % len(names) :] + names[: b % len(names)]:
            out[name].append(sides[name]())
    return out


async def interleave_async(
    sides: dict[str, Callable[[], Awaitable[float]]], batches: int
) -> dict[str, list[float]]:
    names = list(sides)
    out: dict[str, list[float]] = {n: [] for n in names}
    for b in range(batches):
        for name in names[b % len(names) :] + names[: b % len(names)]:
            out[name].append(await sides[name]())
    return out


def load_note() -> str:
    one, five, _ = os.getloadavg()
    busy = " (other work is running: compare ratios, not absolute times)" if one > 0.5 else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min){busy}"


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def paired(ours: list[float], peer: list[float]) -> float:
    """Median of the ratios of batches run back to back: steadier than a ratio of medians."""
    return statistics.median(o / p for o, p in zip(ours, peer, strict=True))


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# -- (a) and (c): per-call overhead --------------------------------------------------------------


def check_status(parsed: Any) -> None:
    first = parsed.submissions[0]
    if first.status != "BOOTING" or first.job_name != JOB_NAME:
        raise SystemExit(f"bench: unexpected status result {parsed!r}")


def bench_calls_sync(calls: int, batches: int, warmup: int) -> dict[str, list[float]]:
    ours_token = CdmClient(
        region=REGION,
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=TRANSPORT),
    )
    ours_aksk = CdmClient(
        region=REGION,
        project_id=PROJECT_ID,
        ak=AK,
        sk=SK,
        http_client=httpx.Client(transport=TRANSPORT),
    )
    raw = httpx.Client(transport=TRANSPORT)
    raw_auth = AkSkAuth(AK, SK, project_id=PROJECT_ID)
    token_headers = {"X-Auth-Token": TOKEN}

    ours_token_call = functools.partial(
        ours_token.jobs.get_status, cluster_id=CLUSTER_ID, job_name=JOB_NAME
    )
    ours_aksk_call = functools.partial(
        ours_aksk.jobs.get_status, cluster_id=CLUSTER_ID, job_name=JOB_NAME
    )

    def raw_token_call() -> Any:
        return json.loads(raw.get(STATUS_URL, headers=token_headers).content)

    def raw_aksk_call() -> Any:
        return json.loads(raw.get(STATUS_URL, auth=raw_auth).content)

    check_status(ours_token_call())
    check_status(ours_aksk_call())
    sent = raw.get(STATUS_URL, auth=raw_auth).request
    if not sent.headers.get("Authorization", "").startswith("SDK-HMAC-SHA256 "):
        raise SystemExit("bench: raw AK/SK peer did not sign")
    if raw_token_call() != json.loads(STATUS_BODY):
        raise SystemExit("bench: raw peer got an unexpected body")
    fns: dict[str, Callable[[], Any]] = {
        "ours token": ours_token_call,
        "raw token": raw_token_call,
        "ours aksk": ours_aksk_call,
        "raw aksk": raw_aksk_call,
    }
    for fn in fns.values():
        per_call_sync(fn, warmup)
    return interleave(
        {k: functools.partial(per_call_sync, f, calls) for k, f in fns.items()}, batches
    )


async def bench_calls_async(calls: int, batches: int, warmup: int) -> dict[str, list[float]]:
    ours_token = AsyncCdmClient(
        region=REGION,
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.AsyncClient(transport=TRANSPORT),
    )
    ours_aksk = AsyncCdmClient(
        region=REGION,
        project_id=PROJECT_ID,
        ak=AK,
        sk=SK,
        http_client=httpx.AsyncClient(transport=TRANSPORT),
    )
    raw = httpx.AsyncClient(transport=TRANSPORT)
    raw_auth = AkSkAuth(AK, SK, project_id=PROJECT_ID)
    token_headers = {"X-Auth-Token": TOKEN}

    def ours_token_call() -> Awaitable[Any]:
        return ours_token.jobs.get_status(cluster_id=CLUSTER_ID, job_name=JOB_NAME)

    def ours_aksk_call() -> Awaitable[Any]:
        return ours_aksk.jobs.get_status(cluster_id=CLUSTER_ID, job_name=JOB_NAME)

    async def raw_token_call() -> Any:
        return json.loads((await raw.get(STATUS_URL, headers=token_headers)).content)

    async def raw_aksk_call() -> Any:
        return json.loads((await raw.get(STATUS_URL, auth=raw_auth)).content)

    check_status(await ours_token_call())
    check_status(await ours_aksk_call())
    fns: dict[str, Callable[[], Awaitable[Any]]] = {
        "ours token": ours_token_call,
        "raw token": raw_token_call,
        "ours aksk": ours_aksk_call,
        "raw aksk": raw_aksk_call,
    }
    for fn in fns.values():
        await per_call_async(fn, warmup)
    result = await interleave_async(
        {k: functools.partial(per_call_async, f, calls) for k, f in fns.items()}, batches
    )
    await raw.aclose()
    return result


# -- (b): a large list response ------------------------------------------------------------------


def bench_list(repeats: int) -> tuple[dict[str, list[float]], str]:
    ours = CdmClient(
        region=REGION,
        project_id=PROJECT_ID,
        token=TOKEN,
        http_client=httpx.Client(transport=TRANSPORT),
    )
    raw = httpx.Client(transport=TRANSPORT)
    token_headers = {"X-Auth-Token": TOKEN}

    def ours_call() -> Any:
        return ours.jobs.get(cluster_id=CLUSTER_ID, job_name="all")

    def raw_call() -> Any:
        return json.loads(raw.get(JOBS_URL, headers=token_headers).content)

    def json_only() -> Any:
        return json.loads(JOBS_BODY)

    before = WARNINGS.count
    parsed = ours_call()  # also the warm-up: builds the deferred pydantic schemas
    lenient = WARNINGS.count - before
    jobs = parsed.jobs or []
    if len(jobs) != LIST_JOBS or jobs[-1].name != f"es_css_{LIST_JOBS - 1:05d}":
        raise SystemExit(f"bench: ShowJobs parsed {len(jobs)} jobs, expected {LIST_JOBS}")
    if len(raw_call()["jobs"]) != LIST_JOBS:
        raise SystemExit("bench: raw peer got an unexpected body")
    note = f"{type(parsed).__name__} with {len(jobs)} {type(jobs[0]).__name__}, " + (
        "validated strictly" if lenient == 0 else f"LENIENT fallback ({lenient} warnings)"
    )
    del parsed, jobs

    def once(fn: Callable[[], Any]) -> float:
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        del result
        gc.collect()  # each side frees its own garbage outside the timed region
        return elapsed

    gc.collect()
    return interleave(
        {
            "ours": functools.partial(once, ours_call),
            "raw": functools.partial(once, raw_call),
            "json.loads only": functools.partial(once, json_only),
        },
        repeats,
    ), note


# -- (d): import time -----------------------------------------------------------------------------

IMPORTS = {
    "pass": "pass",
    "import dataarts": "import dataarts",
    "from dataarts import CdmClient": "from dataarts import CdmClient",
    "CdmClient + first status call": (
        "import httpx\n"
        "from dataarts import CdmClient\n"
        "h = lambda r: httpx.Response(200, json={'submissions': [{'status': 'BOOTING'}]})\n"
        "c = CdmClient(region='r', project_id='p', token='t',"
        " http_client=httpx.Client(transport=httpx.MockTransport(h)))\n"
        "c.jobs.get_status(cluster_id='c', job_name='j')"
    ),
    "import httpx": "import httpx",
    "httpx + pydantic BaseModel": "import httpx\nfrom pydantic import BaseModel",
}


def bench_imports(rounds: int) -> dict[str, list[float]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(GENERATED), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def run(code: str) -> float:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, check=False
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"bench: {code!r} failed:\n{done.stderr.decode()}")
        return elapsed

    for code in IMPORTS.values():  # warm-up: byte-code caches written, files in the page cache
        run(code)
    return interleave({k: functools.partial(run, c) for k, c in IMPORTS.items()}, rounds)


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per batch (default 2000)")
    parser.add_argument("--batches", type=int, default=7, help="batches per variant (default 7)")
    parser.add_argument("--list-repeats", type=int, default=7, help="5,000-job parses per side")
    parser.add_argument("--import-rounds", type=int, default=15, help="interpreters per import")
    args = parser.parse_args(argv)
    warmup = max(200, args.calls // 10)

    import pydantic

    print("Client benchmark: generated dataarts vs raw httpx, same MockTransport handler")
    print(
        f"  python {sys.version.split()[0]}, httpx {httpx.__version__}, pydantic "
        f"{pydantic.VERSION}; dataarts from {Path(dataarts.__file__).parent}"
    )
    print(
        f"  status body {len(STATUS_BODY)} B; list body {len(JOBS_BODY) / 1e6:.1f} MB "
        f"({LIST_JOBS} jobs); {args.batches} batches x {args.calls} calls after {warmup} "
        f"warm-up calls; GC left on",
        flush=True,
    )
    print(f"  before: {load_note()}", flush=True)

    print("\n(a) per call, sync: query job status (µs per call; median of batches, min)")
    sync = bench_calls_sync(args.calls, args.batches, warmup)
    rows = []
    for ours, raw, label in (
        ("ours token", "raw token", "token"),
        ("ours aksk", "raw aksk", "AK/SK"),
    ):
        o, r = statistics.median(sync[ours]), statistics.median(sync[raw])
        rows.append(
            [
                label,
                us(o),
                us(min(sync[ours])),
                us(r),
                us(min(sync[raw])),
                us(o - r),
                f"{paired(sync[ours], sync[raw]):.2f}",
            ]
        )
    print(
        table(rows, ["auth", "ours", "ours min", "raw httpx", "raw min", "overhead", "ours/raw*"])
    )
    print("  * ours/raw: median of the ratios of back-to-back batches")
    sync_rows = rows

    print("\n(b) a 5,000-job ShowJobs response (ms per call; median, min)", flush=True)
    listing, note = bench_list(args.list_repeats)
    list_ours, list_raw, list_json = (
        statistics.median(listing[k]) for k in ("ours", "raw", "json.loads only")
    )
    print(
        table(
            [
                [
                    "ours: client.jobs.get(job_name='all')",
                    f"{list_ours * 1e3:.0f}",
                    f"{min(listing['ours']) * 1e3:.0f}",
                    f"{paired(listing['ours'], listing['raw']):.2f}",
                ],
                [
                    "raw httpx GET + json.loads",
                    f"{list_raw * 1e3:.0f}",
                    f"{min(listing['raw']) * 1e3:.0f}",
                    "1.00",
                ],
                [
                    "json.loads of the body alone",
                    f"{list_json * 1e3:.0f}",
                    f"{min(listing['json.loads only']) * 1e3:.0f}",
                    f"{paired(listing['json.loads only'], listing['raw']):.2f}",
                ],
            ],
            ["variant", "median", "min", "vs raw"],
        )
    )
    print(f"  ours returned {note}")

    print("\n(c) per call, async (information; µs per call)", flush=True)
    asyn = asyncio.run(bench_calls_async(args.calls, args.batches, warmup))
    rows = []
    for ours, raw, label in (
        ("ours token", "raw token", "token"),
        ("ours aksk", "raw aksk", "AK/SK"),
    ):
        o, r = statistics.median(asyn[ours]), statistics.median(asyn[raw])
        rows.append(
            [
                label,
                us(o),
                us(min(asyn[ours])),
                us(r),
                us(min(asyn[raw])),
                us(o - r),
                f"{paired(asyn[ours], asyn[raw]):.2f}",
            ]
        )
    print(
        table(rows, ["auth", "ours", "ours min", "raw httpx", "raw min", "overhead", "ours/raw*"])
    )
    async_rows = rows

    print(
        f"\n(d) import time: fresh interpreters, median of {args.import_rounds}, minus `pass`",
        flush=True,
    )
    imports = bench_imports(args.import_rounds)
    bare = statistics.median(imports["pass"])
    bare_min = min(imports["pass"])
    rows = []
    for name in IMPORTS:
        if name == "pass":
            continue
        rows.append(
            [
                name,
                f"{(statistics.median(imports[name]) - bare) * 1e3:.1f}",
                f"{(min(imports[name]) - bare_min) * 1e3:.1f}",
            ]
        )
    print(table(rows, ["python -c ...", "ms (median)", "ms (min)"]))
    print(f"  bare interpreter start (`pass`): {bare * 1e3:.1f} ms median")
    import_ms = (statistics.median(imports["import dataarts"]) - bare) * 1e3
    client_ms = (statistics.median(imports["from dataarts import CdmClient"]) - bare) * 1e3
    peer_ms = (statistics.median(imports["httpx + pydantic BaseModel"]) - bare) * 1e3

    print(f"\nafter: {load_note()}")
    print("Summary (times: medians; ratios as above; goals from the brief; nothing is asserted)")
    token_ratio = float(sync_rows[0][6])
    print(
        table(
            [
                [
                    "status call, token, sync (µs)",
                    sync_rows[0][1],
                    sync_rows[0][3],
                    sync_rows[0][6],
                    f"<= {GOAL_CALL_RATIO}",
                    verdict(token_ratio <= GOAL_CALL_RATIO),
                ],
                [
                    "status call, AK/SK, sync (µs)",
                    sync_rows[1][1],
                    sync_rows[1][3],
                    sync_rows[1][6],
                    "-",
                    "info",
                ],
                [
                    "5,000-job list (ms)",
                    f"{list_ours * 1e3:.0f}",
                    f"{list_raw * 1e3:.0f}",
                    f"{paired(listing['ours'], listing['raw']):.2f}",
                    "-",
                    "info",
                ],
                [
                    "status call, token, async (µs)",
                    async_rows[0][1],
                    async_rows[0][3],
                    async_rows[0][6],
                    "-",
                    "info",
                ],
                [
                    "status call, AK/SK, async (µs)",
                    async_rows[1][1],
                    async_rows[1][3],
                    async_rows[1][6],
                    "-",
                    "info",
                ],
                [
                    "import dataarts (ms)",
                    f"{import_ms:.1f}",
                    "-",
                    "-",
                    f"< {GOAL_IMPORT_MS:.0f} ms",
                    verdict(import_ms < GOAL_IMPORT_MS),
                ],
                [
                    "from dataarts import CdmClient (ms)",
                    f"{client_ms:.1f}",
                    f"{peer_ms:.1f}",
                    f"{client_ms / peer_ms:.2f}",
                    "-",
                    "info (peer: httpx+pydantic)",
                ],
            ],
            ["metric", "ours", "peer", "ours/peer", "goal", "verdict"],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
