"""`generator.registry` and `generator/extensions/`: one home per spec extension, and the contract.

The first tests prove the seam (each `x-` key is read by its own module only); the last ones add
a toy extension the way the contract says (one module, plus a template when it prints one) and
check that it reaches the generated package: a module of its own, and a change to the models.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pytest

from generator import generate, registry
from generator.context import SpecContext
from generator.draft import ServiceDraft
from generator.extensions.contract import Extension
from generator.ir import Models, ServiceModule, SourceRewrite
from generator.problems import pointer
from generator.validate import project_problems
from tests.generator.conftest import (
    BASE_SPEC,
    ROOT,
    generate_into,
    line_of,
    load_text,
    make_paths,
    replace_once,
    write_spec,
)

GENERATOR = ROOT / "generator"
KEY = re.compile(r"x-[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*")  # x-enumDescriptions is camelCase


def key_literals(path: Path) -> set[str]:
    """The `x-` keys a module spells as a string of its own (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return {
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in docstrings and KEY.fullmatch(node.value)
    }


def pipeline_modules() -> list[Path]:
    """The generator's modules but the publishing steps (which may read any key) and the registry."""
    return [p for p in sorted(GENERATOR.rglob("*.py")) if "__pycache__" not in p.parts
            and (GENERATOR / "publish") not in p.parents and p != GENERATOR / "registry.py"]


def test_each_key_is_read_by_its_own_module_only() -> None:
    owners = registry.owners()
    readers: dict[str, list[str]] = {}
    for path in pipeline_modules():
        for key in key_literals(path):
            readers.setdefault(key, []).append(path.relative_to(ROOT).as_posix())
    assert set(readers) == set(owners), "a key read outside the registry's extensions"
    for key, owner in owners.items():
        assert readers[key] == [f"generator/extensions/{owner}.py"], key


def test_every_extension_module_is_registered() -> None:
    modules = {p.stem for p in (GENERATOR / "extensions").glob("*.py")} - {"__init__", "contract"}
    assert {e.name for e in registry.EXTENSIONS} == modules
    keys = [key for e in registry.EXTENSIONS for key in e.keys]
    assert len(keys) == len(set(keys))


def test_the_checker_sees_a_key_read_in_code_but_not_in_a_docstring(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text('"""Reads `x-doc`."""\n\n\ndef f(op):\n    """x-also-doc"""\n'
                      '    return op.get("x-sdk-method"), "x-not a key", f"{op} x-msg"\n')
    assert key_literals(module) == {"x-sdk-method"}


# -- the contract, exercised by extensions of the tests' own ---------------------------------------

GAUGES = "x-test-gauges"


@dataclass(frozen=True)
class Gauges:
    """The IR of a toy module: named numbers declared at the spec's root."""

    values: tuple[tuple[str, int], ...]


def read_gauges(spec: SpecContext) -> Gauges | None:
    raw = spec.data.get(GAUGES)
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, int) for v in raw.values()):
        spec.report(f"/{GAUGES}", f"{GAUGES} maps names to integers")
        return None
    return Gauges(tuple(sorted(raw.items())))


def build_gauges(gauges: Gauges | None, draft: ServiceDraft) -> None:
    if gauges is not None:
        draft.modules.append(ServiceModule("gauges", "gauges.py.jinja", gauges))


GAUGES_TEMPLATE = '''{{ header }}
"""The gauges of {{ service.title }}."""

from typing import Final

{% for name, value in module.values %}
{{ name | upper }}: Final = {{ value | py }}
{% endfor %}
'''

ALSO = "x-test-also-spelled"  # a property's second spelling, accepted when reading


def read_spellings(spec: SpecContext) -> tuple[tuple[str, str, str], ...]:
    """(schema, property, second spelling) of each component property carrying the key."""
    found = []
    for name, schema in spec.schemas.items():
        for wire, prop in (schema.get("properties") or {}).items():
            if isinstance(prop, dict) and ALSO in prop:
                if not isinstance(prop[ALSO], str):
                    spec.report(pointer("components", "schemas", name, "properties", wire, ALSO),
                                f"{ALSO} is a string")
                    continue
                found.append((name, wire, prop[ALSO]))
    return tuple(found)


def accept_spellings(spellings: tuple[tuple[str, str, str], ...], models: Models) -> Models:
    if not spellings:
        return models
    rewrite = SourceRewrite(json.dumps(spellings), partial(_validation_aliases, spellings))
    return replace(models, rewrites=(*models.rewrites, rewrite))


def _validation_aliases(spellings: tuple[tuple[str, str, str], ...], source: str) -> str:
    """datamodel-code-generator's source (black has not run: either quote) with the aliases."""
    for _, wire, other in spellings:
        source = re.sub(rf"""Field\(alias=(["']){re.escape(wire)}\1""",
                        f'Field(alias="{wire}", validation_alias=AliasChoices("{wire}", "{other}")',
                        source, count=1)
    return source.replace("from pydantic import ", "from pydantic import AliasChoices, ", 1)


TOYS = (
    Extension("gauges", (GAUGES,), read_gauges, build=build_gauges),
    Extension("spellings", (ALSO,), read_spellings, models=accept_spellings),
)
TOY_SPEC = replace_once(
    BASE_SPEC.replace("x-sdk-client: Widgets\n", "x-sdk-client: Widgets\nx-test-gauges:\n"
                      "  max_widgets: 12\n  min_widgets: 1\n"),
    "        sizeInCm:\n          type: integer\n",
    "        sizeInCm:\n          type: integer\n          x-test-also-spelled: size_cm\n",
)


@pytest.fixture
def with_toys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The registry with the toy extensions; a templates folder with the gauges template."""
    monkeypatch.setattr(registry, "EXTENSIONS", (*registry.EXTENSIONS, *TOYS))
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "gauges.py.jinja").write_text(GAUGES_TEMPLATE, encoding="utf-8")
    return templates


def test_an_extension_checks_its_key_where_the_spec_writes_it(with_toys: Path, tmp_path: Path) -> None:
    text = TOY_SPEC.replace("  min_widgets: 1\n", "  min_widgets: one  # @here\n")
    (problem,) = project_problems([load_text(tmp_path, text)])
    assert (problem.line, problem.pointer, problem.message) == (
        line_of(text, "x-test-gauges:"), "/x-test-gauges", "x-test-gauges maps names to integers")


def test_an_extension_with_a_module_and_a_template_is_generated(
    with_toys: Path, tmp_path: Path
) -> None:
    write_spec(tmp_path / "spec", TOY_SPEC)
    generate(make_paths(tmp_path / "spec", tmp_path / "out", templates_dir=with_toys))
    module = (tmp_path / "out" / "dataarts" / "widgets" / "gauges.py").read_text(encoding="utf-8")
    assert module.splitlines()[-3:] == ["", "MAX_WIDGETS: Final = 12", "MIN_WIDGETS: Final = 1"]
    assert '"""The gauges of Widgets API."""' in module


CHECK_SPELLINGS = """
from dataarts.widgets.models import Widget

first = Widget.model_validate({"name": "a", "sizeInCm": 3})
second = Widget.model_validate({"name": "b", "size_cm": 4})
print(first.size_in_cm, second.size_in_cm, second.model_dump(by_alias=True, exclude_none=True))
"""


def test_an_extension_can_change_the_models(with_toys: Path, tmp_path: Path) -> None:
    """Through `models`: a property read under a second spelling, written under its own."""
    write_spec(tmp_path / "spec", TOY_SPEC)
    generate(make_paths(tmp_path / "spec", tmp_path / "out", templates_dir=with_toys))
    result = subprocess.run(
        [sys.executable, "-c", CHECK_SPELLINGS], capture_output=True, text=True, timeout=60,
        check=False, env={**os.environ, "PYTHONPATH": str(tmp_path / "out")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 2) == ["3", "4", "{'name': 'b', 'sizeInCm': 4}\n"]


def test_without_the_key_an_extension_adds_nothing(with_toys: Path, tmp_path: Path) -> None:
    write_spec(tmp_path / "spec", BASE_SPEC)
    generate_into(tmp_path / "spec", tmp_path / "out")
    assert not (tmp_path / "out" / "dataarts" / "widgets" / "gauges.py").exists()
