"""DataArts Factory's backend: per project and workspace, scripts (6.1), resources (6.2), jobs and
their instances (6.3), connections (6.4) and system tasks, with their rules.

Every route family of DataArts Factory (the v1 paths and the v2 `/factory/` ones) works on the
same workspaces. From Python, a workspace is one call away:

    ws = sim.dlf.workspace("p1", "ws-1")
    ws.create_script(script)
    ws.create_job(job)
    instance = ws.run_job("orders_job")

Rules: names are unique (scripts, jobs, connections; resources per directory); a job has a
name and nodes whose required properties (the node-type catalogue) are set; a batch job is
STOPPED until started, starting schedules it (SCHEDULING) with an instance that runs to its end,
"run immediately" makes a manual instance; a real-time job goes STARTING -> NORMAL and
STOPPING -> STOPPED; one DLI connection per workspace, a connection keeps its type and name;
passwords are kept when an update leaves them out or masked. Exports are zips of definitions
(`dataarts.testing.dlf.archive`); imports read such a zip from the simulated OBS in a system
task, which fails when there is no file or it is not one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..answers import ApiError
from ..environment import Environment
from ..incoming import bad_request
from ..obs import ObjectStore
from . import archive
from .model import Instance, Job, ScriptRun, Task
from .nodes import node_problems

__all__ = ["DlfBackend", "Workspace"]

SERVICE = "dlf"
SCRIPT_FIELDS = (
    "name", "type", "content", "directory", "connectionName", "database", "queueName",
    "configuration",
)  # fmt: skip
RESOURCE_FIELDS = ("name", "type", "location", "dependFiles", "desc", "directory")
SECRET_FIELDS = ("password",)  # connection config fields that are never answered
MASK = "*****"  # doc: 6.4.3's example answers a password as five asterisks
LAUNCH_SECONDS = 1.0  # a script instance LAUNCHING before RUNNING


class DlfBackend:
    """Every workspace of every project; ids and "fail the next run" are shared by all."""

    def __init__(self, env: Environment, node_types: Mapping[str, Any], obs: ObjectStore) -> None:
        self.env = env
        self.node_types = node_types
        self.obs = obs
        self._spaces: dict[tuple[str, str], Workspace] = {}
        self._next_id = 1000
        self._fail_next: set[str] = set()

    def now(self) -> float:
        return self.env.now()

    def workspace(self, project_id: str, workspace: str = "") -> Workspace:
        """A project's workspace (the `workspace` header; "" the default one), with any import
        whose time is up done."""
        space = self._spaces.get((project_id, workspace))
        if space is None:
            space = self._spaces[(project_id, workspace)] = Workspace(self, project_id, workspace)
        space.settle()
        return space

    def workspaces(self) -> list[Workspace]:
        return list(self._spaces.values())

    def task(self, project_id: str, task_id: str) -> Task:
        """A system task of any workspace of the project (an import names its workspace, or
        none: ImportConnections documents no `workspace` header)."""
        for (project, name), space in list(self._spaces.items()):
            if project == project_id and task_id in space.tasks:
                return self.workspace(project, name).task(task_id)
        raise ApiError("DLF.0810")

    def fail_next_run(self, job_name: str) -> None:
        """The next instance of jobs named `job_name` (any project or workspace) fails."""
        self._fail_next.add(job_name)

    def take_fail(self, job_name: str) -> bool:
        """Whether the next instance of `job_name` fails (and forget that it should)."""
        if job_name in self._fail_next:
            self._fail_next.discard(job_name)
            return True
        return False

    def take_id(self) -> int:
        self._next_id += 1
        return self._next_id


class Workspace:
    """One workspace of one project: its things and the rules that change them."""

    def __init__(self, backend: DlfBackend, project_id: str, name: str) -> None:
        self.backend = backend
        self.project_id = project_id
        self.name = name
        self.scripts: dict[str, dict[str, Any]] = {}
        self.script_runs: dict[str, ScriptRun] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        self.connections: dict[str, dict[str, Any]] = {}
        self.jobs: dict[str, Job] = {}
        self.instances: list[Instance] = []
        self.tasks: dict[str, Task] = {}

    def __repr__(self) -> str:
        return f"Workspace(project_id={self.project_id!r}, name={self.name!r})"

    def now(self) -> float:
        return self.backend.now()

    def settle(self) -> None:
        """Do the work of system tasks whose time is up."""
        now = self.now()
        for task in list(self.tasks.values()):
            task.settle(now)

    # -- scripts -----------------------------------------------------------------------------

    def create_script(self, body: Mapping[str, Any]) -> dict[str, Any]:
        name = str(body["name"])
        if name in self.scripts:
            raise ApiError("DLF.0202")
        script = {k: v for k, v in body.items() if k in SCRIPT_FIELDS}
        script.setdefault("directory", "/")
        self.scripts[name] = script
        return script

    def script(self, name: str) -> dict[str, Any]:
        script = self.scripts.get(name)
        if script is None:
            raise ApiError("DLF.6201")
        return script

    def find_scripts(self, text: str = "") -> list[dict[str, Any]]:
        """Scripts whose names contain `text` (any case)."""
        return [s for name, s in self.scripts.items() if text.lower() in name.lower()]

    def update_script(self, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
        script = self.script(name)
        if str(body.get("name", name)) != name:
            raise ApiError("DLF.0203", message="The script name cannot be changed.")
        script.update({k: v for k, v in body.items() if k in SCRIPT_FIELDS})
        return script

    def delete_script(self, name: str) -> None:
        del self.scripts[str(self.script(name)["name"])]

    def execute_script(self, name: str) -> ScriptRun:
        """A script instance: LAUNCHING, RUNNING, then FINISHED."""
        script = self.script(name)
        run = ScriptRun(
            self.backend.env.new_hex(),
            str(script["name"]),
            self.now(),
            LAUNCH_SECONDS,
            self.backend.env.timings.script_run,
        )
        self.script_runs[run.id] = run
        return run

    def script_run(self, name: str, instance_id: str) -> ScriptRun:
        script = self.script(name)
        run = self.script_runs.get(instance_id)
        if run is None or run.script != script["name"]:
            raise ApiError("DLF.6205")
        return run

    def stop_script_run(self, name: str, instance_id: str) -> None:
        """End a running script instance (FAILED); an ended one stays as it is."""
        run = self.script_run(name, instance_id)
        now = self.now()
        if run.status(now) in ("LAUNCHING", "RUNNING"):
            run.stopped = now

    # -- resources ---------------------------------------------------------------------------

    def create_resource(self, body: Mapping[str, Any]) -> str:
        """A resource (an OBS location, unique by name in its directory); its id."""
        self._check_resource(body, None)
        resource_id = self.backend.env.new_hex()
        resource = {k: v for k, v in body.items() if k in RESOURCE_FIELDS}
        resource.setdefault("directory", "/")
        self.resources[resource_id] = resource
        return resource_id

    def resource(self, resource_id: str) -> dict[str, Any]:
        found = self.resources.get(resource_id)
        if found is None:
            raise ApiError("DLF.6241")
        return found

    def find_resources(self, text: str = "") -> list[tuple[str, dict[str, Any]]]:
        """(id, resource) of resources whose names contain `text` (any case)."""
        return [
            (rid, resource)
            for rid, resource in self.resources.items()
            if text.lower() in str(resource["name"]).lower()
        ]

    def update_resource(self, resource_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        resource = self.resource(resource_id)
        self._check_resource(body, resource_id)
        resource.update({k: v for k, v in body.items() if k in RESOURCE_FIELDS})
        return resource

    def delete_resource(self, resource_id: str) -> None:
        self.resource(resource_id)
        del self.resources[resource_id]

    def _check_resource(self, body: Mapping[str, Any], own_id: str | None) -> None:
        location = body.get("location")
        if location is not None and not str(location).startswith("obs://"):
            raise ApiError("DLF.6264")
        directory = body.get("directory", "/")
        for rid, other in self.resources.items():
            same = other["name"] == body.get("name") and other.get("directory", "/") == directory
            if same and rid != own_id:
                raise ApiError("DLF.6259")

    # -- connections -------------------------------------------------------------------------

    def create_connection(self, body: Mapping[str, Any]) -> dict[str, Any]:
        name = str(body["name"])
        if name in self.connections:
            raise ApiError("DLF.6309")
        dli = any(c.get("type") == "DLI" for c in self.connections.values())
        if body.get("type") == "DLI" and dli:
            raise ApiError("DLF.6271")
        connection = self.connections[name] = dict(body)
        return connection

    def connection(self, name: str) -> dict[str, Any]:
        found = self.connections.get(name)
        if found is None:
            raise ApiError("DLF.6322")
        return found

    def find_connections(self, text: str = "") -> list[dict[str, Any]]:
        return [c for name, c in self.connections.items() if text.lower() in name.lower()]

    def update_connection(self, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Replace a connection of the same name and type; a password left out, empty or
        masked keeps the stored one."""
        old = self.connection(name)
        new = dict(body)
        if new.get("type") != old.get("type"):
            raise ApiError("DLF.6323")
        if new.get("name") != old["name"]:
            raise ApiError("DLF.6309", message="The connection name cannot be changed.")
        config, stored = dict(new.get("config") or {}), dict(old.get("config") or {})
        for key in SECRET_FIELDS:
            if config.get(key) in (None, "", MASK) and key in stored:
                config[key] = stored[key]
        if "config" in new:
            new["config"] = config
        self.connections[str(old["name"])] = new
        return new

    def delete_connection(self, name: str) -> None:
        del self.connections[str(self.connection(name)["name"])]

    def export_connections(self) -> bytes:
        """Every connection's definition in a zip, passwords left out."""
        definitions = []
        for connection in self.connections.values():
            config = {
                k: v for k, v in (connection.get("config") or {}).items() if k not in SECRET_FIELDS
            }
            definitions.append({**connection, **({"config": config} if config else {})})
        return archive.pack(archive.Archive(connections=definitions))

    def import_connections(self, path: str, *, same_name: str = "SKIP") -> Task:
        """A system task importing the connections of the zip at `path` (simulated OBS)."""

        def apply() -> str | None:
            found = self._read(path)
            if isinstance(found, str):
                return found
            for connection in found.connections:
                name = str(connection["name"])
                if name in self.connections and same_name != "OVERWRITE":
                    continue
                self.connections[name] = dict(connection)
            return None

        return self._task(f"Import connections from [{path}].", [path], apply)

    # -- jobs --------------------------------------------------------------------------------

    def create_job(self, body: Mapping[str, Any]) -> Job:
        body = dict(body)
        self._check_job(body)
        if body["name"] in self.jobs:
            raise ApiError("DLF.0102")
        now = self.now()
        job = Job(body, self.backend.take_id(), now, now, changed=now)
        self.jobs[job.name] = job
        return job

    def job(self, name: str) -> Job:
        job = self.jobs.get(name)
        if job is None:
            raise ApiError("DLF.0100")
        return job

    def find_jobs(
        self, *, process_type: str = "BATCH", text: str = "", tag: str | None = None
    ) -> list[Job]:
        """Jobs of one process type whose names contain `text` (any case), with `tag`."""
        return [
            job
            for name, job in self.jobs.items()
            if job.process_type == process_type
            and text.lower() in name.lower()
            and (tag is None or tag in job.tags)
        ]

    def job_status(self, job: Job) -> str:
        return job.status_at(self.now(), self.backend.env.timings.job_start)

    def update_job(self, name: str, body: Mapping[str, Any]) -> Job:
        job = self.job(name)
        body = dict(body)
        self._check_job(body)
        if body["name"] != job.name:
            raise ApiError("DLF.3018", message="The job name in the body differs from the path.")
        job.body, job.updated = body, self.now()
        return job

    def delete_job(self, name: str) -> None:
        """Delete a job with its instances."""
        job = self.job(name)
        del self.jobs[job.name]
        self.instances = [i for i in self.instances if i.job != job.name]

    def rename_job(self, name: str, new_name: str) -> Job:
        job = self.job(name)
        if new_name in self.jobs:
            raise ApiError("DLF.0102")
        job.body = {**job.body, "name": new_name}
        self.jobs[new_name] = self.jobs.pop(name)
        for instance in self.instances:
            if instance.job == name:
                instance.job = new_name
        return job

    def set_job_tags(self, name: str, tags: Iterable[str]) -> Job:
        job = self.job(name)
        job.tags = [str(tag) for tag in tags]
        return job

    def start_job(self, name: str) -> Instance | None:
        """Schedule a batch job (its instance: one-time or scheduled) or start a real-time one
        (None); a started job stays as it is."""
        job = self.job(name)
        status = self.job_status(job)
        now = self.now()
        if job.real_time:
            if status not in ("STARTING", "NORMAL"):
                job.set_status("STARTING", now, started=True)
            return None
        if status == "SCHEDULING":
            return None
        job.set_status("SCHEDULING", now, started=True)
        return self._new_instance(job, 7 if job.runs_once else 0)

    def stop_job(self, name: str) -> None:
        job = self.job(name)
        status = self.job_status(job)
        now = self.now()
        if not job.real_time:
            job.set_status("STOPPED", now)
        elif status in ("STARTING", "NORMAL"):
            job.set_status("STOPPING", now)

    def run_job(self, name: str) -> Instance:
        """Run a batch job now: a manual instance."""
        job = self.job(name)
        if job.real_time:
            raise ApiError("DLF.0136")
        return self._new_instance(job, 2)

    def export_jobs(self, names: Iterable[str], *, depends: bool = True) -> bytes:
        """The jobs' definitions in a zip, with the scripts and resources their nodes use."""
        jobs = [self.job(name) for name in dict.fromkeys(names)]
        contents = archive.Archive(jobs=[dict(job.body) for job in jobs])
        if depends:
            used = {v for job in jobs for node in job.nodes for v in _property_values(node)}
            contents.scripts = [dict(s) for name, s in self.scripts.items() if name in used]
            contents.resources = [
                dict(r) for r in self.resources.values() if {r["name"], r.get("location")} & used
            ]
        return archive.pack(contents)

    def file_info(self, path: str) -> archive.Archive:
        """What the zip at `path` holds; 400 `DLF.3051` when there is no such file."""
        found = self._read(path)
        if isinstance(found, str):
            raise ApiError("DLF.3051", message=found)
        return found

    def import_jobs(
        self,
        path: str,
        *,
        same_name: str = "SKIP",
        params: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Task:
        """A system task importing the jobs (and their scripts and resources) of the zip at
        `path`; `params` sets the named jobs' parameters. Existing names are skipped unless
        `same_name` is OVERWRITE."""

        def apply() -> str | None:
            found = self._read(path)
            if isinstance(found, str):
                return found
            overwrite = same_name == "OVERWRITE"
            for script in found.scripts:
                if overwrite or script["name"] not in self.scripts:
                    self.scripts.pop(str(script["name"]), None)
                    self.create_script(script)
            for resource in found.resources:
                clash = [rid for rid, r in self.find_resources() if r["name"] == resource["name"]]
                if clash and not overwrite:
                    continue
                for rid in clash:
                    del self.resources[rid]
                self.create_resource(resource)
            for body in found.jobs:
                name = str(body["name"])
                if name in self.jobs and not overwrite:
                    continue
                if name in (params or {}):
                    body = {**body, "params": dict((params or {})[name])}
                try:
                    self._check_job(dict(body))
                except ApiError as error:
                    return f"job {name}: {error.message or error.code}"
                self.jobs.pop(name, None)
                self.create_job(body)
            return None

        return self._task(f"Import jobs from [{path}].", [path], apply)

    def _check_job(self, body: Mapping[str, Any]) -> None:
        if not str(body.get("name", "")).strip():
            raise ApiError("DLF.3004")
        if not body.get("nodes"):
            raise ApiError("DLF.1006")
        if body.get("singleNodeJobFlag") and not body.get("singleNodeJobType"):
            raise ApiError("DLF.21123")
        problems = node_problems(self.backend.node_types, list(body["nodes"]), "body.nodes")
        if problems:
            raise bad_request(SERVICE, problems)

    # -- instances ---------------------------------------------------------------------------

    def find_instances(self, job_name: str | None = None) -> list[Instance]:
        """Job instances, newest first (of one job when named)."""
        return [i for i in reversed(self.instances) if job_name is None or i.job == job_name]

    def instance(self, job_name: str, instance_id: int) -> Instance:
        job = self.job(job_name)
        for instance in self.instances:
            if instance.id == instance_id and instance.job == job.name:
                return instance
        raise ApiError("DLF.0137")

    def stop_instance(self, job_name: str, instance_id: int) -> None:
        """Stop a waiting or running instance (manual-stop); an ended one stays as it is."""
        instance = self.instance(job_name, instance_id)
        now = self.now()
        if instance.running(now):
            instance.stopped = now

    def restart_instance(self, job_name: str, instance_id: int) -> None:
        """Run an ended instance again from the start."""
        instance = self.instance(job_name, instance_id)
        now = self.now()
        if instance.running(now):
            raise ApiError("DLF.0137", message="The job instance is still running.")
        instance.planned, instance.wait, instance.stopped, instance.fail = (
            now,
            0.0,
            None,
            False,
        )

    def _new_instance(self, job: Job, kind: int) -> Instance:
        timings = self.backend.env.timings
        instance = Instance(
            id=self.backend.take_id(),
            job=job.name,
            job_id=job.id,
            kind=kind,
            planned=self.now(),
            wait=timings.instance_wait,
            run=timings.instance_run,
            nodes=[(str(n.get("name")), str(n.get("type")), self._queue(n)) for n in job.nodes],
            fail=self.backend.take_fail(job.name),
        )
        self.instances.append(instance)
        return instance

    def _queue(self, node: Mapping[str, Any]) -> str | None:
        """The DLI queue a node runs on: a DLI SQL node its script's `queueName`, a DLI Spark
        node its `clusterName` (the DLI queue); other nodes run on none."""
        properties = {str(p.get("name")): str(p.get("value")) for p in node.get("properties") or ()}
        if node.get("type") == "DLISQL":
            script = self.scripts.get(properties.get("scriptName", ""), {})
            return str(script.get("queueName") or "default")
        if node.get("type") == "DLISpark":
            return properties.get("clusterName", "default")
        return None

    # -- system tasks ------------------------------------------------------------------------

    def task(self, task_id: str) -> Task:
        task = self.tasks.get(task_id)
        if task is None:
            raise ApiError("DLF.0810")
        return task

    def _task(self, name: str, subtasks: list[str], apply: Callable[[], str | None]) -> Task:
        env = self.backend.env
        task = Task(
            env.new_hex(),
            name,
            self.now(),
            env.timings.system_task,
            subtasks,
            apply=apply,
        )
        self.tasks[task.id] = task
        return task

    def _read(self, path: str) -> archive.Archive | str:
        """The definitions in the OBS file at `path`, or why there are none."""
        data = self.backend.obs.get(path)
        if data is None:
            return f"The OBS file {path} does not exist."
        try:
            return archive.unpack(data)
        except ValueError as exc:
            return f"The OBS file {path} is not a definition file: {exc}"


def _property_values(node: Mapping[str, Any]) -> set[str]:
    return {str(p.get("value")) for p in node.get("properties") or () if isinstance(p, Mapping)}
