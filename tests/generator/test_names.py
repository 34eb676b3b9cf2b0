"""`x-documented-as` and `x-sdk-name` (generator/extensions/names.py): checks, IR, generated code.

A field keyed by its wire spelling reads the documented one too and keeps its former Python name
as a deprecated alias; a parameter renamed in Python keeps its former keyword, deprecated.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.validate import project_problems
from tests.generator.conftest import (
    BASE_SPEC,
    build_service,
    generate_into,
    line_of,
    load_text,
    replace_once,
    write_spec,
)

# sizeInCm was documented `size_in_cm`; colour's Python keyword becomes `shade`
NAMED = replace_once(
    replace_once(
        BASE_SPEC,
        "        sizeInCm:\n          type: integer\n",
        "        sizeInCm:\n          type: integer\n          x-documented-as: size_cm\n",
    ),
    "        - name: colour\n          in: query\n",
    "        - name: colour\n          in: query\n          x-sdk-name: shade\n",
)


def problems(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    return sorted((p.line, p.pointer, p.message)
                  for p in project_problems([load_text(tmp_path, text)]))


def test_the_named_spec_is_valid(tmp_path: Path) -> None:
    assert problems(tmp_path, NAMED) == []


@pytest.mark.parametrize(("value", "message"), [
    ("[]", ("x-documented-as is a spelling, or a list of spellings, the documents print "
            "instead of the wire name")),
    ("sizeInCm", "x-documented-as lists other spellings than the wire name 'sizeInCm', each once"),
    ("[size_cm, size_cm]", ("x-documented-as lists other spellings than the wire name "
                            "'sizeInCm', each once")),
])
def test_a_documented_spelling_is_checked(tmp_path: Path, value: str, message: str) -> None:
    text = NAMED.replace("x-documented-as: size_cm", f"x-documented-as: {value}  # @here")
    ptr = "/components/schemas/Widget/properties/sizeInCm/x-documented-as"
    assert problems(tmp_path, text) == [(line_of(text, "# @here"), ptr, message)]


def test_a_documented_spelling_must_not_be_another_property(tmp_path: Path) -> None:
    text = NAMED.replace("x-documented-as: size_cm", "x-documented-as: name  # @here")
    ptr = "/components/schemas/Widget/properties/sizeInCm"
    assert problems(tmp_path, text) == [
        (line_of(text, "sizeInCm:"), ptr,
         "Python name 'name' of 'sizeInCm' is also that of 'name' in Widget"),
        (line_of(text, "# @here"), ptr + "/x-documented-as",
         "'name' is another property of Widget: reading it would be ambiguous"),
    ]


@pytest.mark.parametrize(("value", "message"), [
    ("Shade", "x-sdk-name is a snake_case Python name"),
    ("timeout", "x-sdk-name 'timeout' is a name the SDK reserves"),
    ("colour", "x-sdk-name 'colour' is the name the wire name gives anyway"),
])
def test_a_python_name_is_checked(tmp_path: Path, value: str, message: str) -> None:
    text = NAMED.replace("x-sdk-name: shade", f"x-sdk-name: {value}  # @here")
    ptr = "/paths/~1v1~1{project_id}~1widgets/get/parameters/3/x-sdk-name"
    assert problems(tmp_path, text) == [(line_of(text, "# @here"), ptr, message)]


def test_a_former_name_must_not_be_another_fields(tmp_path: Path) -> None:
    text = replace_once(NAMED, "x-documented-as: size_cm", "x-sdk-name: name  # @here")
    assert problems(tmp_path, text) == [(
        line_of(text, "sizeInCm:"), "/components/schemas/Widget/properties/sizeInCm",
        "Python name 'name' of 'sizeInCm' is also that of 'name' in Widget")]


def test_a_former_keyword_must_not_be_another_arguments(tmp_path: Path) -> None:
    text = replace_once(NAMED, "x-sdk-name: shade", "x-sdk-name: limit")
    (found,) = problems(tmp_path, text)
    assert found[2] == "parameter 'colour' becomes Python argument 'limit', like 'limit'"


def test_the_keys_stand_on_properties_and_parameters_only(tmp_path: Path) -> None:
    text = replace_once(NAMED, "      operationId: ListWidgets\n",
                        "      operationId: ListWidgets\n      x-sdk-name: listing  # @here\n")
    assert problems(tmp_path, text) == [(
        line_of(text, "# @here"), "/paths/~1v1~1{project_id}~1widgets/get/x-sdk-name",
        "x-sdk-name belongs on a property of a component schema or a parameter")]


def test_the_ir_names_the_argument_and_keeps_its_former_keyword(tmp_path: Path) -> None:
    service = build_service(tmp_path, NAMED)
    (op,) = [o for o in service.operations if o.operation_id == "ListWidgets"]
    shade = next(a for a in op.arguments if a.wire_name == "colour")
    assert (shade.python_name, shade.type_name) == ("shade", "_ListWidgetsShade")
    assert op.renamed == (("colour", "shade"),)
    aliases = service.models.field_aliases
    assert aliases["Widget.sizeInCm"] == ["size_in_cm", "size_cm"]


USE = """
import warnings
import httpx
from dataarts.widgets import WidgetsClient
from dataarts.widgets.models import Widget

seen = []
http = httpx.Client(transport=httpx.MockTransport(lambda r: (seen.append(str(r.url)), httpx.Response(
    200, json={"total": 1, "widgets": [{"name": "w", "size_cm": 3}]}))[1]))
client = WidgetsClient(base_url="http://w", project_id="p", token="t", http_client=http)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    page = client.widgets.list(colour="red")
    old = page.widgets[0].size_cm
    made = Widget(name="n", size_cm=4)
print(seen[0])
print(page.widgets[0].size_in_cm, old, made.size_in_cm, made.model_dump(exclude_none=True))
print(" | ".join(f"{w.category.__name__}: {w.message}" for w in caught))
print(client.widgets.list(shade="blue") is not None, seen[1])
"""


def test_generated_code_reads_both_spellings_and_warns_on_former_names(tmp_path: Path) -> None:
    write_spec(tmp_path / "spec", NAMED)
    generate_into(tmp_path / "spec", tmp_path / "out")
    result = subprocess.run(
        [sys.executable, "-c", USE], capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "out")},
    )
    assert result.returncode == 0, result.stderr
    url, values, warned, again = result.stdout.splitlines()
    assert url == "http://w/v1/p/widgets?colour=red"
    assert values == "3 3 4 {'name': 'n', 'sizeInCm': 4}"
    assert warned.split(" | ") == [
        "DeprecationWarning: widgets.widgets.list(): keyword 'colour' is deprecated, use 'shade'",
        ("DeprecationWarning: Widget.size_cm is deprecated: use size_in_cm (the wire spells it "
         "sizeInCm)"),
        "DeprecationWarning: Widget(): keyword 'size_cm' is deprecated, use 'size_in_cm'",
    ]
    assert again == "True http://w/v1/p/widgets?colour=blue"
