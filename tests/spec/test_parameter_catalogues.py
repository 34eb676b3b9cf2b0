"""The machine-readable parameter catalogues of the specs agree with the documents and fixtures.

`x-dlf-node-types` (dlf, on JobNode) lists each node type's `properties` names; `x-cdm-parameters`
(cdm, on Input) lists the `inputs` names of links, job sources, destinations and tasks (5.4).
Both are name/value lists on the wire, so these catalogues are the only typed record of them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest

from tests.spec import fixturelib as fl

DOC = fl.ROOT.parent / "shared" / "docs" / "003_b0b6b669bda851be.txt"
PROPERTY_KEYS = {"name", "documented-as", "type", "required", "enum", "default", "example",
                 "secret", "fields", "description"}
TYPES = {"string", "boolean", "integer", "number", "map", "array", "file-content", "object"}


@cache
def doc_lines() -> list[str]:
    return DOC.read_text(encoding="utf-8").splitlines()


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_property(where: str, prop: dict[str, Any]) -> list[str]:
    problems = [f"{where}: unknown key {k!r}" for k in prop if k not in PROPERTY_KEYS]
    for key in ("name", "type", "required", "description"):
        if key not in prop:
            problems.append(f"{where}: no {key!r}")
    if prop.get("type") not in TYPES:
        problems.append(f"{where}: type {prop.get('type')!r} not in {sorted(TYPES)}")
    if not isinstance(prop.get("required"), bool):
        problems.append(f"{where}: required must be true or false")
    for key in ("default", "example"):
        if key in prop and not isinstance(prop[key], str):
            problems.append(f"{where}: {key} must be a string, as every value is on the wire")
    if prop.get("fields") is not None and prop.get("type") != "object":
        problems.append(f"{where}: only an object parameter has fields")
    for i, field in enumerate(prop.get("fields") or []):
        problems += check_property(f"{where}/fields/{i}", field)
    return problems


# -- DLF node types ---------------------------------------------------------------------------


def node_types() -> dict[str, Any]:
    job_node = fl.load_spec("dlf")["components"]["schemas"]["JobNode"]
    return job_node["x-dlf-node-types"]


def table_block(table: str) -> str:
    """The text of document table `table` ("6-60"): from its caption to the next caption."""
    lines = doc_lines()
    caption = re.compile(rf"^表 ?{re.escape(table)} ")
    start = next(i for i, line in enumerate(lines) if caption.match(line))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("表")), len(lines))
    return "\n".join(lines[start:end])


def test_dlf_catalogue_covers_exactly_the_node_type_enum() -> None:
    enum = fl.load_spec("dlf")["components"]["schemas"]["JobNode"]["properties"]["type"]["enum"]
    assert sorted(node_types()) == sorted(enum)


@pytest.mark.parametrize("node_type", sorted(node_types()))
def test_dlf_node_type_properties_are_well_formed_and_in_their_tables(node_type: str) -> None:
    entry = node_types()[node_type]
    tables = [t for t in entry["property-table"].split("/") if t != "-"]  # "-": no such table
    if not tables:
        assert entry["properties"] == [], f"{node_type} has no property table, so no properties"
        return
    blocks = squeezed("".join(table_block(t) for t in tables))
    problems = []
    names = [p.get("name") for p in entry["properties"]]
    problems += [f"{node_type}: {n!r} listed twice" for n in set(names) if names.count(n) > 1]
    for i, prop in enumerate(entry["properties"]):
        where = f"{node_type}/properties/{i}"
        problems += check_property(where, prop)
        if squeezed(prop.get("documented-as", prop["name"])) not in blocks:
            problems.append(f"{where}: {prop['name']!r} is not in tables {entry['property-table']}")
        problems += [f"{where}: enum value {v!r} not in its tables"
                     for v in prop.get("enum", []) if squeezed(str(v)) not in blocks]
    assert not problems, "\n".join(problems)


def test_dlf_fixture_nodes_use_catalogued_property_names() -> None:
    types = node_types()
    problems = []
    for fx in fl.fixtures("dlf"):
        for part in ("request", "response"):
            body = fx.data[part].get("body")
            nodes = body.get("nodes") if isinstance(body, dict) else None
            for node in nodes if isinstance(nodes, list) else []:
                if node.get("type") not in types:
                    continue  # an undocumented type (the examples show `Dummy`): nothing to check
                known = {p["name"] for p in types[node["type"]]["properties"]}
                problems += [f"{fx.name} {part}: {node['type']} property {p['name']!r}"
                             for p in node.get("properties", []) if p["name"] not in known]
    assert not problems, "\n".join(problems)
