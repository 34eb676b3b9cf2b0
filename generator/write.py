"""Write the generated tree (into a temporary directory first, then swapped into place) and the
files beside it (each replaced in one step)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, except tool caches (`__pycache__`, `.mypy_cache`, other dot paths)."""
    if not root.is_dir():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        parts = path.relative_to(root).parts
        if path.is_file() and not any(p == "__pycache__" or p.startswith(".") for p in parts):
            out["/".join(parts)] = path.read_bytes()
    return out


def differences(root: Path, files: dict[str, bytes]) -> list[str]:
    """Paths (relative to `root`) that are changed, missing or extra compared with `files`."""
    current = read_tree(root)
    names = sorted(set(current) | set(files))
    return [n for n in names if current.get(n) != files.get(n)]


def write_tree(root: Path, files: dict[str, bytes], changed: list[str] | None = None) -> bool:
    """Make `root` hold exactly `files`; False when it already did. Never leaves a half-written tree.

    `changed`: `differences(root, files)` when the caller has it already."""
    changed = differences(root, files) if changed is None else changed
    if not changed:
        return False
    parent = root.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{root.name}.new-{os.getpid()}"
    retired = parent / f".{root.name}.old-{os.getpid()}"
    unchanged = set(files) - set(changed)
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in unchanged:
                try:  # the same bytes: the new tree shares the file with the old one
                    os.link(root / name, target)
                    continue
                except OSError:
                    pass
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


def write_file(path: Path, data: bytes) -> bool:
    """Make `path` hold `data`; False when it already did. Never leaves a half-written file."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        staging.write_bytes(data)
        os.replace(staging, path)
    finally:
        staging.unlink(missing_ok=True)
    return True
