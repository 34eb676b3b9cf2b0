"""`x-dlf-node-types` (a component schema): the properties of each DataArts Factory node type.

Generated into `dataarts.<service>.nodes` (template `nodes.py.jinja`): one typed builder per node
type, `NODE_TYPES` by type, and helpers that take the node model (the schema carrying the key).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .. import naming
from ..catalogue import Registry, TypedClass, by_name, documented_values, find, read_parameters
from ..context import SpecContext
from ..draft import ServiceDraft
from ..ir import ServiceModule
from ..problems import escape
from ..schema_types import SchemaTypes, is_object, schema_name
from . import required_when
from .contract import Extension

KEY = "x-dlf-node-types"
GROUP = "node-type"  # of its classes (catalogue.TypedClass.group)


# Fields of the node model that `new_node` sets itself (from its builder and arguments).
_SET_BY_NEW_NODE = ("name", "type", "location", "properties")


@dataclass(frozen=True)
class NodeField:
    """A field of the node model that `new_node` takes as a keyword argument."""

    name: str  # Python name, as the node model spells it
    wire: str
    type: str  # what the argument accepts (an object also as a plain mapping)


@dataclass(frozen=True)
class Nodes:
    """The `nodes` module's IR."""

    classes: tuple[TypedClass, ...]
    registries: tuple[Registry, ...]
    node_model: str  # the schema carrying the catalogue: a job's node
    location_model: str | None  # the model of the node's `location`, if it names one
    fields: tuple[NodeField, ...] = ()  # the node model's other fields, set by `build`
    field_models: tuple[str, ...] = ()  # the models those fields' types name


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
        draft.modules.append(ServiceModule("nodes", "nodes.py.jinja", _with_fields(nodes, draft)))


def _with_fields(nodes: Nodes, draft: ServiceDraft) -> Nodes:
    """`nodes` with the node model's fields `new_node` takes, typed as the model types them."""
    schema = draft.types.schemas[nodes.node_model]
    fields, models = [], set()
    for wire, prop in (schema.get("properties") or {}).items():
        if wire in _SET_BY_NEW_NODE:
            continue
        annotation, named = _argument_type(draft.types, prop)
        fields.append(NodeField(naming.field_name(wire), wire, annotation))
        models |= named
    return replace(nodes, fields=tuple(fields), field_models=tuple(sorted(models)))


def _argument_type(types: SchemaTypes, schema: dict[str, Any]) -> tuple[str, set[str]]:
    """What a keyword argument for a field of `schema` accepts, and the models it names: a model
    also as a plain mapping (as `location` is), a list of them as any sequence."""
    target = schema.get("items") if schema.get("type") == "array" else schema
    name = schema_name(target)
    if name is not None and is_object(types.schemas[name]):
        one = f"{name} | Mapping[str, Any]"
        return (f"Sequence[{one}]" if target is not schema else one), {name}
    used = set(types.model_names)  # typing an argument must not add to the client's imports
    annotation = types.type_expr(schema)
    types.model_names = used
    return annotation, set()


EXTENSION = Extension("node_types", (KEY,), read, build=build)
