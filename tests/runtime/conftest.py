"""Shared pieces of the runtime tests: a tiny client built on templates/runtime, scripted
transports, and a harness that drives the sync and the async client the same way."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from templates.runtime.client import (
    ENV,
    AsyncAPIClient,
    AsyncResource,
    OperationSpec,
    ServiceSpec,
    SyncAPIClient,
    SyncResource,
)
from templates.runtime.models import Model
from templates.runtime.pagination import PageSpec
from templates.runtime.types import NOT_GIVEN, Headers, NotGiven, Timeout

BASE_URL = "https://demo.test"
PROJECT = "0123456789abcdef0123456789abcdef"
TOKEN = "MIIToken-Sup3rSecret-Value-0123456789"
AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000SK"


# --- models -------------------------------------------------------------------------------------


class Thing(Model):
    id: str | None = None
    count: int | None = None


class ThingList(Model):
    total: int | str | None = None
    things: list[Thing] | None = None


# --- operations ---------------------------------------------------------------------------------

SERVICE = ServiceSpec("cdm", "https://cdm.{region}.myhuaweicloud.com", ("region",))
_CLIENT_PARAMS = (
    ("path", "project_id", "project_id", None),
    ("header", "workspace", "workspace", None),
)

GET_THING: OperationSpec[Thing] = OperationSpec(
    "GetThing", "GET", "/v1/{project_id}/things/{thing_id}", "model", Thing, True, _CLIENT_PARAMS
)
CREATE_THING: OperationSpec[Thing] = OperationSpec(
    "CreateThing", "POST", "/v1/{project_id}/things", "model", Thing, False, _CLIENT_PARAMS
)
START_THING: OperationSpec[None] = OperationSpec(  # a POST without a body
    "StartThing", "POST", "/v1/{project_id}/things/{thing_id}/start", "none", None, False,
    _CLIENT_PARAMS,
)
DELETE_THING: OperationSpec[None] = OperationSpec(
    "DeleteThing", "DELETE", "/v1/{project_id}/things/{thing_id}", "none", None, True,
    _CLIENT_PARAMS,
)
LIST_THINGS: OperationSpec[ThingList] = OperationSpec(
    "ListThings", "GET", "/v1/{project_id}/things", "model", ThingList, True, _CLIENT_PARAMS
)
SEARCH_THINGS: OperationSpec[ThingList] = OperationSpec(
    "SearchThings", "POST", "/v1/{project_id}/things/search", "model", ThingList, False,
    _CLIENT_PARAMS,
)
EXPORT_THINGS: OperationSpec[bytes] = OperationSpec(
    "ExportThings", "GET", "/v1/{project_id}/things/export", "binary", bytes, True, _CLIENT_PARAMS
)
# page counting from 1 in the query (like CDM ShowJobs), record counting from 0 in the body
LIST_PAGES: PageSpec[Thing] = PageSpec(Thing, "query", "page_no", "page_size", "page", 1,
                                       "things", "total")
SEARCH_PAGES: PageSpec[Thing] = PageSpec(Thing, "body", "offset", "limit", "record", 0,
                                         "things", "total")


class ThingsResource(SyncResource):
    def get(self, *, thing_id: str, **options: Any) -> Thing:
        return self._client.request(GET_THING, path={"thing_id": thing_id}, **options)

    def create(self, *, body: Any, **options: Any) -> Thing:
        return self._client.request(CREATE_THING, body=body, **options)

    def start(self, *, thing_id: str, **options: Any) -> None:
        return self._client.request(START_THING, path={"thing_id": thing_id}, **options)

    def delete(self, *, thing_id: str, **options: Any) -> None:
        return self._client.request(DELETE_THING, path={"thing_id": thing_id}, **options)

    def list(self, *, query: Mapping[str, Any] | None = None, **options: Any) -> ThingList:
        return self._client.request(LIST_THINGS, query=query, **options)

    def iter_list(self, *, query: Mapping[str, Any] | None = None, **options: Any) -> Iterator[Thing]:
        return self._client.paginate(LIST_THINGS, LIST_PAGES, query=query, **options)

    def iter_search(self, *, body: Any, **options: Any) -> Iterator[Thing]:
        return self._client.paginate(SEARCH_THINGS, SEARCH_PAGES, body=body, **options)

    def export(self, file: Any, **options: Any) -> int:
        return self._client.download(EXPORT_THINGS, file, **options)


class AsyncThingsResource(AsyncResource):
    async def get(self, *, thing_id: str, **options: Any) -> Thing:
        return await self._client.request(GET_THING, path={"thing_id": thing_id}, **options)

    async def create(self, *, body: Any, **options: Any) -> Thing:
        return await self._client.request(CREATE_THING, body=body, **options)

    async def start(self, *, thing_id: str, **options: Any) -> None:
        return await self._client.request(START_THING, path={"thing_id": thing_id}, **options)

    async def delete(self, *, thing_id: str, **options: Any) -> None:
        return await self._client.request(DELETE_THING, path={"thing_id": thing_id}, **options)

    async def list(self, *, query: Mapping[str, Any] | None = None, **options: Any) -> ThingList:
        return await self._client.request(LIST_THINGS, query=query, **options)

    def iter_list(self, *, query: Mapping[str, Any] | None = None, **options: Any) -> Any:
        return self._client.paginate(LIST_THINGS, LIST_PAGES, query=query, **options)

    def iter_search(self, *, body: Any, **options: Any) -> Any:
        return self._client.paginate(SEARCH_THINGS, SEARCH_PAGES, body=body, **options)

    async def export(self, file: str | IO[bytes], **options: Any) -> int:
        return await self._client.download(EXPORT_THINGS, file, **options)


def _init(self: Any, http_client: Any, **kw: Any) -> None:
    # What a generated constructor does: _configure(...) then _init_http(...).
    self._configure(
        base_url=kw.get("base_url"),
        server_variables={"region": kw.get("region")},
        project_id=kw.get("project_id"),
        options={"workspace": kw.get("workspace")},
        auth=kw.get("auth"),
        token=kw.get("token"),
        ak=kw.get("ak"),
        sk=kw.get("sk"),
        security_token=kw.get("security_token"),
        timeout=kw.get("timeout", NOT_GIVEN),
        max_retries=kw.get("max_retries", 2),
        retry_non_idempotent=kw.get("retry_non_idempotent", False),
        default_headers=kw.get("default_headers"),
        profile=kw.get("profile"),
    )
    self._init_http(http_client)


def _with_options(self: Any, *, workspace: str | None | NotGiven = NOT_GIVEN,
                  timeout: Timeout | NotGiven = NOT_GIVEN,
                  max_retries: int | NotGiven = NOT_GIVEN,
                  retry_non_idempotent: bool | NotGiven = NOT_GIVEN,
                  default_headers: Headers | None = None) -> Any:
    return self._copy({"workspace": workspace, "timeout": timeout, "max_retries": max_retries,
                       "retry_non_idempotent": retry_non_idempotent,
                       "default_headers": default_headers})


class DemoClient(SyncAPIClient):
    _service = SERVICE
    _resources = (("things", ThingsResource),)
    things: ThingsResource

    def __init__(self, *, http_client: httpx.Client | None = None, **kw: Any) -> None:
        _init(self, http_client, **kw)

    with_options = _with_options


class AsyncDemoClient(AsyncAPIClient):
    _service = SERVICE
    _resources = (("things", AsyncThingsResource),)
    things: AsyncThingsResource

    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kw: Any) -> None:
        _init(self, http_client, **kw)

    with_options = _with_options


# --- scripted transport -------------------------------------------------------------------------

Step = Callable[[httpx.Request], httpx.Response]


def reply(status: int = 200, data: Any = None, *, content: bytes | None = None,
          headers: Mapping[str, str] | None = None) -> Step:
    """A step answering with `status` and a JSON body (`data`) or raw `content`."""

    def step(request: httpx.Request) -> httpx.Response:
        hdrs = dict(headers or {})
        if content is not None:
            return httpx.Response(status, content=content, headers=hdrs)
        if data is None:
            return httpx.Response(status, headers=hdrs)
        hdrs.setdefault("Content-Type", "application/json")
        return httpx.Response(status, content=json.dumps(data).encode(), headers=hdrs)

    return step


def fail(exc_type: type[httpx.TransportError], message: str = "transport failure") -> Step:
    """A step raising a transport error, as a failed connection would."""

    def step(request: httpx.Request) -> httpx.Response:
        raise exc_type(message, request=request)

    return step


class Script:
    """A MockTransport handler answering with the given steps in order, recording each request."""

    def __init__(self, *steps: Step, repeat_last: bool = False) -> None:
        self.steps = list(steps)
        self.repeat_last = repeat_last
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        index = len(self.requests) - 1
        if index >= len(self.steps):
            if not self.repeat_last:
                raise AssertionError(f"unexpected request #{index + 1}: {request.method} {request.url}")
            index = len(self.steps) - 1
        return self.steps[index](request)

    @property
    def calls(self) -> int:
        return len(self.requests)


class Harness:
    """Drives a DemoClient or an AsyncDemoClient over a MockTransport with the same test code."""

    def __init__(self, kind: str, script: Script, **client_kwargs: Any) -> None:
        self.kind = kind
        self.script = script
        kwargs: dict[str, Any] = {"base_url": BASE_URL, "project_id": PROJECT, "token": TOKEN}
        kwargs.update(client_kwargs)
        transport = httpx.MockTransport(script)
        self.client: DemoClient | AsyncDemoClient
        if kind == "sync":
            self.http: httpx.Client | httpx.AsyncClient = httpx.Client(transport=transport)
            self.client = DemoClient(http_client=self.http, **kwargs)
        else:
            self.http = httpx.AsyncClient(transport=transport)
            self.client = AsyncDemoClient(http_client=self.http, **kwargs)

    def call(self, fn: Callable[[Any], Any]) -> Any:
        """Run `fn(client)`; in async mode the coroutine it returns is run to completion."""
        result = fn(self.client)
        if inspect.isawaitable(result):
            return asyncio.run(_await(result))
        return result

    def collect(self, fn: Callable[[Any], Any]) -> list[Any]:
        """Every item of the (async) iterator `fn(client)` returns."""
        iterator = fn(self.client)
        if hasattr(iterator, "__aiter__"):
            return asyncio.run(_alist(iterator))
        return list(iterator)


async def _await(awaitable: Any) -> Any:
    return await awaitable


async def _alist(iterator: Any) -> list[Any]:
    return [item async for item in iterator]


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def harness(kind: str) -> Callable[..., Harness]:
    def make(*steps: Step, repeat_last: bool = False, **client_kwargs: Any) -> Harness:
        return Harness(kind, Script(*steps, repeat_last=repeat_last), **client_kwargs)

    return make


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the delays the send loops wait for, without waiting."""
    delays: list[float] = []

    async def fake_async_sleep(delay: float, *args: Any) -> None:
        delays.append(delay)

    monkeypatch.setattr(time, "sleep", delays.append)
    monkeypatch.setattr(asyncio, "sleep", fake_async_sleep)
    return delays


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees credentials, project, region, endpoint or profile from the environment or
    the developer's profile files unless it sets them."""
    for name in [*ENV.values(), *(k for k in os.environ if k.startswith("DATAARTS_"))]:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
