"""The `dataarts` logger and the redaction of secrets from anything shown to people."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Mapping

logger = logging.getLogger("dataarts")

REDACTED = "<redacted>"
SECRET_HEADERS = frozenset({"authorization", "x-auth-token", "x-security-token", "x-subject-token"})
# Field or input names whose values are credentials: link passwords, AK/SK, tokens, keytabs and
# data encryption keys (every `secret` name of the CDM parameter catalogue matches; a test checks).
# (The patterns of this module are compiled on first use, by `regex`: a call that logs nothing
# and fails on nothing never needs them, and importing a client should not pay for them.)
_SECRET_NAME = (
    r"(?i)(?:^|[._\-\s])(?:password|passwd|pwd|secret|secret[_-]?key|security[_-]?key|sk|token|"
    r"access[_-]?key|ak|credential|private[_-]?key|keytab|dek)(?:$|[._\-\s])"
    r"|(?:password|secret|token|accesskey|secretkey|securitykey|keytab)$"
)


@functools.cache
def regex(pattern: str) -> re.Pattern[str]:
    """`pattern` compiled, once, when it is first used."""
    return re.compile(pattern)


def is_secret_name(name: str) -> bool:
    """True for names such as `password`, `linkConfig.password`, `sk`, `accessKey`, `X-Auth-Token`."""
    return name.lower() in SECRET_HEADERS or regex(_SECRET_NAME).search(name) is not None


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k: (REDACTED if is_secret_name(k) else v) for k, v in items}


def mask(value: str, keep: int = 4) -> str:
    """Show only the first few characters of an identifier that is not itself a secret (an AK)."""
    return value[:keep] + "…" if len(value) > keep else "…"


# A quoted JSON member whose name is secret-like, up to its closing quote or the end of the text
# (a body cut short still hides the start of the value).
_SECRET_MEMBER = r'("([^"\\]*)"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^\s,}\]]+)'
# The value of a name/value pair whose name is secret-like: {"name": "linkConfig.password",
# "value": "..."} (CDM link inputs).
_SECRET_PAIR = (
    r'("name"\s*:\s*"([^"\\]*)"\s*,\s*"value"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^\s,}\]]+)'
)
# key=value and key: value in plain text (form bodies, HTML error pages, header dumps).
_SECRET_ASSIGNMENT = r"([A-Za-z][\w.\-]*)(\s*[=:]\s*)([^\s&;,\"'<>]+)"
# Long runs of token alphabet: IAM tokens, keys, signatures (request ids and UUIDs are shorter).
_TOKEN_LIKE = r"[A-Za-z0-9+/=_\-]{48,}"


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with credentials masked: the given secret values wherever they occur, the values
    of secret-named JSON members, name/value pairs and key=value assignments, and anything
    that looks like a token."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)

    def member(match: re.Match[str]) -> str:
        return match.group(1) + (
            '"' + REDACTED + '"' if is_secret_name(match.group(2)) else match.group(3)
        )

    def assignment(match: re.Match[str]) -> str:
        if not is_secret_name(match.group(1)):
            return match.group(0)
        return match.group(1) + match.group(2) + REDACTED

    text = regex(_SECRET_PAIR).sub(member, text)
    text = regex(_SECRET_MEMBER).sub(member, text)
    text = regex(_SECRET_ASSIGNMENT).sub(assignment, text)
    return regex(_TOKEN_LIKE).sub(REDACTED, text)


def excerpt(body: bytes, *, secrets: Iterable[str] = (), limit: int = 200) -> str:
    """A short, single-line, redacted view of a body, for exception messages.

    Redacted before it is cut, so no secret is shown in part; bodies are read up to 64 KiB.
    """
    text = body[: 64 * 1024].decode("utf-8", "replace")
    text = " ".join(redact_text(text, secrets).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
