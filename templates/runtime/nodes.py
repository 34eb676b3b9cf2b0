"""DLF job node properties: the typed builders `dataarts.dlf.nodes` is generated into.

A DataArts Factory job node carries its settings as `properties`, a list of `{"name", "value"}`
pairs whose names depend on the node `type` (tables 6-60 to 6-77); each documented node type
becomes a `NodeProperties` subclass (see `catalogue.TypedPairs` for typing, checks and the
lossless round trip). Types the catalogue does not know (the live service accepts `RESTAPI`) read
as `GenericNode`, which keeps every property in `undocumented`. Values are not percent-decoded:
nothing suggests the service encodes node properties.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Self

from pydantic import BaseModel, PrivateAttr

from .catalogue import Parameter, ParameterError, TypedPairs, nearest, plain, wire_text


class NodeProperties(TypedPairs):
    """The typed `properties` of one node type."""

    NODE_TYPE: ClassVar[str]

    _node_type: str = PrivateAttr(default="")  # the type a node was read with

    @property
    def node_type(self) -> str:
        """The node type: the class's, or for a `GenericNode` the one it was read with."""
        return self._node_type or self.NODE_TYPE

    @classmethod
    def from_properties(cls, properties: Any) -> Self:
        """Read a node's `properties` (models or wire mappings), keeping all of it."""
        raw = [
            plain(item) if isinstance(item, BaseModel) else copy.deepcopy(item)
            for item in properties or []
        ]
        pairs = [
            (p["name"], p.get("value"))
            for p in raw
            if isinstance(p, Mapping) and isinstance(p.get("name"), str)
        ]
        return cls._from_pairs(pairs, raw, decode=False)

    def to_properties(self) -> list[dict[str, Any]]:
        """The wire `properties` list. Raises `ParameterError` when a required one is missing."""
        self._raise_if_missing({})
        current = self._current()
        sent: set[str] = set()
        out = self._entries(self._raw if isinstance(self._raw, list) else [], current, sent)
        out += [{"name": n, "value": wire_text(v)} for n, v in current.items() if n not in sent]
        return copy.deepcopy(out)

    @classmethod
    def _owner(cls) -> str:
        node_type = getattr(cls, "NODE_TYPE", "")
        return f"{cls.__name__} (node type {node_type})" if node_type else cls.__name__


class GenericNode(NodeProperties):
    """Properties of a node type the catalogue does not document, all in `undocumented`."""

    NODE_TYPE: ClassVar[str] = ""


def read_node(registry: Mapping[str, type[NodeProperties]], node: Any) -> NodeProperties:
    """The typed properties of a node (a model or its wire mapping), by its `type`."""
    wire = plain(node)
    node_type = str(wire.get("type"))
    properties = registry.get(node_type, GenericNode).from_properties(wire.get("properties"))
    properties._node_type = node_type
    return properties


def node_fields(
    fields: Mapping[str, Any], known: Sequence[tuple[str, str]], owner: str = "new_node"
) -> dict[str, Any]:
    """`fields` (a node's other fields, by Python or wire name) as the wire mapping; a name the
    node model does not document raises `ParameterError`, naming the nearest one. `known` lists
    (Python name, wire name) pairs."""
    wire = {python: name for python, name in known}
    wire.update({name: name for _, name in known})
    unknown = [name for name in fields if name not in wire]
    if unknown:
        choices = [Parameter(name, python) for python, name in known]
        raise ParameterError(
            owner,
            [f"unknown node field {name!r}" + nearest(name, choices) for name in unknown],
        )
    return {wire[name]: value for name, value in fields.items()}
