"""CDM clusters (5.1): created as 100 (creating), normal (200) once created; start (920 -> 200),
stop (910 -> 900) and restart (500 -> 200) actions; deletion removes the cluster with its links
and jobs, after which it answers 404."""

from __future__ import annotations

import time
from typing import Any

from .answers import ApiError
from .cdm_state import STATUS_DETAIL, Cluster, cdm, cluster_of
from .incoming import Call
from .world import Handler, World

__all__ = ["HANDLERS", "cluster_view"]

DATASTORE = {"type": "cdm", "version": "2.9.1.100"}  # doc: 5.1.6's example response
# doc: 5.1.6 table 5-44: flavor ids and their names
FLAVOR_NAMES = {
    "a79fd5ae-1833-448a-88e8-3ea2b913e1f6": "cdm.small",
    "fb8fe666-6734-4b11-bc6c-43d11db3c745": "cdm.medium",
    "5ddb1071-c5d7-40e0-a874-8a032e81a697": "cdm.large",
    "6ddb1072-c5d7-40e0-a874-8a032e81a698": "cdm.xlarge",
}
NODE_STATUS = {"100": "100", "303": "303", "300": "300", "800": "800"}  # otherwise 200


def iso(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment))


def create(world: World, call: Call) -> Any:
    spec: dict[str, Any] = dict(call.body.get("cluster") or {})
    if spec.get("isAutoOff") and spec.get("isScheduleBootOff"):
        raise ApiError(
            "Cdm.0014",
            message="Scheduled startup/shutdown and auto shutdown cannot both be enabled.",
        )
    cluster_id = world.new_id()
    name = str(spec.get("name") or f"cdm-{cluster_id[:6]}")
    nodes = spec.get("instances") or [{"type": "cdm"}]
    instances = [
        {
            "id": world.new_id(),
            "name": f"{name}-cdm-dn-1-{index}",
            "type": str(node.get("type", "cdm")),
            "shard_id": "dn-1",
        }
        for index, node in enumerate(nodes, start=1)
    ]
    cluster = Cluster(cluster_id, name, call.now, spec, instances)
    cluster.plan(call.now, (0.0, "100"), (world.timings.cluster_create, "200"))
    cdm(world).clusters(call.project_id)[cluster_id] = cluster
    return {
        "id": cluster_id,
        "name": name,
        "task": {"id": world.new_hex(), "name": "createCluster"},
        "datastore": dict(spec.get("datastore") or DATASTORE),
        "instances": instances,
    }


def cluster_view(cluster: Cluster, now: float, *, detail: bool) -> dict[str, Any]:
    """A cluster as ShowClusterDetail (`detail`) or ListClusters describes it."""
    status = cluster.status(now)
    spec = cluster.spec
    nodes = spec.get("instances") or [{}]
    flavor = str(nodes[0].get("flavorRef", ""))
    view: dict[str, Any] = {
        "id": cluster.id,
        "name": cluster.name,
        "status": status,
        "statusDetail": STATUS_DETAIL[status],
        "created": iso(cluster.created),
        "updated": iso(max(t for t, _ in cluster.timeline if t <= now)),
        "isFrozen": "0",
        "actionProgress": _progress(cluster, now) if status == "100" else {},
        "datastore": dict(spec.get("datastore") or DATASTORE),
        "isAutoOff": bool(spec.get("isAutoOff", False)),
        "isScheduleBootOff": bool(spec.get("isScheduleBootOff", False)),
        "azName": str(nodes[0].get("availability_zone", "")),
        "instances": [_node(instance, status, flavor, detail) for instance in cluster.instances],
    }
    if flavor in FLAVOR_NAMES:
        view["flavorName"] = FLAVOR_NAMES[flavor]
    if detail:
        nics = nodes[0].get("nics") or [{}]
        view["actions"] = ["REBOOTING"] if status == "500" else []
        view["config_status"] = "In-Sync"
        view["vpc_id"] = str(spec.get("vpcId", ""))
        view["subnet_id"] = str(nics[0].get("net-id", ""))
        view["security_group_id"] = str(nics[0].get("securityGroupId", ""))
    return view


def _node(instance: dict[str, Any], status: str, flavor: str, detail: bool) -> dict[str, Any]:
    node: dict[str, Any] = {**instance, "status": NODE_STATUS.get(status, "200"), "isFrozen": "0"}
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
    ends = next((t for t, s in cluster.timeline if s == "200"), now)
    share = 0 if ends <= begins else int(100 * (now - begins) / (ends - begins))
    return {"CREATING": f"{min(max(share, 0), 99)}%"}


def list_clusters(world: World, call: Call) -> Any:
    clusters = cdm(world).clusters(call.project_id).values()
    return {"clusters": [cluster_view(c, call.now, detail=False) for c in clusters]}


def show(world: World, call: Call) -> Any:
    return cluster_view(cluster_of(world, call), call.now, detail=True)


def delete(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    del cdm(world).clusters(call.project_id)[cluster.id]
    return {"jobId": world.new_hex()}


def action(world: World, call: Call) -> Any:
    """ClusterAction: the body's one key says which (`restart`, `start`, `stop`)."""
    cluster = cluster_of(world, call)
    seconds = world.timings.cluster_action
    status = cluster.status(call.now)
    if status in ("100", "303"):
        raise ApiError("Cdm.0001", message=f"Cluster {cluster.name} is not ready ({status}).")
    body = call.body or {}
    task = world.new_hex()
    if "restart" in body:
        delay = max(float(body["restart"].get("restartDelayTime") or 0), 0.0)
        cluster.plan(call.now, (delay, "500"), (delay + seconds, "200"))
        return {"jobId": [task]}  # an array, as start and stop (live-evidence C5)
    if "start" in body:
        if status not in ("200", "920"):
            cluster.plan(call.now, (0.0, "920"), (seconds, "200"))
        return {"jobId": [task]}
    if "stop" in body:
        if status not in ("900", "910"):
            delay = max(float(body["stop"].get("delayTime") or 0), 0.0)
            cluster.plan(call.now, (delay, "910"), (delay + seconds, "900"))
        return {"jobId": [task]}
    raise ApiError("Cdm.0014", message="The action must be one of restart, start and stop.")


HANDLERS: dict[str, Handler] = {
    "CreateCluster": create,
    "ListClusters": list_clusters,
    "ShowClusterDetail": show,
    "DeleteCluster": delete,
    "ClusterAction": action,
}
