"""Driven by the spec: routing, request checks with each service's documented 400, the gateway's
404, and a sweep in which every operation of every spec answers within its spec."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml

from dataarts.testing import ManualClock, Simulator
from dataarts.testing.generic import generic_answer, sample
from dataarts.testing.simulator import response_problems
from dataarts.testing.spec import load_api, service_from_document
from tests.simulator.conftest import PROJECT, TOKEN

ROOT = Path(__file__).resolve().parents[2]
API = load_api()
OPERATIONS = API.operations
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def http(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport(), base_url="http://simulator",
                        headers={"X-Auth-Token": TOKEN})  # fmt: skip


def test_every_operation_of_every_spec_is_loaded() -> None:
    expected = set()
    for spec in sorted((ROOT / "spec").glob("*.yaml")):
        document = yaml.load(spec.read_text(encoding="utf-8"), yaml.CSafeLoader)
        for path, item in document["paths"].items():
            expected |= {(document["x-sdk-service"], m.upper(), path) for m in item if m in METHODS}
    assert {(op.service, op.method, op.path) for op in OPERATIONS} == expected


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: f"{op.service}.{op.operation_id}")
def test_every_operation_is_routed_to_itself(op: Any) -> None:
    path = op.path.replace("{", "").replace("}", "")  # every parameter named after itself
    routed = API.route(op.method, path)
    assert routed is not None and routed[0] is op
    assert set(routed[1]) == {p.name for p in op.parameters if p.location == "path"}


def test_literal_segments_win_and_values_are_percent_decoded() -> None:
    op, values = API.route("POST", f"/v1/{PROJECT}/jobs/check-file") or (None, {})
    assert op is not None and op.operation_id == "ShowFileInfo"
    op, values = API.route("GET", f"/v1/{PROJECT}/jobs/{quote('a/b c', safe='')}") or (None, {})
    assert op is not None and op.operation_id == "ShowJob" and values["job_name"] == "a/b c"
    assert API.route("PATCH", f"/v1/{PROJECT}/jobs") is None
    assert API.route("GET", f"/v1/{PROJECT}/nothing") is None


def test_unknown_paths_and_methods_get_the_gateways_404(sim: Simulator) -> None:
    for method, path in (("GET", "/v3/nothing"), ("PATCH", f"/v1/{PROJECT}/jobs")):
        response = http(sim).request(method, path)
        assert response.status_code == 404
        assert response.json()["error_code"] == "APIGW.0101"
        assert response.headers["X-Request-Id"]
    assert [c.operation_id for c in sim.calls] == [None, None]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "code"),
    [
        # CDM: Cdm.0238 "%s cannot be empty." for what is missing, Cdm.0014 for the rest
        ("POST", f"/v1.1/{PROJECT}/clusters", {}, 400, "Cdm.0238"),
        ("POST", f"/v1.1/{PROJECT}/clusters", {"cluster": {"isAutoOff": "yes"}}, 400, "Cdm.0014"),
        ("GET", f"/v1.1/{PROJECT}/clusters/c/cdm/job/all?page_size=5", None, 400, "Cdm.0014"),
        ("GET", f"/v1.1/{PROJECT}/clusters/c/cdm/job/all?page_no=x", None, 400, "Cdm.0014"),
        ("GET", f"/v1.1/{PROJECT}/clusters/c/cdm/submissions", None, 400, "Cdm.0238"),
        # DLF: DLF.0802 for what is missing, DLF.3051 (the chapter 6 examples) for the rest
        ("POST", f"/v1/{PROJECT}/scripts", {"name": "s"}, 400, "DLF.0802"),
        ("GET", f"/v1/{PROJECT}/jobs?limit=5000", None, 400, "DLF.3051"),
        ("GET", f"/v1/{PROJECT}/jobs/instances/detail?preciseQuery=maybe", None, 400, "DLF.3051"),
        ("POST", f"/v1/{PROJECT}/connections", {"name": "c", "type": "FTP"}, 400, "DLF.3051"),
        # LakeFormation: common.01000001, its only documented 400 code
        ("POST", f"/v1/{PROJECT}/instances/i/lf-jobs", {"name": "x"}, 400, "common.01000001"),
    ],
)
def test_bad_requests_get_the_services_400(
    sim: Simulator, method: str, path: str, body: Any, status: int, code: str
) -> None:
    response = http(sim).request(method, path, json=body)
    assert response.status_code == status, response.text
    data = response.json()
    key = "errCode" if code.startswith("Cdm") else "error_code"
    assert data[key] == code
    message = data.get("externalMessage") or data.get("error_msg")
    assert message and len(message) < 600


def test_a_body_that_is_not_json(sim: Simulator) -> None:
    response = http(sim).post(f"/v1/{PROJECT}/scripts", content=b"{oops",
                              headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 400 and response.json()["error_code"] == "DLF.3051"


def test_x_required_when_on_a_property_is_applied(sim: Simulator) -> None:
    # ScriptCreate: connectionName required for most types, queueName for DLI SQL (spec/dlf.yaml)
    client = http(sim)
    shell = {"name": "a", "type": "Shell", "content": "ls"}
    response = client.post(f"/v1/{PROJECT}/scripts", json=shell)
    assert response.json()["error_code"] == "DLF.0802"
    assert "body.connectionName" in response.json()["error_msg"]
    assert client.post(f"/v1/{PROJECT}/scripts", json={**shell, "connectionName": "h"}).status_code == 204
    dli = {"name": "b", "type": "DLISQL", "content": "SELECT 1", "connectionName": "dli"}
    response = client.post(f"/v1/{PROJECT}/scripts", json=dli)
    assert response.status_code == 400 and "body.queueName" in response.json()["error_msg"]
    assert client.post(f"/v1/{PROJECT}/scripts", json={**dli, "queueName": "q"}).status_code == 204
    flink = {"name": "c", "type": "FlinkSQL", "content": "SELECT 1"}  # neither is required
    assert client.post(f"/v1/{PROJECT}/scripts", json=flink).status_code == 204


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: f"{op.service}.{op.operation_id}")
def test_every_generic_answer_fits_its_spec(op: Any) -> None:
    service = API.services[op.service]
    answer = generic_answer(service, op)
    assert response_problems(service, op, answer) == []


def _example_request(op: Any) -> tuple[str, dict[str, str], Any]:
    """A request for `op` made from its spec: documented examples, else sampled values."""
    service = API.services[op.service]
    path, query = op.path, {}
    for param in op.parameters:
        value = param.schema.get("example", sample(service, param.schema))
        if param.location == "path":
            path = path.replace("{" + param.name + "}", quote(str(value), safe=""))
        elif param.location == "query" and param.required:
            query[param.name] = str(value).lower() if isinstance(value, bool) else str(value)
    body = None
    if op.body_schema is not None:
        media = next(iter(op.raw["requestBody"].get("content", {}).values()), {})
        examples = [e.get("value") for e in (media.get("examples") or {}).values()]
        valid = [e for e in examples if not service.validator.check(op.body_schema, e, "")]
        body = valid[0] if valid else sample(service, op.body_schema)
    return path, query, body


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: f"{op.service}.{op.operation_id}")
def test_every_operation_answers_a_documented_request_within_its_spec(op: Any) -> None:
    sim = Simulator(clock=ManualClock(), check_responses=True)
    path, query, body = _example_request(op)
    headers = {"X-Language": "en_us", "workspace": "w"}
    response = http(sim).request(op.method, path, params=query, json=body, headers=headers)
    assert response.status_code < 500, response.text
    assert response.status_code != 404 or "404" in op.responses or "default" in op.responses
    assert sim.problems == []
    assert sim.calls[-1].operation_id == op.operation_id


def _api_with(service: str, change: Any) -> Any:
    """The shipped API with one service's document changed by `change(document)`."""
    document = json.loads(importlib.import_module(f"dataarts.{service}._openapi").DOCUMENT)
    change(document)
    api = load_api([name for name in API.services if name != service])
    api.services[service] = service_from_document(service, document)
    return api


def test_x_required_when_in_the_node_type_catalogue_is_applied() -> None:
    def change(document: dict[str, Any]) -> None:
        hive = document["components"]["schemas"]["JobNode"]["x-dlf-node-types"]["HiveSQL"]
        for prop in hive["properties"]:
            if prop["name"] == "connectionName":
                prop["x-required-when"] = {"database": ["sales"]}

    sim = Simulator(clock=ManualClock(), api=_api_with("dlf", change), check_responses=True)
    node = {"name": "n", "type": "HiveSQL", "location": {"x": 1, "y": 1}, "properties": []}
    job = {"name": "j", "nodes": [node], "schedule": {"type": "EXECUTE_ONCE"},
           "processType": "BATCH"}  # fmt: skip
    response = http(sim).post(f"/v1/{PROJECT}/jobs", json=job)
    assert response.json()["error_code"] == "DLF.0802"  # scriptName: required
    assert "properties.scriptName" in response.json()["error_msg"]
    node["properties"] = [
        {"name": "scriptName", "value": "s"},
        {"name": "database", "value": "sales"},
    ]
    response = http(sim).post(f"/v1/{PROJECT}/jobs", json=job)
    assert "properties.connectionName" in response.json()["error_msg"]
    node["properties"][1]["value"] = "other"
    assert http(sim).post(f"/v1/{PROJECT}/jobs", json=job).status_code == 204


def test_x_required_when_in_the_cdm_catalogue_is_applied() -> None:
    def change(document: dict[str, Any]) -> None:
        catalogue = document["components"]["schemas"]["Input"]["x-cdm-parameters"]
        for param in catalogue["link-config-values"]["relational-database"]["parameters"]:
            if param["name"] == "linkConfig.database":
                param["required"] = False
                param["x-required-when"] = {
                    "linkConfig.databaseType": ["MYSQL"],
                    "connector-name": ["generic-jdbc-connector"],
                }

    sim = Simulator(clock=ManualClock(), api=_api_with("cdm", change), check_responses=True)
    client = http(sim)
    cluster = client.post(f"/v1.1/{PROJECT}/clusters", json={"cluster": {"name": "c"}},
                          headers={"X-Language": "en_us"}).json()["id"]  # fmt: skip
    sim.clock.advance(sim.timings.cluster_create)
    values = {"linkConfig.databaseType": "MYSQL", "linkConfig.host": "h", "linkConfig.port": "1",
              "linkConfig.username": "u", "linkConfig.password": "p"}  # fmt: skip
    link = {"name": "l", "connector-name": "generic-jdbc-connector", "link-config-values": {
        "configs": [{"name": "linkConfig", "inputs": [
            {"name": k, "value": v} for k, v in values.items()]}]}}  # fmt: skip
    response = client.post(f"/v1.1/{PROJECT}/clusters/{cluster}/cdm/link", json={"links": [link]})
    assert response.json()["errCode"] == "Cdm.0238"
    assert "linkConfig.database" in response.json()["externalMessage"]
    link["link-config-values"]["configs"][0]["inputs"][0]["value"] = "ORACLE"
    response = client.post(f"/v1.1/{PROJECT}/clusters/{cluster}/cdm/link", json={"links": [link]})
    assert response.status_code == 200
