"""Format the rendered Python with black (pinned mode), in parallel chunks on every core."""

from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor

import black

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
# Split points: a top-level class preceded by two blank lines. Black formats the statements
# between such points independently and puts exactly two blank lines before a top-level class,
# so formatting the pieces and joining them with two blank lines equals formatting the whole.
_CLASS_BOUNDARY = re.compile(r"\n\n\n(?=class )")
_PARALLEL_THRESHOLD = 60_000  # characters; below this, starting workers costs more than it saves


def format_sources(files: dict[str, str], workers: int | None = None) -> dict[str, str]:
    """Black-formatted copies of the `.py` entries of `files`; other entries are returned as is."""
    pieces: list[tuple[str, int, str]] = []
    for name, text in files.items():
        if name.endswith(".py"):
            for i, piece in enumerate(_CLASS_BOUNDARY.split(text)):
                pieces.append((name, i, piece))
    total = sum(len(p[2]) for p in pieces)
    workers = workers or os.cpu_count() or 1
    if workers > 1 and total > _PARALLEL_THRESHOLD:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            chunk = max(1, len(pieces) // (workers * 4))
            formatted = list(pool.map(format_piece, [p[2] for p in pieces], chunksize=chunk))
    else:
        formatted = [format_piece(p[2]) for p in pieces]
    out = dict(files)
    joined: dict[str, list[str]] = {}
    for (name, _, _), text in zip(pieces, formatted, strict=True):
        joined.setdefault(name, []).append(text.rstrip("\n"))
    for name, parts in joined.items():
        out[name] = "\n\n\n".join(parts) + "\n"
    return out


def format_piece(text: str) -> str:
    return black.format_str(text, mode=MODE)
