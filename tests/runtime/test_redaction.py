"""No secret reaches a log record, a repr()/str(), or an exception message."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

import httpx
import pytest
from pydantic import Field

from templates.runtime.auth import AkSkAuth, TokenAuth
from templates.runtime.errors import APIError, ConfigurationError
from templates.runtime.logs import REDACTED, is_secret_name, redact_headers
from templates.runtime.models import Model, parse_body
from tests.runtime.conftest import (
    AK,
    BASE_URL,
    PROJECT,
    SK,
    TOKEN,
    AsyncDemoClient,
    DemoClient,
    Harness,
    Script,
    fail,
    reply,
)

SECURITY_TOKEN = "gQpTemporarySecurityToken-0000-SECRET"
DB_PASSWORD = "DB_pa55w0rd-Secret!"
LINK_SK = "obsSecretKeyValue0000000000SK"
LINK_AK = "OBSACCESSKEY0000000AK"
SECRETS = (TOKEN, AK, SK, SECURITY_TOKEN, DB_PASSWORD, LINK_SK, LINK_AK)

# The CDM create-link body of the API reference (5.3.1), with credentials in its inputs.
LINK_BODY = {
    "links": [{
        "link-config-values": {
            "configs": [{
                "inputs": [
                    {"name": "linkConfig.databaseType", "value": "MYSQL"},
                    {"name": "linkConfig.host", "value": "100.94.8.163"},
                    {"name": "linkConfig.username", "value": "username"},
                    {"name": "linkConfig.password", "value": DB_PASSWORD},
                    {"name": "linkConfig.ak", "value": LINK_AK},
                    {"name": "linkConfig.sk", "value": LINK_SK},
                ],
                "name": "linkConfig",
            }],
        },
        "name": "mysql_link",
        "connector-name": "generic-jdbc-connector",
        "enabled": True,
    }],
}


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"secret {secret[:6]}… leaked"


def log_text(caplog: pytest.LogCaptureFixture) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        parts.append(repr(record.args))
        parts.append(record.exc_text or "")
    return "\n".join(parts) + caplog.text


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # every logger, httpx's included
    caplog.set_level(logging.DEBUG, logger="dataarts")
    return caplog


# --- logs ---------------------------------------------------------------------------------------


def test_token_call_logs_no_token(kind: str, debug_logs: pytest.LogCaptureFixture,
                                  sleeps: list[float]) -> None:
    h = Harness(kind, Script(fail(httpx.ReadTimeout), reply(503),
                             reply(200, {"id": "t1"}, headers={"X-Request-Id": "rid-1"})))
    h.call(lambda c: c.things.get(thing_id="t1"))
    text = log_text(debug_logs)
    assert_clean(text)
    # the headers were logged, with the token redacted
    assert "x-auth-token" in text.lower()
    assert REDACTED in text
    assert "rid-1" in text
    assert any(r.name == "dataarts" and r.levelno == logging.INFO for r in debug_logs.records)


def test_ak_sk_call_logs_no_key(kind: str, debug_logs: pytest.LogCaptureFixture,
                                sleeps: list[float]) -> None:
    h = Harness(kind, Script(reply(429), reply(200, {"id": "t1"})), token=None, ak=AK, sk=SK,
                security_token=SECURITY_TOKEN)
    h.call(lambda c: c.things.get(thing_id="t1"))
    sent = h.script.requests[-1].headers
    assert AK in sent["Authorization"] and sent["X-Security-Token"] == SECURITY_TOKEN
    text = log_text(debug_logs)
    assert_clean(text)
    assert "authorization" in text.lower()
    assert "x-sdk-date" in text.lower()


def test_link_body_with_password_logs_no_password(kind: str, debug_logs: pytest.LogCaptureFixture,
                                                  sleeps: list[float]) -> None:
    # the answer echoes the link and breaks a declared type, so the fallback warning is logged
    echo = {"id": 42, **LINK_BODY["links"][0]}
    h = Harness(kind, Script(reply(500, {"error_code": "X.1", "error_msg": "retry"}),
                             reply(200, echo)), retry_non_idempotent=True)
    result = h.call(lambda c: c.things.create(body=LINK_BODY))
    assert DB_PASSWORD.encode() in h.script.requests[0].content  # it was sent
    assert result.id == 42
    text = log_text(debug_logs)
    assert_clean(text)
    assert any(r.levelno == logging.WARNING for r in debug_logs.records)


def test_generated_cdm_client_link_calls_log_no_secret(debug_logs: pytest.LogCaptureFixture,
                                                       sleeps: list[float]) -> None:
    from dataarts.cdm import CdmClient
    from dataarts.cdm.models import CreateLinkRequest

    script = Script(reply(503), reply(200, {"name": "mysql_link", "validation-result": [{}]}))
    client = CdmClient(region="cn-north-4", project_id=PROJECT, ak=AK, sk=SK,
                       security_token=SECURITY_TOKEN,
                       http_client=httpx.Client(transport=httpx.MockTransport(script)))
    body = CreateLinkRequest.model_validate(LINK_BODY)
    assert_clean(repr(body))
    result = client.links.create(cluster_id="c1", body=body, retry_non_idempotent=True)
    assert result.name == "mysql_link"
    assert script.calls == 2
    assert_clean(log_text(debug_logs))
    assert_clean(repr(client))


# --- repr() and str() ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [DemoClient, AsyncDemoClient])
@pytest.mark.parametrize("creds", [{"token": TOKEN},
                                   {"ak": AK, "sk": SK, "security_token": SECURITY_TOKEN}])
def test_client_repr_shows_no_credentials(cls: type[Any], creds: dict[str, str]) -> None:
    client = cls(base_url=BASE_URL, project_id=PROJECT, **creds)
    for text in (repr(client), str(client), repr(client.with_options(timeout=1.0))):
        assert_clean(text)
        assert text.startswith(cls.__name__ + "(")
        assert BASE_URL in text


def test_token_auth_repr() -> None:
    auth = TokenAuth(TOKEN)
    assert repr(auth) == str(auth) == "TokenAuth(token=<redacted>)"


def test_ak_sk_auth_repr() -> None:
    auth = AkSkAuth(AK, SK, project_id=PROJECT, security_token=SECURITY_TOKEN)
    for text in (repr(auth), str(auth), f"{auth}"):
        assert_clean(text)
        assert "sk=<redacted>" in text and "security_token=<redacted>" in text


class DbSettings(Model):
    user: str | None = None
    password: str | None = None
    db_password: Annotated[str | None, Field(alias="dbPassword")] = None
    secret_key: str | None = None
    access_key: Annotated[str | None, Field(alias="accessKey")] = None
    token: str | None = None
    sk: str | None = None


class LinkInput(Model):
    name: str
    value: str | None = None


class LinkConfig(Model):
    name: str
    inputs: list[LinkInput]


def test_password_like_fields_are_masked() -> None:
    settings = DbSettings(user="admin", password=DB_PASSWORD, db_password=DB_PASSWORD,
                          secret_key=LINK_SK, access_key=LINK_AK, token=TOKEN, sk=SK)
    for text in (repr(settings), str(settings), f"{settings!r}"):
        assert_clean(text)
        assert "admin" in text  # ordinary fields stay visible
        assert text.count(REDACTED) == 6
    # the values themselves are intact (they are sent as they are)
    assert settings.password == DB_PASSWORD
    assert settings.model_dump(exclude_unset=True)["dbPassword"] == DB_PASSWORD


def test_unset_secret_fields_show_none() -> None:
    assert repr(DbSettings(user="u")) == (
        "DbSettings(user='u', password=None, db_password=None, secret_key=None, "
        "access_key=None, token=None, sk=None)"
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("linkConfig.password", DB_PASSWORD),
        ("linkConfig.sk", LINK_SK),
        ("linkConfig.ak", LINK_AK),
        ("linkConfig.accessKey", LINK_AK),
        ("linkConfig.secretKey", LINK_SK),
        ("linkConfig.securityToken", SECURITY_TOKEN),
        ("toJobConfig.password", DB_PASSWORD),
    ],
)
def test_name_value_inputs_named_like_secrets_are_masked(name: str, value: str) -> None:
    entry = LinkInput(name=name, value=value)
    for text in (repr(entry), str(entry)):
        assert_clean(text)
        assert name in text
        assert REDACTED in text


@pytest.mark.parametrize("name", ["linkConfig.host", "linkConfig.username", "linkConfig.desk",
                                  "fromJobConfig.tableName"])
def test_ordinary_inputs_stay_visible(name: str) -> None:
    assert repr(LinkInput(name=name, value="visible-value")) == (
        f"LinkInput(name='{name}', value='visible-value')"
    )


def test_nested_inputs_are_masked() -> None:
    config = LinkConfig.model_validate(LINK_BODY["links"][0]["link-config-values"]["configs"][0])
    for text in (repr(config), str(config), repr([config]), f"{config}"):
        assert_clean(text)
        assert "100.94.8.163" in text


def test_secret_fields_kept_by_the_lenient_fallback_are_masked() -> None:
    raw = json.dumps({"user": 7, "password": DB_PASSWORD, "extraToken": TOKEN}).encode()
    settings = parse_body(DbSettings, raw)
    assert settings.password == DB_PASSWORD
    assert_clean(repr(settings))


def test_unknown_fields_holding_credential_inputs_are_masked() -> None:
    class Thing(Model):
        id: str | None = None

    echo = parse_body(Thing, json.dumps({"id": "t", **LINK_BODY["links"][0]}).encode())
    assert echo.model_extra and "link-config-values" in echo.model_extra
    assert_clean(repr(echo))


def test_generated_cdm_input_is_masked() -> None:
    from dataarts.cdm.models import Input

    entry = Input(name="linkConfig.password", value=DB_PASSWORD)
    assert_clean(repr(entry))
    assert_clean(str(entry))


@pytest.mark.parametrize(
    "name",
    ["password", "linkConfig.password", "sk", "linkConfig.sk", "accessKey", "X-Auth-Token",
     "Authorization", "x-security-token", "userPassword", "secret_key"],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name", ["desk", "task", "linkConfig.host", "username", "skip", "name", "fromJobConfig.decode",
             "linkConfig.securityMode", "linkConfig.keytabUser"])
def test_not_secret_names(name: str) -> None:
    assert not is_secret_name(name)


def _catalogued_secret_names() -> list[str]:
    from tests.spec import fixturelib as fl

    catalogue = fl.load_spec("cdm")["components"]["schemas"]["Input"]["x-cdm-parameters"]
    return sorted({p["name"] for group in catalogue.values() for section in group.values()
                   for p in section["parameters"] if p.get("secret")})


@pytest.mark.parametrize("name", _catalogued_secret_names())
def test_every_secret_of_the_cdm_parameter_catalogue_is_redacted(name: str) -> None:
    """The catalogue marks link SKs, keytabs and data keys `secret`; their values never show."""
    assert is_secret_name(name)
    from dataarts.cdm.models import Input

    assert_clean(repr(Input(name=name, value=DB_PASSWORD)))


def test_redact_headers() -> None:
    assert redact_headers([("X-Auth-Token", TOKEN), ("Authorization", "SDK x"),
                           ("X-Sdk-Date", "20240102T030405Z")]) == {
        "X-Auth-Token": REDACTED, "Authorization": REDACTED, "X-Sdk-Date": "20240102T030405Z",
    }


# --- exception messages -------------------------------------------------------------------------


def _messages(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), str(exc.args)])


def test_status_error_message_has_no_token(kind: str) -> None:
    h = Harness(kind, Script(reply(401, {"error_code": "APIGW.0301",
                                         "error_msg": "Incorrect IAM authentication information"})))
    with pytest.raises(APIError) as info:
        h.call(lambda c: c.things.get(thing_id="t1"))
    assert "APIGW.0301" in str(info.value)
    assert_clean(_messages(info.value))


def test_connection_error_message_has_no_key(kind: str, sleeps: list[float]) -> None:
    h = Harness(kind, Script(fail(httpx.ConnectError, "refused"), repeat_last=True),
                token=None, ak=AK, sk=SK, security_token=SECURITY_TOKEN)
    with pytest.raises(APIError) as info:
        h.call(lambda c: c.things.create(body=LINK_BODY))
    assert "refused" in str(info.value)
    assert_clean(_messages(info.value))


def test_timeout_error_message_has_no_token(kind: str) -> None:
    h = Harness(kind, Script(fail(httpx.ReadTimeout, "timed out")))
    with pytest.raises(APIError) as info:
        h.call(lambda c: c.things.create(body=LINK_BODY))
    assert_clean(_messages(info.value))


def test_validation_error_message_has_no_secret(kind: str) -> None:
    h = Harness(kind, Script(reply(200, content=b"not json")))
    with pytest.raises(APIError) as info:
        h.call(lambda c: c.things.create(body=LINK_BODY))
    assert_clean(_messages(info.value))


def test_configuration_error_message_has_no_key() -> None:
    with pytest.raises(ConfigurationError) as info:
        DemoClient(base_url=BASE_URL, project_id=PROJECT, ak=AK)
    assert_clean(_messages(info.value))
