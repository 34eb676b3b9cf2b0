"""The generated clients' direct path on `DefaultAioHttpClient` (`send_prepared`): a request goes
to the aiohttp pool as the text it was built as, and its `httpx.Request` is made only when
something asks for it. What asks must get the request as it went out: the raw response, an error
status, a connection error after the retries, the debug log, a cookie to store,
`raise_for_status`.

Against the contract tests' loopback server (`support.loopback`), which records each request as
it arrived on the socket.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

import dataarts
from dataarts import (
    APIConnectionError,
    APIStatusError,
    AsyncCdmClient,
    DefaultAioHttpClient,
    TokenAuth,
    with_raw_response,
)
from tests.contract import support as s
from tests.waiters.conftest import body

PROJECT = "0123456789abcdef0123456789abcdef"
AK, SK = "HPUAAIOHTTPDIRECT0001", "AiohttpDirectSecretKey0000000000000000000"


@pytest.fixture
def sends(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """The requests that went through `DefaultAioHttpClient.send` (httpx's way), still sent."""
    seen: list[httpx.Request] = []
    original = DefaultAioHttpClient.send

    async def recording(self: DefaultAioHttpClient, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        seen.append(request)
        return await original(self, request, **kwargs)

    monkeypatch.setattr(DefaultAioHttpClient, "send", recording)
    return seen


def _on_loopback(
    reply: Callable[[httpx.Request], httpx.Response],
    use: Callable[[AsyncCdmClient, DefaultAioHttpClient], Awaitable[Any]],
    *,
    http_options: dict[str, Any] | None = None,
    **options: Any,
) -> tuple[Any, s.Server]:
    """`use(cdm, http)`: an AK/SK-signed CDM client on a DefaultAioHttpClient, sending to the
    loopback server, which answers with `reply`."""
    where = s.loopback()
    server = s.Server(reply)
    where.current = server

    async def main() -> Any:
        async with DefaultAioHttpClient(verify=s.tls_context(), **(http_options or {})) as http:
            cdm = AsyncCdmClient(base_url=where.base_url, project_id=PROJECT, ak=AK, sk=SK, http_client=http, **options)
            return await use(cdm, http)

    return asyncio.run(main()), server


def _ok(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"X-Request-Id": "req-ok"}, json={"clusters": [], "id": "c1", "name": "one"})


def _as_sent(made: httpx.Request, arrived: httpx.Request) -> None:
    """`made` (the client's lazily made request) is what `arrived` on the socket."""
    assert made.method == arrived.method
    assert str(made.url) == str(arrived.url)
    assert made.content == arrived.content
    assert {k for k, _ in made.headers.multi_items()} == {k for k, _ in arrived.headers.multi_items()}
    for name, value in made.headers.multi_items():
        assert arrived.headers.get(name) == value, name


def test_a_plain_call_goes_straight_to_the_pool(sends: list[httpx.Request]) -> None:
    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        return await cdm.clusters.list()

    result, server = _on_loopback(_ok, use)
    assert result.clusters == []
    assert sends == []  # not httpx's way
    assert server.requests[0].headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=" + AK)


def test_httpx_machinery_still_runs_when_the_client_needs_it(sends: list[httpx.Request]) -> None:
    """An event hook (or redirects, or the client's own auth) needs httpx's send: it still runs."""
    hooked: list[str] = []

    async def hook(request: httpx.Request) -> None:
        hooked.append(request.method + " " + request.url.path)

    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        return await cdm.clusters.list()

    _, server = _on_loopback(_ok, use, http_options={"event_hooks": {"request": [hook]}})
    assert hooked == [f"GET /v1.1/{PROJECT}/clusters"]
    assert len(sends) == 1 and server.requests[0].headers["Authorization"] == sends[0].headers["Authorization"]


def test_a_closed_client_refuses_as_httpx_does() -> None:
    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        await http.aclose()
        return await cdm.clusters.list()

    with pytest.raises(RuntimeError, match="closed"):
        _on_loopback(_ok, use)


def test_a_raw_response_has_the_request_as_sent() -> None:
    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        return await with_raw_response(cdm.clusters.create)(body=body("cluster.json"))

    raw, server = _on_loopback(_ok, use)
    (arrived,) = server.requests
    assert raw.http_response.raise_for_status() is raw.http_response  # the first to ask for it
    made = raw.http_response.request
    assert made is raw.http_response.request  # made once
    assert made.method == "POST" and made.url.path == f"/v1.1/{PROJECT}/clusters"
    assert made.content == arrived.content and json.loads(made.content)
    _as_sent(made, arrived)
    assert made.headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=" + AK)
    assert made.headers["X-Sdk-Date"] == arrived.headers["X-Sdk-Date"]
    assert raw.http_response.url == made.url


def test_an_error_status_names_the_request_and_masks_what_it_carried() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        message = f"The access key {AK} is not known"
        return httpx.Response(401, headers={"X-Request-Id": "req-401"}, json={"error_code": "APIGW.0301", "error_msg": message})

    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        return await cdm.jobs.get(cluster_id="c 1", job_name="j")

    with pytest.raises(APIStatusError) as caught:
        _on_loopback(refuse, use)
    error = caught.value
    assert AK not in str(error) and AK not in (error.error_message or "")
    assert "req-401" in str(error)
    assert error.request is not None and error.request is error.response.request
    assert error.request.method == "GET"
    assert error.request.url.raw_path.startswith(f"/v1.1/{PROJECT}/clusters/c%201/cdm/job/j".encode())
    with pytest.raises(httpx.HTTPStatusError) as status:
        error.response.raise_for_status()
    assert status.value.request is error.request


def test_a_connection_error_after_the_retries_names_the_request() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there

    async def main() -> None:
        async with DefaultAioHttpClient(verify=s.tls_context()) as http:
            cdm = AsyncCdmClient(base_url=f"http://127.0.0.1:{port}", project_id=PROJECT, ak=AK, sk=SK, http_client=http)
            cdm.retry_policy = dataarts.RetryPolicy(max_retries=1, initial_delay=0.01)
            await cdm.jobs.get_status(cluster_id="c", job_name="j")

    with pytest.raises(APIConnectionError) as caught:
        asyncio.run(main())
    request = caught.value.request
    assert request is not None and request.method == "GET"
    assert str(request.url) == f"http://127.0.0.1:{port}/v1.1/{PROJECT}/clusters/c/cdm/job/j/status"
    assert request.headers["Authorization"].startswith("SDK-HMAC-SHA256 Access=" + AK)
    assert f"GET http://127.0.0.1:{port}/v1.1/{PROJECT}/clusters/c/cdm/job/j/status failed" in str(caught.value)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert caught.value.__cause__.request is request


def test_the_debug_log_names_the_request_with_its_secrets_hidden(caplog: pytest.LogCaptureFixture) -> None:
    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        return await cdm.jobs.get_status(cluster_id="c", job_name="j")

    with caplog.at_level(logging.DEBUG, logger="dataarts"):
        _, server = _on_loopback(_ok, use)
    (line,) = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert line.startswith(f"GET {s.loopback().base_url}/v1.1/{PROJECT}/clusters/c/cdm/job/j/status -> 200")
    assert "request id req-ok" in line and "'x-sdk-date': '" + server.requests[0].headers["X-Sdk-Date"] in line
    assert "'authorization': '***'" in line.lower() or AK not in line
    assert SK not in line and server.requests[0].headers["Authorization"] not in line


def test_a_cookie_is_stored_and_sent_back() -> None:
    cookies: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        cookies.append(request.headers.get("Cookie", ""))
        return httpx.Response(200, headers={"Set-Cookie": "session=abc; Path=/"}, json={"clusters": []})

    async def use(cdm: AsyncCdmClient, http: DefaultAioHttpClient) -> Any:
        await cdm.clusters.list()
        await cdm.clusters.list()
        return dict(http.cookies)

    stored, _ = _on_loopback(reply, use)
    assert stored == {"session": "abc"}
    assert cookies == ["", "session=abc"]


@pytest.mark.parametrize("aiohttp", [True, False], ids=["aiohttp", "httpx"])
def test_a_header_value_http_cannot_carry_is_refused_before_sending(aiohttp: bool) -> None:
    """A token that is not ASCII: refused as httpx.Request refuses it, on both transports,
    before any connection is made (aiohttp alone would send it as UTF-8)."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]

        async def main() -> Any:
            async with DefaultAioHttpClient() if aiohttp else httpx.AsyncClient() as http:
                cdm = AsyncCdmClient(base_url=f"http://127.0.0.1:{port}", project_id=PROJECT, auth=TokenAuth("t\u00f6ken"),
                                     http_client=http, timeout=0.5, max_retries=0)
                return await cdm.clusters.list()

        with pytest.raises(UnicodeEncodeError):
            asyncio.run(main())
        listening.setblocking(False)
        with pytest.raises(BlockingIOError):
            listening.accept()  # nobody connected
