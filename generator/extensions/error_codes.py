"""`x-error-codes` (a component schema): the error codes a service's answers carry, with their meaning.

Each row is a documented code (the service's error-code table, the API gateway's): its status,
message, description and action, and its `meaning` from a closed list (spec/README.md, "Error
codes and their meaning"), which the runtime turns into the exception's class. Generated into
`dataarts.<service>.error_codes` (template `error_codes.py.jinja`), whose `ERROR_CODES` the
runtime attaches to each error the service answers with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..context import SpecContext
from ..draft import ServiceDraft
from ..ir import ServiceModule
from ..problems import pointer
from .contract import Extension

KEY = "x-error-codes"
CONTAINS = "message-contains"
# a row's keys, in this order; `message-contains` is the only optional one
KEYS = ("code", "status", CONTAINS, "meaning", "message", "summary", "description", "action")
# What a code may mean (spec/README.md gives the rule for each); the runtime's MEANING_CLASSES
# has the same keys (tests/runtime/test_error_meanings.py).
MEANINGS = {
    "not-found": "a resource the request names does not exist",
    "already-exists": "a resource with that name or identity already exists",
    "invalid-state": "the resource's current state or kind does not allow the operation",
    "throttled": "too many requests: the call was throttled",
    "quota-exceeded": "a quota or an account limit is used up",
    "unauthenticated": "the credentials (token, AK/SK signature) were not accepted",
    "permission-denied": "the credentials are valid but may not do this",
    "wrong-endpoint": "the host the request went to does not serve this API",
    "invalid-request": "a parameter, header or body is missing or invalid",
    "server-error": "the service or the gateway failed",
    "operation-failed": "a data source, file server or agent the service used failed",
}


@dataclass(frozen=True)
class ErrorCode:
    """A row of the table, as the runtime's DocumentedError holds it."""

    code: str
    status: int
    message: str  # as printed (often Chinese)
    summary: str  # the message in English
    description: str
    action: str
    meaning: str  # a key of MEANINGS
    message_contains: str = ""  # "": the code's row for its status; else a narrower case
    ptr: str = ""  # where the row is written, for problems found across specs


@dataclass(frozen=True)
class DocumentedCode:
    """A code's rows: the first one listed, and its other cases (another status, a message)."""

    first: ErrorCode
    cases: tuple[ErrorCode, ...]


@dataclass(frozen=True)
class ErrorCodes:
    """The module's IR: every row of every schema's table, in order."""

    rows: tuple[ErrorCode, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(row.code for row in self.rows)

    @property
    def documented(self) -> tuple[DocumentedCode, ...]:
        """The rows grouped by code, in the order each code first appears."""
        by_code: dict[str, list[ErrorCode]] = {}
        for row in self.rows:
            by_code.setdefault(row.code, []).append(row)
        return tuple(DocumentedCode(rows[0], tuple(rows[1:])) for rows in by_code.values())


def read(spec: SpecContext) -> ErrorCodes:
    rows: list[ErrorCode] = []
    first_row: dict[tuple[str, int, str], str] = {}
    for name, schema in spec.schemas.items():
        if isinstance(schema, dict) and KEY in schema:
            rows += _rows(spec, pointer("components", "schemas", name, KEY), schema[KEY],
                          first_row)
    return ErrorCodes(tuple(rows))


def _rows(spec: SpecContext, ptr: str, rows: Any,
          first_row: dict[tuple[str, int, str], str]) -> list[ErrorCode]:
    if not isinstance(rows, list):
        spec.report(ptr, f"{KEY} must be a list of rows")
        return []
    found: list[ErrorCode] = []
    codes = {key for key, _, _ in first_row}
    for i, row in enumerate(rows):
        rptr = ptr + pointer(str(i))
        problem = _row_problem(row)
        if problem:
            spec.report(rptr, problem)
            continue
        contains = row.get(CONTAINS, "")
        key = (row["code"], row["status"], contains)
        if key in first_row:
            case = f", status {row['status']}" + (f", {CONTAINS} {contains!r}" if contains else "")
            spec.report(rptr + "/code",
                        f"code {row['code']!r}{case} is listed twice (first at {first_row[key]})")
        elif contains and row["code"] not in codes:
            spec.report(rptr + f"/{CONTAINS}", f"the first row of code {row['code']!r} is its "
                        f"general one: a row with {CONTAINS} narrows a code listed before it")
        else:
            first_row[key] = rptr
            codes.add(row["code"])
            found.append(ErrorCode(
                row["code"], row["status"], row["message"], row["summary"], row["description"],
                row["action"], row["meaning"], contains, rptr,
            ))
    return found


def _row_problem(row: Any) -> str:
    """What is wrong with a row's shape ("" for nothing)."""
    if not isinstance(row, dict) or [k for k in KEYS if k in row] != list(row) or any(
        k not in row for k in KEYS if k != CONTAINS
    ):
        return (f"an error-code row has the keys {', '.join(KEYS)}, in this order "
                f"({CONTAINS} may be left out)")
    if not isinstance(row["status"], int) or not all(
        isinstance(row[k], str) for k in row if k != "status"
    ):
        return "an error-code row's status is an integer and the rest are strings"
    if row["meaning"] not in MEANINGS:
        return f"meaning {row['meaning']!r} is none of {', '.join(MEANINGS)}"
    if CONTAINS in row and not row[CONTAINS].strip():
        return f"{CONTAINS} must not be empty"
    return ""


def across(specs: Sequence[SpecContext]) -> None:
    """A code listed by several specs (the gateway's, DLF's in both Factory documents) says the
    same in each: the same rows, each with the same status, meaning, texts and action."""
    seen: dict[str, tuple[tuple[tuple[Any, ...], ...], str]] = {}
    for spec in specs:
        try:
            documented = of(spec).documented
        except KeyError:  # the spec did not get as far as being read
            continue
        for code in documented:
            rows = tuple(_content(row) for row in (code.first, *code.cases))
            if code.first.code not in seen:
                seen[code.first.code] = (rows, spec.spec.name)
            elif seen[code.first.code][0] != rows:
                spec.report(code.first.ptr + "/code", f"code {code.first.code!r} is listed "
                            f"differently in {seen[code.first.code][1]}: a code means one thing")


def _content(row: ErrorCode) -> tuple[Any, ...]:
    return tuple(getattr(row, f.name) for f in fields(row) if f.name != "ptr")


def build(codes: ErrorCodes, draft: ServiceDraft) -> None:
    if codes.rows:
        draft.error_codes_module = f"dataarts.{draft.name}.error_codes"
        draft.modules.append(ServiceModule("error_codes", "error_codes.py.jinja", codes))


def of(spec: SpecContext) -> ErrorCodes:
    return spec.facts(EXTENSION)


EXTENSION = Extension("error_codes", (KEY,), read, across=across, build=build)
