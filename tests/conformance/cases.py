"""The judge's cases: one logical request and one canned response, for both clients.

Two kinds, for every operation we share with the official SDK (matched by HTTP method and path;
the variants of one path by name):
- `fixture:` every recorded fixture (tests/fixtures), request and response as recorded;
- `filled:` a request with every documented parameter and body field, answered by a response
  with every documented field: documented by our spec, plus what only the SDK's models declare
  (so a field one side lacks, renames or types otherwise shows up on both wires and readings).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.contract import support as s
from tests.spec import fixturelib as fl

from .filling import MISSING, ModelFiller, SchemaFiller

REGION = "ap-southeast-1"
PROJECT_ID = "0b6f1e2d3c4a5b6c7d8e9f0a1b2c3d4e"
WORKSPACE = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"
REQUEST_ID = "conformance-request-id"
# The SDK package of each of our services' operations, by path family.
OFFICIAL_SDKS = ("cdm", "dlf", "dataartsstudio")


@dataclass(frozen=True)
class Pair:
    """One of our operations (a variant counts as one) and the official SDK's method for it."""

    target: s.Target
    sdk: str
    method: str

    @property
    def operation(self) -> str:
        return f"{self.target.service.name}.{self.target.op.operation_id}"


@dataclass
class Case:
    id: str
    pair: Pair
    request: dict[str, Any]  # fixture form: method, path, query (wire strings), headers, body
    official_parameters: dict[str, Any]  # the SDK's request model, by wire name (+ "body")
    response: dict[str, Any]  # status, headers, body (JSON) or body_b64
    project_id: str
    notes: list[str] = field(default_factory=list)

    def fixture(self) -> fl.Fixture:
        """The case as the contract tests' fixture shape (tests/contract/support builds calls from it)."""
        data = {
            "operation": self.pair.target.op.operation_id,
            "request": self.request,
            "response": self.response,
        }
        return fl.Fixture(self.pair.target.service.name, self.id, Path(self.id), data)

    def official(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sdk": self.pair.sdk,
            "method": self.pair.method,
            "region": REGION,
            "project_id": self.project_id,
            "parameters": self.official_parameters,
            "response": self.response,
        }


def camel(method: str) -> str:
    return "".join(part.capitalize() for part in method.split("_"))


def shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.rstrip("/"))


def pairs(routes: list[dict[str, str]]) -> list[Pair]:
    """Our operations matched to the SDK's methods: same HTTP method and path shape; where one
    path and method are several operations (variants), the method named like the variant."""
    theirs: dict[tuple[str, str], list[dict[str, str]]] = {}
    for route in routes:
        theirs.setdefault((route["http_method"], shape(route["path"])), []).append(route)
    found = []
    for target in s.targets().values():
        candidates = theirs.get((target.op.http_method.upper(), shape(target.op.path)), [])
        if len(candidates) > 1:
            candidates = [c for c in candidates if camel(c["method"]) == target.op.operation_id]
        if len(candidates) == 1:
            found.append(Pair(target, candidates[0]["sdk"], candidates[0]["method"]))
    return found


# -- the official SDK's view of a request -----------------------------------------------------------


def official_parameters(
    pair: Pair, described: dict[str, Any], request: dict[str, Any]
) -> dict[str, Any]:
    """The fixture-form request as the SDK's request model takes it: wire names, typed values."""
    op = pair.target.op
    declared = described["methods"][f"{pair.sdk}.{pair.method}"]["parameters"]
    their_headers = {
        wire.lower(): wire for where, wire, _ in declared.values() if where == "header"
    }
    out: dict[str, Any] = dict(s.path_values(op.path, request["path"]))
    arguments = {a.wire_name: a for a in op.arguments if a.location == "query"}
    for wire, text in request.get("query", {}).items():
        arg = arguments.get(wire)
        out[wire] = s.python_value(arg.annotation, text) if arg else text
    for wire, text in request.get("headers", {}).items():
        out[their_headers.get(wire.lower(), wire)] = text
    if "body" in request:
        out["body"] = request["body"]
    return out


# -- fixture cases ----------------------------------------------------------------------------------


def fixture_cases(pair: Pair, described: dict[str, Any]) -> list[Case]:
    out = []
    for fx in s.all_fixtures():
        if (
            fx.service != pair.target.service.name
            or fx.data["operation"] != pair.target.op.operation_id
        ):
            continue
        request, response = fx.data["request"], dict(fx.data["response"])
        response["headers"] = {**response["headers"], "X-Request-Id": REQUEST_ID}
        if (
            "body" not in response
            and pair.target.op.response_kind == "binary"
            and 200 <= response["status"] < 300
        ):
            response["body_b64"] = base64.b64encode(s.BINARY_CONTENT).decode()
        project_id = s.path_values(pair.target.op.path, request["path"]).get(
            "project_id", PROJECT_ID
        )
        out.append(
            Case(
                f"fixture:{fx.service}/{fx.name}",
                pair,
                request,
                official_parameters(pair, described, request),
                response,
                project_id,
            )
        )
    return out


# -- filled cases -----------------------------------------------------------------------------------


def wire_text(value: Any) -> Any:
    """A typed query value as the wire's string (a list of strings for a repeated key)."""
    if isinstance(value, list):
        return [wire_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def filled_case(pair: Pair, described: dict[str, Any]) -> Case:
    service = pair.target.service.name
    document = fl.load_spec(service)
    ref = fl.operations(service)[pair.target.op.operation_id]
    ours = SchemaFiller(document)
    theirs = ModelFiller(described["models"], pair.sdk)
    method_info = described["methods"][f"{pair.sdk}.{pair.method}"]
    op = pair.target.op

    values: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
    for param in fl.load_spec(service)["paths"][ref.path].get("parameters", []) + ref.operation.get(
        "parameters", []
    ):
        found = ours.deref(param, ())
        assert found is not None
        param = found[0]
        if param["in"] == "path" and param["name"] == "project_id":
            values["path"]["project_id"] = PROJECT_ID
        elif param["in"] == "header" and param["name"] == "workspace":
            values["header"]["workspace"] = WORKSPACE
        else:
            value = ours.value(param.get("schema", {}), param["name"])
            if value is not MISSING:
                values[param["in"]][param["name"]] = value
    # parameters only the SDK declares: sent by its side only (ours has no argument for them)
    official_only: dict[str, Any] = {}
    known = {(where, name.lower()) for where, names in values.items() for name in names}
    for where, wire, type_name in method_info["parameters"].values():
        if where in ("path", "query", "header") and (where, wire.lower()) not in known:
            value = theirs.value(type_name, wire)
            if value is not MISSING:
                official_only[wire] = value

    request: dict[str, Any] = {
        "method": op.http_method.upper(),
        "path": re.sub(
            r"\{([^}]+)\}", lambda m: quote(str(values["path"][m.group(1)]), safe=""), op.path
        ),
        "query": {k: wire_text(v) for k, v in values["query"].items()},
        "headers": {k: str(v) for k, v in values["header"].items()},
    }
    body_schema = request_schema(ref)
    if body_schema is not None:
        body = ours.value(body_schema, "body")
        body_param = next(
            (t for w, _, t in method_info["parameters"].values() if w == "body"), None
        )
        request["body"] = theirs.merge(body, body_param) if body_param else body
    official = official_parameters(pair, described, request)
    for wire, value in values["query"].items():
        official[wire] = value
    official.update(official_only)

    return Case(
        f"filled:{service}/{op.operation_id}",
        pair,
        request,
        official,
        filled_response(pair, ref, ours, theirs, method_info),
        PROJECT_ID,
    )


def request_schema(ref: fl.OperationRef) -> dict[str, Any] | None:
    if ref.variant and ref.variant.get("request-schema"):
        return {"$ref": f"#/components/schemas/{ref.variant['request-schema']}"}
    body = ref.operation.get("requestBody")
    if body is None:
        return None
    if "$ref" in body:
        body = fl.load_spec(ref.service)["components"]["requestBodies"][body["$ref"].split("/")[-1]]
    media = body.get("content", {}).get("application/json")
    return media.get("schema") if media else None


def filled_response(
    pair: Pair,
    ref: fl.OperationRef,
    ours: SchemaFiller,
    theirs: ModelFiller,
    method_info: dict[str, Any],
) -> dict[str, Any]:
    status = pair.target.op.success_statuses[0]
    headers = {"X-Request-Id": REQUEST_ID}
    if pair.target.op.response_kind == "binary":
        headers["Content-Type"] = "application/octet-stream"
        return {
            "status": status,
            "headers": headers,
            "body_b64": base64.b64encode(s.BINARY_CONTENT).decode(),
        }
    if pair.target.op.response_kind == "none":
        return {"status": status, "headers": headers}
    headers["Content-Type"] = "application/json"
    if ref.variant and ref.variant.get("response-schema"):
        schema = {"$ref": f"#/components/schemas/{ref.variant['response-schema']}"}
    else:
        response = ref.operation["responses"][str(status)]
        found = ours.deref(response, ())
        assert found is not None
        schema = found[0]["content"]["application/json"]["schema"]
    body = ours.value(schema, "body")
    fields = theirs.fields(method_info["response"]) or {}
    fields = {k: t for k, t in fields.items() if k not in method_info["response_headers"]}
    if set(fields) == {"body"}:
        body = theirs.merge(body, fields["body"])
    elif fields:
        body = theirs.merge(body, method_info["response"])
        body = {k: v for k, v in body.items() if k not in method_info["response_headers"]}
    return {"status": status, "headers": headers, "body": json.loads(json.dumps(body))}


def all_cases(found: list[Pair], described: dict[str, Any]) -> list[Case]:
    out = []
    for pair in found:
        out += fixture_cases(pair, described)
        out.append(filled_case(pair, described))
    return out
