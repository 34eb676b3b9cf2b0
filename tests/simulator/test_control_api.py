"""The control API over loopback HTTP, through `RemoteSimulator` and plain requests: everything a
test in another language needs (seeding, every fault kind, the clock, credentials, the call log),
and its OpenAPI document, served, shipped and in step with the code."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from dataarts import AkSkAuth, CdmClient, DlfClient
from dataarts.testing import (
    FastClock,
    ManualClock,
    RemoteSimulator,
    RemoteSimulatorError,
    Simulator,
    SimulatorServer,
    Timings,
    control,
)
from dataarts.testing.control_openapi import DOCUMENT
from dataarts.testing.faults import KIND_FIELDS, KINDS
from tests.simulator.conftest import AK, MYSQL_LINK, OBS_LINK, PROJECT, SK, TOKEN, job_body

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = {"name": "s", "type": "Shell", "content": "ls", "connectionName": "host"}
DLF_JOB = {"name": "j", "processType": "BATCH", "schedule": {"type": "EXECUTE_ONCE"},
           "nodes": [{"name": "n", "type": "Shell", "location": {"x": 1, "y": 1},
                      "properties": [{"name": "scriptName", "value": "s"},
                                     {"name": "connectionName", "value": "host"}]}]}  # fmt: skip
Served = tuple[Simulator, SimulatorServer, RemoteSimulator]


@pytest.fixture
def served() -> Iterator[Served]:
    sim = Simulator(clock=ManualClock(), check_responses=True)
    with sim.serve() as server, RemoteSimulator(server.base_url) as remote:
        yield sim, server, remote
    assert sim.problems == []


def cdm_client(server: SimulatorServer, **options: Any) -> CdmClient:
    options.setdefault("token", TOKEN)
    return CdmClient(project_id=PROJECT, base_url=server.base_url, max_retries=0, **options)


# -- the document ------------------------------------------------------------------------------


def test_the_document_is_served_valid_and_in_step_with_the_code(served: Served) -> None:
    _, server, remote = served
    document = remote.openapi()
    assert document == json.loads(json.dumps(DOCUMENT))  # served as shipped
    validate(document)  # openapi-spec-validator
    operations = {
        op["operationId"] for item in document["paths"].values() for op in item.values()
    }
    assert operations == set(control.HANDLERS)
    schemas = document["components"]["schemas"]
    assert set(schemas["Timings"]["properties"]) == {f.name for f in dataclasses.fields(Timings)}
    for kind in KINDS:
        properties = set(schemas[f"{kind.capitalize()}Fault"]["properties"])
        assert properties == {"kind", "operation", "on_call", "times", *KIND_FIELDS[kind]}
    # unknown paths and requests that do not fit get the control API's own errors
    missing = httpx.get(f"{server.base_url}/_simulator/nothing")
    assert (missing.status_code, missing.json()["error_code"]) == (404, "SIM.0404")
    bad = httpx.post(f"{server.base_url}/_simulator/clock/advance", json={"seconds": -1})
    assert (bad.status_code, bad.json()["error_code"]) == (400, "SIM.0400")
    assert "body.seconds" in bad.json()["error_msg"]


def test_health_and_reset(served: Served) -> None:
    sim, server, remote = served
    health = remote.health()
    assert health["status"] == "ok" and health["speed"] is None
    assert health["services"] == sorted(sim.api.services)
    remote.seed_cluster(PROJECT, name="c1")
    remote.faults.error("ListClusters", times=None)
    remote.put_object("obs://b/k", b"x")
    remote.reset()
    with cdm_client(server) as cdm:
        assert cdm.clusters.list().clusters == []
    assert remote.objects() == [] and remote.faults.active == []


# -- seeding through the backends --------------------------------------------------------------


def test_a_world_seeded_over_http_is_what_the_services_answer(served: Served) -> None:
    sim, server, remote = served
    cluster = remote.seed_cluster(PROJECT, name="c1", links=[MYSQL_LINK, OBS_LINK],
                                  jobs=[job_body()])  # fmt: skip
    assert (cluster["name"], cluster["status"]) == ("c1", "200")
    started = remote.seed_cdm_job(PROJECT, cluster["id"], job_body("second"), start=True)
    assert started["status"] == "BOOTING"
    link = remote.seed_link(PROJECT, cluster["id"], {**MYSQL_LINK, "name": "third"})
    assert "Pa55word-Secret" not in json.dumps(link)  # secrets stored, never answered
    with cdm_client(server) as cdm:
        assert cdm.clusters.get(cluster_id=cluster["id"]).status == "200"
        jobs = cdm.jobs.get(cluster_id=cluster["id"], job_name="all")
        assert sorted(job.name for job in jobs.jobs or ()) == ["mysql2obs", "second"]
        remote.clock.advance(sim.timings.job_boot + sim.timings.job_run)
        run = cdm.jobs.get_status(cluster_id=cluster["id"], job_name="second").submissions[0]
        assert run.status == "SUCCEEDED"

    remote.seed_script(PROJECT, SCRIPT, workspace="ws")
    remote.seed_dlf_job(PROJECT, DLF_JOB, workspace="ws", start=True)
    connection = {"name": "rds", "type": "RDS", "config": {"ip": "10.0.0.5", "port": "3306",
                  "userName": "u", "password": "S3cret", "kmsKey": "k", "agentName": "a",
                  "driverName": "com.mysql.jdbc.Driver", "driverPath": "obs://b/d.jar"}}  # fmt: skip
    assert remote.seed_connection(PROJECT, connection, workspace="ws")["config"]["password"] == "*****"
    resource = remote.seed_resource(PROJECT, {"name": "r", "type": "jar",
                                              "location": "obs://b/r.jar"}, workspace="ws")  # fmt: skip
    with DlfClient(project_id=PROJECT, base_url=server.base_url, token=TOKEN,
                   workspace="ws") as dlf:  # fmt: skip
        assert dlf.jobs.list().jobs[0].status == "SCHEDULING"
        assert [i.job_name for i in dlf.job_instances.list().instances or ()] == ["j"]
        assert dlf.resources.get(resource_id=resource["id"]).location == "obs://b/r.jar"

    discovery = {"data_location": "obs://b/", "target_catalog": "t", "target_database": "d",
                 "conflict_strategy": "UPSERT", "file_discovery_type": "PARQUET",
                 "log_location": "obs://b/logs/", "instance_id": "i-1"}  # fmt: skip
    lake_job = {"name": "discover", "type": "METADATA_DISCOVERY",
                "parameter": {"metadata_discovery_parameter": discovery}}  # fmt: skip
    seeded = remote.seed_lakeformation_job(PROJECT, "i-1", lake_job)
    assert seeded["status"] == "CREATED"
    assert [job.name for job in sim.lakeformation.jobs(PROJECT, "i-1")] == ["discover"]


def test_seeds_get_the_services_rules_and_checks(served: Served) -> None:
    _, _, remote = served
    cluster = remote.seed_cluster(PROJECT, name="c1")
    cases = [
        # the service's own rule: the job's links do not exist
        (lambda: remote.seed_cdm_job(PROJECT, cluster["id"], job_body()), 400, "Cdm.0101"),
        # the create operation's schema check
        (lambda: remote.seed_cdm_job(PROJECT, cluster["id"], {"name": 5}), 400, "SIM.0400"),
        (lambda: remote.seed_link(PROJECT, "nope", MYSQL_LINK), 404, "Cdm.0001"),
        (lambda: remote.seed_script(PROJECT, {"name": "s"}), 400, "SIM.0400"),
    ]
    for attempt, status, code in cases:
        with pytest.raises(RemoteSimulatorError) as info:
            attempt()
        assert (info.value.status, info.value.code) == (status, code), info.value


# -- faults ------------------------------------------------------------------------------------


def test_every_fault_kind_over_http(served: Served) -> None:
    _, server, remote = served
    base = f"{server.base_url}/v1/{PROJECT}/scripts"
    with httpx.Client(headers={"X-Auth-Token": TOKEN}) as http:
        remote.faults.throttle("ListScripts", retry_after=7)
        throttled = http.get(base)
        assert (throttled.status_code, throttled.headers["Retry-After"]) == (429, "7")
        remote.faults.error("CreateScript", status=503, after=True)
        assert http.post(base, json=SCRIPT).status_code == 503
        assert http.get(base).json()["total"] == 1  # created before the failure
        remote.faults.slow("ListScripts", seconds=2)  # latency
        with pytest.raises(httpx.ReadTimeout):
            http.get(base, timeout=0.3)
        remote.faults.drop("ListScripts")
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(base)
        remote.faults.truncate("ListScripts")
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(base)
        remote.faults.html(status=504)
        assert b"<title>504 Gateway Timeout</title>" in http.get(base).content
        assert http.get(base).status_code == 200
    assert [kind for _, kind in remote.faults.injected] == [
        "throttle", "error", "slow", "drop", "truncate", "html"
    ]
    remote.faults.error(times=None)
    assert [f.kind for f in remote.faults.active] == ["error"]
    remote.faults.clear()
    assert remote.faults.active == []


def test_a_failed_run_planned_over_http(served: Served) -> None:
    sim, server, remote = served
    cluster = remote.seed_cluster(PROJECT, links=[MYSQL_LINK, OBS_LINK], jobs=[job_body()])
    remote.fail_next_run("cdm", "mysql2obs", "Table orders does not exist.")
    with cdm_client(server) as cdm:
        cdm.jobs.start(cluster_id=cluster["id"], job_name="mysql2obs")
        remote.clock.advance(sim.timings.job_boot + sim.timings.job_run)
        run = cdm.jobs.get_status(cluster_id=cluster["id"], job_name="mysql2obs").submissions[0]
    assert (run.status, run.error_summary) == ("FAILED", "Table orders does not exist.")
    remote.seed_script(PROJECT, SCRIPT)
    remote.seed_dlf_job(PROJECT, DLF_JOB)
    remote.fail_next_run("dlf", "j")
    with DlfClient(project_id=PROJECT, base_url=server.base_url, token=TOKEN) as dlf:
        instance = dlf.jobs.run_immediately(job_name="j", body={}).instance_id
        remote.clock.advance(sim.timings.instance_wait + sim.timings.instance_run)
        assert dlf.job_instances.get(job_name="j", instance_id=instance).status == "fail"


# -- clock, timings, credentials, calls --------------------------------------------------------


def test_clock_speed_and_timings() -> None:
    sim = Simulator(clock=FastClock(speed=1.0))
    with sim.serve() as server, RemoteSimulator(server.base_url) as remote:
        assert remote.clock.speed == 1.0
        remote.clock.set_speed(3600.0)  # an hour a second
        before = remote.clock.now()
        time.sleep(0.05)
        assert remote.clock.now() - before >= 3600 * 0.05
        remote.clock.set_speed(1.0)
        assert remote.set_timings(cluster_create=0.0)["cluster_create"] == 0.0
        with cdm_client(server) as cdm:
            created = cdm.clusters.create(body={"cluster": {"name": "quick"}})
            assert cdm.clusters.get(cluster_id=str(created.id)).status == "200"
        with pytest.raises(RemoteSimulatorError) as info:
            remote.clock.set_speed(0)
        assert info.value.code == "SIM.0400"
    manual = Simulator(clock=ManualClock())
    with manual.serve() as server, RemoteSimulator(server.base_url) as remote:
        with pytest.raises(RemoteSimulatorError) as info:
            remote.clock.set_speed(2.0)
        assert (info.value.status, info.value.code) == (409, "SIM.0409")
        now = remote.clock.now()
        remote.clock.sleep(30)  # a manual clock advances
        assert remote.clock.now() == now + 30


def test_credential_checking_is_switched_over_http(served: Served) -> None:
    _, server, remote = served
    remote.set_credentials({AK: SK})
    state = remote.request("GET", "credentials").json()
    assert state == {"checking": True, "access_keys": [AK]} and SK not in json.dumps(state)
    unsigned = httpx.get(f"{server.base_url}/v1.1/{PROJECT}/clusters")
    assert (unsigned.status_code, unsigned.json()["error_code"]) == (401, "APIGW.0301")
    signed = httpx.get(f"{server.base_url}/v1.1/{PROJECT}/clusters", auth=AkSkAuth(AK, SK))
    assert signed.status_code == 200
    remote.set_credentials(None)
    assert httpx.get(f"{server.base_url}/v1.1/{PROJECT}/clusters").status_code == 200


def test_the_call_log_is_read_and_cleared(served: Served) -> None:
    _, server, remote = served
    with cdm_client(server) as cdm:
        for _ in range(3):
            cdm.clusters.list()
        cdm.clusters.create(body={"cluster": {"name": "c"}})
    calls = remote.calls()
    assert [c.operation_id for c in calls] == ["ListClusters"] * 3 + ["CreateCluster"]
    assert [c.status for c in remote.calls_to("cdm.CreateCluster")] == [202]
    assert len(remote.calls(limit=2)) == 2
    with pytest.raises(RemoteSimulatorError) as info:
        remote.calls_to("CreateClustr")
    assert info.value.code == "SIM.0400" and "CreateCluster" in info.value.message
    remote.clear_calls()
    assert remote.calls() == []


# -- from a shell ------------------------------------------------------------------------------


def test_a_simulator_started_from_a_shell_does_what_simulator_does() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated")}
    command = [sys.executable, "-m", "dataarts.testing", "serve", "--manual-clock"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        assert process.stdout.readline().strip() == f"control API: {url}/_simulator/openapi.json"
        with RemoteSimulator(url) as remote, CdmClient(
            project_id=PROJECT, base_url=url, token=TOKEN
        ) as cdm:
            cluster = remote.seed_cluster(PROJECT, links=[MYSQL_LINK, OBS_LINK], jobs=[job_body()])
            cdm.jobs.start(cluster_id=cluster["id"], job_name="mysql2obs")
            remote.clock.advance(Timings().job_boot + Timings().job_run)
            run = cdm.jobs.get_status(cluster_id=cluster["id"], job_name="mysql2obs")
            assert run.submissions[0].status == "SUCCEEDED"
            assert len(remote.calls_to("cdm.StartJob")) == 1
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
