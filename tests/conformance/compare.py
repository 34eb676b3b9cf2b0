"""Where the two sides of a case differ, each difference named so a decision can list it.

A difference is (operation, part, pointer, kind): `part` is `call`, `method`, `host`, `path`,
`query`, `header`, `body` (of the request) or `reading` (of the response; `error` for an error
response); `pointer` the query or header name, or a JSON pointer whose array indices are `*`;
`kind` is `only-ours`, `only-theirs`, `value`, or `undeclared-ours` (a request body field ours
sends only as an unknown extra of its model, which the official SDK's model declares).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# Headers that are transport or authentication, not the API's: each side signs its own request.
IGNORED_HEADERS = frozenset(
    {
        "accept",
        "accept-encoding",
        "authorization",
        "connection",
        "content-length",
        "host",
        "user-agent",
        "x-sdk-date",
    }
)


@dataclass(frozen=True)
class Difference:
    operation: str
    part: str
    pointer: str
    kind: str

    def key(self) -> tuple[str, str, str, str]:
        return (self.operation, self.part, self.pointer, self.kind)


@dataclass(frozen=True)
class Finding:
    """A difference seen in one case, with both sides' values."""

    case: str
    difference: Difference
    ours: Any
    theirs: Any


def request_view(sent: dict[str, Any] | None) -> dict[str, Any] | None:
    """A wire request as the judge compares it."""
    if sent is None:
        return None
    url = urlsplit(sent["url"])
    body: Any = None
    if "body_b64" in sent:
        raw = base64.b64decode(sent["body_b64"])
        try:
            body = json.loads(raw)
        except ValueError:
            body = {"bytes": raw.decode("utf-8", "replace")}
    query: dict[str, list[str]] = {}
    for key, value in parse_qsl(url.query, keep_blank_values=True):
        query.setdefault(key, []).append(value)
    return {
        "method": sent["method"],
        "host": url.netloc,
        "path": url.path,
        "query": {k: sorted(v) if len(v) > 1 else v[0] for k, v in query.items()},
        "header": {
            k.lower(): media_type(v) if k.lower() == "content-type" else v
            for k, v in sent["headers"].items()
            if k.lower() not in IGNORED_HEADERS
        },
        "body": body,
    }


def media_type(value: str) -> str:
    """A Content-Type as compared: its media type; JSON is UTF-8 by definition (RFC 8259 section
    8.1), so a `charset=utf-8` parameter (in any case) says nothing more."""
    kind, _, params = value.partition(";")
    kept = [
        p.strip() for p in params.split(";") if p.strip() and p.strip().lower() != "charset=utf-8"
    ]
    return ";".join([kind.strip().lower(), *kept])


def compare(
    case: str, operation: str, ours: dict[str, Any], theirs: dict[str, Any]
) -> list[Finding]:
    found: list[Finding] = []

    def add(part: str, pointer: str, kind: str, a: Any, b: Any) -> None:
        found.append(Finding(case, Difference(operation, part, pointer, kind), a, b))

    for side, result in (("ours", ours), ("theirs", theirs)):
        # a request one side could not build, or a response it could not read
        for pointer, message in (
            ("build", result.get("build_error")),
            ("exception", (result.get("error") or {}).get("exception")),
        ):
            if message:
                add(
                    "call",
                    pointer,
                    f"only-{side}",
                    *((message, None) if side == "ours" else (None, message)),
                )
    if theirs.get("build_error"):
        return found  # the SDK cannot express the request: nothing else to compare
    a, b = request_view(ours.get("request")), request_view(theirs.get("request"))
    if a is not None and b is not None:
        for part in ("method", "host", "path"):
            if a[part] != b[part]:
                add(part, "", "value", a[part], b[part])
        for part in ("query", "header"):
            for key in sorted(set(a[part]) | set(b[part])):
                if key not in b[part]:
                    add(part, key, "only-ours", a[part][key], None)
                elif key not in a[part]:
                    add(part, key, "only-theirs", None, b[part][key])
                elif a[part][key] != b[part][key]:
                    add(part, key, "value", a[part][key], b[part][key])
        for pointer, kind, x, y in json_differences(a["body"], b["body"]):
            add("body", pointer, kind, x, y)
        for pointer in ours.get("undeclared", ()):
            if present(b["body"], pointer):
                add("body", pointer, "undeclared-ours", None, None)
    ours_error, theirs_error = ours.get("error"), theirs.get("error")
    if "exception" not in (ours_error or {}) and "exception" not in (theirs_error or {}):
        if ours_error or theirs_error:
            for pointer, kind, x, y in json_differences(ours_error or {}, theirs_error or {}):
                add("error", pointer, kind, x, y)
        else:
            for pointer, kind, x, y in json_differences(ours.get("reading"), theirs.get("reading")):
                add("reading", pointer, kind, x, y)
    return found


def json_differences(a: Any, b: Any, pointer: str = "") -> list[tuple[str, str, Any, Any]]:
    """(pointer with `*` for indices, kind, ours, theirs) wherever two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in list(a) + [k for k in b if k not in a]:
            where = f"{pointer}/{escape(key)}"
            if key not in b:
                out.append((where, "only-ours", a[key], None))
            elif key not in a:
                out.append((where, "only-theirs", None, b[key]))
            else:
                out += json_differences(a[key], b[key], where)
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = []
        for i in range(max(len(a), len(b))):
            where = f"{pointer}/*"
            if i >= len(b):
                out.append((where, "only-ours", a[i], None))
            elif i >= len(a):
                out.append((where, "only-theirs", None, b[i]))
            else:
                out += json_differences(a[i], b[i], where)
        return out
    if same(a, b):
        return []
    if a is None:
        return [(pointer, "only-theirs", a, b)]
    if b is None:
        return [(pointer, "only-ours", a, b)]
    return [(pointer, "value", a, b)]


def present(value: Any, pointer: str) -> bool:
    """Does `pointer` (with `*` for any index) reach a value in `value`?"""
    if not pointer:
        return True
    head, _, rest = pointer[1:].partition("/")
    rest = "/" + rest if rest else ""
    if head == "*" and isinstance(value, list):
        return any(present(item, rest) for item in value)
    key = head.replace("~1", "/").replace("~0", "~")
    return isinstance(value, dict) and key in value and present(value[key], rest)


def same(a: Any, b: Any) -> bool:
    number = (int, float)
    if (
        isinstance(a, number)
        and isinstance(b, number)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return a == b
    return type(a) is type(b) and a == b


def escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")
