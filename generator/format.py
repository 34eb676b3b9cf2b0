"""Format the rendered Python with black (pinned mode), in pieces, on a pool of worker processes.

Black runs on what it might change. The templates of `render.BLACK_LAYOUT_TEMPLATES` print
black's layout wherever a line fits: a piece of their output with no line over LINE_LENGTH
(comment lines aside) is taken as it is, and black is not even imported for an edit whose changed
pieces are all such. The guarantee is a test, not this module: tests/generator/test_format.py
checks that every file those templates made for the real and the golden specs is black-clean,
and the drift and golden checks hold the tree to what this module writes.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .cache import Cache
from .line_split import LINE_LENGTH, width
from .versions import version
from .workers import LazyPool

if TYPE_CHECKING:
    import black

# black's mode, as data: the cache keys name it without importing black (a run whose text is
# all in the cache never does)
TARGET_VERSIONS = ("PY311",)
_BLACK_ID = f"black {version('black')} {TARGET_VERSIONS} {LINE_LENGTH}"
# pieces left to format before they start the worker pool: fewer are formatted here at the end,
# cheaper than starting the workers (the output is the same either way); a pool already started
# (`workers.LazyPool.started`) takes every piece at once
POOL_THRESHOLD = 16
# Split points: a top-level class after two blank lines, and a top-level constant (`_NAME: T =`,
# `NAME = `) after exactly one. Black formats the statements between such points independently,
# puts exactly two blank lines before a top-level class and keeps one between assignments, so
# formatting the pieces and joining them with the same separators equals formatting the whole
# (a test checks it on the real output). Small pieces keep an edit's black work small.
_BOUNDARY = re.compile(r"(\n\n\n(?=class )|(?<!\n)\n\n(?=[A-Z_][A-Z0-9_]*(?:: | = )))")
_HEADER = re.compile(r"(?:#[^\n]*\n)+")  # the comment lines a file starts with
# a line black might split: wider than its line length, where a character outside ASCII may
# count twice (black measures East Asian width: `_overlong` counts); not a comment line, a
# one-line docstring without quotes or backslashes inside, nor a lone string element (a dict
# entry's value, a keyword argument): black splits none of them
_OVERLONG = re.compile(
    r'^(?![ ]*# )(?![ ]*"""[^"\\\n]*"""$)'
    r'(?![ ]*(?:"(?:[^"\\\n]|\\.)*": |[a-z_][a-z0-9_]*=)?'
    r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'),?$)"""
    rf"(?:.{{{LINE_LENGTH + 1},}}|(?=.*[^\x00-\x7f]).{{{LINE_LENGTH // 2 + 1},}})$",
    re.MULTILINE,
)
# In datamodel-code-generator's source, quoted as black quotes (`models.black_strings`), what
# black might still change on lines that fit: a single quote outside a one-line docstring (a
# string black would requote), a one-line docstring it would trim or pad, a line opening or
# closing a string over several lines, trailing whitespace. A piece with none of them (and no
# overlong line) skips black.
_UNSETTLED = re.compile(
    r"""^(?![ ]*\"\"\")[^\n]*'"""
    r'''|^[ ]*"""(?:\s|[^\n]*(?:\s|["\\])"""$)'''
    r'''|^(?:(?!""")[^\n])*"""(?:(?!""")[^\n])*$'''
    r"|[ \t]$",
    re.MULTILINE,
)
_DIGEST = re.compile(r"(?<=\(sha256 )[0-9a-f]{64}(?=\))")
_ZEROS = "0" * 64


@dataclass
class _Piece:
    """A stretch of a file between split points, and its formatted text once known."""

    file: str
    separator: str  # what joins it to the piece before
    key: str
    source: str
    formatted: str | None  # from the cache
    future: Future[str] | None = None  # on the pool


@dataclass
class Formatter:
    """Formats files as they are handed in: cached pieces at once, the others on `pool`.

    Submitting early lets black work on some files while the caller produces the next ones.
    """

    cache: Cache = field(default_factory=lambda: Cache(None))
    pool: Executor | None = None  # None: format in this process, on `result()`
    _files: dict[str, str] = field(default_factory=dict)
    _keys: dict[str, str] = field(default_factory=dict)  # file -> its key, formatted whole
    _digests: dict[str, list[str]] = field(default_factory=dict)  # file -> its header's hashes
    _pieces: list[_Piece] = field(default_factory=list)
    _waiting: list[_Piece] = field(default_factory=list)  # pieces not yet on the pool

    def submit(
        self, files: dict[str, str], black_layout: Collection[str] = (),
        model_layout: Collection[str] = (),
    ) -> None:
        """Hand in files; those named in `black_layout` come from a template printing black's
        layout where lines fit, and their pieces without an overlong line skip black; those in
        `model_layout` are datamodel-code-generator's (`models.render_models`), and theirs skip
        black when they have no overlong line nor anything black might change (`_UNSETTLED`)."""
        for name, text in files.items():
            if not name.endswith(".py"):
                self._files[name] = text
                continue
            self._digests[name], text = _mask_digests(text)
            whole = Cache.key(_BLACK_ID, "file", text)
            done = self.cache.get("black", whole)
            if done is not None:
                self._files[name] = _unmask_digests(done, self._digests[name])
                continue
            self._keys[name] = whole
            trusted = name in black_layout or name in model_layout
            checked = name in model_layout
            # each piece ends in a newline, as black's output does: a piece black leaves
            # unchanged is formatted once, not twice (black re-runs when its pass changed it)
            parts = _BOUNDARY.split(text)
            for sep, piece in zip(["", *parts[1::2]], parts[::2], strict=True):
                piece = piece.rstrip("\n") + "\n"
                if trusted and not _overlong(piece) and not (
                    checked and _UNSETTLED.search(piece)
                ):
                    self._pieces.append(_Piece(name, sep, "", piece, piece))
                    continue
                key = Cache.key(_BLACK_ID, piece)
                done = self.cache.get("black", key)
                entry = _Piece(name, sep, key, piece, done)
                self._pieces.append(entry)
                if done is None:
                    self._waiting.append(entry)
        started = not isinstance(self.pool, LazyPool) or self.pool.started
        if self.pool is not None and (started or len(self._waiting) >= POOL_THRESHOLD):
            for entry in self._waiting:
                entry.future = self.pool.submit(format_piece, entry.source)
            self._waiting = []

    def result(self) -> dict[str, str]:
        """Every submitted file, formatted."""
        joined: dict[str, list[str]] = {}
        for piece in self._pieces:
            text = piece.formatted
            if text is None:
                text = piece.future.result() if piece.future else format_piece(piece.source)
                self.cache.put("black", piece.key, text)
            joined.setdefault(piece.file, []).append(piece.separator + text.rstrip("\n"))
        formatted = {name: "".join(parts) + "\n" for name, parts in joined.items()}
        for name, text in formatted.items():
            self.cache.put("black", self._keys[name], text)
            formatted[name] = _unmask_digests(text, self._digests[name])
        return {**self._files, **formatted}


def _overlong(piece: str) -> bool:
    """Whether a line of `piece` is one black might split (`_OVERLONG`, widths counted): not a
    line inside a docstring over several lines, nor the one opening it (black splits neither;
    the one closing it, it may: its closing quotes go on a line of their own)."""
    for match in _OVERLONG.finditer(piece):
        line = match.group()
        if not line.isascii() and width(line) <= LINE_LENGTH:
            continue
        quotes = line.count('"""')
        inside = piece.count('"""', 0, match.start()) % 2
        if (inside and not quotes) or (
            not inside and quotes == 1 and line.lstrip().startswith('"""')
        ):
            continue
        return True
    return False


def _mask_digests(text: str) -> tuple[list[str], str]:
    """The hashes in the file's leading comment lines (its provenance header), and the text with
    each replaced by zeros: an edited spec changes every header of its service, not what black
    makes of the code below, so the cached pieces still serve. Black copies standalone comment
    lines as they are, whatever the hex digits in them."""
    header = _HEADER.match(text)
    if header is None:
        return [], text
    digests = _DIGEST.findall(header.group())
    return digests, _DIGEST.sub(_ZEROS, header.group()) + text[header.end():]


def _unmask_digests(text: str, digests: list[str]) -> str:
    if not digests:
        return text
    header = _HEADER.match(text)
    found = _DIGEST.findall(header.group()) if header else []
    if header is None or found != [_ZEROS] * len(digests):
        raise ValueError("black changed a generated file's provenance header")
    restored = iter(digests)
    return _DIGEST.sub(lambda _: next(restored), header.group()) + text[header.end():]


def format_sources(
    files: dict[str, str], cache: Cache | None = None, pool: Executor | None = None,
    black_layout: Collection[str] = (), model_layout: Collection[str] = (),
) -> dict[str, str]:
    """Black-formatted copies of the `.py` entries of `files` (those of `black_layout` and
    `model_layout` as `Formatter.submit` says); other entries are returned as is."""
    formatter = Formatter(cache or Cache(None), pool)
    formatter.submit(files, black_layout, model_layout)
    return formatter.result()


def format_piece(text: str) -> str:
    import black

    return black.format_str(text, mode=black_mode())


@cache
def black_mode() -> black.Mode:
    import black

    targets = {black.TargetVersion[name] for name in TARGET_VERSIONS}  # type: ignore[attr-defined]
    return black.Mode(target_versions=targets, line_length=LINE_LENGTH)


def __getattr__(name: str) -> object:
    """`MODE`, black's Mode object, made when first asked for (importing black)."""
    if name == "MODE":
        return black_mode()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
