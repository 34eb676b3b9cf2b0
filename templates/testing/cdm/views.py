"""CDM's resources as the wire shows them: every answer body's key is spelled here, nowhere else.

doc: the live service returns every config value percent-encoded (the Terraform provider
path-unescapes link values, `fromJobConfig.*`/`toJobConfig.*`, dirty-data directories and
scheduler dates after reading them: `/in/` comes back as `%2Fin%2F`); so do these views.
Secrets are stored but never shown.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from .configs import JOB_PLACES, LINK_PLACE, Catalogue
from .model import CREATING, Cluster, Job, Link, Run

__all__ = [
    "availability_zones_view",
    "cluster_view",
    "created_cluster_view",
    "job_view",
    "link_view",
    "never_run_view",
    "started_run_view",
    "submission_view",
]

USER = "cdm"  # doc: the user the documents' examples show as creation-user
DATASTORE = {"type": "cdm", "version": "2.9.1.100"}  # doc: 5.1.6's example response
# doc: 5.1.6 table 5-44: flavor ids and their names
FLAVOR_NAMES = {
    "a79fd5ae-1833-448a-88e8-3ea2b913e1f6": "cdm.small",
    "fb8fe666-6734-4b11-bc6c-43d11db3c745": "cdm.medium",
    "5ddb1071-c5d7-40e0-a874-8a032e81a697": "cdm.large",
    "6ddb1072-c5d7-40e0-a874-8a032e81a698": "cdm.xlarge",
}
# Cluster status codes and their statusDetail (table 5-3).
STATUS_DETAIL = {
    "100": "Creating",
    "200": "Normal",
    "300": "Failed",
    "303": "Creation failed",
    "500": "Restarting",
    "800": "Frozen",
    "900": "Stopped",
    "910": "Stopping",
    "920": "Starting",
}
NODE_STATUS = {"100": "100", "303": "303", "300": "300", "800": "800"}  # otherwise 200
COUNTERS = "org.apache.sqoop.submission.counter.SqoopCounters"
# Sqoop's input types (CDM is built on Sqoop): what `inputs[].type` says in answers.
_WIRE_TYPES = {
    "string": "STRING",
    "integer": "INTEGER",
    "boolean": "BOOLEAN",
    "map": "MAP",
}
AZ_SUFFIXES = ("a", "b", "c")


def _iso(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment))


def _ms(moment: float) -> int:
    return int(moment * 1000)


# -- clusters ----------------------------------------------------------------------------------


def created_cluster_view(cluster: Cluster, task_id: str) -> dict[str, Any]:
    """CreateCluster's answer."""
    return {
        "id": cluster.id,
        "name": cluster.name,
        "task": {"id": task_id, "name": "createCluster"},
        "datastore": dict(cluster.spec.get("datastore") or DATASTORE),
        "instances": [dict(instance) for instance in cluster.instances],
    }


def cluster_view(cluster: Cluster, now: float, *, detail: bool) -> dict[str, Any]:
    """A cluster as ShowClusterDetail (`detail`) or ListClusters describes it."""
    status = cluster.status(now)
    node = cluster.node_spec
    view: dict[str, Any] = {
        "id": cluster.id,
        "name": cluster.name,
        "status": status,
        "statusDetail": STATUS_DETAIL[status],
        "created": _iso(cluster.created),
        "updated": _iso(cluster.changed(now)),
        "isFrozen": "0",
        "actionProgress": _progress(cluster, now) if status == CREATING else {},
        "datastore": dict(cluster.spec.get("datastore") or DATASTORE),
        "isAutoOff": bool(cluster.spec.get("isAutoOff", False)),
        "isScheduleBootOff": bool(cluster.spec.get("isScheduleBootOff", False)),
        "azName": cluster.availability_zone,
        "instances": [_node(instance, status, cluster.flavor, detail) for instance in cluster.instances],
    }  # fmt: skip
    if cluster.flavor in FLAVOR_NAMES:
        view["flavorName"] = FLAVOR_NAMES[cluster.flavor]
    if detail:
        nics = node.get("nics") or [{}]
        view["actions"] = ["REBOOTING"] if status == "500" else []
        view["config_status"] = "In-Sync"
        view["vpc_id"] = str(cluster.spec.get("vpcId", ""))
        view["subnet_id"] = str(nics[0].get("net-id", ""))
        view["security_group_id"] = str(nics[0].get("securityGroupId", ""))
    return view


def _node(instance: dict[str, Any], status: str, flavor: str, detail: bool) -> dict[str, Any]:
    node: dict[str, Any] = {
        **instance,
        "status": NODE_STATUS.get(status, "200"),
        "isFrozen": "0",
    }
    if status == "500":
        node["actions"] = ["REBOOTING"]
    if detail:
        node["flavor"] = {"id": flavor}
        node["volume"] = {"type": "LOCAL_DISK", "size": 100}
        node["config_status"] = "In-Sync"
    else:  # doc: the list leaves node-level details null (5.1.7)
        node.update(flavor=None, volume=None, config_status=None)
    return node


def _progress(cluster: Cluster, now: float) -> dict[str, str]:
    begins = cluster.timeline[0][0]
    ends = cluster.ready_at() or now
    share = 0 if ends <= begins else int(100 * (now - begins) / (ends - begins))
    return {"CREATING": f"{min(max(share, 0), 99)}%"}


def availability_zones_view(region: str) -> dict[str, Any]:
    """ShowAvailabilityZones of `region`: three zones named as the region's (`<region>a`, ...)."""
    zones = [f"{region}{suffix}" for suffix in AZ_SUFFIXES]
    return {
        "regionId": region,
        "defaultAZ": zones[0],
        "availableZones": [
            {
                "availableZoneId": zone,
                "availableZoneName": zone,
                "availableZoneCode": zone,
                "azStatus": "Available",
                "type": None,
                "tags": None,
            }
            for zone in zones
        ],
    }


# -- links -------------------------------------------------------------------------------------


def link_view(catalogue: Catalogue, link: Link) -> dict[str, Any]:
    configs = _configs(catalogue, LINK_PLACE, link.connector, link.configs, with_types=True)
    return {
        LINK_PLACE: {**link.extra, "configs": configs},
        "creation-user": USER,
        "name": link.name,
        "id": link.id,
        "creation-date": _ms(link.created),
        "connector-name": link.connector,
        "update-date": _ms(link.updated),
        "enabled": link.enabled,
        "update-user": USER,
    }


def _configs(
    catalogue: Catalogue,
    place: str,
    connector: str | None,
    configs: Iterable[Mapping[str, Any]],
    *,
    with_types: bool,
) -> list[dict[str, Any]]:
    """Stored config groups as the service answers them: values percent-encoded, secrets left
    out, and (links) each input's Sqoop type."""
    out = []
    for config in configs:
        inputs = []
        for item in config.get("inputs") or ():
            name = str(item.get("name"))
            if catalogue.is_secret(name):
                continue
            answer: dict[str, Any] = {
                "name": name,
                "value": quote(str(item.get("value")), safe=""),
            }
            if with_types:
                param = catalogue.parameter(place, connector, name) or {}
                kind = "ENUM" if param.get("enum") else _WIRE_TYPES.get(str(param.get("type")))
                answer["type"] = kind or "STRING"
            inputs.append(answer)
        out.append({"name": config.get("name"), "inputs": inputs})
    return out


# -- jobs and runs -----------------------------------------------------------------------------


def job_view(catalogue: Catalogue, job: Job, now: float) -> dict[str, Any]:
    """A job as ShowJobs describes it, with its last run's counters."""
    view: dict[str, Any] = {k: v for k, v in job.body.items() if not k.endswith("config-values")}
    for place, connector_key in JOB_PLACES:
        values = job.body.get(place) or {}
        connector = job.body.get(connector_key) if connector_key else None
        configs = _configs(
            catalogue, place, connector, values.get("configs") or (), with_types=False
        )
        view[place] = {**values, "configs": configs}
    run = job.last_run
    view.update(
        {
            "creation-user": USER,
            "creation-date": _ms(job.created),
            "update-user": USER,
            "update-date": _ms(job.updated),
            "id": job.id,
            "type": job.body.get("job_type"),
            "enabled": True,
            "status": run.status(now)[0] if run else "NEW",
        }
    )
    if run is not None:
        rows = run.rows_done(now)
        view.update(
            {
                "execute_start_date": _ms(run.started),
                "execute_create_date": _ms(run.started),
                "execute_update_date": _ms(now),
                "rows_read": rows,
                "rows_written": rows,
                "bytes_read": rows * run.bytes_per_row,
                "bytes_written": rows * run.bytes_per_row,
            }
        )
    return view


def started_run_view(run: Run) -> dict[str, Any]:
    """A run as StartJob answers it, the moment it was submitted."""
    return {
        "isIncrementing": False,
        "job-name": run.job_name,
        "submission-id": run.id,
        "isStopingIncrement": "",
        "last-update-date": _ms(run.started),
        "is-execute-auto": False,
        "delete_rows": 0,
        "write_rows": 0,
        "isDeleteJob": run.deletes_job,
        "creation-user": USER,
        "progress": 0,
        "creation-date": _ms(run.started),
        "update_rows": 0,
        "status": "BOOTING",
        "execute-date": _ms(run.started),
    }


def submission_view(run: Run, now: float) -> dict[str, Any]:
    """A run as ShowJobStatus and ShowSubmissions describe it at `now`."""
    status, progress = run.status(now)
    rows = run.rows_done(now)
    ended = run.ended(now)
    view: dict[str, Any] = {
        "job-name": run.job_name,
        "submission-id": run.id,
        "status": status,
        "progress": progress,
        "creation-user": USER,
        "creation-date": _ms(run.started),
        "execute-date": _ms(run.started),
        "last-update-date": _ms(ended or now),
        "last-update-user": USER,
        "external-id": f"job_local{run.id:010d}_0001",
        "isIncrementing": False,
        "is-execute-auto": False,
        "isDeleteJob": run.deletes_job,
        "delete_rows": 0,
        "update_rows": 0,
        "write_rows": rows,
    }
    if status != "BOOTING":
        size = rows * run.bytes_per_row
        view["counters"] = {
            COUNTERS: {
                "ROWS_READ": rows, "ROWS_WRITTEN": rows, "BYTES_READ": size,
                "BYTES_WRITTEN": size, "TOTAL_FILES": 0, "FILES_READ": 0, "FILES_WRITTEN": 0,
                "FILES_SKIPPED": 0, "TOTAL_SIZE": size, "ROWS_WRITTEN_SKIPPED": 0,
            }
        }  # fmt: skip
    if status == "FAILED":
        summary = "The job was stopped." if run.stopped_by_user(now) else str(run.fail)
        view["error-summary"] = summary
        view["error-details"] = summary
    return view


def never_run_view(job: Job) -> dict[str, Any]:
    """ShowJobStatus of a job that was never started."""
    return {"job-name": job.name, "status": "NEVER_EXECUTED", "progress": 0}
