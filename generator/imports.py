"""The imports of generated modules: kept to what a module uses, and grouped as ruff's isort wants."""

from __future__ import annotations

import ast

from .naming import isort_key

_STDLIB = frozenset({"__future__", "typing", "enum", "datetime", "decimal", "uuid", "ipaddress", "pathlib"})
_SECTIONS = ("__future__", "stdlib", "third-party", "local")


def prune_unused(source: str) -> str:
    """`source` whose leading imports keep only the names the rest of the module uses.

    A template imports every name it may need, in isort's order; here an import left with none
    goes, and so does an `if TYPE_CHECKING:` block left empty (and then `TYPE_CHECKING` itself).
    Statements keep their layout (one line, or one name per line), groups their blank lines.
    Names listed in `__all__` count as used.
    """
    tree = ast.parse(source)
    body = tree.body[1:] if tree.body and _is_docstring(tree.body[0]) else tree.body
    head = []
    for node in body:
        if not (isinstance(node, (ast.Import, ast.ImportFrom)) or _is_type_checking_imports(node)):
            break
        head.append(node)
    if not head:
        return source
    rest = body[len(head):]
    used = {n.id for node in rest for n in ast.walk(node) if isinstance(n, ast.Name)}
    used |= _exported(rest)
    kept_blocks = [node for node in head if isinstance(node, ast.If)
                   and any(_kept(s, used) for s in node.body)]
    if kept_blocks:
        used.add("TYPE_CHECKING")
    lines = source.splitlines(keepends=True)
    out = _layout(head, used, indent="")
    start, end = head[0].lineno - 1, head[-1].end_lineno or head[-1].lineno
    return "".join(lines[:start]) + out + "".join(lines[end:])


def _layout(nodes: list[ast.stmt], used: set[str], indent: str) -> str:
    """The statements that keep a name, a blank line wherever the template had one."""
    parts: list[str] = []
    previous_end, gap = None, False
    for node in nodes:
        # a blank line before a statement that goes stays before the next one that does not
        gap = gap or (previous_end is not None and node.lineno > previous_end + 1)
        previous_end = node.end_lineno
        if isinstance(node, ast.If):
            inner = _layout(node.body, used, indent + "    ")
            text = f"{indent}if TYPE_CHECKING:\n{inner}" if inner else ""
        else:
            text = _statement(node, used, indent)  # type: ignore[arg-type]
        if not text:
            continue
        if gap and parts:
            parts.append("\n")
        parts.append(text)
        gap = False
    return "".join(parts)


def _statement(node: ast.Import | ast.ImportFrom, used: set[str], indent: str) -> str:
    names = [a for a in node.names if _bound(a) in used or _always(node)]
    if not names:
        return ""
    spelled = [a.name + (f" as {a.asname}" if a.asname else "") for a in names]
    if isinstance(node, ast.Import):
        return "".join(f"{indent}import {name}\n" for name in spelled)
    module = "." * node.level + (node.module or "")
    if node.end_lineno != node.lineno:  # written one name per line: kept so
        inner = "".join(f"{indent}    {name},\n" for name in spelled)
        return f"{indent}from {module} import (\n{inner}{indent})\n"
    return f"{indent}from {module} import {', '.join(spelled)}\n"


def _kept(node: ast.stmt, used: set[str]) -> bool:
    return isinstance(node, (ast.Import, ast.ImportFrom)) and any(
        _bound(a) in used or _always(node) for a in node.names)


def _bound(alias: ast.alias) -> str:
    return alias.asname or alias.name.split(".")[0]


def _always(node: ast.Import | ast.ImportFrom) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


def _is_type_checking_imports(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING" and not node.orelse
            and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in node.body))


def _is_docstring(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _exported(nodes: list[ast.stmt]) -> set[str]:
    """The names a module's `__all__` lists."""
    for node in nodes:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        value = getattr(node, "value", None)
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and isinstance(
            value, (ast.List, ast.Tuple)
        ):
            return {e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def isort_order(source: str) -> str:
    """Drop datamodel-codegen's banner and regroup its one-line imports the way ruff's isort wants.

    The base class import becomes relative (datamodel-codegen only takes an absolute path), so the
    generated package never depends on how a linter classifies `dataarts`.
    """
    lines = source.splitlines()
    sections: dict[str, dict[str, set[str]]] = {s: {} for s in _SECTIONS}
    body_start = 0
    for i, line in enumerate(lines):
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith("from "):
            body_start = i
            break
        module, names = line[len("from "):].split(" import ", 1)
        module = module.replace("dataarts._runtime.", ".._runtime.")
        if module == "__future__":
            section = "__future__"
        elif module.startswith("."):
            section = "local"
        elif module.split(".")[0] in _STDLIB:
            section = "stdlib"
        else:
            section = "third-party"
        sections[section].setdefault(module, set()).update(n.strip() for n in names.split(","))
    blocks = []
    for section in _SECTIONS:
        if sections[section]:
            blocks.append("\n".join(
                f"from {module} import {', '.join(sorted(names, key=isort_key))}"
                for module, names in sorted(sections[section].items())
            ))
    return "\n\n".join(blocks) + "\n\n\n" + "\n".join(lines[body_start:]) + "\n"
