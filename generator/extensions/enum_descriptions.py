"""`x-enumDescriptions` (any schema with an `enum`): the documented meaning of each value.

The key is the one Redocly, Scalar, GitBook and Zudoku render as a table of values and meanings.
Here it gives waiters the words their progress shows (a cluster `creating`, not `100`). Each
label restates the meaning the schema's `description` gives the value, so the two cannot drift:
a label that the description does not contain is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..context import SpecContext
from ..problems import pointer
from .contract import Extension

KEY = "x-enumDescriptions"


@dataclass(frozen=True)
class EnumLabels:
    """Every checked map, by the schema object that holds it.

    Keyed by the identity of the loaded schema node: readers reach the same node through
    `Document.schema_at`, and the loaded spec is not copied while it is read.
    """

    by_node: dict[int, tuple[tuple[str, str], ...]]

    def labels(self, schema: Any) -> tuple[tuple[str, str], ...]:
        """(value, meaning) of each enum value of `schema`, in the enum's order; () when none."""
        return self.by_node.get(id(schema), ())


def read(spec: SpecContext) -> EnumLabels:
    found: dict[int, tuple[tuple[str, str], ...]] = {}
    for ptr, schema in _holders(spec.data, ""):
        labels = _check(spec, ptr, schema)
        if labels:
            found[id(schema)] = labels
    return EnumLabels(found)


def _holders(node: Any, ptr: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping holding the key, with its pointer (examples are data, not schemas)."""
    if isinstance(node, dict):
        if KEY in node:
            yield ptr, node
        for key, value in node.items():
            if key not in ("example", "examples", KEY):
                yield from _holders(value, ptr + pointer(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _holders(value, ptr + pointer(i))


def _check(spec: SpecContext, ptr: str, schema: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    where = ptr + pointer(KEY)
    before = len(spec.problems)
    described = schema[KEY]
    enum = schema.get("enum")
    if not isinstance(enum, list) or not enum:
        spec.report(where, f"{KEY} describes the values of an enum; this schema has none")
        return ()
    if not isinstance(described, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in described.items()
    ):
        spec.report(where, f"{KEY} maps each enum value to a non-empty description")
        return ()
    values = [str(v) for v in enum]
    for key in described:
        if key not in values:
            spec.report(where + pointer(key), f"{key!r} is not a value of the enum ({', '.join(values)})")
    missing = [v for v in values if v not in described]
    if missing:
        spec.report(where, f"value(s) {', '.join(missing)} have no description (every value needs one)")
    text = " ".join(str(schema.get("description") or "").split()).lower()
    for key, label in described.items():
        if text and " ".join(label.split()).lower() not in text:
            spec.report(where + pointer(key),
                        f"{label!r} is not the meaning the description gives {key!r}")
    if len(spec.problems) > before:
        return ()
    return tuple((v, " ".join(described[v].split())) for v in values)


def of(spec: SpecContext) -> EnumLabels:
    return spec.facts(EXTENSION)


EXTENSION = Extension("enum_descriptions", (KEY,), read)
