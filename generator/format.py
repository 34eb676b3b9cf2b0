"""Format the rendered Python with black (pinned mode), in parallel chunks on every core."""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor

import black

from .cache import Cache

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
_BLACK_ID = f"black {black.__version__} {MODE!r}"
# Split points: a top-level class preceded by two blank lines. Black formats the statements
# between such points independently and puts exactly two blank lines before a top-level class,
# so formatting the pieces and joining them with two blank lines equals formatting the whole.
_CLASS_BOUNDARY = re.compile(r"\n\n\n(?=class )")
_PARALLEL_THRESHOLD = 60_000  # characters; below this, starting workers costs more than it saves


def format_sources(
    files: dict[str, str], cache: Cache | None = None, workers: int | None = None
) -> dict[str, str]:
    """Black-formatted copies of the `.py` entries of `files`; other entries are returned as is.

    Pieces black formatted before (same text, same black, same mode) come from `cache`.
    """
    cache = cache or Cache(None)
    pieces: list[tuple[str, str]] = []
    for name, text in files.items():
        if name.endswith(".py"):
            pieces.extend((name, piece) for piece in _CLASS_BOUNDARY.split(text))
    keys = [Cache.key(_BLACK_ID, piece) for _, piece in pieces]
    formatted = [cache.get("black", key) for key in keys]
    todo = [i for i, text in enumerate(formatted) if text is None]
    for i, text in zip(todo, _format_all([pieces[i][1] for i in todo], workers), strict=True):
        formatted[i] = text
        cache.put("black", keys[i], text)
    out = dict(files)
    joined: dict[str, list[str]] = {}
    for (name, _), text in zip(pieces, formatted, strict=True):
        assert text is not None
        joined.setdefault(name, []).append(text.rstrip("\n"))
    for name, parts in joined.items():
        out[name] = "\n\n\n".join(parts) + "\n"
    return out


def _format_all(texts: list[str], workers: int | None) -> list[str]:
    workers = workers or os.cpu_count() or 1
    if workers > 1 and sum(map(len, texts)) > _PARALLEL_THRESHOLD:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            chunk = max(1, len(texts) // (workers * 4))
            return list(pool.map(format_piece, texts, chunksize=chunk))
    return [format_piece(text) for text in texts]


def format_piece(text: str) -> str:
    return black.format_str(text, mode=MODE)
