"""How the templates lay code out: docstring wrapping, line fitting, literals, name order (Jinja filters)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from .ir import Argument, Doc, Service
from .line_split import LINE_LENGTH
from .naming import isort_key
from .text import docstring_safe, wrap

DOC_WIDTH = 88  # the column a generated docstring's text ends by
ENTRY_INDENT, ENTRY_HANGING = "    ", "        "  # a docstring section's entries
_ESCAPE_UNITS = re.compile(r"\\u[0-9a-fA-F]{4}|\\.|[^\\]")  # of a JSON string's body


def docstring(value: Doc | str | Sequence[str], indent: int) -> str:
    """A docstring's text for a `\"\"\"` at `indent` columns: wrapped to end by DOC_WIDTH, every
    line but the first indented, blank lines empty."""
    lines = doc_lines(value, DOC_WIDTH - indent) if isinstance(value, (Doc, str)) else value
    pad = " " * indent
    return "\n".join(line if i == 0 or not line else pad + line for i, line in enumerate(lines))


@cache  # the sync and async methods share their docstrings
def doc_lines(value: Doc | str, width: int) -> tuple[str, ...]:
    """The lines of a docstring whose text is `width` columns wide."""
    if isinstance(value, str):
        return tuple(wrap(value, width))
    lines = [docstring_safe(value.summary)]
    for paragraph in value.paragraphs:
        lines += ["", *wrap(paragraph, width)]
    for section in value.sections:
        lines += ["", f"{section.title}:"]
        for entry in section.entries:
            if section.wrapped:  # the entry's own indent counts: it ends 4 columns earlier
                lines += wrap(entry, width - len(ENTRY_INDENT), ENTRY_INDENT, ENTRY_HANGING)
            else:
                lines.append(ENTRY_INDENT + docstring_safe(entry))
    return tuple(lines)


def fits(line: str, indent: int) -> bool:
    """Whether `line` at `indent` columns stays within black's line length."""
    return indent + len(line) <= LINE_LENGTH


def parameter(arg: Argument, indent: int) -> str:
    """`name: type = default,` in a signature at `indent`; where that line would not fit, the
    type is spelled by its alias (`arg.type_name`, which the module defines: see `aliased`)."""
    default = f" = {arg.default}" if arg.default is not None else ""
    if not aliased(arg, indent):
        return f"{arg.python_name}: {arg.annotation}{default},"
    optional = " | None" if arg.annotation.endswith(" | None") else ""
    return f"{arg.python_name}: {arg.type_name}{optional}{default},"


def aliased(arg: Argument, indent: int) -> bool:
    """Whether the argument's signature line at `indent` is too long for its annotation."""
    default = f" = {arg.default}" if arg.default is not None else ""
    return not fits(f"{arg.python_name}: {arg.annotation}{default},", indent)


def by_location(arguments: Iterable[Argument], *locations: str) -> list[tuple[str, list[Argument]]]:
    """(location, its arguments) for each of `locations` that has some, in that order."""
    found = [(where, [a for a in arguments if a.location == where]) for where in locations]
    return [(where, args) for where, args in found if args]


def py_literal(value: Any) -> str:
    """Source of a str, number, bool, None, or a tuple or dict of those (nested too), as black
    writes it (double-quoted strings)."""
    if isinstance(value, str):
        quoted = json.dumps(value, ensure_ascii=False)
        if value.count('"') <= value.count("'"):
            return quoted
        # black's choice: single quotes where they take fewer backslashes
        units = _ESCAPE_UNITS.findall(quoted[1:-1])
        return "'" + "".join('"' if u == '\\"' else "\\'" if u == "'" else u for u in units) + "'"
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def import_order(names: Iterable[str]) -> list[str]:
    """Names as `from x import ...` lists them (ruff's isort): CONSTANTS, Classes, functions."""
    return sorted(names, key=isort_key)


def export_order(names: Iterable[str]) -> list[str]:
    """Names as `__all__` lists them (ruff): by kind, case-sensitively within each."""
    return sorted(names, key=lambda name: isort_key(name)[::2])


def package_exports(
    services: Iterable[Service], modules: dict[str, Iterable[str]]
) -> list[tuple[str, str]]:
    """(name, module) of each public name of the package, as `__all__` lists them: the
    services' clients and the names of `modules` (by module, relative to `dataarts`)."""
    found = {name: f".{s.name}" for s in services
             for name in (f"{s.client_stem}Client", f"Async{s.client_stem}Client")}
    found |= {name: module for module, names in modules.items() for name in names}
    return [(name, found[name]) for name in export_order(found)]


def by_module(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """(module, its names in import order), by module, from (name, module) pairs."""
    grouped: dict[str, list[str]] = {}
    for name, module in pairs:
        grouped.setdefault(module, []).append(name)
    return sorted((module, import_order(names)) for module, names in grouped.items())


FILTERS = {"docstring": docstring, "py": py_literal, "import_order": import_order,
           "parameter": parameter, "by_location": by_location,
           "export_order": export_order, "package_exports": package_exports, "by_module": by_module}
TESTS = {"fitting": fits, "aliased": aliased}
