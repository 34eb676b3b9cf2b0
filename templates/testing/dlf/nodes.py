"""DLF job nodes against the spec's node-type catalogue (`x-dlf-node-types` on JobNode).

A node's `properties` are a name/value list; per node type the catalogue says which names are
required (`required`, or `x-required-when` on the other properties of the same node or, for a
dotless key that no property has, a field of the node itself). Names it does not list are kept:
the service knows more than the documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataarts._runtime.catalogue import condition_holds

from ..schema_check import Problem
from ..spec import Api

__all__ = ["node_problems", "node_types"]


def node_types(api: Api) -> Mapping[str, Any]:
    """The node-type catalogue of whichever loaded spec carries one (empty when none does)."""
    for service in api.services.values():
        for schema in (service.document.get("components") or {}).get("schemas", {}).values():
            if "x-dlf-node-types" in schema:
                catalogue: Mapping[str, Any] = schema["x-dlf-node-types"]
                return catalogue
    return {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def node_problems(catalogue: Mapping[str, Any], nodes: list[Any], where: str) -> list[Problem]:
    """Missing required properties of each node of a job, by its type's catalogue entry."""
    problems: list[Problem] = []
    for index, node in enumerate(nodes):
        if not isinstance(node, dict):
            continue
        entry = catalogue.get(str(node.get("type")))
        if not isinstance(entry, Mapping):
            continue
        given = {
            str(p.get("name")): _text(p.get("value"))
            for p in node.get("properties") or ()
            if isinstance(p, dict)
        }
        for param in entry.get("properties") or ():
            name = str(param.get("name"))
            if name in given:
                continue
            condition = param.get("x-required-when")
            if param.get("required"):
                reason = "is required"
            elif condition and condition_holds(
                {k: [_text(v) for v in values] for k, values in condition.items()},
                {
                    k: given[k] if k in given else _text(node[k])
                    for k in condition
                    if k in given or k in node
                },
            ):
                reason = "is required for " + " and ".join(condition)
            else:
                continue
            problems.append(Problem(f"{where}[{index}].properties.{name}", reason, missing=True))
    return problems
