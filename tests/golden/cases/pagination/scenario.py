"""Golden case `pagination`: iter_ methods walk pages in the query and in the body."""

from __future__ import annotations

import asyncio
import json
import os

import httpx

import dataarts
from dataarts.pagination import AsyncPaginationClient, PaginationClient
from dataarts.pagination.models import Item

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

ITEMS = [{"id": i, "name": f"item {i}"} for i in range(5)]
sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    if request.method == "GET":  # offset counts records
        offset = int(request.url.params.get("offset", "0"))
        limit = int(request.url.params["limit"])
        return httpx.Response(200, json={"total": len(ITEMS), "items": ITEMS[offset:offset + limit]})
    body = json.loads(request.content)  # pageNo counts pages, from 1
    size = body["pageSize"]
    start = (body["pageNo"] - 1) * size
    return httpx.Response(200, json={"item-list": ITEMS[start:start + size]})


client = PaginationClient(project_id="p", token="t",
                          http_client=httpx.Client(transport=httpx.MockTransport(handler)))

items = list(client.items.iter_list(limit=2, kind="bolt"))
assert [item.id for item in items] == [0, 1, 2, 3, 4] and all(isinstance(i, Item) for i in items)
assert [dict(r.url.params) for r in sent] == [
    {"offset": "0", "limit": "2", "kind": "bolt"},
    {"offset": "2", "limit": "2", "kind": "bolt"},
    {"offset": "4", "limit": "2", "kind": "bolt"},  # then the total (5) is reached
]

sent.clear()
page = client.items.list(offset=1, limit=3)
assert [item.id for item in page.items or []] == [1, 2, 3] and page.total == 5

sent.clear()
found = list(client.items.iter_search(body={"query": "x", "pageSize": 2}))
assert [item.id for item in found] == [0, 1, 2, 3, 4]
assert [json.loads(r.content) for r in sent] == [
    {"query": "x", "pageSize": 2, "pageNo": 1},
    {"query": "x", "pageSize": 2, "pageNo": 2},
    {"query": "x", "pageSize": 2, "pageNo": 3},  # a short page: the last
]
assert all(r.method == "POST" and r.url.path == "/v1/p/items/search" for r in sent)


async def main() -> None:
    sent.clear()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncPaginationClient(project_id="p", token="t", http_client=http) as aclient:
        ids = [item.id async for item in aclient.items.iter_list(offset=3, limit=1)]
    assert ids == [3, 4]
    assert [r.url.params["offset"] for r in sent] == ["3", "4"]


asyncio.run(main())
print("ok")
