"""CDM's HTTP side: each operation's checked request -> one backend call -> its view.

An operation of the spec missing from `HANDLERS` still answers, generically, from its spec,
once the cluster of its path is known to exist (`FALLBACK`): a missing cluster gets the same
answer from every operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..answers import ApiError
from ..generic import generic_answer
from ..incoming import Call
from . import views
from .backend import CdmBackend

__all__ = ["FALLBACK", "HANDLERS"]

Handler = Callable[[CdmBackend, Call], Any]


def _ids(call: Call) -> tuple[str, str]:
    return call.project_id, call.text("cluster_id")


# -- clusters (5.1) ----------------------------------------------------------------------------


def create_cluster(cdm: CdmBackend, call: Call) -> Any:
    cluster = cdm.create_cluster(call.project_id, call.body.get("cluster") or {})
    return views.created_cluster_view(cluster, cdm.env.new_hex())


def list_clusters(cdm: CdmBackend, call: Call) -> Any:
    clusters = cdm.clusters(call.project_id)
    now = cdm.now()
    return {"clusters": [views.cluster_view(c, now, detail=False) for c in clusters]}


def show_cluster(cdm: CdmBackend, call: Call) -> Any:
    return views.cluster_view(cdm.cluster(*_ids(call)), cdm.now(), detail=True)


def modify_cluster(cdm: CdmBackend, call: Call) -> Any:
    body = call.body or {}
    cdm.modify_cluster(
        *_ids(call),
        auto_off=body.get("autoOff"),
        schedule_boot_off=body.get("scheduleBootOff"),
        schedule_boot_time=body.get("scheduleBootTime"),
        schedule_off_time=body.get("scheduleOffTime"),
    )
    return None


def delete_cluster(cdm: CdmBackend, call: Call) -> Any:
    return {"jobId": cdm.delete_cluster(*_ids(call))}


def cluster_action(cdm: CdmBackend, call: Call) -> Any:
    """ClusterAction: the body's one key says which (`restart`, `start`, `stop`)."""
    body = call.body or {}
    if "restart" in body:
        delay = float(body["restart"].get("restartDelayTime") or 0)
        return {"jobId": [cdm.restart_cluster(*_ids(call), delay)]}  # an array (live-evidence C5)
    if "start" in body:
        return {"jobId": [cdm.start_cluster(*_ids(call))]}
    if "stop" in body:
        delay = float(body["stop"].get("delayTime") or 0)
        return {"jobId": [cdm.stop_cluster(*_ids(call), delay)]}
    raise ApiError("Cdm.0014", message="The action must be one of restart, start and stop.")


def availability_zones(cdm: CdmBackend, call: Call) -> Any:
    return views.availability_zones_view(call.text("region_id"))


# -- links (5.3) -------------------------------------------------------------------------------


def create_link(cdm: CdmBackend, call: Call) -> Any:
    cdm.cluster(*_ids(call))  # a missing cluster comes before an empty list
    bodies = list(call.body.get("links") or ())
    if not bodies:
        raise ApiError("Cdm.0238", "links")
    validate_only = call.query.get("validate") == "true"  # only check, create nothing
    links = cdm.create_links(*_ids(call), bodies, validate_only=validate_only)
    return {"name": links[0].name, "validation-result": []}


def show_link(cdm: CdmBackend, call: Call) -> Any:
    link = cdm.link(*_ids(call), call.text("link_name"))
    return {"links": [views.link_view(cdm.catalogue, link)]}


def update_link(cdm: CdmBackend, call: Call) -> Any:
    body = (call.body.get("links") or [{}])[0]
    cdm.update_link(*_ids(call), call.text("link_name"), body)
    return {"validation-result": []}


def delete_link(cdm: CdmBackend, call: Call) -> Any:
    cdm.delete_link(*_ids(call), call.text("link_name"))
    return None


# -- jobs (5.2) --------------------------------------------------------------------------------


def create_job(cdm: CdmBackend, call: Call) -> Any:
    cdm.cluster(*_ids(call))  # a missing cluster comes before an empty list
    bodies = list(call.body.get("jobs") or ())
    if not bodies:
        raise ApiError("Cdm.0238", "jobs")
    jobs = cdm.create_jobs(*_ids(call), bodies)
    return {"name": jobs[0].name, "validation-result": []}


def show_jobs(cdm: CdmBackend, call: Call) -> Any:
    name = call.text("job_name")
    page_no = int(call.query.get("page_no", 1))
    page_size = int(call.query.get("page_size", 10))
    pages = {"page_no": page_no, "page_size": page_size}
    now = cdm.now()
    if name != "all":
        job = cdm.job(*_ids(call), name)
        return {"total": 0, "jobs": [views.job_view(cdm.catalogue, job, now)], **pages}
    found = cdm.jobs(
        *_ids(call),
        job_type=call.text("jobType", "NORMAL_JOB"),
        text=call.text("filter"),
    )
    page = found[(page_no - 1) * page_size : page_no * page_size]
    jobs = [views.job_view(cdm.catalogue, job, now) for job in page]
    return {"total": len(found), "jobs": jobs, **pages}


def update_job(cdm: CdmBackend, call: Call) -> Any:
    body = (call.body.get("jobs") or [{}])[0]
    cdm.update_job(*_ids(call), call.text("job_name"), body)
    return {"validation-result": []}


def delete_job(cdm: CdmBackend, call: Call) -> Any:
    cdm.delete_job(*_ids(call), call.text("job_name"))
    return None


def start_job(cdm: CdmBackend, call: Call) -> Any:
    variables = dict((call.body or {}).get("variables") or {})
    run = cdm.start_job(*_ids(call), call.text("job_name"), variables)
    return {"submissions": [views.started_run_view(run)]}


def job_status(cdm: CdmBackend, call: Call) -> Any:
    job = cdm.job(*_ids(call), call.text("job_name"))
    run = job.last_run
    if run is None:
        return {"submissions": [views.never_run_view(job)]}
    return {"submissions": [views.submission_view(run, cdm.now())]}


def stop_job(cdm: CdmBackend, call: Call) -> Any:
    name = call.text("job_name")
    if cdm.stop_job(*_ids(call), name):
        return {"validation-result": []}
    # doc: 5.2.5: a job that cannot be stopped gets 200 with the reasons listed
    return {"validation-result": [{"message": f"Job {name} is not running.", "status": "ERROR"}]}


def submissions(cdm: CdmBackend, call: Call) -> Any:
    runs = cdm.runs(*_ids(call), call.text("jname"))
    now = cdm.now()
    page = [views.submission_view(run, now) for run in runs[:10]]
    return {"submissions": page, "total": len(runs), "page_no": 1, "page_size": 10}


def create_and_start_random(cdm: CdmBackend, call: Call) -> Any:
    bodies = list(call.body.get("jobs") or ())
    if not bodies:
        raise ApiError("Cdm.0238", "jobs")
    runs = cdm.create_and_start_random(call.project_id, call.body.get("clusters") or (), bodies)
    return {"submissions": [views.started_run_view(run) for run in runs]}


def in_a_known_cluster(cdm: CdmBackend, call: Call) -> Any:
    """An operation without its own handler: the cluster of its path, if it has one, must
    exist; then the answer made from the spec."""
    if "cluster_id" in call.path:
        cdm.cluster(*_ids(call))
    return generic_answer(call.spec, call.operation)


FALLBACK: Handler = in_a_known_cluster
HANDLERS: dict[str, Handler] = {
    "CreateCluster": create_cluster,
    "ModifyCluster": modify_cluster,
    "ListClusters": list_clusters,
    "ShowClusterDetail": show_cluster,
    "DeleteCluster": delete_cluster,
    "ClusterAction": cluster_action,
    "ShowAvailabilityZones": availability_zones,
    "CreateLink": create_link,
    "ShowLink": show_link,
    "UpdateLink": update_link,
    "DeleteLink": delete_link,
    "CreateJob": create_job,
    "ShowJobs": show_jobs,
    "UpdateJob": update_job,
    "DeleteJob": delete_job,
    "StartJob": start_job,
    "ShowJobStatus": job_status,
    "StopJob": stop_job,
    "ShowSubmissions": submissions,
    "CreateAndStartRandomClusterJob": create_and_start_random,
}
