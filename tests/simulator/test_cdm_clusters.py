"""CDM clusters: creating (100) -> normal (200), start/stop/restart, deletion."""

from __future__ import annotations

import pytest

from dataarts import BadRequestError, CdmClient, NotFoundError
from dataarts.testing import Simulator
from tests.simulator.conftest import NODE


def create(cdm: CdmClient, **spec: object) -> str:
    created = cdm.clusters.create(body={"cluster": {"name": "c1", "instances": [NODE], **spec}})
    assert created.name == "c1" and created.instances and created.instances[0].type == "cdm"
    return str(created.id)


def test_a_new_cluster_is_creating_then_normal(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = create(cdm)
    detail = cdm.clusters.get(cluster_id=cluster_id)
    assert (detail.status, detail.status_detail) == ("100", "Creating")
    assert detail.action_progress and detail.action_progress.creating == "0%"
    sim.clock.advance(sim.timings.cluster_create / 2)
    assert cdm.clusters.get(cluster_id=cluster_id).action_progress.creating == "50%"
    sim.clock.advance(sim.timings.cluster_create / 2)
    detail = cdm.clusters.get(cluster_id=cluster_id)
    assert (detail.status, detail.status_detail) == ("200", "Normal")
    assert detail.flavor_name == "cdm.small" and detail.subnet_id == "subnet-1"
    listed = cdm.clusters.list().clusters or []
    assert [(c.id, c.status) for c in listed] == [(cluster_id, "200")]
    assert listed[0].instances and listed[0].instances[0].flavor is None  # list: no node details


def test_stop_start_and_restart_move_through_their_statuses(
    sim: Simulator, cdm: CdmClient
) -> None:
    cluster_id = create(cdm)
    sim.clock.advance(sim.timings.cluster_create)
    step = sim.timings.cluster_action

    def status() -> str:
        return str(cdm.clusters.get(cluster_id=cluster_id).status)

    assert cdm.clusters.stop(cluster_id=cluster_id, body={"stop": {"stopMode": "GRACEFULLY"}})
    assert status() == "910"
    sim.clock.advance(step)
    assert status() == "900"
    started = cdm.clusters.start(cluster_id=cluster_id, body={"start": {}})
    assert isinstance(started.job_id, list) and len(started.job_id) == 1
    assert status() == "920"
    sim.clock.advance(step)
    assert status() == "200"
    restarted = cdm.clusters.restart(
        cluster_id=cluster_id, body={"restart": {"type": "cdm", "restartDelayTime": 10}}
    )
    assert isinstance(restarted.job_id, list) and isinstance(restarted.job_id[0], str)
    assert status() == "200"  # the restart waits its delay
    sim.clock.advance(10)
    assert status() == "500"
    assert cdm.clusters.get(cluster_id=cluster_id).actions == ["REBOOTING"]
    sim.clock.advance(step)
    assert status() == "200"


def test_a_deleted_cluster_answers_404_with_its_links_and_jobs_gone(
    sim: Simulator, cdm: CdmClient
) -> None:
    cluster_id = create(cdm)
    assert cdm.clusters.delete(cluster_id=cluster_id, body={"keep_last_manual_backup": 0}).job_id
    with pytest.raises(NotFoundError) as info:
        cdm.clusters.get(cluster_id=cluster_id)
    assert info.value.error_code == "Cdm.0001"
    assert cdm.clusters.list().clusters == []


def test_actions_on_a_creating_cluster_and_conflicting_options_are_refused(
    sim: Simulator, cdm: CdmClient
) -> None:
    cluster_id = create(cdm)
    with pytest.raises(BadRequestError):
        cdm.clusters.start(cluster_id=cluster_id, body={"start": {}})
    with pytest.raises(BadRequestError) as info:
        create(cdm, isAutoOff=True, isScheduleBootOff=True)
    assert info.value.error_code == "Cdm.0014"


def test_clusters_belong_to_their_project(sim: Simulator, cdm: CdmClient) -> None:
    create(cdm)
    other = cdm.with_options(project_id="another-project")
    assert other.clusters.list().clusters == []


def test_modify_changes_auto_shutdown_and_the_schedule(sim: Simulator, cdm: CdmClient) -> None:
    cluster_id = create(cdm)
    cdm.clusters.modify(cluster_id=cluster_id, body={"autoOff": True})
    assert cdm.clusters.get(cluster_id=cluster_id).is_auto_off is True
    with pytest.raises(BadRequestError) as info:
        cdm.clusters.modify(cluster_id=cluster_id, body={"scheduleBootOff": True})
    assert info.value.error_code == "Cdm.0014"
    cdm.clusters.modify(cluster_id=cluster_id, body={"autoOff": False, "scheduleBootOff": True})
    detail = cdm.clusters.get(cluster_id=cluster_id)
    assert (detail.is_auto_off, detail.is_schedule_boot_off) == (False, True)
