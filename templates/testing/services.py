"""The simulator's routing table: which backend and handlers answer each service's operations.

Each spec the package ships is a service (`dataarts._meta.SERVICES`). A service names the
backend it works on and its handlers by operationId; services may share a backend: DataArts
Factory's v1 paths (`dlf`) and its v2 `/factory/` family (`factory`, a spec of its own once it
moves to its own host) change the same workspaces, so both map to the one DLF backend and one
handler table. A service not listed here, or an operation without a handler, answers
generically from its spec: a new spec is served as soon as the package is regenerated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .cdm import responses as cdm_responses
from .cdm.backend import CdmBackend
from .cdm.configs import Catalogue
from .dlf import responses as dlf_responses
from .dlf.backend import DlfBackend
from .dlf.nodes import node_types
from .environment import Environment
from .incoming import Call
from .lakeformation import responses as lakeformation_responses
from .lakeformation.backend import LakeFormationBackend
from .obs import ObjectStore
from .spec import Api

__all__ = ["BACKENDS", "ROUTES", "Route", "new_backends"]


@dataclass(frozen=True)
class Route:
    """The backend (by name) a service's operations work on, their handlers, and what answers
    an operation without one (None: the generic answer alone)."""

    backend: str
    handlers: Mapping[str, Callable[[Any, Call], Any]]
    fallback: Callable[[Any, Call], Any] | None = None

    def handler(self, operation_id: str) -> Callable[[Any, Call], Any] | None:
        return self.handlers.get(operation_id, self.fallback)


ROUTES: dict[str, Route] = {
    "cdm": Route("cdm", cdm_responses.HANDLERS, cdm_responses.FALLBACK),
    "dlf": Route("dlf", dlf_responses.HANDLERS),
    "factory": Route("dlf", dlf_responses.HANDLERS),
    "lakeformation": Route("lakeformation", lakeformation_responses.HANDLERS),
}

# How each backend is built from the simulator's environment, its specs and its OBS.
BACKENDS: dict[str, Callable[[Environment, Api, ObjectStore], object]] = {
    "cdm": lambda env, api, obs: CdmBackend(env, Catalogue.find(api)),
    "dlf": lambda env, api, obs: DlfBackend(env, node_types(api), obs),
    "lakeformation": lambda env, api, obs: LakeFormationBackend(env),
}


def new_backends(env: Environment, api: Api, obs: ObjectStore) -> dict[str, object]:
    """A fresh backend of every kind, by name."""
    return {name: build(env, api, obs) for name, build in BACKENDS.items()}
