"""CDM's backend: clusters (5.1), links (5.3) and jobs (5.2) of every project, with their rules.

Usable straight from Python, as the HTTP handlers use it: a normal cluster with two links and a
job, started, in two lines:

    cluster = sim.cdm.create_cluster("p1", name="c1", normal=True, links=[mysql, obs], jobs=[job])
    run = sim.cdm.start_job("p1", cluster.id, "mysql2obs")

Rules, as the documents and the live service have them: a cluster is created as 100 (creating)
and is normal (200) once created; start (920 -> 200), stop (910 -> 900) and restart (500 -> 200)
take `Timings.cluster_action`; an unknown cluster is `Cdm.0001`, answered 404 as the live
service answers ShowClusterDetail (the Terraform provider waits for that 404 after a delete).
Link and job names are unique per cluster; parameters are checked against the 5.4 catalogue; a
job's links must exist and match its connectors; a link used by a job cannot be deleted or
renamed; a running job cannot be changed, deleted or started again; runs need a normal cluster.
A missing job is HTTP 400 `Cdm.0100`, as the live service answers (Terraform provider).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..answers import ApiError
from ..environment import Environment
from ..incoming import bad_request
from .configs import LINK_PLACE, Catalogue, job_problems, link_problems
from .model import NORMAL, Cluster, Job, Link, Run, job_size

__all__ = ["CdmBackend"]

SERVICE = "cdm"


class CdmBackend:
    """Clusters by project and id, each with its links, jobs and runs."""

    def __init__(self, env: Environment, catalogue: Catalogue) -> None:
        self.env = env
        self.catalogue = catalogue
        self._projects: dict[str, dict[str, Cluster]] = {}
        self._next_id = 1

    def now(self) -> float:
        return self.env.now()

    # -- clusters ----------------------------------------------------------------------------

    def clusters(self, project_id: str) -> list[Cluster]:
        return list(self._projects.get(project_id, {}).values())

    def cluster(self, project_id: str, cluster_id: str) -> Cluster:
        """The cluster, or CDM's answer to an unknown one (404 `Cdm.0001`)."""
        cluster = self._projects.get(project_id, {}).get(cluster_id)
        if cluster is None:
            raise ApiError("Cdm.0001", cluster_id, status=404)
        now = self.now()
        for name in [name for name, job in cluster.jobs.items() if job.deleted_itself(now)]:
            del cluster.jobs[name]  # isDeleteJob: gone once its run ended (5.4.4 disposableType)
        return cluster

    def create_cluster(
        self,
        project_id: str,
        spec: Mapping[str, Any] | None = None,
        *,
        name: str | None = None,
        normal: bool = False,
        links: Iterable[Mapping[str, Any]] = (),
        jobs: Iterable[Mapping[str, Any]] = (),
    ) -> Cluster:
        """A cluster from CreateCluster's `cluster` object; `normal`: already created, and
        `links` and `jobs` (objects as CreateLink and CreateJob take them) created in it.
        """
        spec = dict(spec or {})
        if name is not None:
            spec["name"] = name
        if spec.get("isAutoOff") and spec.get("isScheduleBootOff"):
            raise ApiError(
                "Cdm.0014",
                message="Scheduled startup/shutdown and auto shutdown cannot both be enabled.",
            )
        now = self.now()
        cluster_id = self.env.new_id()
        cluster_name = str(spec.get("name") or f"cdm-{cluster_id[:6]}")
        nodes = spec.get("instances") or [{"type": "cdm"}]
        instances = [
            {
                "id": self.env.new_id(),
                "name": f"{cluster_name}-cdm-dn-1-{index}",
                "type": str(node.get("type", "cdm")),
                "shard_id": "dn-1",
            }
            for index, node in enumerate(nodes, start=1)
        ]
        cluster = Cluster(cluster_id, cluster_name, now, spec, instances)
        creating = 0.0 if normal else self.env.timings.cluster_create
        cluster.plan(now, (0.0, "100"), (creating, NORMAL))
        self._projects.setdefault(project_id, {})[cluster_id] = cluster
        try:
            self.create_links(project_id, cluster_id, links)
            self.create_jobs(project_id, cluster_id, jobs)
        except ApiError:  # all or nothing
            del self._projects[project_id][cluster_id]
            raise
        return cluster

    def modify_cluster(
        self,
        project_id: str,
        cluster_id: str,
        *,
        auto_off: bool | None = None,
        schedule_boot_off: bool | None = None,
        schedule_boot_time: str | None = None,
        schedule_off_time: str | None = None,
    ) -> Cluster:
        """Change auto shutdown and the scheduled startup and shutdown (None: as it is)."""
        cluster = self.cluster(project_id, cluster_id)
        changes = {
            "isAutoOff": auto_off,
            "isScheduleBootOff": schedule_boot_off,
            "scheduleBootTime": schedule_boot_time,
            "scheduleOffTime": schedule_off_time,
        }
        spec = {**cluster.spec, **{k: v for k, v in changes.items() if v is not None}}
        if spec.get("isAutoOff") and spec.get("isScheduleBootOff"):
            raise ApiError(
                "Cdm.0014",
                message="Scheduled startup/shutdown and auto shutdown cannot both be enabled.",
            )
        cluster.spec = spec
        return cluster

    def delete_cluster(self, project_id: str, cluster_id: str) -> str:
        """Delete the cluster with its links and jobs; the deletion task's id."""
        cluster = self.cluster(project_id, cluster_id)
        del self._projects[project_id][cluster.id]
        return self.env.new_hex()

    def restart_cluster(self, project_id: str, cluster_id: str, delay: float = 0.0) -> str:
        """Restarting (500) after `delay` seconds, then normal; the task's id."""
        cluster = self._ready(project_id, cluster_id)
        delay = max(delay, 0.0)
        cluster.plan(
            self.now(),
            (delay, "500"),
            (delay + self.env.timings.cluster_action, NORMAL),
        )
        return self.env.new_hex()

    def start_cluster(self, project_id: str, cluster_id: str) -> str:
        """Starting (920), then normal; a started cluster stays as it is. The task's id."""
        cluster = self._ready(project_id, cluster_id)
        now = self.now()
        if cluster.status(now) not in (NORMAL, "920"):
            cluster.plan(now, (0.0, "920"), (self.env.timings.cluster_action, NORMAL))
        return self.env.new_hex()

    def stop_cluster(self, project_id: str, cluster_id: str, delay: float = 0.0) -> str:
        """Stopping (910) after `delay` seconds, then stopped (900); the task's id."""
        cluster = self._ready(project_id, cluster_id)
        now = self.now()
        if cluster.status(now) not in ("900", "910"):
            delay = max(delay, 0.0)
            cluster.plan(now, (delay, "910"), (delay + self.env.timings.cluster_action, "900"))
        return self.env.new_hex()

    def _ready(self, project_id: str, cluster_id: str) -> Cluster:
        cluster = self.cluster(project_id, cluster_id)
        status = cluster.status(self.now())
        if status in ("100", "303"):
            raise ApiError("Cdm.0001", message=f"Cluster {cluster.name} is not ready ({status}).")
        return cluster

    # -- links -------------------------------------------------------------------------------

    def create_links(
        self,
        project_id: str,
        cluster_id: str,
        bodies: Iterable[Mapping[str, Any]],
        *,
        validate_only: bool = False,
    ) -> list[Link]:
        """Links from CreateLink's `links`; `validate_only` checks them and stores nothing."""
        cluster = self.cluster(project_id, cluster_id)
        objects = [dict(body) for body in bodies]
        names = [str(body.get("name")) for body in objects]
        for body, name in zip(objects, names):
            if name in cluster.links or names.count(name) > 1:
                raise ApiError("Cdm.0315", name)
            self._check_link(body)
        links = [self._link(body, name) for body, name in zip(objects, names)]
        if not validate_only:
            cluster.links.update((link.name, link) for link in links)
        return links

    def create_link(self, project_id: str, cluster_id: str, body: Mapping[str, Any]) -> Link:
        (link,) = self.create_links(project_id, cluster_id, [body])
        return link

    def link(self, project_id: str, cluster_id: str, name: str) -> Link:
        link = self.cluster(project_id, cluster_id).links.get(name)
        if link is None:
            raise ApiError("Cdm.0101", name)
        return link

    def update_link(
        self, project_id: str, cluster_id: str, name: str, body: Mapping[str, Any]
    ) -> Link:
        """Replace a link (it may be renamed unless a job uses it); secrets left out are kept."""
        cluster = self.cluster(project_id, cluster_id)
        link = cluster.links.get(name)
        if link is None:
            raise ApiError("Cdm.0316")
        body = dict(body)
        new_name = str(body.get("name") or name)
        if new_name != name:
            if new_name in cluster.links:
                raise ApiError("Cdm.0315", new_name)
            if self._in_use(cluster, name):
                raise ApiError("Cdm.0321", name)
        body[LINK_PLACE] = self._keep_secrets(link, body.get(LINK_PLACE) or {})
        self._check_link(body)
        updated = self._link(body, new_name)
        updated.created, updated.id = link.created, link.id
        del cluster.links[name]
        cluster.links[new_name] = updated
        return updated

    def delete_link(self, project_id: str, cluster_id: str, name: str) -> None:
        cluster = self.cluster(project_id, cluster_id)
        link = self.link(project_id, cluster_id, name)
        if self._in_use(cluster, link.name):
            raise ApiError("Cdm.0321", link.name)
        del cluster.links[link.name]

    def _check_link(self, body: Mapping[str, Any]) -> None:
        problems = link_problems(self.catalogue, body)
        if problems:
            raise bad_request(SERVICE, problems)

    def _link(self, body: Mapping[str, Any], name: str) -> Link:
        values = dict(body.get(LINK_PLACE) or {})
        now = self.now()
        return Link(
            name=name,
            connector=str(body.get("connector-name")),
            enabled=bool(body.get("enabled", True)),
            configs=list(values.pop("configs", None) or ()),
            extra=values,
            created=now,
            updated=now,
            id=self._take_id(),
        )

    @staticmethod
    def _in_use(cluster: Cluster, link_name: str) -> bool:
        return any(job.uses(link_name) for job in cluster.jobs.values())

    def _keep_secrets(self, link: Link, values: Mapping[str, Any]) -> dict[str, Any]:
        """A secret left out (or sent empty) on update keeps its stored value: reads never show
        it, so a read-modify-write round trip cannot send it back."""
        secrets = {
            str(item.get("name")): item.get("value")
            for config in link.configs
            for item in config.get("inputs") or ()
            if self.catalogue.is_secret(str(item.get("name")))
        }
        configs = []
        for config in values.get("configs") or ():
            inputs = [dict(item) for item in config.get("inputs") or ()]
            sent = {str(i.get("name")) for i in inputs if i.get("value") not in (None, "")}
            inputs = [
                i for i in inputs if str(i.get("name")) in sent or i.get("name") not in secrets
            ]
            prefix = str(config.get("name", ""))
            for secret, value in secrets.items():
                if secret.startswith(prefix + ".") and secret not in sent:
                    inputs.append({"name": secret, "value": value})
            configs.append({**config, "inputs": inputs})
        return {**values, "configs": configs}

    # -- jobs --------------------------------------------------------------------------------

    def create_jobs(
        self, project_id: str, cluster_id: str, bodies: Iterable[Mapping[str, Any]]
    ) -> list[Job]:
        """Jobs from CreateJob's `jobs`: all of them, or none when one does not fit."""
        cluster = self.cluster(project_id, cluster_id)
        objects = [dict(body) for body in bodies]
        names = [str(body.get("name")) for body in objects]
        for body, name in zip(objects, names):
            if name in cluster.jobs or names.count(name) > 1:
                raise ApiError("Cdm.0104")
            self._check_job(cluster, body)
        now = self.now()
        jobs = [Job(name, body, now, now, self._take_id()) for body, name in zip(objects, names)]
        cluster.jobs.update((job.name, job) for job in jobs)
        return jobs

    def create_job(self, project_id: str, cluster_id: str, body: Mapping[str, Any]) -> Job:
        (job,) = self.create_jobs(project_id, cluster_id, [body])
        return job

    def job(self, project_id: str, cluster_id: str, name: str) -> Job:
        job = self.cluster(project_id, cluster_id).jobs.get(name)
        if job is None:
            raise ApiError("Cdm.0100", name)
        return job

    def jobs(
        self,
        project_id: str,
        cluster_id: str,
        *,
        job_type: str = "NORMAL_JOB",
        text: str = "",
    ) -> list[Job]:
        """The cluster's jobs of one type whose names contain `text` (any case)."""
        cluster = self.cluster(project_id, cluster_id)
        text = text.lower()
        return [
            job
            for job in cluster.jobs.values()
            if job.job_type == job_type and text in job.name.lower()
        ]

    def update_job(
        self, project_id: str, cluster_id: str, name: str, body: Mapping[str, Any]
    ) -> Job:
        cluster = self.cluster(project_id, cluster_id)
        job = self.job(project_id, cluster_id, name)
        self._not_running(job)
        body = dict(body)
        if str(body.get("name", job.name)) != job.name:
            raise ApiError("Cdm.0014", message="The job name in the body differs from the path.")
        self._check_job(cluster, body)
        job.body, job.updated = body, self.now()
        return job

    def delete_job(self, project_id: str, cluster_id: str, name: str) -> None:
        cluster = self.cluster(project_id, cluster_id)
        job = self.job(project_id, cluster_id, name)
        self._not_running(job)
        del cluster.jobs[job.name]

    def start_job(
        self,
        project_id: str,
        cluster_id: str,
        name: str,
        variables: Mapping[str, str] | None = None,
    ) -> Run:
        """A new run: BOOTING, RUNNING, then SUCCEEDED (or FAILED, see `fail_next_run`)."""
        cluster = self.cluster(project_id, cluster_id)
        return self._start(cluster, self.job(project_id, cluster_id, name), variables or {})

    def stop_job(self, project_id: str, cluster_id: str, name: str) -> bool:
        """End the job's run (FAILED, "stopped"); False when it was not running."""
        job = self.job(project_id, cluster_id, name)
        run = job.last_run
        now = self.now()
        if run is None or not run.running(now):
            return False
        run.stopped = now
        return True

    def runs(self, project_id: str, cluster_id: str, name: str) -> list[Run]:
        """The job's runs, newest first."""
        return list(reversed(self.job(project_id, cluster_id, name).runs))

    def create_and_start_random(
        self,
        project_id: str,
        cluster_ids: Iterable[str],
        bodies: Iterable[Mapping[str, Any]],
    ) -> list[Run]:
        """Create the jobs in one of the listed normal clusters, chosen at random, and start
        them (5.2.4)."""
        clusters = self._projects.get(project_id, {})
        now = self.now()
        candidates = [
            clusters[cid]
            for cid in dict.fromkeys(str(c) for c in cluster_ids)
            if cid in clusters and clusters[cid].status(now) == NORMAL
        ]
        if not candidates:
            raise ApiError(
                "Cdm.0037",
                message="Unable to submit the job: no listed cluster is running.",
            )
        cluster = self.env.choice(candidates)
        jobs = self.create_jobs(project_id, cluster.id, bodies)
        return [self._start(cluster, job, {}) for job in jobs]

    def fail_next_run(self, job_name: str, error: str = "Simulated failure.") -> None:
        """The next run of every job named `job_name` (any project, cluster) fails half way."""
        for clusters in self._projects.values():
            for cluster in clusters.values():
                if job_name in cluster.jobs:
                    cluster.jobs[job_name].fail_next = error

    def _check_job(self, cluster: Cluster, body: Mapping[str, Any]) -> None:
        """References (links exist, connectors match) and parameters (the 5.4 catalogue)."""
        job = Job(str(body.get("name")), dict(body), 0.0, 0.0, 0)  # to read it, not to keep
        for side in ("from", "to"):
            link_name = job.link_name(side)
            link = cluster.links.get(link_name)
            if link is None:
                raise ApiError("Cdm.0101", link_name)
            connector = job.connector(side)
            if link.connector != connector:
                raise ApiError(
                    "Cdm.0018",
                    message=f"The {side} link {link_name} is a {link.connector}, not a {connector}.",
                )
        problems = job_problems(self.catalogue, body)
        if problems:
            raise bad_request(SERVICE, problems)

    def _not_running(self, job: Job) -> None:
        run = job.last_run
        if run is not None and run.running(self.now()):
            raise ApiError("Cdm.0052", job.name)

    def _start(self, cluster: Cluster, job: Job, variables: Mapping[str, str]) -> Run:
        now = self.now()
        if cluster.status(now) != NORMAL:
            raise ApiError(
                "Cdm.0037",
                message=f"Unable to submit the job: cluster {cluster.name} is not running.",
            )
        self._not_running(job)
        rows, bytes_per_row = job_size(job.name)
        timings = self.env.timings
        run = Run(
            id=cluster.next_submission,
            job_name=job.name,
            started=now,
            boot=timings.job_boot,
            run=timings.job_run,
            rows=rows,
            bytes_per_row=bytes_per_row,
            fail=job.fail_next,
            variables=dict(variables),
            deletes_job=job.disposal != "NONE",
        )
        cluster.next_submission += 1
        job.fail_next = None
        job.runs.append(run)
        return run

    def _take_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1
