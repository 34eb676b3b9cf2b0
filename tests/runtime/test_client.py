"""Tests for templates/runtime/client.py, through httpx.MockTransport, sync and async.

Most tests run twice (the `kind` fixture): once with DemoClient, once with AsyncDemoClient, both
defined in conftest.py the way the generated clients are.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import ConfigDict

from templates.runtime.auth import AkSkAuth, TokenAuth
from templates.runtime.client import (
    USER_AGENT,
    RawResponse,
    with_raw_response,
)
from templates.runtime.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
)
from templates.runtime.models import Model
from templates.runtime.retry import RetryPolicy
from tests.runtime.conftest import (
    AK,
    BASE_URL,
    CREATE_THING,
    PROJECT,
    SK,
    TOKEN,
    AsyncDemoClient,
    DemoClient,
    Harness,
    Script,
    Thing,
    fail,
    reply,
)

MakeHarness = Callable[..., Harness]
THING = {"id": "t1", "count": 3}
THING_URL = f"{BASE_URL}/v1/{PROJECT}/things/t1"
DEFAULT_TIMEOUT = {"connect": 10.0, "read": 60.0, "write": 60.0, "pool": 60.0}


def exact(h: Harness, max_retries: int = 2) -> Harness:
    """Make the client's backoff exact: no jitter removed (0.5 s, 1 s, 2 s, ...)."""
    h.client.retry_policy = RetryPolicy(max_retries=max_retries, rng=lambda: 0.0)
    return h


def get_thing(**options: Any) -> Callable[[Any], Any]:
    return lambda c: c.things.get(thing_id="t1", **options)


def create_thing(**options: Any) -> Callable[[Any], Any]:
    return lambda c: c.things.create(body={"id": "new"}, **options)


class JobBody(Model):
    job_name: str | None = None
    retries: int | None = None
    link_name: str | None = None

    model_config = ConfigDict(alias_generator=lambda name: name.replace("_", "-"))


# --- configuration ------------------------------------------------------------------------------


def test_region_builds_the_documented_base_url() -> None:
    script = Script(reply(200, THING))
    client = DemoClient(region="cn-north-4", project_id=PROJECT, token=TOKEN,
                        http_client=httpx.Client(transport=httpx.MockTransport(script)))
    assert client.base_url == "https://cdm.cn-north-4.myhuaweicloud.com"
    client.things.get(thing_id="t1")
    assert str(script.requests[0].url) == (
        f"https://cdm.cn-north-4.myhuaweicloud.com/v1/{PROJECT}/things/t1"
    )


def test_generated_clients_build_their_documented_base_urls() -> None:
    from dataarts.cdm import CdmClient
    from dataarts.dlf import DlfClient

    with CdmClient(region="ap-southeast-1", project_id=PROJECT, token=TOKEN) as cdm:
        assert cdm.base_url == "https://cdm.ap-southeast-1.myhuaweicloud.com"
    with DlfClient(region="cn-north-4", project_id=PROJECT, token=TOKEN) as dlf:
        assert dlf.base_url == "https://dayu-dlf.cn-north-4.myhuaweicloud.com"


def test_region_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_REGION", "la-south-2")
    with DemoClient(project_id=PROJECT, token=TOKEN) as client:
        assert client.base_url == "https://cdm.la-south-2.myhuaweicloud.com"


def test_region_argument_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_REGION", "la-south-2")
    with DemoClient(region="cn-east-3", project_id=PROJECT, token=TOKEN) as client:
        assert client.base_url == "https://cdm.cn-east-3.myhuaweicloud.com"


def test_base_url_overrides_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_REGION", "la-south-2")
    script = Script(reply(200, THING))
    client = DemoClient(region="cn-north-4", base_url="http://127.0.0.1:8080/proxy/",
                        project_id=PROJECT, token=TOKEN,
                        http_client=httpx.Client(transport=httpx.MockTransport(script)))
    assert client.base_url == "http://127.0.0.1:8080/proxy"
    client.things.get(thing_id="t1")
    assert str(script.requests[0].url) == f"http://127.0.0.1:8080/proxy/v1/{PROJECT}/things/t1"


def test_missing_region_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="region.*CLOUD_SDK_REGION"):
        DemoClient(project_id=PROJECT, token=TOKEN)


def test_project_id_from_the_environment(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("CLOUD_SDK_PROJECT_ID", "envproject0001")
    h = Harness(kind, Script(reply(200, THING)), project_id=None)
    h.call(get_thing())
    assert h.script.requests[0].url.path == "/v1/envproject0001/things/t1"


@pytest.mark.parametrize("cls", [DemoClient, AsyncDemoClient])
def test_missing_project_id_is_a_configuration_error(cls: type[Any]) -> None:
    with pytest.raises(ConfigurationError, match="CLOUD_SDK_PROJECT_ID"):
        cls(base_url=BASE_URL, token=TOKEN)


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("CLOUD_SDK_TOKEN", "env-token-value")
    h = Harness(kind, Script(reply(200, THING)), token=None)
    h.call(get_thing())
    request = h.script.requests[0]
    assert request.headers["X-Auth-Token"] == "env-token-value"
    assert "Authorization" not in request.headers


def test_ak_sk_from_the_environment(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("CLOUD_SDK_AK", AK)
    monkeypatch.setenv("CLOUD_SDK_SK", SK)
    h = Harness(kind, Script(reply(200, THING)), token=None)
    h.call(get_thing())
    request = h.script.requests[0]
    assert request.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, ")
    assert request.headers["X-Project-Id"] == PROJECT
    assert "X-Auth-Token" not in request.headers


def test_explicit_token_beats_environment_ak_sk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_AK", AK)
    monkeypatch.setenv("CLOUD_SDK_SK", SK)
    h = Harness("sync", Script(reply(200, THING)), token="explicit-token")
    h.call(get_thing())
    assert h.script.requests[0].headers["X-Auth-Token"] == "explicit-token"
    assert "Authorization" not in h.script.requests[0].headers


def test_explicit_auth_object_is_used() -> None:
    h = Harness("sync", Script(reply(200, THING)), token=None, auth=TokenAuth("object-token"))
    h.call(get_thing())
    assert h.script.requests[0].headers["X-Auth-Token"] == "object-token"


@pytest.mark.parametrize("cls", [DemoClient, AsyncDemoClient])
def test_missing_credentials_is_a_configuration_error(cls: type[Any]) -> None:
    with pytest.raises(ConfigurationError, match="CLOUD_SDK_TOKEN"):
        cls(base_url=BASE_URL, project_id=PROJECT)


def test_ak_without_sk_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        DemoClient(base_url=BASE_URL, project_id=PROJECT, ak=AK)


# --- building requests --------------------------------------------------------------------------


def test_request_line_and_default_headers(harness: MakeHarness) -> None:
    h = harness(reply(200, THING))
    thing = h.call(get_thing())
    assert isinstance(thing, Thing)
    assert (thing.id, thing.count) == ("t1", 3)
    request = h.script.requests[0]
    assert request.method == "GET"
    assert str(request.url) == THING_URL
    assert request.headers["User-Agent"] == USER_AGENT == "dataarts-python/0.1.0"
    assert request.headers["Accept"] == "application/json"
    assert request.headers["X-Auth-Token"] == TOKEN
    # JSON even without a body, as the official SDK sends it (the gateway wants it: D23)
    assert request.headers["Content-Type"] == "application/json"
    assert request.content == b""


@pytest.mark.parametrize("value", ["", None])
def test_empty_path_parameter_raises_before_sending(harness: MakeHarness, value: Any) -> None:
    h = harness(reply(200, THING))
    with pytest.raises(ValueError, match="thing_id"):
        h.call(lambda c: c.things.get(thing_id=value))
    assert h.script.calls == 0


def test_path_parameters_are_percent_encoded(harness: MakeHarness) -> None:
    h = harness(reply(200, THING))
    h.call(lambda c: c.things.get(thing_id="a/b c"))
    assert h.script.requests[0].url.raw_path == f"/v1/{PROJECT}/things/a%2Fb%20c".encode()


def test_query_booleans_lists_and_none(harness: MakeHarness) -> None:
    h = harness(reply(200, {"things": []}))
    h.call(lambda c: c.things.list(query={"validate": True, "enabled": False,
                                          "tags": ["a", "b"], "skip": None, "n": 5}))
    url = h.script.requests[0].url
    assert url.query == b"validate=true&enabled=false&tags=a&tags=b&n=5"
    assert url.params.get_list("tags") == ["a", "b"]


def test_client_option_sent_as_header_only_when_set(kind: str) -> None:
    with_ws = Harness(kind, Script(reply(200, THING)), workspace="ws-1")
    with_ws.call(get_thing())
    assert with_ws.script.requests[0].headers["workspace"] == "ws-1"
    without = Harness(kind, Script(reply(200, THING)))
    without.call(get_thing())
    assert "workspace" not in without.script.requests[0].headers


def test_default_headers_are_sent(kind: str) -> None:
    h = Harness(kind, Script(reply(200, THING)), default_headers={"X-Language": "en_us"})
    h.call(get_thing())
    assert h.script.requests[0].headers["X-Language"] == "en_us"


def test_extra_headers_and_extra_query_per_call(harness: MakeHarness) -> None:
    h = harness(reply(200, {}), reply(200, {}))
    h.call(lambda c: c.things.list(
        query={"name": "q", "n": 1},
        extra_headers={"X-Trace-Id": "trace-1", "Accept": "application/xml"},
        extra_query={"debug": True, "n": 2},
    ))
    h.call(lambda c: c.things.list(query={"name": "q"}))
    first, second = h.script.requests
    assert first.headers["X-Trace-Id"] == "trace-1"
    assert first.headers["Accept"] == "application/xml"
    assert first.url.query == b"name=q&n=2&debug=true"
    # nothing sticks to the client
    assert "X-Trace-Id" not in second.headers
    assert second.headers["Accept"] == "application/json"
    assert second.url.query == b"name=q"


def test_default_timeout(harness: MakeHarness) -> None:
    h = harness(reply(200, THING))
    h.call(get_thing())
    assert h.script.requests[0].extensions["timeout"] == DEFAULT_TIMEOUT


def test_timeout_per_call(harness: MakeHarness) -> None:
    h = harness(reply(200, THING), reply(200, THING), reply(200, THING))
    h.call(get_thing(timeout=5.0))
    h.call(get_thing(timeout=httpx.Timeout(7.0, connect=2.0)))
    h.call(get_thing(timeout=None))
    assert [r.extensions["timeout"] for r in h.script.requests] == [
        {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0},
        {"connect": 2.0, "read": 7.0, "write": 7.0, "pool": 7.0},
        {"connect": None, "read": None, "write": None, "pool": None},
    ]


def test_client_timeout(kind: str) -> None:
    h = Harness(kind, Script(reply(200, THING)), timeout=3.0)
    h.call(get_thing())
    assert h.script.requests[0].extensions["timeout"] == {
        "connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0,
    }


def test_body_model_sent_by_wire_name_without_unset_fields(harness: MakeHarness) -> None:
    h = harness(reply(200, THING))
    h.call(lambda c: c.things.create(body=JobBody(job_name="j1", link_name=None)))
    request = h.script.requests[0]
    assert request.method == "POST"
    assert json.loads(request.content) == {"job-name": "j1", "link-name": None}
    assert request.headers["Content-Type"] == "application/json;charset=UTF-8"


def test_body_mapping_with_nested_models(harness: MakeHarness) -> None:
    h = harness(reply(200, THING))
    h.call(lambda c: c.things.create(body={"jobs": [JobBody(retries=2)], "name": "ü"}))
    assert h.script.requests[0].content == '{"jobs":[{"retries":2}],"name":"ü"}'.encode()


def test_operation_without_body_returns_none(harness: MakeHarness) -> None:
    h = harness(reply(204), reply(200, {"ignored": True}))
    assert h.call(lambda c: c.things.delete(thing_id="t1")) is None
    assert h.call(lambda c: c.things.delete(thing_id="t1")) is None
    assert h.script.requests[0].method == "DELETE"


def test_unknown_response_fields_survive(harness: MakeHarness) -> None:
    h = harness(reply(200, {"id": "t1", "extra": [1]}))
    thing = h.call(get_thing())
    assert thing.model_extra == {"extra": [1]}


def test_non_json_success_body_raises_response_validation_error(harness: MakeHarness) -> None:
    h = harness(reply(200, content=b"<html>maintenance</html>",
                      headers={"Content-Type": "text/html", "X-Request-Id": "req-9"}))
    with pytest.raises(ResponseValidationError) as info:
        h.call(get_thing())
    exc = info.value
    assert exc.status_code == 200
    assert exc.request_id == "req-9"
    assert exc.body == b"<html>maintenance</html>"
    assert "GetThing" in str(exc)
    assert h.script.calls == 1


def test_error_status_raises_with_details(harness: MakeHarness) -> None:
    body = {"errCode": "Cdm.0100", "externalMessage": "Job[x] doesn't exist."}
    h = harness(reply(404, body, headers={"X-Request-Id": "req-404"}))
    with pytest.raises(NotFoundError) as info:
        h.call(get_thing())
    assert (info.value.error_code, info.value.error_message, info.value.request_id) == (
        "Cdm.0100", "Job[x] doesn't exist.", "req-404",
    )
    assert h.script.calls == 1


# --- retries ------------------------------------------------------------------------------------


def test_get_is_retried_after_503_with_backoff(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(reply(503), reply(503), reply(200, THING)))
    assert h.call(get_thing()).id == "t1"
    assert h.script.calls == 3
    assert sleeps == [0.5, 1.0]


def test_retries_give_up_after_max_retries(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(reply(502), repeat_last=True))
    with pytest.raises(InternalServerError) as info:
        h.call(get_thing())
    assert info.value.status_code == 502
    assert h.script.calls == 3
    assert sleeps == [0.5, 1.0]


def test_default_jitter_stays_within_bounds(harness: MakeHarness, sleeps: list[float]) -> None:
    h = harness(reply(503), reply(503), reply(200, THING))
    h.call(get_thing())
    assert len(sleeps) == 2
    assert 0.375 <= sleeps[0] <= 0.5
    assert 0.75 <= sleeps[1] <= 1.0


def test_post_is_not_resent_after_503(harness: MakeHarness, sleeps: list[float]) -> None:
    h = harness(reply(503), reply(200, THING))
    with pytest.raises(InternalServerError):
        h.call(create_thing())
    assert h.script.calls == 1
    assert sleeps == []


def test_post_is_not_resent_after_read_timeout(harness: MakeHarness, sleeps: list[float]) -> None:
    h = harness(fail(httpx.ReadTimeout), reply(200, THING))
    with pytest.raises(APITimeoutError):
        h.call(create_thing())
    assert h.script.calls == 1
    assert sleeps == []


def test_client_level_retry_non_idempotent(kind: str, sleeps: list[float]) -> None:
    h = exact(Harness(kind, Script(reply(503), fail(httpx.ReadTimeout), reply(200, THING)),
                      retry_non_idempotent=True))
    assert h.call(create_thing()).id == "t1"
    assert h.script.calls == 3
    assert sleeps == [0.5, 1.0]


def test_per_call_retry_non_idempotent(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(reply(503), fail(httpx.ReadError), reply(200, THING)))
    assert h.call(create_thing(retry_non_idempotent=True)).id == "t1"
    assert h.script.calls == 3


def test_per_call_can_switch_off_client_level_retry_non_idempotent(
    kind: str, sleeps: list[float]
) -> None:
    h = Harness(kind, Script(reply(503), reply(200, THING)), retry_non_idempotent=True)
    with pytest.raises(InternalServerError):
        h.call(create_thing(retry_non_idempotent=False))
    assert h.script.calls == 1


def test_post_is_resent_after_429(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(reply(429), reply(200, THING)))
    assert h.call(create_thing()).id == "t1"
    assert h.script.calls == 2
    assert [r.method for r in h.script.requests] == ["POST", "POST"]
    assert h.script.requests[1].content == b'{"id":"new"}'
    assert sleeps == [0.5]


def test_post_is_resent_after_connect_error(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(fail(httpx.ConnectError), fail(httpx.ConnectTimeout), reply(200, THING)))
    assert h.call(create_thing()).id == "t1"
    assert h.script.calls == 3
    assert sleeps == [0.5, 1.0]


def test_retry_after_is_honoured(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(reply(429, headers={"Retry-After": "3"}),
                      reply(503, headers={"Retry-After": "0"}), reply(200, THING)))
    assert h.call(get_thing()).id == "t1"
    assert sleeps == [3.0, 0.0]


def test_long_retry_after_raises_at_once(harness: MakeHarness, sleeps: list[float]) -> None:
    h = harness(reply(429, {"error_code": "APIGW.0308", "error_msg": "throttled"},
                      headers={"Retry-After": "120"}), reply(200, THING))
    with pytest.raises(RateLimitError) as info:
        h.call(get_thing())
    assert info.value.error_code == "APIGW.0308"
    assert h.script.calls == 1
    assert sleeps == []


def test_long_retry_after_is_on_the_exception(harness: MakeHarness, sleeps: list[float]) -> None:
    # RetryPolicy: a too-long Retry-After raises at once, "with its retry_after"
    h = harness(reply(429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimitError) as info:
        h.call(get_thing())
    assert info.value.retry_after == 120.0


@pytest.mark.parametrize(("max_retries", "calls"), [(0, 1), (1, 2), (4, 5)])
def test_max_retries_per_call(harness: MakeHarness, sleeps: list[float], max_retries: int,
                              calls: int) -> None:
    h = harness(reply(503), repeat_last=True)
    with pytest.raises(InternalServerError):
        h.call(get_thing(max_retries=max_retries))
    assert h.script.calls == calls
    assert len(sleeps) == calls - 1


def test_max_retries_on_the_client(kind: str, sleeps: list[float]) -> None:
    h = Harness(kind, Script(reply(429), repeat_last=True), max_retries=0)
    with pytest.raises(RateLimitError):
        h.call(get_thing())
    assert h.script.calls == 1


@pytest.mark.parametrize("how", ["per_call", "with_options"])
def test_max_retries_override_keeps_the_client_policy(
    harness: MakeHarness, sleeps: list[float], how: str
) -> None:
    # only the retry count is overridden: the client's own backoff settings still apply
    h = harness(reply(503), reply(503), reply(200, THING))
    h.client.retry_policy = RetryPolicy(max_retries=0, initial_delay=0.1, rng=lambda: 0.0)
    if how == "per_call":
        h.call(get_thing(max_retries=2))
    else:
        h.client = h.client.with_options(max_retries=2)
        h.call(get_thing())
    assert sleeps == [0.1, 0.2]


def test_each_attempt_is_signed_afresh(kind: str, sleeps: list[float]) -> None:
    start = datetime(2024, 1, 2, 3, 4, 5)
    ticks = iter(range(10))
    auth = AkSkAuth(AK, SK, project_id=PROJECT, clock=lambda: start + timedelta(seconds=next(ticks)))
    h = exact(Harness(kind, Script(reply(503), reply(200, THING)), token=None, auth=auth))
    h.call(get_thing())
    first, second = h.script.requests
    assert first is not second
    assert first.headers["X-Sdk-Date"] == "20240102T030405Z"
    assert second.headers["X-Sdk-Date"] == "20240102T030406Z"
    assert first.headers["Authorization"] != second.headers["Authorization"]
    assert second.headers.get_list("Authorization") == [second.headers["Authorization"]]


def test_connect_error_raises_api_connection_error(harness: MakeHarness,
                                                   sleeps: list[float]) -> None:
    h = harness(fail(httpx.ConnectError, "connection refused"), repeat_last=True)
    with pytest.raises(APIConnectionError) as info:
        h.call(lambda c: c.things.list(query={"q": "x"}))
    exc = info.value
    assert type(exc) is APIConnectionError
    assert isinstance(exc.__cause__, httpx.ConnectError)
    assert exc.request is h.script.requests[-1]
    assert str(exc) == (f"GET {BASE_URL}/v1/{PROJECT}/things failed: ConnectError: "
                        "connection refused")
    assert h.script.calls == 3


@pytest.mark.parametrize("error", [httpx.ConnectTimeout, httpx.ReadTimeout, httpx.PoolTimeout])
def test_timeouts_raise_api_timeout_error(harness: MakeHarness, sleeps: list[float],
                                          error: type[httpx.TransportError]) -> None:
    h = harness(fail(error), repeat_last=True)
    with pytest.raises(APITimeoutError) as info:
        h.call(get_thing())
    assert isinstance(info.value, APIConnectionError)
    assert str(info.value) == f"GET {THING_URL} timed out ({error.__name__})"
    assert h.script.calls == 3


# --- with_raw_response --------------------------------------------------------------------------


def test_with_raw_response(harness: MakeHarness) -> None:
    h = harness(reply(200, THING, headers={"X-Request-Id": "req-1", "X-Extra": "e"}),
                reply(200, THING))
    raw = h.call(lambda c: with_raw_response(c.things.get)(thing_id="t1"))
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.request_id == "req-1"
    assert raw.headers["X-Extra"] == "e"
    assert isinstance(raw.parsed, Thing) and raw.parsed.id == "t1"
    assert json.loads(raw.content) == THING
    # the client itself still returns parsed results
    assert isinstance(h.call(get_thing()), Thing)


def test_with_raw_response_of_a_body_less_operation(harness: MakeHarness) -> None:
    h = harness(reply(204, headers={"X-Request-Id": "req-2"}))
    raw = h.call(lambda c: with_raw_response(c.things.delete)(thing_id="t1"))
    assert (raw.status_code, raw.request_id, raw.parsed) == (204, "req-2", None)


def test_with_raw_response_rejects_other_callables() -> None:
    with pytest.raises(TypeError):
        with_raw_response(len)


def test_with_raw_response_refuses_an_iterator_and_names_the_page_method(kind: str) -> None:
    h = Harness(kind, Script(reply(200, THING)))
    with pytest.raises(TypeError, match="iter_list reads many responses; call list through"):
        with_raw_response(h.client.things.iter_list)
    assert h.script.calls == 0


# --- with_options -------------------------------------------------------------------------------


def test_with_options_changes_a_copy_only(kind: str) -> None:
    h = Harness(kind, Script(reply(200, THING), repeat_last=True), workspace="ws-1")
    original = h.client
    clone = original.with_options(workspace="ws-2", timeout=4.0)
    assert clone._http is original._http  # one connection pool
    assert clone.things._client is clone
    assert original.things._client is original
    h.call(get_thing())
    h.client = clone
    h.call(get_thing())
    h.client = original
    h.call(get_thing())
    first, cloned, again = h.script.requests
    assert first.headers["workspace"] == again.headers["workspace"] == "ws-1"
    assert cloned.headers["workspace"] == "ws-2"
    assert first.extensions["timeout"] == again.extensions["timeout"] == DEFAULT_TIMEOUT
    assert cloned.extensions["timeout"] == {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0}


def test_with_options_keeps_what_is_not_given() -> None:
    h = Harness("sync", Script(reply(200, THING)), workspace="ws-1", timeout=9.0)
    clone = h.client.with_options(default_headers={"X-Language": "en_us"})
    h.client = clone
    h.call(get_thing())
    request = h.script.requests[0]
    assert request.headers["workspace"] == "ws-1"
    assert request.headers["X-Language"] == "en_us"
    assert request.headers["X-Auth-Token"] == TOKEN
    assert request.extensions["timeout"]["read"] == 9.0


def test_with_options_retry_non_idempotent(sleeps: list[float]) -> None:
    h = Harness("sync", Script(reply(503), reply(200, THING)))
    h.client = h.client.with_options(retry_non_idempotent=True)
    assert h.call(create_thing()).id == "t1"
    assert h.script.calls == 2


# --- closing ------------------------------------------------------------------------------------


def test_close_closes_an_owned_pool() -> None:
    client = DemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN)
    assert not client._http.is_closed
    client.close()
    assert client._http.is_closed


def test_context_manager_closes_an_owned_pool() -> None:
    with DemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN) as client:
        http = client._http
        assert not http.is_closed
    assert http.is_closed


def test_an_injected_pool_is_never_closed() -> None:
    http = httpx.Client(transport=httpx.MockTransport(Script()))
    with DemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN, http_client=http) as c:
        assert c._http is http
    c.close()
    assert not http.is_closed
    http.close()


def test_closing_a_copy_leaves_the_shared_pool_open() -> None:
    client = DemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN)
    clone = client.with_options(workspace="w")
    clone.close()
    assert not client._http.is_closed
    client.close()
    assert clone._http.is_closed


def test_async_close_and_context_manager() -> None:
    async def run() -> tuple[bool, bool, bool, bool]:
        owned = AsyncDemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN)
        clone = owned.with_options(workspace="w")
        await clone.close()
        clone_left_open = not owned._http.is_closed
        await owned.close()
        async with AsyncDemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN) as c:
            http = c._http
        injected = httpx.AsyncClient(transport=httpx.MockTransport(Script()))
        async with AsyncDemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN,
                                   http_client=injected):
            pass
        result = (clone_left_open, owned._http.is_closed, http.is_closed, injected.is_closed)
        await injected.aclose()
        return result

    assert asyncio.run(run()) == (True, True, True, False)


# --- pagination through the client --------------------------------------------------------------


def test_paginate_in_the_query(harness: MakeHarness) -> None:
    h = harness(
        reply(200, {"total": 5, "things": [{"id": "a"}, {"id": "b"}]}),
        reply(200, {"total": 5, "things": [{"id": "c"}, {"id": "d"}]}),
        reply(200, {"total": 5, "things": [{"id": "e"}]}),
    )
    things = h.collect(lambda c: c.things.iter_list(query={"page_size": 2, "page_no": None,
                                                           "filter": "x"}))
    assert [t.id for t in things] == ["a", "b", "c", "d", "e"]
    assert [r.url.query for r in h.script.requests] == [
        b"page_size=2&page_no=1&filter=x",
        b"page_size=2&page_no=2&filter=x",
        b"page_size=2&page_no=3&filter=x",
    ]


def test_paginate_starts_where_asked(harness: MakeHarness) -> None:
    h = harness(reply(200, {"things": [{"id": "c"}]}))
    things = h.collect(lambda c: c.things.iter_list(query={"page_no": 2, "page_size": 2}))
    assert [t.id for t in things] == ["c"]
    assert h.script.requests[0].url.params["page_no"] == "2"


def test_paginate_in_the_body_with_total_as_string(harness: MakeHarness) -> None:
    h = harness(
        reply(200, {"total": "4", "things": [{"id": "a"}, {"id": "b"}]}),
        reply(200, {"total": "4", "things": [{"id": "c"}, {"id": "d"}]}),
    )
    things = h.collect(lambda c: c.things.iter_search(body={"limit": 2, "name": "n"}))
    assert [t.id for t in things] == ["a", "b", "c", "d"]
    assert [json.loads(r.content) for r in h.script.requests] == [
        {"limit": 2, "name": "n", "offset": 0},
        {"limit": 2, "name": "n", "offset": 2},
    ]


def test_paginate_passes_request_options(harness: MakeHarness) -> None:
    h = harness(reply(200, {"things": []}))
    h.collect(lambda c: c.things.iter_list(query={}, extra_headers={"X-Trace-Id": "p"},
                                           timeout=2.0))
    request = h.script.requests[0]
    assert request.headers["X-Trace-Id"] == "p"
    assert request.extensions["timeout"]["read"] == 2.0


# --- download -----------------------------------------------------------------------------------

PAYLOAD = bytes(range(256)) * 40


def test_download_into_a_path(harness: MakeHarness, tmp_path: Path) -> None:
    h = harness(reply(200, content=PAYLOAD, headers={"Content-Type": "application/octet-stream"}))
    target = tmp_path / "export.zip"
    assert h.call(lambda c: c.things.export(target)) == len(PAYLOAD) == 10240
    assert target.read_bytes() == PAYLOAD


def test_download_into_a_string_path(harness: MakeHarness, tmp_path: Path) -> None:
    h = harness(reply(200, content=b"abc"))
    target = tmp_path / "export.bin"
    assert h.call(lambda c: c.things.export(str(target))) == 3
    assert target.read_bytes() == b"abc"


def test_download_into_a_file_object(harness: MakeHarness) -> None:
    h = harness(reply(200, content=PAYLOAD))
    buffer = io.BytesIO(b"head:")
    buffer.seek(0, io.SEEK_END)
    assert h.call(lambda c: c.things.export(buffer)) == len(PAYLOAD)
    assert buffer.getvalue() == b"head:" + PAYLOAD
    assert not buffer.closed  # a file object the caller passed stays open


def test_download_error_raises_and_writes_nothing(harness: MakeHarness, tmp_path: Path) -> None:
    h = harness(reply(404, {"error_code": "DLF.6201", "error_msg": "The job does not exist."}))
    target = tmp_path / "missing.zip"
    with pytest.raises(NotFoundError) as info:
        h.call(lambda c: c.things.export(target))
    assert (info.value.error_code, info.value.error_message) == ("DLF.6201",
                                                                 "The job does not exist.")
    assert not target.exists()


def test_download_is_retried(harness: MakeHarness, sleeps: list[float]) -> None:
    h = exact(harness(reply(503, content=b"busy"), reply(200, content=b"final")))
    buffer = io.BytesIO()
    assert h.call(lambda c: c.things.export(buffer)) == 5
    assert buffer.getvalue() == b"final"
    assert sleeps == [0.5]


def test_download_passes_request_options(harness: MakeHarness) -> None:
    h = harness(reply(200, content=b"x"))
    h.call(lambda c: c.things.export(io.BytesIO(), extra_query={"type": "all"}, timeout=1.0))
    request = h.script.requests[0]
    assert request.url.query == b"type=all"
    assert request.extensions["timeout"]["read"] == 1.0


# --- a generated client over the same runtime ---------------------------------------------------


def test_generated_cdm_client_end_to_end(sleeps: list[float]) -> None:
    from dataarts.cdm import CdmClient

    script = Script(reply(429), reply(200, {"total": 1, "jobs": [{"name": "j1"}]}))
    client = CdmClient(region="cn-north-4", project_id=PROJECT, token=TOKEN,
                       http_client=httpx.Client(transport=httpx.MockTransport(script)))
    result = client.jobs.get(cluster_id="c1", job_name="all", page_size=10)
    assert [job.name for job in result.jobs] == ["j1"]
    assert script.calls == 2
    assert str(script.requests[1].url) == (
        f"https://cdm.cn-north-4.myhuaweicloud.com/v1.1/{PROJECT}/clusters/c1/cdm/job/all"
        "?page_size=10"
    )


def test_operation_spec_is_usable_directly(harness: MakeHarness) -> None:
    h = harness(reply(201, THING))
    thing = h.call(lambda c: c.request(CREATE_THING, body={"id": "x"}))
    assert thing.id == "t1"
    assert h.script.requests[0].url.path == f"/v1/{PROJECT}/things"
