"""DLF job instances (6.3): listed (v1 camelCase, v2 snake_case), queried with their nodes,
stopped (manual-stop) and restarted (running again)."""

from __future__ import annotations

from typing import Any

from .answers import ApiError
from .dlf_jobs import job_of
from .dlf_state import Instance, Space, space
from .incoming import Call
from .paging import page
from .world import Handler, World

__all__ = ["HANDLERS"]


def _instance_of(sp: Space, call: Call) -> Instance:
    job = job_of(sp, call)
    wanted = call.path.get("instance_id")
    for instance in sp.instances:
        if instance.id == wanted and instance.job == job["body"]["name"]:
            return instance
    raise ApiError("DLF.0137")


def _times(instance: Instance, now: float) -> dict[str, Any]:
    status = instance.status(now)
    times: dict[str, Any] = {
        "status": status,
        "planTime": int(instance.planned * 1000),
        "startTime": int(instance.started * 1000),
        "submitTime": int(instance.planned * 1000),
        "instanceType": instance.kind,
        "forceSuccess": False,
        "ignoreSuccess": False,
    }
    ended = instance.ended(now)
    if ended is not None:
        times["endTime"] = int(ended * 1000)
        # doc: executeTime is documented in ms but the examples' values are minutes
        times["executeTime"] = round(max(ended - instance.started, 0.0) / 60, 2)
    return times


def summary(instance: Instance, now: float) -> dict[str, Any]:
    return {
        "jobName": instance.job,
        "jobId": str(instance.job_id),
        "jobInstanceName": instance.job,
        "instancesId": instance.id,  # doc: the wire spelling (the documents print instanceId)
        "version": "1",  # doc: table 6-188 types it String (v2's table: Integer)
        **_times(instance, now),
    }


def _wanted(call: Call, instance: Instance, job_key: str, plan_keys: tuple[str, str]) -> bool:
    query = call.query
    name = query.get(job_key)
    if name is not None:
        precise = bool(query.get("preciseQuery", False))
        if (instance.job != name) if precise else (str(name).lower() not in instance.job.lower()):
            return False
    if "status" in query and instance.status(call.now) != query["status"]:
        return False
    kind = query.get("instanceType", query.get("instance_type"))
    if kind is not None and instance.kind != kind:
        return False
    low, high = (query.get(plan_keys[0]), query.get(plan_keys[1]))
    planned = int(instance.planned * 1000)
    return (low is None or planned >= low) and (high is None or planned <= high)


def list_instances(world: World, call: Call) -> Any:
    sp = space(world, call)
    found = [
        summary(i, call.now)
        for i in reversed(sp.instances)
        if _wanted(call, i, "jobName", ("minPlanTime", "maxPlanTime"))
    ]
    return {"total": len(found), "instances": page(call, found)}


def list_instances_of_job(world: World, call: Call) -> Any:
    sp = space(world, call)
    name = job_of(sp, call)["body"]["name"]
    found = []
    for instance in reversed(sp.instances):
        if instance.job != name:
            continue
        if not _wanted(call, instance, "__none__", ("min_plan_time", "max_plan_time")):
            continue
        camel = summary(instance, call.now)
        snake = {_snake(k): v for k, v in camel.items() if k != "instancesId"}
        snake.update(instance_id=instance.id, job_id=instance.job_id, version=1)
        found.append(snake)
    return {"total": len(found), "instances": page(call, found)}


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def show_instance(world: World, call: Call) -> Any:
    sp = space(world, call)
    instance = _instance_of(sp, call)
    nodes = []
    for index, (name, kind, queue) in enumerate(instance.nodes):
        status, begins, ends = instance.node_status(index, call.now)
        node: dict[str, Any] = {
            "nodeName": name,
            "status": status,
            "planTime": int(instance.planned * 1000),
            "startTime": int(begins * 1000),
            "nodeType": kind,  # doc: the wire spelling (the documents print type)
            "retryTimes": 0,
            "instanceId": instance.id,
            "inputRowCount": 0,
        }
        if queue is not None:
            node["queue"] = queue
        if status in ("success", "fail"):
            node["endTime"] = int(ends * 1000)
        nodes.append(node)
    return {
        "jobName": instance.job,
        "instancesId": instance.id,
        "total": len(nodes),
        "nodes": nodes,
        **_times(instance, call.now),
    }


def stop_instance(world: World, call: Call) -> Any:
    instance = _instance_of(space(world, call), call)
    if instance.status(call.now) in ("waiting", "running"):
        instance.stopped = call.now
    return None


def restart_instance(world: World, call: Call) -> Any:
    instance = _instance_of(space(world, call), call)
    if instance.status(call.now) in ("waiting", "running"):
        raise ApiError("DLF.0137", message="The job instance is still running.")
    instance.planned, instance.wait, instance.stopped, instance.fail = call.now, 0.0, None, False
    return None


HANDLERS: dict[str, Handler] = {
    "ListJobInstances": list_instances,
    "ListInstancesOfJob": list_instances_of_job,
    "ShowJobInstance": show_instance,
    "StopJobInstance": stop_instance,
    "RestartJobInstance": restart_instance,
}
