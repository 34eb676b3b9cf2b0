"""What the tests of the generated catalogue modules share: the catalogues as the spec states
them, the config lists and nodes of the recorded fixtures, and a mock service that records."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.spec import fixturelib as fl

PROJECT = "1551c7f6c808414d8e9f3c514a170f2e"
CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
PLACES = ("link-config-values", "from-config-values", "to-config-values", "driver-config-values")


def cdm_catalogue() -> dict[str, dict[str, Any]]:
    return fl.load_spec("cdm")["components"]["schemas"]["Input"]["x-cdm-parameters"]


def node_catalogue() -> dict[str, Any]:
    return fl.load_spec("dlf")["components"]["schemas"]["JobNode"]["x-dlf-node-types"]


def fixture_config_lists() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(id, place, link or job) for every link and job config list of the CDM fixtures."""
    for fx in fl.fixtures("cdm"):
        for part in ("request", "response"):
            body = fx.data[part].get("body")
            body = body if isinstance(body, dict) else {}
            for i, link in enumerate(body.get("links", [])):
                yield f"{fx.name}/{part}/links/{i}", "link-config-values", link
            for i, job in enumerate(body.get("jobs", [])):
                for place in PLACES[1:]:
                    if place in job:
                        yield f"{fx.name}/{part}/jobs/{i}/{place}", place, job


def fixture_nodes() -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, node) for every job-definition node (one with properties) of the DLF fixtures."""
    for fx in fl.fixtures("dlf"):
        for part in ("request", "response"):
            body = fx.data[part].get("body")
            nodes = body.get("nodes") if isinstance(body, dict) else None
            for i, node in enumerate(nodes if isinstance(nodes, list) else []):
                if "properties" in node:
                    yield f"{fx.name}/{part}/nodes/{i}", node


def pairs(config_values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(i["name"], i["value"]) for c in config_values["configs"] for i in c["inputs"]]


@dataclass
class MockService:
    """Answers by (method, path pattern) and records every request it gets."""

    routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = field(
        default_factory=dict
    )
    requests: list[httpx.Request] = field(default_factory=list)

    def on(self, method: str, pattern: str, body: Any, status: int = 200) -> None:
        self.routes[(method, pattern)] = lambda request: httpx.Response(status, json=body)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for (method, pattern), answer in self.routes.items():
            if request.method == method and re.fullmatch(pattern, request.url.path):
                return answer(request)
        return httpx.Response(404, json={"errCode": "Cdm.0000", "externalMessage": "no route"})

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def sent(self, method: str) -> list[Any]:
        return [json.loads(r.content) for r in self.requests if r.method == method and r.content]
