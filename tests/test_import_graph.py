"""The import graph of the generator and the hand-written packages: no cycles, no runtime → service.

Imports inside functions count (they still tie two modules together); imports under
`if TYPE_CHECKING:` do not, and neither does the implicit import of a module's parent package.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"

# (package name, its directory); the hand-written ones are checked as they ship in generated/
PACKAGES = [
    ("generator", ROOT / "generator"),
    ("dataarts._runtime", GENERATED / "dataarts" / "_runtime"),
    ("dataarts.cli", GENERATED / "dataarts" / "cli"),
    ("dataarts.testing", GENERATED / "dataarts" / "testing"),
]
SERVICE_PACKAGES = (
    "dataarts.cdm",
    "dataarts.dlf",
    "dataarts.factory",
    "dataarts.lakeformation",
)


def modules_of(package: str, directory: Path) -> dict[str, Path]:
    """Every module below `directory`, by its dotted name (a package by its own name)."""
    found = {}
    for path in sorted(directory.rglob("*.py")):
        parts = path.relative_to(directory).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((package, *parts))] = path
    return found


def imported_names(module: str, path: Path) -> Iterator[tuple[str, ...]]:
    """What `module` imports, relative imports resolved; TYPE_CHECKING blocks skipped.

    Each import is a tuple of candidate names, the most specific first: `from .a import b` is
    the module `a.b` if there is one, else `a`.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            yield from ((alias.name,) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node.module or "", node.level, base)
            yield from ((f"{target}.{alias.name}", target) for alias in node.names)
        elif isinstance(node, ast.Call) and _is_import_module(node):
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                name = first.value
                level = len(name) - len(name.lstrip("."))
                yield (_resolve(name.lstrip("."), level, base),)


def _resolve(name: str, level: int, base: list[str]) -> str:
    """An absolute dotted name for `from <level dots><name>` inside the package `base`."""
    if not level:
        return name
    anchor = base[: len(base) - (level - 1)]
    return ".".join([*anchor, *([name] if name else [])])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_import_module(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "import_module"


def graph(package: str, directory: Path) -> dict[str, set[str]]:
    """Edges between the modules of one package (targets outside it are dropped)."""
    modules = modules_of(package, directory)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for candidates in imported_names(name, path):
            target = next((c for c in candidates if c in modules), None)
            if target is not None and target != name:
                edges[name].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


@pytest.mark.parametrize(("package", "directory"), PACKAGES)
def test_no_import_cycle(package: str, directory: Path) -> None:
    assert cycles(graph(package, directory)) == []


def test_runtime_imports_no_service() -> None:
    directory = GENERATED / "dataarts" / "_runtime"
    offending = sorted(
        f"{name} imports {target}"
        for name, path in modules_of("dataarts._runtime", directory).items()
        for candidates in imported_names(name, path)
        for target in candidates[-1:]
        if target.startswith(SERVICE_PACKAGES)
    )
    assert offending == []


def test_the_checker_sees_cycles_and_skips_type_checking(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text(
        "import importlib\nX = importlib.import_module('.c', __package__)\n"
    )
    (pkg / "c.py").write_text("from . import a\n")
    (pkg / "d.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .e import x\n"
    )
    (pkg / "e.py").write_text("from .d import y\n")
    assert cycles(graph("pkg", pkg)) == [["pkg.a", "pkg.b", "pkg.c"]]
