"""Printing results: JSON with the wire names (the default), or a table for people; secrets
redacted, `--query` applied to either.

A table shows a list (or a page holding one) as rows, even of one item, and its header when it
is empty; anything else as field and value. Cells are for reading: times in local ISO time (the
spec says which fields are times, `shapes.py`), nested lists summarised with their count, nested
objects and CDM config values flat (`linkConfig.host=10.0.0.1`, decoded).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import unquote

import click

from .._runtime.configs import from_config_values
from .._runtime.models import redact_plain

if TYPE_CHECKING:
    from .shapes import Shape

CELL_LIMIT = 60  # characters of a cell in a table of rows; the JSON output has everything
FIELD_LIMIT = 400  # characters of a value in a table of fields
LABELS = ("name", "id")  # what names an item of a nested list, when it has one


class Query(Protocol):
    """A compiled `--query` (a JMESPath expression)."""

    def search(self, value: Any) -> Any: ...


def plain(value: Any) -> Any:
    """A result as JSON data with the wire names (models dumped as the server sent them)."""
    if isinstance(value, list):
        return [plain(item) for item in value]
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        return dump(mode="json", by_alias=True, exclude_unset=True)
    return value


def emit(data: Any, output: str, *, query: Query | None = None, shape: Shape | None = None) -> None:
    """Print `data` (nothing for None) on standard output, as `output` ("json" or "table").

    `shape` (the answer's schema) gives a table its times and an empty list its header; the
    query applies after the times are made local, so a table shows them local either way.
    """
    if data is None:
        return
    data = redact_plain(data)
    if output == "table" and shape is not None:
        data = shape.localize(data)
    if query is not None:
        data = query.search(data)
        shape = None  # the selection no longer has the answer's schema
    if output == "table":
        if data is not None:
            _table(data, shape)
    else:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _table(data: Any, shape: Shape | None) -> None:
    rows = _rows(data)
    if rows is not None:
        columns = [
            c
            for c in dict.fromkeys(k for row in rows for k in row)
            if any(_cell(r.get(c)) for r in rows)
        ]
        if not rows and shape is not None:
            columns = shape.columns(data)
        if columns:
            lines = [columns, *([_cell(row.get(c)) for c in columns] for row in rows)]
            click.echo("\n".join(_aligned(lines, CELL_LIMIT)))
    elif isinstance(data, list):  # values, e.g. from --query 'clusters[].name': one a line
        for value in data:
            click.echo(_cut(_cell(value), FIELD_LIMIT))
    elif isinstance(data, dict):
        inputs = _config_inputs(data)  # CDM config values alone, e.g. from --query
        pairs = [[k, _cell(v)] for k, v in inputs.items()] if inputs is not None else _fields(data)
        lines = [["field", "value"], *pairs]
        click.echo("\n".join(_aligned(lines, FIELD_LIMIT)))
    else:
        click.echo(_cell(data))


def _aligned(lines: list[list[str]], limit: int) -> list[str]:
    """Columns padded to their widest cell (cells longer than `limit` are cut), a rule below
    the header."""
    cut = [[_cut(c, limit) for c in line] for line in lines]
    widths = [max(len(line[i]) for line in cut) for i in range(len(cut[0]))]
    out = [
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in cut
    ]
    return [out[0], "  ".join("-" * w for w in widths), *out[1:]]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rows(data: Any) -> list[dict[str, Any]] | None:
    """The objects of a list, or of a page: one list of objects beside a few scalars (a total)."""
    if isinstance(data, list):
        return data if all(isinstance(row, dict) for row in data) else None
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


def _fields(data: dict[str, Any], prefix: str = "") -> Iterator[list[str]]:
    """Field and value lines of an object: nested objects as dotted fields, CDM config values
    as one line per input (`linkConfig.host`)."""
    for key, value in data.items():
        inputs = _config_inputs(value)
        if inputs is not None:
            yield from ([name, _cell(v)] for name, v in inputs.items())
        elif isinstance(value, dict) and value:
            yield from _fields(value, f"{prefix}{key}.")
        else:
            yield [f"{prefix}{key}", _cell(value)]


def _cell(value: Any) -> str:
    """A value on one line: lists summarised, objects and CDM configs as `name=value` pairs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return " ".join(value.splitlines())
    if isinstance(value, list):
        if all(_scalar(item) for item in value):
            return ", ".join(_cell(item) for item in value)
        labels = [_label(item) for item in value]
        named = [label for label in labels if label]
        return f"{len(value)}: {', '.join(named)}" if named else f"{len(value)} items"
    if isinstance(value, dict):
        inputs = _config_inputs(value)
        pairs = inputs.items() if inputs is not None else ((n, v) for n, v in _fields(value))
        return ", ".join(f"{name}={_cell(v)}" for name, v in pairs)
    return json.dumps(value, ensure_ascii=False)


def _label(item: Any) -> str:
    if not isinstance(item, dict):
        return _cell(item)
    for key in LABELS:
        if _scalar(item.get(key)) and item.get(key) is not None:
            return _cell(item[key])
    return next((_cell(v) for v in item.values() if _scalar(v) and v is not None), "")


def _config_inputs(value: Any) -> dict[str, Any] | None:
    """The inputs of CDM config values (`{"configs": [{"inputs": [{"name", "value"}]}]}`) as
    one flat mapping, values decoded (the service answers them percent-encoded); None for any
    other value."""
    if not (isinstance(value, dict) and isinstance(value.get("configs"), list)):
        return None
    configs = value["configs"]
    if not all(isinstance(c, dict) and isinstance(c.get("inputs", []), list) for c in configs):
        return None
    flat = from_config_values(value)
    return {name: unquote(v) if isinstance(v, str) else v for name, v in flat.items()}


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
