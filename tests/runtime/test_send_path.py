"""The send path: requests built from text, authenticated while built, and what reaches the wire.

The client builds each attempt's request one way (`dataarts._runtime.request`): path, query and
headers as text, merged with the `http_client`'s headers, params and cookies as httpx merges
them, then completed by the auth's public `apply` (`TokenAuth`, `AkSkAuth`, their subclasses);
any other `httpx.Auth` runs as an httpx auth flow. The wire request must verify with the
module-level signing functions (those the simulator checks signatures with) and match what
httpx itself would have built.
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
    RequestParts,
    TokenAuth,
    applies_while_building,
    authorization_header,
    canonical_query_string_from_raw,
    canonical_request,
    payload_hash,
    secrets_of,
    signature,
    string_to_sign,
)
from templates.runtime.client import DEFAULT_TIMEOUT, Call, SyncAPIClient
from tests.runtime.conftest import AK, PROJECT, SK, TOKEN, Harness, Script, reply

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
    # every line of a signed name, as the gateway reads them (one canonical line per value)
    headers = [(n, v) for n, v in request.headers.multi_items() if n in signed.split(";")]
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
    "start, a POST without a body": lambda c: c.things.start(thing_id="t1"),
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


@pytest.mark.parametrize("cookie", [False, True], ids=["no cookie", "a cookie to merge"])
@pytest.mark.parametrize("name", list(CALLS))
def test_assembled_requests_match_what_httpx_builds(kind: str, name: str, cookie: bool) -> None:
    """Same URL (query order aside), headers and body as httpx's `build_request` makes of the
    same parts with the same http_client (its cookie merged too)."""
    script = Script(reply(200, THING), repeat_last=True)
    h = Harness(kind, script)
    if cookie:
        h.http.cookies.set("lb", "1")
    h.call(CALLS[name])
    ours = script.requests[0]
    given = [(n, v) for n, v in ours.headers.multi_items() if n not in HTTPX_ADDS]
    built_by_httpx = h.http.build_request(
        ours.method, ours.url.copy_with(query=None), params=ours.url.params, headers=given,
        content=ours.content, timeout=DEFAULT_TIMEOUT,
    )
    assert ours.method == built_by_httpx.method
    assert ours.url.copy_with(query=None) == built_by_httpx.url.copy_with(query=None)
    assert sorted(ours.url.params.multi_items()) == sorted(built_by_httpx.url.params.multi_items())
    assert dict(ours.headers.items()) == dict(built_by_httpx.headers.items())
    assert ("cookie" in ours.headers) == cookie
    assert ours.content == built_by_httpx.content
    assert ours.extensions["timeout"] == built_by_httpx.extensions["timeout"]


HTTPX_ADDS = ("host", "content-length", "cookie")  # what build_request adds of its own


def test_the_http_clients_headers_params_and_cookies_merge_as_httpx_merges_them(
    kind: str,
) -> None:
    """A key of ours replaces the client's params of that key; a header of ours its lines of that
    name; the client's other lines stay, a repeated name line by line; its cookie is sent."""
    script = Script(reply(200, THING), repeat_last=True)
    h = aksk_harness(kind, script, {
        "params": [("name", "client"), ("p", "1"), ("p", "2")],
        "headers": [("X-Dup", "b"), ("X-Dup", " a"), ("Accept", "text/plain"), ("Accept", "x/y")],
        "cookies": {"lb": "1"},
    })
    h.call(lambda c: c.things.list(query={"name": "ours", "page_no": 2}))
    (sent,) = script.requests
    verify(sent)
    assert sent.url.params.multi_items() == [
        ("name", "ours"), ("p", "1"), ("p", "2"), ("page_no", "2")  # canonical order: signed
    ]
    assert sent.headers.get_list("X-Dup") == ["b", " a"]
    assert sent.headers.get_list("Accept") == ["application/json"]
    assert sent.headers["Cookie"] == "lb=1"


def test_the_http_clients_headers_changed_between_calls_are_sent_as_changed(kind: str) -> None:
    """The client's headers are read anew for every request: a line changed in place, added or
    removed after a call is sent (and signed) so by the next."""
    script = Script(reply(200, THING), repeat_last=True)
    h = aksk_harness(kind, script, {"headers": [("X-Tenant", "a")]})
    h.call(lambda c: c.things.list())
    h.http.headers["X-Tenant"] = "b"  # same name, same number of lines: only the value differs
    h.call(lambda c: c.things.list())
    h.http.headers["X-Extra"] = "1"
    h.call(lambda c: c.things.list())
    del h.http.headers["X-Tenant"]
    h.call(lambda c: c.things.list())
    for sent in script.requests:
        verify(sent)
    assert [r.headers.get("X-Tenant") for r in script.requests] == ["a", "b", "b", None]
    assert [r.headers.get("X-Extra") for r in script.requests] == [None, None, "1", "1"]


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
        "run = {'job-name': 'j', 'creation-user': 'cdm', 'creation-date': 1536905778725,"
        " 'progress': 1, 'status': 'BOOTING'}\n"  # the documented fields (a complete body)
        "h = lambda r: httpx.Response(200, json={'submissions': [run]})\n"
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


# -- Content-Type on every request (issue 19: the gateway refuses a factory POST without it) -----

BODYLESS = {
    "get": lambda c: c.things.get(thing_id="t1"),
    "a POST without a body": lambda c: c.things.start(thing_id="t1"),
}


@pytest.mark.parametrize("name", list(BODYLESS))
def test_a_request_without_a_body_says_json_and_signs_it(kind: str, name: str) -> None:
    script = Script(reply(200, THING), repeat_last=True)
    h = aksk_harness(kind, script)
    h.call(BODYLESS[name])
    (request,) = script.requests
    assert request.content == b""
    assert request.headers.get_list("Content-Type") == ["application/json"]  # once: D23
    verify(request)
    assert "content-type;" in request.headers["Authorization"]  # signed, as the official SDK


def test_a_json_body_keeps_its_charset_and_a_callers_content_type_wins(kind: str) -> None:
    script = Script(reply(200, THING), repeat_last=True)
    h = aksk_harness(kind, script)
    h.call(lambda c: c.things.create(body={"id": "n"}))
    h.call(lambda c: c.things.start(thing_id="t1", extra_headers={"content-type": "text/plain"}))
    with_body, own = script.requests
    assert with_body.headers.get_list("Content-Type") == ["application/json;charset=UTF-8"]
    assert own.headers.get_list("Content-Type") == ["text/plain"]
    verify(with_body)
    verify(own)  # a type the signer does not hash: declared UNSIGNED-PAYLOAD
    assert own.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"


def test_the_simulators_gateway_accepts_the_signed_bodyless_requests() -> None:
    """The official SDK's way, checked by the simulator's signature check (the client's own
    signing functions): a signed GET and a signed POST without a body, both saying JSON."""
    from dataarts import DlfClient, FactoryClient
    from dataarts.testing import ManualClock, Simulator

    sim = Simulator(clock=ManualClock(), credentials={AK: SK})
    sent: list[httpx.Request] = []
    http = httpx.Client(transport=sim.transport(), event_hooks={"request": [sent.append]})
    options = {"project_id": PROJECT, "base_url": "http://simulator", "ak": AK, "sk": SK,
               "workspace": "w", "http_client": http}  # fmt: skip
    with DlfClient(**options) as dlf, FactoryClient(**options) as factory:
        assert dlf.jobs.list().total == 0
        assert factory.supplement_data.stop(instance_name="P_job_20260101") is None
    assert [(r.method, r.content, r.headers["Content-Type"]) for r in sent] == [
        ("GET", b"", "application/json"),
        ("POST", b"", "application/json"),
    ]
    assert [call.status for call in sim.calls] == [200, 200]  # no 401: signatures verified


# -- auth through its public interface -------------------------------------------------------------


def test_the_auth_classes_and_their_subclasses_are_applied_while_building(kind: str) -> None:
    class Tagged(AkSkAuth):
        def apply(self, parts: RequestParts) -> None:
            parts.set_header("X-Tag", "t")
            super().apply(parts)

    script = Script(reply(200, THING), repeat_last=True)
    auth = Tagged(AK, SK, project_id=PROJECT, clock=lambda: MOMENT)
    assert applies_while_building(auth) and applies_while_building(TokenAuth(TOKEN))
    h = Harness(kind, script, token=None, auth=auth)
    h.call(CALLS["list with a query"])
    (request,) = script.requests
    verify(request)
    assert request.headers["X-Tag"] == "t" and ";x-tag," in request.headers["Authorization"]


def test_a_subclass_with_its_own_httpx_flow_runs_that_flow(kind: str) -> None:
    class Stamped(TokenAuth):
        def auth_flow(self, request: httpx.Request) -> Any:
            request.headers["X-Stamp"] = "yes"
            yield request

    auth = Stamped(TOKEN)
    assert not applies_while_building(auth)
    script = Script(reply(200, THING))
    h = Harness(kind, script, token=None, auth=auth)
    h.call(CALLS["get"])
    (request,) = script.requests
    assert request.headers["X-Stamp"] == "yes"
    assert "X-Auth-Token" not in request.headers  # its flow replaced TokenAuth's


def test_an_auth_flow_on_an_httpx_request_is_the_same_apply() -> None:
    """`AkSkAuth` given to httpx signs exactly what the client signs while building."""
    script = Script(reply(200, THING), repeat_last=True)
    h = aksk_harness("sync", script)
    h.call(CALLS["list with a query"])
    (built,) = script.requests
    again = httpx.Request(built.method, built.url, headers=[
        (n, v) for n, v in built.headers.multi_items() if n != "authorization"
    ])
    auth = AkSkAuth(AK, SK, project_id=PROJECT, security_token=SECURITY_TOKEN, clock=lambda: MOMENT)
    signed = next(auth.sync_auth_flow(again))
    assert signed.headers["Authorization"] == built.headers["Authorization"]
    assert signed.url == built.url


def test_an_auth_names_its_secrets_for_masking() -> None:
    """What a body excerpt masks (see test_response_bodies), asked through the public method."""
    assert secrets_of(AkSkAuth(AK, SK, security_token=SECURITY_TOKEN)) == (SK, SECURITY_TOKEN)
    assert secrets_of(AkSkAuth(AK, SK)) == (SK,)
    assert secrets_of(TokenAuth(TOKEN)) == (TOKEN,)
    assert secrets_of(httpx.Auth()) == ()  # an auth of another kind holds nothing we know of
