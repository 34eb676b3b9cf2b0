"""The settings a command runs with, checked in one place and explained in the command line's words.

Each setting comes from its option, else its CLOUD_SDK_* variable, else the profile (`dataarts
configure`); credentials from the variables, else the profile (a profile named with --profile
before the variables, as the AWS CLI does). Anything missing or malformed is a `SettingsError`
naming the option and the variable, raised before any request is built.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .._runtime import profiles
from .._runtime.client import ENV
from .table import Service

CREDENTIALS = ("token", "ak", "sk", "security_token")


class SettingsError(Exception):
    """Configuration the command cannot run with (exit status 2)."""


def client_arguments(
    service: Service, given: Mapping[str, Any], *, signed: bool = True
) -> dict[str, Any]:
    """The client's keyword arguments from the global options typed (`given`), the environment
    and the profile; `signed=False` (a dry run) lets a command do without credentials."""
    check_base_url(given.get("base_url"), "--base-url")
    try:
        profile = profiles.load(given.get("profile"))
        wanted = {"base_url", "project_id", *service.settings, *CREDENTIALS}
        kwargs = profiles.fill(
            {name: given.get(name) for name in wanted},
            profile,
            ENV,
            profile_credentials_first=given.get("profile") is not None,
        )
    except profiles.ProfileError as exc:
        raise SettingsError(f"{exc} (`dataarts configure` writes profiles)") from None
    if kwargs["base_url"] != given.get("base_url"):
        check_base_url(kwargs["base_url"], f"base_url of profile {profile.name!r}")
    _require("project_id", kwargs, "project ID")
    if not kwargs["base_url"]:
        for name in service.variables:
            _require(name, kwargs, name.replace("_", " "))
    if signed:
        _check_credentials(kwargs, profile.name)
    return {name: value for name, value in kwargs.items() if value is not None}


def has_credentials(kwargs: Mapping[str, Any]) -> bool:
    """Whether the client will sign: credentials given, or complete ones in the environment."""
    return bool(
        kwargs.get("token")
        or (kwargs.get("ak") and kwargs.get("sk"))
        or os.environ.get(ENV["token"])
        or (os.environ.get(ENV["ak"]) and os.environ.get(ENV["sk"]))
    )


def check_base_url(url: str | None, where: str) -> None:
    """A base URL is http(s)://host[:port][/path]; anything else would only fail later, as a
    retried connection error."""
    if url is None:
        return
    try:
        parts = urlsplit(url)
        port = parts.port  # raises for a port that is not a number
    except ValueError as exc:
        raise SettingsError(f"{where} {url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        hint = f" (did you mean https://{url}?)" if "://" not in url else ""
        raise SettingsError(f"{where} must start with http:// or https:// and a host{hint}")
    del port


def _require(name: str, kwargs: Mapping[str, Any], words: str) -> None:
    if kwargs.get(name) or os.environ.get(ENV.get(name, "")):
        return
    flag = "--" + name.replace("_", "-")
    env = f" or {ENV[name]}" if name in ENV else ""
    raise SettingsError(
        f"no {words}: give {flag}{env}, or set {name} in a profile (dataarts configure)"
    )


def _check_credentials(kwargs: Mapping[str, Any], profile: str) -> None:
    """A token, or an AK with its SK, from the profile or the environment; else say what is
    missing, naming the variables."""
    if has_credentials(kwargs):
        return
    ak, sk = ENV["ak"], ENV["sk"]
    for have, lack, have_key, lack_key in ((ak, sk, "ak", "sk"), (sk, ak, "sk", "ak")):
        if os.environ.get(have):
            raise SettingsError(f"{have} is set but {lack} is not: set both (or {ENV['token']})")
        if kwargs.get(have_key):
            raise SettingsError(
                f"profile {profile!r} has {have_key} but no {lack_key}: "
                f"dataarts configure set {lack_key} --profile {profile}"
            )
    raise SettingsError(
        f"no credentials: set {ENV['token']}, or {ak} and {sk}, or run `dataarts configure`"
    )
