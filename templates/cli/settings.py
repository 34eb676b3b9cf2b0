"""The settings a command runs with, checked in one place and explained in the command line's words.

The rule is the clients' own (`dataarts._runtime.settings.resolve`, one implementation): each
setting comes from its option, else its variable (CLOUD_SDK_*; the base URL from
DATAARTS_ENDPOINT_URL_<SERVICE> or DATAARTS_ENDPOINT_URL), else the profile (`dataarts
configure`); credentials as a whole from the variables, else the profile (a profile named with
--profile before the variables, as the AWS CLI does). Anything missing or malformed is a
`ConfigurationError` naming the option and the variable, raised before any request is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._runtime.errors import ConfigurationError
from .._runtime.settings import ENV, Words, check_url, resolve
from .table import Service

CREDENTIALS = ("token", "ak", "sk", "security_token")
COMMAND_LINE = Words(
    lambda name: "--" + name.replace("_", "-"),
    "give",
    "or",
    f"set {ENV['token']}, or {ENV['ak']} and {ENV['sk']}, or run `dataarts configure`",
)


class SettingsError(ConfigurationError):
    """Configuration the command cannot run with (exit status 2)."""


def client_arguments(
    service: Service, given: Mapping[str, Any], *, signed: bool = True
) -> dict[str, Any]:
    """The client's keyword arguments from the global options typed (`given`), the environment
    and the profile; `signed=False` (a dry run) lets a command do without credentials."""
    profile = given.get("profile")
    resolved = resolve(
        service.name,
        {name: given.get(name) for name in ("base_url", "project_id", *service.settings)},
        {},
        variables=service.variables,
        profile=profile,
        words=COMMAND_LINE,
        require_credentials=signed,
    )
    # The client resolves again from these, finding each value given: the same profile
    # (for settings no place has) and no credential read twice (a credential_process runs once).
    arguments = {name: value for name, value in resolved.values.items() if value is not None}
    return {**arguments, **resolved.credentials, "profile": profile}


def has_credentials(kwargs: Mapping[str, Any]) -> bool:
    """Whether the client will sign: `client_arguments` found credentials."""
    return any(kwargs.get(name) for name in CREDENTIALS)


def check_base_url(url: str | None, where: str) -> None:
    """A base URL is http(s)://host[:port][/path] (a `SettingsError` otherwise)."""
    if url is None:
        return
    try:
        check_url(url, where)
    except ConfigurationError as exc:
        raise SettingsError(str(exc)) from None
