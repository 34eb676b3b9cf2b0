"""Single-file JSON and YAML bundles of the specs (Redocly CLI `bundle`), and cutting a release."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml

from ..load import load_spec
from . import node
from .release import plain, released_path, statuses

FORMATS = ("json", "yaml")


class ReleaseError(RuntimeError):
    """The specs break the version or CHANGELOG rules; the message lists every problem."""


def bundle(specs: list[Path], out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write `<out_dir>/<name>.<format>` for every spec; each must equal its spec as data."""
    out_dir.mkdir(parents=True, exist_ok=True)
    redocly = node.require(node.REDOCLY, "bundle")
    written = []
    for ext in formats:
        for spec in specs:
            target = out_dir / f"{spec.stem}.{ext}"
            node.run_checked([redocly, "bundle", spec, "--ext", ext, "-o", target])
            text = target.read_text(encoding="utf-8")
            data = json.loads(text) if ext == "json" else yaml.safe_load(text)
            if plain(data) != plain(load_spec(spec).data):
                raise RuntimeError(f"{target} differs from {spec} as data: the bundler changed "
                                   "the document, so it cannot stand for the spec")
            written.append(target)
    return written


def check_rules(spec_dir: Path, root: Path | None = None) -> None:
    """ReleaseError unless every spec satisfies the version and CHANGELOG rules."""
    problems = [p for s in statuses(spec_dir, root) for p in s.problems]
    if problems:
        raise ReleaseError("\n".join(problems))


def cut_release(spec_dir: Path, root: Path | None = None) -> list[str]:
    """Rewrite `spec/released/<name>.json` for every spec whose version is not released yet.

    Refuses (ReleaseError) while any rule fails: a release always carries a greater version,
    a major one for breaking changes, and a CHANGELOG entry.
    """
    results = statuses(spec_dir, root)
    problems = [p for s in results for p in s.problems]
    if problems:
        raise ReleaseError("\n".join(problems))
    due = [spec_dir / Path(s.spec).name for s in results if s.version != s.released]
    if not due:
        return []
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        for built in bundle(due, Path(tmp), formats=("json",)):
            target = released_path(spec_dir / f"{built.stem}.yaml")
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(built, target)
    return [f"{s.name} {s.version}" for s in results if s.version != s.released]
