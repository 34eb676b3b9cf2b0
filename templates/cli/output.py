"""Printing results: JSON with the wire names (the default), or a table; secrets redacted."""

from __future__ import annotations

import json
from typing import Any

import click

from .._runtime.models import redact_plain

CELL_LIMIT = 60  # characters of a table cell; the JSON output has everything


def plain(value: Any) -> Any:
    """A result as JSON data with the wire names (models dumped as the server sent them)."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def emit(data: Any, output: str) -> None:
    """Print `data` (nothing for None) on standard output."""
    if data is None:
        return
    data = redact_plain(data)
    if output == "table":
        _table(data)
    else:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _table(data: Any) -> None:
    """Rows for a list of objects (a page of them too); field and value for anything else."""
    rows = _rows(data)
    if rows == []:
        return  # no rows, no columns: nothing to show
    if rows is not None and len(rows) == 1:
        data, rows = rows[0], None
    if rows is not None:
        columns = list(dict.fromkeys(k for row in rows for k, v in row.items() if _scalar(v)))
        lines = [columns, *([_cell(row.get(column)) for column in columns] for row in rows)]
    else:
        items = data.items() if isinstance(data, dict) else [("value", data)]
        lines = [["field", "value"], *([str(key), _cell(value)] for key, value in items)]
    click.echo("\n".join(_aligned(lines)))


def _aligned(lines: list[list[str]]) -> list[str]:
    """Columns padded to their widest cell (cells longer than CELL_LIMIT are cut), a rule below
    the header."""
    cut = [
        [c if len(c) <= CELL_LIMIT else c[: CELL_LIMIT - 1] + "…" for c in line] for line in lines
    ]
    widths = [max(len(line[i]) for line in cut) for i in range(len(cut[0]))]
    out = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cut
    ]
    return [out[0], "  ".join("-" * w for w in widths), *out[1:]]


def _rows(data: Any) -> list[dict[str, Any]] | None:
    """The objects of a list, or of a page: one list of objects beside a few scalars (a total)."""
    if isinstance(data, list) and all(isinstance(row, dict) for row in data):
        return data
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        others = [v for v in data.values() if not isinstance(v, list)]
        if (
            len(lists) == 1
            and len(others) <= 3
            and all(_scalar(v) for v in others)
            and all(isinstance(row, dict) for row in lists[0])
        ):
            return lists[0]
    return None


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
