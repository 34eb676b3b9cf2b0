"""Client benchmark: the generated `dataarts` package against raw httpx and the official Huawei
Cloud SDK, measured in one run.

    PYTHONPATH=generated .venv/bin/python bench/client.py [--calls N] [--batches N] ...
    (make bench-client)

Every side answers from the same canned bodies (bench/canned.py; no network): ours and raw httpx
through one `httpx.MockTransport` handler, the official SDK (huaweicloudsdkcore/cdm, pinned in
bench/official-sdk.txt, installed in its own virtualenv .bench/official on the first run) through
a requests transport adapter answering the same bytes (bench/official_peer.py, a child process
fed batch by batch, so its batches interleave with ours).
  (a) per call, "query job status": `client.jobs.get_status(...)` vs `httpx.Client.get(url)` +
      `json.loads` (token; then AK/SK on both sides, raw httpx given our `AkSkAuth`) vs the
      official SDK's `show_job_status` (AK/SK). Median µs per call over interleaved batches.
  (b) a 5,000-job ShowJobs response: ours vs raw httpx + `json.loads` vs raw httpx + plain
      pydantic models (datamodel-code-generator's, from the same spec: bench/pydantic_peer.py, the
      floor of building pydantic objects) vs the official SDK; also each call with the program's
      next allocations (the collections they trigger).
  (c) async variants of (a), for information.
  (e) concurrent async calls over loopback sockets (bench/loopback.py): a server in its own
      process; raw aiohttp, httpx on httpx-aiohttp's transport (the second floor), raw httpx,
      ours on httpx, ours on DefaultAioHttpClient; C = 1, 20, 200.
  (d) time to first call: fresh interpreters importing, building a client and making one AK/SK
      status call: ours in .bench/ours (a virtualenv with only httpx and pydantic, as a user's
      install) vs the official SDK in .bench/official; plus import-only figures.
Not a test: timings are never asserted. Goals are printed next to the results.
"""

from __future__ import annotations

import argparse
import asyncio
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
BENCH = ROOT / "bench"
for entry in (GENERATED, BENCH, ROOT):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

import canned
import httpx
import loopback
import pydantic_peer

import dataarts
from dataarts import AkSkAuth, AsyncCdmClient, CdmClient
from tools.venvs import ensure_venv, official_python

REGION, PROJECT_ID, CLUSTER_ID, JOB_NAME = (
    canned.REGION,
    canned.PROJECT_ID,
    canned.CLUSTER_ID,
    canned.JOB_NAME,
)
AK, SK = canned.AK, canned.SK
TOKEN = "MIIbenchmark-token-" + "x" * 64
BASE = f"{canned.ENDPOINT}/v1.1/{PROJECT_ID}/clusters/{CLUSTER_ID}/cdm/job"
STATUS_URL = f"{BASE}/{JOB_NAME}/status"
JOBS_URL = f"{BASE}/all"
LIST_JOBS = canned.LIST_JOBS

GOAL_TOKEN_RATIO = 1.5  # ours / raw httpx, token
GOAL_AKSK_RATIO = 1.15  # ours / raw httpx, both signing with AkSkAuth
GOAL_OFFICIAL_CALL = 3.5  # official / ours, AK/SK status call
GOAL_OFFICIAL_LIST = 5.0  # official / ours, 5,000-job list
GOAL_FIRST_CALL = 1.0  # ours / official, fresh interpreter to first result
GOAL_IMPORT_MS = 150.0
GOAL_LIST_RAW = 1.2  # ours / (raw httpx + json.loads), 5,000-job list (issue 23)
GOAL_LOOPBACK_AIOHTTP = 0.5  # ours on DefaultAioHttpClient / raw aiohttp, C = 20 and 200
GOAL_LOOPBACK_HTTPX = 0.9  # ours on its httpx pool / raw httpx: loses nothing (within noise)
AFTER_ALLOCATIONS = 20_000  # small objects the program makes after a list call (GC debt)

LEAN_VENV = ROOT / ".bench" / "ours"
LEAN_PACKAGES = ["httpx", "pydantic"]  # the package's only run-time dependencies

STATUS_BODY = canned.status_body()
JOBS_BODY = canned.jobs_body(LIST_JOBS)


def handler(request: httpx.Request) -> httpx.Response:
    """Same handler, same bytes for ours and raw httpx."""
    body = canned.body_for(request.url.path, STATUS_BODY, JOBS_BODY)
    return httpx.Response(200, headers=canned.JSON_HEADERS, content=body)


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


# -- the peers' virtualenvs (tools/venvs.py: the official SDK's is shared with the conformance judge) --


def lean_python() -> Path:
    constraints = ROOT / "constraints.txt"
    return ensure_venv(
        LEAN_VENV, ["-c", str(constraints), *LEAN_PACKAGES], constraints.read_bytes()
    )


class OfficialPeer:
    """bench/official_peer.py in the official SDK's virtualenv, driven one command at a time."""

    def __init__(self, python: Path) -> None:
        self.process = subprocess.Popen(
            [str(python), str(BENCH / "official_peer.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench: the official SDK peer died on {command!r}")
        return line.strip()

    def per_call(self, calls: int) -> float:
        return float(self.ask(f"status {calls}")) / calls

    def listing(self) -> float:
        return float(self.ask("list"))

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


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


def bench_calls_sync(
    calls: int, batches: int, warmup: int, official: OfficialPeer
) -> dict[str, list[float]]:
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
    official.per_call(warmup)
    sides: dict[str, Callable[[], float]] = {
        k: functools.partial(per_call_sync, f, calls) for k, f in fns.items()
    }
    # the official SDK is several times slower: fewer calls per batch keep batches comparable
    official_calls = max(50, calls // 4)
    sides["official aksk"] = functools.partial(official.per_call, official_calls)
    return interleave(sides, batches)


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


def bench_list(repeats: int, official: OfficialPeer) -> tuple[dict[str, list[float]], str]:
    ours = CdmClient(
        region=REGION,
        project_id=PROJECT_ID,
        ak=AK,
        sk=SK,
        http_client=httpx.Client(transport=TRANSPORT),
    )
    raw = httpx.Client(transport=TRANSPORT)
    raw_auth = AkSkAuth(AK, SK, project_id=PROJECT_ID)

    def ours_call() -> Any:
        return ours.jobs.get(cluster_id=CLUSTER_ID, job_name="all")

    def raw_call() -> Any:
        return json.loads(raw.get(JOBS_URL, auth=raw_auth).content)

    def json_only() -> Any:
        return json.loads(JOBS_BODY)

    plain = pydantic_peer.plain_response("ShowJobsResponse")

    def plain_call() -> Any:
        return plain.model_validate_json(raw.get(JOBS_URL, auth=raw_auth).content)

    def plain_paused_call() -> Any:
        # the same, with the collector treated as ours treats it (paused for the parse, what it
        # made handed to the oldest generation): the floor of building these objects in pydantic
        content = raw.get(JOBS_URL, auth=raw_auth).content
        gc.disable()
        try:
            return plain.model_validate_json(content)
        finally:
            gc.freeze()
            gc.unfreeze()
            gc.enable()

    before = WARNINGS.count
    parsed = ours_call()  # also the warm-up: builds the deferred pydantic schemas
    lenient = WARNINGS.count - before
    jobs = parsed.jobs or []
    if len(jobs) != LIST_JOBS or jobs[-1].name != f"es_css_{LIST_JOBS - 1:05d}":
        raise SystemExit(f"bench: ShowJobs parsed {len(jobs)} jobs, expected {LIST_JOBS}")
    if len(raw_call()["jobs"]) != LIST_JOBS:
        raise SystemExit("bench: raw peer got an unexpected body")
    if len(plain_call().jobs) != LIST_JOBS:
        raise SystemExit("bench: the plain pydantic peer got an unexpected body")
    note = f"{type(parsed).__name__} with {len(jobs)} {type(jobs[0]).__name__}, " + (
        "validated strictly" if lenient == 0 else f"LENIENT fallback ({lenient} warnings)"
    )
    del parsed, jobs
    official.listing()  # warm-up

    debts: dict[str, list[float]] = {
        "ours": [],
        "raw": [],
        "plain pydantic": [],
        "plain pydantic, paused": [],
        "json.loads only": [],
    }

    def once(name: str, fn: Callable[[], Any]) -> float:
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        # The program goes on: the collections its next allocations trigger walk what the
        # call left behind (a parse that held the collector back pays here).
        after = [[i] for i in range(AFTER_ALLOCATIONS)]
        debts[name].append(time.perf_counter() - started)
        del result, after
        gc.collect()  # each side frees its own garbage outside the timed region
        return elapsed

    gc.collect()
    found = interleave(
        {
            "ours": functools.partial(once, "ours", ours_call),
            "raw": functools.partial(once, "raw", raw_call),
            "plain pydantic": functools.partial(once, "plain pydantic", plain_call),
            "plain pydantic, paused": functools.partial(
                once, "plain pydantic, paused", plain_paused_call
            ),
            "json.loads only": functools.partial(once, "json.loads only", json_only),
            "official": official.listing,
        },
        repeats,
    )
    for name, values in debts.items():
        found[f"{name} +after"] = values
    return found, note


# -- (d): fresh interpreters ------------------------------------------------------------------------

FIRST_CALL_OURS = f"""
import httpx
from dataarts import CdmClient
BODY = {STATUS_BODY!r}
def answer(request):
    return httpx.Response(200, headers={canned.JSON_HEADERS!r}, content=BODY)
client = CdmClient(region={REGION!r}, project_id={PROJECT_ID!r}, ak={AK!r}, sk={SK!r},
                   http_client=httpx.Client(transport=httpx.MockTransport(answer)))
status = client.jobs.get_status(cluster_id={CLUSTER_ID!r}, job_name={JOB_NAME!r})
assert status.submissions[0].status == "BOOTING"
"""

FIRST_CALL_OFFICIAL = f"""
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcdm.v1 import CdmClient, ShowJobStatusRequest
BODY = {STATUS_BODY!r}
class Canned(BaseAdapter):
    def send(self, request, **kwargs):
        response = requests.Response()
        response.status_code, response.reason, response.encoding = 200, "OK", "utf-8"
        response.headers = CaseInsensitiveDict({canned.JSON_HEADERS!r})
        response._content, response.url, response.request = BODY, request.url, request
        return response
    def close(self):
        pass
credentials = BasicCredentials({AK!r}, {SK!r}, {PROJECT_ID!r})
client = CdmClient.new_builder().with_credentials(credentials).with_endpoints(
    [{canned.ENDPOINT!r}]).build()
client.get_http_client()._session.mount("https://", Canned())
status = client.show_job_status(
    ShowJobStatusRequest(cluster_id={CLUSTER_ID!r}, job_name={JOB_NAME!r}))
assert status.submissions[0].status == "BOOTING"
"""

# name -> (interpreter: "ours" or "official", code)
FRESH = {
    "pass (ours venv)": ("ours", "pass"),
    "pass (official venv)": ("official", "pass"),
    "ours: first call": ("ours", FIRST_CALL_OURS),
    "official: first call": ("official", FIRST_CALL_OFFICIAL),
    "import dataarts": ("ours", "import dataarts"),
    "from dataarts import CdmClient": ("ours", "from dataarts import CdmClient"),
    "import httpx": ("ours", "import httpx"),
    "httpx + pydantic BaseModel": ("ours", "import httpx\nfrom pydantic import BaseModel"),
    "official: import CdmClient": ("official", "from huaweicloudsdkcdm.v1 import CdmClient"),
}


def bench_fresh(rounds: int, pythons: dict[str, Path]) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU (user + system) seconds of fresh interpreters running each snippet."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(GENERATED)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cpu: dict[str, list[float]] = {name: [] for name in FRESH}

    def run(name: str) -> float:
        which, code = FRESH[name]
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(pythons[which]), "-c", code],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        assert process.stderr is not None
        errors = process.stderr.read()
        process.stderr.close()
        if status != 0:
            raise SystemExit(f"bench: {name!r} failed:\n{errors.decode()}")
        cpu[name].append(usage.ru_utime + usage.ru_stime)
        return elapsed

    for name in FRESH:  # warm-up: byte-code caches written, files in the page cache
        run(name)
        cpu[name].clear()
    wall = interleave({name: functools.partial(run, name) for name in FRESH}, rounds)
    return wall, cpu


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per batch (default 2000)")
    parser.add_argument("--batches", type=int, default=7, help="batches per variant (default 7)")
    parser.add_argument("--list-repeats", type=int, default=7, help="5,000-job parses per side")
    parser.add_argument("--import-rounds", type=int, default=15, help="fresh interpreters each")
    parser.add_argument("--loop-requests", type=int, default=3000, help="loopback requests per side")
    parser.add_argument("--loop-rounds", type=int, default=3, help="loopback rounds")
    args = parser.parse_args(argv)
    warmup = max(200, args.calls // 10)

    import pydantic

    pythons = {"official": official_python(), "ours": lean_python()}
    official = OfficialPeer(pythons["official"])
    report = json.loads(official.ask("check"))
    if report["status"] != "BOOTING" or report["jobs"] != LIST_JOBS:
        raise SystemExit(f"bench: the official SDK peer parsed {report}")
    if not report["authorization"].startswith("SDK-HMAC-SHA256 Access="):
        raise SystemExit("bench: the official SDK peer did not sign")

    print("Client benchmark: generated dataarts vs raw httpx vs the official Huawei Cloud SDK")
    print(
        f"  python {sys.version.split()[0]}, httpx {httpx.__version__}, pydantic "
        f"{pydantic.VERSION}; dataarts from {Path(dataarts.__file__).parent}"
    )
    versions = ", ".join(f"{k} {v}" for k, v in report["versions"].items())
    print(f"  official SDK: {versions} (AK/SK signed; a requests adapter answers from memory)")
    print(
        f"  status body {len(STATUS_BODY)} B; list body {len(JOBS_BODY) / 1e6:.1f} MB "
        f"({LIST_JOBS} jobs); {args.batches} batches x {args.calls} calls (official: "
        f"{max(50, args.calls // 4)}) after {warmup} warm-up calls; GC left on",
        flush=True,
    )
    print(f"  before: {load_note()}", flush=True)

    print("\n(a) per call, sync: query job status (µs per call; median of batches, min)")
    sync = bench_calls_sync(args.calls, args.batches, warmup, official)
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
    official_call = statistics.median(sync["official aksk"])
    official_ratio = paired(sync["official aksk"], sync["ours aksk"])
    print(
        f"  official SDK, AK/SK: {us(official_call)} µs median "
        f"({us(min(sync['official aksk']))} min): {official_ratio:.2f}x ours*"
    )
    print("  * median of the ratios of back-to-back batches")
    sync_rows = rows

    print("\n(b) a 5,000-job ShowJobs response, AK/SK (ms per call; median, min)", flush=True)
    listing, note = bench_list(args.list_repeats, official)
    medians = {k: statistics.median(v) for k, v in listing.items()}
    print(
        table(
            [
                [
                    label,
                    f"{medians[key] * 1e3:.0f}",
                    f"{min(listing[key]) * 1e3:.0f}",
                    f"{paired(listing[key], listing['ours']):.2f}",
                ]
                for key, label in (
                    ("ours", "ours: client.jobs.get(job_name='all')"),
                    ("raw", "raw httpx GET + json.loads"),
                    ("plain pydantic", "raw httpx GET + plain pydantic models"),
                    ("plain pydantic, paused", "the same, collector paused as ours"),
                    ("json.loads only", "json.loads of the body alone"),
                    ("official", "official SDK: show_jobs"),
                )
            ],
            ["variant", "median", "min", "vs ours*"],
        )
    )
    print(f"  ours returned {note}")
    list_official_ratio = paired(listing["official"], listing["ours"])
    list_raw_ratio = paired(listing["ours"], listing["raw"])
    list_raw_after = paired(listing["ours +after"], listing["raw +after"])
    list_plain_ratio = paired(listing["ours"], listing["plain pydantic, paused"])
    list_plain_user = paired(listing["ours"], listing["plain pydantic"])
    print(
        f"  ours / (raw httpx + json.loads)*: {list_raw_ratio:.2f} for the call; "
        f"{list_raw_after:.2f} with the program's next {AFTER_ALLOCATIONS:,} allocations "
        f"(ms, median: ours {statistics.median(listing['ours +after']) * 1e3:.0f}, raw "
        f"{statistics.median(listing['raw +after']) * 1e3:.0f}): the collections they trigger "
        "walk the objects the call made"
    )
    print(
        f"  ours / (raw httpx + plain pydantic models)*: {list_plain_ratio:.2f} with the collector "
        f"paused on both sides (the floor of building these objects in pydantic), "
        f"{list_plain_user:.2f} against the collector left running, as a user of "
        "datamodel-code-generator's models has it"
    )
    official.close()

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
        f"\n(e) concurrent async calls over loopback sockets: {args.loop_requests} requests, "
        f"at most C in flight, {args.loop_rounds} rounds (req/s median; client CPU µs/request)",
        flush=True,
    )
    loop = loopback.run(args.loop_requests, args.loop_rounds, loopback.LEVELS)
    rows = []
    for c, sides in loop.items():
        rows.append(
            [f"C = {c}"]
            + [
                f"{statistics.median(r for r, _ in sides[side]):.0f} "
                f"({statistics.median(cpu for _, cpu in sides[side]) * 1e6:.0f})"
                for side in loopback.SIDES
            ]
            + [
                f"{loopback.paired(sides, 'ours on aiohttp', 'raw aiohttp'):.2f}",
                f"{loopback.paired(sides, 'httpx on aiohttp', 'raw aiohttp'):.2f}",
                f"{loopback.paired(sides, 'ours on httpx', 'raw httpx'):.2f}",
            ]
        )
    print(
        table(
            rows,
            [
                "",
                *loopback.SIDES,
                "aiohttp: ours/raw*",
                "aiohttp: httpx/raw*",
                "httpx: ours/raw*",
            ],
        )
    )
    print("  * median of the per-round ratios of requests per second")

    print(
        f"\n(d) fresh interpreters, median of {args.import_rounds}, minus `pass` in the same "
        "virtualenv (ms)",
        flush=True,
    )
    wall, cpu = bench_fresh(args.import_rounds, pythons)
    bare = {
        which: statistics.median(wall[f"pass ({which} venv)"]) for which in ("ours", "official")
    }
    bare_cpu = {
        which: statistics.median(cpu[f"pass ({which} venv)"]) for which in ("ours", "official")
    }
    net = {
        name: statistics.median(wall[name]) - bare[FRESH[name][0]]
        for name in FRESH
        if not name.startswith("pass")
    }
    net_cpu = {
        name: statistics.median(cpu[name]) - bare_cpu[FRESH[name][0]]
        for name in FRESH
        if not name.startswith("pass")
    }
    print(
        table(
            [
                [name, f"{net[name] * 1e3:.1f}", f"{net_cpu[name] * 1e3:.1f}"]
                for name in net
            ],
            ["python -c ...", "wall", "cpu (user+sys)"],
        )
    )
    print(
        f"  bare interpreter start: {bare['ours'] * 1e3:.1f} ms (ours venv), "
        f"{bare['official'] * 1e3:.1f} ms (official venv)"
    )
    first_ratio = net["ours: first call"] / net["official: first call"]
    first_ratio_cpu = net_cpu["ours: first call"] / net_cpu["official: first call"]
    import_ms = net["import dataarts"] * 1e3

    print(f"\nafter: {load_note()}")
    print(
        "Summary (times: medians; ratios as above; goals from issues 9 and 23; nothing is "
        "asserted)"
    )
    token_ratio = float(sync_rows[0][6])
    aksk_ratio = float(sync_rows[1][6])
    print(
        table(
            [
                [
                    "status call, token: ours / raw httpx",
                    f"{token_ratio:.2f}",
                    f"<= {GOAL_TOKEN_RATIO}",
                    verdict(token_ratio <= GOAL_TOKEN_RATIO),
                ],
                [
                    "status call, AK/SK: ours / raw httpx",
                    f"{aksk_ratio:.2f}",
                    f"<= {GOAL_AKSK_RATIO}",
                    verdict(aksk_ratio <= GOAL_AKSK_RATIO),
                ],
                [
                    "status call, AK/SK: official / ours",
                    f"{official_ratio:.2f}",
                    f">= {GOAL_OFFICIAL_CALL}",
                    verdict(official_ratio >= GOAL_OFFICIAL_CALL),
                ],
                [
                    "5,000-job list: official / ours",
                    f"{list_official_ratio:.2f}",
                    f">= {GOAL_OFFICIAL_LIST}",
                    verdict(list_official_ratio >= GOAL_OFFICIAL_LIST),
                ],
                [
                    "5,000-job list: ours / (raw httpx + json.loads)",
                    f"{list_raw_ratio:.2f}",
                    f"<= {GOAL_LIST_RAW}",
                    verdict(list_raw_ratio <= GOAL_LIST_RAW),
                ],
                [
                    "5,000-job list: ours / plain pydantic models (both paused)",
                    f"{list_plain_ratio:.2f}",
                    "<= 1.0",
                    verdict(list_plain_ratio <= 1.0),
                ],
                [
                    "5,000-job list, with the program's next allocations",
                    f"{list_raw_after:.2f}",
                    "-",
                    "info",
                ],
                *[
                    [
                        f"loopback C={c}: ours on DefaultAioHttpClient / raw aiohttp",
                        f"{ratio:.2f}",
                        f">= {GOAL_LOOPBACK_AIOHTTP}",
                        verdict(ratio >= GOAL_LOOPBACK_AIOHTTP) if c > 1 else "info",
                    ]
                    for c, ratio in (
                        (c, loopback.paired(loop[c], "ours on aiohttp", "raw aiohttp"))
                        for c in loopback.LEVELS
                    )
                ],
                *[
                    [
                        f"loopback C={c}: ours on httpx / raw httpx",
                        f"{ratio:.2f}",
                        f">= {GOAL_LOOPBACK_HTTPX}",
                        verdict(ratio >= GOAL_LOOPBACK_HTTPX),
                    ]
                    for c, ratio in (
                        (c, loopback.paired(loop[c], "ours on httpx", "raw httpx"))
                        for c in loopback.LEVELS
                    )
                ],
                [
                    "first call, fresh interpreter: ours / official (wall)",
                    f"{first_ratio:.2f}",
                    f"<= {GOAL_FIRST_CALL}",
                    verdict(first_ratio <= GOAL_FIRST_CALL),
                ],
                [
                    "first call, fresh interpreter: ours / official (cpu)",
                    f"{first_ratio_cpu:.2f}",
                    "-",
                    "info",
                ],
                [
                    "status call, async: ours / raw (token, AK/SK)",
                    f"{async_rows[0][6]}, {async_rows[1][6]}",
                    "-",
                    "info",
                ],
                [
                    "import dataarts (ms)",
                    f"{import_ms:.1f}",
                    f"< {GOAL_IMPORT_MS:.0f}",
                    verdict(import_ms < GOAL_IMPORT_MS),
                ],
            ],
            ["metric", "value", "goal", "verdict"],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
