"""The control API under `/_simulator/`: what `Simulator` does in Python, over HTTP.

Requests are routed and checked by the API's own OpenAPI document (`control_openapi`), as the
services' are by theirs; each handler is one call on the simulator's public interface or on a
service backend. Seeded resources go through the backends, with their rules, after the same
schema check the service's create operation makes. Nothing here is recorded in `sim.calls`,
authenticated or hit by faults.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .answers import Answer, ApiError, error_answer, json_answer
from .cdm import views as cdm_views
from .clock import FastClock
from .control_openapi import DOCUMENT
from .dlf import views as dlf_views
from .faults import Fault
from .incoming import Call, SimRequest, bad_request, read_call
from .lakeformation.responses import job_view as lakeformation_job_view
from .spec import Api, service_from_document

if TYPE_CHECKING:
    from .simulator import Simulator

__all__ = ["API", "PREFIX", "answer"]

PREFIX = "/_simulator/"
SERVICE = "simulator"
API = Api({SERVICE: service_from_document(SERVICE, DOCUMENT)})
DOCUMENT_JSON = json.dumps(DOCUMENT, separators=(",", ":")).encode("utf-8")

Handler = Callable[["Simulator", Call], Any]


def answer(sim: Simulator, request: SimRequest) -> Answer:
    """The control API's answer to `request` (its path starts with `/_simulator/`)."""
    spec = API.services[SERVICE]
    routed = API.route(request.method, request.raw_path)
    if routed is None:
        where = f"{request.method} {request.raw_path}"
        return error_answer(spec, _missing(f"no control operation {where}"))
    op, values = routed
    try:
        call = read_call(spec, op, request, values)
        data = HANDLERS[op.operation_id](sim, call)
    except ApiError as error:
        return error_answer(spec, error)
    except ValueError as exc:  # a rule of a fault, clock or path the schema cannot say
        return error_answer(spec, ApiError("SIM.0400", message=str(exc)))
    if isinstance(data, Answer):
        return data
    if data is None:
        return Answer(op.success_status)
    return json_answer(op.success_status, data)


# -- simulator, clock, credentials -------------------------------------------------------------


def health(sim: Simulator, call: Call) -> Any:
    return {
        "status": "ok",
        "clock": sim.clock.now(),
        "speed": _speed(sim),
        "services": sorted(sim.api.services),
        "checking_credentials": sim.credentials is not None,
    }


def openapi(sim: Simulator, call: Call) -> Any:
    return Answer(200, DOCUMENT_JSON, "application/json", data=DOCUMENT)


def reset(sim: Simulator, call: Call) -> Any:
    sim.reset()
    return {"status": "reset"}


def _speed(sim: Simulator) -> float | None:
    return sim.clock.speed if isinstance(sim.clock, FastClock) else None


def clock(sim: Simulator, call: Call) -> Any:
    return {"now": sim.clock.now(), "speed": _speed(sim)}


def set_speed(sim: Simulator, call: Call) -> Any:
    if not isinstance(sim.clock, FastClock):
        message = "a manual clock has no speed: it moves with clock/advance"
        raise ApiError("SIM.0409", status=409, message=message)
    sim.clock.set_speed(float(call.body["speed"]))
    return clock(sim, call)


def advance(sim: Simulator, call: Call) -> Any:
    sim.clock.advance(float(call.body["seconds"]))
    return clock(sim, call)


def timings(sim: Simulator, call: Call) -> Any:
    return dataclasses.asdict(sim.timings)


def update_timings(sim: Simulator, call: Call) -> Any:
    sim.timings = dataclasses.replace(sim.timings, **{k: float(v) for k, v in call.body.items()})
    return timings(sim, call)


def credentials(sim: Simulator, call: Call) -> Any:
    keys = sorted(sim.credentials or ())
    return {"checking": sim.credentials is not None, "access_keys": keys}


def set_credentials(sim: Simulator, call: Call) -> Any:
    given = call.body["credentials"]
    sim.credentials = None if given is None else {str(k): str(v) for k, v in given.items()}
    return credentials(sim, call)


# -- faults and calls --------------------------------------------------------------------------


def faults(sim: Simulator, call: Call) -> Any:
    active = [fault.as_dict() for fault in sim.faults.active]
    injected = [{"operation_id": op, "kind": kind} for op, kind in sim.faults.injected]
    return {"active": active, "injected": injected}


def add_fault(sim: Simulator, call: Call) -> Any:
    return sim.faults.add(Fault.from_mapping(call.body)).as_dict()


def clear_faults(sim: Simulator, call: Call) -> Any:
    sim.faults.clear()
    return faults(sim, call)


def failed_run(sim: Simulator, call: Call) -> Any:
    body = {"error": "Simulated failure.", **call.body}
    if body["service"] == "cdm":
        sim.cdm.fail_next_run(str(body["job_name"]), str(body["error"]))
    else:
        sim.dlf.fail_next_run(str(body["job_name"]))
    return body


def calls(sim: Simulator, call: Call) -> Any:
    operation = call.query.get("operation")
    found = sim.calls_to(str(operation)) if operation is not None else list(sim.calls)
    limit = int(call.query.get("limit", 1000))
    return {
        "total": len(found),
        "calls": [dataclasses.asdict(c) for c in found[-limit:]],
    }


def clear_calls(sim: Simulator, call: Call) -> Any:
    sim.calls.clear()
    return {"total": 0, "calls": []}


# -- the simulated OBS -------------------------------------------------------------------------


def objects(sim: Simulator, call: Call) -> Any:
    return {"paths": sim.obs.paths()}


def get_object(sim: Simulator, call: Call) -> Any:
    data = sim.obs.get(call.text("path"))
    if data is None:
        raise _missing(f"no OBS object {call.text('path')}")
    return Answer(200, data, "application/octet-stream")


def put_object(sim: Simulator, call: Call) -> Any:
    sim.obs.put(call.text("path"), bytes(call.body or b""))
    return None


def delete_object(sim: Simulator, call: Call) -> Any:
    if not sim.obs.delete(call.text("path")):
        raise _missing(f"no OBS object {call.text('path')}")
    return None


def _missing(message: str) -> ApiError:
    return ApiError("SIM.0404", status=404, message=message)


# -- seeding through the backends --------------------------------------------------------------


def _checked(sim: Simulator, service: str, operation_id: str, body: Mapping[str, Any]) -> None:
    """`body` as checked by the service's own operation (400 with the problems found)."""
    for op in sim.api.find(operation_id, service):
        spec = sim.api.services[op.service]
        problems = spec.validator.check(op.body_schema or {}, body, "body")
        if problems:
            error = bad_request(service, problems)
            raise ApiError("SIM.0400", message=f"{error.code}: {error.message}")


def seed_cluster(sim: Simulator, call: Call) -> Any:
    body = call.body
    cluster = dict(body.get("cluster") or {})
    links, jobs = list(body.get("links") or ()), list(body.get("jobs") or ())
    _checked(sim, "cdm", "CreateCluster", {"cluster": cluster})
    if links:
        _checked(sim, "cdm", "CreateLink", {"links": links})
    if jobs:
        _checked(sim, "cdm", "CreateJob", {"jobs": jobs})
    created = sim.cdm.create_cluster(
        str(body["project_id"]),
        cluster,
        name=body.get("name"),
        normal=bool(body.get("normal", True)),
        links=links,
        jobs=jobs,
    )
    return cdm_views.cluster_view(created, sim.clock.now(), detail=True)


def seed_link(sim: Simulator, call: Call) -> Any:
    body = call.body
    _checked(sim, "cdm", "CreateLink", {"links": [body["link"]]})
    link = sim.cdm.create_link(str(body["project_id"]), str(body["cluster_id"]), body["link"])
    return cdm_views.link_view(sim.cdm.catalogue, link)


def seed_cdm_job(sim: Simulator, call: Call) -> Any:
    body = call.body
    project_id, cluster_id = str(body["project_id"]), str(body["cluster_id"])
    _checked(sim, "cdm", "CreateJob", {"jobs": [body["job"]]})
    job = sim.cdm.create_job(project_id, cluster_id, body["job"])
    if body.get("start"):
        sim.cdm.start_job(project_id, cluster_id, job.name)
    return cdm_views.job_view(sim.cdm.catalogue, job, sim.clock.now())


def _workspace(sim: Simulator, call: Call) -> Any:
    return sim.dlf.workspace(str(call.body["project_id"]), str(call.body.get("workspace", "")))


def seed_script(sim: Simulator, call: Call) -> Any:
    _checked(sim, "dlf", "CreateScript", call.body["script"])
    return dlf_views.script_view(_workspace(sim, call).create_script(call.body["script"]))


def seed_resource(sim: Simulator, call: Call) -> Any:
    _checked(sim, "dlf", "CreateResource", call.body["resource"])
    space = _workspace(sim, call)
    resource_id = space.create_resource(call.body["resource"])
    return dlf_views.resource_view(resource_id, space.resource(resource_id))


def seed_connection(sim: Simulator, call: Call) -> Any:
    _checked(sim, "dlf", "CreateConnection", call.body["connection"])
    created = _workspace(sim, call).create_connection(call.body["connection"])
    return dlf_views.connection_view(created)


def seed_dlf_job(sim: Simulator, call: Call) -> Any:
    _checked(sim, "dlf", "CreateJob", call.body["job"])
    space = _workspace(sim, call)
    job = space.create_job(call.body["job"])
    if call.body.get("start"):
        space.start_job(job.name)
    specs = [sim.api.services[op.service] for op in sim.api.find("ShowJob", "dlf")]
    if not specs:
        return dict(job.body)
    return dlf_views.job_detail_view(specs[0], job)


def seed_lakeformation_job(sim: Simulator, call: Call) -> Any:
    body = call.body
    _checked(sim, "lakeformation", "CreateLakeFormationJob", body["job"])
    job = sim.lakeformation.create_job(
        str(body["project_id"]), str(body["instance_id"]), body["job"]
    )
    specs = [sim.api.services[op.service] for op in sim.api.find("CreateLakeFormationJob")]
    return lakeformation_job_view(specs[0], job) if specs else {"id": job.id, "name": job.name}


HANDLERS: dict[str, Handler] = {
    "ShowHealth": health,
    "ShowOpenApi": openapi,
    "Reset": reset,
    "ShowClock": clock,
    "SetClockSpeed": set_speed,
    "AdvanceClock": advance,
    "ShowTimings": timings,
    "UpdateTimings": update_timings,
    "ShowCredentials": credentials,
    "SetCredentials": set_credentials,
    "ListFaults": faults,
    "AddFault": add_fault,
    "ClearFaults": clear_faults,
    "AddFailedRun": failed_run,
    "ListCalls": calls,
    "ClearCalls": clear_calls,
    "ListObjects": objects,
    "GetObject": get_object,
    "PutObject": put_object,
    "DeleteObject": delete_object,
    "SeedCdmCluster": seed_cluster,
    "SeedCdmLink": seed_link,
    "SeedCdmJob": seed_cdm_job,
    "SeedDlfScript": seed_script,
    "SeedDlfResource": seed_resource,
    "SeedDlfConnection": seed_connection,
    "SeedDlfJob": seed_dlf_job,
    "SeedLakeFormationJob": seed_lakeformation_job,
}
