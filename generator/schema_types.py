"""Python type expressions for JSON schemas, naming the classes datamodel-code-generator makes."""

from __future__ import annotations

import json
from typing import Any

from .document import Document

SCHEMA_REF = "#/components/schemas/"
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


class SchemaTypes:
    """Types of one service's schemas, and the model classes they name (for the client's imports).

    An inline body or response schema is lifted into a component of its own (`model_for`), so the
    models document (`schemas`) grows as operations are typed.
    """

    def __init__(self, doc: Document, schemas: dict[str, Any]) -> None:
        self.doc = doc
        self.schemas = dict(schemas)
        self.model_names: set[str] = set()
        self.type_aliases: dict[str, str] = {}  # union component name -> its members

    def model_for(self, schema: dict[str, Any], fallback_name: str) -> str:
        """Python type of a body: its component's class (or union), or the inline schema lifted."""
        if "$ref" not in schema:
            name = fallback_name
            while name in self.schemas:
                name += "Body"
            self.schemas[name] = schema
            schema = {"$ref": SCHEMA_REF + name}
        return self.type_expr(schema)

    def type_expr(self, schema: dict[str, Any]) -> str:
        """A Python type expression for a schema, naming the classes datamodel-codegen makes.

        Object components are classes. Other components (unions, lists) are collapsed by
        datamodel-codegen into the fields that use them, so they are spelled out here too.
        """
        name = schema_name(schema)
        if name is not None:
            target = self.schemas[name]
            if is_object(target):
                self.model_names.add(name)
                return name
            if any(key in target for key in ("oneOf", "anyOf")):
                # datamodel-codegen inlines union components; the models module gets an alias,
                # and the client imports only the alias, not its members
                used = set(self.model_names)
                self.type_aliases[name] = self.type_expr(target)
                self.model_names = used | {name}
                return name
            return self.type_expr(target)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                members = list(dict.fromkeys(self.type_expr(m) for m in schema[key]))
                return " | ".join(members)
        if schema.get("type") == "array":
            return f"list[{self.type_expr(schema.get('items') or {})}]"
        return self.annotation(schema)

    def annotation(self, schema: dict[str, Any]) -> str:
        """The annotation of a parameter's schema: scalars, lists, open enums, else Any."""
        schema = self.doc.deref(schema)
        kind = schema.get("type")
        base = SCALARS.get(kind or "")
        if kind == "array":
            base = f"list[{self.annotation(schema.get('items') or {})}]"
        elif base is None:
            base = "Any"
        if schema.get("enum") and base in ("str", "int"):
            values = ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
            return f"Literal[{values}] | {base}"  # open enum: new server values stay valid
        return base


def schema_name(schema: Any) -> str | None:
    """The component a schema `$ref`s, by name (None: not a component reference)."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref[len(SCHEMA_REF):] if isinstance(ref, str) and ref.startswith(SCHEMA_REF) else None


def is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or "properties" in schema or "allOf" in schema
