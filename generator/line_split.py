"""Black's split of one overlong line, for the shapes generated code prints; None where unsure.

The data tables and datamodel-code-generator's fields are single lines of calls, literals and
subscripts. Black splits such a line at its last bracket (`head(` / body / `)tail`): the body on
one line one level deeper if it fits, else one element per line with a trailing comma, each
element split the same way; a collection literal's elements always go one per line, and
an element too long for its line is split before its `|` operators. Anything else (operators,
attribute chains, lambdas, a magic trailing comma, an assignment whose value black would wrap in
parentheses) gives None: the line stays as it is, and the format step gives its piece to black
(it has an overlong line). tests/generator/test_line_split.py holds this to black on the real
output; tests/generator/test_format.py checks every file laid out so is black-clean.
"""

from __future__ import annotations

import re
import unicodedata

LINE_LENGTH = 100  # black's line length: the one home of it (format and layout read it here)
INDENT = "    "
_OPEN, _CLOSE = "([{", ")]}"
_MAYBE_WIDE = re.compile("[^\x00-\u10ff]")  # East Asian wide characters start at U+1100
# what `_scan` looks at: a string, a bracket, or what it does not split (a comment, a backslash,
# a quote that opens no one-line string)
_TOKEN = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[()\[\]{}#\\"']""")
_ANNOTATED = re.compile(r"[A-Za-z_][A-Za-z_0-9]*: ")  # a statement starting `name: annotation`
_MAYBE_MAGIC = re.compile(r",\s*[)\]}]")  # a trailing comma before a closing bracket
_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'""")
# what may stand outside brackets and strings in a line this module splits: names, numbers,
# `...`, keyword arguments, annotations and dict keys, `|`, commas; a decorator's `@`
_SKELETON = re.compile(r"@?(?:[A-Za-z_0-9]++|\.\.\.|\(\)|\[\]|\{\}|\"\"|, ?| \| |^\| |: | = |=)*+")


def width(line: str) -> int:
    """The columns black counts for `line`: two for a wide East Asian character."""
    if line.isascii():
        return len(line)
    return len(line) + sum(unicodedata.east_asian_width(c) in "WF" for c in _MAYBE_WIDE.findall(line))


def split_line(line: str, inside: bool) -> list[str] | None:
    """Black's lines for `line` (with its indentation): as it is when it fits; `inside`: the
    line stands inside brackets (an element of a literal or call), else it is a statement."""
    depth, rest = divmod(len(line) - len(line.lstrip(" ")), len(INDENT))
    if rest:
        return None
    return _lay(line.strip(), depth, inside)


def _lay(text: str, depth: int, inside: bool) -> list[str] | None:
    line = INDENT * depth + text
    if width(line) <= LINE_LENGTH and not _MAYBE_MAGIC.search(text):
        return [line]
    if not inside and text.startswith("from ") and " import " in text and "(" not in text:
        head, names = text.split(" import ", 1)  # black explodes an import, a name per line
        return [f"{INDENT * depth}{head} import (",
                *(f"{INDENT * (depth + 1)}{name}," for name in names.split(", ")),
                f"{INDENT * depth})"]
    skeleton, brackets = _scan(text)
    if skeleton is None:
        return None
    if width(line) <= LINE_LENGTH:
        return [line]
    if inside:
        parts = _top_level(text, brackets, ",")
        if parts and parts[-1] == "":  # a trailing comma: not a delimiter to split at
            parts = parts[:-1]
        if len(parts) > 1:
            return _each([p + "," for p in parts], depth)
        operands = _top_level(text, brackets, " | ")
        if len(operands) > 1:
            lines = [operands[0], *("| " + o for o in operands[1:])]
            return _join([_lay(o, depth, True) for o in lines])
    elif " = " in skeleton and " | " in skeleton.rpartition(" = ")[2] and text[-1].isalnum():
        # `X: TypeAlias = Literal[...] | str`: black wraps the value in parentheses
        at = text.rindex(" = ")
        left, value = INDENT * depth + text[:at] + " = (", text[at + 3:]
        if "," in skeleton or " | " in skeleton.rpartition(" = ")[0] or width(left) > LINE_LENGTH:
            return None
        return _join([[left], _lay(value, depth + 1, True), [INDENT * depth + ")"]])
    elif " | " in skeleton and "," not in skeleton and _ANNOTATED.match(text):
        return _annotation_in_parentheses(text, depth, brackets)
    elif "|" in skeleton or "," in skeleton:
        return None  # black would wrap the value (or annotation) in parentheses
    if not brackets:  # nothing to split at: black leaves an element as it is
        return [line] if inside else None
    close = max(brackets)  # the last bracket: black splits there
    open_ = brackets[close]
    head, body, tail = text[:open_ + 1], text[open_ + 1:close].strip(), text[close:]
    if not body:
        return None
    if not inside and " = " in tail:
        # `x: Annotated[...] = None`: black wraps the value in parentheses when the line up to
        # its `=` fits in one column less than a line and `= (` fits; else it splits at the
        # bracket
        at = text.rindex(" = ")
        left = INDENT * depth + text[:at] + " ="
        if not _simple_value(tail):
            return None
        if width(left) <= LINE_LENGTH - 2:
            value = INDENT * (depth + 1) + text[at + 3:]
            return [left + " (", value, INDENT * depth + ")"] if width(value) <= LINE_LENGTH else None
    literal = open_ == 0 or not (text[open_ - 1].isalnum() or text[open_ - 1] in "_)]")
    inner, inner_brackets = _scan(body, shapes=False)  # each element is checked as it is laid
    if inner is None:
        return None
    elements = _top_level(body, inner_brackets, ",")
    if elements and elements[-1] == "":
        elements = elements[:-1]
    if literal and len(elements) > 1:  # a collection literal: one element per line
        middle = _each([e + "," for e in elements], depth + 1)
    else:
        middle = _lay(body, depth + 1, True)
    first, last = INDENT * depth + head, INDENT * depth + tail
    if width(first) > LINE_LENGTH or width(last) > LINE_LENGTH:
        return None
    return _join([[first], middle, [last]])


def _annotation_in_parentheses(text: str, depth: int, brackets: dict[int, int]) -> list[str] | None:
    """`x: Literal[...] | str = None`: the value in parentheses when the line up to its `=`
    fits in two columns less than a line, else the union (black's long type hints)."""
    parts = _top_level(text, brackets, " = ") or [text]
    target, value = parts[0], parts[1] if len(parts) == 2 else None
    name, annotation = target.split(": ", 1)
    if len(parts) > 2 or not annotation[-1].isalnum() or not (
        value is None or re.fullmatch(r'[A-Za-z0-9_]+|"(?:[^"\\\n]|\\.)*"', value)
    ):
        return None
    if value is not None and width(INDENT * depth + target + " =") <= LINE_LENGTH - 2:
        wrapped = INDENT * (depth + 1) + value
        if width(wrapped) > LINE_LENGTH:
            return None
        return [f"{INDENT * depth}{target} = (", wrapped, INDENT * depth + ")"]
    tail = INDENT * depth + ")" + (f" = {value}" if value is not None else "")
    if width(tail) > LINE_LENGTH:
        return None
    return _join([[f"{INDENT * depth}{name}: ("], _lay(annotation, depth + 1, True), [tail]])


def _each(elements: list[str], depth: int) -> list[str] | None:
    return _join([_lay(e, depth, True) for e in elements])


def _join(parts: list[list[str] | None]) -> list[str] | None:
    if any(p is None for p in parts):
        return None
    return [line for p in parts for line in p or ()]


def _simple_value(tail: str) -> bool:
    """`] = None` and the like: a closing bracket, then a default of one name, number or string."""
    return re.fullmatch(r'[\])}] = (?:[A-Za-z0-9_]+|"(?:[^"\\\n]|\\.)*")', tail) is not None


def _scan(text: str, shapes: bool = True) -> tuple[str | None, dict[int, int]]:
    """The text outside strings and brackets (None when it holds a magic trailing comma or,
    with `shapes`, what this module does not split), and each top-level closing bracket's
    opening one."""
    outside: list[str] = []
    brackets: dict[int, int] = {}
    stack: list[int] = []
    last = 0  # where the text after the previous token starts
    for token in _TOKEN.finditer(text):
        i, c = token.start(), token.group()
        if not stack:
            outside.append(text[last:i])
        last = token.end()
        if c[0] in "\"'":
            if not stack:
                outside.append('""')
        elif c in _OPEN:
            if not stack:
                outside.append(c + _CLOSE[_OPEN.index(c)])
            stack.append(i)
        elif c in _CLOSE:
            if not stack or _CLOSE.index(c) != _OPEN.index(text[stack[-1]]):
                return None, {}
            start = stack.pop()
            if text[i - 1] == "," and not _one_tuple(text, start, i):
                return None, {}  # a magic trailing comma
            if not stack:
                brackets[i] = start
        else:  # a comment, a backslash, a quote opening no string on the line
            return None, {}
    if not stack:
        outside.append(text[last:])
    if stack:
        return None, {}
    skeleton = "".join(outside)
    if shapes and _SKELETON.fullmatch(skeleton) is None:
        return None, {}
    return skeleton, brackets


def _one_tuple(text: str, start: int, end: int) -> bool:
    """Whether text[start:end + 1] is `(element,)`: its comma is no magic trailing comma."""
    if text[start] != "(" or (start and (text[start - 1].isalnum() or text[start - 1] in "_)]")):
        return False
    inner, _ = _scan(text[start + 1:end - 1], shapes=False)
    return inner is not None and "," not in inner


def _top_level(text: str, brackets: dict[int, int], separator: str) -> list[str]:
    """`text` cut at each `separator` outside strings and brackets (stripped), or [] if none."""
    spans = sorted((start, end) for end, start in brackets.items())
    strings = [(m.start(), m.end() - 1) for m in _STRING.finditer(text)]
    parts, last, i = [], 0, 0
    while True:
        i = text.find(separator, i)
        if i < 0:
            break
        if not any(a <= i <= b for a, b in spans) and not any(a <= i <= b for a, b in strings):
            parts.append(text[last:i].strip())
            last = i + len(separator)
        i += len(separator)
    if not parts:
        return []
    return [*parts, text[last:].strip()]


def split_overlong(text: str, known: dict[str, list[str] | None] | None = None) -> str:
    """`text` (a module) with each overlong line outside a long string split as black splits
    it, where `split_line` knows how; a line stands inside brackets when the code line before
    it ends with an opening bracket or a comma. `known`: splits already made (`split_key`),
    taken from it and added to it (`render_cache.RenderCache.splits`)."""
    lines = text.split("\n")
    in_string = False  # inside a triple-quoted string
    before = ""  # the last code line
    for i, line in enumerate(lines):
        quotes = line.count('"""')
        if not in_string and len(line) > LINE_LENGTH // 2 and width(line) > LINE_LENGTH:
            stripped = line.lstrip()
            if not quotes and not stripped.startswith("#"):
                inside = before.endswith(("(", "[", "{", ","))
                if known is None:
                    split = split_line(line, inside)
                else:
                    key = split_key(line, inside)
                    if key not in known:
                        known[key] = split_line(line, inside)
                    split = known[key]
                if split is not None:
                    lines[i] = "\n".join(split)
        if quotes % 2:
            in_string = not in_string
        if not in_string and line.strip() and not line.lstrip().startswith("#"):
            before = line.rstrip()
    return "\n".join(lines)


def split_key(line: str, inside: bool) -> str:
    """Names what `split_line(line, inside)` depends on: nothing else."""
    return f"{int(inside)}{line}"
