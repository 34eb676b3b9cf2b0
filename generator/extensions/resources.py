"""`x-sdk-resource` and `x-sdk-method` (operation): the resource a method hangs off, and its name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import naming
from ..context import SpecContext
from . import variants
from .contract import Extension, MethodName

RESOURCE = "x-sdk-resource"
METHOD = "x-sdk-method"


@dataclass(frozen=True)
class Resources:
    resources: dict[str, str] = field(default_factory=dict)  # op pointer -> its resource
    methods: dict[str, str] = field(default_factory=dict)  # op pointer -> its method (no variants)

    def resource(self, op_ptr: str) -> str | None:
        return self.resources.get(op_ptr)

    def method(self, op_ptr: str) -> str | None:
        return self.methods.get(op_ptr)


def read(spec: SpecContext) -> Resources:
    found = Resources()
    declared_variants = variants.of(spec).declared
    for op in spec.operations:
        resource = op.data.get(RESOURCE)
        if isinstance(resource, str) and naming.is_snake_identifier(resource):
            found.resources[op.ptr] = resource
        else:
            spec.report(op.ptr, f"operation {op.label} needs {RESOURCE}, a snake_case identifier")
        method = op.data.get(METHOD)
        if op.ptr in declared_variants:
            continue
        if isinstance(method, str):
            found.methods[op.ptr] = method
        else:
            spec.report(op.ptr, f"operation {op.label} needs {METHOD} (or {variants.KEY})")
    return found


def methods(spec: SpecContext, found: Resources) -> Iterator[MethodName]:
    """Each operation's method, or its variants' methods; `<method>_to_file` for a download."""
    by_operation = variants.of(spec).by_operation
    for op in spec.operations:
        resource = found.resource(op.ptr) or "?"
        for rank, variant in enumerate(by_operation.get(op.ptr, ())):
            yield MethodName(resource, variant.method, variant.ptr + "/method", False, (op.index, rank))
        method = found.method(op.ptr)
        if method is not None:
            where = f"{op.ptr}/{METHOD}"
            yield MethodName(resource, method, where, False, (op.index, 0))
            if spec.doc.success_body(op.data) == "binary":  # a download
                yield MethodName(resource, method + "_to_file", where, True, (op.index, 1))


def shadowed_builtins(spec: SpecContext) -> dict[str, frozenset[str]]:
    """Resource -> the builtin type names among its method names (`list`, `set`, ...).

    Inside the generated resource class a method named `list` hides the builtin from the type
    checker, so the annotations of that class spell it `builtins.list`.
    """
    found, by_operation = of(spec), variants.of(spec).by_operation
    names: dict[str, set[str]] = {}
    for op in spec.operations:
        resource = found.resource(op.ptr)
        methods = [v.method for v in by_operation.get(op.ptr, ())] or [found.method(op.ptr) or ""]
        names.setdefault(str(resource), set()).update(naming.method_name(n) for n in methods if n)
    shadowing = {resource: frozenset(n & _BUILTIN_TYPES) for resource, n in names.items()}
    return {resource: n for resource, n in shadowing.items() if n}


_BUILTIN_TYPES = frozenset({"bool", "bytes", "dict", "float", "int", "list", "set", "str", "tuple"})


def of(spec: SpecContext) -> Resources:
    return spec.facts(EXTENSION)


EXTENSION = Extension("resources", (RESOURCE, METHOD), read, methods=methods)
