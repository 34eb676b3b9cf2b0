"""Every request the documents show succeeding passes the simulator's checks: the operation's
schemas, the CDM parameter catalogue and the DLF node-type catalogue. (Fixtures that knowingly
break their schema, listed in the fixtures' allowlists, are left out.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from dataarts.testing.cdm.configs import Catalogue, job_problems, link_problems
from dataarts.testing.dlf.nodes import node_problems, node_types
from dataarts.testing.incoming import SimRequest, read_call
from dataarts.testing.spec import load_api
from tests.spec import fixturelib as fl

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
API = load_api()
CATALOGUE = Catalogue.find(API)
NODE_TYPES = node_types(API)


def documented_successes(*, with_slips: bool) -> list[Any]:
    cases = []
    for service in sorted(p.name for p in FIXTURES.iterdir() if (p / "allowlist.yaml").is_file()):
        allowlist = yaml.safe_load((FIXTURES / service / "allowlist.yaml").read_text()) or []
        slips = {entry["fixture"] for entry in allowlist
                 if str(entry["pointer"]).startswith("/request/")}  # fmt: skip
        for path in sorted((FIXTURES / service).glob("*.json")):
            fixture = json.loads(path.read_text(encoding="utf-8"))
            name = path.name.removesuffix(".json")
            if fixture["response"]["status"] < 300 and (with_slips or name not in slips):
                # as a client sends it: a field the document spells otherwise, in the wire's spelling
                wire = fl.wire_bodies(fl.Fixture(service, name, path, fixture))[0]
                sent = {**fixture, "request": {**fixture["request"], "body": wire}}
                if "body" not in fixture["request"]:
                    sent = fixture
                cases.append(pytest.param(service, sent, id=f"{service}/{name}"))
    return cases


def routed(fixture: dict[str, Any]) -> tuple[Any, Any, SimRequest]:
    request = fixture["request"]
    url = httpx.URL("http://simulator" + request["path"], params=request.get("query") or None)
    raw_path, _, raw_query = url.raw_path.decode().partition("?")
    body = json.dumps(request["body"]).encode() if "body" in request else b""
    routed = API.route(request["method"], raw_path)
    assert routed is not None
    op, values = routed
    headers = httpx.Headers({"X-Language": "en_us", **request.get("headers", {})})
    return op, values, SimRequest(request["method"], raw_path, raw_query, headers, body)


@pytest.mark.parametrize(("service", "fixture"), documented_successes(with_slips=False))
def test_documented_requests_fit_their_schemas(service: str, fixture: dict[str, Any]) -> None:
    op, values, request = routed(fixture)
    read_call(API.services[op.service], op, request, values)


@pytest.mark.parametrize(("service", "fixture"), documented_successes(with_slips=True))
def test_documented_requests_fit_the_catalogues(service: str, fixture: dict[str, Any]) -> None:
    op, _, request = routed(fixture)
    body = json.loads(request.body) if request.body else None
    problems = []
    if op.service == "cdm":
        for link in (body or {}).get("links") or ():
            problems += link_problems(CATALOGUE, link)
        for job in (body or {}).get("jobs") or ():
            problems += job_problems(CATALOGUE, job)
    if op.service == "dlf" and isinstance(body, dict) and "nodes" in body:
        problems += node_problems(NODE_TYPES, list(body["nodes"]), "body.nodes")
    assert [str(p) for p in problems] == []
