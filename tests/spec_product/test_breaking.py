"""The breaking-change rules on small specs, one rule per test, and on the real specs."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from generator.load import load_spec
from generator.publish.breaking import compare

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"
JOB = "/v1/{project_id}/jobs/{job_name}"


def base() -> dict[str, Any]:
    """One GET and one PUT on a job, sharing a schema; a catalogue on a component."""
    job = {"type": "object", "required": ["name", "type"], "properties": {
        "name": {"type": "string"},
        "type": {"type": "string", "enum": ["BATCH", "REAL_TIME"]},
        "queue": {"type": "string"},
        "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
    }}
    node = {"type": "object", "properties": {"location": {"type": "integer", "format": "int32"}},
            "x-dlf-node-types": {"Shell": {"properties": [
                {"name": "scriptName", "type": "string", "required": True},
                {"name": "mode", "type": "string", "required": False, "enum": ["a", "b"]}]}}}
    params = [{"name": "project_id", "in": "path", "required": True, "schema": {"type": "string"}},
              {"name": "job_name", "in": "path", "required": True, "schema": {"type": "string"}},
              {"name": "workspace", "in": "header", "schema": {"type": "string"}}]
    body = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}}
    return {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"},
        "paths": {JOB: {
            "parameters": params[:2],
            "get": {"operationId": "ShowJob", "x-sdk-method": "get", "parameters": params[2:],
                    "responses": {"200": {"description": "ok", **body},
                                  "400": {"description": "bad"}}},
            "put": {"operationId": "UpdateJob", "requestBody": {"required": True, **body},
                    "responses": {"204": {"description": "done"}}},
        }},
        "components": {"schemas": {"Job": job, "Node": node}},
    }


def changes(mutate: Any) -> list[str]:
    old, new = base(), base()
    mutate(new)
    return [str(c) for c in compare(old, new)]


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]


def test_an_unchanged_spec_has_no_changes() -> None:
    assert changes(lambda d: None) == []


def test_removed_operation_is_breaking_and_added_one_is_not() -> None:
    def move(d: dict[str, Any]) -> None:
        d["paths"]["/v1/{project_id}/jobs"] = {"post": d["paths"][JOB].pop("put")}

    assert changes(move) == [f"BREAKING: PUT {JOB}: operation removed",
                             "ok: POST /v1/{project_id}/jobs: operation added"]


def test_renamed_path_parameter_is_the_same_operation() -> None:
    def rename(d: dict[str, Any]) -> None:
        d["paths"]["/v1/{project_id}/jobs/{name}"] = d["paths"].pop(JOB)
        d["paths"]["/v1/{project_id}/jobs/{name}"]["parameters"][1]["name"] = "name"

    found = changes(rename)
    assert not any("operation" in c for c in found)
    assert any("path parameter job_name: removed" in c for c in found)


def test_renamed_operation_id_or_sdk_method_is_breaking() -> None:
    def rename(d: dict[str, Any]) -> None:
        d["paths"][JOB]["get"]["operationId"] = "GetJob"
        d["paths"][JOB]["get"]["x-sdk-method"] = "show"

    assert changes(rename) == [
        f"BREAKING: GET {JOB}: operationId changed from 'ShowJob' to 'GetJob'",
        f"BREAKING: GET {JOB}: x-sdk-method changed from 'get' to 'show'"]


def test_parameter_rules() -> None:
    def required(d: dict[str, Any]) -> None:
        d["paths"][JOB]["get"]["parameters"][0]["required"] = True
        d["paths"][JOB]["get"]["parameters"].append({"name": "limit", "in": "query",
                                                      "schema": {"type": "integer"}})

    assert changes(required) == [f"BREAKING: GET {JOB} header parameter workspace: became required",
                                 f"ok: GET {JOB} query parameter limit: added (optional)"]
    assert changes(lambda d: d["paths"][JOB]["get"]["parameters"].append(
        {"name": "limit", "in": "query", "required": True})) == [
        f"BREAKING: GET {JOB} query parameter limit: added as required"]
    assert changes(lambda d: d["paths"][JOB]["get"].pop("parameters")) == [
        f"BREAKING: GET {JOB} header parameter workspace: removed"]


def test_property_removed_is_breaking_in_both_directions() -> None:
    found = changes(lambda d: schemas(d)["Job"]["properties"].pop("queue"))
    assert found == ["BREAKING: schema Job (request).queue: property removed",
                     "BREAKING: schema Job (response).queue: property removed"]


def test_a_respelt_property_or_parameter_is_breaking_and_says_it_is_still_read() -> None:
    """A key renamed to the wire's spelling (`x-documented-as` keeping the old one readable) is
    still a breaking change for a client generated from the spec: the report says what became
    of it."""
    def respell(d: dict[str, Any]) -> None:
        props = schemas(d)["Job"]["properties"]
        props["queueName"] = {**props.pop("queue"), "x-documented-as": "queue"}
        d["paths"][JOB]["get"]["parameters"] = [
            {"name": "Workspace", "in": "header", "schema": {"type": "string"},
             "x-documented-as": "workspace"}]

    renamed = ("property renamed to queueName (the wire's spelling; x-documented-as keeps queue "
               "readable)")
    assert changes(respell) == [
        f"BREAKING: GET {JOB} header parameter workspace: renamed to Workspace (the wire's "
        + "spelling, x-documented-as)",
        f"BREAKING: schema Job (request).queue: {renamed}",
        f"BREAKING: schema Job (response).queue: {renamed}",
        f"ok: GET {JOB} header parameter Workspace: added (optional)",
        "ok: schema Job (request).queueName: property added",
        "ok: schema Job (response).queueName: property added",
    ]


def test_type_and_format_changes_are_breaking() -> None:
    def retype(d: dict[str, Any]) -> None:
        schemas(d)["Job"]["properties"]["queue"] = {"type": "integer"}
        schemas(d)["Node"]["properties"]["location"]["format"] = "int64"

    found = changes(retype)
    assert "BREAKING: schema Job (response).queue: type changed from string to integer" in found
    assert ("BREAKING: schema Node (request).location: format changed from int32 to int64"
            in found)


def test_newly_required_request_property_is_breaking_but_not_in_a_response() -> None:
    found = changes(lambda d: schemas(d)["Job"]["required"].append("queue"))
    assert found == ["BREAKING: schema Job (request).queue: became required",
                     "ok: schema Job (response).queue: became required"]


def test_required_becoming_conditional_is_not_breaking() -> None:
    def conditional(d: dict[str, Any]) -> None:
        schemas(d)["Job"]["required"].remove("type")
        schemas(d)["Job"]["properties"]["type"]["x-required-when"] = {"queue": ["q1"]}

    found = changes(conditional)
    assert found and not any(c.startswith("BREAKING") for c in found)
    assert "ok: schema Job (response).type: no longer required (conditionally: x-required-when)" \
        in found


def test_response_property_no_longer_required_is_breaking() -> None:
    found = changes(lambda d: schemas(d)["Job"]["required"].remove("type"))
    assert found == ["BREAKING: schema Job (response).type: no longer required",
                     "ok: schema Job (request).type: no longer required"]


def test_enum_values_removed_break_requests_added_do_not() -> None:
    found = changes(lambda d: schemas(d)["Job"]["properties"]["type"].update(
        enum=["BATCH", "STREAM"]))
    assert found == ["BREAKING: schema Job (request).type: enum values removed: 'REAL_TIME'",
                     "ok: schema Job (request).type: enum values added: 'STREAM'",
                     "ok: schema Job (response).type: enum values added: 'STREAM'",
                     "ok: schema Job (response).type: enum values removed: 'REAL_TIME'"]


def test_request_body_and_success_response_removed_are_breaking() -> None:
    def remove(d: dict[str, Any]) -> None:
        d["paths"][JOB]["put"].pop("requestBody")
        d["paths"][JOB]["get"]["responses"].pop("200")
        d["paths"][JOB]["get"]["responses"].pop("400")

    assert changes(remove) == [f"BREAKING: GET {JOB} response 200: removed",
                               f"BREAKING: PUT {JOB} request body: removed",
                               f"ok: GET {JOB} response 400: removed"]


def test_catalogue_rules() -> None:
    def edit(d: dict[str, Any]) -> None:
        props = schemas(d)["Node"]["x-dlf-node-types"]["Shell"]["properties"]
        props[1]["required"] = True
        props[0]["required"] = False
        props[0]["x-required-when"] = {"mode": ["a"]}
        props.append({"name": "extra", "type": "string", "required": False})

    assert changes(edit) == [
        "BREAKING: x-dlf-node-types Shell mode: became required",
        "ok: x-dlf-node-types Shell extra: parameter added",
        ("ok: x-dlf-node-types Shell scriptName: no longer required (conditionally: "
        "x-required-when)"),
        "ok: x-dlf-node-types Shell scriptName: x-required-when (none) -> {'mode': ['a']}"]


@pytest.mark.parametrize("name", ["cdm", "dlf", "lakeformation"])
def test_real_specs_compare_equal_to_themselves_and_notice_a_removal(name: str) -> None:
    data = load_spec(SPEC_DIR / f"{name}.yaml").data
    assert compare(data, copy.deepcopy(data)) == []
    changed = copy.deepcopy(data)
    path = next(iter(changed["paths"]))
    changed["paths"].pop(path)
    assert all(c.breaking and c.what == "operation removed" for c in compare(data, changed))
