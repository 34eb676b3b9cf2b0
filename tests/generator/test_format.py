"""`generator.format`: formatting in class-sized pieces, in parallel, equals black on whole files."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black
import pytest

from generator import Paths
from generator.build import build_api
from generator.format import LINE_LENGTH, MODE, format_piece, format_sources
from generator.load import load_specs
from generator.models import black_strings, render_models
from generator.render import (
    VERBATIM_PACKAGES,
    models_module,
    render,
    verbatim_sources,
)
from tests.generator.conftest import ROOT
from tests.real_ir import real_api


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    """The real specs' rendered, not yet formatted models (public and private modules, and one client
    module, for variety)."""
    paths = Paths()
    api = real_api()
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
    """workers=1 formats in process; workers=2 goes through a process pool. The pool only
    changes where pieces are formatted and how they are joined back, which two dozen files
    holding classes show: it gets the smallest two dozen, not black over the whole set again."""
    if workers == 1:
        files = rendered
        formatted = format_sources(files)
    else:
        classes = [item for item in rendered.items() if "\nclass " in item[1]]
        files = dict(sorted(classes, key=lambda item: len(item[1]))[:24])
        assert len(files) == 24
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            formatted = format_sources(files, pool=pool)
    assert sorted(formatted) == sorted(files)
    differing = [name for name in files if formatted[name] != whole[name]]
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


GOLDEN = ROOT / "tests" / "golden" / "cases"


@pytest.mark.parametrize("case", ["(real specs)", *sorted(p.name for p in GOLDEN.iterdir()
                                                           if (p / "spec").is_dir())])
def test_every_file_of_a_black_layout_template_is_black_clean(case: str) -> None:
    """The guarantee behind the format step's skip (format.py): every file a template of
    BLACK_LAYOUT_TEMPLATES makes, and every module of datamodel-code-generator's models, for the
    real specs (the committed tree, which the drift check holds to the generator's output) and
    for each golden case (its expected tree) is black-clean, whether or not black ran on its
    pieces."""
    paths = Paths()
    spec_dir, tree = ((paths.spec_dir, paths.out_dir) if case == "(real specs)"
                      else (GOLDEN / case / "spec", GOLDEN / case / "expected"))
    api = real_api() if case == "(real specs)" else build_api(load_specs(spec_dir, paths.root))
    made = set(render(api, paths.templates_dir, paths.root).black_layout)
    assert "dataarts/__init__.py" in made and any(n.endswith("/_client.py") for n in made)
    made |= {p.relative_to(tree).as_posix() for p in tree.glob("dataarts/*/_models/*.py")}
    made |= {p.relative_to(tree).as_posix() for p in tree.glob("dataarts/*/models.py")}
    unclean = [name for name in sorted(made)
               if format_piece(text := (tree / name).read_text(encoding="utf-8")) != text]
    assert unclean == []


def test_a_black_layout_file_skips_black_on_pieces_that_fit_only() -> None:
    """A piece that fits is trusted to be black's layout (`( 1 )` is not: black would drop the
    spaces); a piece with an overlong line, or a wide one (East Asian characters count twice),
    goes through black; a comment line or a one-line docstring may be long. Other files go
    through black whole."""
    long = "class B:\n    y = [" + ", ".join(f"'v{i}'" for i in range(LINE_LENGTH // 4)) + "]\n"
    wide = "class C:\n    z = '" + "中" * (LINE_LENGTH // 2) + "'\n"
    comment = "# " + "c" * LINE_LENGTH + "\n"
    docstring = '    """' + "d" * LINE_LENGTH + '"""\n'  # black keeps a one-line docstring
    short = f"{comment}X = ( 1 )\n\n\nclass A:\n{docstring}\n    x = ( 2 )\n"
    text = f"{short}\n\n{long}\n\n{wide}"
    out = format_sources({"trusted.py": text, "other.py": text}, black_layout={"trusted.py"})
    assert out["other.py"] == format_piece(text)
    assert out["trusted.py"] == f"{short}\n\n{format_piece(long)}\n\n{format_piece(wide)}"
    assert "x = ( 2 )" in out["trusted.py"] and "[\n" in out["trusted.py"]
    assert "z = \"中" in out["trusted.py"]


def test_format_piece_uses_the_pinned_mode() -> None:
    long_call = "f(" + ", ".join(f"argument_{i}" for i in range(8)) + ")\n"
    assert len(long_call) < 100 and format_piece(long_call) == long_call  # line length 100
    assert format_piece("x = 'a'\n") == 'x = "a"\n'


def test_paths_are_the_project_defaults() -> None:
    paths = Paths()
    assert paths.spec_dir == ROOT / "spec" and paths.templates_dir == ROOT / "templates"
    assert Path(paths.out_dir) == ROOT / "generated"


STRINGS = ["'plain'", "''", "'it\\'s'", "'say \"hi\"'", "'both \\' and \"'", "'x\"\"y'",
           "'a\\\\'", "'\\\\\\''", "'\\n\\t'", "'\\\\\"'", '"kept"', "\"it's\"", "b'bytes'",
           "'''triple'''"]


@pytest.mark.parametrize("literal", STRINGS)
def test_model_strings_are_quoted_as_black_quotes_them(literal: str) -> None:
    """datamodel-code-generator prints `repr()`; `black_strings` requotes as black would."""
    source = f"x = {literal}\ny: Literal[{literal}, {literal}] = {literal}\n"
    assert black_strings(source) == format_piece(source) or literal.startswith(("b", "'''"))


def test_a_model_file_skips_black_on_settled_pieces_only() -> None:
    """A piece of datamodel-code-generator's output skips black when it fits and holds nothing
    black might change (`format._UNSETTLED`); a single-quoted string, a docstring with spaces
    at an end or one over several lines, or trailing whitespace send it to black."""
    settled = 'class A(Model):\n    """It\'s "A"."""\n\n    x: Literal["a"] | None = None\n'
    unsettled = [
        "class B(Model):\n    x: Literal['b'] | None = None\n",
        'class C(Model):\n    """Trailing space. """\n\n    x: int\n',
        'class D(Model):\n    """Two\nlines."""\n\n    x: int\n',
        "class E(Model):\n    x: int \n",
    ]
    for piece in unsettled:
        out = format_sources({"m.py": piece}, model_layout={"m.py"})
        assert out["m.py"] == format_piece(piece) != piece
    assert format_sources({"m.py": settled}, model_layout={"m.py"}) == {"m.py": settled}


def test_lines_black_cannot_split_do_not_send_a_piece_to_black() -> None:
    """A lone string element, a line inside a docstring over several lines (or opening it), and
    a line under black's length counted in East Asian width skip black like a line that fits
    (`x = ( 1 )` shows black did not run); the line closing a docstring does not (black may put
    its quotes on a line of their own)."""
    long = "w" * LINE_LENGTH
    element = f'X = [\n    "{long}",\n    \'say "{long}"\',\n    help="{long}",\n]\nY = ( 1 )\n'
    inside = f'class A:\n    """Doc.\n\n    {long}\n    """\n\n    y = ( 2 )\n'
    opening = f'class B:\n    """{long}\n    more.\n    """\n\n    y = ( 3 )\n'
    wide = f'Z = ( 4 )\nW = "{"中" * 45}"\n'
    for text in (element, inside, opening, wide):
        assert format_sources({"t.py": text}, black_layout={"t.py"}) == {"t.py": text}
    closing = f'class C:\n    """Doc.\n\n    {long}"""\n\n    y = ( 5 )\n'
    assert format_piece(closing) != closing
    assert format_sources({"t.py": closing}, black_layout={"t.py"}) == {"t.py": format_piece(closing)}
