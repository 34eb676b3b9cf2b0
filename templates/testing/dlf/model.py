"""DataArts Factory (DLF) resources as the backend keeps them: jobs, job instances, script runs
and system tasks. Scripts, resources and connections are kept as the objects the API was sent.

Like CDM's, long-running things are timelines read at the clock's now: a script instance is
LAUNCHING, RUNNING, then FINISHED; a job instance waiting, running, then success (or fail); a
system task RUNNING, then SUCCESSFUL (or FAILED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Instance", "Job", "ScriptRun", "Task"]


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
class Job:
    """A job: its definition as sent, and its schedule status.

    Batch jobs are STOPPED until started (SCHEDULING); real-time jobs go STARTING -> NORMAL
    and STOPPING -> STOPPED, settling `settle` seconds after the change.
    """

    body: dict[str, Any]  # the job object as sent
    id: int
    created: float
    updated: float
    status: str = "STOPPED"
    changed: float = 0.0  # when the status last changed
    started: float | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.body["name"])

    @property
    def process_type(self) -> str:
        return str(self.body.get("processType", "BATCH"))

    @property
    def real_time(self) -> bool:
        return self.process_type == "REAL_TIME"

    @property
    def runs_once(self) -> bool:
        return (self.body.get("schedule") or {}).get("type") == "EXECUTE_ONCE"

    @property
    def nodes(self) -> list[dict[str, Any]]:
        return [dict(node) for node in self.body.get("nodes") or ()]

    def status_at(self, now: float, settle: float) -> str:
        """The status, with STARTING/STOPPING settled once `settle` seconds have passed."""
        settled = {"STARTING": "NORMAL", "STOPPING": "STOPPED"}
        if self.status in settled and now >= self.changed + settle:
            self.status = settled[self.status]
        return self.status

    def set_status(self, status: str, now: float, *, started: bool = False) -> None:
        self.status, self.changed = status, now
        if started:
            self.started = now


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
    nodes: list[tuple[str, str, str | None]]  # (name, type, the DLI queue it runs on)
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

    def running(self, now: float) -> bool:
        return self.status(now) in ("waiting", "running")

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
            return (
                ("manual-stop" if self.stopped >= begins else "waiting"),
                begins,
                ends,
            )
        if now < begins:
            return "waiting", begins, ends
        if now < ends:
            return "running", begins, ends
        last = index == len(self.nodes) - 1
        return ("fail" if self.fail and last else "success"), begins, ends


@dataclass
class Task:
    """A system task (imports): RUNNING, then SUCCESSFUL, or FAILED with `error`.

    `apply` is what the task does once its time is up (the import itself); it runs once and
    returns why it failed, if it did.
    """

    id: str
    name: str
    started: float
    run: float
    subtasks: list[str]
    error: str | None = None
    apply: Callable[[], str | None] | None = field(default=None, repr=False)

    def ends(self) -> float:
        return self.started + self.run

    def status(self, now: float) -> str:
        if now < self.ends():
            return "RUNNING"
        return "FAILED" if self.error is not None else "SUCCESSFUL"

    def settle(self, now: float) -> None:
        """Do the task's work once its time is up."""
        if self.apply is not None and now >= self.ends():
            apply, self.apply = self.apply, None
            self.error = apply()
