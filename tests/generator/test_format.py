"""`generator.format`: formatting in class-sized pieces, in parallel, equals black on whole files."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black
import pytest

from generator import Paths
from generator.build import build_api
from generator.format import MODE, format_piece, format_sources
from generator.load import SpecFile
from generator.models import render_models
from generator.render import VERBATIM_PACKAGES, models_module, render, verbatim_sources
from tests.generator.conftest import ROOT


@pytest.fixture(scope="module")
def rendered(real_specs: list[SpecFile]) -> dict[str, str]:
    """The real specs' rendered, not yet formatted models (public and private modules, and one client
    module, for variety)."""
    paths = Paths()
    api = build_api(real_specs)
    files = render(api, paths.templates_dir, paths.root).to_format
    for service in api.services:
        files.update(models_module(service, render_models(service), paths.templates_dir))
    smallest_client = min((n for n in files if n.endswith("/_client.py")), key=lambda n: len(files[n]))
    chosen = {n: t for n, t in files.items()
              if n.endswith("/models.py") or "/_models/" in n or n == smallest_client}
    assert sum(len(text) for text in chosen.values()) > 100_000  # big enough to go parallel
    return chosen


@pytest.fixture(scope="module")
def whole(rendered: dict[str, str]) -> dict[str, str]:
    return {name: black.format_str(text, mode=MODE) if name.endswith(".py") else text
            for name, text in rendered.items()}


def test_real_models_are_rendered(rendered: dict[str, str]) -> None:
    models = [name for name in rendered if name.endswith("/models.py")]
    assert len(models) >= 3
    assert sum("/_models/" in name for name in rendered) > 100  # their private modules


@pytest.mark.parametrize("workers", [1, 2])
def test_pieces_equal_black_on_whole_files(rendered: dict[str, str], whole: dict[str, str],
                                           workers: int) -> None:
    """workers=1 formats in process; workers=2 goes through a process pool."""
    if workers == 1:
        formatted = format_sources(rendered)
    else:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            formatted = format_sources(rendered, pool=pool)
    assert sorted(formatted) == sorted(rendered)
    differing = [name for name in rendered if formatted[name] != whole[name]]
    assert differing == []


TRICKY = '''\
"""Module docstring."""
from __future__ import annotations
import os



class A:
    x: int=1



    def f(self): return os.sep
class B(A):


    """Doc."""
    y = [1,
      2]




class C: pass
# a comment before a class


class D:
    @property
    def p(self): return 1
X = 1


class E(
    A
):
    pass
'''


def test_pieces_equal_black_on_awkward_spacing() -> None:
    files = {"a.py": TRICKY, "b.txt": "class  not python\n\n\n\nclass x"}
    assert format_sources(files) == {"a.py": format_piece(TRICKY), "b.txt": files["b.txt"]}


def test_hand_written_sources_are_already_black_formatted() -> None:
    """render() copies the hand-written folders (runtime, simulator, command line) without
    formatting them: they must be formatted. The one home of this check (issue 20)."""
    for folder, package in VERBATIM_PACKAGES:
        for source, _ in verbatim_sources(ROOT / "templates" / folder, package):
            text = source.read_text(encoding="utf-8")
            assert format_piece(text) == text, source.relative_to(ROOT).as_posix()


def test_format_piece_uses_the_pinned_mode() -> None:
    long_call = "f(" + ", ".join(f"argument_{i}" for i in range(8)) + ")\n"
    assert len(long_call) < 100 and format_piece(long_call) == long_call  # line length 100
    assert format_piece("x = 'a'\n") == 'x = "a"\n'


def test_paths_are_the_project_defaults() -> None:
    paths = Paths()
    assert paths.spec_dir == ROOT / "spec" and paths.templates_dir == ROOT / "templates"
    assert Path(paths.out_dir) == ROOT / "generated"
