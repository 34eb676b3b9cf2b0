"""`dataarts configure`: write a profile by answering prompts; read, set and list profiles.

The files and their format are `dataarts._runtime.profiles`'. Credentials are typed without
echo and never printed: `configure list` masks them, `configure get` does not show them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from .._runtime import profiles
from .exits import EXIT_USAGE, fail

# (key, prompt, typed without echo): what `dataarts configure` asks, in order
PROMPTS = (
    ("region", "Region", False),
    ("project_id", "Project ID", False),
    ("workspace", "DataArts Studio workspace ID", False),
    ("endpoint", "LakeFormation endpoint (host name)", False),
    ("ak", "Access key ID (AK)", True),
    ("sk", "Secret access key (SK)", True),
)
CREDENTIALS = frozenset(profiles.CREDENTIALS)


@contextmanager
def _profile_errors() -> Iterator[None]:
    try:
        yield
    except profiles.ProfileError as exc:
        fail(EXIT_USAGE, str(exc))


def prompt_profile(name: str | None) -> None:
    """Ask for each value of PROMPTS, showing the current one (masked); Enter keeps it."""
    with _profile_errors():
        chosen = profiles.selected(name)
        exists = chosen in profiles.names()
        current = profiles.load(chosen).shown() if exists else {}
        click.echo(
            f"Profile {chosen!r} ({'new' if not exists else 'Enter keeps the value shown'}); "
            f"settings in {profiles.config_file()}, keys in {profiles.credentials_file()}.",
            err=True,
        )
        answers: dict[str, str | None] = {}
        for key, text, secret in PROMPTS:
            shown = current.get(key, "none")
            typed = click.prompt(
                f"{text} [{shown}]", default="", show_default=False, hide_input=secret
            )
            if typed.strip():
                answers[key] = typed.strip()
        if not answers:
            click.echo("Nothing changed.", err=True)
            return
        for path in profiles.save(chosen, answers):
            click.echo(f"Wrote {path}", err=True)


def list_profile(name: str | None) -> None:
    """The profile's values, secrets masked, and the file each comes from."""
    with _profile_errors():
        profile = profiles.load(name)
    shown = profile.shown()
    rows = [("key", "value", "file"), *((k, v, str(profile.sources[k])) for k, v in shown.items())]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    click.echo(f"profile {profile.name}")
    for key, value, path in rows:
        click.echo(f"{key.ljust(widths[0])}  {value.ljust(widths[1])}  {path}".rstrip())


def list_profiles(name: str | None) -> None:
    """The name of every profile, one a line."""
    with _profile_errors():
        for found in profiles.names():
            click.echo(found)


def get_value(name: str | None, key: str) -> None:
    """One setting of the profile (exit 1 when it has none); credentials are not shown."""
    if key in CREDENTIALS:
        fail(EXIT_USAGE, f"{key} is a credential: `dataarts configure list` shows it masked")
    with _profile_errors():
        value = profiles.load(name).values.get(key)
    if value is None:
        raise SystemExit(1)
    click.echo(value)


def set_value(name: str | None, key: str, value: str | None) -> None:
    """Set (or, with an empty VALUE, remove) one key; a credential without VALUE is asked for
    without echo."""
    if value is None:
        if key not in CREDENTIALS:
            fail(EXIT_USAGE, f"configure set {key} needs a VALUE")
        value = click.prompt(key, hide_input=True)
    elif key in CREDENTIALS and value:
        click.echo(
            f"dataarts: note: {key} is now in your shell history; "
            f"`dataarts configure set {key}` without a value asks for it without echo",
            err=True,
        )
    if key == "base_url" and value:
        from .settings import SettingsError, check_base_url

        try:
            check_base_url(value, "base_url")
        except SettingsError as exc:
            fail(EXIT_USAGE, str(exc))
    with _profile_errors():
        profiles.save(profiles.selected(name), {key: value.strip() or None})
