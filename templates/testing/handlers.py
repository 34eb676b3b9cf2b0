"""Which state machine answers which operation: (service, operationId) -> handler.

An operation missing here still answers, generically, from its spec (see `generic`).
"""

from __future__ import annotations

from . import (
    cdm_clusters,
    cdm_jobs,
    cdm_links,
    dlf_assets,
    dlf_instances,
    dlf_jobs,
    dlf_scripts,
    lakeformation,
)
from .world import Handler

__all__ = ["HANDLERS"]

_BY_SERVICE = {
    "cdm": (cdm_clusters.HANDLERS, cdm_links.HANDLERS, cdm_jobs.HANDLERS),
    "dlf": (
        dlf_scripts.HANDLERS,
        dlf_assets.HANDLERS,
        dlf_jobs.HANDLERS,
        dlf_instances.HANDLERS,
    ),
    # the v2 /factory/ operations (spec/factory.yaml, served on another host) act on the same
    # DLF jobs and instances as the v1 ones: the same state machines answer both services
    "factory": (dlf_jobs.HANDLERS, dlf_instances.HANDLERS),
    "lakeformation": (lakeformation.HANDLERS,),
}

HANDLERS: dict[tuple[str, str], Handler] = {
    (service, operation_id): handler
    for service, tables in _BY_SERVICE.items()
    for table in tables
    for operation_id, handler in table.items()
}
