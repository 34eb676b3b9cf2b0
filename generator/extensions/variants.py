"""`x-sdk-variants` (operation): one path and method documented as several operations, by body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..context import SpecContext
from ..schema_types import SCHEMA_REF
from .contract import Extension

KEY = "x-sdk-variants"
VARIANT_KEYS = frozenset({"operation-id", "method", "summary", "request-schema", "response-schema",
                          "deprecated"})


@dataclass(frozen=True)
class Variant:
    """One documented operation of a shared path and method."""

    ptr: str
    operation_id: str
    method: str  # the SDK method name
    summary: str | None
    request_schema: str  # component names
    response_schema: str | None  # None: the shared operation's response
    deprecated: bool | None  # None: as the shared operation

    def request(self) -> dict[str, str]:
        return {"$ref": SCHEMA_REF + self.request_schema}

    def response(self) -> dict[str, str] | None:
        return {"$ref": SCHEMA_REF + self.response_schema} if self.response_schema else None


@dataclass(frozen=True)
class Variants:
    by_operation: dict[str, tuple[Variant, ...]] = field(default_factory=dict)  # by op pointer
    declared: frozenset[str] = frozenset()  # pointers of the operations with the key, valid or not


def read(spec: SpecContext) -> Variants:
    found: dict[str, tuple[Variant, ...]] = {}
    declared = set()
    for op in spec.operations:
        if KEY not in op.data:
            continue
        declared.add(op.ptr)
        listed = op.data[KEY]
        variants = [_variant(spec, f"{op.ptr}/{KEY}/{i}", raw)
                    for i, raw in enumerate(listed if isinstance(listed, list) else [])]
        if not any(isinstance(raw, dict) and isinstance(raw.get("method"), str)
                   for raw in (listed if isinstance(listed, list) else [])):
            spec.report(f"{op.ptr}/{KEY}", f"{KEY} must be a non-empty list")
        found[op.ptr] = tuple(v for v in variants if v is not None)
    return Variants(found, frozenset(declared))


def _variant(spec: SpecContext, vptr: str, raw: Any) -> Variant | None:
    if not isinstance(raw, dict):
        spec.report(vptr, "variant must be a mapping")
        return None
    ok = True
    for key in sorted(set(raw) - VARIANT_KEYS):
        spec.report(f"{vptr}/{key}", f"unknown variant key {key!r}")
        ok = False
    for key in ("operation-id", "method", "request-schema"):
        if not isinstance(raw.get(key), str):
            spec.report(vptr, f"variant needs {key}")
            ok = False
    for key in ("request-schema", "response-schema"):
        name = raw.get(key)
        if isinstance(name, str) and name not in spec.schemas:
            spec.report(f"{vptr}/{key}", f"no component schema named {name!r}")
            ok = False
    if not ok:
        return None
    deprecated = raw.get("deprecated")
    return Variant(vptr, raw["operation-id"], raw["method"], raw.get("summary"),
                   raw["request-schema"], raw.get("response-schema") or None,
                   None if deprecated is None else bool(deprecated))


def operation_ids(op: Mapping[str, Any]) -> list[str]:
    """The operation ids an operation object stands for, as written (the examples step indexes
    the recorded fixtures by them): its variants' ids, or its own operationId."""
    listed = op.get(KEY)
    if listed:
        return [v["operation-id"] for v in listed if isinstance(v, Mapping) and "operation-id" in v]
    return [op["operationId"]] if "operationId" in op else []


def of(spec: SpecContext) -> Variants:
    return spec.facts(EXTENSION)


EXTENSION = Extension("variants", (KEY,), read)
