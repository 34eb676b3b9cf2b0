"""Success responses without usable JSON (issue 9, defect 2), sync and async.

The rule (README, "Lenient models"): JSON of the documented kind that slips from the schema is
read leniently; no usable JSON at all (empty, not JSON, or a top level of another kind) raises
`ResponseValidationError` with the status, the request id and a short, redacted body excerpt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest

from templates.runtime.errors import ResponseValidationError
from templates.runtime.logs import REDACTED, excerpt, redact_text
from tests.runtime.conftest import AK, SK, TOKEN, Harness, Thing, reply

MakeHarness = Callable[..., Harness]


def get_thing(c: Any) -> Any:
    return c.things.get(thing_id="t1")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "it is empty"),
        (b"  \r\n", "it is empty"),
        (b"<html><title>Gateway</title></html>", "it is not JSON"),
        (b'{"id": "t1", "count"', "it is not JSON"),
        (b"\xff\xfe{}", "it is not JSON"),
        (b"null", "it is a JSON null where object is documented"),
        (b'"ok"', "it is a JSON string where object is documented"),
        (b"[1, 2]", "it is a JSON array where object is documented"),
    ],
)
def test_success_without_usable_json_raises(
    harness: MakeHarness, content: bytes, reason: str
) -> None:
    h = harness(reply(200, content=content, headers={"X-Request-Id": "req-9"}))
    with pytest.raises(ResponseValidationError) as info:
        h.call(get_thing)
    error = info.value
    assert error.status_code == 200
    assert error.request_id == "req-9"
    assert error.body == content
    message = str(error)
    assert message.startswith("GetThing: HTTP 200, request id req-9: no usable JSON body, ")
    assert reason in message
    assert error.excerpt in message
    assert h.script.calls == 1  # not retried: the service answered


def test_a_204_where_json_is_documented_raises_too(harness: MakeHarness) -> None:
    h = harness(reply(204, headers={"X-Request-Id": "req-204"}))
    with pytest.raises(ResponseValidationError, match="it is empty"):
        h.call(get_thing)


def test_json_of_the_documented_kind_that_slips_is_lenient(
    harness: MakeHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="dataarts")
    h = harness(reply(200, {"id": ["not", "a", "string"], "count": "3", "new": 1}))
    thing = h.call(get_thing)
    assert isinstance(thing, Thing)
    assert (thing.id, thing.count, thing.model_extra) == (["not", "a", "string"], 3, {"new": 1})
    assert len(caplog.records) == 1


def test_the_excerpt_is_short_and_on_one_line(harness: MakeHarness) -> None:
    page = b"<html>\n<body>\n" + b"maintenance window " * 100 + b"\n</body></html>"
    h = harness(reply(200, content=page))
    with pytest.raises(ResponseValidationError) as info:
        h.call(get_thing)
    shown = info.value.excerpt
    assert shown.startswith("<html> <body> maintenance window")
    assert len(shown) == 200 and shown.endswith("…")
    assert "\n" not in str(info.value)


def test_the_client_credentials_never_show(harness: MakeHarness) -> None:
    # the body echoes the client's own credentials under innocent names, cut short
    for credentials, secret in (({"token": TOKEN}, TOKEN), ({"token": None, "ak": AK, "sk": SK}, SK)):
        body = f'{{"echo": "{secret}", "ak": "{AK}", "more": "'.encode()
        h = harness(reply(200, content=body), **credentials)
        with pytest.raises(ResponseValidationError) as info:
            h.call(get_thing)
        text = str(info.value) + repr(info.value) + info.value.excerpt
        assert secret not in text
        assert AK not in text  # "ak" is a secret-like member name
        assert text.count(REDACTED) >= 2


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('{"links": [{"name": "linkConfig.password", "value": "Pa55w0rd!"}]}', "Pa55w0rd!"),
        ('{"name":"linkConfig.securityKey","value":"SecKey-123"', "SecKey-123"),
        ('{"password": "hunter2", "user": "bob"}', "hunter2"),
        ('{"user": "bob", "db_password": "hunter2', "hunter2"),  # cut inside the value
        ('{"X-Auth-Token": "abc123"}', "abc123"),
        ("user=bob&password=hunter2&x=1", "hunter2"),
        ("Authorization: SDK-HMAC-SHA256 Access=AKAK", "SDK-HMAC-SHA256"),
        ("<p>token: MIIF" + "a" * 60 + "</p>", "MIIF" + "a" * 60),
        ("session " + "Zx9" * 30, "Zx9" * 30),
    ],
)
def test_redaction_of_secrets_in_text(text: str, secret: str) -> None:
    assert secret not in redact_text(text)
    assert secret not in excerpt(text.encode(), limit=60)


def test_redaction_keeps_ordinary_text_and_identifiers() -> None:
    text = json.dumps({"job": "jdbc2hive", "id": "6ec9a0a4-76be-4262-8697-e7af1fac7920",
                       "project": "1551c7f6c808414d8e9f3c514a170f2e", "status": "OK"})
    assert redact_text(text) == text


def test_known_secrets_are_masked_wherever_they_are() -> None:
    assert excerpt(b"prefix-S3cr3tValue-suffix", secrets=["S3cr3tValue"]) == (
        f"prefix-{REDACTED}-suffix"
    )
