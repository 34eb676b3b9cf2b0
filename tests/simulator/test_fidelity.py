"""Answers as the service gives them, over loopback HTTP: the region and zone asked for, exports
holding what exists (and imports reading them back), one answer to an unknown CDM cluster, and
`calls_to` as the README describes it."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from dataarts import CdmClient, DlfClient, NotFoundError, WaiterFailedError
from dataarts.testing import ManualClock, RemoteSimulator, Simulator, SimulatorServer
from dataarts.testing.generic import sample
from tests.simulator.conftest import DLI_JOB, DLI_SCRIPT, NODE, PROJECT, TOKEN

SCRIPT = {**DLI_SCRIPT, "directory": "/etl"}
JOB = {**DLI_JOB, "directory": "/etl"}


@pytest.fixture
def served(sim: Simulator) -> Iterator[SimulatorServer]:
    with sim.serve() as server:
        yield server


@pytest.fixture
def cdm(served: SimulatorServer) -> Iterator[CdmClient]:
    with CdmClient(project_id=PROJECT, base_url=served.base_url, token=TOKEN) as client:
        yield client


@pytest.fixture
def dlf(served: SimulatorServer) -> Iterator[DlfClient]:
    options: dict[str, Any] = {"project_id": PROJECT, "base_url": served.base_url, "token": TOKEN}
    with DlfClient(workspace="ws", **options) as client:
        yield client


def test_answers_echo_the_region_and_zone_asked_for(cdm: CdmClient) -> None:
    zones = cdm.availability_zones.list(region_id="eu-west-101")
    assert zones.region_id == "eu-west-101" and zones.default_az == "eu-west-101a"
    codes = [zone.available_zone_code for zone in zones.available_zones or ()]
    assert codes and all(str(code).startswith("eu-west-101") for code in codes)
    node = {**NODE, "availability_zone": codes[1]}
    created = cdm.clusters.create(body={"cluster": {"name": "c1", "instances": [node]}})
    assert cdm.clusters.get(cluster_id=str(created.id)).az_name == codes[1]
    assert cdm.availability_zones.list(region_id="ap-southeast-3").region_id == "ap-southeast-3"


def _zip(data: bytes) -> dict[str, Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: json.loads(zf.read(name)) for name in zf.namelist()}


def test_an_export_holds_the_jobs_and_an_import_reads_it_back(
    sim: Simulator, served: SimulatorServer, dlf: DlfClient
) -> None:
    dlf.scripts.create(body=SCRIPT)
    dlf.jobs.create(body=JOB)
    dlf.jobs.create(body={**JOB, "name": "other_job"})
    exported = dlf.jobs.export(job_name="orders_job")
    files = _zip(exported)
    assert sorted(files) == ["jobs/orders_job.job", "scripts/daily.script"]
    assert files["jobs/orders_job.job"] == JOB and files["scripts/daily.script"] == SCRIPT
    both = _zip(dlf.jobs.batch_export(body={"jobList": ["orders_job", "other_job"]}))
    assert sorted(both) == ["jobs/orders_job.job", "jobs/other_job.job", "scripts/daily.script"]
    only_jobs = dlf.jobs.batch_export(body={"jobList": ["other_job"], "exportDepend": False})
    assert sorted(_zip(only_jobs)) == ["jobs/other_job.job"]

    # the zip goes to (simulated) OBS, from another process's point of view: the control API
    with RemoteSimulator(served.base_url) as remote:
        remote.put_object("obs://backups/etl.zip", exported)
    listed = dlf.jobs.check_file(body={"path": "obs://backups/etl.zip"})
    assert [(j.name, j.path) for j in listed.jobs or ()] == [("orders_job", "/etl")]
    assert [(s.name, s.path) for s in listed.scripts or ()] == [("daily", "/etl")]
    dlf.jobs.delete(job_name="orders_job", body={})
    dlf.scripts.delete(script_name="daily")
    task_id = dlf.jobs.import_(body={"path": "obs://backups/etl.zip"}).task_id
    task = dlf.system_tasks.wait_until_done(
        task_id=task_id, sleep=sim.clock.sleep, clock=sim.clock.now
    )
    assert task.status == "SUCCESSFUL"
    assert dlf.jobs.get(job_name="orders_job").nodes[0].properties[0].value == "daily"
    assert dlf.scripts.get(script_name="daily").content == "SELECT 1;"
    # a path with no file: the import task fails
    failing = dlf.jobs.import_(body={"path": "obs://backups/none.zip"}).task_id
    with pytest.raises(WaiterFailedError):
        dlf.system_tasks.wait_until_done(task_id=failing, sleep=sim.clock.sleep, clock=sim.clock.now)


def test_a_connection_export_leaves_passwords_out(dlf: DlfClient) -> None:
    config = {"ip": "10.0.0.5", "port": "3306", "userName": "u", "password": "S3cret-pw",
              "kmsKey": "key", "agentName": "cdm", "driverName": "com.mysql.jdbc.Driver",
              "driverPath": "obs://b/driver.jar"}  # fmt: skip
    dlf.connections.create(body={"name": "rds", "type": "RDS", "config": config})
    files = _zip(dlf.connections.export())
    assert list(files) == ["connections/rds.conn"]
    assert files["connections/rds.conn"]["config"]["ip"] == "10.0.0.5"
    assert "S3cret-pw" not in json.dumps(files)


CLUSTER_OPERATIONS = [
    op for op in Simulator(clock=ManualClock()).api.operations if "{cluster_id}" in op.path
]


@pytest.mark.parametrize("op", CLUSTER_OPERATIONS, ids=lambda op: op.operation_id)
def test_an_unknown_cluster_gets_one_answer_from_every_operation(
    sim: Simulator, served: SimulatorServer, op: Any
) -> None:
    spec = sim.api.services[op.service]
    path = op.path.replace("{cluster_id}", "ghost-cluster")
    query: dict[str, str] = {}
    for param in op.parameters:
        value = str(param.schema.get("example", sample(spec, param.schema)))
        if param.location == "path":
            path = path.replace("{" + param.name + "}", quote(value, safe=""))
        elif param.location == "query" and param.required:
            query[param.name] = value
    body = sample(spec, op.body_schema) if op.body_schema is not None else None
    response = httpx.request(op.method, served.base_url + path, params=query, json=body,
                             headers={"X-Auth-Token": TOKEN, "X-Language": "en_us"})  # fmt: skip
    assert response.json()["errCode"] == "Cdm.0001", response.text
    # doc: the live service answers a missing cluster 404 (Terraform provider, ShowClusterDetail)
    # and the documents list 404 for the cluster and link operations; CreateJob and UpdateJob
    # list only 200 and 400, so there the same code comes with 400
    documented = "404" in op.responses or "default" in op.responses
    assert response.status_code == (404 if documented else 400)


def test_clusters_get_and_jobs_get_status_agree(cdm: CdmClient) -> None:
    for call in (
        lambda: cdm.clusters.get(cluster_id="ghost"),
        lambda: cdm.jobs.get_status(cluster_id="ghost", job_name="job"),
        lambda: cdm.links.get(cluster_id="ghost", link_name="link"),
    ):
        with pytest.raises(NotFoundError) as info:
            call()
        assert (info.value.status_code, info.value.error_code) == (404, "Cdm.0001")


def test_calls_to_does_what_the_readme_says(
    sim: Simulator, cdm: CdmClient, dlf: DlfClient
) -> None:
    cluster = sim.cdm.create_cluster(PROJECT, normal=True)
    with pytest.raises(NotFoundError):
        cdm.clusters.get(cluster_id="ghost")
    dlf.scripts.create(body=SCRIPT)
    dlf.jobs.create(body=JOB)
    dlf.jobs.get_status(job_name="orders_job")
    for _ in range(2):
        cdm.clusters.get(cluster_id=cluster.id)
    assert [c.status for c in sim.calls_to("ShowClusterDetail")] == [404, 200, 200]
    assert [c.service for c in sim.calls_to("dlf.ShowJobStatus")] == ["dlf"]
    assert sim.calls_to("cdm.ShowJobStatus") == []
    with pytest.raises(ValueError, match="did you mean .*ShowClusterDetail"):
        sim.calls_to("ShowClusterDetails")  # a typo would otherwise count 0 forever
    with pytest.raises(ValueError):
        sim.calls_to("cdm.CreateScript")  # DLF's, not CDM's
