"""`x-sdk-pagination` (operation): how a list operation pages, for its `iter_<method>` iterator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .. import naming
from ..context import OperationDecl, SpecContext
from ..draft import ServiceDraft
from ..ir import Pagination
from ..schema_types import SCHEMA_REF
from . import resources, variants
from .contract import Extension, MethodName

KEY = "x-sdk-pagination"
KEYS = frozenset({"in", "start-param", "size-param", "start-kind", "start-base", "items", "total"})


@dataclass(frozen=True)
class Paging:
    """A checked `x-sdk-pagination`: the names are declared parameters and response properties."""

    operation_id: str
    method: str
    location: Literal["query", "body"]
    start_param: str
    size_param: str
    start_kind: Literal["page", "record"]
    start_base: int
    items: str  # the response property holding the page's items: an array of a component
    total: str | None


@dataclass(frozen=True)
class Pages:
    by_operation: dict[str, Paging]  # by op pointer
    declared: dict[str, int]  # op pointer -> its index, for every operation with the key


def read(spec: SpecContext) -> Pages:
    found, declared = {}, {}
    names = resources.of(spec)
    for op in spec.operations:
        if KEY not in op.data:
            continue
        if op.ptr in variants.of(spec).declared:
            spec.report(f"{op.ptr}/{KEY}", f"{KEY} pages one method; this operation has {variants.KEY}")
            continue
        if names.method(op.ptr) is None:
            continue
        declared[op.ptr] = op.index
        paging = _read(spec, op, names.method(op.ptr) or "")
        if paging is not None:
            found[op.ptr] = paging
    return Pages(found, declared)


def _read(spec: SpecContext, op: OperationDecl, method: str) -> Paging | None:
    pag = op.data[KEY]
    pptr = f"{op.ptr}/{KEY}"
    before = len(spec.problems)
    if not isinstance(pag, dict):
        spec.report(pptr, f"{KEY} must be a mapping")
        return None
    for key in sorted(set(pag) - KEYS):
        spec.report(f"{pptr}/{key}", f"unknown {KEY} key {key!r}")
    for key in ("in", "start-param", "size-param", "start-kind", "items"):
        if key not in pag:
            spec.report(pptr, f"{KEY} needs {key!r}")
    if pag.get("start-kind") not in ("page", "record"):
        spec.report(pptr + "/start-kind", "start-kind must be 'page' or 'record'")
    if not isinstance(pag.get("start-base", 0), int):
        spec.report(pptr + "/start-base", "start-base must be an integer")
    where = pag.get("in")
    query = {p.name for p in spec.parameters(op) if p.location == "query"}
    for key in ("start-param", "size-param"):
        name = pag.get(key)
        if where == "query" and name not in query:
            spec.report(f"{pptr}/{key}", f"{key} {name!r} is not a declared query parameter")
        elif where == "body":
            body_schema = spec.doc.json_schema(op.data.get("requestBody"))
            if name not in spec.doc.properties(body_schema):
                spec.report(f"{pptr}/{key}", f"{key} {name!r} is not a property of the request body")
        elif where not in ("query", "body"):
            spec.report(pptr + "/in", "in must be 'query' or 'body'")
            break
    responses = op.data.get("responses") or {}
    response = next((r for c, r in responses.items() if str(c).startswith("2")), None)
    props = spec.doc.properties(spec.doc.json_schema(response))
    items = props.get(pag["items"]) if isinstance(pag.get("items"), str) else None
    if items is None:
        spec.report(pptr + "/items", f"the 2xx response has no property {pag.get('items')!r}")
    elif spec.doc.deref(items).get("type") != "array":
        spec.report(pptr + "/items", f"response property {pag.get('items')!r} is not an array")
    elif not str((spec.doc.deref(items).get("items") or {}).get("$ref", "")).startswith(SCHEMA_REF):
        spec.report(pptr + "/items", f"the items of {pag.get('items')!r} must $ref a component schema")
    if "total" in pag and pag["total"] not in props:
        spec.report(pptr + "/total", f"the 2xx response has no property {pag['total']!r}")
    if len(spec.problems) > before:
        return None
    return Paging(str(op.operation_id), method, pag["in"], pag["start-param"], pag["size-param"],
                  pag["start-kind"], int(pag.get("start-base", 0)), pag["items"], pag.get("total"))


def methods(spec: SpecContext, pages: Pages) -> Iterator[MethodName]:
    names = resources.of(spec)
    for ptr, index in pages.declared.items():
        method = names.method(ptr)
        yield MethodName(names.resource(ptr) or "?", f"iter_{method}", f"{ptr}/{KEY}", True, (index, 2))


def build(pages: Pages, draft: ServiceDraft) -> None:
    """`pagination` of each paged operation's method: its items' model and attribute names."""
    for paging in pages.by_operation.values():
        op = draft.operation(paging.operation_id)
        response: Any = draft.types.doc.deref(draft.types.schemas[op.response_type])
        items = draft.types.doc.deref(draft.types.doc.properties(response)[paging.items])
        item_type = draft.types.model_for(items["items"], op.response_type + "Item")
        draft.update(paging.operation_id, pagination=Pagination(
            location=paging.location,
            start_param=paging.start_param,
            size_param=paging.size_param,
            start_kind=paging.start_kind,
            start_base=paging.start_base,
            items_attr=naming.field_name(paging.items),
            total_attr=naming.field_name(paging.total) if paging.total else None,
            item_type=item_type,
        ))


EXTENSION = Extension("pagination", (KEY,), read, methods=methods, build=build)
