"""One page of a list, read the way the operation's `x-sdk-pagination` says it pages."""

from __future__ import annotations

from typing import Any, TypeVar

from .incoming import Call

__all__ = ["page"]

T = TypeVar("T")
DEFAULT_SIZE = 10


def page(call: Call, items: list[T]) -> list[T]:
    """The slice of `items` the call's start and size parameters ask for (all: not paged)."""
    paging: dict[str, Any] = dict(call.operation.raw.get("x-sdk-pagination") or {})
    if not paging:
        return items
    source = call.query if paging.get("in") == "query" else dict(call.body or {})
    base = int(paging.get("start-base", 0))
    start = int(source.get(paging["start-param"], base))
    size = int(source.get(paging["size-param"], _default_size(call, paging["size-param"])))
    skip = (start - base) * size if paging.get("start-kind") == "page" else start - base
    skip = max(skip, 0)
    return items[skip : skip + max(size, 0)]


def _default_size(call: Call, name: str) -> int:
    for param in call.operation.parameters:
        if param.name == name and "default" in param.schema:
            return int(param.schema["default"])
    return DEFAULT_SIZE
