"""DLF: scripts and script instances, resources, connections, jobs and their instances, system
tasks; LakeFormation job creation."""

from __future__ import annotations

import pytest

from dataarts import BadRequestError, DlfClient, FactoryClient
from dataarts.testing import Simulator
from tests.simulator.conftest import dlf_client, lakeformation_client

SCRIPT = {"name": "daily", "type": "DLISQL", "content": "SELECT 1;", "queueName": "q1",
          "connectionName": "dli"}  # fmt: skip
NODE = {
    "name": "count_orders",
    "type": "DLISQL",
    "location": {"x": 10, "y": 20},
    "properties": [{"name": "scriptName", "value": "daily"}],
}


def job(name: str = "orders_job", **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "name": name,
        "nodes": [NODE, dict(NODE, name="second")],
        "schedule": {"type": "EXECUTE_ONCE"},
        "processType": "BATCH",
    }
    body.update(changes)
    return body


def test_scripts_execute_to_a_result_and_can_be_stopped(sim: Simulator, dlf: DlfClient) -> None:
    dlf.scripts.create(body=SCRIPT)
    with pytest.raises(BadRequestError) as info:
        dlf.scripts.create(body=SCRIPT)
    assert info.value.error_code == "DLF.0202" and info.value.documented is not None
    assert dlf.scripts.get(script_name="daily").content == "SELECT 1;"
    dlf.scripts.update(script_name="daily", body=dict(SCRIPT, content="SELECT 2;"))
    assert [s.content for s in dlf.scripts.list().scripts] == ["SELECT 2;"]
    instance = dlf.scripts.execute(script_name="daily", body={}).instance_id
    statuses = []
    for _ in range(3):
        statuses.append(dlf.script_instances.get(script_name="daily", instance_id=instance).status)
        sim.clock.advance(sim.timings.script_run / 2 + 0.5)
    assert statuses == ["LAUNCHING", "RUNNING", "FINISHED"]
    result = dlf.script_instances.get(script_name="daily", instance_id=instance)
    assert result.result and result.result[0].row_count == 1
    second = dlf.scripts.execute(script_name="daily", body={}).instance_id
    dlf.script_instances.stop(script_name="daily", instance_id=second)
    assert dlf.script_instances.get(script_name="daily", instance_id=second).status == "FAILED"
    with pytest.raises(BadRequestError) as info:
        dlf.script_instances.get(script_name="daily", instance_id="nope")
    assert info.value.error_code == "DLF.6205"
    dlf.scripts.delete(script_name="daily")
    with pytest.raises(BadRequestError) as info:
        dlf.scripts.get(script_name="daily")
    assert info.value.error_code == "DLF.6201"


def test_workspaces_keep_their_own_things(sim: Simulator, dlf: DlfClient) -> None:
    dlf.scripts.create(body=SCRIPT)
    with dlf_client(sim, workspace="ws-2") as other:
        assert other.scripts.list().total == 0


def test_resources(sim: Simulator, dlf: DlfClient) -> None:
    body = {"name": "udf", "type": "jar", "location": "obs://bucket/udf.jar"}
    rid = dlf.resources.create(body=body).resource_id
    with pytest.raises(BadRequestError) as info:
        dlf.resources.create(body=body)
    assert info.value.error_code == "DLF.6259"
    with pytest.raises(BadRequestError) as info:
        dlf.resources.create(body=dict(body, name="x", location="/local/udf.jar"))
    assert info.value.error_code == "DLF.6264"
    dlf.resources.update(resource_id=rid, body=dict(body, desc="v2", directory="/"))
    assert dlf.resources.get(resource_id=rid).desc == "v2"
    assert [r.id for r in dlf.resources.list().resources] == [rid]
    dlf.resources.delete(resource_id=rid)
    with pytest.raises(BadRequestError) as info:
        dlf.resources.get(resource_id=rid)
    assert info.value.error_code == "DLF.6241"


def test_connections_mask_passwords_and_keep_their_type(sim: Simulator, dlf: DlfClient) -> None:
    config = {"ip": "10.0.0.5", "port": "3306", "userName": "u", "password": "S3cret-pw",
              "kmsKey": "key", "agentName": "cdm", "driverName": "com.mysql.jdbc.Driver",
              "driverPath": "obs://b/driver.jar"}  # fmt: skip
    dlf.connections.create(body={"name": "rds", "type": "RDS", "config": config})
    shown = dlf.connections.get(connection_name="rds").model_dump(by_alias=True, exclude_none=True)
    assert shown["config"]["password"] == "*****"
    with pytest.raises(BadRequestError) as info:
        dlf.connections.update(connection_name="rds", body={"name": "rds", "type": "DLI"})
    assert info.value.error_code == "DLF.6323"
    dlf.connections.update(connection_name="rds", body=shown)
    space = sim.dlf.workspace("0123456789abcdef0123456789abcdef", "ws-1")
    assert space.connection("rds")["config"]["password"] == "S3cret-pw"
    dlf.connections.create(body={"name": "dli", "type": "DLI"})
    with pytest.raises(BadRequestError) as info:
        dlf.connections.create(body={"name": "dli2", "type": "DLI"})
    assert info.value.error_code == "DLF.6271"
    assert dlf.connections.list().total == 2
    assert dlf.connections.export().startswith(b"PK")
    dlf.connections.delete(connection_name="rds")
    with pytest.raises(BadRequestError) as info:
        dlf.connections.get(connection_name="rds")
    assert info.value.error_code == "DLF.6322"


def test_a_started_batch_job_schedules_and_its_instance_finishes(
    sim: Simulator, dlf: DlfClient, factory: FactoryClient
) -> None:
    dlf.scripts.create(body=SCRIPT)
    dlf.jobs.create(body=job())
    with pytest.raises(BadRequestError) as info:
        dlf.jobs.create(body=job())
    assert info.value.error_code == "DLF.0102"
    with pytest.raises(BadRequestError) as info:
        dlf.jobs.create(body=job("empty", nodes=[]))
    assert info.value.error_code == "DLF.1006"
    assert dlf.jobs.list().jobs[0].status == "STOPPED"
    dlf.jobs.start(job_name="orders_job")
    listed = dlf.jobs.list().jobs[0]
    assert listed.status == "SCHEDULING" and listed.last_instance_status == "waiting"
    (instance,) = dlf.job_instances.list(job_name="orders_job").instances
    assert instance.instance_type == 7  # EXECUTE_ONCE: one-time scheduling
    timings = sim.timings
    sim.clock.advance(timings.instance_wait + timings.instance_run / 4)
    detail = dlf.job_instances.get(job_name="orders_job", instance_id=instance.instance_id)
    assert detail.status == "running"
    assert [n.status for n in detail.nodes] == ["running", "waiting"]
    assert [n.queue for n in detail.nodes] == ["q1", "q1"]  # DLI SQL nodes: the script's queue
    sim.clock.advance(timings.instance_run)
    detail = dlf.job_instances.get(job_name="orders_job", instance_id=instance.instance_id)
    assert detail.status == "success" and [n.status for n in detail.nodes] == ["success"] * 2
    assert detail.end_time is not None and detail.start_time is not None
    assert detail.execute_time == detail.end_time - detail.start_time  # ms, as live (D15)
    v2 = factory.job_instances.list_by_job(job_name="orders_job").instances
    assert [(i.instance_id, i.status) for i in v2] == [(instance.instance_id, "success")]
    dlf.jobs.stop(job_name="orders_job")
    assert dlf.jobs.list().jobs[0].status == "STOPPED"


def test_instances_run_now_stop_fail_and_restart(sim: Simulator, dlf: DlfClient) -> None:
    dlf.jobs.create(body=job())
    first = dlf.jobs.run_immediately(job_name="orders_job", body={}).instance_id
    dlf.job_instances.stop(job_name="orders_job", instance_id=first)
    assert dlf.job_instances.get(job_name="orders_job", instance_id=first).status == "manual-stop"
    dlf.job_instances.restart(job_name="orders_job", instance_id=first)
    sim.clock.advance(sim.timings.instance_run)
    assert dlf.job_instances.get(job_name="orders_job", instance_id=first).status == "success"
    sim.dlf.fail_next_run("orders_job")
    failing = dlf.jobs.run_immediately(job_name="orders_job", body={}).instance_id
    sim.clock.advance(sim.timings.instance_wait + sim.timings.instance_run)
    detail = dlf.job_instances.get(job_name="orders_job", instance_id=failing)
    assert detail.status == "fail" and [n.status for n in detail.nodes] == ["success", "fail"]
    failed_only = dlf.job_instances.list(job_name="orders_job", status="fail").instances
    assert [i.instance_id for i in failed_only] == [failing]
    with pytest.raises(BadRequestError) as info:
        dlf.job_instances.get(job_name="orders_job", instance_id=1)
    assert info.value.error_code == "DLF.0137"


def test_real_time_jobs_start_and_stop(sim: Simulator, dlf: DlfClient) -> None:
    dlf.jobs.create(body=job("stream", processType="REAL_TIME"))
    dlf.jobs.start(job_name="stream")
    assert dlf.jobs.get_status(job_name="stream").status == "STARTING"
    sim.clock.advance(sim.timings.job_start)
    status = dlf.jobs.get_status(job_name="stream")
    assert status.status == "NORMAL" and [n.name for n in status.nodes] == ["count_orders", "second"]
    with pytest.raises(BadRequestError) as info:
        dlf.jobs.run_immediately(job_name="stream", body={})
    assert info.value.error_code == "DLF.0136"
    dlf.jobs.stop(job_name="stream")
    assert dlf.jobs.get_status(job_name="stream").status == "STOPPING"
    sim.clock.advance(sim.timings.job_start)
    assert dlf.jobs.list(job_type="REAL_TIME").jobs[0].status == "STOPPED"


def test_jobs_are_shown_renamed_tagged_exported_and_deleted(
    sim: Simulator, dlf: DlfClient, factory: FactoryClient
) -> None:
    dlf.jobs.create(body=job(basicConfig={"owner": "ana", "priority": 1}))
    shown = dlf.jobs.get(job_name="orders_job")
    assert shown.process_type == "BATCH" and len(shown.nodes) == 2 and shown.id
    assert dlf.jobs.list().jobs[0].owner == "ana"
    dlf.jobs.update(job_name="orders_job", body=job(nodes=[NODE]))
    assert len(dlf.jobs.get(job_name="orders_job").nodes) == 1
    assert factory.jobs.rename(job_name="orders_job", body={"name": "renamed"}).is_success
    factory.jobs.set_tags(job_name="renamed", body={"tag_names": ["nightly"]})
    assert [j.name for j in dlf.jobs.list(tags="nightly").jobs] == ["renamed"]
    assert dlf.jobs.export(job_name="renamed").startswith(b"PK")
    dlf.jobs.delete(job_name="renamed", body={})
    for call in (lambda: dlf.jobs.get(job_name="renamed"), lambda: dlf.jobs.start(job_name="x")):
        with pytest.raises(BadRequestError) as info:
            call()
        assert info.value.error_code == "DLF.0100"


def test_imports_run_as_system_tasks(sim: Simulator, dlf: DlfClient) -> None:
    # ImportConnections documents no workspace header: connections of the default workspace
    with dlf_client(sim) as default:
        default.connections.create(body={"name": "dli", "type": "DLI"})
        sim.obs.put("obs://bucket/conns.zip", default.connections.export())
        default.connections.delete(connection_name="dli")
        task_id = default.connections.import_(body={"path": "obs://bucket/conns.zip"}).task_id
        assert dlf.system_tasks.get(task_id=task_id).status == "RUNNING"
        assert default.connections.list().total == 0  # imported when the task is done
        sim.clock.advance(sim.timings.system_task)
        task = dlf.system_tasks.get(task_id=task_id)
        assert task.status == "SUCCESSFUL" and task.end_time and task.sub_tasks
        assert [c.name for c in default.connections.list().connections] == ["dli"]
    missing = dlf.jobs.import_(body={"path": "obs://bucket/nothing.zip"}).task_id
    assert missing != task_id
    sim.clock.advance(sim.timings.system_task)
    assert dlf.system_tasks.get(task_id=missing).status == "FAILED"
    with pytest.raises(BadRequestError) as info:
        dlf.system_tasks.get(task_id="nope")
    assert info.value.error_code == "DLF.0810"


def test_lakeformation_jobs_are_created_without_echoing_secrets(sim: Simulator) -> None:
    parameter = {
        "metadata_migration_parameter": {
            "datasource_type": "ALIYUN_DLF",
            "datasource_parameter": {"endpoint": "x.example.com", "secret_key": "Very-Secret",
                                     "access_key": "AKAKAK", "password": "pw-Secret"},
            "source_catalog": "src",
            "target_catalog": "dst",
            "conflict_strategy": "UPSERT",
            "log_location": "obs://logs/",
            "sync_objects": ["DATABASE"],
            "locations": [{"key": "a", "value": "b"}],
            "instance_id": "i-1",
        }
    }  # fmt: skip
    with lakeformation_client(sim) as lf:
        created = lf.jobs.create(
            instance_id="i-1",
            body={"name": "migrate_meta", "type": "METADATA_MIGRATION", "parameter": parameter},
        )
        assert created.status == "CREATED" and created.id and created.name == "migrate_meta"
        answer = created.model_dump_json()
        assert "Secret" not in answer and "AKAKAK" not in answer
        with pytest.raises(BadRequestError) as info:
            lf.jobs.create(
                instance_id="i-1",
                body={"name": "discover", "type": "METADATA_DISCOVERY", "parameter": parameter},
            )
        assert info.value.error_code == "common.01000001"
