"""The send path: requests assembled from text, signed while built, and what reaches the wire.

The client builds each attempt's request itself (path, query and headers as text) and applies an
`AkSkAuth`/`TokenAuth` of this package while doing so; httpx's `build_request` and auth flow are
used when the `http_client` carries params or cookies to merge, or for any other `httpx.Auth`.
Whatever the way, the wire request must verify with the module-level signing functions (those
the simulator checks signatures with) and match what httpx itself would have built.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from templates.runtime.auth import (
    AkSkAuth,
    authorization_header,
    canonical_query_string_from_raw,
    canonical_request,
    payload_hash,
    signature,
    string_to_sign,
)
from templates.runtime.client import Call, SyncAPIClient
from tests.runtime.conftest import AK, PROJECT, SK, Harness, Script, reply

THING = {"id": "t1", "count": 3}
MOMENT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SECURITY_TOKEN = "sts-token-value"


def verify(request: httpx.Request) -> None:
    """Check a wire request's AK/SK signature the way a server does, from the request alone."""
    request.read()
    auth = request.headers["Authorization"]
    prefix = f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders="
    assert auth.startswith(prefix)
    signed = auth[len(prefix) :].split(",")[0]
    headers = [(name, request.headers[name]) for name in signed.split(";")]
    raw_path, _, raw_query = request.url.raw_path.partition(b"?")
    body_hash = request.headers.get("X-Sdk-Content-Sha256") or payload_hash(request.content)
    pairs = [p.split("=", 1) for p in canonical_query_string_from_raw(raw_query).split("&") if p]
    query = [(unquote(k), unquote(v)) for k, v in pairs]
    canonical = canonical_request(request.method, raw_path, query, headers, body_hash)
    sig = signature(SK, string_to_sign(request.headers["X-Sdk-Date"], canonical))
    assert auth == authorization_header(AK, signed, sig)
    # every header present is signed but the two the rules leave out
    unsigned = {n for n in request.headers if n not in signed.split(";")}
    assert unsigned <= {"authorization", "content-length"}


def aksk_harness(kind: str, script: Script, http_kwargs: dict[str, Any] | None = None,
                 **client_kwargs: Any) -> Harness:
    h = Harness(kind, script, token=None, auth=AkSkAuth(
        AK, SK, project_id=PROJECT, security_token=SECURITY_TOKEN, clock=lambda: MOMENT
    ), **client_kwargs)
    if http_kwargs:  # an http_client with params or cookies of its own: httpx merges them
        transport = httpx.MockTransport(script)
        cls = httpx.Client if kind == "sync" else httpx.AsyncClient
        h.http = cls(transport=transport, **http_kwargs)
        h.client._http = h.http  # type: ignore[assignment]
    return h


CALLS = {
    "get": lambda c: c.things.get(thing_id="t1"),
    "get, odd path value": lambda c: c.things.get(thing_id="a b/ç?&=%"),
    "list with a query": lambda c: c.things.list(query={
        "name": "a b+c", "z": True, "tag": ["y", "x é"], "none": None, "page_no": 2
    }),
    "create with a JSON body": lambda c: c.things.create(body={"id": "new", "name": "é"}),
    "create with headers": lambda c: c.things.create(
        body={"id": "n"}, extra_headers={"x-trace-id": " t1 ", "Accept": "application/xml"},
        extra_query={"dry run": "yes"},
    ),
}


@pytest.mark.parametrize("http_kwargs", [None, {"cookies": {"lb": "1"}}, {"params": {"p": "1"}}],
                         ids=["assembled", "httpx-cookies", "httpx-params"])
@pytest.mark.parametrize("name", list(CALLS))
def test_signed_requests_verify_with_the_module_functions(
    kind: str, name: str, http_kwargs: dict[str, Any] | None
) -> None:
    script = Script(reply(200, THING), repeat_last=True)
    h = aksk_harness(kind, script, http_kwargs, workspace="ws-1")
    h.call(CALLS[name])
    (request,) = script.requests
    verify(request)
    assert request.headers["X-Sdk-Date"] == "20260102T030405Z"
    assert request.headers["X-Project-Id"] == PROJECT
    assert request.headers["X-Security-Token"] == SECURITY_TOKEN
    assert request.headers["workspace"] == "ws-1"
    assert request.headers["Host"] == "demo.test"


def sent_with(kind: str, name: str, cookie: bool) -> httpx.Request:
    script = Script(reply(200, THING), repeat_last=True)
    h = Harness(kind, script)
    if cookie:  # a cookie of the http_client's own: httpx's build_request merges it
        h.http.cookies.set("lb", "1")
    h.call(CALLS[name])
    return script.requests[0]


@pytest.mark.parametrize("name", list(CALLS))
def test_assembled_requests_match_what_httpx_builds(kind: str, name: str) -> None:
    """Same URL (query order aside), headers and body whether the client or httpx builds them."""
    ours, built_by_httpx = sent_with(kind, name, False), sent_with(kind, name, True)
    assert ours.method == built_by_httpx.method
    assert ours.url.copy_with(query=None) == built_by_httpx.url.copy_with(query=None)
    assert sorted(ours.url.params.multi_items()) == sorted(built_by_httpx.url.params.multi_items())
    theirs = {k: v for k, v in built_by_httpx.headers.items() if k != "cookie"}
    assert dict(ours.headers.items()) == theirs
    assert ours.content == built_by_httpx.content
    assert ours.extensions["timeout"] == built_by_httpx.extensions["timeout"]


def test_a_dot_segment_value_stays_a_name(kind: str) -> None:
    script = Script(reply(200, THING), repeat_last=True)
    h = Harness(kind, script)
    h.call(lambda c: c.things.get(thing_id=".."))
    assert script.requests[0].url.raw_path == f"/v1/{PROJECT}/things/%2E%2E".encode()


def test_a_base_url_with_a_path_prefix(kind: str) -> None:
    script = Script(reply(200, THING))
    h = Harness(kind, script, base_url="http://127.0.0.1:8080/proxy/")
    h.call(CALLS["get"])
    assert str(script.requests[0].url) == f"http://127.0.0.1:8080/proxy/v1/{PROJECT}/things/t1"


def test_a_foreign_auth_runs_as_an_httpx_auth_flow(kind: str) -> None:
    class Stamp(httpx.Auth):
        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["X-Stamp"] = "yes"
            yield request

    script = Script(reply(200, THING))
    h = Harness(kind, script, token=None, auth=Stamp())
    h.call(CALLS["get"])
    assert script.requests[0].headers["X-Stamp"] == "yes"


def test_the_call_parameters_travel_as_one_frozen_value() -> None:
    call = Call(path={"thing_id": "t1"}, max_retries=0)
    with pytest.raises(AttributeError):
        call.max_retries = 1  # type: ignore[misc]
    assert Call._fields == (
        "path", "query", "headers", "body", "timeout", "extra_headers", "extra_query",
        "max_retries", "retry_non_idempotent",
    )
    # the generated methods' entry point keeps its keyword arguments
    params = inspect.signature(SyncAPIClient.request).parameters
    assert tuple(params)[2:] == Call._fields


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running `code` with the package."""
    generated = Path(__file__).resolve().parents[2] / "generated"
    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))\n"],
        capture_output=True, text=True, env={"PYTHONPATH": str(generated)}, check=True,
    )
    return set(done.stdout.split())


def test_importing_a_client_loads_neither_asyncio_nor_pydantic_nor_models() -> None:
    """What a first call does not need is not imported with the client (issue 9, speed)."""
    loaded = modules_after(
        "from dataarts import CdmClient, AsyncDlfClient\n"
        "c = CdmClient(region='r', project_id='p', ak='HPUAEXAMPLEAK0000001', sk='s' * 40)\n"
    )
    assert "dataarts.cdm._client" in loaded and "dataarts.dlf._client" in loaded
    assert not {m for m in loaded if m.startswith(("asyncio", "pydantic"))}, loaded
    assert not {m for m in loaded if m.endswith((".models", ".error_codes"))}, loaded


def test_first_call_loads_the_models_but_not_asyncio() -> None:
    loaded = modules_after(
        "import httpx\n"
        "from dataarts import CdmClient\n"
        "h = lambda r: httpx.Response(200, json={'submissions': [{'status': 'BOOTING'}]})\n"
        "c = CdmClient(region='r', project_id='p', token='t',"
        " http_client=httpx.Client(transport=httpx.MockTransport(h)))\n"
        "assert c.jobs.get_status(cluster_id='c', job_name='j').submissions[0].status == 'BOOTING'\n"
        "from dataarts._runtime.logs import regex\n"
        "assert regex.cache_info().currsize == 0, 'a call that logs nothing compiles no pattern'\n"
    )
    assert "dataarts.cdm.models" in loaded
    assert "asyncio" not in loaded
    assert "dataarts.cdm.error_codes" not in loaded
    # what parsing a model class does not use (RootModel, TypeAdapter) is not imported for it
    assert not loaded & {"pydantic.root_model", "pydantic.type_adapter"}, loaded
