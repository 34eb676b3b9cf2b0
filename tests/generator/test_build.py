"""`generator.build`: the IR from tiny specs; every naming and typing decision is checked here."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest

from generator.build import build_api
from generator.ir import Operation, Service
from generator.validate import project_problems
from tests.generator.conftest import BASE_SPEC, build_service, load_text

HEADER = """\
openapi: 3.0.3
info:
  title: Tiny API
  version: "1"
  description: Tiny.
x-sdk-service: tiny
x-sdk-client: Tiny
servers:
  - url: https://tiny.example.com
tags:
  - name: Tiny
"""


def mini(paths: str, schemas: str = "") -> str:
    """A spec from a `paths:` body and a `components/schemas:` body (both dedented)."""
    text = HEADER + "paths:\n" + textwrap.indent(textwrap.dedent(paths), "  ")
    if schemas:
        text += "components:\n  schemas:\n" + textwrap.indent(textwrap.dedent(schemas), "    ")
    return text


def operation(op_id: str, method: str, resource: str = "things", *, extra: str = "",
              responses: str = '"200":\n  description: OK.\n') -> str:
    """One operation's YAML, with the fields every operation needs."""
    body = (f"operationId: {op_id}\nsummary: {op_id} summary\ntags: [Tiny]\n"
            f"x-sdk-resource: {resource}\nx-sdk-method: {method}\n"
            + textwrap.dedent(extra)
            + "responses:\n" + textwrap.indent(responses, "  ")
            + '  "400":\n    description: Bad.\n')
    return textwrap.indent(body, "    ")


def build(tmp_path: Path, text: str) -> Service:
    spec = load_text(tmp_path, text, "tiny.yaml")
    assert project_problems([spec]) == []  # the builder only ever sees valid specs
    (service,) = build_api([spec]).services
    return service


def op(service: Service, op_id: str) -> Operation:
    (found,) = [o for o in service.operations if o.operation_id == op_id]
    return found


def json_response(schema: str, status: str = "200") -> str:
    return (f'"{status}":\n  description: OK.\n  content:\n    application/json:\n      schema:\n'
            + textwrap.indent(textwrap.dedent(schema).rstrip("\n") + "\n", "        "))


# -- arguments --------------------------------------------------------------------------------

ARGS_SPEC = mini(
    "/things/{thing-id}:\n  post:\n" + operation("MakeThing", "make", extra="""\
        parameters:
          - name: X-Trace-Id
            in: header
            required: true
            schema: {type: string}
          - name: pageSize
            in: query
            description: Page size.
            schema: {type: integer}
          - name: dryRun
            in: query
            required: true
            schema: {type: boolean}
          - name: thing-id
            in: path
            required: true
            schema: {type: string}
          - name: ratio
            in: query
            schema: {type: number}
          - name: tags
            in: query
            schema:
              type: array
              items: {type: string}
          - name: filter
            in: query
            schema: {type: object}
          - name: timeout
            in: query
            schema: {type: integer}
        requestBody:
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
        """),
    "Thing:\n  type: object\n  properties:\n    name: {type: string}\n",
)


def test_argument_order_required_first_then_path_body_query_header(tmp_path: Path) -> None:
    args = op(build(tmp_path, ARGS_SPEC), "MakeThing").arguments
    assert [(a.python_name, a.location, a.default) for a in args] == [
        ("thing_id", "path", None),
        ("dry_run", "query", None),
        ("x_trace_id", "header", None),
        ("body", "body", "None"),
        ("page_size", "query", "None"),
        ("ratio", "query", "None"),
        ("tags", "query", "None"),
        ("filter", "query", "None"),
        ("timeout_", "query", "None"),
    ]


def test_argument_annotations_and_wire_names(tmp_path: Path) -> None:
    args = {a.python_name: a for a in op(build(tmp_path, ARGS_SPEC), "MakeThing").arguments}
    assert {name: a.annotation for name, a in args.items()} == {
        "thing_id": "str",
        "dry_run": "bool",
        "x_trace_id": "str",
        "body": "Thing | Mapping[str, Any] | None",
        "page_size": "int | None",
        "ratio": "float | None",
        "tags": "list[str] | None",
        "filter": "Any | None",
        "timeout_": "int | None",
    }
    assert args["thing_id"].wire_name == "thing-id"
    assert args["timeout_"].wire_name == "timeout"
    assert args["page_size"].doc == "Page size."
    assert args["body"].wire_name == ""


ENUM_SPEC = mini(
    "/things:\n  get:\n" + operation("ListThings", "list", extra="""\
        parameters:
          - name: colour
            in: query
            required: true
            schema: {type: string, enum: [red, "blue sky", "née"]}
          - name: level
            in: query
            schema: {type: integer, enum: [1, 2]}
          - name: ratio
            in: query
            schema: {type: number, enum: [0.5, 1.5]}
          - name: kind
            in: query
            schema: {$ref: "#/components/schemas/Kind"}
        """),
    "Kind:\n  type: string\n  enum: [A, B]\n",
)


def test_open_enums(tmp_path: Path) -> None:
    args = {a.python_name: a.annotation for a in op(build(tmp_path, ENUM_SPEC), "ListThings").arguments}
    assert args == {
        "colour": 'Literal["red", "blue sky", "née"] | str',
        "level": "Literal[1, 2] | int | None",
        "ratio": "float | None",  # no Literal of floats
        "kind": 'Literal["A", "B"] | str | None',  # through a $ref
    }


def test_open_enums_in_models_document(tmp_path: Path) -> None:
    schemas = build(tmp_path, ENUM_SPEC).models.document["components"]["schemas"]
    assert schemas["Kind"] == {"anyOf": [{"type": "string", "enum": ["A", "B"]}, {"type": "string"}]}


# -- bodies and responses ---------------------------------------------------------------------

THING = "Thing:\n  type: object\n  properties:\n    name: {type: string}\n"


def test_body_and_response_types(tmp_path: Path) -> None:
    text = mini(
        "/things:\n  post:\n" + operation("CreateThing", "create", extra="""\
            requestBody:
              required: true
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Thing"}
            """, responses=json_response('$ref: "#/components/schemas/Thing"', "201"))
        + "  get:\n" + operation("ListThings", "list", responses=json_response(
            'type: array\nitems: {$ref: "#/components/schemas/Thing"}'))
        + "/things/{id}:\n  parameters:\n    - {name: id, in: path, required: true, schema: {type: string}}\n"
        + "  delete:\n" + operation("DeleteThing", "delete", responses='"204":\n  description: Gone.\n')
        + "  get:\n" + operation("DownloadThing", "download", responses=(
            '"200":\n  description: The file.\n  content:\n    application/octet-stream:\n'
            "      schema: {type: string, format: binary}\n")),
        THING,
    )
    service = build(tmp_path, text)
    create = op(service, "CreateThing")
    assert create.body_arg is not None
    assert create.body_arg.annotation == "Thing | Mapping[str, Any]"
    assert (create.response_kind, create.response_type, create.success_statuses) == ("model", "Thing", (201,))
    listed = op(service, "ListThings")
    assert (listed.response_kind, listed.response_type, listed.body_arg) == ("model", "list[Thing]", None)
    delete = op(service, "DeleteThing")
    assert (delete.response_kind, delete.response_type, delete.success_statuses) == ("none", "None", (204,))
    assert [a.python_name for a in delete.arguments] == ["id"]  # from the path item
    download = op(service, "DownloadThing")
    assert (download.response_kind, download.response_type) == ("binary", "bytes")
    assert {(o.operation_id, o.http_method, o.idempotent) for o in service.operations} == {
        ("CreateThing", "POST", False), ("ListThings", "GET", True),
        ("DeleteThing", "DELETE", True), ("DownloadThing", "GET", True)}
    assert op(service, "ListThings").constant == "_LIST_THINGS"
    assert service.model_imports == ("Thing",)


def test_builtins_a_resource_method_shadows_are_qualified(tmp_path: Path) -> None:
    """A method named `list` hides the builtin inside its resource class: that class's
    annotations say `builtins.list`, and the module imports builtins."""
    text = mini(
        "/things:\n  get:\n" + operation("ListThings", "list", extra="""\
            parameters:
              - {name: tag, in: query, schema: {type: array, items: {type: string}}}
            """, responses=json_response('type: array\nitems: {$ref: "#/components/schemas/Thing"}'))
        + "/others:\n  get:\n" + operation("ListOthers", "get", "others", extra="""\
            parameters:
              - {name: tag, in: query, schema: {type: array, items: {type: string}}}
            """, responses=json_response('type: array\nitems: {$ref: "#/components/schemas/Thing"}')),
        THING,
    )
    service = build(tmp_path, text)
    listed, other = op(service, "ListThings"), op(service, "ListOthers")
    assert [a.annotation for a in listed.arguments] == ["builtins.list[str] | None"]
    assert (listed.response_type, listed.return_annotation) == ("list[Thing]", "builtins.list[Thing]")
    assert [a.annotation for a in other.arguments] == ["list[str] | None"]  # no `list` method there
    assert (other.response_type, other.return_annotation) == ("list[Thing]", "list[Thing]")


def test_inline_bodies_and_responses_are_lifted_into_named_models(tmp_path: Path) -> None:
    text = mini(
        "/things:\n  post:\n" + operation("CreateThing", "create", extra="""\
            requestBody:
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      thing-name: {type: string}
            """, responses=json_response("type: object\nproperties:\n  id: {type: string}", "201")),
        # a component already has the name a lifted body would get
        "CreateThingRequest:\n  type: object\n  properties:\n    other: {type: string}\n",
    )
    service = build(tmp_path, text)
    create = op(service, "CreateThing")
    assert create.body_arg is not None
    assert create.body_arg.annotation == "CreateThingRequestBody | Mapping[str, Any] | None"
    assert create.response_type == "CreateThingResponse"
    schemas = service.models.document["components"]["schemas"]
    assert schemas["CreateThingRequestBody"]["properties"] == {"thing-name": {"type": "string"}}
    assert schemas["CreateThingRequest"]["properties"] == {"other": {"type": "string"}}
    assert schemas["CreateThingResponse"]["properties"] == {"id": {"type": "string"}}
    assert service.model_imports == ("CreateThingRequestBody", "CreateThingResponse")
    assert service.models.field_aliases == {"thing-name": "thing_name"}


def test_union_component_body_is_a_named_alias(tmp_path: Path) -> None:
    text = mini(
        "/shapes:\n  post:\n" + operation("DrawShape", "draw", extra="""\
            requestBody:
              required: true
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Shape"}
            """),
        """\
        Shape:
          oneOf:
            - $ref: "#/components/schemas/Circle"
            - $ref: "#/components/schemas/Square"
        Circle:
          type: object
          properties:
            radius: {type: number}
        Square:
          type: object
          properties:
            side: {type: number}
        """,
    )
    service = build(tmp_path, text)
    draw = op(service, "DrawShape")
    assert draw.body_arg is not None
    assert draw.body_arg.annotation == "Shape | Mapping[str, Any]"
    assert service.type_aliases == (("Shape", "Circle | Square"),)
    assert service.model_imports == ("Shape",)  # the client module needs only the alias


# -- variants ---------------------------------------------------------------------------------

VARIANTS_SPEC = mini(
    "/things/{id}/action:\n  post:\n" + textwrap.indent(textwrap.dedent("""\
        operationId: ActOnThing
        summary: Act on a thing
        description: Starts or stops a thing, depending on the body.
        tags: [Tiny]
        x-sdk-resource: things
        x-sdk-variants:
          - operation-id: StartThing
            method: start
            summary: Start a thing
            request-schema: StartRequest
            response-schema: StartResponse
          - operation-id: StopThing
            method: stop
            request-schema: StopRequest
            deprecated: true
        parameters:
          - {name: id, in: path, required: true, schema: {type: string}}
        requestBody:
          required: true
          content:
            application/json:
              schema:
                oneOf:
                  - $ref: "#/components/schemas/StartRequest"
                  - $ref: "#/components/schemas/StopRequest"
        responses:
          "200":
            description: OK.
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Job"}
          "400":
            description: Bad.
        """), "    "),
    """\
    StartRequest:
      type: object
      properties:
        start: {type: object}
    StopRequest:
      type: object
      properties:
        stop: {type: object}
    StartResponse:
      type: object
      properties:
        started: {type: boolean}
    Job:
      type: object
      properties:
        id: {type: string}
    """,
)


def test_variants_become_one_method_each(tmp_path: Path) -> None:
    service = build(tmp_path, VARIANTS_SPEC)
    (resource,) = service.resources
    assert [(o.operation_id, o.method_name, o.http_method, o.path) for o in resource.operations] == [
        ("StartThing", "start", "POST", "/things/{id}/action"),
        ("StopThing", "stop", "POST", "/things/{id}/action"),
    ]
    start, stop = resource.operations
    assert start.body_arg is not None and stop.body_arg is not None
    assert start.body_arg.annotation == "StartRequest | Mapping[str, Any]"
    assert stop.body_arg.annotation == "StopRequest | Mapping[str, Any]"
    assert (start.response_type, stop.response_type) == ("StartResponse", "Job")
    assert (start.summary, stop.summary) == ("Start a thing", "Act on a thing")
    assert (start.deprecated, stop.deprecated) == (False, True)
    assert "Deprecated: the service documents this operation as being retired." in stop.doc.paragraphs
    assert [a.python_name for a in start.arguments] == ["id", "body"]
    assert (start.constant, stop.constant) == ("_START_THING", "_STOP_THING")


# -- pagination -------------------------------------------------------------------------------


def test_query_pagination(tmp_path: Path) -> None:
    service = build_service(tmp_path, BASE_SPEC)
    listed = op(service, "ListWidgets")
    assert listed.pagination is not None
    page = listed.pagination
    assert (page.location, page.start_param, page.size_param, page.start_kind, page.start_base) == (
        "query", "offset", "limit", "record", 0)
    assert (page.items_attr, page.total_attr, page.item_type) == ("widgets", "total", "Widget")
    assert op(service, "ShowWidget").pagination is None


def test_body_pagination_with_renamed_attributes(tmp_path: Path) -> None:
    text = mini(
        "/things/search:\n  post:\n" + operation("SearchThings", "search", extra="""\
            x-sdk-pagination:
              in: body
              start-param: pageNo
              size-param: pageSize
              start-kind: page
              start-base: 1
              items: thing-list
              total: totalCount
            requestBody:
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Search"}
            """, responses=json_response('$ref: "#/components/schemas/ThingPage"')),
        textwrap.dedent("""\
        Search:
          type: object
          properties:
            pageNo: {type: integer}
            pageSize: {type: integer}
        ThingPage:
          type: object
          properties:
            totalCount: {type: integer}
            thing-list:
              type: array
              items: {$ref: "#/components/schemas/Thing"}
        """) + THING,
    )
    page = op(build(tmp_path, text), "SearchThings").pagination
    assert page is not None
    assert (page.location, page.start_param, page.size_param, page.start_kind, page.start_base) == (
        "body", "pageNo", "pageSize", "page", 1)
    assert (page.items_attr, page.total_attr, page.item_type) == ("thing_list", "total_count", "Thing")


# -- client parameters and options ------------------------------------------------------------


def test_client_params_are_not_arguments(tmp_path: Path) -> None:
    service = build_service(tmp_path, BASE_SPEC)
    create = op(service, "CreateWidget")
    assert [(p.wire_name, p.location, p.option, p.required) for p in create.client_params] == [
        ("project_id", "path", "project_id", True), ("workspace", "header", "workspace", False)]
    assert [a.python_name for a in create.arguments] == ["body"]
    names = [o.name for o in service.options]
    assert "workspace" in names and "project_id" not in names  # project_id: on every client
    assert [(v.name, v.default, v.description) for v in service.server_variables] == [
        ("region", "xx-north-1", "Region of the service.")]
    assert service.server_url == "https://widgets.{region}.example.com"


def test_service_names(tmp_path: Path) -> None:
    service = build_service(tmp_path, BASE_SPEC)
    assert (service.name, service.client_stem, service.title) == ("widgets", "Widgets", "Widgets API")
    assert service.spec_file == "spec/widgets.yaml"
    assert [(r.name, r.class_name) for r in service.resources] == [("widgets", "WidgetsResource")]
    assert [o.method_name for o in service.operations] == ["list", "create", "get"]


# -- models document and aliases --------------------------------------------------------------


def test_aliases_only_where_the_wire_name_differs(tmp_path: Path) -> None:
    text = BASE_SPEC.replace(
        "        sizeInCm:\n          type: integer\n",
        "        sizeInCm:\n          type: integer\n        plain_name:\n          type: string\n"
        "        from-link name:\n          type: string\n        class:\n          type: string\n"
        "        json:\n          type: string\n        nested:\n          type: object\n"
        "          properties:\n            innerValue:\n              type: string\n",
    )
    aliases = build_service(tmp_path, text).models.field_aliases
    assert aliases == {
        "class": "class_", "from-link name": "from_link_name", "innerValue": "inner_value",
        "json": "json_", "sizeInCm": "size_in_cm",
    }


def test_models_document_drops_limits_examples_and_extensions(tmp_path: Path) -> None:
    text = BASE_SPEC.replace(
        "          description: Widget name.\n",
        "          description: Widget name.\n          minLength: 1\n          maxLength: 64\n"
        "          pattern: '^[a-z]+$'\n          example: bolt\n          default: bolt\n"
        "          x-internal: true\n",
    ).replace("        sizeInCm:\n          type: integer\n",
              "        sizeInCm:\n          type: integer\n          minimum: 1\n          maximum: 9\n")
    schemas = build_service(tmp_path, text).models.document["components"]["schemas"]
    assert schemas["Widget"]["properties"] == {
        "name": {"type": "string", "description": "Widget name.", "default": "bolt"},
        "sizeInCm": {"type": "integer"},
    }
    assert schemas["Widget"]["required"] == ["name"]


def test_the_docstring_says_what_the_method_does(tmp_path: Path) -> None:
    """The IR holds the docstring's content unwrapped; where it is printed decides the width."""
    description = "Shows one widget" + " in great detail" * 8 + "."
    text = BASE_SPEC.replace(
        "      summary: Show a widget\n",
        f"      summary: Show a widget.\n      description: >-\n        {description}\n"
        "      deprecated: true\n",
    )
    doc = op(build_service(tmp_path, text), "ShowWidget").doc
    assert doc.summary == "Show a widget."
    assert doc.paragraphs == (description,
                              "Deprecated: the service documents this operation as being retired.")
    assert [(s.title, s.entries, s.wrapped) for s in doc.sections] == [
        ("Args", ("widget_id: (undocumented)",), True),
        ("Returns", ("Widget: the parsed response.",), False),
        ("Raises", ("APIStatusError: the service answered with an error status.",
                    "APIConnectionError: the service could not be reached."), False),
    ]


def test_spec_digest_depends_on_every_spec(tmp_path: Path) -> None:
    a = load_text(tmp_path, BASE_SPEC, "a.yaml")
    b = load_text(tmp_path, BASE_SPEC.replace("widgets", "gadgets").replace("Widgets", "Gadgets"),
                  "b.yaml")
    assert build_api([a, b]).spec_digest != build_api([a]).spec_digest
    assert build_api([a, b]).spec_digest == build_api([a, b]).spec_digest


@pytest.mark.parametrize("text", [ARGS_SPEC, ENUM_SPEC, VARIANTS_SPEC, BASE_SPEC])
def test_build_is_deterministic(tmp_path: Path, text: str) -> None:
    assert build(tmp_path, text) == build(tmp_path, text)


ERRORS_SPEC = mini(
    "/things:\n  get:\n" + operation("ShowThing", "get"),
    """\
    Error:
      type: object
      properties:
        code:
          type: string
      x-error-codes:
        - {code: T.0001, status: 400, meaning: already-exists, message: "名字'重复'",
           summary: "Name in use: %s", description: The name is taken., action: Pick another.}
        - {code: T.0002, status: 404, meaning: not-found, message: m2, summary: s2,
           description: d2, action: a2}
        - {code: T.0002, status: 404, message-contains: gone, meaning: not-found, message: m3,
           summary: s3, description: d3, action: a3}
    """,
)


def test_error_codes_become_a_module_of_the_service(tmp_path: Path) -> None:
    service = build(tmp_path, ERRORS_SPEC)
    (module,) = service.modules
    assert (module.name, module.template) == ("error_codes", "error_codes.py.jinja")
    assert [e.code for e in module.data.rows] == ["T.0001", "T.0002", "T.0002"]
    # the fields of the runtime's DocumentedError, in its order (then where the row is written)
    assert dataclasses.astuple(module.data.rows[0]) == (
        "T.0001", 400, "名字'重复'", "Name in use: %s", "The name is taken.", "Pick another.",
        "already-exists", "", "/components/schemas/Error/x-error-codes/0",
    )
    # a code's further rows are the cases of its first one
    (taken, gone) = module.data.documented
    assert (taken.first.code, taken.cases) == ("T.0001", ())
    assert (gone.first.message, [c.message_contains for c in gone.cases]) == ("m2", ["gone"])
    assert service.error_codes_module == "dataarts.tiny.error_codes"


def test_a_service_without_error_codes_has_no_module(tmp_path: Path) -> None:
    service = build(tmp_path, mini("/things:\n  get:\n" + operation("ShowThing", "get")))
    assert service.modules == () and service.error_codes_module == ""
