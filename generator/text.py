"""Prose from the specs made fit for generated code: one line, wrapped paragraphs, docstring-safe."""

from __future__ import annotations

import textwrap


def one_line(text: object) -> str:
    """`text` with every run of whitespace (newlines included) as one space."""
    return " ".join(str(text).split())


def wrap(text: object, width: int, indent: str = "", subsequent: str | None = None) -> list[str]:
    """Paragraphs (separated by a blank line) wrapped to `width` columns, a blank line between
    them; words are never broken, not even at hyphens. Every line is docstring-safe."""
    paragraphs = [p for p in str(text).replace("\r", "").split("\n\n") if p.strip()]
    lines: list[str] = []
    for i, para in enumerate(paragraphs):
        if i:
            lines.append("")
        lines += textwrap.wrap(
            one_line(para), width, initial_indent=indent if not lines else subsequent or indent,
            subsequent_indent=subsequent if subsequent is not None else indent,
            break_long_words=False, break_on_hyphens=False,
        )
    return [docstring_safe(line) for line in lines]


def docstring_safe(line: str) -> str:
    """A line of text as it can stand inside a triple-quoted docstring, and read back the same."""
    return line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
