"""Golden case `catalogues`: typed connector configs and node builders from the catalogues."""

from __future__ import annotations

import json
import os

import httpx
from pydantic import SecretStr

import dataarts
from dataarts.pipes import PipesClient, connectors, nodes

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__

tube = connectors.TubeLinkConfig(kind="glass", password=SecretStr("pw"))
assert tube.pressurised is False and "pw" not in repr(tube)
try:
    connectors.TubeLinkConfig(kind="GLASS", password=SecretStr("pw"), pressurised=True)
except dataarts.ParameterError as err:
    assert err.problems == (
        "missing linkConfig.valve (valve) when linkConfig.pressurised is true",), err.problems
else:
    raise AssertionError("a pressurised tube needs a valve")

sent: list[httpx.Request] = []


def handler(request: httpx.Request) -> httpx.Response:
    sent.append(request)
    return httpx.Response(200, content=request.content)


http = httpx.Client(transport=httpx.MockTransport(handler))
with PipesClient(region="xx-north-1", project_id="p", token="t", http_client=http) as client:
    created = client.links.create(body=connectors.new_link(tube, name="t1"))
(request,) = sent
assert json.loads(request.content)["link-config-values"] == {"configs": [{"name": "linkConfig", "inputs": [
    {"name": "linkConfig.kind", "value": "glass"}, {"name": "linkConfig.password", "value": "pw"},
    {"name": "linkConfig.pressurised", "value": "false"}]}]}
read = connectors.link_config(created)
assert isinstance(read, connectors.TubeLinkConfig) and read.kind == "glass"
pipe = connectors.link_config({"connector-name": "tube-connector", "link-config-values": {"configs": [
    {"name": "linkConfig", "inputs": [{"name": "linkConfig.width", "value": "40"}]}]}})
assert isinstance(pipe, connectors.PipeLinkConfig) and pipe.width == 40

job = connectors.new_job(name="j", source=connectors.TubeSourceConfig(flow=1.5),
                         destination=connectors.TubeDestinationConfig(drain="yes"),
                         from_link_name="t1", to_link_name="t2")
assert connectors.task_config(job).to_config_values() == {"configs": []}

flush = nodes.FlushNode(pipe_name="main", schema_="QUICK")
node = nodes.new_node(flush, name="n", location={"x": 1, "y": 2})
assert node.properties[1].value == "QUICK"
print("ok")
