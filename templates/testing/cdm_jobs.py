"""CDM jobs (5.2): create, query, modify, delete; start runs BOOTING -> RUNNING (progress and
row/byte counters growing) -> SUCCEEDED; stop ends a run; every run stays as a submission.

A job's links must exist in its cluster and match its connectors, names are unique per cluster,
and a missing job answers as the live service does: HTTP 400 `Cdm.0100`.
"""

from __future__ import annotations

from typing import Any

from .answers import ApiError
from .cdm_configs import Catalogue, config_problems, flatten, wire_configs
from .cdm_state import USER, Cluster, Job, Run, cdm, cluster_of, job_size
from .incoming import Call, bad_request
from .world import Handler, World

__all__ = ["HANDLERS"]

PLACES = (
    ("from-config-values", "from-connector-name"),
    ("to-config-values", "to-connector-name"),
    ("driver-config-values", None),
)
COUNTERS = "org.apache.sqoop.submission.counter.SqoopCounters"


def job_of(cluster: Cluster, name: str) -> Job:
    job = cluster.jobs.get(name)
    if job is None:
        # doc: the live service answers HTTP 400 with Cdm.0100 (Terraform provider), not 404
        raise ApiError("Cdm.0100", name)
    return job


def check_job(world: World, cluster: Cluster, body: dict[str, Any]) -> None:
    """References (links exist, connectors match) and parameters (the 5.4 catalogue)."""
    for side in ("from", "to"):
        link_name = str(body.get(f"{side}-link-name"))
        link = cluster.links.get(link_name)
        if link is None:
            raise ApiError("Cdm.0101", link_name)
        connector = body.get(f"{side}-connector-name")
        if link.connector != connector:
            raise ApiError(
                "Cdm.0018",
                message=f"The {side} link {link_name} is a {link.connector}, not a {connector}.",
            )
    catalogue = Catalogue.of(world.api.services["cdm"])
    every_input: dict[str, str] = {}
    for place, _ in PLACES:
        every_input.update(flatten(body.get(place)))
    problems = []
    for place, connector_key in PLACES:
        connector = body.get(connector_key) if connector_key else None
        values = flatten(body.get(place))
        problems += config_problems(catalogue, place, connector, values, body, every_input, place)
    if problems:
        raise bad_request(world.api.services["cdm"], problems)


def create(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    names = _create_jobs(world, call, cluster, list(call.body.get("jobs") or ()))
    return {"name": names[0], "validation-result": []}


def _create_jobs(world: World, call: Call, cluster: Cluster, bodies: list[Any]) -> list[str]:
    if not bodies:
        raise ApiError("Cdm.0238", "jobs")
    names = [str(body.get("name")) for body in bodies]
    for body, name in zip(bodies, names):
        if name in cluster.jobs or names.count(name) > 1:
            raise ApiError("Cdm.0104")
        check_job(world, cluster, body)
    for body, name in zip(bodies, names):
        job_id = cdm(world).take_id()
        cluster.jobs[name] = Job(name, dict(body), call.now, call.now, job_id)
    return names


def job_view(world: World, job: Job, now: float) -> dict[str, Any]:
    catalogue = Catalogue.of(world.api.services["cdm"])
    view: dict[str, Any] = {k: v for k, v in job.body.items() if not k.endswith("config-values")}
    for place, connector_key in PLACES:
        values = job.body.get(place) or {}
        connector = job.body.get(connector_key) if connector_key else None
        configs = wire_configs(
            catalogue, place, connector, values.get("configs") or (), with_types=False
        )
        view[place] = {**values, "configs": configs}
    run = job.last_run
    view.update(
        {
            "creation-user": USER,
            "creation-date": int(job.created * 1000),
            "update-user": USER,
            "update-date": int(job.updated * 1000),
            "id": job.id,
            "type": job.body.get("job_type"),
            "enabled": True,
            "status": run.status(now)[0] if run else "NEW",
        }
    )
    if run is not None:
        rows, written = _rows(run, now)
        view.update(
            {
                "execute_start_date": int(run.started * 1000),
                "execute_create_date": int(run.started * 1000),
                "execute_update_date": int(now * 1000),
                "rows_read": rows,
                "rows_written": written,
                "bytes_read": rows * run.bytes_per_row,
                "bytes_written": written * run.bytes_per_row,
            }
        )
    return view


def _rows(run: Run, now: float) -> tuple[int, int]:
    read = int(run.rows * run.done_fraction(now))
    return read, read


def show(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    name = str(call.path.get("job_name"))
    page_no = int(call.query.get("page_no", 1))
    page_size = int(call.query.get("page_size", 10))
    if name != "all":
        job = job_of(cluster, name)
        jobs = [job_view(world, job, call.now)]
        return {"total": 0, "jobs": jobs, "page_no": page_no, "page_size": page_size}
    wanted = str(call.query.get("jobType", "NORMAL_JOB"))
    text = str(call.query.get("filter", "")).lower()
    found = [
        job
        for job in cluster.jobs.values()
        if job.body.get("job_type", "NORMAL_JOB") == wanted and text in job.name.lower()
    ]
    page = found[(page_no - 1) * page_size : page_no * page_size]
    return {
        "total": len(found),
        "jobs": [job_view(world, job, call.now) for job in page],
        "page_no": page_no,
        "page_size": page_size,
    }


def update(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    job = job_of(cluster, str(call.path.get("job_name")))
    _not_running(job, call.now)
    body = dict((call.body.get("jobs") or [{}])[0])
    if str(body.get("name", job.name)) != job.name:
        raise ApiError("Cdm.0014", message="The job name in the body differs from the path.")
    check_job(world, cluster, body)
    job.body, job.updated = body, call.now
    return {"validation-result": []}


def _not_running(job: Job, now: float) -> None:
    run = job.last_run
    if run is not None and run.running(now):
        raise ApiError("Cdm.0052", job.name)


def delete(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    job = job_of(cluster, str(call.path.get("job_name")))
    _not_running(job, call.now)
    del cluster.jobs[job.name]
    return None


def start(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    job = job_of(cluster, str(call.path.get("job_name")))
    variables = dict((call.body or {}).get("variables") or {})
    return {"submissions": [_start_run(world, call, cluster, job, variables)]}


def _start_run(
    world: World, call: Call, cluster: Cluster, job: Job, variables: dict[str, str]
) -> dict[str, Any]:
    if cluster.status(call.now) != "200":
        raise ApiError(
            "Cdm.0037", message=f"Unable to submit the job: cluster {cluster.name} is not running."
        )
    _not_running(job, call.now)
    rows, bytes_per_row = job_size(job.name)
    run = Run(
        id=cluster.next_submission,
        job_name=job.name,
        started=call.now,
        boot=world.timings.job_boot,
        run=world.timings.job_run,
        rows=rows,
        bytes_per_row=bytes_per_row,
        fail=job.fail_next,
        variables=variables,
        deletes_job=job.disposal != "NONE",
    )
    cluster.next_submission += 1
    job.fail_next = None
    job.runs.append(run)
    return {
        "isIncrementing": False,
        "job-name": job.name,
        "submission-id": run.id,
        "isStopingIncrement": "",
        "last-update-date": call.now_ms,
        "is-execute-auto": False,
        "delete_rows": 0,
        "write_rows": 0,
        "isDeleteJob": run.deletes_job,
        "creation-user": USER,
        "progress": 0,
        "creation-date": call.now_ms,
        "update_rows": 0,
        "status": "BOOTING",
        "execute-date": call.now_ms,
    }


def submission_view(run: Run, now: float) -> dict[str, Any]:
    status, progress = run.status(now)
    rows, written = _rows(run, now)
    ended = run.ended(now)
    view: dict[str, Any] = {
        "job-name": run.job_name,
        "submission-id": run.id,
        "status": status,
        "progress": progress,
        "creation-user": USER,
        "creation-date": int(run.started * 1000),
        "execute-date": int(run.started * 1000),
        "last-update-date": int((ended or now) * 1000),
        "last-update-user": USER,
        "external-id": f"job_local{run.id:010d}_0001",
        "isIncrementing": False,
        "is-execute-auto": False,
        "isDeleteJob": run.deletes_job,
        "delete_rows": 0,
        "update_rows": 0,
        "write_rows": written,
    }
    if status != "BOOTING":
        view["counters"] = {
            COUNTERS: {
                "ROWS_READ": rows,
                "ROWS_WRITTEN": written,
                "BYTES_READ": rows * run.bytes_per_row,
                "BYTES_WRITTEN": written * run.bytes_per_row,
                "TOTAL_FILES": 0,
                "FILES_READ": 0,
                "FILES_WRITTEN": 0,
                "FILES_SKIPPED": 0,
                "TOTAL_SIZE": rows * run.bytes_per_row,
                "ROWS_WRITTEN_SKIPPED": 0,
            }
        }
    if status == "FAILED":
        stopped = run.stopped is not None and now >= run.stopped
        summary = "The job was stopped." if stopped else str(run.fail)
        view["error-summary"] = summary
        view["error-details"] = summary
    return view


def status(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    job = job_of(cluster, str(call.path.get("job_name")))
    run = job.last_run
    if run is None:
        never = {"job-name": job.name, "status": "NEVER_EXECUTED", "progress": 0}
        return {"submissions": [never]}
    return {"submissions": [submission_view(run, call.now)]}


def stop(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    job = job_of(cluster, str(call.path.get("job_name")))
    run = job.last_run
    if run is None or not run.running(call.now):
        # doc: 5.2.5: a job that cannot be stopped gets 200 with the reasons listed
        reason = {"message": f"Job {job.name} is not running.", "status": "ERROR"}
        return {"validation-result": [reason]}
    run.stopped = call.now
    return {"validation-result": []}


def submissions(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    job = job_of(cluster, str(call.query.get("jname")))
    runs = list(reversed(job.runs))
    page = [submission_view(run, call.now) for run in runs[:10]]
    return {"submissions": page, "total": len(runs), "page_no": 1, "page_size": 10}


def create_and_start_random(world: World, call: Call) -> Any:
    clusters = cdm(world).clusters(call.project_id)
    candidates = [
        clusters[cid]
        for cid in dict.fromkeys(str(c) for c in call.body.get("clusters") or ())
        if cid in clusters and clusters[cid].status(call.now) == "200"
    ]
    if not candidates:
        raise ApiError(
            "Cdm.0037", message="Unable to submit the job: no listed cluster is running."
        )
    cluster = world.rng.choice(candidates)
    names = _create_jobs(world, call, cluster, list(call.body.get("jobs") or ()))
    runs = [_start_run(world, call, cluster, cluster.jobs[name], {}) for name in names]
    return {"submissions": runs}


HANDLERS: dict[str, Handler] = {
    "CreateJob": create,
    "ShowJobs": show,
    "UpdateJob": update,
    "DeleteJob": delete,
    "StartJob": start,
    "ShowJobStatus": status,
    "StopJob": stop,
    "ShowSubmissions": submissions,
    "CreateAndStartRandomClusterJob": create_and_start_random,
}
