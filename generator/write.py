"""Write the generated tree: into a temporary directory first, then swapped into place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def differences(root: Path, files: dict[str, bytes]) -> list[str]:
    """Paths (relative to `root`) that are changed, missing or extra compared with `files`."""
    current = read_tree(root)
    names = sorted(set(current) | set(files))
    return [n for n in names if current.get(n) != files.get(n)]


def write_tree(root: Path, files: dict[str, bytes]) -> bool:
    """Make `root` hold exactly `files`; False when it already did. Never leaves a half-written tree."""
    if not differences(root, files):
        return False
    parent = root.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{root.name}.new-{os.getpid()}"
    retired = parent / f".{root.name}.old-{os.getpid()}"
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if root.exists():
            os.rename(root, retired)
        try:
            os.rename(staging, root)
        except OSError:
            if retired.exists():  # put the old tree back
                os.rename(retired, root)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)
    return True
