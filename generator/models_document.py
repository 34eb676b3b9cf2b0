"""What the models step starts from: the schemas as datamodel-code-generator should see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import naming
from .ir import Models

# Not carried into the models: examples, and validation limits. The server is the authority on
# limits (and its responses break them: retryTimes 0 where the table says 1-100), while a model
# that rejects a response is worse than useless. The spec keeps them for readers.
_DROPPED_KEYS = frozenset({
    "example", "examples", "externalDocs", "xml", "minLength", "maxLength", "pattern", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "uniqueItems",
    "multipleOf", "minProperties", "maxProperties",
})
_DATA_KEYS = frozenset({"enum", "default", "required", "const"})  # values, not schemas


def models_input(
    info: dict[str, Any], schemas: dict[str, Any], type_aliases: dict[str, str]
) -> Models:
    """Components only, enums opened, vendor extensions and limits dropped; aliases for the
    wire names that are not usable Python names."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": info.get("title", ""), "version": str(info.get("version", ""))},
        "paths": {},
        "components": {"schemas": {name: _open_enums(s) for name, s in schemas.items()}},
    }
    return Models(document, field_aliases(schemas), tuple(sorted(type_aliases.items())))


def field_aliases(schemas: dict[str, Any]) -> dict[str, str]:
    """wire name -> Python name for every property whose wire name is not a usable Python name."""
    aliases: dict[str, str] = {}
    for schema in schemas.values():
        for wire in _property_names(schema):
            py = naming.field_name(wire)
            if py != wire:
                aliases[wire] = py
    return dict(sorted(aliases.items()))


def _property_names(node: Any) -> list[str]:
    names: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-"):
                continue
            if key == "properties" and isinstance(value, dict):
                names.extend(str(k) for k in value)
                for sub in value.values():
                    names.extend(_property_names(sub))
            else:
                names.extend(_property_names(value))
    elif isinstance(node, list):
        for value in node:
            names.extend(_property_names(value))
    return names


def _map_schema(node: Any, fn: Callable[[dict[str, Any]], dict[str, Any]]) -> Any:
    """Apply `fn` to every schema object below `node`, leaving property names and data alone."""
    if isinstance(node, list):
        return [_map_schema(v, fn) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED_KEYS or str(key).startswith("x-"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _map_schema(sub, fn) for name, sub in value.items()}
        elif key in _DATA_KEYS:
            out[key] = value
        else:
            out[key] = _map_schema(value, fn)
    return fn(out)


def _open_enums(node: Any) -> Any:
    """`enum: [A, B]` becomes `anyOf: [{enum: [A, B]}, {type}]`, so unknown values still parse."""
    return _map_schema(node, _open_enum)


def _open_enum(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" not in schema or schema.get("type") not in ("string", "integer", "number"):
        return schema
    closed = {"type": schema["type"], "enum": schema.pop("enum")}
    open_ = {"type": schema.pop("type")}
    if "format" in schema:
        open_["format"] = schema.pop("format")
    schema["anyOf"] = [closed, open_]
    return schema
