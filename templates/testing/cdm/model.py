"""CDM's resources as the backend keeps them: clusters, their links and jobs, and job runs.

Long-running things are timelines, not threads: a cluster stores when each status begins, a run
when it started and how long it takes, and every read computes the state at the clock's now.
Links and jobs keep the object the API was sent (secrets included); the accessors below are the
backend's only reads of its wire names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Cluster", "Job", "Link", "Run", "job_size"]

CREATING, NORMAL = "100", "200"


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
        current = CREATING
        for begins, status in self.timeline:
            if begins <= now:
                current = status
        return current

    def plan(self, now: float, *steps: tuple[float, str]) -> None:
        """Replace what was still to come with `steps` (delays from now, status)."""
        self.timeline = [(t, s) for t, s in self.timeline if t <= now]
        self.timeline += [(now + delay, status) for delay, status in steps]

    def changed(self, now: float) -> float:
        """When the status at `now` began."""
        return max((t for t, _ in self.timeline if t <= now), default=self.created)

    def ready_at(self) -> float | None:
        """When the cluster first becomes normal, if it is planned to."""
        return next((t for t, s in self.timeline if s == NORMAL), None)

    @property
    def node_spec(self) -> dict[str, Any]:
        """The first node of the create request (its AZ, flavor and network)."""
        nodes = self.spec.get("instances") or [{}]
        return dict(nodes[0])

    @property
    def availability_zone(self) -> str:
        return str(self.node_spec.get("availability_zone", ""))

    @property
    def flavor(self) -> str:
        return str(self.node_spec.get("flavorRef", ""))


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

    def rows_done(self, now: float) -> int:
        return int(self.rows * self.done_fraction(now))

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

    def stopped_by_user(self, now: float) -> bool:
        return self.stopped is not None and now >= self.stopped


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
    def job_type(self) -> str:
        return str(self.body.get("job_type", "NORMAL_JOB"))

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

    def link_name(self, side: str) -> str:
        """The link of the `from` or `to` side."""
        return str(self.body.get(f"{side}-link-name"))

    def connector(self, side: str) -> str | None:
        value = self.body.get(f"{side}-connector-name")
        return None if value is None else str(value)

    def uses(self, link_name: str) -> bool:
        return link_name in (self.link_name("from"), self.link_name("to"))


def job_size(name: str) -> tuple[int, int]:
    """Rows and bytes per row of a job's runs: made up, but the same for the same job name."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:8], 16)
    return 10_000 + digest % 990_000, 64 + digest % 448
