"""`generator.load`: spec data plus the line of every JSON pointer; broken files become problems."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from generator.load import load_spec, load_specs
from generator.problems import Problem, SpecError, escape, pointer, unescape
from tests.generator.conftest import BASE_SPEC, line_of, load_text, write_spec

LIST = "/paths/~1v1~1{project_id}~1widgets/get"


def problems_of(tmp_path: Path, raw: str | bytes, name: str = "x.yaml") -> list[str]:
    path = write_spec(tmp_path, raw, name)
    with pytest.raises(SpecError) as err:
        load_spec(path, tmp_path)
    return [str(p) for p in err.value.problems]


def test_data_is_what_yaml_safe_load_reads(tmp_path: Path) -> None:
    spec = load_text(tmp_path, BASE_SPEC)
    assert spec.data == yaml.safe_load(BASE_SPEC)
    assert spec.name == "spec/widgets.yaml"
    assert spec.sha256 == hashlib.sha256(BASE_SPEC.encode()).hexdigest()


def line_after(text: str, anchor: str, needle: str) -> int:
    """The first line containing `needle` at or after the one line containing `anchor`."""
    lines = text.splitlines()
    start = line_of(text, anchor)
    return next(i for i, line in enumerate(lines[start - 1:], start) if needle in line)


@pytest.mark.parametrize(
    ("ptr", "anchor", "needle"),
    [
        ("", "openapi: 3.0.3", "openapi"),
        ("/info/title", "title: Widgets API", "title"),
        ("/x-sdk-service", "x-sdk-service: widgets", "x-sdk-service"),
        ("/paths/~1v1~1{project_id}~1widgets", "  /v1/{project_id}/widgets:", "widgets"),
        (LIST, "  /v1/{project_id}/widgets:", "get:"),
        (LIST + "/x-sdk-pagination/items", "operationId: ListWidgets", "items: widgets"),
        (LIST + "/responses/200/content/application~1json/schema/$ref", "operationId: ListWidgets",
         "$ref: \"#/components/schemas/WidgetList\""),
        ("/components/schemas/WidgetList/properties/widgets/items", "    WidgetList:", "items:"),
        ("/components/schemas/WidgetList/properties/widgets/items/$ref", "    WidgetList:", "$ref"),
    ],
)
def test_lines_of_nested_pointers(tmp_path: Path, ptr: str, anchor: str, needle: str) -> None:
    spec = load_text(tmp_path, BASE_SPEC)
    assert spec.line_of(ptr) == line_after(BASE_SPEC, anchor, needle)


def test_lines_of_list_items(tmp_path: Path) -> None:
    spec = load_text(tmp_path, BASE_SPEC)
    assert spec.line_of("/tags/0") == line_of(BASE_SPEC, "  - name: Widgets")
    assert spec.line_of("/servers/0") == line_of(BASE_SPEC, "- url: https://widgets")
    assert spec.line_of("/servers/0/variables/region/default") == line_of(BASE_SPEC, "xx-north-1")
    list_op = "operationId: ListWidgets"
    assert spec.line_of(LIST + "/parameters/0") == line_after(BASE_SPEC, list_op, "- $ref")
    assert spec.line_of(LIST + "/parameters/1") == line_of(BASE_SPEC, "- name: offset")
    assert spec.line_of(LIST + "/parameters/3/schema/enum/1") == line_of(BASE_SPEC, "- blue")
    assert spec.line_of(LIST + "/tags/0") == line_after(BASE_SPEC, list_op, "- Widgets")
    # the items of a flow sequence are on the line where each starts
    spec = load_text(tmp_path, "a:\n  b: [x, y,\n     z]\n", "flow.yaml")
    assert [spec.line_of(f"/a/b/{i}") for i in range(3)] == [2, 2, 3]


def test_line_of_a_missing_pointer_is_its_closest_ancestor(tmp_path: Path) -> None:
    spec = load_text(tmp_path, BASE_SPEC)
    assert spec.line_of(LIST + "/x-sdk-pagination/nope/deeper") == line_of(
        BASE_SPEC, "x-sdk-pagination:")
    assert spec.line_of("/nothing") == 1
    problem = spec.problem(LIST + "/x-sdk-pagination/nope", "a message")
    assert problem == Problem("spec/widgets.yaml", line_of(BASE_SPEC, "x-sdk-pagination:"),
                              LIST + "/x-sdk-pagination/nope", "a message")


def test_keys_needing_escapes(tmp_path: Path) -> None:
    spec = load_text(tmp_path, "root:\n  a/b:\n    c~d: 1\n")
    assert spec.data == {"root": {"a/b": {"c~d": 1}}}
    assert spec.line_of("/root/a~1b/c~0d") == 3
    assert pointer("root", "a/b", "c~d") == "/root/a~1b/c~0d"
    assert unescape(escape("x~/1")) == "x~/1"


def test_unquoted_status_codes_stay_integers(tmp_path: Path) -> None:
    """The validator's "must be a quoted string" rule relies on seeing the int."""
    spec = load_text(tmp_path, 'responses:\n  200:\n    a: 1\n  "201":\n    a: 2\n')
    assert list(spec.data["responses"]) == [200, "201"]
    assert spec.line_of("/responses/200") == 2


def test_duplicate_keys_are_each_reported(tmp_path: Path) -> None:
    text = "a:\n  b: 1\n  c: 2\n  b: 3\nd:\n  - e: 1\n    e: 2\na: 4\n"
    assert problems_of(tmp_path, text) == [
        "x.yaml:4: /a/b: duplicate key 'b' (first defined on line 2)",
        "x.yaml:7: /d/0/e: duplicate key 'e' (first defined on line 6)",
        "x.yaml:8: /a: duplicate key 'a' (first defined on line 1)",
    ]


def test_invalid_yaml_is_located(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path, "a:\n  b: 1\n c: 2\n")
    assert problem.startswith("x.yaml:3: /: invalid YAML: ")
    (problem,) = problems_of(tmp_path, "a:\n  b: 1\n\tc: 2\n")
    assert problem.startswith("x.yaml:3: /: invalid YAML: ") and "tab" in problem


def test_not_utf8(tmp_path: Path) -> None:
    assert problems_of(tmp_path, b"a: 1\nb: 2\nc: caf\xe9\n") == [
        "x.yaml:3: /: not UTF-8: invalid continuation byte"
    ]
    assert problems_of(tmp_path, "a: 1\nb: é\n".encode("utf-16")) == [
        "x.yaml:1: /: not UTF-8: invalid start byte"
    ]


def test_utf8_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    spec = load_text(tmp_path, "\ufeffa: é\n")
    assert spec.data == {"a": "é"}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a\n- b\n", "just text\n"])
def test_the_document_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    assert problems_of(tmp_path, text) == ["x.yaml:1: /: the document must be a YAML mapping"]


def test_non_scalar_keys_are_located(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, "a: 1\nc:\n  ? [x, y]\n  : 2\n")
    assert [p.split(":")[1] for p in problems] == ["3"]
    assert problems[0].endswith("mapping keys must be scalars")


def test_non_scalar_keys_name_their_mapping(tmp_path: Path) -> None:
    assert problems_of(tmp_path, "a: 1\nc:\n  ? [x, y]\n  : 2\n") == [
        "x.yaml:3: /c: mapping keys must be scalars"
    ]


def test_no_spec_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("not a spec\n")
    with pytest.raises(SpecError) as err:
        load_specs(tmp_path)
    assert [str(p) for p in err.value.problems] == [f"{tmp_path}:1: /: no *.yaml spec files found"]


@pytest.mark.parametrize("stray", ["extra.yml", "extra.json"])
def test_a_spec_under_another_extension_is_reported_not_skipped(tmp_path: Path, stray: str) -> None:
    write_spec(tmp_path / "spec", "a: 1\n", "a.yaml")
    write_spec(tmp_path / "spec", "b: 1\n", stray)
    with pytest.raises(SpecError) as err:
        load_specs(tmp_path / "spec", tmp_path)
    assert [str(p) for p in err.value.problems] == [
        f"spec/{stray}:1: /: spec files must end in .yaml; rename it"
    ]


def test_load_specs_sorts_and_reports_every_file(tmp_path: Path) -> None:
    write_spec(tmp_path / "spec", "b: 1\n", "b.yaml")
    write_spec(tmp_path / "spec", "a: 1\n", "a.yaml")
    assert [s.name for s in load_specs(tmp_path / "spec", tmp_path)] == ["spec/a.yaml", "spec/b.yaml"]
    write_spec(tmp_path / "spec", "x: 1\nx: 2\n", "c.yaml")
    write_spec(tmp_path / "spec", b"\xff", "d.yaml")
    with pytest.raises(SpecError) as err:
        load_specs(tmp_path / "spec", tmp_path)
    assert [(p.file, p.line) for p in err.value.problems] == [("spec/c.yaml", 2), ("spec/d.yaml", 1)]


def test_display_name_outside_the_root_is_the_path(tmp_path: Path) -> None:
    path = write_spec(tmp_path / "elsewhere", "a: 1\n")
    assert load_spec(path, tmp_path / "root").name == path.as_posix()
    assert load_spec(path).name == path.as_posix()


def test_spec_error_sorts_and_deduplicates() -> None:
    b = Problem("b.yaml", 1, "/x", "m")
    a2 = Problem("a.yaml", 2, "", "m")
    a1 = Problem("a.yaml", 10, "/y", "m")
    err = SpecError([b, a2, a1, b])
    assert err.problems == [a2, a1, b]
    assert str(err) == "a.yaml:2: /: m\na.yaml:10: /y: m\nb.yaml:1: /x: m"
