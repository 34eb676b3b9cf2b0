"""`generator.split_models`: datamodel-code-generator's output cut into one module per cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cache import Cache
from generator.split_models import Group, split_models, split_models_cached
from tests.generator.conftest import BASE_SPEC, generate_into, replace_once, write_spec

SOURCE = '''\
from __future__ import annotations

from datetime import date as date_aliased
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import Field, RootModel

from .._runtime.models import Model


class Base(Model):
    kind: Literal["a", "b"] | str | None = None


class Circle(Base):
    """A circle."""

    radius: float
    owner: Owner | None = None


class HttpStatus(Model):
    code: int | None = None


class HTTPStatus(Model):
    when: date_aliased | None = None


class Odd(Model):
    kind: str | None = None
    kinds: list[kind] | None = None  # a field shadowing what a later annotation names


class Owner(Model):
    shapes: Annotated[list[Circle] | None, Field(alias="Shapes")] = None
    tree: Tree | None = None


class Tree(Model):
    children: list[Tree] | None = None
    extra: dict[str, Any] | None = None


class Trees(RootModel[list[Tree]]):
    root: list[Tree]


Tree.model_rebuild()

Shape: TypeAlias = Circle | HttpStatus
"""One of the shapes of the `Shape` schema: Circle, HttpStatus."""
'''


@pytest.fixture(scope="module")
def groups() -> dict[str, Group]:
    return {group.module: group for group in split_models(SOURCE)}


def test_one_module_per_cycle_dependencies_first() -> None:
    assert [(g.module, g.names) for g in split_models(SOURCE)] == [
        ("base", ("Base",)),
        ("tree", ("Tree",)),
        ("circle", ("Circle", "Owner")),  # Circle -> Owner -> Circle: one module
        ("http_status", ("HttpStatus",)),
        ("http_status_2", ("HTTPStatus",)),  # distinct also where case does not count
        ("odd", ("Odd",)),
        ("trees", ("Trees",)),
        ("shape", ("Shape",)),
    ]


def test_a_module_imports_what_it_names_and_the_other_groups_through_the_public_module(
    groups: dict[str, Group],
) -> None:
    assert groups["circle"].source.startswith(
        "from __future__ import annotations\n\n"
        "from typing import Annotated\n\n"
        "from pydantic import Field\n\n"
        "from ..._runtime.models import Model\n"
        "from ..models import Base, Tree\n\n\n"
        "class Circle(Base):\n"
    )
    assert groups["http_status_2"].source.startswith(
        "from datetime import date as date_aliased\n\n"
        "from ..._runtime.models import Model\n\n\n"
    )
    assert "from ..models import" not in groups["base"].source
    assert "from typing import Literal\n" in groups["base"].source


def test_annotations_stay_strings_only_where_they_cannot_be_evaluated_at_once(
    groups: dict[str, Group],
) -> None:
    """A class of a cycle or naming itself, or one with a field shadowing a later annotation's
    name, keeps `from __future__ import annotations`; the others' annotations are evaluated as
    the class is created (cheaper for pydantic than strings it must compile and evaluate)."""
    lazy = {module for module, group in groups.items()
            if group.source.startswith("from __future__ import annotations\n")}
    assert lazy == {"circle", "tree", "odd"}
    for group in groups.values():
        assert ("from __future__ import annotations" in group.source) == (group.module in lazy)


def test_cycle_keeps_the_source_order(groups: dict[str, Group]) -> None:
    source = groups["circle"].source
    assert source.index("class Circle(Base):") < source.index("class Owner(Model):")


def test_rebuild_calls_follow_their_class_and_alias_docstrings_stay_with_the_alias(
    groups: dict[str, Group],
) -> None:
    """With black's blank lines: two after a class, one after the imports before an alias."""
    assert groups["tree"].source.endswith(
        "    extra: dict[str, Any] | None = None\n\n\nTree.model_rebuild()\n"
    )
    assert groups["shape"].source.endswith(
        "from ..models import Circle, HttpStatus\n\n"
        "Shape: TypeAlias = Circle | HttpStatus\n"
        '"""One of the shapes of the `Shape` schema: Circle, HttpStatus."""\n'
    )
    assert "from pydantic import RootModel\n" in groups["trees"].source


def test_every_definition_is_kept_once() -> None:
    modules = split_models(SOURCE)
    bodies = "".join(group.source for group in modules)
    for statement in ("class Base(", "class Circle(", "class HttpStatus(", "class HTTPStatus(",
                      "class Odd(", "class Owner(", "class Tree(", "class Trees(", "Tree.model_rebuild()",
                      "Shape: TypeAlias", '"""One of the shapes'):
        assert bodies.count(statement) == 1, statement


def test_same_output_every_run() -> None:
    assert split_models(SOURCE) == split_models(SOURCE)


def test_a_kept_split_is_served_without_parsing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.split_models as module

    cache = Cache(tmp_path)
    first = split_models_cached(SOURCE, cache, "salt")
    assert first == split_models(SOURCE)
    monkeypatch.setattr(module, "split_models", lambda source: pytest.fail("split again"))
    assert split_models_cached(SOURCE, cache, "salt") == first
    other = SOURCE.replace("class Odd(", "class Even(")  # another source is split, not served
    with pytest.raises(pytest.fail.Exception, match="split again"):
        split_models_cached(other, cache, "salt")


def test_an_unknown_statement_is_refused() -> None:
    with pytest.raises(ValueError, match=r"line 4: unexpected statement in the models: print\(1\)"):
        split_models("from __future__ import annotations\n\n\nprint(1)\n")


CYCLIC_SPEC = replace_once(BASE_SPEC, """\
        sizeInCm:
          type: integer
    WidgetList:""", """\
        sizeInCm:
          type: integer
        parts:
          type: array
          items:
            $ref: "#/components/schemas/Part"
    Part:
      type: object
      properties:
        part-no:
          type: string
        mainWidget:
          $ref: "#/components/schemas/Widget"
        subParts:
          type: array
          items:
            $ref: "#/components/schemas/Part"
    WidgetList:""")


@pytest.fixture(scope="module")
def cyclic_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cyclic")
    write_spec(root / "spec", CYCLIC_SPEC)
    generate_into(root / "spec", root / "generated")
    return root / "generated"


def test_a_cycle_is_one_private_module(cyclic_tree: Path) -> None:
    models = cyclic_tree / "dataarts" / "widgets"
    assert sorted(p.name for p in (models / "_models").glob("*.py")) == [
        "__init__.py", "error.py", "part.py", "widget_list.py"]
    part = (models / "_models" / "part.py").read_text(encoding="utf-8")
    assert "class Part(Model):" in part and "class Widget(Model):" in part
    assert '    from ._models.part import Part, Widget\n' in (models / "models.py").read_text()


CYCLE_SCENARIO = """
import pickle, sys
import httpx
from dataarts.widgets import WidgetsClient

body = {"name": "w", "parts": [{"part-no": "1", "mainWidget": {"name": "inner"},
                                "subParts": [{"part-no": "1.1"}]}]}
http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))
client = WidgetsClient(region="r", project_id="p", token="t", http_client=http)
{first}
widget = client.widgets.get(widget_id="w")
part = widget.parts[0]
assert (part.main_widget.name, part.sub_parts[0].part_no) == ("inner", "1.1"), widget
assert widget.model_dump(exclude_unset=True) == body
from dataarts.widgets import models
assert type(widget) is models.Widget and type(part) is models.Part
assert [models.Part.__module__, models.Widget.__module__] == ["dataarts.widgets.models"] * 2
assert pickle.loads(pickle.dumps(widget)) == widget
assert "dataarts.widgets._models.widget_list" not in sys.modules
print("ok")
"""


@pytest.mark.parametrize("first", ["", "from dataarts.widgets.models import Part",
                                   "from dataarts.widgets._models.part import Widget"])
def test_classes_in_a_cycle_resolve_each_other_whichever_comes_first(
    cyclic_tree: Path, first: str
) -> None:
    """Part's annotation `Annotated[Widget | None, Field(alias=...)]` names Widget, defined after
    it: pydantic evaluates it again when it builds the schema, in the module `__module__` names
    (the public one: it has been given the private module's names, `Annotated` and `Field`
    included)."""
    done = subprocess.run(
        [sys.executable, "-c", CYCLE_SCENARIO.replace("{first}", first)],
        env={"PYTHONPATH": str(cyclic_tree), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.stdout == "ok\n", done.stdout + done.stderr
