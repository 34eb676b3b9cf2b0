"""Configuration fails early and predictably (issue 21 items 9-11, profiles in Python): bad options
at construction, per call and in `with_options`; one credential rule; the endpoint variables; a
client built from a profile. `dataarts._runtime.settings` holds the rule; the clients here are the
test clients of conftest.py (sync and async) and the generated ones."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from templates.runtime import profiles
from templates.runtime.errors import ConfigurationError
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
    reply,
)

THING = {"id": "t1", "count": 3}
CLIENTS = [DemoClient, AsyncDemoClient]


def build(cls: type[Any] = DemoClient, **kwargs: Any) -> Any:
    """A test client over a transport that fails the test if anything is sent."""
    arguments: dict[str, Any] = {"base_url": BASE_URL, "project_id": PROJECT, "token": TOKEN}
    arguments.update(kwargs)
    transport = httpx.MockTransport(Script())
    http = httpx.Client(transport=transport) if cls is DemoClient else httpx.AsyncClient(
        transport=transport
    )
    return cls(http_client=http, **arguments)


def get_thing(**options: Any) -> Any:
    return lambda c: c.things.get(thing_id="t1", **options)


# --- item 9: bad options fail at construction, naming the option ---------------------------------

BAD_OPTIONS = [
    ({"timeout": "abc"}, "timeout= must be seconds"),
    ({"timeout": -1}, "timeout= must be seconds"),
    ({"timeout": float("nan")}, "timeout= must be seconds"),
    ({"max_retries": -1}, "max_retries= must be a whole number, 0 or more, not -1"),
    ({"max_retries": 1.5}, "max_retries= must be a whole number"),
    ({"max_retries": True}, "max_retries= must be a whole number"),
    ({"retry_non_idempotent": "yes"}, "retry_non_idempotent= must be True or False"),
    ({"base_url": "127.0.0.1:8080"},
     "base_url= must start with http:// or https:// and a host (did you mean https://127.0.0.1:8080?)"),
    ({"base_url": "ftp://host/x"}, "base_url= must start with http:// or https://"),
    ({"base_url": "http://host:port"}, "base_url= 'http://host:port' is not a URL"),
    ({"base_url": "http://my host"}, "base_url= 'http://my host' has a space"),
    ({"project_id": "projet-é"}, "project_id= 'projet-é' has a character HTTP headers cannot carry"),
    ({"workspace": "espace-é"}, "workspace= 'espace-é' has a character HTTP headers cannot carry"),
    ({"workspace": "w1\r\nX-Evil: 1"}, "workspace= "),
    ({"region": "cn north 4", "base_url": None}, "region= 'cn north 4' cannot be part of a host name"),
    ({"default_headers": {"X-Note": "café"}}, "default_headers= value of 'X-Note'"),
    ({"default_headers": {"X-Nöte": "v"}}, "default_headers= header name"),
]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_a_bad_option_fails_at_construction(
    cls: type[Any], options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        build(cls, **options)


def test_a_base_url_without_a_scheme_fails_before_any_attempt() -> None:
    """Today's code built the client, retried the first call for a second and then reported a
    connection failure; the generated client now refuses it at once."""
    from dataarts import CdmClient
    from dataarts import ConfigurationError as PackageConfigurationError

    with pytest.raises(PackageConfigurationError, match="base_url= must start with http"):
        CdmClient(base_url="127.0.0.1:8080", project_id=PROJECT, token=TOKEN)
    with pytest.raises(PackageConfigurationError, match="timeout= must be seconds"):
        CdmClient(region="ap-southeast-1", project_id=PROJECT, token=TOKEN, timeout="abc")  # type: ignore[arg-type]


def test_a_non_ascii_value_from_the_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUD_SDK_PROJECT_ID", "projet-é")
    with pytest.raises(ConfigurationError, match="^CLOUD_SDK_PROJECT_ID 'projet-é' has"):
        build(project_id=None)
    monkeypatch.setenv("CLOUD_SDK_PROJECT_ID", PROJECT)
    monkeypatch.setenv("CLOUD_SDK_REGION", "cn/north")
    with pytest.raises(ConfigurationError, match="^CLOUD_SDK_REGION 'cn/north' cannot be part"):
        build(base_url=None)


def test_good_options_are_kept() -> None:
    client = build(timeout=httpx.Timeout(5.0), max_retries=0, workspace="w-1",
                   default_headers={"X-Trace": "abc"})
    assert client.timeout == httpx.Timeout(5.0) and client.retry_policy.max_retries == 0
    assert build(timeout=None).timeout is None
    assert build(timeout=0.5).timeout == 0.5


BAD_CALL_OPTIONS = [
    ({"timeout": "abc"}, "timeout= must be seconds"),
    ({"max_retries": -1}, "max_retries= must be a whole number"),
    ({"retry_non_idempotent": 1}, "retry_non_idempotent= must be True or False"),
    ({"extra_headers": {"X-Note": "café"}}, "extra_headers= value of 'X-Note'"),
]


@pytest.mark.parametrize(("options", "message"), BAD_CALL_OPTIONS)
def test_a_bad_per_call_option_fails_before_sending(
    kind: str, options: dict[str, Any], message: str
) -> None:
    h = Harness(kind, Script())  # a request would fail the test: the script has no answer
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        h.call(get_thing(**options))
    assert h.script.calls == 0


def test_a_header_value_is_never_shown(kind: str) -> None:
    h = Harness(kind, Script())
    with pytest.raises(ConfigurationError) as info:
        h.call(get_thing(extra_headers={"Authorization": "Bearer sécret-value"}))
    assert "sécret" not in str(info.value) and "Authorization" in str(info.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"timeout": "abc"}, "timeout= must be seconds"),
        ({"max_retries": -1}, "max_retries= must be a whole number"),
        ({"retry_non_idempotent": None}, "retry_non_idempotent= must be True or False"),
        ({"workspace": "espace-é"}, "workspace= 'espace-é' has a character"),
        ({"default_headers": {"X-Note": "café"}}, "default_headers= value of 'X-Note'"),
    ],
)
def test_with_options_checks_what_it_changes(
    changes: dict[str, Any], message: str
) -> None:
    client = build()
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        client.with_options(**changes)


def test_with_options_may_clear_the_workspace() -> None:
    script = Script(reply(200, THING))
    client = DemoClient(base_url=BASE_URL, project_id=PROJECT, token=TOKEN, workspace="w1",
                        http_client=httpx.Client(transport=httpx.MockTransport(script)))
    client.with_options(workspace=None).things.get(thing_id="t1")
    assert "workspace" not in script.requests[0].headers


# --- item 10: one credential rule ----------------------------------------------------------------


def test_a_token_beside_ak_sk_is_refused_not_silently_preferred() -> None:
    with pytest.raises(ConfigurationError) as info:
        build(token=TOKEN, ak=AK, sk=SK)
    assert str(info.value) == (
        "two kinds of credentials: token= and ak=/sk=; keep one (a token, or an AK/SK pair)"
    )
    assert TOKEN not in str(info.value) and SK not in str(info.value)
    with pytest.raises(ConfigurationError, match="two kinds of credentials: auth= and token="):
        build(auth=httpx.Auth())  # token= TOKEN too, from build()


def test_an_explicit_ak_is_never_combined_with_the_environment_sk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUD_SDK_SK", SK)
    with pytest.raises(ConfigurationError, match=r"^ak= without sk=: pass both \(or token=\)$"):
        build(token=None, ak=AK)
    with pytest.raises(ConfigurationError, match="^sk= without ak="):
        build(token=None, sk=SK)
    with pytest.raises(ConfigurationError, match="security_token= without ak= and sk="):
        build(token=None, security_token="st")


def test_environment_token_beside_environment_ak_sk_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUD_SDK_TOKEN", TOKEN)
    monkeypatch.setenv("CLOUD_SDK_AK", AK)
    monkeypatch.setenv("CLOUD_SDK_SK", SK)
    with pytest.raises(ConfigurationError) as info:
        build(token=None)
    assert str(info.value).startswith(
        "two kinds of credentials: CLOUD_SDK_TOKEN and CLOUD_SDK_AK/CLOUD_SDK_SK;"
    )
    assert TOKEN not in str(info.value) and SK not in str(info.value)


def test_half_a_pair_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUD_SDK_AK", AK)
    with pytest.raises(ConfigurationError, match=(
        r"^CLOUD_SDK_AK is set but CLOUD_SDK_SK is not: set both \(or CLOUD_SDK_TOKEN\)$"
    )):
        build(token=None)
    monkeypatch.delenv("CLOUD_SDK_AK")
    monkeypatch.setenv("CLOUD_SDK_SECURITY_TOKEN", "st")
    with pytest.raises(ConfigurationError, match="^CLOUD_SDK_SECURITY_TOKEN without CLOUD_SDK_AK"):
        build(token=None)


def test_explicit_arguments_are_taken_whole_and_the_environment_is_not_read(
    monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # the environment's set is broken (two kinds, and a lone security token): never looked at
    monkeypatch.setenv("CLOUD_SDK_TOKEN", "env-token")
    monkeypatch.setenv("CLOUD_SDK_AK", "AKENV")
    monkeypatch.setenv("CLOUD_SDK_SECURITY_TOKEN", "env-security-token")
    h = Harness(kind, Script(reply(200, THING)), token=None, ak=AK, sk=SK)
    h.call(get_thing())
    request = h.script.requests[0]
    assert request.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, ")
    assert "X-Security-Token" not in request.headers and "X-Auth-Token" not in request.headers


def test_a_credential_that_headers_cannot_carry_is_named_not_shown() -> None:
    with pytest.raises(ConfigurationError) as info:
        build(token="jeton-sécret")
    assert str(info.value).startswith("token= has a character HTTP headers cannot carry")
    assert "sécret" not in str(info.value)


def test_an_auth_that_is_not_an_httpx_auth_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="auth= must be an httpx.Auth"):
        build(token=None, auth="Bearer x")


# --- item 11: an endpoint from the environment ---------------------------------------------------


def test_one_variable_points_every_client_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataarts import CdmClient, DlfClient, FactoryClient, LakeFormationClient

    monkeypatch.setenv("DATAARTS_ENDPOINT_URL", "http://127.0.0.1:8080/")
    # a region (or LakeFormation's endpoint) given or not: the variable decides, as
    # AWS_ENDPOINT_URL does
    for cls in (CdmClient, DlfClient, FactoryClient, LakeFormationClient):
        with cls(project_id=PROJECT, token=TOKEN) as client:
            assert client.base_url == "http://127.0.0.1:8080"
    with CdmClient(region="ap-southeast-1", project_id=PROJECT, token=TOKEN) as cdm:
        assert cdm.base_url == "http://127.0.0.1:8080"


def test_the_service_variable_wins_and_base_url_beats_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataarts import DlfClient, FactoryClient, LakeFormationClient

    monkeypatch.setenv("DATAARTS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("DATAARTS_ENDPOINT_URL_FACTORY", "http://127.0.0.1:2")
    monkeypatch.setenv("DATAARTS_ENDPOINT_URL_LAKEFORMATION", "http://127.0.0.1:3")
    with FactoryClient(project_id=PROJECT, token=TOKEN, workspace="w") as factory:
        assert factory.base_url == "http://127.0.0.1:2"
    with LakeFormationClient(project_id=PROJECT, token=TOKEN, endpoint="lf.example.com") as lf:
        assert lf.base_url == "http://127.0.0.1:3"
    with DlfClient(project_id=PROJECT, token=TOKEN) as dlf:
        assert dlf.base_url == "http://127.0.0.1:1"  # no DATAARTS_ENDPOINT_URL_DLF
    with FactoryClient(base_url="http://127.0.0.1:4", project_id=PROJECT, token=TOKEN) as given:
        assert given.base_url == "http://127.0.0.1:4"


def test_the_variable_is_used_for_requests(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setenv("DATAARTS_ENDPOINT_URL_CDM", "http://127.0.0.1:9/proxy")
    h = Harness(kind, Script(reply(200, THING)), base_url=None, region="cn-north-4")
    h.call(get_thing())
    assert str(h.script.requests[0].url) == f"http://127.0.0.1:9/proxy/v1/{PROJECT}/things/t1"


def test_a_bad_endpoint_variable_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAARTS_ENDPOINT_URL", "127.0.0.1:8080")
    with pytest.raises(ConfigurationError, match=(
        r"^DATAARTS_ENDPOINT_URL must start with http:// or https:// and a host "
        r"\(did you mean https://127.0.0.1:8080\?\)$"
    )):
        build(base_url=None)
    assert build().base_url == BASE_URL  # not read when base_url= is given


def test_no_region_says_the_endpoint_variable_would_do(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError) as info:
        build(base_url=None)
    assert str(info.value) == (
        "no region: pass region= or set CLOUD_SDK_REGION, or set region in a profile (dataarts "
        "configure); or pass base_url= or set DATAARTS_ENDPOINT_URL to send requests elsewhere"
    )


# --- profiles in Python --------------------------------------------------------------------------


@pytest.fixture
def profile_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Profile files in a temporary config folder: `default` with a region and a token, `dev`
    with everything a client needs and AK/SK."""
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    monkeypatch.setenv("XDG_CONFIG_HOME", env["XDG_CONFIG_HOME"])
    profiles.save("default", {"region": "ap-southeast-1", "token": "default-token"}, environ=env)
    profiles.save("dev", {"region": "cn-north-4", "project_id": "devproject", "workspace": "w-dev",
                          "ak": AK, "sk": SK}, environ=env)
    return env


def profile_call(kind: str, **kwargs: Any) -> httpx.Request:
    """The request a client built with `kwargs` (and no base_url) sends."""
    arguments: dict[str, Any] = {"base_url": None, "project_id": None, "token": None, **kwargs}
    h = Harness(kind, Script(reply(200, THING)), **arguments)
    h.call(get_thing())
    return h.script.requests[0]


def test_a_client_built_from_a_named_profile(profile_files: dict[str, str], kind: str) -> None:
    request = profile_call(kind, profile="dev")
    assert str(request.url) == "https://cdm.cn-north-4.myhuaweicloud.com/v1/devproject/things/t1"
    assert request.headers["workspace"] == "w-dev"
    assert request.headers["Authorization"].startswith(f"SDK-HMAC-SHA256 Access={AK}, ")


def test_dataarts_profile_picks_the_profile_and_default_is_read_otherwise(
    profile_files: dict[str, str], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = profile_call(kind, project_id=PROJECT)
    assert default.url.host == "cdm.ap-southeast-1.myhuaweicloud.com"
    assert default.headers["X-Auth-Token"] == "default-token"
    monkeypatch.setenv("DATAARTS_PROFILE", "dev")
    assert profile_call(kind).url.host == "cdm.cn-north-4.myhuaweicloud.com"


def test_an_argument_beats_its_variable_which_beats_the_profile(
    profile_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUD_SDK_REGION", "la-south-2")
    assert profile_call("sync", profile="dev").url.host == "cdm.la-south-2.myhuaweicloud.com"
    given = profile_call("sync", profile="dev", region="sa-brazil-1", workspace="w-given")
    assert given.url.host == "cdm.sa-brazil-1.myhuaweicloud.com"
    assert given.headers["workspace"] == "w-given"


def test_credentials_come_whole_from_one_place(
    profile_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLOUD_SDK_TOKEN", "env-token")
    # the variables beat a profile that was not named (DATAARTS_PROFILE), as AWS_PROFILE does
    monkeypatch.setenv("DATAARTS_PROFILE", "dev")
    assert profile_call("sync").headers["X-Auth-Token"] == "env-token"
    # a profile named by the caller comes before them, as the AWS CLI's --profile
    named = profile_call("sync", profile="dev")
    assert "X-Auth-Token" not in named.headers and "Authorization" in named.headers
    # explicit arguments beat both
    assert profile_call("sync", profile="dev", token="arg-token").headers["X-Auth-Token"] == (
        "arg-token"
    )


def test_a_profile_with_a_broken_set_of_credentials_is_refused(
    profile_files: dict[str, str]
) -> None:
    profiles.save("half", {"project_id": PROJECT, "region": "r1", "ak": AK}, environ=profile_files)
    with pytest.raises(ConfigurationError, match=(
        "^profile 'half' has ak but no sk: dataarts configure set sk --profile half$"
    )):
        build(base_url=None, token=None, profile="half")
    profiles.save("both", {"project_id": PROJECT, "region": "r1", "ak": AK, "sk": SK,
                           "token": TOKEN}, environ=profile_files)
    with pytest.raises(ConfigurationError) as info:
        build(base_url=None, token=None, profile="both")
    assert str(info.value).startswith("two kinds of credentials in profile 'both': token and ak/sk")
    assert TOKEN not in str(info.value) and SK not in str(info.value)


def test_an_unknown_profile_is_a_configuration_error(profile_files: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="^no profile 'nope' in .*dataarts configure"):
        build(profile="nope")


def test_the_generated_clients_take_a_profile(profile_files: dict[str, str]) -> None:
    from dataarts import FactoryClient

    with FactoryClient(profile="dev") as factory:
        assert factory.base_url == "https://dayu.cn-north-4.myhuaweicloud.com"
        assert factory.project_id == "devproject"
        assert "workspace='w-dev'" in repr(factory)


def test_one_rule_for_clients_and_the_command_line() -> None:
    """`resolve` is the rule; the words differ (tested through the CLI in tests/cli)."""
    from templates.runtime import settings

    environ = {"CLOUD_SDK_REGION": "r-env", "CLOUD_SDK_TOKEN": "t", "XDG_CONFIG_HOME": "/nonexistent"}
    resolved = settings.resolve(
        "cdm", {"base_url": None, "project_id": "p", "region": None, "language": None}, {},
        variables=("region",), environ=environ,
    )
    assert resolved.values == {"base_url": None, "project_id": "p", "region": "r-env",
                               "language": None}
    assert resolved.credentials == {"token": "t"} and "'t'" not in repr(resolved)
    unsigned = settings.resolve(
        "cdm", {"base_url": None, "project_id": "p", "region": "r"}, {},
        variables=("region",), environ={"XDG_CONFIG_HOME": "/nonexistent"},
        require_credentials=False,
    )
    assert unsigned.credentials == {}
