"""`dataarts._runtime.lazy.lazy_names`, directly: a throwaway package built on disk."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """`pkg_lazy.models` over `pkg_lazy._models.{first,second}`; `second` imports from `models`."""
    root = tmp_path / "pkg_lazy"
    (root / "_models").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "_models" / "__init__.py").write_text("")
    (root / "_models" / "first.py").write_text("class First:\n    pass\n\nHELPER = 1\n")
    (root / "_models" / "second.py").write_text(
        textwrap.dedent(
            """
            from ..models import First

            class Second:
                parent = First
            """
        )
    )
    (root / "models.py").write_text(
        textwrap.dedent(
            """
            from dataarts._runtime.lazy import lazy_names

            __all__ = ["First", "Second"]
            _MODULES = {"First": "first", "Second": "second"}
            __getattr__, __dir__ = lazy_names(globals(), _MODULES, __all__)
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    from pkg_lazy import models

    yield models
    for name in [m for m in sys.modules if m.startswith("pkg_lazy")]:
        del sys.modules[name]


def test_a_name_imports_only_its_module_and_what_that_one_asks_for(package: ModuleType) -> None:
    assert "pkg_lazy._models.first" not in sys.modules
    second = package.Second
    assert second.parent is package.First
    assert {"pkg_lazy._models.first", "pkg_lazy._models.second"} <= set(sys.modules)


def test_classes_are_homed_in_the_public_module(package: ModuleType) -> None:
    assert "HELPER" not in vars(package)
    assert package.First.__module__ == "pkg_lazy.models"
    assert vars(package)["HELPER"] == 1  # the import copied the module's other names too


def test_dir_lists_names_not_yet_created_and_unknown_names_raise(package: ModuleType) -> None:
    assert {"First", "Second"} <= set(dir(package))
    with pytest.raises(AttributeError, match="pkg_lazy.models.*Third"):
        package.Third  # noqa: B018
