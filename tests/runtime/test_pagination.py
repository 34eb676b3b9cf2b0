"""Tests for templates/runtime/pagination.py: when the walk stops and where the next page starts."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from templates.runtime.pagination import PageSpec, aiterate, iterate, next_start

PAGES = PageSpec(object, "query", "page_no", "page_size", "page", 1, "items", "total")
RECORDS = PageSpec(object, "query", "offset", "limit", "record", 0, "items", "total")
NO_TOTAL = PageSpec(object, "body", "offset", "limit", "record", 0, "items", None)


@dataclass
class Page:
    items: list[Any] | None
    total: Any = None


# --- next_start ---------------------------------------------------------------------------------


def test_empty_page_ends_the_walk() -> None:
    assert next_start(PAGES, 1, [], size=10, total=100, seen=0, previous=None) is None


def test_total_reached_ends_the_walk() -> None:
    assert next_start(RECORDS, 10, [1, 2], size=2, total=12, seen=12, previous=[3, 4]) is None


def test_total_exceeded_ends_the_walk() -> None:
    assert next_start(RECORDS, 10, [1, 2], size=2, total=5, seen=12, previous=None) is None


def test_total_not_yet_reached_continues() -> None:
    assert next_start(RECORDS, 10, [1, 2], size=2, total=13, seen=12, previous=[3, 4]) == 12


def test_short_page_ends_the_walk() -> None:
    assert next_start(PAGES, 3, [1, 2, 3], size=4, total=None, seen=11, previous=None) is None


def test_full_page_without_total_continues() -> None:
    assert next_start(PAGES, 3, [1, 2, 3, 4], size=4, total=None, seen=12, previous=None) == 4


def test_unknown_size_does_not_end_the_walk_on_a_small_page() -> None:
    assert next_start(PAGES, 1, [1], size=None, total=None, seen=1, previous=None) == 2


def test_repeated_page_ends_the_walk() -> None:
    assert next_start(PAGES, 2, ["a", "b"], size=2, total=None, seen=4, previous=("a", "b")) is None


def test_different_page_continues() -> None:
    assert next_start(PAGES, 2, ["c", "d"], size=2, total=None, seen=4, previous=["a", "b"]) == 3


def test_page_counting_advances_by_one() -> None:
    assert next_start(PAGES, 7, list(range(25)), size=25, total=None, seen=25, previous=None) == 8


def test_record_counting_advances_by_the_number_of_items() -> None:
    # the server may return fewer than asked without it being the last page when size is unknown
    assert next_start(RECORDS, 40, list(range(15)), size=None, total=None, seen=15,
                      previous=None) == 55


# --- iterate ------------------------------------------------------------------------------------


class Fetcher:
    """Serves pages by start position and records every call."""

    def __init__(self, pages: dict[int, Page]) -> None:
        self.pages = pages
        self.starts: list[int] = []

    def __call__(self, start: int) -> Page:
        self.starts.append(start)
        return self.pages.get(start, Page([]))

    async def fetch_async(self, start: int) -> Page:
        await asyncio.sleep(0)
        return self(start)


def walk(spec: PageSpec[Any], fetcher: Fetcher, mode: str, *, start: int | None = None,
         size: int | None = None) -> list[Any]:
    if mode == "sync":
        return list(iterate(spec, fetcher, start=start, size=size))

    async def run() -> list[Any]:
        return [x async for x in aiterate(spec, fetcher.fetch_async, start=start, size=size)]

    return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_page_counting_from_one_stops_at_short_page(mode: str) -> None:
    fetcher = Fetcher({1: Page(["a", "b"]), 2: Page(["c", "d"]), 3: Page(["e"])})
    spec = PageSpec(object, "query", "page_no", "page_size", "page", 1, "items", None)
    assert walk(spec, fetcher, mode, size=2) == ["a", "b", "c", "d", "e"]
    assert fetcher.starts == [1, 2, 3]


def test_page_counting_from_zero(mode: str) -> None:
    spec = PageSpec(object, "query", "page", "size", "page", 0, "items", None)
    fetcher = Fetcher({0: Page([1, 2]), 1: Page([3, 4]), 2: Page([])})
    assert walk(spec, fetcher, mode, size=2) == [1, 2, 3, 4]
    assert fetcher.starts == [0, 1, 2]


def test_record_counting_from_zero_stops_at_total(mode: str) -> None:
    fetcher = Fetcher({0: Page([1, 2, 3], total=7), 3: Page([4, 5, 6], total=7),
                       6: Page([7], total=7)})
    assert walk(RECORDS, fetcher, mode) == [1, 2, 3, 4, 5, 6, 7]
    assert fetcher.starts == [0, 3, 6]


def test_record_counting_from_one(mode: str) -> None:
    spec = PageSpec(object, "query", "start", "count", "record", 1, "items", None)
    fetcher = Fetcher({1: Page(["a", "b"]), 3: Page(["c", "d"]), 5: Page([])})
    assert walk(spec, fetcher, mode, size=2) == ["a", "b", "c", "d"]
    assert fetcher.starts == [1, 3, 5]


def test_total_reached_avoids_a_further_request(mode: str) -> None:
    fetcher = Fetcher({1: Page(["a", "b"], total=4), 2: Page(["c", "d"], total=4)})
    assert walk(PAGES, fetcher, mode, size=2) == ["a", "b", "c", "d"]
    assert fetcher.starts == [1, 2]  # page 3 is never asked for


def test_total_given_as_a_string(mode: str) -> None:
    fetcher = Fetcher({0: Page([1, 2], total="4"), 2: Page([3, 4], total="4")})
    assert walk(RECORDS, fetcher, mode) == [1, 2, 3, 4]
    assert fetcher.starts == [0, 2]


def test_unreadable_total_is_ignored(mode: str) -> None:
    fetcher = Fetcher({0: Page([1, 2], total="many"), 2: Page([3], total="many"),
                       3: Page([], total="many")})
    assert walk(RECORDS, fetcher, mode) == [1, 2, 3]
    assert fetcher.starts == [0, 2, 3]


def test_empty_first_page(mode: str) -> None:
    fetcher = Fetcher({})
    assert walk(PAGES, fetcher, mode, size=10) == []
    assert fetcher.starts == [1]


def test_missing_items_attribute_counts_as_empty(mode: str) -> None:
    fetcher = Fetcher({1: Page(None, total=5)})
    assert walk(PAGES, fetcher, mode, size=10) == []
    assert fetcher.starts == [1]


def test_explicit_start_is_honoured(mode: str) -> None:
    fetcher = Fetcher({3: Page(["x", "y"]), 4: Page(["z"])})
    assert walk(PAGES, fetcher, mode, start=3, size=2) == ["x", "y", "z"]
    assert fetcher.starts == [3, 4]


def test_walk_without_total_or_size_stops_at_empty_page(mode: str) -> None:
    fetcher = Fetcher({0: Page([1, 2, 3]), 3: Page([4]), 4: Page([])})
    assert walk(NO_TOTAL, fetcher, mode) == [1, 2, 3, 4]
    assert fetcher.starts == [0, 3, 4]


def test_single_item_query_with_zero_total(mode: str) -> None:
    # CDM ShowJobs answers total 0 when one job is asked for by name
    fetcher = Fetcher({1: Page(["job"], total=0)})
    assert walk(PAGES, fetcher, mode, size=10) == ["job"]
    assert fetcher.starts == [1]


def test_server_ignoring_start_does_not_loop_forever(mode: str) -> None:
    class SamePage(Fetcher):
        def __call__(self, start: int) -> Page:
            self.starts.append(start)
            if len(self.starts) > 5:
                raise AssertionError("the walk did not stop")
            return Page(["a", "b"])

    spec = PageSpec(object, "query", "page_no", "page_size", "page", 1, "items", None)
    fetcher = SamePage({})
    items = walk(spec, fetcher, mode, size=2)
    assert fetcher.starts == [1, 2]
    assert items == ["a", "b"]


def test_repeated_page_items_are_not_yielded_twice(mode: str) -> None:
    spec = PageSpec(object, "query", "page_no", "page_size", "page", 1, "items", None)
    fetcher = Fetcher({1: Page(["a", "b"]), 2: Page(["a", "b"])})
    assert walk(spec, fetcher, mode, size=2) == ["a", "b"]


def test_total_reached_when_starting_at_an_offset(mode: str) -> None:
    # records 20..24 of 25: the items before the starting offset count towards the total
    fetcher = Fetcher({20: Page([21, 22, 23, 24, 25], total=25)})
    assert walk(RECORDS, fetcher, mode, start=20) == [21, 22, 23, 24, 25]
    assert fetcher.starts == [20]


def test_total_reached_when_starting_at_a_later_page(mode: str) -> None:
    # page 3 of size 2 (base 1) holds items 5 and 6 of 6: the walk ends there
    fetcher = Fetcher({3: Page(["e", "f"], total=6)})
    assert walk(PAGES, fetcher, mode, start=3, size=2) == ["e", "f"]
    assert fetcher.starts == [3]


def test_later_page_of_unknown_size_keeps_going_until_a_page_ends_it(mode: str) -> None:
    # without a page size the items before page 3 cannot be counted: total cannot end the walk
    fetcher = Fetcher({3: Page(["e", "f"], total=6), 4: Page([], total=6)})
    assert walk(PAGES, fetcher, mode, start=3) == ["e", "f"]
    assert fetcher.starts == [3, 4]


def test_iterate_is_lazy() -> None:
    fetcher = Fetcher({1: Page(["a", "b"]), 2: Page(["c", "d"]), 3: Page([])})
    iterator = iterate(PAGES, fetcher, start=None, size=2)
    assert fetcher.starts == []
    assert next(iterator) == "a"
    assert fetcher.starts == [1]
    assert [next(iterator), next(iterator)] == ["b", "c"]
    assert fetcher.starts == [1, 2]


def _pages(*batches: Sequence[Any]) -> Callable[[int], Page]:
    return lambda start: Page(list(batches[start]))


def test_iterate_yields_items_in_order_across_pages() -> None:
    fetch = _pages([3, 1], [2, 9], [])
    spec = PageSpec(object, "query", "p", "s", "page", 0, "items", None)
    assert list(iterate(spec, fetch, start=None, size=2)) == [3, 1, 2, 9]
