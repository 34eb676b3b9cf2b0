"""Golden case `enums`: open enums accept values beyond the documented ones; a oneOf body."""

from __future__ import annotations

import json
import os
import typing

import httpx

import dataarts
from dataarts.shapes import ShapesClient
from dataarts.shapes.models import Circle, Drawing, Shape, Square

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__
assert set(typing.get_args(Shape)) == {Circle, Square}

sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    shape = json.loads(request.content)
    return httpx.Response(201, json={"id": "d1", "status": "ERASED", "shape": shape})


client = ShapesClient(project_id="p", token="t",
                      http_client=httpx.Client(transport=httpx.MockTransport(handler)))

drawing = client.shapes.draw(body=Circle(radius=1.5), colour="red", layer=2)
assert isinstance(drawing, Drawing)
assert drawing.status == "ERASED"  # not a documented value, still parsed
assert isinstance(drawing.shape, Circle) and drawing.shape.radius == 1.5
assert dict(sent[0].url.params) == {"colour": "red", "layer": "2"}
assert json.loads(sent[0].content) == {"radius": 1.5}

drawing = client.shapes.draw(body={"side": 2}, colour="green")  # a colour the spec does not list
assert isinstance(drawing.shape, Square) and drawing.shape.side == 2
assert dict(sent[1].url.params) == {"colour": "green"}
assert Drawing.model_validate({"status": "DRAWN"}).status == "DRAWN"
print("ok")
