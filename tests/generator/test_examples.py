"""`generator.examples` copies fixture bodies into a spec's `examples` and keeps the rest."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.examples import ExamplesError, embed_examples, main

SPEC = """\
openapi: 3.0.3
info:
  title: Things
  version: "1"
# The paths below are hand-maintained.
paths:
  /things/{id}:
    get:
      operationId: ShowThing
      # doc: the page shows no 404; kept anyway.
      responses:
        "200":
          description: OK.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Thing"
        # doc: the page lists only 200; every error is 400.
        "400":
          $ref: "#/components/responses/Error"
    put:
      operationId: UpdateThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              description: >-
                The new thing, folded over
                two lines.
      # doc: after a folded scalar.
      responses:
        "200":
          description: OK.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Thing"  # eol comment
              # doc: before the stale example.
              examples:
                Gone.200:
                  summary: old
                  value:
                    id: stale
        "204":
          description: No content.
  /things/{id}/action:
    post:
      operationId: ThingAction
      x-sdk-variants:
        - operation-id: StartThing
          method: start
        - operation-id: StopThing
          method: stop
      requestBody:
        content:
          application/json:
            schema:
              type: object
      responses:
        "200":
          description: OK.
          content:
            application/json:
              schema:
                type: object  # one of three
        # doc: errors are not documented.
        default:
          $ref: "#/components/responses/Error"
  /things/{id}/file:
    get:
      operationId: DownloadThing
      responses:
        "200":
          description: The file.
          content:
            application/octet-stream:
              schema:
                type: string
                format: binary
components:
  schemas:
    Thing:
      type: object
      # doc: id is a string in every table.
      properties:
        id:
          type: string
  responses:
    Error:
      description: Error.
      content:
        application/json:
          schema:
            type: object
"""


def fixture(
    operation: str,
    status: int,
    *,
    request: Any = None,
    response: Any = None,
    section: str = "1.2",
) -> dict[str, Any]:
    req: dict[str, Any] = {"method": "GET", "path": "/things/t-1", "query": {}, "headers": {}}
    if request is not None:
        req["body"] = request
    resp: dict[str, Any] = {"status": status, "headers": {}}
    if response is not None:
        resp["body"] = response
    return {
        "operation": operation,
        "source": {
            "document": "doc.txt",
            "section": section,
            "request_lines": [10, 12],
            "response_lines": [14, 20],
        },
        "notes": [],
        "request": req,
        "response": resp,
    }


FIXTURES = {
    "ShowThing.200": fixture(
        "ShowThing",
        200,
        response={"id": "t-1", "name": "名字", "tags": [], "meta": {}, "gone": None},
    ),
    "ShowThing.400": fixture("ShowThing", 400, response={"error_code": "E.1"}),
    "UpdateThing.200": fixture("UpdateThing", 200, request={"id": "t-1"}, response={"id": "t-1"}),
    "StartThing.200": fixture(
        "StartThing", 200, request={"start": {}}, response={"jobId": ["j-1"]}, section="2.1"
    ),
    "StartThing.again.200": fixture(
        "StartThing", 200, request={"start": {}}, response={"jobId": ["j-2"]}, section="2.1"
    ),
    "StopThing.200": fixture(
        "StopThing", 200, request={"stop": {"mode": "yes"}}, response={"jobId": "j-3"}
    ),
    "StopThing.500": fixture("StopThing", 500, response={"error_code": "E.2"}),
    "DownloadThing.200": fixture("DownloadThing", 200),
}


def write_tree(root: Path, fixtures: dict[str, dict[str, Any]] = FIXTURES) -> tuple[Path, Path]:
    spec_dir, fixture_dir = root / "spec", root / "fixtures"
    spec_dir.mkdir()
    (spec_dir / "things.yaml").write_text(SPEC, encoding="utf-8")
    (fixture_dir / "things").mkdir(parents=True)
    for stem, data in fixtures.items():
        text = json.dumps(data, indent=2, ensure_ascii=False)
        (fixture_dir / "things" / f"{stem}.json").write_text(text, encoding="utf-8")
    return spec_dir, fixture_dir


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    return write_tree(tmp_path)


def embedded(spec_dir: Path, fixture_dir: Path) -> str:
    assert embed_examples(spec_dir, fixture_dir) == [spec_dir / "things.yaml"]
    return (spec_dir / "things.yaml").read_text(encoding="utf-8")


def media(spec: dict[str, Any], path: str, method: str, *where: str) -> dict[str, Any]:
    node = spec["paths"][path][method]
    for key in where:
        node = node[key]
    return node


def test_response_example_lands_after_the_schema_and_before_the_next_comment(tree) -> None:
    text = embedded(*tree)
    expected = """\
            application/json:
              schema:
                $ref: "#/components/schemas/Thing"
              examples:
                ShowThing.200:
                  summary: doc.txt 1.2, lines 14-20
                  value:
                    id: t-1
                    name: 名字
                    tags: []
                    meta: {}
                    gone: null
        # doc: the page lists only 200; every error is 400.
        "400":
          $ref: "#/components/responses/Error"
"""
    assert expected in text


def test_comments_and_doc_lines_survive(tree) -> None:
    text = embedded(*tree)
    for line in SPEC.splitlines():
        if line.lstrip().startswith("#") and "stale" not in line:
            assert line in text.splitlines(), line
    assert '$ref: "#/components/schemas/Thing"  # eol comment' in text
    # the comment that preceded the stale examples map now precedes the regenerated one
    assert "              # doc: before the stale example.\n              examples:\n" in text
    assert text.startswith(SPEC[: SPEC.index("paths:")])
    assert text.endswith(SPEC[SPEC.index("  /things/{id}/file:") :])


def test_end_of_line_comment_stays_and_the_lines_after_it_move(tree) -> None:
    text = embedded(*tree)
    expected = """\
              schema:
                type: object  # one of three
              examples:
                StartThing.200:
"""
    assert expected in text
    expected = """\
                StopThing.200:
                  summary: doc.txt 1.2, lines 14-20
                  value:
                    jobId: j-3
        # doc: errors are not documented.
        default:
"""
    assert expected in text


def test_request_example_and_folded_scalar(tree) -> None:
    text = embedded(*tree)
    expected = """\
            schema:
              type: object
              description: >-
                The new thing, folded over
                two lines.
            examples:
              UpdateThing.200:
                summary: doc.txt 1.2, lines 10-12
                value:
                  id: t-1
      # doc: after a folded scalar.
      responses:
"""
    assert expected in text


def test_values_read_back_equal_with_pyyaml(tree) -> None:
    spec = yaml.safe_load(embedded(*tree))
    show = media(spec, "/things/{id}", "get", "responses", "200", "content", "application/json")
    assert show["examples"] == {
        "ShowThing.200": {
            "summary": "doc.txt 1.2, lines 14-20",
            "value": FIXTURES["ShowThing.200"]["response"]["body"],
        }
    }
    update = media(spec, "/things/{id}", "put", "requestBody", "content", "application/json")
    assert update["examples"]["UpdateThing.200"]["value"] == {"id": "t-1"}


def test_variant_fixtures_land_under_the_shared_operation(tree) -> None:
    spec = yaml.safe_load(embedded(*tree))
    action = "/things/{id}/action"
    request = media(spec, action, "post", "requestBody", "content", "application/json")
    # StartThing.again.200 sends the same body as StartThing.200: embedded once, under the first
    assert list(request["examples"]) == ["StartThing.200", "StopThing.200"]
    assert request["examples"]["StartThing.200"] == {
        "summary": "doc.txt 2.1, lines 10-12",
        "value": {"start": {}},
    }
    # "yes" must stay a string for YAML 1.1 readers
    assert request["examples"]["StopThing.200"]["value"] == {"stop": {"mode": "yes"}}
    response = media(spec, action, "post", "responses", "200", "content", "application/json")
    assert list(response["examples"]) == ["StartThing.200", "StartThing.again.200", "StopThing.200"]
    assert response["examples"]["StartThing.again.200"]["value"] == {"jobId": ["j-2"]}
    assert response["examples"]["StopThing.200"]["value"] == {"jobId": "j-3"}


def test_page_and_built_sources_name_where_the_example_comes_from(tmp_path: Path) -> None:
    page = {"page": "https://example.com/api/UpdateThing.html"}
    built = {"built": "from the schema of Thing (sdk 1.0)", "page": "https://example.com/Show.html"}
    update = fixture("UpdateThing", 200, request={"id": "t-1"}, response={"id": "t-1"})
    fixtures = {
        "UpdateThing.200": {**update, "source": page},
        "ShowThing.200": {**fixture("ShowThing", 200, response={"id": "t-1"}), "source": built},
    }
    spec = yaml.safe_load(embedded(*write_tree(tmp_path, fixtures)))
    update = media(spec, "/things/{id}", "put", "requestBody", "content", "application/json")
    assert update["examples"]["UpdateThing.200"]["summary"] == (
        "https://example.com/api/UpdateThing.html, example request"
    )
    answer = media(spec, "/things/{id}", "put", "responses", "200", "content", "application/json")
    assert answer["examples"]["UpdateThing.200"]["summary"] == (
        "https://example.com/api/UpdateThing.html, example response"
    )
    show = media(spec, "/things/{id}", "get", "responses", "200", "content", "application/json")
    assert show["examples"]["ShowThing.200"]["summary"] == (
        "built, not recorded: from the schema of Thing (sdk 1.0)"
    )


def test_stale_examples_are_removed(tree) -> None:
    text = embedded(*tree)
    assert "Gone.200" not in text and "id: stale" not in text
    spec = yaml.safe_load(text)
    update = media(spec, "/things/{id}", "put", "responses", "200", "content", "application/json")
    assert update["examples"] == {
        "UpdateThing.200": {"summary": "doc.txt 1.2, lines 14-20", "value": {"id": "t-1"}}
    }


def test_ref_responses_and_binary_media_get_no_examples(tree) -> None:
    text = embedded(*tree)
    spec = yaml.safe_load(text)
    assert spec["paths"]["/things/{id}"]["get"]["responses"]["400"] == {
        "$ref": "#/components/responses/Error"
    }
    assert spec["paths"]["/things/{id}/action"]["post"]["responses"]["default"] == {
        "$ref": "#/components/responses/Error"
    }
    assert "examples" not in spec["components"]["responses"]["Error"]["content"]["application/json"]
    assert "E.1" not in text and "E.2" not in text
    download = media(spec, "/things/{id}/file", "get", "responses", "200", "content")
    assert "examples" not in download["application/octet-stream"]
    assert text.count("examples:") == 5


def test_second_run_changes_nothing(tree) -> None:
    spec_dir, fixture_dir = tree
    first = embedded(spec_dir, fixture_dir)
    assert embed_examples(spec_dir, fixture_dir) == []
    assert embed_examples(spec_dir, fixture_dir, check=True) == []
    assert (spec_dir / "things.yaml").read_text(encoding="utf-8") == first


def test_without_fixtures_the_original_comes_back(tree) -> None:
    spec_dir, fixture_dir = tree
    embedded(spec_dir, fixture_dir)
    for file in (fixture_dir / "things").iterdir():
        file.unlink()
    assert embed_examples(spec_dir, fixture_dir) == [spec_dir / "things.yaml"]
    stale = """\
              examples:
                Gone.200:
                  summary: old
                  value:
                    id: stale
"""
    assert stale in SPEC
    # the comment above the removed map stays, between the schema and the next status
    expected = SPEC.replace(stale, "")
    assert (spec_dir / "things.yaml").read_text(encoding="utf-8") == expected


def test_check_reports_and_writes_nothing(tree) -> None:
    spec_dir, fixture_dir = tree
    before = (spec_dir / "things.yaml").read_bytes()
    assert embed_examples(spec_dir, fixture_dir, check=True) == [spec_dir / "things.yaml"]
    assert (spec_dir / "things.yaml").read_bytes() == before
    assert sorted(p.name for p in spec_dir.iterdir()) == ["things.yaml"]


def test_write_is_atomic_and_keeps_the_mode(tree) -> None:
    spec_dir, fixture_dir = tree
    os.chmod(spec_dir / "things.yaml", 0o644)
    embedded(spec_dir, fixture_dir)
    assert stat.S_IMODE((spec_dir / "things.yaml").stat().st_mode) == 0o644
    assert sorted(p.name for p in spec_dir.iterdir()) == ["things.yaml"]


def test_main_check_then_update(tree, capsys) -> None:
    spec_dir, fixture_dir = tree
    args = ["--spec-dir", str(spec_dir), "--fixture-dir", str(fixture_dir)]
    assert main([*args, "--check"]) == 1
    assert (
        capsys.readouterr().out == f"out of date: {spec_dir / 'things.yaml'} (run make examples)\n"
    )
    assert main(args) == 0
    assert capsys.readouterr().out == f"updated {spec_dir / 'things.yaml'}\n"
    assert main([*args, "--check"]) == 0
    assert capsys.readouterr().out == ""


def test_unknown_operation_is_an_error(tmp_path: Path) -> None:
    spec_dir, fixture_dir = write_tree(tmp_path, {"Nope.200": fixture("Nope", 200, response={})})
    before = (spec_dir / "things.yaml").read_bytes()
    with pytest.raises(ExamplesError, match="unknown operation 'Nope'"):
        embed_examples(spec_dir, fixture_dir)
    assert (spec_dir / "things.yaml").read_bytes() == before


ALLOWLIST = """\
- {fixture: ShowThing.200, pointer: /response/body/tags, reason: "1.2 example sends a list where
    the table says string"}
- {fixture: StartThing.again.200, pointer: /request/body/start, reason: "shared request body"}
- {fixture: ShowThing.400, pointer: /response/body/error_code, reason: "error response is a $ref"}
- {fixture: UpdateThing.200, pointer: /request/query/x, reason: "not a body"}
"""


def test_the_lint_ignore_file_lists_allowlisted_problems_inside_embedded_examples(
    tmp_path: Path,
) -> None:
    spec_dir, fixture_dir = write_tree(tmp_path)
    (fixture_dir / "things" / "allowlist.yaml").write_text(ALLOWLIST, encoding="utf-8")
    ignore = tmp_path / ".redocly.lint-ignore.yaml"

    changed = embed_examples(spec_dir, fixture_dir, ignore_file=ignore)

    assert changed == [spec_dir / "things.yaml", ignore]
    listed = yaml.safe_load(ignore.read_text(encoding="utf-8"))
    assert listed == {
        "spec/things.yaml": {
            "no-invalid-media-type-examples": [
                # the pointer runs from the embedded example's value to the allowlisted field
                (
                    "#/paths/~1things~1{id}/get/responses/200/content/application~1json"
                    "/examples/ShowThing.200/value/tags"
                ),
                # a request body shared by two fixtures is shown under the first one's name
                (
                    "#/paths/~1things~1{id}~1action/post/requestBody/content/application~1json"
                    "/examples/StartThing.200/value/start"
                ),
            ]
        }
    }
    # each entry carries its reason, folded onto one comment line
    assert "    # 1.2 example sends a list where the table says string\n    - '#/paths/" in (
        ignore.read_text(encoding="utf-8")
    )
    assert embed_examples(spec_dir, fixture_dir, ignore_file=ignore, check=True) == []
    (fixture_dir / "things" / "allowlist.yaml").write_text(ALLOWLIST.split("\n- ")[0] + "\n")
    assert embed_examples(spec_dir, fixture_dir, ignore_file=ignore, check=True) == [ignore]
