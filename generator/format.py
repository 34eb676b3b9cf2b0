"""Format the rendered Python with black (pinned mode), in pieces, on a pool of worker processes."""

from __future__ import annotations

import re
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field

import black

from .cache import Cache

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
_BLACK_ID = f"black {black.__version__} {MODE!r}"
# Split points: a top-level class after two blank lines. Black formats the statements between
# such points independently and puts exactly two blank lines before a top-level class, so
# formatting the pieces and joining them with the same separators equals formatting the whole
# (a test checks it on the real output).
_BOUNDARY = re.compile(r"(\n\n\n(?=class ))")


@dataclass
class Formatter:
    """Formats files as they are handed in: cached pieces at once, the others on `pool`.

    Submitting early lets black work on some files while the caller produces the next ones.
    """

    cache: Cache = field(default_factory=lambda: Cache(None))
    pool: Executor | None = None  # None: format in this process, on `result()`
    _files: dict[str, str] = field(default_factory=dict)
    # (file, separator before the piece, cache key, formatted text | raw text | future, cached)
    _pieces: list[tuple[str, str, str, str | Future[str], bool]] = field(default_factory=list)

    def submit(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            if not name.endswith(".py"):
                self._files[name] = text
                continue
            # each piece ends in a newline, as black's output does: a piece black leaves
            # unchanged is formatted once, not twice (black re-runs when its pass changed it)
            parts = _BOUNDARY.split(text)
            for sep, piece in zip(["", *parts[1::2]], parts[::2], strict=True):
                piece = piece.rstrip("\n") + "\n"
                key = Cache.key(_BLACK_ID, piece)
                done = self.cache.get("black", key)
                if done is not None:
                    self._pieces.append((name, sep, key, done, True))
                elif self.pool is not None:
                    self._pieces.append((name, sep, key, self.pool.submit(format_piece, piece), False))
                else:
                    self._pieces.append((name, sep, key, piece, False))

    def result(self) -> dict[str, str]:
        """Every submitted file, formatted."""
        joined: dict[str, list[str]] = {}
        for name, sep, key, pending, cached in self._pieces:
            if cached:
                text = str(pending)
            else:
                text = pending.result() if isinstance(pending, Future) else format_piece(pending)
                self.cache.put("black", key, text)
            joined.setdefault(name, []).append(sep + text.rstrip("\n"))
        return {**self._files, **{name: "".join(parts) + "\n" for name, parts in joined.items()}}


def format_sources(
    files: dict[str, str], cache: Cache | None = None, pool: Executor | None = None
) -> dict[str, str]:
    """Black-formatted copies of the `.py` entries of `files`; other entries are returned as is."""
    formatter = Formatter(cache or Cache(None), pool)
    formatter.submit(files)
    return formatter.result()


def format_piece(text: str) -> str:
    return black.format_str(text, mode=MODE)
