"""`x-dlf-node-types` (a component schema): the properties of each DataArts Factory node type.

Generated into `dataarts.<service>.nodes` (template `nodes.py.jinja`): one typed builder per node
type, `NODE_TYPES` by type, and helpers that take the node model (the schema carrying the key).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import naming
from ..catalogue import Registry, TypedClass, by_name, documented_values, find, read_parameters
from ..context import SpecContext
from ..draft import ServiceDraft
from ..ir import ServiceModule
from ..problems import escape
from ..schema_types import schema_name
from . import required_when
from .contract import Extension

KEY = "x-dlf-node-types"
GROUP = "node-type"  # of its classes (catalogue.TypedClass.group)


@dataclass(frozen=True)
class Nodes:
    """The `nodes` module's IR."""

    classes: tuple[TypedClass, ...]
    registries: tuple[Registry, ...]
    node_model: str  # the schema carrying the catalogue: a job's node
    location_model: str | None  # the model of the node's `location`, if it names one


def read(spec: SpecContext) -> Nodes | None:
    found = find(spec, KEY)
    if found is None:
        return None
    node_model, ptr, catalogue = found
    before = len(spec.problems)
    classes = []
    for node_type, entry in catalogue.items():
        eptr = f"{ptr}/{escape(str(node_type))}"
        properties = entry.get("properties") if isinstance(entry, dict) else None
        fields = read_parameters(spec, f"{eptr}/properties", properties,
                                 partial(_siblings, properties=properties, node_type=node_type),
                                 strip_group=False)
        if fields is None or not isinstance(entry, dict):
            continue
        tables = entry.get("property-table")
        doc = f"The properties of a `{node_type}` node" + (
            f" (tables {tables}: create, update, detail)." if tables else ".")
        if entry.get("description"):
            doc += "\n\n" + str(entry["description"])
        classes.append(TypedClass(naming.pascal(node_type) + "Node", GROUP, str(node_type), doc,
                                  None, fields))
    if len(spec.problems) > before:
        return None
    registry = Registry("NODE_TYPES", GROUP, None, "Node type -> typed properties class.",
                        tuple((c.key, c.name) for c in classes))
    location = (spec.schemas[node_model].get("properties") or {}).get("location", {})
    return Nodes(tuple(classes), (registry,), node_model, schema_name(location))


def _siblings(own: str, properties: Any, node_type: Any) -> required_when.KeySpace:
    """What a condition of the property `own` may name: another property of its node type."""
    known = by_name(properties)

    def lookup(key: str) -> Any:
        if key == own or key not in known:
            return required_when.Unknown(
                f"condition key {key!r} is not another property of node type {node_type}")
        return documented_values(known[key])

    return lookup


def build(nodes: Nodes | None, draft: ServiceDraft) -> None:
    if nodes is not None:
        draft.modules.append(ServiceModule("nodes", "nodes.py.jinja", nodes))


EXTENSION = Extension("node_types", (KEY,), read, build=build)
