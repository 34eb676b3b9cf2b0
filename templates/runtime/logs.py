"""The `dataarts` logger and the redaction of secrets from anything shown to people."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

logger = logging.getLogger("dataarts")

REDACTED = "<redacted>"
SECRET_HEADERS = frozenset({"authorization", "x-auth-token", "x-security-token", "x-subject-token"})
# Field or input names whose values are credentials: link passwords, AK/SK, tokens, keytabs and
# data encryption keys (every `secret` name of the CDM parameter catalogue matches; a test checks).
_SECRET_NAME = re.compile(
    r"(?:^|[._\-\s])(?:password|passwd|pwd|secret|secret[_-]?key|security[_-]?key|sk|token|"
    r"access[_-]?key|ak|credential|private[_-]?key|keytab|dek)(?:$|[._\-\s])"
    r"|(?:password|secret|token|accesskey|secretkey|securitykey|keytab)$",
    re.IGNORECASE,
)


def is_secret_name(name: str) -> bool:
    """True for names such as `password`, `linkConfig.password`, `sk`, `accessKey`, `X-Auth-Token`."""
    return name.lower() in SECRET_HEADERS or _SECRET_NAME.search(name) is not None


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k: (REDACTED if is_secret_name(k) else v) for k, v in items}


def mask(value: str, keep: int = 4) -> str:
    """Show only the first few characters of an identifier that is not itself a secret (an AK)."""
    return value[:keep] + "…" if len(value) > keep else "…"
