"""DLF jobs (6.3): create, list, query, modify, rename, tag, delete, export, import; start and stop.

A batch job is STOPPED until started; starting schedules it (SCHEDULING) and creates an instance
that runs to the end; "run immediately" creates a manual instance. A real-time job goes
STARTING -> NORMAL when started and STOPPING -> STOPPED when stopped.
"""

from __future__ import annotations

from typing import Any

from .answers import ApiError
from .dlf_assets import start_task
from .dlf_nodes import node_problems
from .dlf_state import USER, Instance, Space, dlf, space
from .generic import EMPTY_ZIP, conform
from .incoming import Call, bad_request
from .paging import page
from .world import Handler, World

__all__ = ["HANDLERS", "job_of"]


def job_of(sp: Space, call: Call) -> dict[str, Any]:
    job = sp.jobs.get(str(call.path.get("job_name")))
    if job is None:
        raise ApiError("DLF.0100")
    return job


def _check(world: World, body: dict[str, Any]) -> None:
    if not str(body.get("name", "")).strip():
        raise ApiError("DLF.3004")
    if not body.get("nodes"):
        raise ApiError("DLF.1006")
    if body.get("singleNodeJobFlag") and not body.get("singleNodeJobType"):
        raise ApiError("DLF.21123")
    service = world.api.services["dlf"]
    problems = node_problems(service, list(body["nodes"]), "body.nodes")
    if problems:
        raise bad_request(service, problems)


def create(world: World, call: Call) -> Any:
    sp = space(world, call)
    body = dict(call.body)
    _check(world, body)
    if body["name"] in sp.jobs:
        raise ApiError("DLF.0102")
    sp.jobs[body["name"]] = {
        "body": body,
        "id": dlf(world).take_id(),
        "created": call.now,
        "updated": call.now,
        "status": "STOPPED",
        "changed": call.now,  # when the status last changed
        "tags": [],
    }
    return None


def status_of(world: World, job: dict[str, Any], now: float) -> str:
    """The job's status, with real-time STARTING/STOPPING settled once their time is up."""
    status = str(job["status"])
    settled = {"STARTING": "NORMAL", "STOPPING": "STOPPED"}
    if status in settled and now >= job["changed"] + world.timings.job_start:
        job["status"] = status = settled[status]
    return status


def _last_instance(sp: Space, name: str) -> Instance | None:
    mine = [i for i in sp.instances if i.job == name]
    return mine[-1] if mine else None


def _list_item(world: World, sp: Space, job: dict[str, Any], now: float) -> dict[str, Any]:
    body = job["body"]
    basic = body.get("basicConfig") or {}
    item: dict[str, Any] = {
        "name": body["name"],
        "jobType": body.get("processType", "BATCH"),
        "owner": basic.get("owner", USER),
        "priority": basic.get("priority", 0),
        "status": status_of(world, job, now),
        "createUser": USER,
        "createTime": int(job["created"] * 1000),
        "lastUpdateTime": int(job["updated"] * 1000),
        "lastUpdateUser": USER,
        "path": body.get("directory", "/"),
        "singleNodeJobFlag": bool(body.get("singleNodeJobFlag", False)),
    }
    last = _last_instance(sp, body["name"])
    if last is not None:
        item["lastInstanceStatus"] = last.status(now)
        ended = last.ended(now)
        if ended is not None:
            item["lastInstanceEndTime"] = int(ended * 1000)
    return item


def list_jobs(world: World, call: Call) -> Any:
    sp = space(world, call)
    kind = str(call.query.get("jobType", "BATCH"))
    text = str(call.query.get("jobName", "")).lower()
    tag = call.query.get("tags")
    found = [
        _list_item(world, sp, job, call.now)
        for name, job in sp.jobs.items()
        if job["body"].get("processType", "BATCH") == kind
        and text in name.lower()
        and (tag is None or tag in job["tags"])
    ]
    return {"total": len(found), "jobs": page(call, found)}


def show(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    view = {**job["body"], "id": job["id"], "createTime": int(job["created"] * 1000)}
    view.setdefault("lastUpdateUser", USER)
    view.pop("approvers", None)
    view.pop("targetStatus", None)
    return conform(world.api.services["dlf"], {"$ref": "#/components/schemas/JobDetail"}, view)


def update(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    body = dict(call.body)
    _check(world, body)
    if body["name"] != job["body"]["name"]:
        raise ApiError("DLF.3018", message="The job name in the body differs from the path.")
    job["body"], job["updated"] = body, call.now
    return None


def delete(world: World, call: Call) -> Any:
    sp = space(world, call)
    name = job_of(sp, call)["body"]["name"]
    del sp.jobs[name]
    sp.instances = [i for i in sp.instances if i.job != name]
    return None


def rename(world: World, call: Call) -> Any:
    sp = space(world, call)
    job = job_of(sp, call)
    new = str(call.body["name"])
    if new in sp.jobs:
        raise ApiError("DLF.0102")
    old = job["body"]["name"]
    job["body"] = {**job["body"], "name": new}
    sp.jobs[new] = sp.jobs.pop(old)
    for instance in sp.instances:
        if instance.job == old:
            instance.job = new
    return {"is_success": True, "status_code": 200}


def set_tags(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    job["tags"] = [str(t) for t in call.body.get("tag_names") or ()]
    return None


def new_instance(world: World, call: Call, job: dict[str, Any], kind: int) -> Instance:
    """A job instance planned now; it waits, runs its nodes, then ends."""
    sp = space(world, call)
    body = job["body"]
    state = dlf(world)
    instance = Instance(
        id=state.take_id(),
        job=body["name"],
        job_id=job["id"],
        kind=kind,
        planned=call.now,
        wait=world.timings.instance_wait,
        run=world.timings.instance_run,
        nodes=[
            (str(n.get("name")), str(n.get("type")), _queue(sp, n)) for n in body.get("nodes") or ()
        ],
        fail=state.fail_next.pop(body["name"], False),
    )
    sp.instances.append(instance)
    return instance


def _queue(sp: Space, node: dict[str, Any]) -> str | None:
    """The DLI queue a node runs on: a DLI SQL node its script's `queueName`, a DLI Spark node
    its `clusterName` (the DLI queue); other nodes run on none."""
    properties = {str(p.get("name")): str(p.get("value")) for p in node.get("properties") or ()}
    if node.get("type") == "DLISQL":
        script = sp.scripts.get(properties.get("scriptName", ""), {})
        return str(script.get("queueName") or "default")
    if node.get("type") == "DLISpark":
        return properties.get("clusterName", "default")
    return None


def start(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    status = status_of(world, job, call.now)
    if job["body"].get("processType") == "REAL_TIME":
        if status not in ("STARTING", "NORMAL"):
            job.update(status="STARTING", changed=call.now, started=call.now)
        return None
    if status != "SCHEDULING":
        job.update(status="SCHEDULING", changed=call.now, started=call.now)
        once = (job["body"].get("schedule") or {}).get("type") == "EXECUTE_ONCE"
        new_instance(world, call, job, 7 if once else 0)
    return None


def stop(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    status = status_of(world, job, call.now)
    if job["body"].get("processType") == "REAL_TIME":
        if status in ("STARTING", "NORMAL"):
            job.update(status="STOPPING", changed=call.now)
        return None
    job.update(status="STOPPED", changed=call.now)
    return None


def run_immediately(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    if job["body"].get("processType") == "REAL_TIME":
        raise ApiError("DLF.0136")
    return {"instanceId": new_instance(world, call, job, 2).id}


def real_time_status(world: World, call: Call) -> Any:
    job = job_of(space(world, call), call)
    status = status_of(world, job, call.now)
    shown = {"SCHEDULING": "NORMAL", "PAUSED": "STOPPED"}.get(status, status)
    view: dict[str, Any] = {
        "name": job["body"]["name"],
        "status": shown,
        "nodes": [
            {"name": str(n.get("name")), "status": shown, "nodeType": str(n.get("type"))}
            for n in job["body"].get("nodes") or ()
        ],
        "lastUpdateTime": int(job["changed"] * 1000),
    }
    if "started" in job:
        view["starttime"] = int(job["started"] * 1000)  # doc: the wire spelling
    return view


def export(world: World, call: Call) -> Any:
    job_of(space(world, call), call)
    obs_path = call.body.get("obsPath") if isinstance(call.body, dict) else None
    if obs_path:  # doc: written to OBS; the JSON answer says where (Terraform reads obsPath)
        return {"obsPath": obs_path}
    return EMPTY_ZIP


def import_jobs(world: World, call: Call) -> Any:
    path = str(call.body.get("path"))
    return {"taskId": start_task(world, call, f"Import jobs from [{path}].", [path])}


HANDLERS: dict[str, Handler] = {
    "CreateJob": create,
    "ListJobs": list_jobs,
    "ShowJob": show,
    "UpdateJob": update,
    "DeleteJob": delete,
    "RenameJob": rename,
    "SetJobTags": set_tags,
    "StartJob": start,
    "StopJob": stop,
    "RunJobImmediately": run_immediately,
    "ShowJobStatus": real_time_status,
    "ExportJob": export,
    "ImportJob": import_jobs,
}
