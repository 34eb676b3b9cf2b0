"""Golden case `naming`: Python names in, wire names out; wire names in, Python names out."""

from __future__ import annotations

import datetime
import json
import os

import httpx

import dataarts
from dataarts.naming_chaos import NamingChaosClient
from dataarts.naming_chaos.models import NestedPart, Thing

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

WIRE = {
    "thing-name": "bolt", "createdAt": "today", "plain_snake": "s", "expression Time Zone": "UTC",
    "class": "c", "from": 3, "schema": "x", "json": {"a": 1}, "model_config": "m", "copy": True,
    "2fa": False, "date": "2024-02-29", "self": "me", "HTTPStatus": 200,
    "nested-part": {"Part ID": "p1", "is_ok": True}, "unknownField": [1, 2],
}
sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(200, json=WIRE)


client = NamingChaosClient(project_id="p", token="t",
                           http_client=httpx.Client(transport=httpx.MockTransport(handler)))
body = Thing(thing_name="bolt", class_="c", from_=3, schema_="x", json_={"a": 1},
             model_config_="m", copy_=True, n2_fa=False, date=datetime.date(2024, 2, 29), self="me",
             http_status=200, nested_part=NestedPart(part_id="p1"))
thing = client.things.import_(thing_id="t/1", body=body, dry_run=True, from_=0, timeout_=5,
                              page_size=10, x_trace_id="trace", timeout=30)
(request,) = sent
assert request.method == "PUT"
assert request.url.raw_path.split(b"?")[0] == b"/v1/p/things/t%2F1"
assert list(request.url.params.multi_items()) == [
    ("dryRun", "true"), ("from", "0"), ("timeout", "5"), ("page size", "10")]
assert request.headers["X-Trace-Id"] == "trace"
assert json.loads(request.content) == {
    "thing-name": "bolt", "class": "c", "from": 3, "schema": "x", "json": {"a": 1},
    "model_config": "m", "copy": True, "2fa": False, "date": "2024-02-29", "self": "me",
    "HTTPStatus": 200, "nested-part": {"Part ID": "p1"},
}
assert request.extensions["timeout"]["read"] == 30  # the per-call option, not the query parameter

assert isinstance(thing, Thing)
assert (thing.thing_name, thing.created_at, thing.expression_time_zone, thing.class_, thing.from_,
        thing.schema_, thing.json_, thing.model_config_, thing.copy_, thing.n2_fa, thing.self,
        thing.http_status) == ("bolt", "today", "UTC", "c", 3, "x", {"a": 1}, "m", True, False,
                               "me", 200)
assert thing.date == datetime.date(2024, 2, 29)
assert thing.nested_part is not None and thing.nested_part.part_id == "p1"
assert thing.model_extra == {"unknownField": [1, 2]}
assert thing.model_dump(mode="json", exclude_unset=True) == WIRE  # round trip by wire name

sent.clear()
client.things.import_(thing_id="t", body={"thing-name": "raw mapping", "class": "k"})
assert json.loads(sent[0].content) == {"thing-name": "raw mapping", "class": "k"}
assert sent[0].url.query == b""  # optional query parameters left out are not sent
print("ok")
