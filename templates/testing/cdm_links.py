"""CDM links (5.3): unique names per cluster, parameters checked against the 5.4.1 catalogue,
secrets kept but never answered, values answered percent-encoded; a link used by a job cannot
be deleted or renamed."""

from __future__ import annotations

from typing import Any

from .answers import ApiError
from .cdm_configs import Catalogue, config_problems, flatten, wire_configs
from .cdm_state import USER, Cluster, Link, cdm, cluster_of
from .incoming import Call, bad_request
from .world import Handler, World

__all__ = ["HANDLERS", "check_link", "link_of"]

PLACE = "link-config-values"


def catalogue(world: World) -> Catalogue:
    return Catalogue.of(world.api.services["cdm"])


def link_of(world: World, call: Call, cluster: Cluster) -> Link:
    name = str(call.path.get("link_name", ""))
    link = cluster.links.get(name)
    if link is None:
        raise ApiError("Cdm.0101", name)
    return link


def check_link(world: World, body: dict[str, Any]) -> None:
    """The link's parameters against the catalogue; the service's 400 when they do not fit."""
    values = body.get("link-config-values") or {}
    inputs = flatten(values)
    problems = config_problems(
        catalogue(world), PLACE, body.get("connector-name"), inputs, body, inputs, "link"
    )
    if problems:
        raise bad_request(world.api.services["cdm"], problems)


def _in_use(cluster: Cluster, name: str) -> bool:
    return any(
        name in (job.body.get("from-link-name"), job.body.get("to-link-name"))
        for job in cluster.jobs.values()
    )


def create(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    links = list(call.body.get("links") or ())
    if not links:
        raise ApiError("Cdm.0238", "links")
    names = [str(body.get("name")) for body in links]
    for body, name in zip(links, names):
        if name in cluster.links or names.count(name) > 1:
            raise ApiError("Cdm.0315", name)
        check_link(world, body)
    if call.query.get("validate") == "true":  # only check, create nothing
        return {"name": names[0], "validation-result": []}
    for body, name in zip(links, names):
        cluster.links[name] = _link(world, call, body, name)
    return {"name": names[0], "validation-result": []}


def _link(world: World, call: Call, body: dict[str, Any], name: str) -> Link:
    values = dict(body.get("link-config-values") or {})
    return Link(
        name=name,
        connector=str(body.get("connector-name")),
        enabled=bool(body.get("enabled", True)),
        configs=list(values.pop("configs", None) or ()),
        extra=values,
        created=call.now,
        updated=call.now,
        id=cdm(world).take_id(),
    )


def link_view(world: World, link: Link) -> dict[str, Any]:
    configs = wire_configs(catalogue(world), PLACE, link.connector, link.configs, with_types=True)
    return {
        "link-config-values": {**link.extra, "configs": configs},
        "creation-user": USER,
        "name": link.name,
        "id": link.id,
        "creation-date": int(link.created * 1000),
        "connector-name": link.connector,
        "update-date": int(link.updated * 1000),
        "enabled": link.enabled,
        "update-user": USER,
    }


def show(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    return {"links": [link_view(world, link_of(world, call, cluster))]}


def update(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    name = str(call.path.get("link_name", ""))
    link = cluster.links.get(name)
    if link is None:
        raise ApiError("Cdm.0316")
    body = dict((call.body.get("links") or [{}])[0])
    new_name = str(body.get("name") or name)
    if new_name != name:
        if new_name in cluster.links:
            raise ApiError("Cdm.0315", new_name)
        if _in_use(cluster, name):
            raise ApiError("Cdm.0321", name)
    body["link-config-values"] = _keep_secrets(world, link, body.get("link-config-values") or {})
    check_link(world, body)
    updated = _link(world, call, body, new_name)
    updated.created, updated.id = link.created, link.id
    del cluster.links[name]
    cluster.links[new_name] = updated
    return {"validation-result": []}


def _keep_secrets(world: World, link: Link, values: dict[str, Any]) -> dict[str, Any]:
    """A secret left out (or sent empty) on update keeps its stored value: reads never show it."""
    stored = {k: v for k, v in flatten({"configs": link.configs}).items()}
    secrets = {k: v for k, v in stored.items() if catalogue(world).is_secret(k)}
    configs = []
    for config in values.get("configs") or ():
        inputs = [dict(item) for item in config.get("inputs") or ()]
        sent = {str(item.get("name")) for item in inputs if item.get("value") not in (None, "")}
        inputs = [i for i in inputs if str(i.get("name")) in sent or i.get("name") not in secrets]
        prefix = str(config.get("name", ""))
        for secret, value in secrets.items():
            if secret.startswith(prefix + ".") and secret not in sent:
                inputs.append({"name": secret, "value": value})
        configs.append({**config, "inputs": inputs})
    return {**values, "configs": configs}


def delete(world: World, call: Call) -> Any:
    cluster = cluster_of(world, call)
    link = link_of(world, call, cluster)
    if _in_use(cluster, link.name):
        raise ApiError("Cdm.0321", link.name)
    del cluster.links[link.name]
    return None


HANDLERS: dict[str, Handler] = {
    "CreateLink": create,
    "ShowLink": show,
    "UpdateLink": update,
    "DeleteLink": delete,
}
