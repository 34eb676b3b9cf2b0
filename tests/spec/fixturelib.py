"""Load the specs and the recorded fixtures, and check a fixture against its operation."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from generator.document import Document
from generator.extensions import names

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "spec"
FIXTURE_DIR = ROOT / "tests" / "fixtures"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class OperationRef:
    """One documented operation: a plain operation, or one variant of a shared path+method."""

    service: str
    operation_id: str
    path: str
    method: str
    operation: dict[str, Any]
    variant: dict[str, Any] | None = None


@dataclass
class Fixture:
    service: str
    name: str
    file: Path
    data: dict[str, Any]


@dataclass
class Problem:
    pointer: str
    message: str


@dataclass
class FixtureReport:
    fixture: Fixture
    problems: list[Problem] = field(default_factory=list)


def spec_services() -> list[str]:
    return sorted(p.stem for p in SPEC_DIR.glob("*.yaml"))


@cache
def load_spec(service: str) -> dict[str, Any]:
    with open(SPEC_DIR / f"{service}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=yaml.CSafeLoader)


def operations(service: str) -> dict[str, OperationRef]:
    spec = load_spec(service)
    found: dict[str, OperationRef] = {}
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            variants = op.get("x-sdk-variants")
            if variants:
                for v in variants:
                    found[v["operation-id"]] = OperationRef(
                        service, v["operation-id"], path, method, op, v
                    )
            else:
                found[op["operationId"]] = OperationRef(
                    service, op["operationId"], path, method, op
                )
    return found


def fixtures(service: str) -> list[Fixture]:
    out = []
    for file in sorted((FIXTURE_DIR / service).glob("*.json")):
        with open(file, encoding="utf-8") as fh:
            out.append(Fixture(service, file.stem, file, json.load(fh)))
    return out


def allowlist(service: str) -> list[dict[str, str]]:
    file = FIXTURE_DIR / service / "allowlist.yaml"
    if not file.exists():
        return []
    with open(file, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or []


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


@cache
def _registry(service: str) -> Registry:
    resource = Resource.from_contents(load_spec(service), default_specification=DRAFT4)
    return Registry().with_resource(f"urn:{service}", resource)


def schema_errors(service: str, pointer: str, instance: Any) -> list[tuple[str, str]]:
    """Validate instance against the schema at `pointer` of the spec; (json path, message) pairs."""
    validator = OAS30Validator({"$ref": f"urn:{service}#{pointer}"}, registry=_registry(service))
    errors = []
    for err in validator.iter_errors(instance):
        path = "".join(f"/{_escape(str(p))}" for p in err.absolute_path)
        errors.append((path, err.message))
    return errors


def body_problems(service: str, pointer: str, instance: Any) -> list[tuple[str, str]]:
    """Schema errors, then fields the schema does not declare: a document's example showing a
    field its table leaves out disagrees with the table just as a wrong type does."""
    spec = load_spec(service)
    node = _deref(spec, {"$ref": "#" + pointer})
    return schema_errors(service, pointer, instance) + [
        (path, "field not declared by the schema") for path in _undeclared(spec, node, instance, "")
    ]


def _branches(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema and every allOf/oneOf/anyOf branch below it, dereferenced."""
    schema = _deref(spec, schema)
    found = [schema]
    for key in ("allOf", "oneOf", "anyOf"):
        for branch in schema.get(key, []):
            found += _branches(spec, branch)
    return found


def _undeclared(spec: dict[str, Any], schema: dict[str, Any], instance: Any, at: str) -> list[str]:
    branches = _branches(spec, schema)
    if isinstance(instance, list):
        items = [b["items"] for b in branches if "items" in b]
        return [p for i, v in enumerate(instance) for s in items[:1]
                for p in _undeclared(spec, s, v, f"{at}/{i}")]
    if not isinstance(instance, dict):
        return []
    declared: dict[str, Any] = {}
    for branch in branches:
        for name, sub in branch.get("properties", {}).items():
            declared.setdefault(name, sub)
    open_ = not declared or any(b.get("additionalProperties") not in (None, False) for b in branches)
    found = []
    for key, value in instance.items():
        where = f"{at}/{_escape(key)}"
        if key in declared:
            found += _undeclared(spec, declared[key], value, where)
        elif not open_:
            found.append(where)
    return found


SOURCE_KINDS = ("document", "page", "built")


def source_kind(source: dict[str, Any]) -> str:
    """Where a fixture comes from: lines of a seed document, a public page's example, or built
    from a documented schema (`built` says from what; `page` may name the page it follows)."""
    if "document" in source:
        return "document"
    return "built" if "built" in source else "page"


def source_problems(fx: Fixture) -> list[Problem]:
    """A fixture's `source` must say exactly where its request and response come from."""
    source = fx.data.get("source")
    if not isinstance(source, dict):
        return [Problem("/source", "source must be a mapping")]
    kind = source_kind(source)
    allowed = {
        "document": {"document", "section", "request_lines", "response_lines"},
        "page": {"page"},
        "built": {"built", "page"},
    }[kind]
    problems = [
        Problem(f"/source/{_escape(key)}", f"not a key of a {kind} source")
        for key in source
        if key not in allowed
    ]
    if kind == "document":
        missing = sorted(allowed - set(source))
        problems += [Problem("/source", f"document source needs {key}") for key in missing]
    if "page" in source and not str(source["page"]).startswith("https://"):
        problems.append(Problem("/source/page", "page must be an https URL"))
    if kind == "built" and not (str(source["built"]).strip() and fx.data.get("notes")):
        problems.append(
            Problem("/source/built", "a built fixture says from what, and its notes say how")
        )
    return problems


def template_regex(path_template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", path_template)
    pattern = "".join(
        f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts
    )
    return re.compile(f"^{pattern}$")


def _params(ref: OperationRef) -> list[dict[str, Any]]:
    spec = load_spec(ref.service)
    item = spec["paths"][ref.path]
    params = [*item.get("parameters", []), *ref.operation.get("parameters", [])]
    return [_deref(spec, p) for p in params]


def _deref(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for token in node["$ref"].lstrip("#/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def json_pointer(*tokens: str) -> str:
    return "".join(f"/{_escape(t)}" for t in tokens)


def check_fixture(fx: Fixture, ops: dict[str, OperationRef]) -> FixtureReport:
    report = FixtureReport(fx)
    problems = report.problems
    ref = ops.get(fx.data.get("operation", ""))
    if ref is None:
        problems.append(Problem("/operation", f"unknown operation {fx.data.get('operation')!r}"))
        return report
    req = fx.data["request"]
    resp = fx.data["response"]
    if req["method"].lower() != ref.method:
        problems.append(Problem("/request/method", f"{req['method']} but spec says {ref.method}"))
    if not template_regex(ref.path).match(req["path"]):
        problems.append(Problem("/request/path", f"{req['path']} does not match {ref.path}"))

    params = _params(ref)
    declared = {(p["in"], p["name"].lower() if p["in"] == "header" else p["name"]) for p in params}
    for key in req.get("query", {}):
        if ("query", key) not in declared:
            problems.append(Problem(f"/request/query/{_escape(key)}", "undeclared query parameter"))
    for key in req.get("headers", {}):
        if ("header", key.lower()) not in declared:
            problems.append(Problem(f"/request/headers/{_escape(key)}", "undeclared header"))
    for p in params:
        if p.get("required") and p["in"] == "query" and p["name"] not in req.get("query", {}):
            problems.append(Problem("/request/query", f"missing required {p['name']}"))

    request_schema, response_schema = body_schemas(fx, ref)
    if "body" in req:
        if request_schema is None:
            problems.append(Problem("/request/body", "operation takes no request body"))
        else:
            body = in_wire_form(fx.service, request_schema, req["body"])
            for path, msg in body_problems(fx.service, request_schema, body):
                problems.append(Problem("/request/body" + path, msg))

    status = str(resp["status"])
    responses = ref.operation.get("responses", {})
    key = status if status in responses else ("default" if "default" in responses else None)
    if key is None:
        problems.append(Problem("/response/status", f"status {status} not declared"))
        return report
    if "body" in resp:
        if response_schema is None:
            problems.append(Problem("/response/body", f"response {key} declares no body"))
            return report
        body = in_wire_form(fx.service, response_schema, resp["body"])
        for path, msg in body_problems(fx.service, response_schema, body):
            problems.append(Problem("/response/body" + path, msg))
    return report


def body_schemas(fx: Fixture, ref: OperationRef) -> tuple[str | None, str | None]:
    """JSON pointers of the schemas the fixture's request and response bodies follow in its spec
    (None: the operation declares no such body)."""
    spec = load_spec(fx.service)
    op_ptr = json_pointer("paths", ref.path, ref.method)
    request = None
    if ref.variant is not None:
        request = f"/components/schemas/{ref.variant['request-schema']}"
    elif (body := ref.operation.get("requestBody")) is not None:
        media = _media(_deref(spec, body).get("content", {}))
        request = op_ptr + "/requestBody/content/" + _escape(media) + "/schema"
        if "$ref" in body:
            request = body["$ref"].lstrip("#") + "/content/" + _escape(media) + "/schema"
    status = str(fx.data["response"]["status"])
    responses = ref.operation.get("responses", {})
    key = status if status in responses else ("default" if "default" in responses else None)
    content = _deref(spec, responses[key]).get("content", {}) if key is not None else {}
    if not content or key is None:
        return request, None
    media = _media(content)
    variant_schema = (ref.variant or {}).get("response-schema")
    if variant_schema and status.startswith("2"):
        return request, f"/components/schemas/{variant_schema}"
    if "$ref" in responses[key]:
        return request, responses[key]["$ref"].lstrip("#") + "/content/" + _escape(media) + "/schema"
    return request, op_ptr + json_pointer("responses", key, "content", media, "schema")


def wire_bodies(fx: Fixture) -> tuple[Any, Any]:
    """The fixture's request and response bodies (None where it has none) in wire form."""
    ref = operations(fx.service)[fx.data["operation"]]
    request_schema, response_schema = body_schemas(fx, ref)
    req, resp = fx.data["request"], fx.data["response"]
    return (
        in_wire_form(fx.service, request_schema, req["body"]) if request_schema and "body" in req
        else req.get("body"),
        in_wire_form(fx.service, response_schema, resp["body"])
        if response_schema and "body" in resp else resp.get("body"),
    )


def in_wire_form(service: str, pointer: str, body: Any) -> Any:
    """A fixture's body as a reader takes it: a field the document spells otherwise
    (`x-documented-as`) under its wire spelling, which is what the checks and readings see."""
    return names.wire_form(Document(load_spec(service)), {"$ref": "#" + pointer}, body)


def _media(content: dict[str, Any]) -> str:
    for media in content:
        if "json" in media:
            return media
    return next(iter(content))


def allowed(problem: Problem, fixture: str, entries: list[dict[str, str]]) -> dict[str, str] | None:
    for entry in entries:
        if entry["fixture"] != fixture:
            continue
        p = entry["pointer"]
        if problem.pointer == p or problem.pointer.startswith(p + "/"):
            return entry
    return None
