"""DataArts Factory's HTTP side: each operation's checked request -> one backend call -> its view.

One table serves every route family of DataArts Factory (the v1 paths and the v2 `/factory/`
ones, whichever spec holds them): operationIds are unique across the families, and all work
on the same backend. An operation missing here still answers, generically, from its spec.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..incoming import Call
from ..paging import page
from . import views
from .backend import DlfBackend, Workspace
from .model import Instance

__all__ = ["HANDLERS"]

Handler = Callable[[DlfBackend, Call], Any]


def _space(dlf: DlfBackend, call: Call) -> Workspace:
    """The workspace the `workspace` header names (the default one without)."""
    return dlf.workspace(call.project_id, str(call.headers.get("workspace", "")))


def _instance_id(call: Call) -> int:
    return int(call.path["instance_id"])


# -- scripts (6.1) -----------------------------------------------------------------------------


def create_script(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).create_script(call.body)
    return None


def list_scripts(dlf: DlfBackend, call: Call) -> Any:
    found = [views.script_view(s) for s in _space(dlf, call).find_scripts(call.text("scriptName"))]
    return {"total": len(found), "scripts": page(call, found)}


def show_script(dlf: DlfBackend, call: Call) -> Any:
    return views.script_view(_space(dlf, call).script(call.text("script_name")))


def update_script(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).update_script(call.text("script_name"), call.body)
    return None


def delete_script(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).delete_script(call.text("script_name"))
    return None


def execute_script(dlf: DlfBackend, call: Call) -> Any:
    return {"instanceId": _space(dlf, call).execute_script(call.text("script_name")).id}


def show_script_instance(dlf: DlfBackend, call: Call) -> Any:
    space = _space(dlf, call)
    name = call.text("script_name")
    run = space.script_run(name, call.text("instance_id"))
    return views.script_run_view(run, space.script(name), dlf.now())


def stop_script_instance(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).stop_script_run(call.text("script_name"), call.text("instance_id"))
    return None


# -- resources (6.2) ---------------------------------------------------------------------------


def create_resource(dlf: DlfBackend, call: Call) -> Any:
    return {"resourceId": _space(dlf, call).create_resource(call.body)}


def list_resources(dlf: DlfBackend, call: Call) -> Any:
    found = [
        views.resource_view(rid, resource)
        for rid, resource in _space(dlf, call).find_resources(call.text("resourceName"))
    ]
    return {"total": len(found), "resources": page(call, found)}


def show_resource(dlf: DlfBackend, call: Call) -> Any:
    resource_id = call.text("resource_id")
    return views.resource_view(resource_id, _space(dlf, call).resource(resource_id))


def update_resource(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).update_resource(call.text("resource_id"), call.body)
    return None


def delete_resource(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).delete_resource(call.text("resource_id"))
    return None


# -- connections (6.4) -------------------------------------------------------------------------


def create_connection(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).create_connection(call.body)
    return None


def list_connections(dlf: DlfBackend, call: Call) -> Any:
    found = _space(dlf, call).find_connections(call.text("connectionName"))
    return {
        "total": len(found),
        "connections": page(call, list(map(views.connection_view, found))),
    }


def show_connection(dlf: DlfBackend, call: Call) -> Any:
    return views.connection_view(_space(dlf, call).connection(call.text("connection_name")))


def update_connection(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).update_connection(call.text("connection_name"), call.body)
    return None


def delete_connection(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).delete_connection(call.text("connection_name"))
    return None


def export_connections(dlf: DlfBackend, call: Call) -> Any:
    return _space(dlf, call).export_connections()


def import_connections(dlf: DlfBackend, call: Call) -> Any:
    same_name = str(call.body.get("sameNamePolicy", "SKIP"))
    task = _space(dlf, call).import_connections(str(call.body["path"]), same_name=same_name)
    return {"taskId": task.id}


# -- jobs (6.3) --------------------------------------------------------------------------------


def create_job(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).create_job(call.body)
    return None


def list_jobs(dlf: DlfBackend, call: Call) -> Any:
    space = _space(dlf, call)
    tag = call.query.get("tags")
    jobs = space.find_jobs(
        process_type=call.text("jobType", "BATCH"),
        text=call.text("jobName"),
        tag=None if tag is None else str(tag),
    )
    now = dlf.now()
    found = [
        views.job_item_view(job, space.job_status(job), _last(space, job.name), now) for job in jobs
    ]
    return {"total": len(found), "jobs": page(call, found)}


def _last(space: Workspace, job_name: str) -> Instance | None:
    instances = space.find_instances(job_name)
    return instances[0] if instances else None


def show_job(dlf: DlfBackend, call: Call) -> Any:
    return views.job_detail_view(call.spec, _space(dlf, call).job(call.text("job_name")))


def update_job(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).update_job(call.text("job_name"), call.body)
    return None


def delete_job(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).delete_job(call.text("job_name"))
    return None


def rename_job(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).rename_job(call.text("job_name"), str(call.body["name"]))
    return {"is_success": True, "status_code": 200}


def set_job_tags(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).set_job_tags(call.text("job_name"), call.body.get("tag_names") or ())
    return None


def start_job(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).start_job(call.text("job_name"))
    return None


def stop_job(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).stop_job(call.text("job_name"))
    return None


def run_job_immediately(dlf: DlfBackend, call: Call) -> Any:
    return {"instanceId": _space(dlf, call).run_job(call.text("job_name")).id}


def job_status(dlf: DlfBackend, call: Call) -> Any:
    space = _space(dlf, call)
    job = space.job(call.text("job_name"))
    return views.real_time_status_view(job, space.job_status(job))


def export_job(dlf: DlfBackend, call: Call) -> Any:
    exported = _space(dlf, call).export_jobs([call.text("job_name")])
    obs_path = call.body.get("obsPath") if isinstance(call.body, dict) else None
    if obs_path:  # doc: written to OBS; the JSON answer says where (Terraform reads obsPath)
        dlf.obs.put(str(obs_path), exported)
        return {"obsPath": obs_path}
    return exported


def batch_export_jobs(dlf: DlfBackend, call: Call) -> Any:
    names = [str(name) for name in call.body.get("jobList") or ()]
    depends = bool(call.body.get("exportDepend", True))
    return _space(dlf, call).export_jobs(names, depends=depends)


def import_jobs(dlf: DlfBackend, call: Call) -> Any:
    params = {
        str(item["name"]): dict(item.get("params") or {})
        for item in call.body.get("jobsParam") or ()
    }
    task = _space(dlf, call).import_jobs(
        str(call.body["path"]),
        same_name=str(call.body.get("sameNamePolicy", "SKIP")),
        params=params,
    )
    return {"taskId": task.id}


def file_info(dlf: DlfBackend, call: Call) -> Any:
    return views.file_info_view(_space(dlf, call).file_info(str(call.body["path"])))


# -- job instances -----------------------------------------------------------------------------


def _wanted(
    call: Call,
    instance: Instance,
    now: float,
    name_key: str,
    plan_keys: tuple[str, str],
) -> bool:
    """Whether an instance passes the list's filters (job name, status, type, plan time)."""
    query = call.query
    name = query.get(name_key)
    if name is not None:
        precise = bool(query.get("preciseQuery", False))
        if (instance.job != name) if precise else (str(name).lower() not in instance.job.lower()):
            return False
    if "status" in query and instance.status(now) != query["status"]:
        return False
    kind = query.get("instanceType", query.get("instance_type"))
    if kind is not None and instance.kind != kind:
        return False
    low, high = (query.get(plan_keys[0]), query.get(plan_keys[1]))
    planned = int(instance.planned * 1000)
    return (low is None or planned >= low) and (high is None or planned <= high)


def list_instances(dlf: DlfBackend, call: Call) -> Any:
    now = dlf.now()
    found = [
        views.instance_view(i, now)
        for i in _space(dlf, call).find_instances()
        if _wanted(call, i, now, "jobName", ("minPlanTime", "maxPlanTime"))
    ]
    return {"total": len(found), "instances": page(call, found)}


def list_instances_of_job(dlf: DlfBackend, call: Call) -> Any:
    space = _space(dlf, call)
    job = space.job(call.text("job_name"))
    now = dlf.now()
    found = [
        views.instance_v2_view(i, now)
        for i in space.find_instances(job.name)
        if _wanted(call, i, now, "", ("min_plan_time", "max_plan_time"))
    ]
    return {"total": len(found), "instances": page(call, found)}


def show_instance(dlf: DlfBackend, call: Call) -> Any:
    instance = _space(dlf, call).instance(call.text("job_name"), _instance_id(call))
    return views.instance_detail_view(instance, dlf.now())


def stop_instance(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).stop_instance(call.text("job_name"), _instance_id(call))
    return None


def restart_instance(dlf: DlfBackend, call: Call) -> Any:
    _space(dlf, call).restart_instance(call.text("job_name"), _instance_id(call))
    return None


# -- system tasks ------------------------------------------------------------------------------


def show_task(dlf: DlfBackend, call: Call) -> Any:
    task = dlf.task(call.project_id, call.text("task_id"))
    return views.task_view(task, call.project_id, dlf.now())


HANDLERS: dict[str, Handler] = {
    "CreateScript": create_script,
    "ListScripts": list_scripts,
    "ShowScript": show_script,
    "UpdateScript": update_script,
    "DeleteScript": delete_script,
    "ExecuteScript": execute_script,
    "ShowScriptInstance": show_script_instance,
    "StopScriptInstance": stop_script_instance,
    "CreateResource": create_resource,
    "ListResources": list_resources,
    "ShowResource": show_resource,
    "UpdateResource": update_resource,
    "DeleteResource": delete_resource,
    "CreateConnection": create_connection,
    "ListConnections": list_connections,
    "ShowConnection": show_connection,
    "UpdateConnection": update_connection,
    "DeleteConnection": delete_connection,
    "ExportConnections": export_connections,
    "ImportConnections": import_connections,
    "CreateJob": create_job,
    "ListJobs": list_jobs,
    "ShowJob": show_job,
    "UpdateJob": update_job,
    "DeleteJob": delete_job,
    "RenameJob": rename_job,
    "SetJobTags": set_job_tags,
    "StartJob": start_job,
    "StopJob": stop_job,
    "RunJobImmediately": run_job_immediately,
    "ShowJobStatus": job_status,
    "ExportJob": export_job,
    "BatchExportJobs": batch_export_jobs,
    "ImportJob": import_jobs,
    "ShowFileInfo": file_info,
    "ListJobInstances": list_instances,
    "ListInstancesOfJob": list_instances_of_job,
    "ShowJobInstance": show_instance,
    "StopJobInstance": stop_instance,
    "RestartJobInstance": restart_instance,
    "ShowSystemTask": show_task,
}
