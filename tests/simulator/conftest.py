"""Shared pieces of the simulator tests: simulators whose every answer is checked against the
spec, and the generated clients pointed at them in-process or over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dataarts import CdmClient, DlfClient, FactoryClient, LakeFormationClient
from dataarts.testing import ManualClock, Simulator

PROJECT = "0123456789abcdef0123456789abcdef"
TOKEN = "MIIToken-Sup3rSecret-Value-0123456789"
AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000SK"
IN_PROCESS = "http://simulator"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A simulator on a ManualClock; the test fails if any answer broke the spec."""
    simulator = Simulator(clock=ManualClock(), check_responses=True)
    yield simulator
    assert simulator.problems == [], "answers that break the spec:\n" + "\n".join(
        simulator.problems
    )


def cdm_client(sim: Simulator, **options: Any) -> CdmClient:
    http = httpx.Client(transport=sim.transport())
    options.setdefault("token", TOKEN)
    return CdmClient(
        project_id=PROJECT, base_url=IN_PROCESS, http_client=http, **options
    )


def dlf_client(sim: Simulator, **options: Any) -> DlfClient:
    http = httpx.Client(transport=sim.transport())
    options.setdefault("token", TOKEN)
    return DlfClient(project_id=PROJECT, base_url=IN_PROCESS, http_client=http, **options)


def factory_client(sim: Simulator, **options: Any) -> FactoryClient:
    http = httpx.Client(transport=sim.transport())
    options.setdefault("token", TOKEN)
    return FactoryClient(project_id=PROJECT, base_url=IN_PROCESS, http_client=http, **options)


def lakeformation_client(sim: Simulator) -> LakeFormationClient:
    http = httpx.Client(transport=sim.transport())
    return LakeFormationClient(
        project_id=PROJECT, base_url=IN_PROCESS, token=TOKEN, http_client=http
    )


@pytest.fixture
def cdm(sim: Simulator) -> Iterator[CdmClient]:
    with cdm_client(sim) as client:
        yield client


@pytest.fixture
def dlf(sim: Simulator) -> Iterator[DlfClient]:
    with dlf_client(sim, workspace="ws-1") as client:
        yield client


@pytest.fixture
def factory(sim: Simulator) -> Iterator[FactoryClient]:
    """The v2 /factory/ operations (spec/factory.yaml), on the same simulated DLF state."""
    with factory_client(sim, workspace="ws-1") as client:
        yield client


# --- CDM resources, as the documents describe them --------------------------------------------

NODE = {
    "availability_zone": "ap-southeast-1a",
    "nics": [{"securityGroupId": "sg-1", "net-id": "subnet-1"}],
    "flavorRef": "a79fd5ae-1833-448a-88e8-3ea2b913e1f6",
    "type": "cdm",
}


def inputs(group: str, values: dict[str, str]) -> dict[str, Any]:
    return {"configs": [{"name": group, "inputs": [{"name": k, "value": v} for k, v in values.items()]}]}


MYSQL_LINK = {
    "name": "mysql_link",
    "connector-name": "generic-jdbc-connector",
    "link-config-values": inputs(
        "linkConfig",
        {
            "linkConfig.databaseType": "MYSQL",
            "linkConfig.host": "10.0.0.12",
            "linkConfig.port": "3306",
            "linkConfig.database": "sales",
            "linkConfig.username": "reader",
            "linkConfig.password": "Pa55word-Secret",
        },
    ),
}
OBS_LINK = {
    "name": "obs_link",
    "connector-name": "obs-connector",
    "link-config-values": inputs(
        "linkConfig",
        {
            "linkConfig.storageType": "OBS",
            "linkConfig.server": "obs.example.com",
            "linkConfig.port": "443",
            "linkConfig.accessKey": "DEMOACCESSKEY",
            "linkConfig.securityKey": "Security-Key-Secret",
        },
    ),
}


def job_body(name: str = "mysql2obs", **changes: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "job_type": "NORMAL_JOB",
        "from-connector-name": "generic-jdbc-connector",
        "from-link-name": "mysql_link",
        "to-connector-name": "obs-connector",
        "to-link-name": "obs_link",
        "from-config-values": inputs(
            "fromJobConfig",
            {"fromJobConfig.schemaName": "sales", "fromJobConfig.tableName": "orders"},
        ),
        "to-config-values": inputs(
            "toJobConfig",
            {
                "toJobConfig.bucketName": "bucket",
                "toJobConfig.outputDirectory": "/out/dir/",
                "toJobConfig.outputFormat": "CSV_FILE",
            },
        ),
        "driver-config-values": inputs(
            "throttlingConfig", {"throttlingConfig.numExtractors": "2"}
        ),
    }
    body.update(changes)
    return body


# --- DLF: a DLI SQL script and a one-time job running it ----------------------------------

DLI_SCRIPT = {"name": "daily", "type": "DLISQL", "content": "SELECT 1;", "queueName": "q1",
              "connectionName": "dli"}  # fmt: skip
DLI_JOB = {
    "name": "orders_job",
    "nodes": [{"name": "count", "type": "DLISQL", "location": {"x": 1, "y": 1},
               "properties": [{"name": "scriptName", "value": "daily"}]}],
    "schedule": {"type": "EXECUTE_ONCE"},
    "processType": "BATCH",
}  # fmt: skip


def ready_cluster(sim: Simulator, cdm: CdmClient) -> str:
    """A normal (200) cluster with the MySQL and OBS links; its id."""
    created = cdm.clusters.create(body={"cluster": {"name": "c1", "instances": [NODE]}})
    sim.clock.advance(sim.timings.cluster_create)
    cluster_id = str(created.id)
    cdm.links.create(cluster_id=cluster_id, body={"links": [MYSQL_LINK]})
    cdm.links.create(cluster_id=cluster_id, body={"links": [OBS_LINK]})
    return cluster_id
