"""Installed distributions' versions, read off their `.dist-info` folder names on `sys.path`."""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache

# `<name>-<version>.dist-info`, the name normalized with `_` for runs of `-_.` (wheel's rule)
_DIST_INFO = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info")


def version(dist: str) -> str | None:
    """The version of `dist` the interpreter imports, or None when it is not installed.

    What `importlib.metadata.version` answers, without its imports (the email parser: 60 ms on
    every run of the generator, which needs only the names of its pinned tools' versions); it is
    still asked where no folder name says (an egg-info or an unusual layout)."""
    found = _installed().get(_normalized(dist))
    if found is not None:
        return found
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@lru_cache(maxsize=1)
def _installed() -> dict[str, str]:
    """Each distribution's version, the first found on `sys.path` winning (as importing does)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in sorted(names):
            match = _DIST_INFO.fullmatch(name)
            if match is not None:
                found.setdefault(_normalized(match["name"]), match["version"])
    return found
