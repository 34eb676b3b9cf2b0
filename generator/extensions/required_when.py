"""`x-required-when`: the condition under which an optional field is required (spec/README.md).

It stands on a schema property (keys: sibling properties, values compared as JSON) or on a
parameter of a catalogue extension, which reads it through `condition` with its own key space
(values compared as the wire's strings). Anywhere else it is reported as misplaced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..context import SpecContext
from ..problems import escape, unescape
from .contract import Extension

KEY = "x-required-when"
PLACES = "a schema property or a catalogue parameter (x-cdm-parameters, x-dlf-node-types)"

Condition = tuple[tuple[str, tuple[Any, ...]], ...]  # (key, values): every key holds one of them


@dataclass(frozen=True)
class Unknown:
    """What a key space says of a key it does not have."""

    message: str


# key -> its documented values (None: any), or Unknown
KeySpace = Callable[[str], "list[Any] | None | Unknown"]


@dataclass(frozen=True)
class Conditions:
    on_properties: dict[str, Condition] = field(default_factory=dict)  # by the property's pointer


def read(spec: SpecContext) -> Conditions:
    """The conditions on schema properties; those catalogues read are theirs (`spec.claimed`)."""
    found: dict[str, Condition] = {}
    for ptr, holder in _holders(spec.data, "", KEY):
        where = f"{ptr}/{KEY}"
        if ptr in spec.claimed:
            continue
        parent_ptr, _, token = ptr.rpartition("/properties/")
        parent = spec.doc.resolve(parent_ptr) if token and "/" not in token else None
        if not isinstance(parent, dict) or not isinstance(parent.get("properties"), dict):
            spec.report(where, f"{KEY} belongs on {PLACES}")
            continue
        wire = unescape(token)
        if wire in (parent.get("required") or []):
            spec.report(where, f"{wire!r} carries {KEY}, so it is not listed in `required`")
        siblings = spec.doc.properties(parent)

        def sibling(key: str, wire: str = wire, siblings: dict[str, Any] = siblings) -> Any:
            if key == wire or key not in siblings:
                return Unknown(f"condition key {key!r} is not a sibling property of {wire!r}")
            return (spec.doc.deref(siblings[key]) or {}).get("enum")

        condition = _condition(spec, where, holder[KEY], sibling, as_text=False)
        if condition is not None:
            found[ptr] = condition
    return Conditions(found)


def condition(
    spec: SpecContext, ptr: str, param: dict[str, Any], keys: Callable[[], KeySpace]
) -> Condition | None:
    """The condition on a catalogue parameter at `ptr` (None: it has none, or it is wrong);
    `keys()` gives what its keys may name (asked only when there is a condition)."""
    if KEY not in param:
        return None
    spec.claimed.add(ptr)
    where = f"{ptr}/{KEY}"
    before = len(spec.problems)
    if param.get("required") is not False:
        spec.report(where, f"a parameter with {KEY} has `required: false`")
    found = _condition(spec, where, param[KEY], keys(), as_text=True)
    return found if len(spec.problems) == before else None


def describe(condition: Condition) -> str:
    """`key` is `a` or `b` and `other` is `c`, for docstrings."""
    return " and ".join(
        f"`{key}` is {' or '.join(f'`{v}`' for v in values)}" for key, values in condition
    )


def _condition(
    spec: SpecContext, where: str, raw: Any, keys: KeySpace, *, as_text: bool
) -> Condition | None:
    """A well-formed condition whose keys the key space knows and whose values it documents."""
    if not isinstance(raw, dict) or not raw:
        spec.report(where, f"{KEY} must be a non-empty mapping of a key to the list of "
                           "values under which the field is required")
        return None
    before = len(spec.problems)
    items = []
    for key, values in raw.items():
        kptr = f"{where}/{escape(str(key))}"
        if not isinstance(key, str) or not key:
            spec.report(kptr, f"condition key {key!r} must be a non-empty string")
        elif not isinstance(values, list) or not values:
            spec.report(kptr, f"condition {key!r} needs a non-empty list of values")
        elif any(v is None or isinstance(v, (dict, list)) for v in values):
            spec.report(kptr, f"condition {key!r}: values must be scalars (strings, numbers, booleans)")
        else:
            _check_key(spec, kptr, key, values, keys(key), as_text=as_text)
            items.append((key, tuple(values)))
    return tuple(items) if len(spec.problems) == before else None


def _check_key(
    spec: SpecContext, kptr: str, key: str, values: list[Any], known: Any, *, as_text: bool
) -> None:
    if isinstance(known, Unknown):
        spec.report(kptr, known.message)
        return
    bad = [v for v in values if not isinstance(v, str)]
    if as_text and bad:
        spec.report(kptr, f"catalogue values are compared as wire strings: quote {bad[0]!r}")
        return
    if not isinstance(known, list):
        return
    allowed = [str(v) if as_text else v for v in known]
    for value in values:
        if value not in allowed:
            spec.report(kptr, f"condition {key!r}: {value!r} is not one of its values "
                              f"({', '.join(map(str, allowed))})")


def _holders(node: Any, ptr: str, key: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that has `key`, vendor extensions included, with its pointer."""
    if isinstance(node, dict):
        if key in node:
            yield ptr, node
        for name, value in node.items():
            if name != key:
                yield from _holders(value, f"{ptr}/{escape(str(name))}", key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _holders(value, f"{ptr}/{i}", key)


def of(spec: SpecContext) -> Conditions:
    return spec.facts(EXTENSION)


EXTENSION = Extension("required_when", (KEY,), read)
