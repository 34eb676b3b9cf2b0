"""A case's canned answer and a sent request as JSON, the same on both sides of the judge.

Standard library only: imported by tests/conformance (our side) and by
tools/conformance/official_side.py (in the official SDK's virtualenv).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any


def answer_content(answer: Mapping[str, Any]) -> bytes:
    """The body bytes of a canned answer: `body_b64` (a file), `body` (JSON) or none."""
    if "body_b64" in answer:
        return base64.b64decode(answer["body_b64"])
    if "body" in answer:
        return json.dumps(answer["body"], ensure_ascii=False).encode()
    return b""


def sent(method: str, url: str, headers: Mapping[str, str], body: bytes | None) -> dict[str, Any]:
    """A request as the judge compares it (tests/conformance/compare.py reads this shape)."""
    out: dict[str, Any] = {"method": method, "url": url, "headers": dict(headers)}
    if body:
        out["body_b64"] = base64.b64encode(body).decode()
    return out
