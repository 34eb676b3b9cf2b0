"""The runtime uses other modules' objects through their public interface only (issue 20).

An AST scan of `templates/runtime`: reading, setting or importing a private name (`_x`, not a
dunder) is allowed on `self`/`cls`, and on objects of the module's own classes (a name the module
itself defines: a method, a class attribute or slot, a `self._x = ...`); nowhere else. NamedTuple
methods (`_replace`, ...) are public API despite the underscore. The one allowed reach into a
library's internals is `dataarts._runtime.urls.with_encoded` (httpx's parsed URL).
"""

from __future__ import annotations

import ast
from pathlib import Path

RUNTIME = Path(__file__).resolve().parents[2] / "templates" / "runtime"
NAMED_TUPLE_API = frozenset({"_replace", "_fields", "_asdict", "_make", "_field_defaults"})
ALLOWED = frozenset({("urls.py", "_uri_reference")})  # see with_encoded's docstring
ATTRIBUTE_FUNCTIONS = frozenset({"getattr", "setattr", "hasattr", "delattr"})


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def own_names(tree: ast.Module) -> set[str]:
    """The private names a module defines for its own classes and their objects."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.add(stmt.name)
                elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    found.add(stmt.target.id)
                elif isinstance(stmt, ast.Assign):
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            found.add(target.id)
                            if target.id == "__slots__" and isinstance(stmt.value, ast.Tuple):
                                found.update(
                                    e.value for e in stmt.value.elts if isinstance(e, ast.Constant)
                                )
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id in ("self", "cls")
            ):
                found.add(target.attr)
    return found


def private_uses(path: Path) -> list[str]:
    """`file:line: what` for each use of another module's private name in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    allowed = own_names(tree) | NAMED_TUPLE_API | {n for f, n in ALLOWED if f == path.name}
    found = []
    for node in ast.walk(tree):
        name, holder = None, None
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            name, holder = node.attr, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ATTRIBUTE_FUNCTIONS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
        ):
            name, holder = node.args[1].value, node.args[0]
        elif isinstance(node, ast.ImportFrom):
            found += [
                f"{path.name}:{node.lineno}: imports {alias.name} from {node.module}"
                for alias in node.names
                if is_private(alias.name)
            ]
        if name is None or name in allowed:
            continue
        if isinstance(holder, ast.Name) and holder.id in ("self", "cls"):
            continue
        found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_runtime_reads_no_private_attribute_of_another_modules_objects() -> None:
    modules = sorted(RUNTIME.glob("*.py"))
    assert len(modules) > 10
    assert [use for path in modules for use in private_uses(path)] == []


def test_the_scan_sees_what_it_forbids(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from .auth import _signable\n"
        "class Mine:\n"
        "    __slots__ = ('_slot',)\n"
        "    def _helper(self): return self._other\n"
        "    def use(self, peer, auth, spec):\n"
        "        self._set = 1\n"
        "        peer._helper(); peer._slot; peer._set; spec._replace(a=1)\n"
        "        auth._token\n"
        "        getattr(auth, '_key', None)\n"
        "        setattr(auth, 'public', 1); auth.__dict__\n"
    )
    assert private_uses(source) == [
        "sample.py:1: imports _signable from auth",
        "sample.py:8: auth._token",
        "sample.py:9: getattr(auth, '_key', None)",
    ]
