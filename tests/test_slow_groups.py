"""tests/conftest.py's slow groups: what `-m` leaves out is not imported, and the files holding
the costliest groups are handed out first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import conftest
from tests.conftest import TESTS


def ignored(where: str, markexpr: str) -> bool | None:
    config: Any = SimpleNamespace(option=SimpleNamespace(markexpr=markexpr))
    return conftest.pytest_ignore_collect(TESTS / where, config)


@pytest.mark.parametrize(("where", "markexpr", "expected"), [
    ("simulator/test_schemathesis.py", "not slow", True),
    ("golden", "not slow", True),  # a folder: its conftest and cases are not read either
    ("simulator/test_schemathesis.py", "not schemathesis", True),
    ("simulator/test_schemathesis.py", "schemathesis", None),
    ("simulator/test_schemathesis.py", "slow", None),
    ("simulator/test_schemathesis.py", "", None),
    # a test there may carry another marker the expression names
    ("simulator/test_schemathesis.py", "not slow or xfail", None),
    ("simulator/test_schemathesis.py", "not (slow and not parametrize)", None),
    # only some of its tests are slow, or none is
    ("spec_product/test_code_samples.py", "not slow", None),
    ("runtime/test_client.py", "not slow", None),
])
def test_a_wholly_slow_path_is_not_collected_when_m_leaves_out_all_its_tests(
        where: str, markexpr: str, expected: bool | None) -> None:
    assert ignored(where, markexpr) is expected


class FakeItem:
    def __init__(self, where: str, name: str) -> None:
        self.path, self.name, self.originalname = TESTS / where, name, name
        self.markers: list[str] = []

    def add_marker(self, marker: str) -> None:
        self.markers.append(marker)


def test_files_of_the_costliest_groups_come_first_each_keeping_its_order() -> None:
    items = [FakeItem("runtime/test_client.py", "test_a"),
             FakeItem("spec_product/test_code_samples.py", "test_samples_use_the_generated_names"),
             FakeItem("spec_product/test_code_samples.py", "test_python_samples_pass_mypy_strict"),
             FakeItem("runtime/test_client.py", "test_b"),
             FakeItem("simulator/test_load.py", "test_load"),
             FakeItem("spec_product/test_rendered_reference.py", "test_pages")]
    conftest.pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [(Path(i.path).name, i.name) for i in items] == [
        ("test_rendered_reference.py", "test_pages"),
        ("test_code_samples.py", "test_samples_use_the_generated_names"),
        ("test_code_samples.py", "test_python_samples_pass_mypy_strict"),
        ("test_load.py", "test_load"),
        ("test_client.py", "test_a"),
        ("test_client.py", "test_b"),
    ]
    assert items[2].markers == ["mypy", "slow"] and items[1].markers == []
