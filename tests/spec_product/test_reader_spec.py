"""The docs-only copy of a spec: vendor extensions become Markdown pages, meaning is unchanged."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.load import load_spec
from generator.publish import docs, markdown

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"


def without_prose(node: Any) -> Any:
    """A document without what the reader copy may add: descriptions, tags, tag groups."""
    if isinstance(node, dict):
        return {k: without_prose(v) for k, v in node.items()
                if k not in ("description", "tags", "x-tagGroups")}
    if isinstance(node, list):
        return [without_prose(v) for v in node]
    return node


@pytest.mark.parametrize("name", ["cdm", "dlf", "factory", "lakeformation"])
def test_reader_copy_keeps_the_spec_meaning(name: str) -> None:
    data = load_spec(SPEC_DIR / f"{name}.yaml").data
    original = copy.deepcopy(data)
    reader = docs.reader_spec(data)
    assert data == original  # the spec itself is untouched
    assert without_prose(reader) == without_prose(data)
    assert reader["tags"][:len(data["tags"])] == data["tags"]


def test_reader_pages_per_extension() -> None:
    cdm = docs.reader_spec(load_spec(SPEC_DIR / "cdm.yaml").data)
    groups = {g["name"]: g["tags"] for g in cdm["x-tagGroups"]}
    assert list(groups) == ["Operations", "Reference", "Link parameters", "Job source parameters",
                            "Job destination parameters", "Job task parameters"]
    assert groups["Reference"] == ["error-codes", "wire-decisions"]
    assert sum(len(tags) for tags in groups.values()) == len(cdm["tags"])
    dlf = docs.reader_spec(load_spec(SPEC_DIR / "dlf.yaml").data)
    assert [g["name"] for g in dlf["x-tagGroups"]] == ["Operations", "Reference", "Node types"]
    assert {g["name"]: g["tags"] for g in dlf["x-tagGroups"]}["Reference"] == [
        "error-codes", "wire-decisions"]
    lakeformation = docs.reader_spec(load_spec(SPEC_DIR / "lakeformation.yaml").data)
    assert [g["name"] for g in lakeformation["x-tagGroups"]] == ["Operations", "Reference"]


def small_spec() -> dict[str, Any]:
    script = {"type": "object", "required": ["type"], "properties": {
        "type": {"type": "string", "enum": ["DLISQL", "Shell"]},
        "queueName": {"type": "string", "description": "DLI queue.",
                      "x-required-when": {"type": ["DLISQL"]}},
        "retry": {"type": "boolean", "x-required-when": {"type": ["Shell"], "queueName": ["q"]}},
    }}
    link_param = {"name": "linkConfig.runMode", "type": "string", "required": False,
                  "description": "Run mode.", "enum": ["EMBEDDED", "STANDALONE"],
                  "x-required-when": {"linkConfig.hiveVersion": ["HIVE_3_X"]}}
    catalogue = {"link-config-values": {"hive": {
        "section": "5.4.1.6", "title": "Hive link", "connectors": ["hive-connector"],
        "description": "Hive.", "parameters": [link_param]}}}
    errors = [{"code": "Cdm.0000", "status": 400, "message": "系统错误。",
               "summary": "System error.", "description": "d", "action": "a | b"}]
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"},
            "tags": [{"name": "Scripts"}], "paths": {},
            "components": {"schemas": {"Script": script,
                                       "Input": {"type": "object", "x-cdm-parameters": catalogue},
                                       "Error": {"type": "object", "x-error-codes": errors}}}}


def test_required_when_on_a_property_becomes_a_sentence() -> None:
    props = docs.reader_spec(small_spec())["components"]["schemas"]["Script"]["properties"]
    assert props["queueName"]["description"] == (
        "DLI queue.\n\n**Required when** `type` is `DLISQL`.")
    assert props["retry"]["description"] == (
        "**Required when** `type` is `Shell` and `queueName` is `q`.")
    assert "description" not in props["type"]


def test_reader_pages_show_conditions_codes_and_escaped_cells() -> None:
    pages = {p.name: p for p in docs.reader_pages(small_spec())}
    hive = pages["link-config-values-hive"]
    assert (hive.group, hive.title, hive.rows) == ("Link parameters", "5.4.1.6 Hive link", 1)
    assert "| when `linkConfig.hiveVersion` is `HIVE_3_X` |" in hive.markdown
    assert "One of `EMBEDDED`, `STANDALONE`." in hive.markdown
    errors = pages["error-codes"].markdown
    assert "| 系统错误。 (System error.) |" in errors and "| a \\| b |" in errors


def test_required_cell_and_condition_words() -> None:
    assert markdown.required_cell({"required": True}) == "yes"
    assert markdown.required_cell({"required": False}) == "no"
    assert markdown.condition({"a": ["x", "y"], "b": [True]}) == (
        "`a` is one of `x`, `y` and `b` is `true`")


def test_landing_page_links_each_group_once() -> None:
    pages = tuple(docs.reader_pages(small_spec()))
    ref = docs.Reference("cdm", "CDM <API>", "1.0.0", 2, pages)
    page = docs.landing_page([ref], "2.77.0")
    assert 'href="cdm.html#/error-codes">Error codes</a> (1 row)' in page
    assert 'href="cdm.html#/link-config-values-hive">5.4.1.6 Hive link</a>' in page
    assert "CDM &lt;API&gt;" in page and "2 operations" in page


DECISION = {"summary": "The wire key is publicIp; the documents' publicip is read too.",
            "rank": 1,
            "evidence": [{"source": "live-evidence C10", "quote": "node keys are publicIp, ..."}]}


def spec_with_decisions() -> dict[str, Any]:
    spec = small_spec()
    spec["paths"] = {"/v1/nodes": {"delete": {
        "operationId": "DeleteNode", "summary": "Delete a node", "description": "Deletes.",
        "x-source": {"decisions": [DECISION]}, "responses": {"204": {"description": "Done."}}}}}
    spec["components"]["schemas"]["Node"] = {"type": "object", "properties": {"publicIp": {
        "type": "string", "description": "Public IP.", "x-documented-as": "publicip",
        "x-source": {"decisions": [DECISION]}}}}
    return spec


def test_each_decision_is_shown_under_its_node_and_on_a_page() -> None:
    reader = docs.reader_spec(spec_with_decisions())
    note = ("**Wire decision** (evidence rank 1, live probes and acceptance-tested production "
            "code): The wire key is publicIp; the documents' publicip is read too. *Evidence:* "
            "`live-evidence C10`: `node keys are publicIp, ...`")
    assert reader["paths"]["/v1/nodes"]["delete"]["description"] == f"Deletes.\n\n{note}"
    prop = reader["components"]["schemas"]["Node"]["properties"]["publicIp"]
    assert prop["description"] == (
        "Public IP.\n\n**Documented as** `publicip`: the wire spells it `publicIp`, which is what "
        f"is sent; a reader accepts both.\n\n{note}")
    page = next(p for p in docs.reader_pages(spec_with_decisions()) if p.name == "wire-decisions")
    assert (page.group, page.title, page.rows) == ("Reference", "Wire decisions", 2)
    assert ("| DELETE /v1/nodes (DeleteNode) | The wire key is publicIp; the documents' publicip "
            "is read too. | 1 | `live-evidence C10` |") in page.markdown
    assert "| Node.publicIp | The wire key is publicIp;" in page.markdown
