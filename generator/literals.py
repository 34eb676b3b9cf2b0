"""Python source for plain values, written as black writes them (double-quoted strings)."""

from __future__ import annotations

import json
from typing import Any


def py_literal(value: Any) -> str:
    """Source of a str, number, bool, None, or a tuple of those (nested tuples too)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def docstring_safe(line: str) -> str:
    """A line of text as it can stand inside a triple-quoted docstring, and read back the same."""
    return line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
