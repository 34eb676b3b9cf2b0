"""`x-documented-as` and `x-sdk-name` (property, parameter): wire spellings and the Python names.

A property or parameter is keyed by its wire spelling, the one production clients send and read
(issue 19). `x-documented-as` gives the spelling(s) the API documents print instead: a reader
accepts them too, so a document's example still parses into the same attribute, and a writer
never sends them. `x-sdk-name` gives the Python name where the one derived from the wire would be
misspelt or opaque (`isStopingIncrement`, `jname`). Every other spelling's derived Python name
keeps working as a deprecated alias: a model keyword and attribute, or a method keyword.

They stand on a property of a component schema or on a parameter (`components/parameters` or an
operation's own); anywhere else they are reported as misplaced.
"""

from __future__ import annotations

import ast
import json
import keyword
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from .. import naming
from ..context import SpecContext
from ..document import Document
from ..ir import Models, SourceRewrite
from ..problems import escape, unescape
from .contract import Extension

DOCUMENTED = "x-documented-as"
PYTHON = "x-sdk-name"
KEYS = (DOCUMENTED, PYTHON)
PLACES = "a property of a component schema or a parameter"


@dataclass(frozen=True)
class Naming:
    """How one property or parameter is spelt on the wire, in the documents and in Python."""

    ptr: str  # where it is defined
    wire: str
    python: str
    documented: tuple[str, ...] = ()  # also accepted when reading, never sent
    deprecated: tuple[str, ...] = ()  # former Python names, still accepted (with a warning)

    @property
    def renamed(self) -> tuple[tuple[str, str], ...]:
        """(deprecated Python name, Python name) pairs."""
        return tuple((old, self.python) for old in self.deprecated)


@dataclass(frozen=True)
class Names:
    properties: dict[str, tuple[Naming, ...]] = field(default_factory=dict)  # by component schema
    parameters: dict[str, Naming] = field(default_factory=dict)  # by the parameter's definition

    def parameter(self, ptr: str) -> Naming | None:
        return self.parameters.get(ptr)


def read(spec: SpecContext) -> Names:
    properties: dict[str, list[Naming]] = {}
    parameters: dict[str, Naming] = {}
    for ptr, holder in holders(spec.data):
        place = _place(spec, ptr)
        if place is None:
            for key in KEYS:
                if key in holder:
                    spec.report(f"{ptr}/{key}", f"{key} belongs on {PLACES}")
            continue
        kind, wire, schema = place
        found = _naming(spec, ptr, holder, wire, kind)
        if found is None:
            continue
        if kind == "property":
            properties.setdefault(schema, []).append(found)
        else:
            parameters[ptr] = found
    for schema, namings in properties.items():
        _check_schema(spec, schema, namings)
    # an operation's keywords, former ones included, are checked with the others (rules.py)
    return Names({k: tuple(v) for k, v in properties.items()}, parameters)


def holders(node: Any, ptr: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that carries one of the keys, with its pointer (vendor extensions too)."""
    if isinstance(node, dict):
        if any(key in node for key in KEYS):
            yield ptr, node
        for name, value in node.items():
            if name not in KEYS:
                yield from holders(value, f"{ptr}/{escape(str(name))}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from holders(value, f"{ptr}/{i}")


def _place(spec: SpecContext, ptr: str) -> tuple[str, str, str] | None:
    """("property", wire, schema) or ("parameter", wire, "") for an accepted place, else None."""
    tokens = [unescape(t) for t in ptr.split("/")[1:]]
    if len(tokens) == 5 and tokens[:2] == ["components", "schemas"] and tokens[3] == "properties":
        return "property", tokens[4], tokens[2]
    parameter = (
        (len(tokens) == 3 and tokens[:2] == ["components", "parameters"])
        or (len(tokens) == 4 and tokens[0] == "paths" and tokens[2] == "parameters")
        or (len(tokens) == 5 and tokens[0] == "paths" and tokens[3] == "parameters")
    )
    node = spec.doc.resolve(ptr)
    if parameter and isinstance(node, dict) and isinstance(node.get("name"), str):
        return "parameter", node["name"], ""
    return None


def _naming(
    spec: SpecContext, ptr: str, holder: dict[str, Any], wire: str, kind: str
) -> Naming | None:
    before = len(spec.problems)
    derived = naming.field_name if kind == "property" else naming.argument_name
    reserved = naming.MODEL_RESERVED if kind == "property" else naming.METHOD_RESERVED
    documented: list[str] = []
    if DOCUMENTED in holder:
        raw = holder[DOCUMENTED]
        listed = raw if isinstance(raw, list) else [raw]
        where = f"{ptr}/{DOCUMENTED}"
        if not listed or not all(isinstance(s, str) and s.strip() for s in listed):
            spec.report(where, f"{DOCUMENTED} is a spelling, or a list of spellings, the "
                               "documents print instead of the wire name")
        elif wire in listed or len(set(listed)) != len(listed):
            spec.report(where, f"{DOCUMENTED} lists other spellings than the wire name "
                               f"{wire!r}, each once")
        else:
            documented = list(listed)
    python = derived(wire)
    if PYTHON in holder:
        raw = holder[PYTHON]
        where = f"{ptr}/{PYTHON}"
        if not isinstance(raw, str) or not naming.is_snake_identifier(raw) or keyword.iskeyword(raw):
            spec.report(where, f"{PYTHON} is a snake_case Python name")
        elif raw in reserved:
            spec.report(where, f"{PYTHON} {raw!r} is a name the SDK reserves")
        elif raw == python:
            spec.report(where, f"{PYTHON} {raw!r} is the name the wire name gives anyway")
        else:
            python = raw
    if len(spec.problems) != before:
        return None
    others = [derived(s) for s in documented] + ([derived(wire)] if python != derived(wire) else [])
    deprecated = tuple(dict.fromkeys(n for n in others if n != python))
    return Naming(ptr, wire, python, tuple(documented), deprecated)


def _check_schema(spec: SpecContext, schema: str, namings: list[Naming]) -> None:
    """A schema's Python names (and deprecated ones) and accepted spellings are its own."""
    props = (spec.schemas.get(schema) or {}).get("properties") or {}
    renamed = {n.wire: n for n in namings}
    taken: dict[str, str] = {}  # Python name -> the wire name it belongs to
    for wire in props:
        own = renamed.get(wire)
        for name in (own.python, *own.deprecated) if own else (naming.field_name(wire),):
            if name in taken and taken[name] != wire:
                where = own.ptr if own else f"/components/schemas/{escape(schema)}"
                spec.report(where, f"Python name {name!r} of {wire!r} is also that of "
                                   f"{taken[name]!r} in {schema}")
            taken.setdefault(name, wire)
    for n in namings:
        for spelling in n.documented:
            if spelling in props:
                spec.report(f"{n.ptr}/{DOCUMENTED}", f"{spelling!r} is another property of "
                                                     f"{schema}: reading it would be ambiguous")


def models(names: Names, found: Models) -> Models:
    """Each renamed property: its Python name, the spellings it is read under, its wire name
    when written, and its former names as deprecated accessors."""
    if not names.properties:
        return found
    aliases: dict[str, Any] = dict(found.field_aliases)
    serialization = dict(found.serialization_aliases)
    for schema, namings in names.properties.items():
        for n in namings:
            key = f"{schema}.{n.wire}"
            aliases[key] = [n.python, *n.documented] if n.documented else n.python
            if n.python != n.wire:
                serialization[f"{schema}.{n.python}"] = n.wire
    accessors = tuple(
        (schema, tuple((n.python, n.wire, n.deprecated) for n in namings if n.deprecated))
        for schema, namings in sorted(names.properties.items())
        if any(n.deprecated for n in namings)
    )
    rewrites = found.rewrites
    if accessors:
        rewrites = (*rewrites, SourceRewrite(json.dumps(accessors), partial(_accessors, accessors)))
    return replace(found, field_aliases=aliases, serialization_aliases=serialization,
                   rewrites=rewrites)


Accessors = tuple[tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...]


def _accessors(accessors: Accessors, source: str) -> str:
    """datamodel-code-generator's source with, in each renamed class, the map of the former
    names its constructor and `__setattr__` take (the runtime's `Model`), and a deprecated
    read-only property per former name (a setter would hide the deprecation from mypy)."""
    tree = ast.parse(source)
    lines = source.splitlines()
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    inserts: list[tuple[int, list[str]]] = []
    for schema, fields in accessors:
        node = classes[schema]
        types = {
            stmt.target.id: _field_type(stmt.annotation)
            for stmt in node.body
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
        }
        renamed = {old: python for python, _, olds in fields for old in olds}
        added = ["", f"    _renamed_fields: ClassVar[dict[str, str]] = {renamed!r}"]
        for python, wire, olds in fields:
            for old in olds:
                message = f"{schema}.{old} is deprecated: use {python} (the wire spells it {wire})"
                added += [
                    "",
                    "    @property",
                    f"    @deprecated({message!r})",
                    f"    def {old}(self) -> {types[python]}:",
                    f'        """Deprecated name of `{python}` (setting it works too, warned)."""',
                    f"        return self.{python}",
                ]
        inserts.append((node.end_lineno or node.lineno, added))
    for end, added in sorted(inserts, reverse=True):
        lines[end:end] = added
    imports = ["from typing import ClassVar", "from typing_extensions import deprecated"]
    future = next((i + 1 for i, line in enumerate(lines) if line.startswith("from __future__")), 0)
    lines[future:future] = imports
    return "\n".join(lines) + "\n"


def _field_type(annotation: ast.expr) -> str:
    """The type of a field's annotation, without `Annotated[...]`'s metadata."""
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        inner = annotation.slice
        annotation = inner.elts[0] if isinstance(inner, ast.Tuple) else inner
    return ast.unparse(annotation)


def wire_form(doc: Document, schema: Any, value: Any) -> Any:
    """A copy of `value`, a JSON value of `schema`, with each field given under a documented
    spelling (`x-documented-as` on its property) renamed to the wire's: what a reader makes of
    a document's example, and how the spec's own examples show it. Where the wire's spelling is
    there too, both are kept as they came."""
    schema = doc.deref(schema) or {}
    for key in ("allOf", "oneOf", "anyOf"):  # a union's branches: each renames what it knows
        for part in schema.get(key) or ():
            value = wire_form(doc, part, value)
    if isinstance(value, list):
        items = schema.get("items")
        return [wire_form(doc, items, v) if isinstance(items, dict) else v for v in value]
    if not isinstance(value, dict):
        return value
    properties = doc.properties(schema)
    spelt = {spelling: wire for wire, prop in properties.items() if isinstance(prop, dict)
             for spelling in _listed(prop.get(DOCUMENTED))}
    out: dict[str, Any] = {}
    for key, item in value.items():
        wire = spelt.get(key, key) if spelt.get(key, key) not in value else key
        out[wire] = wire_form(doc, properties[wire], item) if wire in properties else item
    return out


def _listed(documented: Any) -> list[str]:
    if isinstance(documented, str):
        return [documented]
    return [s for s in documented if isinstance(s, str)] if isinstance(documented, list) else []


def of(spec: SpecContext) -> Names:
    return spec.facts(EXTENSION)


EXTENSION = Extension("names", KEYS, read, models=models)
