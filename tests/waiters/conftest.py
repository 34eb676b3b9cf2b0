"""The simulator on a ManualClock, clients over its in-process transports, and ready resources.

Waiters get `sleep=clock.sleep, clock=clock.now` (injectable, see `dataarts._runtime.waiters`):
a poll interval advances the virtual clock at once, so a 30-minute wait takes milliseconds and no
real sleep.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dataarts import AsyncCdmClient, AsyncDlfClient, CdmClient, DlfClient
from dataarts.testing import ManualClock, Simulator

BODIES = Path(__file__).resolve().parents[1] / "cli" / "bodies"
PROJECT = "0123456789abcdef0123456789abcdef"
SETTINGS: dict[str, Any] = {"project_id": PROJECT, "token": "t", "base_url": "http://simulator"}


def body(name: str) -> Any:
    """A request body of tests/cli/bodies (shared with the command-line tests)."""
    return json.loads((BODIES / name).read_text(encoding="utf-8"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sim(clock: ManualClock) -> Simulator:
    return Simulator(clock=clock)


@pytest.fixture
def virtual(clock: ManualClock) -> dict[str, Any]:
    """The waiter arguments that run it on the simulator's clock."""
    return {"sleep": clock.sleep, "clock": clock.now}


@pytest.fixture
def cdm(sim: Simulator) -> Iterator[CdmClient]:
    http = httpx.Client(transport=sim.transport())
    with CdmClient(http_client=http, **SETTINGS) as client:
        yield client


@pytest.fixture
def dlf(sim: Simulator) -> Iterator[DlfClient]:
    http = httpx.Client(transport=sim.transport())
    with DlfClient(workspace="ws", http_client=http, **SETTINGS) as client:
        yield client


def async_cdm(sim: Simulator) -> AsyncCdmClient:
    http = httpx.AsyncClient(transport=sim.async_transport())
    return AsyncCdmClient(http_client=http, **SETTINGS)


def async_dlf(sim: Simulator) -> AsyncDlfClient:
    http = httpx.AsyncClient(transport=sim.async_transport())
    return AsyncDlfClient(workspace="ws", http_client=http, **SETTINGS)


def create_cluster(cdm: CdmClient) -> str:
    return str(cdm.clusters.create(body=body("cluster.json")).id)


def create_job(cdm: CdmClient, cluster_id: str) -> str:
    """The links and the job of tests/cli/bodies on a normal cluster; the job's name."""
    for name in ("mysql_link.json", "obs_link.json"):
        cdm.links.create(cluster_id=cluster_id, body=body(name))
    cdm.jobs.create(cluster_id=cluster_id, body=body("job.json"))
    return str(body("job.json")["jobs"][0]["name"])


SCRIPT = {
    "name": "daily_orders",
    "type": "DLISQL",
    "content": "SELECT 1;",
    "connectionName": "dli_demo",  # required for DLISQL scripts (x-required-when)
    "queueName": "default",
}
JOB = {
    "name": "orders_job",
    "nodes": [{"name": "count", "type": "DLISQL", "location": {"x": 1, "y": 1},
               "properties": [{"name": "scriptName", "value": "daily_orders"}]}],
    "schedule": {"type": "EXECUTE_ONCE"},
    "processType": "BATCH",
}
