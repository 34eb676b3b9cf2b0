"""Golden case `minimal`: one GET, sync and async, a parsed model and an error status."""

from __future__ import annotations

import asyncio
import os

import httpx

import dataarts
from dataarts.minimal import AsyncMinimalClient, MinimalClient
from dataarts.minimal.models import Thing

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    if request.url.path.endswith("/missing"):
        return httpx.Response(404, json={"error_code": "MIN.0404", "error_msg": "no such thing"},
                              headers={"X-Request-Id": "req-1"})
    return httpx.Response(200, json={"id": "a/b", "name": "bolt", "colour": "red"})


http = httpx.Client(transport=httpx.MockTransport(handler))
with MinimalClient(region="xx-north-1", project_id="p-1", token="tok", http_client=http) as client:
    thing = client.things.get(thing_id="a/b")
    assert isinstance(thing, Thing)
    assert (thing.id, thing.name, thing.model_extra) == ("a/b", "bolt", {"colour": "red"})
    (request,) = sent
    assert request.method == "GET"
    assert str(request.url) == "https://minimal.xx-north-1.example.com/v1/p-1/things/a%2Fb"
    assert request.headers["X-Auth-Token"] == "tok"
    assert request.content == b""

    try:
        client.things.get(thing_id="missing")
    except dataarts.NotFoundError as err:
        assert (err.status_code, err.error_code, err.error_message, err.request_id) == (
            404, "MIN.0404", "no such thing", "req-1")
    else:
        raise AssertionError("a 404 must raise NotFoundError")
    assert len(sent) == 2  # a 404 is not retried


async def main() -> None:
    sent.clear()
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncMinimalClient(base_url="https://other.test/", project_id="p-2", token="tok",
                                  http_client=http) as client:
        thing = await client.things.get(thing_id="x")
    assert isinstance(thing, Thing) and thing.id == "a/b"
    assert str(sent[0].url) == "https://other.test/v1/p-2/things/x"


asyncio.run(main())
print("ok")
