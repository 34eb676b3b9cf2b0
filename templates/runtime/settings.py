"""Client settings from arguments, the environment and a profile: one rule, checked before any request.

Clients and the command line resolve their settings here, so both follow the same rule:

- A setting (`project_id`, `region`, `workspace`, ...) comes from its argument, else its
  variable (`ENV`), else the profile (`profiles`). An empty value counts as not given.
- The base URL: `base_url=`, else `DATAARTS_ENDPOINT_URL_<SERVICE>`, else `DATAARTS_ENDPOINT_URL`,
  else the profile's `base_url`, else the service's URL built from its variables (`region`).
- Credentials are taken as a whole from the first place that has any: the arguments (`auth`,
  `token`, or `ak` and `sk` with `security_token`), else the `CLOUD_SDK_*` variables, else the
  profile (a profile named by the caller comes before the variables, as in the AWS CLI). Two
  kinds at once (a token and AK/SK) or half a pair is a `ConfigurationError`, wherever found.

Every value is checked as it is taken (a URL has a scheme and a host; what goes into a header is
ASCII), and a `ConfigurationError` names where the value came from, in the caller's words
(`Words`: `project_id=` for Python, `--project-id` for the command line); a credential's value
is never shown.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import httpx

from . import profiles
from .errors import ConfigurationError

ENV = {  # environment variables read when the matching argument is not given
    "ak": "CLOUD_SDK_AK",
    "sk": "CLOUD_SDK_SK",
    "security_token": "CLOUD_SDK_SECURITY_TOKEN",
    "token": "CLOUD_SDK_TOKEN",
    "project_id": "CLOUD_SDK_PROJECT_ID",
    "region": "CLOUD_SDK_REGION",
}
ENDPOINT_ENV = "DATAARTS_ENDPOINT_URL"  # every service's base URL; _<SERVICE> for one service
CREDENTIALS = ("auth", "token", "ak", "sk", "security_token")
_AKSK = ("ak", "sk", "security_token")
_LABELS = {"project_id": "project ID"}
# what a region, or an endpoint host (with its port), may hold
_HOST_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


class Words(NamedTuple):
    """How a caller names its arguments in messages: `project_id=` and "pass", or
    `--project-id` and "give"."""

    name: Callable[[str], str]
    verb: str
    or_variable: str  # "pass project_id= *or set* CLOUD_SDK_PROJECT_ID"
    give_credentials: str  # how to give credentials, when there are none


PYTHON = Words(
    lambda name: f"{name}=",
    "pass",
    "or set",
    f"pass token= or ak= and sk= (or auth=), or set {ENV['token']}, or {ENV['ak']} and "
    f"{ENV['sk']}, or keep them in a profile (dataarts configure)",
)


def endpoint_variables(service: str) -> tuple[str, str]:
    """The variables that move a service's base URL, the service's own first:
    `("DATAARTS_ENDPOINT_URL_CDM", "DATAARTS_ENDPOINT_URL")`."""
    return f"{ENDPOINT_ENV}_{service.upper()}", ENDPOINT_ENV


@dataclass(frozen=True)
class Resolved:
    """What a client is built with: each setting's value (None: none anywhere; `base_url` None:
    build it from the variables) and the credentials (`{"token": ...}`, `{"ak", "sk"[,
    "security_token"]}`, `{"auth": ...}`, or empty when none were required)."""

    values: dict[str, Any]
    credentials: dict[str, Any]
    profile: str  # the name of the profile consulted

    def __repr__(self) -> str:  # the credentials' values are never shown
        kinds = sorted(self.credentials)
        return f"Resolved(values={self.values!r}, credentials={kinds}, profile={self.profile!r})"


def resolve(
    service: str,
    given: Mapping[str, Any],
    credentials: Mapping[str, Any],
    *,
    variables: Sequence[str],
    profile: str | None = None,
    words: Words = PYTHON,
    require_credentials: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Resolved:
    """The settings of `given` (`base_url`, `project_id`, the URL's `variables`, options such as
    `workspace`; None: not given) and the `credentials` given (keys of `CREDENTIALS`), completed
    from the environment and the profile, checked (see the module's docstring)."""
    env = os.environ if environ is None else environ
    try:
        chosen = profiles.load(profile, environ=env)
    except profiles.ProfileError as exc:
        raise ConfigurationError(f"{exc} (`dataarts configure` writes profiles)") from None
    from_profile = chosen.settings()
    values: dict[str, Any] = {}
    for key, value in given.items():
        values[key] = _setting(key, value, env, from_profile, chosen.name, words, service)
    if values.get("project_id") is None:
        raise ConfigurationError(_missing("project_id", words))
    if values.get("base_url") is None:
        for name in variables:
            if values.get(name) is None:
                raise ConfigurationError(
                    f"{_missing(name, words)}; or {words.verb} {words.name('base_url')} "
                    f"{words.or_variable} {ENDPOINT_ENV} to send requests elsewhere"
                )
    found = _credentials(credentials, chosen, named=profile is not None, env=env, words=words)
    if not found and require_credentials:
        raise ConfigurationError(f"no credentials: {words.give_credentials}")
    return Resolved(values, found, chosen.name)


def _setting(
    key: str,
    value: Any,
    env: Mapping[str, str],
    from_profile: Mapping[str, str],
    profile: str,
    words: Words,
    service: str,
) -> Any:
    """One setting from its argument, else its variable(s), else the profile; checked."""
    if value is not None and value != "":
        return _checked(key, value, words.name(key))
    names = endpoint_variables(service) if key == "base_url" else (ENV.get(key, ""),)
    for name in names:
        if name and env.get(name):
            return _checked(key, env[name], name)
    if from_profile.get(key):
        return _checked(key, from_profile[key], f"{key} of profile {profile!r}")
    return None


def _checked(key: str, value: Any, where: str) -> Any:
    if key == "base_url":
        return check_url(value, where)
    if key in ("region", "endpoint"):
        return check_host_part(value, where)
    return check_text(value, where)


def _missing(key: str, words: Words) -> str:
    label = _LABELS.get(key, key.replace("_", " "))
    variable = f" {words.or_variable} {ENV[key]}" if key in ENV else ""
    return (
        f"no {label}: {words.verb} {words.name(key)}{variable}, or set {key} in a profile "
        "(dataarts configure)"
    )


# -- credentials ---------------------------------------------------------------------------------


def _credentials(
    given: Mapping[str, Any],
    profile: profiles.Profile,
    *,
    named: bool,
    env: Mapping[str, str],
    words: Words,
) -> dict[str, Any]:
    """The first set found: the arguments, else the variables, else the profile (a profile
    named by the caller before the variables). Whatever set is taken must be whole."""
    explicit = {k: v for k, v in given.items() if k in CREDENTIALS and v is not None and v != ""}
    if explicit:
        return _whole(explicit, _arguments(words))
    variables = {k: env[ENV[k]] for k in ("token", *_AKSK) if env.get(ENV[k])}
    if named or not variables:
        try:
            stored = dict(profile.credentials)
        except profiles.ProfileError as exc:
            raise ConfigurationError(str(exc)) from None
        if stored:
            return _whole(stored, _in_profile(profile.name))
    return _whole(variables, _VARIABLES) if variables else {}


class _Source(NamedTuple):
    """How a place that holds credentials names them, and what to say of half a pair there."""

    name: Callable[[str], str]
    where: str  # appended to the place-neutral messages
    half: Callable[[str, str], str]  # (the key there, the key missing) -> the message


_VARIABLES = _Source(
    ENV.__getitem__,
    "",
    lambda have, lack: f"{ENV[have]} is set but {ENV[lack]} is not: set both (or {ENV['token']})",
)


def _arguments(words: Words) -> _Source:
    return _Source(
        words.name,
        "",
        lambda have, lack: (
            f"{words.name(have)} without {words.name(lack)}: {words.verb} both "
            f"(or {words.name('token')})"
        ),
    )


def _in_profile(profile: str) -> _Source:
    return _Source(
        str,
        f" in profile {profile!r}",
        lambda have, lack: (
            f"profile {profile!r} has {have} but no {lack}: "
            f"dataarts configure set {lack} --profile {profile}"
        ),
    )


def _whole(found: dict[str, Any], source: _Source) -> dict[str, Any]:
    """`found` if it is one whole kind of credentials; else a ConfigurationError saying why."""
    kinds = [source.name(kind) for kind in ("auth", "token") if kind in found]
    pair = [source.name(key) for key in _AKSK if key in found]
    if pair:
        kinds.append("/".join(pair))
    if len(kinds) > 1:
        raise ConfigurationError(
            f"two kinds of credentials{source.where}: {' and '.join(kinds)}; keep one "
            "(a token, or an AK/SK pair)"
        )
    if pair and "ak" not in found and "sk" not in found:
        raise ConfigurationError(
            f"{source.name('security_token')} without {source.name('ak')} and "
            f"{source.name('sk')}{source.where}: it belongs to temporary AK/SK credentials"
        )
    for have, lack in (("ak", "sk"), ("sk", "ak")):
        if have in found and lack not in found:
            raise ConfigurationError(source.half(have, lack))
    for key, value in found.items():
        if key != "auth":
            check_secret(value, source.name(key) + source.where)
    return found


# -- checks --------------------------------------------------------------------------------------


def check_url(url: Any, where: str) -> str:
    """A base URL is http(s)://host[:port][/path]; anything else would only fail later, as a
    retried connection error."""
    if not isinstance(url, str):
        raise ConfigurationError(f"{where} must be a URL string, not {type(url).__name__}")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number
    except ValueError as exc:
        raise ConfigurationError(f"{where} {url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        hint = f" (did you mean https://{url}?)" if "://" not in url else ""
        raise ConfigurationError(f"{where} must start with http:// or https:// and a host{hint}")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise ConfigurationError(f"{where} {url!r} has a space or a control character")
    del port
    return url


def check_host_part(value: Any, where: str) -> str:
    """A region (or an endpoint host) becomes part of a host name: letters, digits, '.', '-'."""
    text = check_text(value, where)
    host, colon, port = text.partition(":")
    if not host or not _HOST_CHARACTERS.issuperset(host) or (colon and not port.isdecimal()):
        raise ConfigurationError(
            f"{where} {text!r} cannot be part of a host name (letters, digits, '.', '-')"
        )
    return text


def check_text(value: Any, where: str) -> str:
    """A setting sent in a header or a path (project ID, workspace, ...): ASCII text without
    control characters, as HTTP headers carry it."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{where} must be a string, not {type(value).__name__}")
    if not _header_safe(value):
        raise ConfigurationError(
            f"{where} {value!r} has a character HTTP headers cannot carry (not ASCII, or a "
            "control character)"
        )
    return value


def check_secret(value: Any, where: str) -> str:
    """As `check_text`, without ever showing the value."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{where} must be a string, not {type(value).__name__}")
    if not _header_safe(value):
        raise ConfigurationError(
            f"{where} has a character HTTP headers cannot carry (not ASCII, or a control character)"
        )
    return value


def check_timeout(value: Any, where: str = "timeout=") -> Any:
    """Seconds (a number, not negative), None (no limit) or an `httpx.Timeout`."""
    if value is None or isinstance(value, httpx.Timeout):
        return value
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if number and math.isfinite(value) and value >= 0:
        return value
    raise ConfigurationError(
        f"{where} must be seconds (a number, 0 or more), None or an httpx.Timeout, not {value!r}"
    )


def check_retries(value: Any, where: str = "max_retries=") -> int:
    """A number of retries: a whole number, 0 or more."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ConfigurationError(f"{where} must be a whole number, 0 or more, not {value!r}")


def check_flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigurationError(f"{where} must be True or False, not {value!r}")


def check_headers(value: Any, where: str) -> Mapping[str, str]:
    """Header names and values HTTP can carry; a value is never shown (it may be a credential)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{where} must be a mapping of header names to values")
    for name, item in value.items():
        check_text(name, f"{where} header name")
        check_secret(item, f"{where} value of {name!r}")
    return value


def _header_safe(text: str) -> bool:
    return text.isascii() and text.isprintable()
