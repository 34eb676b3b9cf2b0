"""LakeFormation (004): creating a metadata-migration, permission-migration or metadata-discovery
job. The job's `parameter` must carry the sub-object its `type` names; the answer echoes it
without the write-only secrets (passwords, access and secret keys)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .answers import ApiError
from .generic import conform
from .incoming import Call
from .world import Handler, World

__all__ = ["HANDLERS", "LakeFormationState"]

PARAMETER_OF_TYPE = {
    "METADATA_MIGRATION": "metadata_migration_parameter",
    "PERMISSION_MIGRATION": "permission_migration_parameter",
    "METADATA_DISCOVERY": "metadata_discovery_parameter",
}


@dataclass
class LakeFormationState:
    """Created jobs by (project, instance) and name."""

    jobs: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)


def _state(world: World) -> LakeFormationState:
    return world.state("lakeformation", LakeFormationState)


def create(world: World, call: Call) -> Any:
    body = dict(call.body)
    wanted = PARAMETER_OF_TYPE.get(str(body.get("type")))
    if wanted is not None and wanted not in (body.get("parameter") or {}):
        raise ApiError(
            "common.01000001",
            message=f"parameter.{wanted} is required for a {body['type']} job",
        )
    jobs = _state(world).jobs.setdefault((call.project_id, str(call.path["instance_id"])), {})
    job = {
        "id": world.new_id(),
        "name": body["name"],
        "description": body.get("description", ""),
        "type": body["type"],
        "parameter": {wanted: body["parameter"][wanted]} if wanted else {},
        "create_time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(call.now)),
        "status": "CREATED",
    }
    jobs[job["name"]] = job
    schema = {"$ref": "#/components/schemas/LakeFormationJob"}
    return conform(world.api.services["lakeformation"], schema, job)


HANDLERS: dict[str, Handler] = {"CreateLakeFormationJob": create}
