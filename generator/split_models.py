"""Cut datamodel-code-generator's models into private modules, one per cycle of classes."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

from .cache import Cache
from .imports import isort_order
from .naming import snake

KIND = "split"


@dataclass(frozen=True)
class Group:
    """Classes (and type aliases) that refer to one another in a cycle, or a single one.

    They are defined together in `<service>/_models/<module>.py`; what they use from other groups
    is imported through the public models module, whose `__getattr__` creates it on first use.
    """

    module: str
    names: tuple[str, ...]  # in datamodel-code-generator's order
    source: str  # imports and definitions, without the generated-file header and docstring


def split_models_cached(source: str, cache: Cache, salt: str) -> list[Group]:
    """`split_models`, or its result kept from a run with the same source and generator code: a
    spec edit outside the schemas keeps datamodel-code-generator's source, and so its split."""
    key = Cache.key(KIND, salt, source)
    kept = cache.get(KIND, key)
    if kept is not None:
        return [Group(module, tuple(names), text) for module, names, text in json.loads(kept)]
    groups = split_models(source)
    cache.put(KIND, key, json.dumps([[g.module, list(g.names), g.source] for g in groups]))
    return groups


def split_models(source: str) -> list[Group]:
    """The groups of datamodel-code-generator's output (as `render_models` gives it), each after
    those it refers to.

    Top-level statements are imports, class definitions, type aliases (`Name: TypeAlias = ...`,
    each with the docstring that follows it) and `Name.model_rebuild()` calls; anything else is
    refused rather than dropped. A group imports what its definitions name: its own share of the
    original imports, and the other groups' classes. Its annotations are evaluated as the class
    is created, which makes creating it cheaper than resolving strings later, unless they cannot
    be: the classes of a cycle, a class naming itself, or a field shadowing a name a later
    annotation uses keep `from __future__ import annotations` (pydantic resolves those names in
    the public module, which holds the group's names once it has loaded it).
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    imports: dict[str, ast.ImportFrom] = {}  # bound name -> its import
    texts: dict[str, list[str]] = {}  # defined name -> its statements' source
    uses: dict[str, set[str]] = {}  # defined name -> every name its statements load
    deferred: set[str] = set()  # definitions whose annotations must stay unevaluated strings
    alias: tuple[str, int] | None = None  # a type alias just defined, and its first line
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            for imported in node.names:
                imports[imported.asname or imported.name] = node
            alias = None
            continue
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        if alias is not None and _is_docstring(node):  # the alias's docstring: kept with it
            name, start = alias
            texts[name][-1] = "\n".join(lines[start - 1:node.end_lineno])
            alias = None
            continue
        name = _defined_name(node)
        if name is None:
            raise ValueError(f"line {node.lineno}: unexpected statement in the models: "
                             f"{lines[node.lineno - 1].strip()}")
        texts.setdefault(name, []).append("\n".join(lines[start - 1:node.end_lineno]))
        if isinstance(node, ast.ClassDef) and not _annotations_evaluate(node):
            deferred.add(name)
        uses.setdefault(name, set()).update(
            n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        )
        alias = (name, start) if isinstance(node, (ast.AnnAssign, ast.Assign)) else None
    order = {name: i for i, name in enumerate(texts)}  # the source order
    edges = {name: sorted(uses[name] & order.keys() - {name}, key=order.__getitem__)
             for name in order}
    groups = []
    taken: set[str] = set()
    for members in _cycles(list(order), edges):
        used = set().union(*(uses[m] for m in members))
        elsewhere = {d for m in members for d in edges[m]} - set(members)
        body = "\n\n\n".join(texts[m][0] for m in members)  # the definitions, then rebuilds
        rebuilds = [text for m in members for text in texts[m][1:]]
        if rebuilds:  # black's blank lines: two after a class, else one (as the source has)
            after_class = texts[members[-1]][0].startswith(("class ", "@"))
            body += "\n" * (3 if after_class else 2) + "\n\n".join(rebuilds)
        lazy = len(members) > 1 or bool(deferred.intersection(members))
        groups.append(Group(_module_name(members[0], taken), tuple(members),
                            _with_imports(body, used, imports, sorted(elsewhere), lazy)))
    return groups


def _annotations_evaluate(node: ast.ClassDef) -> bool:
    """Whether the class's field annotations can be evaluated as its body runs: they name neither
    the class itself (not bound yet) nor a name the body has bound by then (a field shadowing it)."""
    bound: set[str] = set()
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign):
            named = {n.id for n in ast.walk(statement.annotation) if isinstance(n, ast.Name)}
            if node.name in named or named & bound:
                return False
        targets = ([statement.target] if isinstance(statement, ast.AnnAssign)
                   else statement.targets if isinstance(statement, ast.Assign) else [])
        bound.update(t.id for t in targets if isinstance(t, ast.Name))
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(statement.name)
    return True


def _defined_name(node: ast.stmt) -> str | None:
    """The name a top-level statement defines or rebuilds (None: not a statement models have)."""
    if isinstance(node, ast.ClassDef):
        return node.name
    if isinstance(node, (ast.AnnAssign, ast.Assign)):
        targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return targets[0].id
    if isinstance(node, ast.Expr):
        call = node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "model_rebuild"
            and isinstance(call.func.value, ast.Name)
        ):
            return call.func.value.id
    return None


def _is_docstring(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _cycles(names: list[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's algorithm), each in `names` order; a component
    comes after those it refers to."""
    position = {name: i for i, name in enumerate(names)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        on_stack.add(name)
        for other in edges[name]:
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in on_stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == name:
                    break
            found.append(sorted(members, key=position.__getitem__))

    for name in names:
        if name not in index:
            visit(name)
    return found


def _module_name(name: str, taken: set[str]) -> str:
    """`JobDependencyList` -> `job_dependency_list`; unique, also on case-insensitive file systems."""
    base = snake(name)
    module, n = base, 1
    while module.lower() in taken:
        n += 1
        module = f"{base}_{n}"
    taken.add(module.lower())
    return module


def _with_imports(
    body: str, used: set[str], imports: dict[str, ast.ImportFrom], elsewhere: list[str],
    lazy: bool,
) -> str:
    """`body` under the imports it needs, one package level deeper than the models module;
    `lazy`: with `from __future__ import annotations`."""
    lines = ["from __future__ import annotations"] if lazy else []
    for name in sorted(used & set(imports)):
        node = imports[name]
        if node.module == "__future__":
            continue
        (alias,) = [a for a in node.names if (a.asname or a.name) == name]
        module = "." * (node.level + 1 if node.level else 0) + (node.module or "")
        lines.append(f"from {module} import {alias.name}"
                     + (f" as {alias.asname}" if alias.asname else ""))
    if elsewhere:  # through the public module: it creates them, and is their home
        lines.append(f"from ..models import {', '.join(elsewhere)}")
    if not lines:
        return body + "\n"
    return isort_order("\n".join(lines) + "\n\n\n" + body + "\n")
