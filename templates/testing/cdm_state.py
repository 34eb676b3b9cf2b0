"""CDM's state: clusters, their links and jobs, and the runs (submissions) of each job.

Long-running things are timelines, not threads: a cluster stores when each status begins, a run
when it started and how long it takes, and every read computes the state at the clock's now.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .answers import ApiError
from .incoming import Call
from .world import World

__all__ = ["CdmState", "Cluster", "Job", "Link", "Run", "cdm", "cluster_of"]

USER = "cdm"  # doc: the user the documents' examples show as creation-user
# Cluster status codes and their statusDetail (table 5-3).
STATUS_DETAIL = {
    "100": "Creating",
    "200": "Normal",
    "300": "Failed",
    "303": "Creation failed",
    "500": "Restarting",
    "800": "Frozen",
    "900": "Stopped",
    "910": "Stopping",
    "920": "Starting",
}


@dataclass
class Cluster:
    id: str
    name: str
    created: float
    spec: dict[str, Any]  # the `cluster` object of the create request
    instances: list[dict[str, Any]]
    # (virtual time it begins, status code): the cluster's past and planned statuses
    timeline: list[tuple[float, str]] = field(default_factory=list)
    links: dict[str, Link] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    next_submission: int = 1

    def status(self, now: float) -> str:
        current = "100"
        for begins, status in self.timeline:
            if begins <= now:
                current = status
        return current

    def plan(self, now: float, *steps: tuple[float, str]) -> None:
        """Replace what was still to come with `steps` (delays from now, status)."""
        self.timeline = [(t, s) for t, s in self.timeline if t <= now]
        self.timeline += [(now + delay, status) for delay, status in steps]


@dataclass
class Link:
    name: str
    connector: str
    enabled: bool
    configs: list[dict[str, Any]]  # link-config-values.configs as sent (secrets included)
    extra: dict[str, Any]  # other fields of link-config-values (validators, extended-configs)
    created: float
    updated: float
    id: int


@dataclass
class Run:
    """One submission: BOOTING, then RUNNING with progress, then SUCCEEDED (or FAILED)."""

    id: int
    job_name: str
    started: float
    boot: float
    run: float
    rows: int
    bytes_per_row: int
    fail: str | None = None  # the error of a run that fails half way
    stopped: float | None = None
    variables: dict[str, str] = field(default_factory=dict)
    deletes_job: bool = False  # isDeleteJob: the job deletes itself after this run

    def status(self, now: float) -> tuple[str, float]:
        """(status, progress 0-100; -1 once failed) at `now`."""
        if self.stopped is not None and now >= self.stopped:
            return "FAILED", -1.0
        if now < self.started + self.boot:
            return "BOOTING", 0.0
        elapsed = now - self.started - self.boot
        if self.fail is not None and elapsed >= self.run / 2:
            return "FAILED", -1.0
        if elapsed < self.run:
            return "RUNNING", round(100.0 * elapsed / self.run, 1)
        return "SUCCEEDED", 100.0

    def done_fraction(self, now: float) -> float:
        end = now if self.stopped is None else min(now, self.stopped)
        elapsed = end - self.started - self.boot
        fraction = min(max(elapsed / self.run, 0.0), 1.0) if self.run > 0 else 1.0
        return min(fraction, 0.5) if self.fail is not None else fraction

    def running(self, now: float) -> bool:
        return self.status(now)[0] in ("BOOTING", "RUNNING")

    def ended(self, now: float) -> float | None:
        """When the run ended, if it has."""
        status, _ = self.status(now)
        if status == "SUCCEEDED":
            return self.started + self.boot + self.run
        if status == "FAILED":
            if self.stopped is not None and now >= self.stopped:
                return self.stopped
            return self.started + self.boot + self.run / 2
        return None


@dataclass
class Job:
    name: str
    body: dict[str, Any]  # the job object as sent
    created: float
    updated: float
    id: int
    runs: list[Run] = field(default_factory=list)
    fail_next: str | None = None

    @property
    def last_run(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    @property
    def disposal(self) -> str:
        """schedulerConfig.disposableType (5.4.4): NONE, DELETE_AFTER_SUCCEED or DELETE."""
        for config in (self.body.get("driver-config-values") or {}).get("configs") or ():
            for item in config.get("inputs") or ():
                if item.get("name") == "schedulerConfig.disposableType":
                    return str(item.get("value"))
        return "NONE"

    def deleted_itself(self, now: float) -> bool:
        run = self.last_run
        if run is None or not run.deletes_job or run.ended(now) is None:
            return False
        return self.disposal == "DELETE" or run.status(now)[0] == "SUCCEEDED"


@dataclass
class CdmState:
    """Clusters by project and id; `fail_next_run` makes a job's next run fail."""

    projects: dict[str, dict[str, Cluster]] = field(default_factory=dict)
    next_id: int = 1

    def clusters(self, project_id: str) -> dict[str, Cluster]:
        return self.projects.setdefault(project_id, {})

    def fail_next_run(self, job_name: str, error: str = "Simulated failure.") -> None:
        """The next run of every job named `job_name` (any project, cluster) fails half way."""
        for clusters in self.projects.values():
            for cluster in clusters.values():
                if job_name in cluster.jobs:
                    cluster.jobs[job_name].fail_next = error

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


def cdm(world: World) -> CdmState:
    return world.state("cdm", CdmState)


def cluster_of(world: World, call: Call) -> Cluster:
    """The cluster of the path, or CDM's answer to an unknown one."""
    cluster_id = str(call.path.get("cluster_id", ""))
    cluster = cdm(world).clusters(call.project_id).get(cluster_id)
    if cluster is None:
        # doc: the Terraform provider waits for a deleted cluster's GET to answer 404; Cdm.0001
        # is 7.4.1's "the resource does not exist or is invalid", at 400 where 404 is undocumented.
        status = 404 if "404" in call.operation.responses else 400
        raise ApiError("Cdm.0001", status=status)
    for name in [name for name, job in cluster.jobs.items() if job.deleted_itself(call.now)]:
        del cluster.jobs[name]
    return cluster


def job_size(name: str) -> tuple[int, int]:
    """Rows and bytes per row of a job's runs: made up, but the same for the same job name."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16)
    return 10_000 + digest % 990_000, 64 + digest % 448
