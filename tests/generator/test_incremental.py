"""The step caches: an edit re-does only the work its inputs feed, and never serves stale output.

Each test compares a warm run after an edit with a run from scratch (`--no-cache`, i.e.
`cache_dir=None`) on the same inputs, and checks which files were rendered again.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import Paths, generate
from generator.cache import Cache
from generator.openapi_rules import without_free_text
from generator.render_cache import RenderCache
from tests.generator.conftest import (
    BASE_SPEC,
    ROOT,
    make_paths,
    read_tree,
    replace_once,
    write_spec,
)

GADGETS = BASE_SPEC.replace("x-sdk-service: widgets", "x-sdk-service: gadgets").replace(
    "x-sdk-client: Widgets", "x-sdk-client: Gadgets")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """Two specs and a private copy of the templates, with a step cache of their own."""
    write_spec(tmp_path / "spec", BASE_SPEC, "widgets.yaml")
    write_spec(tmp_path / "spec", GADGETS, "gadgets.yaml")
    shutil.copytree(ROOT / "templates", tmp_path / "templates",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return make_paths(tmp_path / "spec", tmp_path / "generated",
                      templates_dir=tmp_path / "templates", cache_dir=tmp_path / "cache")


def from_scratch(paths: Paths, tmp_path: Path) -> dict[str, bytes]:
    # a tree of the same name in a folder of its own: api.md beside it names the tree
    cold = make_paths(paths.spec_dir, tmp_path / "cold" / paths.out_dir.name,
                      templates_dir=paths.templates_dir)
    assert cold.cache_dir is None
    generate(cold, force=True)
    return read_tree(cold.out_dir)


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(replace_once(path.read_text(encoding="utf-8"), old, new), encoding="utf-8")


def test_a_warm_run_renders_nothing_and_equals_a_cold_one(paths: Paths, tmp_path: Path) -> None:
    first = generate(paths)
    assert "dataarts/widgets/_client.py" in first.rendered
    again = generate(paths, force=True)
    assert again.rendered == []
    assert read_tree(paths.out_dir) == from_scratch(paths, tmp_path)


def test_a_template_edit_re_renders_the_files_it_makes_only(paths: Paths, tmp_path: Path) -> None:
    generate(paths)
    edit(paths.templates_dir / "service_client.py.jinja",
         "Client` and `Async{{ service.client_stem }}Client`.",
         "Client` and `Async{{ service.client_stem }}Client`. Edited.")
    report = generate(paths)
    assert report.rendered == ["dataarts/gadgets/_client.py", "dataarts/widgets/_client.py"]
    assert report.changed == ["MANIFEST", "dataarts/gadgets/_client.py",
                              "dataarts/widgets/_client.py"]
    tree = read_tree(paths.out_dir)
    assert b"Client`. Edited." in tree["dataarts/widgets/_client.py"]
    assert tree == from_scratch(paths, tmp_path)


def test_a_spec_edit_re_renders_that_service_and_the_package_files(
    paths: Paths, tmp_path: Path
) -> None:
    generate(paths)
    edit(paths.spec_dir / "gadgets.yaml", "summary: List widgets",
         "summary: List gadgets, edited")
    report = generate(paths)
    assert report.rendered
    assert not [name for name in report.rendered if name.startswith("dataarts/widgets/")]
    assert "dataarts/gadgets/_client.py" in report.rendered
    tree = read_tree(paths.out_dir)
    assert b"List gadgets, edited" in tree["dataarts/gadgets/_client.py"]
    assert tree == from_scratch(paths, tmp_path)


def test_a_summary_edit_re_renders_only_the_files_given_what_changed(
    paths: Paths, tmp_path: Path
) -> None:
    first = generate(paths)
    edit(paths.spec_dir / "gadgets.yaml", "summary: List widgets",
         "summary: List gadgets, edited")
    report = generate(paths)
    kept = {"dataarts/__main__.py", "dataarts/_config_values.py",
            "dataarts/_cli_commands/widgets.py"}  # given nothing a gadgets summary is part of
    assert kept <= set(first.rendered)
    assert not kept & set(report.rendered)
    assert not [name for name in report.rendered if name.startswith("dataarts/widgets/")]
    assert {"dataarts/gadgets/_client.py", "dataarts/_cli_commands/gadgets.py"} <= set(report.rendered)
    tree = read_tree(paths.out_dir)
    assert b"List gadgets, edited" in tree["dataarts/gadgets/_client.py"]
    assert tree == from_scratch(paths, tmp_path)


def test_a_spec_edit_splits_only_the_lines_no_run_split_before(
    paths: Paths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(paths)
    from generator import line_split

    made: list[str] = []
    real = line_split.split_line

    def recorded(line: str, inside: bool) -> list[str] | None:
        made.append(line)
        return real(line, inside)

    monkeypatch.setattr(line_split, "split_line", recorded)
    generate(paths, force=True)
    assert made == []  # every file from the render cache or its lines from the stored splits
    long_summary = "List gadgets, edited " + "x" * 120
    edit(paths.spec_dir / "gadgets.yaml", "summary: List widgets", f"summary: {long_summary}")
    generate(paths)
    new_sha = hashlib.sha256((paths.spec_dir / "gadgets.yaml").read_bytes()).hexdigest()
    assert made and all(long_summary in line or new_sha in line for line in made)
    assert read_tree(paths.out_dir) == from_scratch(paths, tmp_path)


def test_a_runtime_edit_renders_nothing(paths: Paths, tmp_path: Path) -> None:
    generate(paths)
    edit(paths.templates_dir / "runtime" / "lazy.py", '"""Module-level', '"""Edited. Module-level')
    report = generate(paths)
    assert report.rendered == []
    assert report.changed == ["MANIFEST", "dataarts/_runtime/lazy.py"]
    assert read_tree(paths.out_dir) == from_scratch(paths, tmp_path)


# -- the template dependencies -------------------------------------------------------------------


def templates(folder: Path, sources: dict[str, str]) -> RenderCache:
    folder.mkdir(exist_ok=True)
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    return RenderCache(Cache(folder.parent / "cache"), folder, "salt")


def test_a_template_depends_on_what_it_includes_and_nothing_else(tmp_path: Path) -> None:
    memo = templates(tmp_path / "t", {
        "a.jinja": '{% include "b.jinja" %}{% from "c.jinja" import m %}',
        "b.jinja": "b", "c.jinja": "{% macro m() %}{% endmacro %}", "d.jinja": "d",
    })
    assert memo.templates_used("a.jinja") == ["a.jinja", "b.jinja", "c.jinja"]
    assert memo.templates_used("d.jinja") == ["d.jinja"]


def test_a_file_is_keyed_on_the_variables_its_templates_name(tmp_path: Path) -> None:
    memo = templates(tmp_path / "t", {
        "a.jinja": '{{ module.name }}{% include "b.jinja" %}', "b.jinja": "{{ service.title }}",
        "c.jinja": "{{ module.name }}",
    })
    one = {"service": {"title": "one"}, "module": {"name": "m"}}
    two = {"service": {"title": "two"}, "module": {"name": "m"}}
    assert memo.context_key("a.jinja", one) != memo.context_key("a.jinja", two)  # via b.jinja
    assert memo.context_key("c.jinja", one) == memo.context_key("c.jinja", two)
    assert memo.context_key("c.jinja", one) != memo.context_key(
        "c.jinja", {**one, "module": {"name": "n"}})


def test_a_computed_template_name_depends_on_every_template(tmp_path: Path) -> None:
    memo = templates(tmp_path / "t", {"a.jinja": "{% include name %}", "d.jinja": "d"})
    assert memo.templates_used("a.jinja") == ["a.jinja", "d.jinja"]


TAGS = [
    '{% include "b.jinja" %}', "{%- include 'b.jinja' -%}", '{% include "b.jinja" ignore missing %}',
    '{% include "b.jinja" without context %}', '{%+ import "c.jinja" as c %}',
    '{% from "c.jinja" import m with context %}', '{% extends "b.jinja" %}',
    '{% include name %}', '{% include "b" ~ ".jinja" %}', '{% include "b.jinja" if x else "c.jinja" %}',
    '{% include ["b.jinja", "c.jinja"] %}', '{% import name as c %}', '{{ "include" }} text',
    '{# {% include name %} #}{% include "c.jinja" %}',
]


@pytest.mark.parametrize("tag", TAGS)
def test_the_tag_reader_finds_what_jinja_s_parser_finds(tmp_path: Path, tag: str) -> None:
    """A name Jinja's parser names is found; one it cannot name (computed) makes every template
    a dependency; the reader never finds fewer templates than the parser."""
    import jinja2
    import jinja2.meta

    memo = templates(tmp_path / "t", {"a.jinja": tag, "b.jinja": "b", "c.jinja": "c"})
    names = list(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(tag)))
    if None in names:
        assert memo.templates_used("a.jinja") == ["a.jinja", "b.jinja", "c.jinja"]
    else:
        assert memo.templates_used("a.jinja") == sorted({"a.jinja", *names})


def test_an_included_template_edit_renders_again_an_unrelated_one_does_not(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    sources = {"a.jinja": '{% include "b.jinja" %}', "b.jinja": "one", "d.jinja": "d"}
    calls: list[str] = []

    def produce() -> dict[str, str]:
        calls.append("a")
        return {"out.py": (folder / "b.jinja").read_text(encoding="utf-8")}

    assert templates(folder, sources).files("out.py", "a.jinja", "ir", produce) == {"out.py": "one"}
    assert templates(folder, {"d.jinja": "edited"}).files("out.py", "a.jinja", "ir", produce) == {
        "out.py": "one"}
    assert calls == ["a"]
    assert templates(folder, {"b.jinja": "two"}).files("out.py", "a.jinja", "ir", produce) == {
        "out.py": "two"}
    assert templates(folder, {}).files("out.py", "a.jinja", "other ir", produce) == {"out.py": "two"}
    assert calls == ["a", "a", "a"]


# -- the validator's key ---------------------------------------------------------------------------


def test_the_validator_key_ignores_descriptions_but_not_data_or_structure() -> None:
    doc = {"info": {"description": "one", "title": "T"},
           "paths": {"/a": {"get": {"summary": "s", "description": "d",
                                    "responses": {"200": {"description": "ok"}}}}},
           "components": {"schemas": {"S": {"type": "object", "description": "x",
                                            "properties": {"description": {"type": "string"}},
                                            "example": {"description": "data"}}}}}
    edited = {**doc, "info": {"description": "two", "title": "T"}}
    assert without_free_text(edited) == without_free_text(doc)
    shape = without_free_text(doc)
    schema = shape["components"]["schemas"]["S"]
    assert schema["example"] == {"description": "data"}  # data is kept
    assert schema["properties"] == {"description": {"type": "string"}}  # a property so named too
    assert shape["info"]["title"] == "T"
    retyped = {**doc, "info": {"description": 2, "title": "T"}}  # not a string: the validator cares
    assert without_free_text(retyped) != without_free_text(doc)


# -- black's cache ---------------------------------------------------------------------------------

HEADER = "# Generated.\n# Source: spec/a.yaml (sha256 {})\n"
CODE = '"""Doc."""\n\nx = {{"a":1}}\n\n\nclass A:\n    y = 1\n'


def test_a_new_spec_hash_in_the_header_reuses_the_formatted_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.format as fmt

    calls: list[str] = []
    real = fmt.format_piece
    monkeypatch.setattr(fmt, "format_piece", lambda text: calls.append(text) or real(text))
    cache = Cache(tmp_path / "cache")
    first = fmt.format_sources({"m.py": HEADER.format("a" * 64) + CODE}, cache)
    assert calls and first["m.py"] == real(HEADER.format("a" * 64) + CODE)
    calls.clear()
    second = fmt.format_sources({"m.py": HEADER.format("b" * 64) + CODE}, cache)
    assert calls == []  # served from the cache, with the new hash put back
    assert second["m.py"] == first["m.py"].replace("a" * 64, "b" * 64)
    assert "a" * 64 not in second["m.py"]


def test_a_run_served_from_the_caches_imports_no_heavy_tool(paths: Paths) -> None:
    generate(paths)
    script = (
        "import sys\n"
        "from generator import Paths, generate\n"
        f"paths = Paths(spec_dir=Path({str(paths.spec_dir)!r}), out_dir=Path({str(paths.out_dir)!r}),"
        f" templates_dir=Path({str(paths.templates_dir)!r}), cache_dir=Path({str(paths.cache_dir)!r}))\n"
        "report = generate(paths, force=True)\n"
        "assert report.rendered == [], report.rendered\n"
        "heavy = ('black', 'jinja2', 'yaml', 'datamodel_code_generator', 'openapi_spec_validator')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", "from pathlib import Path\n" + script], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_real_specs_are_kept_in_the_step_cache(tmp_path: Path) -> None:
    """Every real spec's context and IR pickle (else each run would read the spec again)."""
    from generator import spec_cache
    from generator.build import build_service
    from generator.load import parse_spec, spec_sources
    from generator.validate import check_across, read_spec

    sources, problems = spec_sources(Paths().spec_dir, ROOT)
    contexts = [read_spec(parse_spec(source)) for source in sources]
    assert problems == [] and check_across(contexts) == []
    cache = Cache(tmp_path)
    for source, context in zip(sources, contexts, strict=True):
        service = build_service(context)
        key = spec_cache.key("salt", source)
        spec_cache.put(cache, key, context, service)
        kept = spec_cache.get(cache, key)
        assert kept is not None, source.name
        assert kept[1] == service
