"""Every declared waiter against the simulator, sync and async, on its ManualClock.

The simulator moves each resource through its documented statuses on virtual time (its Timings);
the waiters sleep by advancing that clock, so the assertions can name the exact polls and times.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from itertools import pairwise
from typing import Any

import pytest

from dataarts import (
    CdmClient,
    DlfClient,
    NotFoundError,
    WaiterFailedError,
    WaiterTimeoutError,
    WaitProgress,
    with_raw_response,
)
from dataarts.testing import ManualClock, Simulator, Timings
from tests.waiters.conftest import (
    JOB,
    SCRIPT,
    async_cdm,
    async_dlf,
    body,
    create_cluster,
    create_job,
)

# -- CDM clusters ------------------------------------------------------------------------------


def test_cluster_until_normal(cdm: CdmClient, clock: ManualClock, virtual: dict[str, Any]) -> None:
    cluster_id = create_cluster(cdm)
    started = clock.now()
    seen: list[WaitProgress[Any]] = []
    cluster = cdm.clusters.wait_until_normal(cluster_id=cluster_id, on_poll=seen.append, **virtual)
    assert cluster.status == "200" and cluster.id == cluster_id
    # creation takes 60 virtual seconds; the waiter polls every 20 s from the start
    assert [(p.attempt, p.elapsed, p.state) for p in seen] == [
        (1, 0.0, "100"), (2, 20.0, "100"), (3, 40.0, "100"), (4, 60.0, "200")
    ]
    assert clock.now() - started == Timings().cluster_create


def test_cluster_until_normal_after_start(
    cdm: CdmClient, clock: ManualClock, virtual: dict[str, Any]
) -> None:
    cluster_id = create_cluster(cdm)
    cdm.clusters.wait_until_normal(cluster_id=cluster_id, **virtual)
    cdm.clusters.stop(cluster_id=cluster_id, body={"stop": {"stopMode": "IMMEDIATELY"}})
    clock.advance(Timings().cluster_action)
    assert cdm.clusters.get(cluster_id=cluster_id).status == "900"
    cdm.clusters.start(cluster_id=cluster_id, body={"start": {}})
    states: list[str | None] = []
    cdm.clusters.wait_until_normal(
        cluster_id=cluster_id, on_poll=lambda p: states.append(p.state), **virtual
    )
    assert states[0] == "920" and states[-1] == "200"


def test_cluster_until_deleted_returns_none_once_gone(
    cdm: CdmClient, sim: Simulator, virtual: dict[str, Any]
) -> None:
    cluster_id = create_cluster(cdm)
    seen: list[WaitProgress[Any]] = []
    cdm.clusters.delete(cluster_id=cluster_id, body={"keep_last_manual_backup": 0})
    assert cdm.clusters.wait_until_deleted(cluster_id=cluster_id, on_poll=seen.append, **virtual) is None
    (gone,) = seen
    assert gone.error is not None and gone.error.status_code == 404 and gone.result is None


def test_cluster_that_never_gets_normal_times_out_naming_its_state(
    cdm: CdmClient, clock: ManualClock, virtual: dict[str, Any]
) -> None:
    cluster_id = create_cluster(cdm)
    with pytest.raises(WaiterTimeoutError) as caught:
        cdm.clusters.wait_until_normal(cluster_id=cluster_id, timeout=45, **virtual)
    err = caught.value
    # polls at 0, 20, 40 and on the deadline (45): still creating
    assert (err.state, err.attempts, err.elapsed) == ("100", 4, 45.0)
    assert "state 100" in str(err) and "4 polls" in str(err)
    assert isinstance(err, TimeoutError)


def test_an_error_the_waiter_does_not_list_is_raised_as_it_came(
    cdm: CdmClient, virtual: dict[str, Any]
) -> None:
    with pytest.raises(NotFoundError) as caught:  # "normal" lists no error: a 404 is an error
        cdm.clusters.wait_until_normal(cluster_id="no-such-cluster", **virtual)
    assert caught.value.error_code == "Cdm.0001"


# -- CDM job runs ------------------------------------------------------------------------------


@pytest.fixture
def ready_job(cdm: CdmClient, virtual: dict[str, Any]) -> tuple[str, str]:
    cluster_id = create_cluster(cdm)
    cdm.clusters.wait_until_normal(cluster_id=cluster_id, **virtual)
    return cluster_id, create_job(cdm, cluster_id)


def test_job_run_until_finished_reports_status_and_progress(
    cdm: CdmClient, ready_job: tuple[str, str], clock: ManualClock, virtual: dict[str, Any]
) -> None:
    cluster_id, job = ready_job
    cdm.jobs.start(cluster_id=cluster_id, job_name=job)
    seen: list[WaitProgress[Any]] = []
    done = cdm.jobs.wait_until_finished(
        cluster_id=cluster_id, job_name=job, on_poll=seen.append, **virtual
    )
    (run,) = done.submissions or []
    assert run.status == "SUCCEEDED" and run.progress == 100
    states = [p.state for p in seen]
    assert states[0] == "BOOTING" and "RUNNING" in states and states[-1] == "SUCCEEDED"
    progress = [p.progress for p in seen if p.state == "RUNNING"]
    assert progress == sorted(progress) and 0 < progress[-1] < 100  # it grows while it runs
    # polls every 5 s, then 7.5, 11.25, ... (backoff 1.5): never more than 60 s apart
    gaps = [b.elapsed - a.elapsed for a, b in pairwise(seen)]
    assert gaps[:3] == [5.0, 7.5, 11.25] and max(gaps) <= 60


def test_a_failed_run_raises_with_the_error_summary(
    cdm: CdmClient, sim: Simulator, ready_job: tuple[str, str], virtual: dict[str, Any]
) -> None:
    cluster_id, job = ready_job
    sim.cdm.fail_next_run(job, "Table orders does not exist.")
    cdm.jobs.start(cluster_id=cluster_id, job_name=job)
    with pytest.raises(WaiterFailedError) as caught:
        cdm.jobs.wait_until_finished(cluster_id=cluster_id, job_name=job, **virtual)
    err = caught.value
    assert (err.state, err.reason, err.status_code) == ("FAILED", "Table orders does not exist.", 200)
    assert err.request_id and err.request_id in str(err)
    assert err.result.submissions[0].progress == -1  # the documented failure progress
    assert "cdm.jobs.wait_until_finished" in str(err) and "FAILED" in str(err)


def test_a_deleted_job_ends_the_wait_with_the_services_error(
    cdm: CdmClient, ready_job: tuple[str, str], virtual: dict[str, Any]
) -> None:
    cluster_id, _ = ready_job
    with pytest.raises(Exception) as caught:
        cdm.jobs.wait_until_finished(cluster_id=cluster_id, job_name="no_such_job", **virtual)
    assert getattr(caught.value, "error_code", None) in ("Cdm.0100", "Cdm.0054")


def test_poll_pace_can_be_given_per_call(
    cdm: CdmClient, ready_job: tuple[str, str], virtual: dict[str, Any]
) -> None:
    cluster_id, job = ready_job
    cdm.jobs.start(cluster_id=cluster_id, job_name=job)
    seen: list[float] = []
    cdm.jobs.wait_until_finished(
        cluster_id=cluster_id, job_name=job, delay=1, max_delay=1,
        on_poll=lambda p: seen.append(p.elapsed), **virtual,
    )
    assert {b - a for a, b in pairwise(seen)} == {1.0}


# -- DLF ---------------------------------------------------------------------------------------


def test_job_instance_until_finished(dlf: DlfClient, virtual: dict[str, Any]) -> None:
    dlf.jobs.create(body=JOB)
    instance_id = dlf.jobs.run_immediately(job_name=JOB["name"]).instance_id
    states: list[str | None] = []
    done = dlf.job_instances.wait_until_finished(
        job_name=JOB["name"], instance_id=instance_id, on_poll=lambda p: states.append(p.state),
        **virtual,
    )
    assert done.status == "success" and done.instance_id == instance_id
    assert states[0] == "waiting" and states[-1] == "success"


def test_failed_job_instance_raises(dlf: DlfClient, sim: Simulator, virtual: dict[str, Any]) -> None:
    dlf.jobs.create(body=JOB)
    sim.dlf.fail_next_run(JOB["name"])
    instance_id = dlf.jobs.run_immediately(job_name=JOB["name"]).instance_id
    with pytest.raises(WaiterFailedError) as caught:
        dlf.job_instances.wait_until_finished(
            job_name=JOB["name"], instance_id=instance_id, **virtual
        )
    assert caught.value.state == "fail" and caught.value.result.status == "fail"


def test_script_instance_until_done(dlf: DlfClient, virtual: dict[str, Any]) -> None:
    dlf.scripts.create(body=SCRIPT)
    instance_id = dlf.scripts.execute(script_name=SCRIPT["name"], body={}).instance_id
    done = dlf.script_instances.wait_until_done(
        script_name=SCRIPT["name"], instance_id=instance_id, **virtual
    )
    assert done.status == "FINISHED" and done.result


def test_stopped_script_instance_fails(dlf: DlfClient, virtual: dict[str, Any]) -> None:
    dlf.scripts.create(body=SCRIPT)
    instance_id = dlf.scripts.execute(script_name=SCRIPT["name"], body={}).instance_id
    dlf.script_instances.stop(script_name=SCRIPT["name"], instance_id=instance_id)
    with pytest.raises(WaiterFailedError) as caught:
        dlf.script_instances.wait_until_done(
            script_name=SCRIPT["name"], instance_id=instance_id, **virtual
        )
    assert caught.value.state == "FAILED"


def test_system_task_of_an_import_until_done(
    sim: Simulator, dlf: DlfClient, virtual: dict[str, Any]
) -> None:
    dlf.scripts.create(body=SCRIPT)
    dlf.jobs.create(body=JOB)
    sim.obs.put("obs://bucket/jobs.zip", dlf.jobs.export(job_name=JOB["name"]))
    task_id = dlf.jobs.import_(body={"path": "obs://bucket/jobs.zip"}).task_id
    seen: list[str | None] = []
    done = dlf.system_tasks.wait_until_done(
        task_id=task_id, on_poll=lambda p: seen.append(p.state), **virtual
    )
    assert done.status == "SUCCESSFUL" and seen[0] == "RUNNING"


def test_system_task_of_an_import_without_its_file_fails(
    dlf: DlfClient, virtual: dict[str, Any]
) -> None:
    task_id = dlf.jobs.import_(body={"path": "obs://bucket/missing.zip"}).task_id
    with pytest.raises(WaiterFailedError) as caught:
        dlf.system_tasks.wait_until_done(task_id=task_id, **virtual)
    assert caught.value.state == "FAILED"


# -- async -------------------------------------------------------------------------------------


def test_async_waiters_on_the_virtual_clock(sim: Simulator, clock: ManualClock) -> None:
    async def main() -> None:
        async with async_cdm(sim) as cdm:
            created = await cdm.clusters.create(body=body("cluster.json"))
            cluster_id = str(created.id)
            # a plain (non-async) sleep is accepted: the clock advances at once
            cluster = await cdm.clusters.wait_until_normal(
                cluster_id=cluster_id, sleep=clock.sleep, clock=clock.now
            )
            assert cluster.status == "200"
            for name in ("mysql_link.json", "obs_link.json"):
                await cdm.links.create(cluster_id=cluster_id, body=body(name))
            await cdm.jobs.create(cluster_id=cluster_id, body=body("job.json"))
            await cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")

            async def advancing(seconds: float) -> None:  # an async sleep is awaited
                clock.advance(seconds)

            status = await cdm.jobs.wait_until_finished(
                cluster_id=cluster_id, job_name="mysql2obs", sleep=advancing, clock=clock.now
            )
            assert status.submissions and status.submissions[0].status == "SUCCEEDED"
            await cdm.clusters.delete(cluster_id=cluster_id, body={"keep_last_manual_backup": 0})
            gone = await cdm.clusters.wait_until_deleted(
                cluster_id=cluster_id, sleep=clock.sleep, clock=clock.now
            )
            assert gone is None
        async with async_dlf(sim) as dlf:
            await dlf.scripts.create(body=SCRIPT)
            executed = await dlf.scripts.execute(script_name=SCRIPT["name"], body={})
            with pytest.raises(WaiterTimeoutError) as caught:
                await dlf.script_instances.wait_until_done(
                    script_name=SCRIPT["name"], instance_id=executed.instance_id, timeout=3,
                    sleep=clock.sleep, clock=clock.now,
                )
            assert caught.value.state in ("LAUNCHING", "RUNNING")
            done = await dlf.script_instances.wait_until_done(
                script_name=SCRIPT["name"], instance_id=executed.instance_id,
                sleep=clock.sleep, clock=clock.now,
            )
            assert done.status == "FINISHED"

    asyncio.run(main())


# -- issue 22: restarts, jobs that delete themselves, the instance a start created --------------


def test_cluster_until_restarted_waits_through_a_delayed_restart(
    cdm: CdmClient, virtual: dict[str, Any]
) -> None:
    """A restart asked to begin in 100 s leaves the cluster normal until then: the 200 before
    the 500 does not end the wait; the 200 after it does."""
    cluster_id = create_cluster(cdm)
    cdm.clusters.wait_until_normal(cluster_id=cluster_id, **virtual)
    cdm.clusters.restart(cluster_id=cluster_id, body={"restart": {
        "restartDelayTime": 100, "restartLevel": "SERVICE", "type": "cdm", "instance": "",
        "group": ""}})
    seen: list[WaitProgress[Any]] = []
    cluster = cdm.clusters.wait_until_restarted(
        cluster_id=cluster_id, start_delay=100, on_poll=seen.append, **virtual)
    assert cluster.status == "200"
    shown = [(p.elapsed, p.shown, p.under_way) for p in seen]
    assert shown[0] == (0.0, "normal", ())
    restarting = [s for s in shown if s[1] == "restarting"]
    assert restarting and all(100 <= t < 100 + Timings().cluster_action for t, _, _ in restarting)
    assert restarting[0][2] == ("500", "REBOOTING")
    assert shown[-1][1] == "normal" and shown[-1][0] >= 100 + Timings().cluster_action


def test_a_restart_too_quick_to_be_seen_ends_after_start_within(
    cdm: CdmClient, virtual: dict[str, Any]
) -> None:
    cluster_id = create_cluster(cdm)
    cdm.clusters.wait_until_normal(cluster_id=cluster_id, **virtual)
    seen: list[float] = []
    cdm.clusters.wait_until_restarted(  # no restart at all: nothing will show it under way
        cluster_id=cluster_id, on_poll=lambda p: seen.append(p.elapsed), **virtual)
    assert seen[-1] == 60.0 and len(seen) == 4  # 0, 20, 40, 60: start-within


DISPOSABLE = {"name": "schedulerConfig", "inputs": [
    {"name": "schedulerConfig.disposableType", "value": "DELETE_AFTER_SUCCEED"}]}


def test_a_job_that_deletes_itself_after_success_ends_its_wait_as_a_success(
    cdm: CdmClient, virtual: dict[str, Any]
) -> None:
    cluster_id = create_cluster(cdm)
    cdm.clusters.wait_until_normal(cluster_id=cluster_id, **virtual)
    for name in ("mysql_link.json", "obs_link.json"):
        cdm.links.create(cluster_id=cluster_id, body=body(name))
    job = body("job.json")
    job["jobs"][0]["driver-config-values"]["configs"].append(DISPOSABLE)
    cdm.jobs.create(cluster_id=cluster_id, body=job)
    cdm.jobs.start(cluster_id=cluster_id, job_name="mysql2obs")
    seen: list[WaitProgress[Any]] = []
    status = cdm.jobs.wait_until_finished(
        cluster_id=cluster_id, job_name="mysql2obs", on_poll=seen.append, **virtual)
    (run,) = status.submissions or []
    assert run.is_delete_job is True and run.status == "RUNNING"  # the last status seen
    assert seen[-1].error is not None and seen[-1].error.error_code == "Cdm.0100"
    with pytest.raises(Exception) as gone:
        cdm.jobs.get_status(cluster_id=cluster_id, job_name="mysql2obs")
    assert getattr(gone.value, "error_code", None) == "Cdm.0100"


def test_the_instance_a_start_created_is_waited_for_not_an_earlier_one(
    dlf: DlfClient, clock: ManualClock, virtual: dict[str, Any]
) -> None:
    dlf.jobs.create(body=JOB)
    earlier = dlf.jobs.run_immediately(job_name=JOB["name"]).instance_id
    clock.advance(600)  # that run has finished: it is the job's newest instance
    dlf.jobs.start(job_name=JOB["name"])
    seen: list[str | None] = []
    page = dlf.job_instances.wait_until_newest_finished(
        job_name=JOB["name"], precise_query=True, on_poll=lambda p: seen.append(p.shown),
        **virtual)
    newest = (page.instances or [])[0]
    assert newest.status == "success" and newest.instance_id != earlier
    assert seen[0] == "waiting to run" and seen[-1] == "succeeded"


def _start(dlf: DlfClient) -> str:
    """Start JOB; the answer's Date (the simulator's clock, as a real server's own)."""
    answer = with_raw_response(dlf.jobs.start)(job_name=JOB["name"])
    assert answer.status_code == 204
    return str(answer.headers["Date"])


def test_a_start_whose_run_ended_before_the_first_poll_ends_the_wait_at_once(
    dlf: DlfClient, clock: ManualClock, virtual: dict[str, Any]
) -> None:
    dlf.jobs.create(body=JOB)
    earlier = dlf.jobs.run_immediately(job_name=JOB["name"]).instance_id
    clock.advance(600)
    date = _start(dlf)
    assert date == email.utils.formatdate(clock.now(), usegmt=True)
    # the client's own clock is years from the server's (ManualClock starts in 2024): unread
    assert abs(time.time() - clock.now()) > 365 * 86400
    clock.advance(600)  # the start's run has ended before anyone polled
    seen: list[str | None] = []
    page = dlf.job_instances.wait_until_newest_finished(
        job_name=JOB["name"], precise_query=True, not_before=date,
        on_poll=lambda p: seen.append(p.state), **virtual)
    newest = (page.instances or [])[0]
    assert seen == ["success"] and newest.instance_id != earlier
    # without the start's time, an end never seen coming is no end: the old rule waits it out
    with pytest.raises(WaiterTimeoutError):
        dlf.job_instances.wait_until_newest_finished(
            job_name=JOB["name"], precise_query=True, timeout=300, **virtual)


def test_a_start_whose_run_failed_before_the_first_poll_fails_the_wait_at_once(
    sim: Simulator, dlf: DlfClient, clock: ManualClock, virtual: dict[str, Any]
) -> None:
    dlf.jobs.create(body=JOB)
    sim.dlf.fail_next_run(JOB["name"])
    date = _start(dlf)
    clock.advance(600)
    with pytest.raises(WaiterFailedError) as failed:
        dlf.job_instances.wait_until_newest_finished(
            job_name=JOB["name"], precise_query=True, not_before=date, **virtual)
    assert failed.value.state == "fail" and failed.value.label == "failed"


def test_an_earlier_runs_failure_never_ends_the_wait_for_a_start(
    sim: Simulator, dlf: DlfClient, clock: ManualClock, virtual: dict[str, Any]
) -> None:
    """A start of a job already scheduled makes no instance: the newest stays an earlier run's."""
    dlf.jobs.create(body=JOB)
    _start(dlf)
    clock.advance(600)
    sim.dlf.fail_next_run(JOB["name"])
    failed = dlf.jobs.run_immediately(job_name=JOB["name"]).instance_id
    clock.advance(600)
    date = _start(dlf)
    seen: list[Any] = []
    with pytest.raises(WaiterTimeoutError) as timed_out:
        dlf.job_instances.wait_until_newest_finished(
            job_name=JOB["name"], precise_query=True, not_before=date, timeout=300,
            on_poll=lambda p: seen.append((p.result.instances or [])[0].instance_id), **virtual)
    assert timed_out.value.state == "fail" and set(seen) == {failed}
    with pytest.raises(WaiterFailedError):  # the under-way rule alone took it for this start's
        dlf.job_instances.wait_until_newest_finished(
            job_name=JOB["name"], precise_query=True, **virtual)


def test_the_async_waiter_takes_the_starts_time_too(sim: Simulator, clock: ManualClock) -> None:
    async def main() -> None:
        async with async_dlf(sim) as dlf:
            await dlf.jobs.create(body=JOB)
            answer = await with_raw_response(dlf.jobs.start)(job_name=JOB["name"])
            clock.advance(600)
            page = await dlf.job_instances.wait_until_newest_finished(
                job_name=JOB["name"], precise_query=True, not_before=answer.headers["Date"],
                sleep=clock.sleep, clock=clock.now)
            assert (page.instances or [])[0].status == "success"

    asyncio.run(main())
