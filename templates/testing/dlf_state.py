"""DataArts Factory (DLF) state, per project and workspace: scripts and their instances,
resources, connections, jobs, job instances and system tasks.

Like CDM's, long-running things are timelines read at the clock's now: a script instance is
LAUNCHING, RUNNING, then FINISHED; a job instance waiting, running, then success (or fail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .incoming import Call
from .world import World

__all__ = ["DlfState", "Instance", "ScriptRun", "Space", "Task", "dlf", "space"]

USER = "dlf_user"  # who the simulator says created and updated things


@dataclass
class ScriptRun:
    id: str
    script: str
    started: float
    launch: float
    run: float
    stopped: float | None = None

    def status(self, now: float) -> str:
        if self.stopped is not None and now >= self.stopped:
            return "FAILED"
        if now < self.started + self.launch:
            return "LAUNCHING"
        return "RUNNING" if now < self.started + self.launch + self.run else "FINISHED"


@dataclass
class Instance:
    """A job instance: waiting, running (its nodes one after another), then success or fail."""

    id: int
    job: str
    job_id: int
    kind: int  # instanceType: 0 scheduled, 2 manual, 7 one-time
    planned: float
    wait: float
    run: float
    nodes: list[tuple[str, str]]  # (name, type)
    fail: bool = False
    stopped: float | None = None

    def status(self, now: float) -> str:
        if self.stopped is not None and now >= self.stopped:
            return "manual-stop"
        if now < self.planned + self.wait:
            return "waiting"
        if now < self.planned + self.wait + self.run:
            return "running"
        return "fail" if self.fail else "success"

    @property
    def started(self) -> float:
        return self.planned + self.wait

    def ended(self, now: float) -> float | None:
        status = self.status(now)
        if status == "manual-stop":
            return self.stopped
        if status in ("success", "fail"):
            return self.started + self.run
        return None

    def node_status(self, index: int, now: float) -> tuple[str, float, float]:
        """(status, start, end) of node `index`: each node runs in its slice of the run."""
        share = self.run / max(len(self.nodes), 1)
        begins = self.started + index * share
        ends = begins + share
        overall = self.status(now)
        if overall == "manual-stop" and self.stopped is not None and self.stopped < ends:
            return ("manual-stop" if self.stopped >= begins else "waiting"), begins, ends
        if now < begins:
            return "waiting", begins, ends
        if now < ends:
            return "running", begins, ends
        last = index == len(self.nodes) - 1
        return ("fail" if self.fail and last else "success"), begins, ends


@dataclass
class Task:
    """A system task (imports): RUNNING, then SUCCESSFUL."""

    id: str
    name: str
    started: float
    run: float
    subtasks: list[str]

    def status(self, now: float) -> str:
        return "RUNNING" if now < self.started + self.run else "SUCCESSFUL"


@dataclass
class Space:
    """One workspace of one project."""

    scripts: dict[str, dict[str, Any]] = field(default_factory=dict)
    script_runs: dict[str, ScriptRun] = field(default_factory=dict)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    connections: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> job record
    instances: list[Instance] = field(default_factory=list)
    tasks: dict[str, Task] = field(default_factory=dict)


@dataclass
class DlfState:
    spaces: dict[tuple[str, str], Space] = field(default_factory=dict)
    next_id: int = 1000
    fail_next: dict[str, bool] = field(default_factory=dict)

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def fail_next_run(self, job_name: str) -> None:
        """The next instance of jobs named `job_name` (any project or workspace) fails."""
        self.fail_next[job_name] = True


def dlf(world: World) -> DlfState:
    return world.state("dlf", DlfState)


def space(world: World, call: Call) -> Space:
    """The project's workspace named by the `workspace` header (the default one without)."""
    key = (call.project_id, str(call.headers.get("workspace", "")))
    return dlf(world).spaces.setdefault(key, Space())
