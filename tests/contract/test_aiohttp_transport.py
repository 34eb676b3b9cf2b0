"""`dataarts.DefaultAioHttpClient` against the simulator over loopback sockets, and its extra.

The simulator (`Simulator().serve()`) checks every AK/SK signature with the clients' own signing
functions, keeps state for the waiters, and injects faults on the socket: a throttled answer, a
dropped connection, a slow one. What runs on the default httpx pool must run the same on the
aiohttp one: signing, retries and what is never retried, timeouts as `APITimeoutError`, raw
responses, downloads streamed to a file, waiters, and cookies and compressed bodies as httpx
handles them.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import dataarts
from dataarts import (
    APIConnectionError,
    APITimeoutError,
    AsyncCdmClient,
    AsyncDlfClient,
    DefaultAioHttpClient,
    RateLimitError,
    with_raw_response,
)
from dataarts.testing import ManualClock, Simulator, SimulatorServer
from tests.contract import support as s
from tests.waiters.conftest import JOB, SCRIPT, body

ROOT = Path(__file__).resolve().parents[2]
AK, SK = "HPUAAIOHTTPTRANSPORT1", "AiohttpTransportSecretKey000000000000000"
PROJECT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(clock=clock, credentials={AK: SK})


@pytest.fixture
def served(sim: Simulator) -> Iterator[SimulatorServer]:
    with sim.serve() as server:
        yield server


def run(served: SimulatorServer, use: Callable[[AsyncCdmClient, AsyncDlfClient], Awaitable[Any]], **options: Any) -> Any:
    """`use(cdm, dlf)` with both clients (AK/SK) on one DefaultAioHttpClient."""

    async def main() -> Any:
        async with DefaultAioHttpClient(verify=s.tls_context()) as http:
            settings = {"base_url": served.base_url, "project_id": PROJECT, "ak": AK, "sk": SK, "http_client": http}
            cdm = AsyncCdmClient(**settings, **options)
            dlf = AsyncDlfClient(workspace="ws", **settings, **options)
            return await use(cdm, dlf)

    return asyncio.run(main())


def test_signed_calls_a_waiter_and_a_download(served: SimulatorServer, sim: Simulator, clock: ManualClock, tmp_path: Path) -> None:
    target = tmp_path / "job.zip"

    async def use(cdm: AsyncCdmClient, dlf: AsyncDlfClient) -> Any:
        created = await cdm.clusters.create(body=body("cluster.json"))

        async def advancing(seconds: float) -> None:
            clock.advance(seconds)

        cluster = await cdm.clusters.wait_until_normal(cluster_id=created.id, sleep=advancing, clock=clock.now)
        raw = await with_raw_response(cdm.clusters.get)(cluster_id=created.id)
        await dlf.scripts.create(body=SCRIPT)
        await dlf.jobs.create(body=JOB)
        size = await dlf.jobs.export_to_file(target, job_name=JOB["name"])
        exported = await dlf.jobs.export(job_name=JOB["name"])
        return cluster, raw, size, exported

    cluster, raw, size, exported = run(served, use)
    assert cluster.status == "200"
    assert raw.status_code == 200 and raw.parsed.id == cluster.id
    assert raw.request_id and raw.request_id == raw.headers["X-Request-Id"]
    assert raw.http_response.request.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, ")
    assert size == len(exported) > 0 and target.read_bytes() == exported
    assert exported[:2] == b"PK"  # the zip the simulator makes
    assert sim.calls and all(call.status < 400 for call in sim.calls)  # every signature verified


def test_a_throttled_call_is_retried_after_retry_after(served: SimulatorServer, sim: Simulator) -> None:
    sim.faults.throttle("ListClusters", retry_after=0)

    async def use(cdm: AsyncCdmClient, dlf: AsyncDlfClient) -> Any:
        return await cdm.clusters.list()

    run(served, use)
    assert [call.status for call in sim.calls] == [429, 200]

    sim.faults.throttle("ListClusters", retry_after=0, times=None)
    with pytest.raises(RateLimitError):
        run(served, use, max_retries=1)


def test_a_dropped_post_is_not_sent_again(served: SimulatorServer, sim: Simulator) -> None:
    """The connection breaks after the service acted: neither aiohttp (which resends a request
    itself when a connection breaks) nor the retry policy sends the POST a second time."""
    sim.faults.drop("CreateCluster", after=True)

    async def use(cdm: AsyncCdmClient, dlf: AsyncDlfClient) -> Any:
        return await cdm.clusters.create(body=body("cluster.json"))

    with pytest.raises(APIConnectionError) as caught:
        run(served, use)
    assert not isinstance(caught.value, APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.RemoteProtocolError)
    assert [(call.operation_id, call.status) for call in sim.calls] == [("CreateCluster", 0)]


def test_a_dropped_get_is_retried_by_the_policy_alone(served: SimulatorServer, sim: Simulator) -> None:
    async def use(cdm: AsyncCdmClient, dlf: AsyncDlfClient) -> Any:
        return await cdm.clusters.list()

    sim.faults.drop("ListClusters")
    with pytest.raises(APIConnectionError):
        run(served, use, max_retries=0)
    assert [call.status for call in sim.calls] == [0]  # one attempt on the wire, as asked

    sim.calls.clear()
    sim.faults.drop("ListClusters")
    run(served, use)
    assert [call.status for call in sim.calls] == [0, 200]


def test_a_slow_answer_is_an_api_timeout(served: SimulatorServer, sim: Simulator) -> None:
    sim.faults.slow("ListClusters", seconds=2.0)

    async def use(cdm: AsyncCdmClient, dlf: AsyncDlfClient) -> Any:
        return await cdm.clusters.list(timeout=0.2)

    with pytest.raises(APITimeoutError) as caught:
        run(served, use, max_retries=0)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_nothing_listening_is_a_connection_error_retried_for_any_method() -> None:
    """Refused before anything was sent: safe to send again, even a POST."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there

    async def main() -> None:
        async with DefaultAioHttpClient(verify=s.tls_context()) as http:
            cdm = AsyncCdmClient(base_url=f"http://127.0.0.1:{port}", project_id=PROJECT, token="t",
                                 http_client=http, max_retries=1)
            cdm.retry_policy = dataarts.RetryPolicy(max_retries=1, initial_delay=0.01)
            await cdm.clusters.create(body=body("cluster.json"))

    with pytest.raises(APIConnectionError) as caught:
        asyncio.run(main())
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def _replay(reply: Callable[[httpx.Request], httpx.Response], call: Callable[[Any], Any]) -> tuple[Any, s.Server]:
    """`call(cdm)` on the aiohttp transport against the contract tests' loopback server."""
    target = s.targets()["cdm/ListClusters"]
    server = s.Server(reply)
    kwargs = {"project_id": PROJECT, "token": "t", "region": "ap-southeast-1"}
    return s.run_on_aiohttp(target, server, kwargs, call), server


def test_a_compressed_body_is_decoded_and_a_cookie_kept() -> None:
    clusters = {"clusters": [{"id": "c1", "name": "one"}]}
    cookies: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        cookies.append(request.headers.get("Cookie", ""))
        return httpx.Response(
            200,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip", "Set-Cookie": "session=abc; Path=/"},
            content=gzip.compress(json.dumps(clusters).encode()),
        )

    async def twice(cdm: Any) -> Any:
        first = await cdm.clusters.list()
        second = await with_raw_response(cdm.clusters.list)()
        return first, second

    (first, second), _ = _replay(reply, twice)
    assert [c.id for c in first.clusters] == ["c1"]
    assert second.headers["Content-Encoding"] == "gzip" and json.loads(second.content) == clusters
    assert cookies == ["", "session=abc"]  # stored from the first answer, sent with the second


def test_a_raw_response_has_every_header_line_and_its_own_extensions() -> None:
    """An uncompressed answer's headers (made when first read) hold every line as sent, repeated
    names included; they can be replaced like httpx's; each response's extensions are its own."""

    def reply(request: httpx.Request) -> httpx.Response:
        headers = [("Content-Type", "application/json"), ("X-Request-Id", "req-1"), ("X-Many", "a"), ("X-Many", "b")]
        return httpx.Response(200, headers=headers, json={"clusters": []})

    async def twice(cdm: Any) -> Any:
        return [await with_raw_response(cdm.clusters.list)() for _ in range(2)]

    (first, second), _ = _replay(reply, twice)
    assert first.request_id == "req-1" and first.parsed.clusters == []
    assert first.headers.get_list("X-Many") == ["a", "b"]
    assert first.http_response.reason_phrase == "OK"
    first.http_response.extensions["mine"] = True
    assert "mine" not in second.http_response.extensions
    assert second.http_response.reason_phrase == "OK"
    second.http_response.headers = httpx.Headers({"X-Other": "1"})
    assert dict(second.headers) == {"x-other": "1"}


def test_each_url_is_sent_to_its_own_path() -> None:
    """URLs parsed once and reused: a call polling one path, then others, reaches each path."""

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"jobs": [], "total": 0})

    async def use(cdm: Any) -> Any:
        for name in ("a", "a", "b", "a"):
            await cdm.jobs.get(cluster_id="c", job_name=name)

    _, server = _replay(reply, use)
    assert [r.url.path.rsplit("/", 1)[1] for r in server.requests] == ["a", "a", "b", "a"]


def test_the_request_goes_out_as_built_and_signed() -> None:
    """The percent-encoded path and the canonical query reach the server unchanged."""

    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"jobs": [], "total": 0})

    async def use(cdm: Any) -> Any:
        return await cdm.jobs.get(cluster_id="a b", job_name="../x", filter="k=v&w")

    _, server = _replay(reply, use)
    (sent,) = server.requests
    assert sent.url.raw_path == f"/v1.1/{PROJECT}/clusters/a%20b/cdm/job/..%2Fx?filter=k%3Dv%26w".encode()


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_a_proxy_gets_the_requests(how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`proxy=`, or `HTTP_PROXY` with `trust_env` (the default), as httpx takes them; a host
    `NO_PROXY` names goes direct (and here finds nothing: the name does not resolve)."""
    where = s.loopback()
    server = s.Server(lambda request: httpx.Response(200, json={"clusters": []}))
    where.current = server
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    options: dict[str, Any] = {"proxy": where.base_url} if how == "argument" else {}
    if how == "environment":
        monkeypatch.setenv("HTTP_PROXY", where.base_url)

    async def main() -> Any:
        async with DefaultAioHttpClient(verify=s.tls_context(), **options) as http:
            cdm = AsyncCdmClient(base_url="http://cdm.example.invalid", project_id=PROJECT,
                                 token="t", http_client=http, max_retries=0)
            return await cdm.clusters.list()

    assert asyncio.run(main()).clusters == []
    (sent,) = server.requests
    assert str(sent.url) == f"http://cdm.example.invalid/v1.1/{PROJECT}/clusters"
    if how == "environment":
        monkeypatch.setenv("NO_PROXY", ".example.invalid")
        with pytest.raises(APIConnectionError):
            asyncio.run(main())
        assert len(server.requests) == 1


def test_the_default_encoding_reaches_the_responses() -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Type": "text/plain"}, content="é".encode("latin-1"))

    async def main() -> str:
        where = s.loopback()
        where.current = s.Server(reply)
        async with DefaultAioHttpClient(verify=s.tls_context(), default_encoding="latin-1") as http:
            return (await http.get(where.base_url + "/x")).text

    assert asyncio.run(main()) == "é"


def test_no_transport_of_its_own() -> None:
    with pytest.raises(TypeError, match="transport"):
        DefaultAioHttpClient(transport=httpx.AsyncHTTPTransport())
    with pytest.raises(TypeError, match="mounts"):
        DefaultAioHttpClient(mounts={})


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "generated"), "PATH": ""}, check=False,
    )


def test_importing_dataarts_does_not_import_aiohttp() -> None:
    found = _python(
        "import sys, dataarts\n"
        "from dataarts import *\n"
        "from dataarts import DefaultAioHttpClient\n"
        "print(sorted(m for m in ('aiohttp', 'httpx_aiohttp', 'yarl') if m in sys.modules))\n"
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "[]"


def test_without_the_extra_the_error_names_it() -> None:
    found = _python(
        "import sys\n"
        "sys.modules['aiohttp'] = None  # as if it were not installed\n"
        "from dataarts import DefaultAioHttpClient\n"
        "try:\n"
        "    DefaultAioHttpClient()\n"
        "except ImportError as exc:\n"
        "    print(exc)\n"
    )
    assert found.returncode == 0, found.stderr
    assert 'pip install "dataarts[aiohttp]"' in found.stdout
