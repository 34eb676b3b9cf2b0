"""`generator.models`: pydantic models through datamodel-code-generator, as the package needs them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from generator.format import format_piece
from generator.models import render_models
from tests.generator.conftest import BASE_SPEC, build_service, replace_once

MODELS_SPEC = replace_once(BASE_SPEC, """\
    Widget:
      type: object
      required:
        - name
      properties:
        name:
          type: string
          description: Widget name.
        sizeInCm:
          type: integer
""", """\
    Widget:
      type: object
      description: A widget.
      required:
        - name
      properties:
        name:
          type: string
          description: Widget name.
          minLength: 3
          maxLength: 5
          pattern: '^[a-z]+$'
        sizeInCm:
          type: integer
          minimum: 1
          maximum: 10
        plain_snake:
          type: string
        thing-name:
          type: string
        class:
          type: string
        schema:
          type: string
        colour:
          type: string
          enum: [red, blue]
        level:
          type: integer
          enum: [1, 2]
        parts:
          type: array
          maxItems: 1
          items:
            $ref: "#/components/schemas/Part"
        shape:
          $ref: "#/components/schemas/Shape"
    Part:
      type: object
      properties:
        part-no:
          type: string
    Shape:
      oneOf:
        - $ref: "#/components/schemas/Circle"
        - $ref: "#/components/schemas/Square"
    Circle:
      type: object
      required: [radius]
      properties:
        radius:
          type: number
    Square:
      type: object
      required: [side]
      properties:
        side:
          type: number
""")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> str:
    text = MODELS_SPEC.replace(
        "                $ref: \"#/components/schemas/Widget\"\n        \"400\":",
        "                $ref: \"#/components/schemas/Shape\"\n        \"400\":",
    )
    return render_models(build_service(tmp_path_factory.mktemp("models"), text))


@pytest.fixture(scope="module")
def formatted(source: str) -> str:
    return format_piece(source)


@pytest.fixture(scope="module")
def module(source: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The models imported as a module (its relative base-class import pointed at `dataarts`)."""
    name = "_generator_test_models"
    path = tmp_path_factory.mktemp("module") / f"{name}.py"
    path.write_text(source.replace("from .._runtime.models import Model",
                                   "from dataarts._runtime.models import Model"))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # pydantic resolves the annotations through sys.modules
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]


def line_of_field(source: str, name: str) -> str:
    (line,) = [ln.strip() for ln in source.splitlines() if ln.strip().startswith(f"{name}:")]
    return line


def test_aliases_only_where_the_wire_name_differs(formatted: str) -> None:
    source = formatted
    assert line_of_field(source, "thing_name") == (
        'thing_name: Annotated[str | None, Field(alias="thing-name")] = None')
    assert line_of_field(source, "class_").startswith('class_: Annotated[str | None, Field(alias="class")]')
    assert line_of_field(source, "schema_").startswith('schema_: Annotated[str | None, Field(alias="schema")]')
    assert line_of_field(source, "size_in_cm").startswith(
        'size_in_cm: Annotated[int | None, Field(alias="sizeInCm")]')
    assert line_of_field(source, "plain_snake") == "plain_snake: str | None = None"
    assert line_of_field(source, "name") == "name: str"


def test_open_enums(formatted: str) -> None:
    source = formatted
    assert line_of_field(source, "colour") == 'colour: Literal["red", "blue"] | str | None = None'
    assert line_of_field(source, "level") == "level: Literal[1, 2] | int | None = None"


def test_limits_are_not_carried_into_models(source: str) -> None:
    for word in ("min_length", "max_length", "pattern", "ge=", "le=", "max_items", "constr", "conint"):
        assert word not in source, word


def test_base_class_import_is_relative(source: str) -> None:
    assert "from .._runtime.models import Model\n" in source
    assert "dataarts" not in source
    assert "class Widget(Model):" in source


def test_no_banner_or_timestamp(source: str) -> None:
    assert "datamodel-codegen" not in source and "timestamp" not in source
    assert source.startswith("from __future__ import annotations\n\n")


def test_union_components_become_type_aliases(formatted: str, module: Any) -> None:
    assert "\nShape: TypeAlias = Circle | Square\n" in formatted
    assert isinstance(TypeAdapter(module.Shape).validate_python({"side": 2}), module.Square)


def test_source_passes_ruff(formatted: str, tmp_path: Path) -> None:
    path = tmp_path / "models.py"
    path.write_text(formatted)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "check", "--isolated", "--no-cache",
         "--select", "E4,E7,E9,F,I", str(path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout


def test_parse_by_wire_name_and_keep_unknown_fields(module: Any) -> None:
    wire = {"name": "bolt", "thing-name": "t", "sizeInCm": 99, "class": "c", "colour": "green",
            "level": 7, "parts": [{"part-no": "1", "extra": True}, {"part-no": "2"}],
            "brandNew": {"x": 1}, "shape": {"radius": 1.5}}
    widget = module.Widget.model_validate(wire)
    assert (widget.thing_name, widget.size_in_cm, widget.class_) == ("t", 99, "c")
    assert (widget.colour, widget.level) == ("green", 7)  # values beyond the enums still parse
    assert widget.model_extra == {"brandNew": {"x": 1}}
    assert widget.parts[0].model_extra == {"extra": True}
    assert isinstance(widget.shape, module.Circle)
    assert widget.model_dump(mode="json", exclude_unset=True) == wire  # by wire name, nothing lost


def test_construct_by_python_name(module: Any) -> None:
    widget = module.Widget(name="bolt", thing_name="t", size_in_cm=3, class_="c")
    assert widget.model_dump(exclude_unset=True) == {
        "name": "bolt", "thing-name": "t", "sizeInCm": 3, "class": "c"}


def test_limits_do_not_reject_values(module: Any) -> None:
    widget = module.Widget.model_validate({"name": "TOO LONG NAME", "sizeInCm": 0, "parts": [{}, {}]})
    assert (widget.name, widget.size_in_cm, len(widget.parts)) == ("TOO LONG NAME", 0, 2)
