"""`x-error-codes` (a component schema): the service's documented error-code table, row for row.

Generated into `dataarts.<service>.error_codes` (template `error_codes.py.jinja`), whose
`ERROR_CODES` the runtime attaches to each error the service answers with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..context import SpecContext
from ..draft import ServiceDraft
from ..ir import ServiceModule
from ..problems import pointer
from .contract import Extension

KEY = "x-error-codes"
# a row's keys, in the order of the runtime's DocumentedError fields
FIELDS = ("code", "status", "message", "summary", "description", "action")


@dataclass(frozen=True)
class ErrorCode:
    """A row of the table, as the runtime's DocumentedError holds it."""

    code: str
    status: int
    message: str  # as printed (often Chinese)
    summary: str  # the message in English
    description: str
    action: str


@dataclass(frozen=True)
class ErrorCodes:
    """The module's IR: every row of every schema's table, in order."""

    rows: tuple[ErrorCode, ...]

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(row.code for row in self.rows)


def read(spec: SpecContext) -> ErrorCodes:
    rows: list[ErrorCode] = []
    for name, schema in spec.schemas.items():
        if isinstance(schema, dict) and KEY in schema:
            rows += _rows(spec, pointer("components", "schemas", name, KEY), schema[KEY])
    return ErrorCodes(tuple(rows))


def _rows(spec: SpecContext, ptr: str, rows: Any) -> list[ErrorCode]:
    if not isinstance(rows, list):
        spec.report(ptr, f"{KEY} must be a list of rows")
        return []
    found: list[ErrorCode] = []
    first_row: dict[str, int] = {}
    for i, row in enumerate(rows):
        rptr = ptr + pointer(str(i))
        if not isinstance(row, dict) or list(row) != list(FIELDS):
            spec.report(rptr, f"an error-code row has the keys {', '.join(FIELDS)}, in this order")
        elif not isinstance(row["status"], int) or not all(
            isinstance(row[k], str) for k in FIELDS if k != "status"
        ):
            spec.report(rptr, "an error-code row's status is an integer and the rest are strings")
        elif row["code"] in first_row:
            spec.report(rptr + "/code",
                        f"code {row['code']!r} is listed twice (first in row {first_row[row['code']]})")
        else:
            first_row[row["code"]] = i
            found.append(ErrorCode(**row))
    return found


def build(codes: ErrorCodes, draft: ServiceDraft) -> None:
    if codes.rows:
        draft.error_codes_module = f"dataarts.{draft.name}.error_codes"
        draft.modules.append(ServiceModule("error_codes", "error_codes.py.jinja", codes))


def of(spec: SpecContext) -> ErrorCodes:
    return spec.facts(EXTENSION)


EXTENSION = Extension("error_codes", (KEY,), read, build=build)
