"""The backends from Python (a world set up in a line, the services' rules applied), seen by the
clients over loopback HTTP; the structure: handlers call backends, never each other; a second
route family shares a backend; a new spec is served at once."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from dataarts import CdmClient, DlfClient, FactoryClient
from dataarts.testing import ManualClock, Simulator, SimulatorServer
from dataarts.testing.answers import ApiError
from dataarts.testing.generic import sample
from dataarts.testing.spec import Api, load_api, service_from_document
from tests.simulator.conftest import (
    DLI_JOB,
    DLI_SCRIPT,
    MYSQL_LINK,
    OBS_LINK,
    PROJECT,
    TOKEN,
    job_body,
)
from tests.test_import_graph import GENERATED, graph

SCRIPT, DLF_JOB = DLI_SCRIPT, DLI_JOB


@pytest.fixture
def served(sim: Simulator) -> Iterator[SimulatorServer]:
    with sim.serve() as server:
        yield server


def test_a_running_cluster_with_a_job_in_one_line(
    sim: Simulator, served: SimulatorServer
) -> None:
    cluster = sim.cdm.create_cluster(
        PROJECT, name="c1", normal=True, links=[MYSQL_LINK, OBS_LINK], jobs=[job_body()]
    )
    run = sim.cdm.start_job(PROJECT, cluster.id, "mysql2obs")
    with CdmClient(project_id=PROJECT, base_url=served.base_url, token=TOKEN) as cdm:
        assert cdm.clusters.get(cluster_id=cluster.id).status == "200"
        status = cdm.jobs.get_status(
            cluster_id=cluster.id, job_name="mysql2obs"
        ).submissions[0]
        assert (status.status, status.submission_id) == ("BOOTING", run.id)
        sim.clock.advance(sim.timings.job_boot + sim.timings.job_run)
        status = cdm.jobs.get_status(
            cluster_id=cluster.id, job_name="mysql2obs"
        ).submissions[0]
        assert status.status == "SUCCEEDED"
        # and what the client changes, the backend sees
        cdm.jobs.delete(cluster_id=cluster.id, job_name="mysql2obs")
    assert sim.cdm.jobs(PROJECT, cluster.id) == []


def test_backends_apply_the_services_rules_from_python(sim: Simulator) -> None:
    cluster = sim.cdm.create_cluster(PROJECT, normal=True, links=[MYSQL_LINK])
    with pytest.raises(ApiError) as info:
        sim.cdm.create_link(PROJECT, cluster.id, MYSQL_LINK)
    assert info.value.code == "Cdm.0315"
    with pytest.raises(ApiError) as info:
        sim.cdm.create_job(PROJECT, cluster.id, job_body())  # no OBS link yet
    assert info.value.code == "Cdm.0101"
    creating = sim.cdm.create_cluster(PROJECT)
    with pytest.raises(ApiError) as info:
        sim.cdm.start_cluster(PROJECT, creating.id)
    assert info.value.code == "Cdm.0001"
    # all or nothing: a cluster whose job cannot be created is not created either
    with pytest.raises(ApiError):
        sim.cdm.create_cluster(PROJECT, name="half", normal=True, jobs=[job_body()])
    assert [c.name for c in sim.cdm.clusters(PROJECT)].count("half") == 0
    with pytest.raises(ApiError) as info:
        sim.cdm.cluster(PROJECT, "nope")
    assert (info.value.code, info.value.status) == ("Cdm.0001", 404)


def test_a_dlf_workspace_from_python(sim: Simulator, served: SimulatorServer) -> None:
    space = sim.dlf.workspace(PROJECT, "ws-1")
    space.create_script(SCRIPT)
    space.create_job(DLF_JOB)
    instance = space.run_job("orders_job")
    with pytest.raises(ApiError) as info:
        space.create_job(DLF_JOB)
    assert info.value.code == "DLF.0102"
    options: dict[str, Any] = {
        "project_id": PROJECT,
        "base_url": served.base_url,
        "token": TOKEN,
    }
    with DlfClient(workspace="ws-1", **options) as dlf:
        detail = dlf.job_instances.get(job_name="orders_job", instance_id=instance.id)
        assert (
            detail.status == "waiting"
            and detail.nodes
            and detail.nodes[0].queue == "q1"
        )
    with DlfClient(workspace="ws-2", **options) as other:
        assert other.jobs.list().total == 0


def test_handlers_call_backends_never_each_other() -> None:
    edges = graph("dataarts.testing", GENERATED / "dataarts" / "testing")
    for module, targets in edges.items():
        if module.endswith(".responses"):
            others = {t for t in targets if t.endswith(".responses")}
            assert others == set(), f"{module} imports other handlers: {others}"
        if module.endswith((".backend", ".model")):
            layers = {
                t for t in targets if t.endswith((".responses", ".views", "control"))
            }
            assert layers == set(), f"{module} depends on the HTTP side: {layers}"


def test_a_second_route_family_shares_the_dlf_backend() -> None:
    """DLF's v1 paths (`dlf`) and the v2 `/factory/` family (`factory`, a spec and host of its
    own) act on the same jobs and instances: the routing table serves both from one backend.
    """
    sim = Simulator(clock=ManualClock(), check_responses=True)
    with sim.serve() as server:
        options: dict[str, Any] = {"project_id": PROJECT, "base_url": server.base_url,
                                   "token": TOKEN, "workspace": "ws-1"}  # fmt: skip
        with DlfClient(**options) as dlf, FactoryClient(**options) as factory:
            dlf.scripts.create(body=SCRIPT)
            dlf.jobs.create(body=DLF_JOB)  # v1, service dlf
            dlf.jobs.start(job_name="orders_job")
            v2 = factory.job_instances.list_by_job(
                job_name="orders_job"
            )  # v2, service factory
            assert [i.job_name for i in v2.instances or ()] == ["orders_job"]
            renamed = factory.jobs.rename(
                job_name="orders_job", body={"name": "renamed"}
            )
            assert (
                renamed.is_success
                and dlf.jobs.get(job_name="renamed").name == "renamed"
            )
    assert {c.service for c in sim.calls} == {"dlf", "factory"}
    assert sim.calls_to("factory.ListInstancesOfJob")[0].status == 200
    assert sim.problems == []


def test_a_new_spec_is_answered_generically_at_once() -> None:
    shipped = load_api()
    document = copy.deepcopy(dict(shipped.services["lakeformation"].document))
    document["paths"] = {
        path.replace("/lf-jobs", "/new-things"): item
        for path, item in document["paths"].items()
    }
    services = {
        **shipped.services,
        "newservice": service_from_document("newservice", document),
    }
    sim = Simulator(clock=ManualClock(), api=Api(services), check_responses=True)
    (op,) = services["newservice"].operations
    body = sample(
        services["newservice"], op.body_schema or {}
    )  # a request fitting its schema
    with sim.serve() as server:
        response = httpx.post(f"{server.base_url}/v1/{PROJECT}/instances/i-1/new-things",
                              json=body, headers={"X-Auth-Token": TOKEN})  # fmt: skip
    assert response.status_code < 300, response.text
    assert isinstance(
        response.json(), dict
    )  # an example or a sample of the documented answer
    assert sim.calls[-1].service == "newservice" and sim.problems == []
