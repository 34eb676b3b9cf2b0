"""Named profiles: client settings and credentials kept in two INI files, as the AWS CLI keeps them.

- `config`: `[default]` and `[profile NAME]` sections with the settings (`region`, `project_id`,
  `workspace`, `endpoint`, `language`, `base_url`) and, instead of stored keys, an optional
  `credential_process`: a command that prints the credentials as JSON (the AWS CLI's format).
- `credentials`: `[NAME]` sections with `ak`, `sk`, `security_token` or `token`; mode 0600.

Both live in `$XDG_CONFIG_HOME/dataarts/` (else `~/.config/dataarts/`); `DATAARTS_CONFIG_FILE`
and `DATAARTS_CREDENTIALS_FILE` point elsewhere, `DATAARTS_PROFILE` names the profile to use.
Standard library only, no service. Clients and the command line complete their settings from a
profile by one rule, `dataarts._runtime.settings.resolve` (`CdmClient(profile="dev")`).
"""

from __future__ import annotations

import configparser
import functools
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .logs import REDACTED, mask

PROFILE_ENV = "DATAARTS_PROFILE"
CONFIG_ENV = "DATAARTS_CONFIG_FILE"
CREDENTIALS_ENV = "DATAARTS_CREDENTIALS_FILE"
DEFAULT = "default"
# Keys of the config file: client settings, then the command that prints credentials.
SETTINGS = ("region", "project_id", "workspace", "endpoint", "language", "base_url")
PROCESS = "credential_process"
# Keys of the credentials file, named as the clients' keyword arguments.
CREDENTIALS = ("ak", "sk", "security_token", "token")
SECRETS = frozenset({"sk", "security_token", "token"})
PROCESS_TIMEOUT = 60.0  # seconds a credential_process may take
_SECTION = re.compile(r"^\s*\[([^\]]*)\]")
_KEY = re.compile(r"^\s*([^\s=:#;][^=:]*?)\s*[=:]")


class ProfileError(ValueError):
    """A profile that cannot be read or used: unknown name, unreadable file, failing command.

    Its message never holds a credential (not even a line of the credentials file)."""


def config_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where the settings are: `$DATAARTS_CONFIG_FILE`, else `<config dir>/dataarts/config`."""
    env = os.environ if environ is None else environ
    return Path(env[CONFIG_ENV]).expanduser() if env.get(CONFIG_ENV) else _folder(env) / "config"


def credentials_file(environ: Mapping[str, str] | None = None) -> Path:
    """Where the keys are: `$DATAARTS_CREDENTIALS_FILE`, else `<config dir>/dataarts/credentials`."""
    env = os.environ if environ is None else environ
    if env.get(CREDENTIALS_ENV):
        return Path(env[CREDENTIALS_ENV]).expanduser()
    return _folder(env) / "credentials"


def _folder(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base).expanduser() / "dataarts"


def selected(name: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The profile in use: `name`, else `$DATAARTS_PROFILE`, else `default`."""
    env = os.environ if environ is None else environ
    return name or env.get(PROFILE_ENV) or DEFAULT


@dataclass(frozen=True)
class Profile:
    """One profile's values as the files hold them (settings, credentials, credential_process)."""

    name: str
    values: Mapping[str, str] = field(default_factory=dict)
    sources: Mapping[str, Path] = field(default_factory=dict)  # the file each value came from

    def settings(self) -> dict[str, str]:
        """The client settings this profile sets (`region`, `project_id`, ...)."""
        return {k: self.values[k] for k in SETTINGS if self.values.get(k)}

    @functools.cached_property
    def credentials(self) -> dict[str, str]:
        """The credentials: the stored keys or token, else what `credential_process` prints
        (run once, on first use)."""
        stored = {k: self.values[k] for k in CREDENTIALS if self.values.get(k)}
        if stored or not self.values.get(PROCESS):
            return stored
        return run_credential_process(self.values[PROCESS])

    def shown(self) -> dict[str, str]:
        """The values for display: secrets as `<redacted>`, an AK as its first characters."""
        return {
            key: REDACTED if key in SECRETS else mask(value) if key == "ak" else value
            for key, value in self.values.items()
        }


def load(name: str | None = None, *, environ: Mapping[str, str] | None = None) -> Profile:
    """The profile `selected(name)`. One named by `name` or `$DATAARTS_PROFILE` must be in a file
    (else `ProfileError`); an unnamed `default` may be missing, and is then empty."""
    env = os.environ if environ is None else environ
    chosen = selected(name, env)
    values: dict[str, str] = {}
    sources: dict[str, Path] = {}
    found = False
    config, credentials = config_file(env), credentials_file(env)
    sections = (
        (config, {f"profile {chosen}", chosen} if chosen == DEFAULT else {f"profile {chosen}"}),
        (credentials, {chosen}),  # read last: its keys win over any kept in the config file
    )
    for path, names in sections:
        parser = _read(path)
        for section in parser.sections():
            if section.strip() not in names:
                continue
            found = True
            for key, value in parser.items(section):
                if value.strip():
                    values[key] = value.strip()
                    sources[key] = path
    if not found and (chosen != DEFAULT or name is not None):
        raise ProfileError(f"no profile {chosen!r} in {config} or {credentials}")
    return Profile(chosen, values, sources)


def names(environ: Mapping[str, str] | None = None) -> list[str]:
    """The profiles the two files define, in the order first seen."""
    found: dict[str, None] = {}
    for section in _read(config_file(environ)).sections():
        found[section.strip().removeprefix("profile ").strip()] = None
    for section in _read(credentials_file(environ)).sections():
        found[section.strip()] = None
    return list(found)


def run_credential_process(command: str) -> dict[str, str]:
    """Run a `credential_process` and read what it prints, as the AWS CLI documents it:
    `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken": ...}` (the
    last optional). Its output is never quoted in an error."""
    import shlex  # only a profile with a credential_process needs these
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise ProfileError(f"credential_process: cannot split the command: {exc}") from None
    if not argv:
        raise ProfileError("credential_process is empty")
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=PROCESS_TIMEOUT, check=False
        )
    except OSError as exc:
        raise ProfileError(f"credential_process {argv[0]!r} cannot run: {exc.strerror}") from None
    except subprocess.TimeoutExpired:
        raise ProfileError(
            f"credential_process {argv[0]!r} gave no answer in {PROCESS_TIMEOUT:.0f} s"
        ) from None
    if done.returncode != 0:
        raise ProfileError(f"credential_process {argv[0]!r} exited with status {done.returncode}")
    try:
        printed = json.loads(done.stdout)
    except ValueError:
        printed = None
    if not isinstance(printed, dict) or printed.get("Version") != 1:
        raise ProfileError(
            f"credential_process {argv[0]!r} printed no JSON object with Version 1 "
            "(AccessKeyId, SecretAccessKey, SessionToken)"
        )
    ak, sk = printed.get("AccessKeyId"), printed.get("SecretAccessKey")
    if not (isinstance(ak, str) and ak and isinstance(sk, str) and sk):
        raise ProfileError(
            f"credential_process {argv[0]!r} printed no AccessKeyId and SecretAccessKey"
        )
    found = {"ak": ak, "sk": sk}
    if isinstance(printed.get("SessionToken"), str) and printed["SessionToken"]:
        found["security_token"] = printed["SessionToken"]
    return found


def save(
    name: str, values: Mapping[str, str | None], *, environ: Mapping[str, str] | None = None
) -> list[Path]:
    """Set `values` in profile `name`: settings and `credential_process` in the config file,
    credentials in the credentials file; `None` removes a key. Other keys, sections, comments
    and blank lines stay as they are. Files are written whole (a temporary file renamed into
    place) with mode 0600, in a folder of mode 0700 when it is created. Returns the files written.
    """
    unknown = sorted(set(values) - {*SETTINGS, PROCESS, *CREDENTIALS})
    if unknown:
        known = ", ".join((*SETTINGS, PROCESS, *CREDENTIALS))
        raise ProfileError(f"unknown profile key {unknown[0]!r}; the keys are {known}")
    if not name or name != name.strip() or any(c in name for c in "[]\r\n"):
        raise ProfileError(f"a profile name has no brackets or outer spaces: {name!r}")
    for key, value in values.items():
        if value is not None and ("\n" in value or "\r" in value):
            raise ProfileError(f"the value of {key} has a line break")
    settings = {k: v for k, v in values.items() if k not in CREDENTIALS}
    credentials = {k: v for k, v in values.items() if k in CREDENTIALS}
    written = []
    section = DEFAULT if name == DEFAULT else f"profile {name}"
    for path, part, title in (
        (config_file(environ), settings, section),
        (credentials_file(environ), credentials, name),
    ):
        if part:
            _read(path)  # refuse to edit a file that is not INI
            _write(path, _edited(_lines(path), title, part))
            written.append(path)
    return written


def _read(path: Path) -> configparser.ConfigParser:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _empty()  # every client looks: most find no file, and pay for no parser
    except OSError as exc:
        raise ProfileError(f"cannot read {path}: {exc.strerror}") from None
    parser = _parser()
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        # configparser's messages quote the offending line, which may hold a key: say where only
        line = getattr(exc, "lineno", None) or next(iter(getattr(exc, "errors", [])), (None,))[0]
        where = f" at line {line}" if line else ""
        raise ProfileError(f"{path} is not an INI file ({type(exc).__name__}{where})") from None
    return parser


def _parser() -> configparser.ConfigParser:
    return configparser.ConfigParser(interpolation=None, default_section="\0", strict=True)


@functools.cache
def _empty() -> configparser.ConfigParser:
    """The parser of a file that does not exist (shared: read, never changed)."""
    return _parser()


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def _edited(lines: list[str], section: str, values: Mapping[str, str | None]) -> list[str]:
    """`lines` of an INI file with `values` set in `section` (added at its end, or a new section
    at the end of the file), each replaced key's continuation lines dropped with it."""
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if (m := _SECTION.match(line)) and m[1].strip() == section
        ),
        None,
    )
    additions = [f"{key} = {value}" for key, value in values.items() if value is not None]
    if start is None:
        if not additions:
            return lines
        return [*lines, *([""] if lines and lines[-1].strip() else []), f"[{section}]", *additions]
    end = next((i for i in range(start + 1, len(lines)) if _SECTION.match(lines[i])), len(lines))
    body: list[str] = []
    replacing = False
    pending = {key.lower(): value for key, value in values.items()}
    for line in lines[start + 1 : end]:
        if replacing and line[:1].isspace() and line.strip():
            continue  # a continuation of the value being replaced
        replacing = False
        key = _KEY.match(line)
        if key and key[1].strip().lower() in pending:
            value = pending.pop(key[1].strip().lower())
            replacing = True
            if value is not None:
                body.append(f"{key[1].strip()} = {value}")
            continue
        body.append(line)
    tail = len(body)
    while tail and not body[tail - 1].strip():
        tail -= 1  # new keys go before the blank lines that end the section
    added = [f"{key} = {value}" for key, value in pending.items() if value is not None]
    return [*lines[: start + 1], *body[:tail], *added, *body[tail:], *lines[end:]]


def _write(path: Path, lines: list[str]) -> None:
    import tempfile  # only writing needs it: every client reads the files

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
