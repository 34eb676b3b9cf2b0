"""DataArts Factory's resources as the wire shows them: every answer body's key is spelled here.

Job instances are listed two ways: v1 (ListJobInstances) in camelCase, v2 (ListInstancesOfJob)
in snake_case, as the documents show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..generic import conform
from ..spec import ServiceSpec
from .archive import Archive
from .backend import MASK, SCRIPT_FIELDS, SECRET_FIELDS
from .model import Instance, Job, ScriptRun, Task

__all__ = [
    "connection_view",
    "file_info_view",
    "instance_detail_view",
    "instance_v2_view",
    "instance_view",
    "job_detail_view",
    "job_item_view",
    "real_time_status_view",
    "resource_view",
    "script_run_view",
    "script_view",
    "task_view",
]

USER = "dlf_user"  # who the simulator says created and updated things
SQL_TYPES = {"FlinkSQL", "DLISQL", "SparkSQL", "HiveSQL", "DWSSQL", "RDSSQL", "PRESTO",
             "ClickHouseSQL", "HetuEngineSQL", "ImpalaSQL"}  # fmt: skip


def _ms(moment: float) -> int:
    return int(moment * 1000)


# -- scripts, resources, connections -----------------------------------------------------------


def script_view(script: Mapping[str, Any]) -> dict[str, Any]:
    return {k: script[k] for k in SCRIPT_FIELDS if k in script}


def script_run_view(run: ScriptRun, script: Mapping[str, Any], now: float) -> dict[str, Any]:
    """ShowScriptInstance: the status, and a result once finished (a row for SQL scripts)."""
    status = run.status(now)
    results: list[dict[str, Any]] = []
    if status == "FINISHED":
        result: dict[str, Any] = {"message": "", "duration": round(run.run, 1)}
        if script.get("type") in SQL_TYPES:
            result.update(rowCount=1, rows=[[1]], schema=[{"_c0": "int"}])
        results.append(result)
    elif status == "FAILED":
        results.append({"message": "The script instance was stopped.", "duration": 0.0})
    return {"status": status, "result": results}  # doc: the wire spelling (documented: results)


def resource_view(resource_id: str, resource: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": resource_id, **resource}


def connection_view(connection: Mapping[str, Any]) -> dict[str, Any]:
    """A connection with its password masked (as 6.4.3's example answers it)."""
    view = dict(connection)
    if isinstance(view.get("config"), dict):
        config = dict(view["config"])
        for key in SECRET_FIELDS:
            if key in config:
                config[key] = MASK
        view["config"] = config
    return view


# -- jobs --------------------------------------------------------------------------------------


def job_item_view(job: Job, status: str, last: Instance | None, now: float) -> dict[str, Any]:
    """A job as ListJobs lists it, with its last instance's status."""
    basic = job.body.get("basicConfig") or {}
    item: dict[str, Any] = {
        "name": job.name,
        "jobType": job.process_type,
        "owner": basic.get("owner", USER),
        "priority": basic.get("priority", 0),
        "status": status,
        "createUser": USER,
        "createTime": _ms(job.created),
        "lastUpdateTime": _ms(job.updated),
        "lastUpdateUser": USER,
        "path": job.body.get("directory", "/"),
        "singleNodeJobFlag": bool(job.body.get("singleNodeJobFlag", False)),
    }
    if last is not None:
        item["lastInstanceStatus"] = last.status(now)
        ended = last.ended(now)
        if ended is not None:
            item["lastInstanceEndTime"] = _ms(ended)
    return item


def job_detail_view(spec: ServiceSpec, job: Job) -> Any:
    """ShowJob: the definition as sent, fitted to the answer's JobDetail schema."""
    view = {**job.body, "id": job.id, "createTime": _ms(job.created)}
    view.setdefault("lastUpdateUser", USER)
    view.pop("approvers", None)
    view.pop("targetStatus", None)
    return conform(spec, {"$ref": "#/components/schemas/JobDetail"}, view)


def real_time_status_view(job: Job, status: str) -> dict[str, Any]:
    """ShowJobStatus: a scheduled batch job shows as NORMAL, a paused one as STOPPED."""
    shown = {"SCHEDULING": "NORMAL", "PAUSED": "STOPPED"}.get(status, status)
    view: dict[str, Any] = {
        "name": job.name,
        "status": shown,
        "nodes": [
            {"name": str(n.get("name")), "status": shown, "nodeType": str(n.get("type"))}
            for n in job.nodes
        ],
        "lastUpdateTime": _ms(job.changed),
    }
    if job.started is not None:
        view["starttime"] = _ms(job.started)  # doc: the wire spelling
    return view


def file_info_view(contents: Archive) -> dict[str, Any]:
    """ShowFileInfo: the jobs and scripts a definition file holds."""
    return {
        "jobs": [
            {"name": str(job["name"]), "path": str(job.get("directory", "/")),
             "params": {str(k): str(v) for k, v in (job.get("params") or {}).items()}}
            for job in contents.jobs
        ],
        "scripts": [
            {"name": str(script["name"]), "path": str(script.get("directory", "/"))}
            for script in contents.scripts
        ],
    }  # fmt: skip


# -- job instances -----------------------------------------------------------------------------


def _times(instance: Instance, now: float) -> dict[str, Any]:
    times: dict[str, Any] = {
        "status": instance.status(now),
        "planTime": _ms(instance.planned),
        "startTime": _ms(instance.started),
        "submitTime": _ms(instance.planned),
        "instanceType": instance.kind,
        "forceSuccess": False,
        "ignoreSuccess": False,
    }
    ended = instance.ended(now)
    if ended is not None:
        times["endTime"] = _ms(ended)
        # doc: executeTime is the run's length in ms (live evidence D15: a live instance reported
        # doc: 4000 with end_time - start_time == 4000), not minutes as the examples suggest
        times["executeTime"] = _ms(ended) - _ms(instance.started)
    return times


def instance_view(instance: Instance, now: float) -> dict[str, Any]:
    """A job instance as ListJobInstances (v1) lists it."""
    return {
        "jobName": instance.job,
        "jobId": str(instance.job_id),
        "jobInstanceName": instance.job,
        "instancesId": instance.id,  # doc: the wire spelling (the documents print instanceId)
        "version": "1",  # doc: table 6-188 types it String (v2's table: Integer)
        **_times(instance, now),
    }


def instance_v2_view(instance: Instance, now: float) -> dict[str, Any]:
    """A job instance as ListInstancesOfJob (v2) lists it: v1's fields in snake_case."""
    snake = {_snake(k): v for k, v in instance_view(instance, now).items() if k != "instancesId"}
    snake.update(instance_id=instance.id, job_id=instance.job_id, version=1)
    return snake


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def instance_detail_view(instance: Instance, now: float) -> dict[str, Any]:
    """ShowJobInstance: the instance and each node's run."""
    nodes = []
    for index, (name, kind, queue) in enumerate(instance.nodes):
        status, begins, ends = instance.node_status(index, now)
        node: dict[str, Any] = {
            "nodeName": name,
            "status": status,
            "planTime": _ms(instance.planned),
            "startTime": _ms(begins),
            "nodeType": kind,  # doc: the wire spelling (the documents print type)
            "retryTimes": 0,
            "instanceId": instance.id,
            "inputRowCount": 0,
        }
        if queue is not None:
            node["queue"] = queue
        if status in ("success", "fail"):
            node["endTime"] = _ms(ends)
        nodes.append(node)
    return {
        "jobName": instance.job,
        "instancesId": instance.id,
        "total": len(nodes),
        "nodes": nodes,
        **_times(instance, now),
    }


# -- system tasks ------------------------------------------------------------------------------


def task_view(task: Task, project_id: str, now: float) -> dict[str, Any]:
    status = task.status(now)
    last = _ms(min(now, task.ends()))
    view: dict[str, Any] = {
        "id": task.id,
        "name": task.name,
        "startTime": _ms(task.started),
        "lastUpdate": last,
        "status": status,
        "projectId": project_id,
        "subTasks": [  # doc: the wire spelling (the documents print subtasks)
            {"id": f"{task.id[:-4]}{index:04d}", "name": sub, "lastUpdate": last,
             "status": status, "taskId": task.id}
            for index, sub in enumerate(task.subtasks, start=1)
        ],
    }  # fmt: skip
    if status != "RUNNING":
        view["endTime"] = last
    return view
