"""The README's "Creating a CDM cluster" function, run against the recorded examples.

The first Python block of that section is executed as written; a MockTransport answers each
request with the fixture of the operation whose method and path template it matches. The
function must pick the AZ, version and flavor those answers offer and send them to CreateCluster.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from dataarts import CdmClient
from tests.spec import fixturelib as fl

README = Path(__file__).resolve().parents[2] / "README.md"
PROJECT = "1551c7f6c808414d8e9f3c514a170f2e"  # the project of the CDM examples
SERVED = ("ShowAvailabilityZones.200", "ShowDatastores.200", "ShowFlavors.200", "CreateCluster.202")


def readme_snippet() -> str:
    section = README.read_text(encoding="utf-8").split("## Creating a CDM cluster\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "no Python block in the README section"
    return match.group(1)


def fixture_server(requests: list[httpx.Request]) -> httpx.MockTransport:
    ops = fl.operations("cdm")
    fixtures = {fx.name: fx for fx in fl.fixtures("cdm")}
    routes = []
    for name in SERVED:
        fx = fixtures[name]
        ref = ops[fx.data["operation"]]
        routes.append((ref.method.upper(), fl.template_regex(ref.path), fx.data["response"]))

    def answer(request: httpx.Request) -> httpx.Response:
        request.read()
        requests.append(request)
        for method, pattern, response in routes:
            if request.method == method and pattern.match(request.url.path):
                return httpx.Response(response["status"], json=response["body"])
        return httpx.Response(404, json={"errCode": "Cdm.0000", "externalMessage": "not served"})

    return httpx.MockTransport(answer)


def fixture_body(name: str, part: str = "response") -> Any:
    (fx,) = [fx for fx in fl.fixtures("cdm") if fx.name == name]
    return fx.data[part]["body"]


def test_the_readme_creates_a_cluster_from_what_the_api_offers() -> None:
    namespace: dict[str, Any] = {}
    exec(compile(readme_snippet(), str(README), "exec"), namespace)  # noqa: S102 - our README
    requests: list[httpx.Request] = []
    with httpx.Client(transport=fixture_server(requests)) as http, CdmClient(
        region="ap-southeast-1", project_id=PROJECT, token="readme-test", language="en_us",
        http_client=http,
    ) as cdm:
        cluster_id = namespace["create_cluster"](
            cdm, region="ap-southeast-1", name="cdm-ab82", vpc_id="vpc-1", subnet_id="subnet-1",
            security_group_id="sg-1",
        )

    assert cluster_id == fixture_body("CreateCluster.202")["id"]
    datastore = fixture_body("ShowDatastores.200")["datastores"][0]
    assert [(r.method, r.url.path) for r in requests] == [
        ("GET", f"/v1.1/{PROJECT}/regions/ap-southeast-1/availability_zones"),
        ("GET", f"/v1.1/{PROJECT}/datastores"),
        ("GET", f"/v1.1/{PROJECT}/datastores/{datastore['id']}/flavors"),
        ("POST", f"/v1.1/{PROJECT}/clusters"),
    ]
    zone = fixture_body("ShowAvailabilityZones.200")["availableZones"][0]["availableZoneCode"]
    flavors = fixture_body("ShowFlavors.200")["versions"][0]["flavors"]
    smallest_with_4_cpus = min((f for f in flavors if f["cpu"] >= 4), key=lambda f: f["cpu"])
    assert json.loads(requests[-1].content) == {
        "cluster": {
            "name": "cdm-ab82",
            "vpcId": "vpc-1",
            "datastore": {"type": "cdm", "version": datastore["defaultVersion"]},
            "instances": [{
                "availability_zone": zone,
                "flavorRef": smallest_with_4_cpus["str_id"],
                "type": "cdm",
                "nics": [{"securityGroupId": "sg-1", "net-id": "subnet-1"}],
            }],
        }
    }
