"""Walking the pages of a list operation, as its spec's `x-sdk-pagination` describes them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from .request import json_ready

ItemT = TypeVar("ItemT")


class PageSpec(NamedTuple, Generic[ItemT]):
    """Where the paging parameters travel and where a page keeps its items and total.

    (A NamedTuple, as the other records a generated client builds at import: see OperationSpec.)
    """

    item: str  # the item type's name in the models module (documents the walk)
    location: Literal["query", "body"]
    start_param: str  # wire name: offset, page, page_no
    size_param: str  # wire name: limit, size, page_size
    start_kind: Literal["page", "record"]  # does the start parameter count pages or records?
    start_base: int
    items: str  # attribute of the page model holding the items
    total: str | None  # attribute holding the total item count, when documented


def next_start(
    spec: PageSpec[Any],
    start: int,
    items: Sequence[Any],
    *,
    size: int | None,
    total: int | None,
    seen: int,
    previous: Sequence[Any] | None = None,
) -> int | None:
    """The start of the next page, or None when the walk is over.

    Over when: the page is empty; the total is reached (`seen` counts every item up to the end
    of this page, those before where the walk started included); the page is shorter than the
    page size asked for; or the page repeats the previous one (a server that ignores the start
    parameter).
    """
    if not items:
        return None
    if total is not None and seen >= total:
        return None
    if size is not None and len(items) < size:
        return None
    if previous is not None and list(items) == list(previous):
        return None
    return start + 1 if spec.start_kind == "page" else start + len(items)


def skipped(spec: PageSpec[Any], start: int, size: int | None) -> int:
    """Items before the walk's first page, when that can be known."""
    if spec.start_kind == "record":
        return max(0, start - spec.start_base)
    return max(0, start - spec.start_base) * size if size else 0


def repeats(items: Sequence[Any], previous: Sequence[Any] | None) -> bool:
    """A page equal to the previous one: the server ignores the start parameter."""
    return previous is not None and bool(items) and list(items) == list(previous)


def iterate(
    spec: PageSpec[ItemT], fetch: Callable[[int], Any], *, start: int | None, size: int | None
) -> Iterator[ItemT]:
    """Every item of every page; `fetch(start)` returns one parsed page."""
    current = spec.start_base if start is None else start
    seen = skipped(spec, current, size)
    previous: Sequence[Any] | None = None
    while True:
        page = fetch(current)
        items = getattr(page, spec.items, None) or []
        if repeats(items, previous):
            return
        yield from items
        seen += len(items)
        total = getattr(page, spec.total, None) if spec.total else None
        following = next_start(spec, current, items, size=size, total=_int(total), seen=seen)
        if following is None:
            return
        current, previous = following, items


async def aiterate(
    spec: PageSpec[ItemT],
    fetch: Callable[[int], Awaitable[Any]],
    *,
    start: int | None,
    size: int | None,
) -> AsyncIterator[ItemT]:
    """The async twin of `iterate`."""
    current = spec.start_base if start is None else start
    seen = skipped(spec, current, size)
    previous: Sequence[Any] | None = None
    while True:
        page = await fetch(current)
        items = getattr(page, spec.items, None) or []
        if repeats(items, previous):
            return
        for item in items:
            yield item
        seen += len(items)
        total = getattr(page, spec.total, None) if spec.total else None
        following = next_start(spec, current, items, size=size, total=_int(total), seen=seen)
        if following is None:
            return
        current, previous = following, items


def page_fetcher(
    request: Callable[..., Any], op: Any, spec: PageSpec[Any], kwargs: dict[str, Any]
) -> tuple[Callable[[int], Any], int | None, int | None]:
    """A `fetch(start)` sending the call `request(op, **kwargs)` with the start parameter set,
    and the start and page size the call asked for (None: not given)."""
    if spec.location == "query":
        source: dict[str, Any] = dict(kwargs.get("query") or {})
    else:
        source = dict(json_ready(kwargs.get("body") or {}))
    start = source.get(spec.start_param)
    size = source.get(spec.size_param)

    def fetch(position: int) -> Any:
        values = {**source, spec.start_param: position}
        call = {**kwargs, ("query" if spec.location == "query" else "body"): values}
        return request(op, **call)

    return (
        fetch,
        (int(start) if start is not None else None),
        (int(size) if size is not None else None),
    )


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
