"""The imports of generated modules: kept to what a module uses, and grouped as ruff's isort wants."""

from __future__ import annotations

import ast
import re

from .naming import isort_key

_STDLIB = frozenset({"__future__", "typing", "enum", "datetime", "decimal", "uuid", "ipaddress", "pathlib"})
_SECTIONS = ("__future__", "stdlib", "third-party", "local")


def prune_unused(source: str) -> str:
    """`source` whose leading imports keep only the names the rest of the module uses.

    A template imports every name it may need, in isort's order; here an import left with none
    goes, and so does an `if TYPE_CHECKING:` block left empty (and then `TYPE_CHECKING` itself).
    Statements keep their layout (one line, or one name per line), groups their blank lines.
    A name counts as used where the rest of the module spells it outside strings and comments
    (f-strings are scanned: they may name one), or lists it in `__all__`. A scan, not a parse:
    the modules are large and the names few. It can only be too generous (a word that is an
    attribute or a keyword somewhere), which ruff's F401 in the tests would show.
    """
    lines = source.splitlines(keepends=True)
    try:
        tree = ast.parse("".join(lines[:_head_end(lines)]))
    except SyntaxError:  # not shaped like a template's module: left as it is
        return source
    body = tree.body[1:] if tree.body and _is_docstring(tree.body[0]) else tree.body
    head = []
    for node in body:
        if not (isinstance(node, (ast.Import, ast.ImportFrom)) or _is_type_checking_imports(node)):
            break
        head.append(node)
    if not head:
        return source
    start, end = head[0].lineno - 1, head[-1].end_lineno or head[-1].lineno
    rest = "".join(lines[end:])
    used = set(_WORD.findall(_STRING_OR_COMMENT.sub(" ", rest))) | _exported(rest)
    if any(isinstance(node, ast.If) and any(_kept(s, used) for s in node.body) for node in head):
        used.add("TYPE_CHECKING")
    return "".join(lines[:start]) + _layout(head, used, indent="") + rest


# a string literal but an f-string (whose text may name a variable), or a comment
_STRING_OR_COMMENT = re.compile(
    r'''(?<![fF])(?:"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|\'\'\'[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*\'\'\''''
    r'''|"[^"\\\n]*(?:\\.[^"\\\n]*)*"|'[^'\\\n]*(?:\\.[^'\\\n]*)*')|#[^\n]*'''
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ALL = re.compile(r"^__all__\b[^=\n]*=\s*[\[(](.*?)[\])]", re.MULTILINE | re.DOTALL)
_HEAD_LINES = ("import ", "from ", "if TYPE_CHECKING:", " ", ")", "#", "\n")


def _head_end(lines: list[str]) -> int:
    """Index of the first line after the header comments, the docstring and the import block
    (imports, `if TYPE_CHECKING:` blocks), found by how lines start: the part worth parsing."""
    i = 0
    while i < len(lines) and lines[i].startswith(("#", "\n")):
        i += 1
    if i < len(lines) and lines[i].startswith(('"""', "'''")):
        quote, rest = lines[i][:3], lines[i][3:]
        while quote not in rest and i + 1 < len(lines):
            i += 1
            rest = lines[i]
        i += 1
    while i < len(lines) and lines[i].startswith(_HEAD_LINES):
        i += 1
    return i


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


def _exported(source: str) -> set[str]:
    """The names a module's `__all__` lists."""
    match = _ALL.search(source)
    return set(re.findall(r"[\"']([A-Za-z_]\w*)[\"']", match[1])) if match else set()


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
    # black's blank lines after the imports: two before a class or function, else one
    gap = "\n\n\n" if lines[body_start].startswith(("class ", "def ", "@")) else "\n\n"
    return "\n\n".join(blocks) + gap + "\n".join(lines[body_start:]) + "\n"
