"""Every paginated operation's `iter_<method>`, walked over a mock server, sync and async.

The server serves two full pages and then a last page that is short (with a documented total
that it reaches) or empty (without a total). The iterator must yield every item of every page
in order, send the start parameter as the operation's `x-sdk-pagination` says (counting pages
or records, from its base) and repeat the rest of the call on every page.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from tests.contract import support as s

PAGE_SIZE = 2
ITEMS = 5  # two full pages of PAGE_SIZE, then a short page of one; or four then an empty page
SEQ = "contract-seq"  # an extra key marking each served item (the models keep unknown keys)


def _params() -> list[Any]:
    return [
        pytest.param(target, flavor, ending, id=f"{key}-{flavor}-{ending}")
        for key, target in s.targets().items()
        if target.op.pagination is not None
        for flavor in s.FLAVORS
        for ending in ("short", "empty")
    ]


def _page_fixture(target: s.Target) -> s.fl.Fixture:
    """The operation's first success fixture: its call and the shape of its page."""
    for fx in s.all_fixtures():
        found = s.target_of(fx)
        if found is not None and found.key == target.key and s.is_success(fx) and "body" in fx.data["response"]:
            return fx
    raise AssertionError(f"{target.key} has no success fixture with a body")


def _wire_name(model: Any, attr: str) -> str:
    info = model.model_fields[attr]
    return info.alias or attr  # type: ignore[no-any-return]


@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
@pytest.mark.parametrize(("target", "flavor", "ending"), _params())
def test_iter_walks_every_page(target: s.Target, flavor: s.Flavor, ending: str) -> None:
    pages = target.op.pagination
    assert pages is not None
    fx = _page_fixture(target)
    page_model = s.resolve_type(target.service, target.op.response_type)
    item_type = s.resolve_type(target.service, pages.item_type)
    items_wire = _wire_name(page_model, pages.items_attr)
    total_wire = _wire_name(page_model, pages.total_attr) if pages.total_attr else None

    # The fixture's call without the start parameter, asking for pages of PAGE_SIZE.
    call = s.build_call(fx, target, "dict" if "body" in fx.data["request"] else "nobody")
    by_wire = {a.wire_name: a.python_name for a in target.op.arguments}
    if pages.location == "query":
        call.arguments.pop(by_wire[pages.start_param], None)
        call.arguments[by_wire[pages.size_param]] = PAGE_SIZE
    else:
        body = {k: v for k, v in call.arguments["body"].items() if k != pages.start_param}
        call.arguments["body"] = {**body, pages.size_param: PAGE_SIZE}

    # The pages: copies of the fixture's first item (or an empty object), each marked.
    served = s.fl.wire_bodies(fx)[1]  # a documented spelling is read (and dumped) as the wire's
    template = (served.get(items_wire) or [{}])[0]
    items = [{**copy.deepcopy(template), SEQ: n} for n in range(1, ITEMS + 1)]
    if ending == "empty":
        items = items[: 2 * PAGE_SIZE]
    chunks = [items[i : i + PAGE_SIZE] for i in range(0, 2 * PAGE_SIZE + 1, PAGE_SIZE)]

    def page(request: httpx.Request) -> httpx.Response:
        index = len(server.requests) - 1
        body = {k: v for k, v in served.items() if k not in (items_wire, total_wire)}
        body[items_wire] = chunks[index] if index < len(chunks) else []
        if ending == "short" and total_wire:
            body[total_wire] = len(items)
        return httpx.Response(200, json=body, headers={"X-Request-Id": f"page-{index}"})

    server = s.Server(page)
    walked = s.invoke(target, flavor, call, server, method=f"iter_{target.op.method_name}")

    assert [s.dump(item, item_type) for item in walked] == items
    assert all(isinstance(item, item_type) for item in walked)
    step = 1 if pages.start_kind == "page" else PAGE_SIZE
    expected_starts = [pages.start_base + i * step for i in range(len(chunks))]
    assert [_sent(r, pages.location, pages.start_param) for r in server.requests] == [
        str(start) if pages.location == "query" else start for start in expected_starts
    ]
    # Every page repeats the rest of the fixture's call, with the page size asked for.
    want = fx.data["request"]
    if pages.location == "query":
        rest = {k: v for k, v in want["query"].items() if k not in (pages.start_param, pages.size_param)}
        expected_rest: Any = s.query_items({**rest, pages.size_param: str(PAGE_SIZE)})
    else:
        rest = {k: v for k, v in want["body"].items() if k not in (pages.start_param, pages.size_param)}
        expected_rest = {**rest, pages.size_param: PAGE_SIZE}
    for request in server.requests:
        assert _without(request, pages.location, pages.start_param) == expected_rest
        assert request.method == want["method"]
        assert request.url.path == fx.data["request"]["path"]


def _sent(request: httpx.Request, location: str, name: str) -> Any:
    if location == "query":
        return request.url.params.get(name)
    return json.loads(request.content).get(name)


def _without(request: httpx.Request, location: str, name: str) -> Any:
    if location == "query":
        return sorted((k, v) for k, v in request.url.params.multi_items() if k != name)
    return {k: v for k, v in json.loads(request.content).items() if k != name}
