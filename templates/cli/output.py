"""Printing results: JSON with the wire names (the default), or a table; secrets redacted."""

from __future__ import annotations

import json
from typing import Any

import click

from .._runtime.models import redact_plain


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
    """A list of objects (or an object holding one list of objects) as rows; else field/value."""
    from rich.console import Console
    from rich.table import Table

    rows = _rows(data)
    table = Table(show_lines=False)
    if rows is not None:
        columns = list(dict.fromkeys(k for row in rows for k, v in row.items() if _scalar(v)))
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(row.get(column)) for column in columns))
    else:
        table.add_column("field")
        table.add_column("value", overflow="fold")
        for key, value in (data.items() if isinstance(data, dict) else [("value", data)]):
            table.add_row(str(key), _cell(value))
    Console(soft_wrap=False).print(table)


def _rows(data: Any) -> list[dict[str, Any]] | None:
    if isinstance(data, list) and all(isinstance(row, dict) for row in data):
        return data
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1 and all(isinstance(row, dict) for row in lists[0]):
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
