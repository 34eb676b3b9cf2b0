"""`generator.validate`: each project rule, accepting the valid case and locating the broken one.

Specs are BASE_SPEC with edits; `# @name` comments mark the line a problem must be reported at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.openapi_rules import openapi_problems
from generator.validate import project_problems
from tests.generator.conftest import BASE_SPEC, line_of, load_text, replace_once

LIST = "/paths/~1v1~1{project_id}~1widgets/get"
CREATE = "/paths/~1v1~1{project_id}~1widgets/post"
SHOW = "/paths/~1v1~1{project_id}~1widgets~1{widget_id}/get"
SHOW_OP = ("    get:\n      operationId: ShowWidget\n", "    get:  # @op\n      operationId: ShowWidget\n")


def edited(*pairs: tuple[str, str], text: str = BASE_SPEC) -> str:
    for old, new in pairs:
        text = replace_once(text, old, new)
    return text


def problems(tmp_path: Path, *pairs: tuple[str, str]) -> list[tuple[int, str, str]]:
    """(line, pointer, message) of each project-rule problem of BASE_SPEC with `pairs` applied."""
    spec = load_text(tmp_path, edited(*pairs))
    return sorted((p.line, p.pointer, p.message) for p in project_problems([spec]))


def at(tmp_path: Path, marker: str) -> int:
    return line_of((tmp_path / "spec" / "widgets.yaml").read_text(), marker)


# -- the valid base ---------------------------------------------------------------------------


def test_base_spec_is_valid(tmp_path: Path) -> None:
    spec = load_text(tmp_path, BASE_SPEC)
    assert project_problems([spec]) == []
    assert openapi_problems(spec) == []


# -- root -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["Widgets", "my-widgets", "2widgets", "_widgets", "1"])
def test_service_must_be_snake_case(tmp_path: Path, value: str) -> None:
    found = problems(tmp_path, ("x-sdk-service: widgets", f"x-sdk-service: '{value}'  # @here"))
    assert found == [(at(tmp_path, "# @here"), "/x-sdk-service",
                      "x-sdk-service must be a snake_case Python identifier")]


@pytest.mark.parametrize("value", ["widgets", "Widgets_Api", "Widgets-Api", "9Widgets"])
def test_client_must_be_pascal_case(tmp_path: Path, value: str) -> None:
    found = problems(tmp_path, ("x-sdk-client: Widgets", f"x-sdk-client: '{value}'  # @here"))
    assert found == [(at(tmp_path, "# @here"), "/x-sdk-client",
                      "x-sdk-client must be a PascalCase identifier")]


def test_service_and_client_are_required(tmp_path: Path) -> None:
    found = problems(tmp_path, ("x-sdk-service: widgets\nx-sdk-client: Widgets\n", ""))
    assert found == sorted([
        (1, "/x-sdk-service", "x-sdk-service must be a snake_case Python identifier"),
        (1, "/x-sdk-client", "x-sdk-client must be a PascalCase identifier"),
    ])


def test_a_server_is_required(tmp_path: Path) -> None:
    servers = BASE_SPEC[BASE_SPEC.index("servers:"):BASE_SPEC.index("tags:")]
    assert problems(tmp_path, (servers, "servers: []  # @here\n")) == [
        (at(tmp_path, "# @here"), "/servers",
         "at least one server is required (the client builds its base URL from it)")
    ]


# -- $ref -------------------------------------------------------------------------------------


def test_unresolved_and_external_refs(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        ('$ref: "#/components/schemas/WidgetList"', '$ref: "#/components/schemas/Nope"  # @a'),
        ('- $ref: "#/components/parameters/Workspace"',
         '- $ref: "other.yaml#/components/parameters/Workspace"  # @b'),
        ("        sizeInCm:\n          type: integer\n",
         "        sizeInCm:\n          $ref: 7  # @c\n"),
    )
    assert found == sorted([
        (at(tmp_path, "# @a"), LIST + "/responses/200/content/application~1json/schema/$ref",
         "unresolved reference '#/components/schemas/Nope'"),
        (at(tmp_path, "# @b"), CREATE + "/parameters/1/$ref",
         ("only local references ('#/...') are supported, got "
         "'other.yaml#/components/parameters/Workspace'")),
        (at(tmp_path, "# @c"), "/components/schemas/Widget/properties/sizeInCm/$ref",
         "only local references ('#/...') are supported, got 7"),
    ])


def test_ref_problems_stop_the_other_rules(tmp_path: Path) -> None:
    """Later rules follow $refs; with a broken one only the reference problems are reported."""
    found = problems(tmp_path, ('$ref: "#/components/schemas/WidgetList"', '$ref: "#/nope"'),
                     ("x-sdk-client: Widgets", "x-sdk-client: widgets"))
    assert [message for _, _, message in found] == ["unresolved reference '#/nope'"]


def test_refs_inside_vendor_extensions_are_data(tmp_path: Path) -> None:
    assert problems(tmp_path, ("x-sdk-client: Widgets\n",
                               "x-sdk-client: Widgets\nx-notes:\n  $ref: nowhere\n")) == []


def test_refs_with_escaped_tokens_resolve(tmp_path: Path) -> None:
    assert problems(tmp_path, (
        '$ref: "#/components/schemas/Error"',
        ('$ref: "#/paths/~1v1~1{project_id}~1widgets/post/requestBody/content/'
        'application~1json/schema"'),
    )) == []


# -- operations -------------------------------------------------------------------------------


def test_operation_id_summary_and_tags_are_required(tmp_path: Path) -> None:
    found = problems(tmp_path, (
        ("    get:\n      operationId: ShowWidget\n      summary: Show a widget\n"
        "      tags:\n        - Widgets\n"),
        "    get:  # @op\n      tags: []\n",
    ))
    line = at(tmp_path, "# @op")
    what = "operation GET /v1/{project_id}/widgets/{widget_id}"
    assert found == sorted([(line, SHOW, "operation has no operationId"),
                     (line, SHOW, f"{what} has no summary"),
                     (line, SHOW, f"{what} has no tags")])


def test_operation_id_must_be_pascal_case(tmp_path: Path) -> None:
    assert problems(tmp_path, ("operationId: ShowWidget", "operationId: showWidget  # @here")) == [
        (at(tmp_path, "# @here"), SHOW + "/operationId", "operationId 'showWidget' must be PascalCase")
    ]


def test_duplicate_operation_ids(tmp_path: Path) -> None:
    assert problems(tmp_path, ("operationId: ShowWidget", "operationId: CreateWidget  # @here")) == [
        (at(tmp_path, "# @here"), SHOW + "/operationId",
         f"duplicate operationId 'CreateWidget' (also at {CREATE}/operationId)")
    ]


def test_operation_ids_must_not_collide_as_constants(tmp_path: Path) -> None:
    """Each operation gets a module constant (_SHOW_WIDGET); a second would replace the first."""
    found = problems(tmp_path, ("operationId: ListWidgets", "operationId: ShowWidget"),
                     ("operationId: ShowWidget\n      summary: Show",
                      "operationId: ShowWIDGET  # @here\n      summary: Show"))
    assert [(line, ptr) for line, ptr, _ in found] == [(at(tmp_path, "# @here"), SHOW + "/operationId")]
    assert "_SHOW_WIDGET" in found[0][2]


def test_responses_required(tmp_path: Path) -> None:
    show = BASE_SPEC[BASE_SPEC.index("operationId: ShowWidget"):BASE_SPEC.index("components:")]
    responses = show[show.index("      responses:"):]
    assert problems(tmp_path, SHOW_OP, (responses, "      responses: {}\n")) == [
        (at(tmp_path, "# @op"), SHOW, "operation ShowWidget has no responses")
    ]


def test_a_2xx_and_an_error_response_are_required(tmp_path: Path) -> None:
    show = BASE_SPEC[BASE_SPEC.index("operationId: ShowWidget"):BASE_SPEC.index("components:")]
    responses = show[show.index("      responses:"):]
    found = problems(tmp_path, (responses, ("      responses:  # @here\n"
                                           '        "304":\n          description: Not modified.\n')))
    line = at(tmp_path, "# @here")
    assert found == sorted([
        (line, SHOW + "/responses", "operation ShowWidget has no 2xx response"),
        (line, SHOW + "/responses",
         "operation ShowWidget has no error response (4xx, 5xx or default)"),
    ])


@pytest.mark.parametrize("code", ['"4XX"', '"503"', "default"])
def test_error_responses_may_be_ranges_5xx_or_default(tmp_path: Path, code: str) -> None:
    assert problems(tmp_path, (('        "400":\n          $ref: "#/components/responses/Error"\n'
                               "    post:"),
                               (f'        {code}:\n          $ref: "#/components/responses/Error"\n'
                               "    post:"))) == []


def test_status_codes_must_be_quoted(tmp_path: Path) -> None:
    assert problems(tmp_path, ('        "201":\n', "        201:  # @here\n")) == [
        (at(tmp_path, "# @here"), CREATE + "/responses/201", "status code 201 must be a quoted string")
    ]


# -- resources and methods --------------------------------------------------------------------


def test_resource_and_method_required(tmp_path: Path) -> None:
    found = problems(tmp_path, SHOW_OP, ("      x-sdk-resource: widgets\n      x-sdk-method: get\n", ""))
    line = at(tmp_path, "# @op")
    assert found == sorted([
        (line, SHOW, "operation ShowWidget needs x-sdk-resource, a snake_case identifier"),
        (line, SHOW, "operation ShowWidget needs x-sdk-method (or x-sdk-variants)"),
    ])


def test_resource_must_be_snake_case(tmp_path: Path) -> None:
    found = problems(tmp_path, SHOW_OP, ("      x-sdk-resource: widgets\n      x-sdk-method: get\n",
                                         "      x-sdk-resource: Widgets\n      x-sdk-method: get\n"))
    assert found == [(at(tmp_path, "# @op"), SHOW,
                      "operation ShowWidget needs x-sdk-resource, a snake_case identifier")]


def test_method_must_be_snake_case(tmp_path: Path) -> None:
    assert problems(tmp_path, ("x-sdk-method: get", "x-sdk-method: getOne  # @here")) == [
        (at(tmp_path, "# @here"), SHOW + "/x-sdk-method",
         "SDK method name 'getOne' must be a snake_case identifier")
    ]


def test_method_collisions(tmp_path: Path) -> None:
    assert problems(tmp_path, ("x-sdk-method: get", "x-sdk-method: create  # @here")) == [
        (at(tmp_path, "# @here"), SHOW + "/x-sdk-method",
         f"SDK method widgets.create collides with {CREATE}/x-sdk-method")
    ]


def test_same_method_on_different_resources_is_fine(tmp_path: Path) -> None:
    assert problems(tmp_path, (
        "      x-sdk-resource: widgets\n      x-sdk-method: get\n",
        "      x-sdk-resource: widget_parts\n      x-sdk-method: create\n",
    )) == []


def test_keywords_are_escaped_before_comparing(tmp_path: Path) -> None:
    assert problems(tmp_path, ("x-sdk-method: create", "x-sdk-method: import_"),
                    ("x-sdk-method: get", "x-sdk-method: import  # @here")) == [
        (at(tmp_path, "# @here"), SHOW + "/x-sdk-method",
         f"SDK method widgets.import_ collides with {CREATE}/x-sdk-method")
    ]


def test_pagination_iterator_counts_as_a_method(tmp_path: Path) -> None:
    assert problems(tmp_path, ("x-sdk-method: get", "x-sdk-method: iter_list  # @here")) == [
        (at(tmp_path, "# @here"), SHOW + "/x-sdk-method",
         f"SDK method widgets.iter_list collides with {LIST}/x-sdk-pagination")
    ]


BINARY_SHOW = (
    '              schema:\n                $ref: "#/components/schemas/Widget"\n        default:',
    "              schema:\n                type: string\n                format: binary\n        default:",
)


def test_download_method_counts_as_a_method(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        ('            application/json:\n' + BINARY_SHOW[0],
         '            application/octet-stream:\n' + BINARY_SHOW[1]),
        ("x-sdk-method: create", "x-sdk-method: get_to_file  # @here"),
    )
    assert [(line, ptr) for line, ptr, _ in found] == [(at(tmp_path, "# @here"), CREATE + "/x-sdk-method")]


# -- parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["project_id", "workspace", "language"])
def test_known_client_options(tmp_path: Path, option: str) -> None:
    assert problems(tmp_path, ("x-sdk-client-option: workspace", f"x-sdk-client-option: {option}")) == []


def test_unknown_client_option(tmp_path: Path) -> None:
    found = problems(tmp_path, ("        - name: colour\n",
                                ("        - name: tenant  # @here\n          in: query\n"
                                "          x-sdk-client-option: tenant\n        - name: colour\n")))
    assert found == [(at(tmp_path, "# @here"), LIST + "/parameters/3",
                      "unknown x-sdk-client-option 'tenant'; known: language, project_id, workspace")]


def test_parameters_colliding_as_arguments(tmp_path: Path) -> None:
    found = problems(tmp_path, ("        - name: colour\n",
                                ("        - name: jobName\n          in: query\n"
                                "        - name: job_name  # @here\n          in: header\n"
                                "        - name: colour\n")))
    assert found == [(at(tmp_path, "# @here"), LIST + "/parameters/4",
                      "parameter 'job_name' becomes Python argument 'job_name', like 'jobName'")]


def test_parameter_colliding_with_an_escaped_reserved_name(tmp_path: Path) -> None:
    """`body` becomes `body_` (the request body is `body`), so `body_` may not be used as well."""
    found = problems(tmp_path, ("        - name: colour\n",
                                ("        - name: body\n          in: query\n"
                                "        - name: body_  # @here\n          in: query\n"
                                "        - name: colour\n")))
    assert found == [(at(tmp_path, "# @here"), LIST + "/parameters/4",
                      "parameter 'body_' becomes Python argument 'body_', like 'body'")]


def test_client_option_parameters_are_not_arguments(tmp_path: Path) -> None:
    """A `projectId` query argument does not collide with the `project_id` client option."""
    assert problems(tmp_path, ("        - name: colour\n",
                               ("        - name: projectId\n          in: query\n"
                               "        - name: colour\n"))) == []


def test_path_item_parameters_are_declared_for_every_operation(tmp_path: Path) -> None:
    found = problems(tmp_path, (
        "  /v1/{project_id}/widgets/{widget_id}:\n    get:",
        ("  /v1/{project_id}/widgets/{widget_id}:\n    parameters:\n      - name: widget_id\n"
        "        in: path\n        required: true\n        schema:\n          type: string\n    get:"),
    ), (("        - name: widget_id\n          in: path\n          required: true\n"
        "          schema:\n            type: string\n"), ""))
    assert found == []


def test_path_template_and_declared_path_parameters_must_agree(tmp_path: Path) -> None:
    found = problems(tmp_path, SHOW_OP, ("        - name: widget_id\n", "        - name: widgetId\n"))
    line = at(tmp_path, "# @op")
    assert found == sorted([
        (line, SHOW, ("path parameter {widget_id} of /v1/{project_id}/widgets/{widget_id} "
                     "is not declared")),
        (line, SHOW, ("path parameter 'widgetId' is declared but not in the path "
                     "/v1/{project_id}/widgets/{widget_id}")),
    ])


# -- variants ---------------------------------------------------------------------------------

VARIANTS = (
    "      x-sdk-method: create\n",
    ("      x-sdk-variants:\n"
    "        - operation-id: CreateRedWidget\n"
    "          method: create_red\n"
    "          summary: Create a red widget\n"
    "          request-schema: Widget\n"
    "          response-schema: Widget\n"
    "        - operation-id: CreateBlueWidget\n"
    "          method: create_blue\n"
    "          request-schema: Widget\n"
    "          deprecated: true\n"),
)
V0 = CREATE + "/x-sdk-variants/0"


def test_valid_variants(tmp_path: Path) -> None:
    assert problems(tmp_path, VARIANTS) == []


@pytest.mark.parametrize("value", ["[]", "{}", "create"])
def test_variants_must_be_a_non_empty_list(tmp_path: Path, value: str) -> None:
    assert problems(tmp_path, ("      x-sdk-method: create\n",
                               f"      x-sdk-variants: {value}  # @here\n")) == [
        (at(tmp_path, "# @here"), CREATE + "/x-sdk-variants", "x-sdk-variants must be a non-empty list")
    ]


def test_variant_must_be_a_mapping(tmp_path: Path) -> None:
    found = problems(tmp_path, VARIANTS, (("        - operation-id: CreateRedWidget\n"
                                          "          method: create_red\n"),
                                          ("        - just-a-string  # @here\n"
                                          "        - operation-id: CreateRedWidget\n"
                                          "          method: create_red\n")))
    assert found == [(at(tmp_path, "# @here"), V0, "variant must be a mapping")]


def test_variant_keys(tmp_path: Path) -> None:
    found = problems(tmp_path, VARIANTS, ("          method: create_red\n", "          colour: red  # @here\n"))
    line = at(tmp_path, "# @here")
    assert found == sorted([(line, V0 + "/colour", "unknown variant key 'colour'"),
                     (line - 1, V0, "variant needs method")])


def test_variant_schemas_must_exist(tmp_path: Path) -> None:
    found = problems(tmp_path, VARIANTS,
                     ("          request-schema: Widget\n          response-schema: Widget\n",
                      "          request-schema: Red  # @req\n          response-schema: Reds  # @res\n"))
    assert found == sorted([(at(tmp_path, "# @req"), V0 + "/request-schema", "no component schema named 'Red'"),
                     (at(tmp_path, "# @res"), V0 + "/response-schema", "no component schema named 'Reds'")])


def test_variant_operation_ids_and_methods_must_be_unique(tmp_path: Path) -> None:
    found = problems(tmp_path, VARIANTS,
                     ("operation-id: CreateBlueWidget", "operation-id: ListWidgets  # @id"),
                     ("method: create_blue", "method: list  # @method"))
    assert found == sorted([
        (at(tmp_path, "# @method"), CREATE + "/x-sdk-variants/1/method",
         f"SDK method widgets.list collides with {LIST}/x-sdk-method"),
        (at(tmp_path, "# @id"), CREATE + "/x-sdk-variants/1/operation-id",
         f"duplicate operationId 'ListWidgets' (also at {LIST}/operationId)"),
    ])


# -- pagination -------------------------------------------------------------------------------

PAGE = LIST + "/x-sdk-pagination"
PAGINATION = BASE_SPEC[BASE_SPEC.index("      x-sdk-pagination:\n"):BASE_SPEC.index("      parameters:\n")]


def pagination(text: str) -> tuple[str, str]:
    return PAGINATION, text


def test_pagination_must_be_a_mapping(tmp_path: Path) -> None:
    assert problems(tmp_path, pagination("      x-sdk-pagination: yes  # @here\n")) == [
        (at(tmp_path, "# @here"), PAGE, "x-sdk-pagination must be a mapping")
    ]


def test_pagination_keys(tmp_path: Path) -> None:
    found = problems(tmp_path, pagination("      x-sdk-pagination:  # @here\n        colour: red  # @key\n"))
    line = at(tmp_path, "# @here")
    messages = [(ln, ptr, msg) for ln, ptr, msg in found]
    assert (at(tmp_path, "# @key"), PAGE + "/colour", "unknown x-sdk-pagination key 'colour'") in messages
    for key in ("in", "start-param", "size-param", "start-kind", "items"):
        assert (line, PAGE, f"x-sdk-pagination needs {key!r}") in messages


def test_pagination_values(tmp_path: Path) -> None:
    found = problems(tmp_path, ("start-kind: record", "start-kind: records  # @kind"),
                     ("start-base: 0", "start-base: one  # @base"))
    assert found == sorted([
        (at(tmp_path, "# @kind"), PAGE + "/start-kind", "start-kind must be 'page' or 'record'"),
        (at(tmp_path, "# @base"), PAGE + "/start-base", "start-base must be an integer"),
    ])


def test_pagination_location(tmp_path: Path) -> None:
    assert problems(tmp_path, ("        in: query\n        start-param",
                               "        in: header  # @here\n        start-param")) == [
        (at(tmp_path, "# @here"), PAGE + "/in", "in must be 'query' or 'body'")
    ]


def test_pagination_query_parameters_must_be_declared(tmp_path: Path) -> None:
    found = problems(tmp_path, ("start-param: offset", "start-param: page  # @a"),
                     ("size-param: limit", "size-param: size  # @b"))
    assert found == sorted([
        (at(tmp_path, "# @a"), PAGE + "/start-param", "start-param 'page' is not a declared query parameter"),
        (at(tmp_path, "# @b"), PAGE + "/size-param", "size-param 'size' is not a declared query parameter"),
    ])


BODY_PAGED = (
    ("x-sdk-method: create\n", ("x-sdk-method: search\n      x-sdk-pagination:\n        in: body\n"
     "        start-param: offset\n        size-param: limit  # @size\n        start-kind: page\n"
     "        items: widgets\n")),
    (("              $ref: \"#/components/schemas/Widget\"\n      responses:\n        \"201\":\n"
     "          description: Created.\n          content:\n            application/json:\n"
     "              schema:\n                $ref: \"#/components/schemas/Widget\"\n"),
     ("              $ref: \"#/components/schemas/Search\"\n      responses:\n        \"201\":\n"
     "          description: Found.\n          content:\n            application/json:\n"
     "              schema:\n                $ref: \"#/components/schemas/WidgetList\"\n")),
    ("  schemas:\n", ("  schemas:\n    Search:\n      allOf:\n        - $ref: \"#/components/schemas/Page\"\n"
     "        - type: object\n          properties:\n            colour:\n              type: string\n"
     "    Page:\n      type: object\n      properties:\n        offset:\n          type: integer\n"
     "        limit:\n          type: integer\n")),
)


def test_body_pagination_may_use_properties_of_all_of_parts(tmp_path: Path) -> None:
    assert problems(tmp_path, *BODY_PAGED) == []


def test_body_pagination_properties_must_exist(tmp_path: Path) -> None:
    found = problems(tmp_path, *BODY_PAGED, ("        limit:\n          type: integer\n    Widget:",
                                             "        size:\n          type: integer\n    Widget:"))
    assert found == [(at(tmp_path, "# @size"), CREATE + "/x-sdk-pagination/size-param",
                      "size-param 'limit' is not a property of the request body")]


def test_pagination_items_and_total_must_be_response_properties(tmp_path: Path) -> None:
    found = problems(tmp_path, ("items: widgets", "items: things  # @items"),
                     ("total: total", "total: count  # @total"))
    assert found == sorted([
        (at(tmp_path, "# @items"), PAGE + "/items", "the 2xx response has no property 'things'"),
        (at(tmp_path, "# @total"), PAGE + "/total", "the 2xx response has no property 'count'"),
    ])


def test_pagination_items_must_be_an_array_of_a_component(tmp_path: Path) -> None:
    found = problems(tmp_path, ("items: widgets", "items: widgets  # @items"),
                     ('          items:\n            $ref: "#/components/schemas/Widget"\n',
                      "          items:\n            type: string\n"))
    assert found == [(at(tmp_path, "# @items"), PAGE + "/items",
                      "the items of 'widgets' must $ref a component schema")]
    found = problems(tmp_path, ("items: widgets", "items: total  # @items"))
    assert found == [(at(tmp_path, "# @items"), PAGE + "/items",
                      "response property 'total' is not an array")]


# -- schemas and services ---------------------------------------------------------------------


def test_component_schema_names_must_be_pascal_case(tmp_path: Path) -> None:
    found = problems(tmp_path, ("    Error:\n      type: object", "    error_body:  # @here\n      type: object"),
                     ('$ref: "#/components/schemas/Error"', '$ref: "#/components/schemas/error_body"'))
    assert found == [(at(tmp_path, "# @here"), "/components/schemas/error_body",
                      "component schema name 'error_body' must be a PascalCase identifier")]


@pytest.mark.parametrize(("first", "second", "python"), [
    ("sizeInCm", "size_in_cm", "size_in_cm"),
    ("size-in-cm", "Size In Cm", "size_in_cm"),
    ("schema", "schema_", "schema_"),  # `schema` is escaped: BaseModel.schema exists
    ("class", "class_", "class_"),
])
def test_properties_colliding_as_fields(tmp_path: Path, first: str, second: str, python: str) -> None:
    found = problems(tmp_path, ("        sizeInCm:\n          type: integer\n",
                                (f"        '{first}':\n          type: integer\n"
                                f"        '{second}':  # @here\n          type: integer\n")))
    assert found == [(at(tmp_path, "# @here"), f"/components/schemas/Widget/properties/{second}",
                      f"properties {first!r} and {second!r} both become Python field {python!r}")]


def test_inline_schemas_are_checked_too(tmp_path: Path) -> None:
    found = problems(tmp_path, ('            schema:\n              $ref: "#/components/schemas/Widget"\n',
                                ("            schema:\n              type: object\n              properties:\n"
                                "                a-b:\n                  type: string\n"
                                "                a_b:  # @here\n                  type: string\n")))
    assert found == [(at(tmp_path, "# @here"),
                      CREATE + "/requestBody/content/application~1json/schema/properties/a_b",
                      "properties 'a-b' and 'a_b' both become Python field 'a_b'")]


def test_two_specs_with_one_service(tmp_path: Path) -> None:
    a = load_text(tmp_path, BASE_SPEC, "a.yaml")
    b = load_text(tmp_path, BASE_SPEC.replace("x-sdk-client: Widgets", "x-sdk-client: Gadgets"), "b.yaml")
    (problem,) = project_problems([a, b])
    assert (problem.file, problem.line, problem.pointer) == (
        "spec/b.yaml", line_of(BASE_SPEC, "x-sdk-service"), "/x-sdk-service")
    assert "'widgets'" in problem.message and "spec/a.yaml" in problem.message


def test_two_specs_with_one_client(tmp_path: Path) -> None:
    a = load_text(tmp_path, BASE_SPEC, "a.yaml")
    b = load_text(tmp_path, BASE_SPEC.replace("x-sdk-service: widgets", "x-sdk-service: gadgets"), "b.yaml")
    (problem,) = project_problems([a, b])
    assert (problem.file, problem.line, problem.pointer) == (
        "spec/b.yaml", line_of(BASE_SPEC, "x-sdk-client: Widgets"), "/x-sdk-client")
    assert "'Widgets'" in problem.message and "spec/a.yaml" in problem.message


# -- openapi-spec-validator -------------------------------------------------------------------


def test_validator_problems_are_located(tmp_path: Path) -> None:
    text = edited(("          type: integer\n    WidgetList:", "          type: intger  # @here\n    WidgetList:"))
    spec = load_text(tmp_path, text)
    found = [(p.line, p.pointer) for p in openapi_problems(spec)]
    assert (line_of(text, "# @here"), "/components/schemas/Widget/properties/sizeInCm/type") in found


def test_validator_crash_becomes_a_problem(tmp_path: Path) -> None:
    spec = load_text(tmp_path, edited(('        "201":\n', "        201:\n")))
    (problem,) = openapi_problems(spec)
    assert problem.message.startswith("openapi-spec-validator failed: ")
    assert len(problem.message) <= 200


def test_property_names_must_be_strings(tmp_path: Path) -> None:
    on = "        on:  # @here\n          type: string\n        sizeInCm:\n"
    found = problems(tmp_path, ("        sizeInCm:\n", on))
    where = "/components/schemas/Widget/properties/"
    assert [(line, ptr.startswith(where)) for line, ptr, _ in found] == [(at(tmp_path, "# @here"), True)]


# -- required ---------------------------------------------------------------------------------


def test_required_must_name_a_declared_property(tmp_path: Path) -> None:
    found = problems(tmp_path, ("        - name\n", "        - name\n        - colour  # @req\n"))
    assert found == [(at(tmp_path, "# @req"), "/components/schemas/Widget/required/1",
                      "required property 'colour' is not among the declared properties")]


def test_required_in_a_composed_schema_may_name_a_siblings_property(tmp_path: Path) -> None:
    composed = """\
    BigWidget:
      allOf:
        - $ref: "#/components/schemas/Widget"
        - type: object
          required:
            - name
            - weight
          properties:
            weight:
              type: integer
    WidgetList:
"""
    assert problems(tmp_path, ("    WidgetList:\n", composed)) == []


# -- x-error-codes ----------------------------------------------------------------------------

ERROR_ROW = ("{code: W.0001, status: 400, meaning: not-found, message: m, summary: s, "
             "description: d, action: a}")


def with_error_codes(tmp_path: Path, *rows: str) -> list[tuple[int, str, str]]:
    listing = "".join(f"        - {row}\n" for row in rows)
    return problems(tmp_path, ("    Error:\n      type: object\n",
                               "    Error:\n      type: object\n      x-error-codes:\n" + listing))


def test_error_code_rows_are_accepted(tmp_path: Path) -> None:
    assert with_error_codes(tmp_path, ERROR_ROW, ERROR_ROW.replace("W.0001", "W.0002")) == []


def test_a_code_may_have_a_row_per_status_and_per_message(tmp_path: Path) -> None:
    assert with_error_codes(
        tmp_path, ERROR_ROW, ERROR_ROW.replace("status: 400", "status: 502"),
        ERROR_ROW.replace("status: 400,", "status: 400, message-contains: expired,"),
    ) == []


MEANING_MESSAGE = (
    "meaning 'missing' is none of not-found, already-exists, invalid-state, throttled, "
    "quota-exceeded, unauthenticated, permission-denied, wrong-endpoint, invalid-request, "
    "server-error, operation-failed"
)
KEYS_MESSAGE = (
    "an error-code row has the keys code, status, message-contains, meaning, message, summary, "
    "description, action, in this order (message-contains may be left out)"
)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ERROR_ROW.replace(", action: a", ""), KEYS_MESSAGE),
        (ERROR_ROW.replace(" meaning: not-found,", ""), KEYS_MESSAGE),
        (ERROR_ROW.replace("meaning: not-found, message: m", "message: m, meaning: not-found"),
         KEYS_MESSAGE),
        (ERROR_ROW.replace("status: 400", "status: '400'"),
         "an error-code row's status is an integer and the rest are strings"),
        ("W.0001", KEYS_MESSAGE),
        (ERROR_ROW.replace("not-found", "missing"), MEANING_MESSAGE),
        (ERROR_ROW.replace("status: 400,", "status: 400, message-contains: ' ',"),
         "message-contains must not be empty"),
    ],
)
def test_malformed_error_code_rows(tmp_path: Path, row: str, message: str) -> None:
    found = with_error_codes(tmp_path, row + "  # @row")
    assert found == [(at(tmp_path, "# @row"), "/components/schemas/Error/x-error-codes/0", message)]


def test_an_error_code_listed_twice(tmp_path: Path) -> None:
    found = with_error_codes(tmp_path, ERROR_ROW, ERROR_ROW + "  # @row")
    twice = "code 'W.0001', status 400 is listed twice (first at /components/schemas/Error/x-error-codes/0)"
    assert found == [(at(tmp_path, "# @row"), "/components/schemas/Error/x-error-codes/1/code", twice)]


def test_a_code_narrowed_by_its_message_comes_after_its_general_row(tmp_path: Path) -> None:
    narrowed = ERROR_ROW.replace("status: 400,", "status: 400, message-contains: expired,")
    found = with_error_codes(tmp_path, narrowed + "  # @row", ERROR_ROW)
    first = ("the first row of code 'W.0001' is its general one: a row with message-contains "
             "narrows a code listed before it")
    assert found == [(at(tmp_path, "# @row"),
                      "/components/schemas/Error/x-error-codes/0/message-contains", first)]


def test_a_code_two_specs_list_means_the_same_in_both(tmp_path: Path) -> None:
    def spec(row: str, service: str) -> str:
        return edited(("    Error:\n      type: object\n",
                       f"    Error:\n      type: object\n      x-error-codes:\n        - {row}\n"),
                      ("x-sdk-service: widgets", f"x-sdk-service: {service}"),
                      ("x-sdk-client: Widgets", f"x-sdk-client: {service.title()}"))

    a = load_text(tmp_path, spec(ERROR_ROW, "widgets"), "a.yaml")
    same = load_text(tmp_path, spec(ERROR_ROW, "gadgets"), "b.yaml")
    assert project_problems([a, same]) == []
    other = spec(ERROR_ROW.replace("not-found", "invalid-request") + "  # @row", "gadgets")
    b = load_text(tmp_path, other, "b.yaml")
    (problem,) = project_problems([a, b])
    assert (problem.file, problem.line, problem.pointer) == (
        "spec/b.yaml", line_of(other, "# @row"), "/components/schemas/Error/x-error-codes/0/code")
    assert problem.message == ("code 'W.0001' is listed differently in spec/a.yaml: a code "
                               "means one thing")


# -- x-required-when ----------------------------------------------------------------------------

SIZE = "        sizeInCm:\n          type: integer\n"
KIND = "        kind:\n          type: string\n          enum: [small, large]\n"
WIDGET_PROP = "/components/schemas/Widget/properties/sizeInCm/x-required-when"
NOT_A_MAPPING = (
    "x-required-when must be a non-empty mapping of a key to the list of values under which the "
    "field is required"
)


def with_condition(tmp_path: Path, condition: str) -> list[tuple[int, str, str]]:
    """Problems of BASE_SPEC whose Widget.sizeInCm carries `x-required-when: <condition>`."""
    return problems(tmp_path, (SIZE, SIZE + f"          x-required-when: {condition}  # @here\n"
                               + KIND))


@pytest.mark.parametrize("condition", ["{kind: [large]}", "{kind: [small, large], name: [big]}"])
def test_a_condition_on_sibling_properties_is_accepted(tmp_path: Path, condition: str) -> None:
    assert with_condition(tmp_path, condition) == []


@pytest.mark.parametrize(
    ("condition", "where", "message"),
    [
        ("[kind]", "", NOT_A_MAPPING),
        ("{}", "", NOT_A_MAPPING),
        ("{kind: large}", "/kind", "condition 'kind' needs a non-empty list of values"),
        ("{kind: []}", "/kind", "condition 'kind' needs a non-empty list of values"),
        ("{kind: [[large]]}", "/kind",
         "condition 'kind': values must be scalars (strings, numbers, booleans)"),
        ("{kind: [null]}", "/kind",
         "condition 'kind': values must be scalars (strings, numbers, booleans)"),
        ("{colour: [red]}", "/colour", "condition key 'colour' is not a sibling property of 'sizeInCm'"),
        ("{sizeInCm: [1]}", "/sizeInCm",
         "condition key 'sizeInCm' is not a sibling property of 'sizeInCm'"),
        ("{kind: [medium]}", "/kind", "condition 'kind': 'medium' is not one of its values (small, large)"),
    ],
)
def test_malformed_conditions_on_a_property(
    tmp_path: Path, condition: str, where: str, message: str
) -> None:
    assert with_condition(tmp_path, condition) == [(at(tmp_path, "# @here"), WIDGET_PROP + where, message)]


def test_a_conditionally_required_property_is_not_in_required(tmp_path: Path) -> None:
    found = problems(tmp_path, (
        "          description: Widget name.\n",
        "          description: Widget name.\n          x-required-when: {sizeInCm: [3]}  # @here\n",
    ))
    assert found == [(at(tmp_path, "# @here"),
                      "/components/schemas/Widget/properties/name/x-required-when",
                      "'name' carries x-required-when, so it is not listed in `required`")]


def test_a_condition_outside_a_property_or_catalogue_is_reported(tmp_path: Path) -> None:
    found = problems(tmp_path, ("      x-sdk-method: create\n",
                                "      x-sdk-method: create\n      x-required-when: {a: [b]}  # @here\n"))
    message = ("x-required-when belongs on a schema property or a catalogue parameter "
               "(x-cdm-parameters, x-dlf-node-types)")
    assert found == [(at(tmp_path, "# @here"), CREATE + "/x-required-when", message)]


CATALOGUE = """\
      x-cdm-parameters:
        link-config-values:
          thing:
            connectors: [thing-connector]
            parameters:
              - name: linkConfig.version
                type: string
                required: true
                enum: [V1, V2]
              - name: linkConfig.useTls
                type: boolean
                required: false
              - name: linkConfig.mode
                type: string
                required: {required}
                x-required-when: {condition}  # @here
          other:
            connectors: [other-connector]
            parameters:
              - name: linkConfig.region
                type: string
                required: true
"""
MODE = "/components/schemas/Widget/x-cdm-parameters/link-config-values/thing/parameters/2/x-required-when"
LINK_AND_JOB = """\
    Link:
      type: object
      properties:
        connector-name:
          type: string
        link-config-values:
          type: object
    Job:
      type: object
      properties:
        from-config-values:
          type: object
"""


def with_catalogue(tmp_path: Path, condition: str, required: str = "false") -> list[tuple[int, str, str]]:
    block = CATALOGUE.replace("{condition}", condition).replace("{required}", required)
    return problems(tmp_path, ("    Widget:\n      type: object\n",
                               LINK_AND_JOB + "    Widget:\n      type: object\n" + block))


@pytest.mark.parametrize("condition", [
    "{linkConfig.version: [V2]}",
    '{linkConfig.useTls: ["true"], connector-name: [thing-connector]}',
    "{linkConfig.region: [eu]}",  # an input of the same link, catalogued in another section
])
def test_a_catalogue_condition_is_accepted(tmp_path: Path, condition: str) -> None:
    assert with_catalogue(tmp_path, condition) == []


@pytest.mark.parametrize(
    ("condition", "where", "message"),
    [
        ("{linkConfig.verison: [V2]}", "/linkConfig.verison",
         "condition key 'linkConfig.verison' is not another input catalogued for the same link"),
        ("{linkConfig.mode: [A]}", "/linkConfig.mode",
         "condition key 'linkConfig.mode' is not another input catalogued for the same link"),
        ("{from-connector-name: [x]}", "/from-connector-name",
         ("condition key 'from-connector-name' is not a field of the link (connector-name, "
         "link-config-values)")),
        ("{linkConfig.useTls: [true]}", "/linkConfig.useTls",
         "catalogue values are compared as wire strings: quote True"),
        ('{linkConfig.useTls: ["yes"]}', "/linkConfig.useTls",
         "condition 'linkConfig.useTls': 'yes' is not one of its values (true, false)"),
        ("{linkConfig.version: [V3]}", "/linkConfig.version",
         "condition 'linkConfig.version': 'V3' is not one of its values (V1, V2)"),
    ],
)
def test_malformed_catalogue_conditions(
    tmp_path: Path, condition: str, where: str, message: str
) -> None:
    assert with_catalogue(tmp_path, condition) == [(at(tmp_path, "# @here"), MODE + where, message)]


def test_a_conditionally_required_parameter_is_marked_optional(tmp_path: Path) -> None:
    assert with_catalogue(tmp_path, "{linkConfig.version: [V2]}", required="true") == [
        (at(tmp_path, "# @here"), MODE, "a parameter with x-required-when has `required: false`")
    ]


NODE_TYPES = """\
      x-dlf-node-types:
        Shell:
          properties:
            - name: scriptName
              type: string
              required: true
            - name: connectionName
              type: string
              required: false
              x-required-when: {condition}  # @here
"""


@pytest.mark.parametrize(("condition", "expected"), [
    ("{scriptName: [a]}", []),
    ("{script: [a]}", [("/script", "condition key 'script' is not another property of node type Shell")]),
])
def test_node_type_property_conditions(
    tmp_path: Path, condition: str, expected: list[tuple[str, str]]
) -> None:
    found = problems(tmp_path, ("    Widget:\n      type: object\n", "    Widget:\n      type: object\n"
                                + NODE_TYPES.replace("{condition}", condition)))
    node = "/components/schemas/Widget/x-dlf-node-types/Shell/properties/1/x-required-when"
    assert found == [(at(tmp_path, "# @here"), node + w, m) for w, m in expected]


# -- catalogues the typed modules are generated from ------------------------------------------

THING = "/components/schemas/Widget/x-cdm-parameters/link-config-values/thing"


def catalogue_problems(tmp_path: Path, parameters: str, schemas: str = LINK_AND_JOB) -> list[tuple[int, str, str]]:
    block = ("      x-cdm-parameters:\n        link-config-values:\n          thing:\n"
             "            connectors: [thing-connector]\n            parameters:\n" + parameters)
    return problems(tmp_path, ("    Widget:\n      type: object\n",
                               schemas + "    Widget:\n      type: object\n" + block))


def test_a_well_formed_catalogue_is_accepted(tmp_path: Path) -> None:
    assert catalogue_problems(tmp_path, "              - {name: linkConfig.a, type: string, "
                                        "required: true}\n") == []


def test_catalogue_parameters_need_a_name_a_known_type_and_a_required_flag(tmp_path: Path) -> None:
    found = catalogue_problems(tmp_path, "              - {name: linkConfig.a, type: text, "
                                         "required: true}  # @here\n")
    assert found == [(at(tmp_path, "# @here"), THING + "/parameters/0",
                      ("a catalogue parameter has a `name`, a `type` (one of array, boolean, "
                      "file-content, integer, map, number, object, string) and `required`"))]


def test_catalogue_parameters_must_not_share_a_python_field(tmp_path: Path) -> None:
    found = catalogue_problems(tmp_path, (
        "              - {name: linkConfig.useSsl, type: string, required: false}\n"
        "              - {name: linkConfig.use_ssl, type: string, required: false}  # @here\n"))
    assert found == [(at(tmp_path, "# @here"), THING + "/parameters/1",
                      "'linkConfig.use_ssl' repeats 'linkConfig.useSsl' (Python field 'link_config_use_ssl')")]


def test_a_connector_catalogue_needs_the_link_and_job_schemas(tmp_path: Path) -> None:
    found = catalogue_problems(tmp_path, "              - {name: linkConfig.a, type: string, "
                                         "required: true}\n", schemas="")
    assert {message for _, _, message in found} == {
        f"x-cdm-parameters needs a schema with the property {wire!r} (the link, the job), which "
        "its typed helpers take" for wire in ("link-config-values", "from-config-values")}
