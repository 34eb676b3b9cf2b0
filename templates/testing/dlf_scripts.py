"""DLF scripts (6.1) and script instances: unique names; executing creates an instance that goes
LAUNCHING -> RUNNING -> FINISHED with a result; stopping it ends it FAILED."""

from __future__ import annotations

from typing import Any

from .answers import ApiError
from .dlf_state import ScriptRun, Space, space
from .incoming import Call
from .paging import page
from .world import Handler, World

__all__ = ["HANDLERS"]

SCRIPT_FIELDS = (
    "name", "type", "content", "directory", "connectionName", "database", "queueName",
    "configuration",
)  # fmt: skip
SQL_TYPES = {"FlinkSQL", "DLISQL", "SparkSQL", "HiveSQL", "DWSSQL", "RDSSQL", "PRESTO",
             "ClickHouseSQL", "HetuEngineSQL", "ImpalaSQL"}  # fmt: skip
LAUNCH_SECONDS = 1.0


def script_of(sp: Space, call: Call) -> dict[str, Any]:
    script = sp.scripts.get(str(call.path.get("script_name")))
    if script is None:
        raise ApiError("DLF.6201")
    return script


def _view(script: dict[str, Any]) -> dict[str, Any]:
    return {k: script[k] for k in SCRIPT_FIELDS if k in script}


def create(world: World, call: Call) -> Any:
    sp = space(world, call)
    name = str(call.body["name"])
    if name in sp.scripts:
        raise ApiError("DLF.0202")
    sp.scripts[name] = {k: v for k, v in call.body.items() if k in SCRIPT_FIELDS}
    sp.scripts[name].setdefault("directory", "/")
    return None


def list_scripts(world: World, call: Call) -> Any:
    text = str(call.query.get("scriptName", "")).lower()
    found = [_view(s) for name, s in space(world, call).scripts.items() if text in name.lower()]
    return {"total": len(found), "scripts": page(call, found)}


def show(world: World, call: Call) -> Any:
    return _view(script_of(space(world, call), call))


def update(world: World, call: Call) -> Any:
    sp = space(world, call)
    script = script_of(sp, call)
    if str(call.body.get("name", script["name"])) != script["name"]:
        raise ApiError("DLF.0203", message="The script name cannot be changed.")
    script.update({k: v for k, v in call.body.items() if k in SCRIPT_FIELDS})
    return None


def delete(world: World, call: Call) -> Any:
    sp = space(world, call)
    del sp.scripts[script_of(sp, call)["name"]]
    return None


def execute(world: World, call: Call) -> Any:
    sp = space(world, call)
    script = script_of(sp, call)
    run = ScriptRun(
        world.new_hex(), script["name"], call.now, LAUNCH_SECONDS, world.timings.script_run
    )
    sp.script_runs[run.id] = run
    return {"instanceId": run.id}


def _run_of(sp: Space, call: Call) -> ScriptRun:
    script = script_of(sp, call)
    run = sp.script_runs.get(str(call.path.get("instance_id")))
    if run is None or run.script != script["name"]:
        raise ApiError("DLF.6205")
    return run


def show_instance(world: World, call: Call) -> Any:
    sp = space(world, call)
    run = _run_of(sp, call)
    status = run.status(call.now)
    results: list[dict[str, Any]] = []
    if status == "FINISHED":
        script = sp.scripts.get(run.script, {})
        result: dict[str, Any] = {"message": "", "duration": round(run.run, 1)}
        if script.get("type") in SQL_TYPES:
            result.update(rowCount=1, rows=[[1]], schema=[{"_c0": "int"}])
        results.append(result)
    elif status == "FAILED":
        results.append({"message": "The script instance was stopped.", "duration": 0.0})
    return {"status": status, "result": results}  # doc: the wire spelling (documented: results)


def stop_instance(world: World, call: Call) -> Any:
    run = _run_of(space(world, call), call)
    if run.status(call.now) in ("LAUNCHING", "RUNNING"):
        run.stopped = call.now
    return None


HANDLERS: dict[str, Handler] = {
    "CreateScript": create,
    "ListScripts": list_scripts,
    "ShowScript": show,
    "UpdateScript": update,
    "DeleteScript": delete,
    "ExecuteScript": execute,
    "ShowScriptInstance": show_instance,
    "StopScriptInstance": stop_instance,
}
