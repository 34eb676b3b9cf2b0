"""The project's rules on plain OpenAPI: local `$ref`s, servers, operations, parameters, schemas."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import naming
from .context import OperationDecl, SpecContext
from .extensions import client_options, names, variants
from .extensions.contract import MethodName
from .problems import escape, pointer

_COMPOSED = re.compile(r"/(allOf|anyOf|oneOf)/[0-9]+$")


def check_refs(spec: SpecContext) -> None:
    """Every `$ref` is local and resolves (later rules and the build follow them)."""
    for ptr, node in _walk(spec.data, ""):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if ref is None:
            continue
        if not isinstance(ref, str) or not ref.startswith("#/"):
            spec.report(ptr + "/$ref", f"only local references ('#/...') are supported, got {ref!r}")
        elif spec.doc.resolve(ref[1:]) is None:
            spec.report(ptr + "/$ref", f"unresolved reference {ref!r}")


def check_document(spec: SpecContext) -> None:
    """The rules on servers, operations and schemas (refs resolve by now)."""
    if not spec.data.get("servers"):
        spec.report("/servers", "at least one server is required (the client builds its base URL from it)")
    _check_operation_ids(spec)
    for op in spec.operations:
        for key in ("summary", "tags"):
            if not op.data.get(key):
                spec.report(op.ptr, f"operation {op.label} has no {key}")
        _check_responses(spec, op)
        _check_parameters(spec, op)
    _check_schemas(spec)


def check_method_names(spec: SpecContext, methods: list[MethodName]) -> None:
    """Method names are identifiers and unique per resource. Derived names (iter_*, *_to_file)
    are registered first, so a clash is reported at the name someone wrote."""
    taken: dict[tuple[str, str], str] = {}
    for method in sorted(methods, key=lambda m: (not m.derived, m.order)):
        if not naming.is_snake_identifier(method.name):
            spec.report(method.ptr, f"SDK method name {method.name!r} must be a snake_case identifier")
            continue
        key = (method.resource, naming.method_name(method.name))
        if key in taken:
            spec.report(method.ptr, f"SDK method {method.resource}.{key[1]} collides with {taken[key]}")
        taken[key] = method.ptr


def _check_operation_ids(spec: SpecContext) -> None:
    """Every operation has a PascalCase operationId; ids (variants' too) and their module
    constants are unique."""
    by_operation = variants.of(spec).by_operation
    seen: dict[str, str] = {}
    constants: dict[str, tuple[str, str]] = {}
    for op in spec.operations:
        op_id = op.data.get("operationId")
        if not isinstance(op_id, str) or not op_id:
            spec.report(op.ptr, "operation has no operationId")
        elif not naming.is_pascal_identifier(op_id):
            spec.report(op.ptr + "/operationId", f"operationId {op_id!r} must be PascalCase")
        ids = [(op.label, op.ptr + "/operationId")]
        if op.ptr in variants.of(spec).declared:
            ids = [(v.operation_id, v.ptr + "/operation-id") for v in by_operation.get(op.ptr, ())]
        for oid, iptr in ids:
            if oid in seen:
                spec.report(iptr, f"duplicate operationId {oid!r} (also at {seen[oid]})")
                continue
            seen[oid] = iptr
            constant = naming.snake(oid).upper()  # each operation's module-level constant
            if constant in constants:
                spec.report(iptr, f"operationId {oid!r} and {constants[constant][0]!r} both become "
                                  f"the constant _{constant}")
            constants.setdefault(constant, (oid, iptr))


def _check_responses(spec: SpecContext, op: OperationDecl) -> None:
    responses = op.data.get("responses")
    if not isinstance(responses, dict) or not responses:
        spec.report(op.ptr, f"operation {op.label} has no responses")
        return
    codes = [str(code) for code in responses]
    if not any(c.startswith("2") for c in codes):
        spec.report(op.ptr + "/responses", f"operation {op.label} has no 2xx response")
    if not any(c[0] in "45" or c == "default" for c in codes):
        spec.report(op.ptr + "/responses",
                    f"operation {op.label} has no error response (4xx, 5xx or default)")
    for code in responses:
        if not isinstance(code, str):
            spec.report(op.ptr + f"/responses/{code}", f"status code {code!r} must be a quoted string")


def _check_parameters(spec: SpecContext, op: OperationDecl) -> None:
    """Path parameters match the path template; arguments do not collide as Python names."""
    options = client_options.of(spec)
    declared: dict[tuple[str, str], None] = {}
    python_names: dict[str, str] = {}
    for param in spec.parameters(op):
        declared[(param.location, param.name)] = None
        if options.is_option(param):
            continue
        named = names.of(spec).parameter(param.ptr)  # x-sdk-name, and the former keywords
        for py in (named.python, *named.deprecated) if named else (naming.argument_name(param.name),):
            if py in python_names:
                spec.report(param.ptr, f"parameter {param.name!r} becomes Python argument "
                                       f"{py!r}, like {python_names[py]!r}")
            python_names[py] = param.name
    in_template = re.findall(r"\{([^}]+)\}", op.path)
    for name in in_template:
        if ("path", name) not in declared:
            spec.report(op.ptr, f"path parameter {{{name}}} of {op.path} is not declared")
    for where, name in declared:
        if where == "path" and name not in in_template:
            spec.report(op.ptr, f"path parameter {name!r} is declared but not in the path {op.path}")


def _check_schemas(spec: SpecContext) -> None:
    for name in spec.schemas:
        if not naming.is_pascal_identifier(name):
            spec.report(pointer("components", "schemas", name),
                        f"component schema name {name!r} must be a PascalCase identifier")
    for ptr, node in _walk(spec.data, ""):
        if not isinstance(node, dict) or not isinstance(node.get("properties"), dict):
            continue
        _check_required(spec, ptr, node)
        seen: dict[str, str] = {}
        for wire in node["properties"]:
            if not isinstance(wire, str):  # YAML 1.1 reads on/off/yes/no/1 as non-strings
                spec.report(ptr + pointer("properties", wire),
                            f"property name {wire!r} was read as {type(wire).__name__}; quote it")
                continue
            py = naming.field_name(wire)
            if py in seen:
                spec.report(ptr + pointer("properties", wire),
                            f"properties {seen[py]!r} and {wire!r} both become Python field {py!r}")
            seen[py] = wire


def _check_required(spec: SpecContext, ptr: str, node: dict[str, Any]) -> None:
    """A required name must be a declared property: otherwise the model cannot require it.

    Composed schemas (and their branches) are left alone: a sibling may declare the name.
    """
    required = node.get("required")
    if not isinstance(required, list) or _COMPOSED.search(ptr) or any(
        key in node for key in ("allOf", "anyOf", "oneOf")
    ):
        return
    for i, name in enumerate(required):
        if name not in node["properties"]:
            spec.report(ptr + pointer("required", str(i)),
                        f"required property {name!r} is not among the declared properties")


def _walk(node: Any, ptr: str) -> Iterator[tuple[str, Any]]:
    """Every node with its pointer, vendor extensions (which hold data, not schemas) left out."""
    yield ptr, node
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.startswith("x-"):
                continue
            yield from _walk(value, f"{ptr}/{escape(str(key))}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{ptr}/{i}")
