"""LakeFormation's backend (004): metadata-migration, permission-migration and metadata-discovery
jobs by project and instance. A job's `parameter` must carry the sub-object its `type` names.

    job = sim.lakeformation.create_job("p1", "instance-1", {"name": ..., "type": ..., ...})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..answers import ApiError
from ..environment import Environment

__all__ = ["LakeFormationBackend", "LakeFormationJob"]

PARAMETER_OF_TYPE = {
    "METADATA_MIGRATION": "metadata_migration_parameter",
    "PERMISSION_MIGRATION": "permission_migration_parameter",
    "METADATA_DISCOVERY": "metadata_discovery_parameter",
}


@dataclass
class LakeFormationJob:
    id: str
    name: str
    description: str
    type: str
    parameter: dict[str, Any]  # the one sub-object of its type, secrets included
    created: float
    status: str = "CREATED"


class LakeFormationBackend:
    """Created jobs by (project, instance) and name."""

    def __init__(self, env: Environment) -> None:
        self.env = env
        self._jobs: dict[tuple[str, str], dict[str, LakeFormationJob]] = {}

    def now(self) -> float:
        return self.env.now()

    def create_job(
        self, project_id: str, instance_id: str, body: Mapping[str, Any]
    ) -> LakeFormationJob:
        kind = str(body.get("type"))
        wanted = PARAMETER_OF_TYPE.get(kind)
        parameter = dict(body.get("parameter") or {})
        if wanted is not None and wanted not in parameter:
            raise ApiError(
                "common.01000001",
                message=f"parameter.{wanted} is required for a {kind} job",
            )
        job = LakeFormationJob(
            id=self.env.new_id(),
            name=str(body["name"]),
            description=str(body.get("description", "")),
            type=kind,
            parameter={wanted: parameter[wanted]} if wanted else {},
            created=self.now(),
        )
        self._jobs.setdefault((project_id, instance_id), {})[job.name] = job
        return job

    def jobs(self, project_id: str, instance_id: str) -> list[LakeFormationJob]:
        return list(self._jobs.get((project_id, instance_id), {}).values())
