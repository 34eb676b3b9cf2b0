"""What the parameter-catalogue extensions share: reading a list of named, typed parameters, and
the typed classes generated from it (template `typed_classes.jinja`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from . import naming
from .context import SpecContext
from .extensions import required_when
from .extensions.required_when import Condition, KeySpace
from .problems import pointer
from .text import one_line

TYPES = frozenset({"string", "boolean", "integer", "number", "map", "array", "object", "file-content"})
# Attributes of the runtime base classes a parameter's field must not shadow.
RESERVED = naming.MODEL_RESERVED | {
    "undocumented", "check", "wire_inputs", "to_config_values", "from_config_values",
    "to_properties", "from_properties", "node_type",
}
SIMPLE_TYPES = {"string": "str", "boolean": "bool", "integer": "int", "number": "float"}
# Maps and objects travel as JSON text: a dict, or the text itself when it is not JSON.
STRUCTURED_TYPES = {"map": "dict[str, str] | str", "object": "dict[str, str] | str",
                    "array": "list[str] | str"}


@dataclass(frozen=True)
class TypedField:
    """A field of a typed class: one documented name of a name/value list, and its rules."""

    name: str  # Python attribute
    wire: str  # the name on the wire (the field's alias)
    type: str  # e.g. "str | None", 'Literal["A", "B"] | str'
    has_default: bool  # False: the caller must give it
    default: Any  # the table's default (a literal), when has_default
    doc: str
    kind: str  # the catalogue type: "string", "boolean", ..., "file-content"
    required: bool
    enum: tuple[str, ...]
    secret: bool
    condition: Condition | None  # x-required-when


@dataclass(frozen=True)
class Section:
    """Where a CDM connector section sits in the catalogue and the reference (its SECTION)."""

    place: str  # "link-config-values", ...
    key: str
    number: str  # the reference's section number, e.g. "5.4.1.2"
    title: str
    connectors: tuple[str, ...]
    example_only: tuple[str, ...]


@dataclass(frozen=True)
class TypedClass:
    """A typed view of one catalogue entry: a CDM connector section, or a DLF node type."""

    name: str
    group: str  # what it configures: a CDM place ("link-config-values", ...) or "node-type"; the
    # template names the runtime base class of each
    key: str  # its key in the registry: the section key or the node type
    doc: str  # paragraphs, unwrapped
    section: Section | None  # a CDM section; None: a node type (its key is NODE_TYPE)
    fields: tuple[TypedField, ...]


@dataclass(frozen=True)
class Registry:
    """A module-level mapping from catalogue key to typed class, e.g. LINK_CONFIGS."""

    name: str
    group: str  # as TypedClass.group: the registry maps to that group's base class
    value_class: str | None  # ... or, when its one entry is a class of its own, to that class
    doc: str
    entries: tuple[tuple[str, str], ...]  # (key, class name)


def find(spec: SpecContext, key: str) -> tuple[str, str, dict[str, Any]] | None:
    """(schema name, pointer, mapping) of the catalogue `key`: one component schema carries it,
    a non-empty mapping (None: no schema does, or it is wrong, and reported)."""
    holders = [name for name, s in spec.schemas.items() if isinstance(s, dict) and key in s]
    for extra in holders[1:]:
        spec.report(pointer("components", "schemas", extra, key),
                    f"{key} is already on {holders[0]}: one catalogue per spec")
    if not holders:
        return None
    ptr = pointer("components", "schemas", holders[0], key)
    catalogue = spec.schemas[holders[0]][key]
    if not isinstance(catalogue, dict) or not catalogue:
        spec.report(ptr, f"{key} must be a non-empty mapping")
        return None
    return holders[0], ptr, catalogue


def documented_values(target: dict[str, Any]) -> list[Any] | None:
    """What a condition may compare a parameter or property with: its enum, a boolean's two
    wire spellings, or None (any value)."""
    return ["true", "false"] if target.get("type") == "boolean" else target.get("enum")


def read_parameters(
    spec: SpecContext, lptr: str, params: Any, keys: Callable[[str], KeySpace], *,
    strip_group: bool,
) -> tuple[TypedField, ...] | None:
    """The typed fields of one entry's parameter list at `lptr` (None: something is wrong).

    `keys(name)` is what a condition (x-required-when) of the parameter `name` may name.
    """
    if not isinstance(params, list):
        spec.report(lptr, "a catalogue entry needs a list of parameters")
        return None
    before = len(spec.problems)
    for i, param in enumerate(params):
        if not isinstance(param, dict) or not isinstance(param.get("name"), str) or not (
            param.get("type") in TYPES and isinstance(param.get("required"), bool)
        ):
            spec.report(f"{lptr}/{i}", f"a catalogue parameter has a `name`, a `type` (one of "
                                       f"{', '.join(sorted(TYPES))}) and `required`")
    named = [p["name"] for p in params if isinstance(p, dict) and isinstance(p.get("name"), str)]
    fields = field_names(named, strip_group=strip_group)
    seen: dict[str, str] = {}
    for i, wire in enumerate(named):
        if wire in seen.values() or fields[wire] in seen:
            other = seen.get(fields[wire], wire)
            spec.report(f"{lptr}/{i}", f"{wire!r} repeats {other!r} (Python field {fields[wire]!r})")
        seen[fields[wire]] = wire
    conditions = {
        i: required_when.condition(spec, f"{lptr}/{i}", param, partial(keys, str(param.get("name"))))
        for i, param in enumerate(params) if isinstance(param, dict)
    }
    if len(spec.problems) > before:
        return None
    return tuple(_field(p, fields[p["name"]], conditions[i]) for i, p in enumerate(params))


def by_name(parameters: Any) -> dict[str, dict[str, Any]]:
    """A raw parameter list's well-named entries, by name (for key spaces)."""
    return {p["name"]: p for p in parameters or () if isinstance(p, dict) and isinstance(p.get("name"), str)}


def field_names(wire_names: list[str], *, strip_group: bool) -> dict[str, str]:
    """Python attribute per wire name: `linkConfig.hiveVersion` -> `hive_version`. A name that
    would repeat another keeps its group (`dialect_identifier_enclose`); reserved ones get `_`."""
    def base(wire: str) -> str:
        return wire.partition(".")[2] if strip_group and "." in wire else wire

    short = [naming.field_name(base(w)) for w in wire_names]
    names = {}
    for wire, name in zip(wire_names, short, strict=True):
        if short.count(name) > 1:
            name = naming.field_name(wire)
        names[wire] = name + "_" if name in RESERVED else name
    return names


def _field(param: dict[str, Any], name: str, condition: Condition | None) -> TypedField:
    kind = param.get("type", "string")
    enum = tuple(str(v) for v in param.get("enum") or ())
    secret = bool(param.get("secret"))
    if secret or kind == "file-content":
        annotation = "SecretStr"
    elif enum and kind == "string":
        annotation = f"Literal[{', '.join(json.dumps(v, ensure_ascii=False) for v in enum)}] | str"
    else:
        annotation = SIMPLE_TYPES.get(kind) or STRUCTURED_TYPES.get(kind, "str")
    required = bool(param.get("required"))
    has_default, default = True, None
    if required and not condition:
        has_default, default = _default(param, kind)  # none usable: the caller must give it
    else:
        annotation = f"{annotation} | None"
    return TypedField(name, param["name"], annotation, has_default, default,
                      _doc(param, condition), kind, required, enum, secret, condition)


def _default(param: dict[str, Any], kind: str) -> tuple[bool, Any]:
    """The table's default, for a required parameter: (False, None) when it has no usable one."""
    text = param.get("default")
    if text is None or param.get("secret"):
        return False, None
    if kind == "boolean" and str(text).lower() in ("true", "false"):
        return True, str(text).lower() == "true"
    if kind == "integer" and str(text).lstrip("-").isdigit():
        return True, int(text)
    if kind == "string":
        return True, str(text)
    return False, None


def _doc(param: dict[str, Any], condition: Condition | None) -> str:
    parts = [one_line(param.get("description", "")).rstrip(".") + "."]
    if condition:
        parts.append(f"Required when {required_when.describe(condition)}.")
    elif param.get("required"):
        parts.append("Required.")
    if "default" in param:
        parts.append(f"Default `{param['default']}`.")
    if "example" in param:
        parts.append(f"Example `{param['example']}`.")
    parts.append(f"Wire name `{param['name']}`.")
    return " ".join(parts)
