"""DLF resources (6.2), connections (6.4, being retired) and system tasks (imports).

Resources: unique names per directory, OBS locations. Connections: unique names, one DLI
connection, the type fixed once created, passwords answered masked (`*****`, as 6.4.3's example).
Importing jobs or connections starts a system task that is RUNNING, then SUCCESSFUL (the
simulator reads no OBS file, so nothing is imported).
"""

from __future__ import annotations

from typing import Any

from .answers import ApiError
from .dlf_state import Space, Task, space
from .generic import EMPTY_ZIP
from .incoming import Call
from .paging import page
from .world import Handler, World

__all__ = ["HANDLERS", "start_task"]

RESOURCE_FIELDS = ("name", "type", "location", "dependFiles", "desc", "directory")
MASK = "*****"
SECRET_FIELDS = ("password",)


# -- resources ---------------------------------------------------------------------------------


def _resource_of(sp: Space, call: Call) -> dict[str, Any]:
    found = sp.resources.get(str(call.path.get("resource_id")))
    if found is None:
        raise ApiError("DLF.6241")
    return found


def _check_resource(sp: Space, body: dict[str, Any], own_id: str | None) -> None:
    location = body.get("location")
    if location is not None and not str(location).startswith("obs://"):
        raise ApiError("DLF.6264")
    directory = body.get("directory", "/")
    for rid, other in sp.resources.items():
        same = other["name"] == body.get("name") and other.get("directory", "/") == directory
        if same and rid != own_id:
            raise ApiError("DLF.6259")


def create_resource(world: World, call: Call) -> Any:
    sp = space(world, call)
    _check_resource(sp, call.body, None)
    rid = world.new_hex()
    sp.resources[rid] = {k: v for k, v in call.body.items() if k in RESOURCE_FIELDS}
    sp.resources[rid].setdefault("directory", "/")
    return {"resourceId": rid}


def list_resources(world: World, call: Call) -> Any:
    text = str(call.query.get("resourceName", "")).lower()
    found = [
        {"id": rid, **resource}
        for rid, resource in space(world, call).resources.items()
        if text in str(resource["name"]).lower()
    ]
    return {"total": len(found), "resources": page(call, found)}


def show_resource(world: World, call: Call) -> Any:
    return dict(_resource_of(space(world, call), call))


def update_resource(world: World, call: Call) -> Any:
    sp = space(world, call)
    resource = _resource_of(sp, call)
    _check_resource(sp, call.body, str(call.path.get("resource_id")))
    resource.update({k: v for k, v in call.body.items() if k in RESOURCE_FIELDS})
    return None


def delete_resource(world: World, call: Call) -> Any:
    sp = space(world, call)
    _resource_of(sp, call)
    del sp.resources[str(call.path.get("resource_id"))]
    return None


# -- connections -------------------------------------------------------------------------------


def _connection_of(sp: Space, call: Call) -> dict[str, Any]:
    found = sp.connections.get(str(call.path.get("connection_name")))
    if found is None:
        raise ApiError("DLF.6322")
    return found


def _masked(connection: dict[str, Any]) -> dict[str, Any]:
    view = dict(connection)
    if isinstance(view.get("config"), dict):
        config = dict(view["config"])
        for key in SECRET_FIELDS:
            if key in config:
                config[key] = MASK
        view["config"] = config
    return view


def create_connection(world: World, call: Call) -> Any:
    sp = space(world, call)
    name = str(call.body["name"])
    if name in sp.connections:
        raise ApiError("DLF.6309")
    if call.body.get("type") == "DLI" and any(c["type"] == "DLI" for c in sp.connections.values()):
        raise ApiError("DLF.6271")
    sp.connections[name] = dict(call.body)
    return None


def list_connections(world: World, call: Call) -> Any:
    text = str(call.query.get("connectionName", "")).lower()
    found = [
        _masked(c) for name, c in space(world, call).connections.items() if text in name.lower()
    ]
    return {"total": len(found), "connections": page(call, found)}


def show_connection(world: World, call: Call) -> Any:
    return _masked(_connection_of(space(world, call), call))


def update_connection(world: World, call: Call) -> Any:
    sp = space(world, call)
    old = _connection_of(sp, call)
    new = dict(call.body)
    if new.get("type") != old.get("type"):
        raise ApiError("DLF.6323")
    if new.get("name") != old["name"]:
        raise ApiError("DLF.6309", message="The connection name cannot be changed.")
    config, stored = dict(new.get("config") or {}), dict(old.get("config") or {})
    for key in SECRET_FIELDS:  # a masked or empty password keeps the stored one
        if config.get(key) in (None, "", MASK) and key in stored:
            config[key] = stored[key]
    if "config" in new:
        new["config"] = config
    sp.connections[old["name"]] = new
    return None


def delete_connection(world: World, call: Call) -> Any:
    sp = space(world, call)
    del sp.connections[_connection_of(sp, call)["name"]]
    return None


def export_connections(world: World, call: Call) -> Any:
    return EMPTY_ZIP


# -- system tasks ------------------------------------------------------------------------------


def start_task(world: World, call: Call, name: str, subtasks: list[str]) -> str:
    """A system task for an asynchronous import; its id."""
    task = Task(world.new_hex(), name, call.now, world.timings.system_task, subtasks)
    space(world, call).tasks[task.id] = task
    return task.id


def import_connections(world: World, call: Call) -> Any:
    path = str(call.body.get("path"))
    return {"taskId": start_task(world, call, f"Import connections from [{path}].", [path])}


def show_task(world: World, call: Call) -> Any:
    sp = space(world, call)
    task = sp.tasks.get(str(call.path.get("task_id")))
    if task is None:
        raise ApiError("DLF.0810")
    status = task.status(call.now)
    last = int(min(call.now, task.started + task.run) * 1000)
    view: dict[str, Any] = {
        "id": task.id,
        "name": task.name,
        "startTime": int(task.started * 1000),
        "lastUpdate": last,
        "status": status,
        "projectId": call.project_id,
        "subTasks": [  # doc: the wire spelling (the documents print subtasks)
            {"id": f"{task.id[:-4]}{index:04d}", "name": sub, "lastUpdate": last,
             "status": status, "taskId": task.id}
            for index, sub in enumerate(task.subtasks, start=1)
        ],
    }  # fmt: skip
    if status == "SUCCESSFUL":
        view["endTime"] = last
    return view


HANDLERS: dict[str, Handler] = {
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
    "ShowSystemTask": show_task,
}
