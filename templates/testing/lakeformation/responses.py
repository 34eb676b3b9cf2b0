"""LakeFormation's HTTP side: the checked request -> the backend -> the job as answered, without
its write-only secrets (passwords, access and secret keys)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..generic import conform
from ..incoming import Call
from ..spec import ServiceSpec
from .backend import LakeFormationBackend, LakeFormationJob

__all__ = ["HANDLERS", "job_view"]

Handler = Callable[[LakeFormationBackend, Call], Any]


def job_view(spec: ServiceSpec, job: LakeFormationJob) -> Any:
    view = {
        "id": job.id,
        "name": job.name,
        "description": job.description,
        "type": job.type,
        "parameter": job.parameter,
        "create_time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(job.created)),
        "status": job.status,
    }
    return conform(spec, {"$ref": "#/components/schemas/LakeFormationJob"}, view)


def create_job(lakeformation: LakeFormationBackend, call: Call) -> Any:
    job = lakeformation.create_job(call.project_id, call.text("instance_id"), call.body)
    return job_view(call.spec, job)


HANDLERS: dict[str, Handler] = {"CreateLakeFormationJob": create_job}
