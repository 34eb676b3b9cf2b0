"""Single-file JSON and YAML bundles of the specs (Redocly CLI `bundle`), and cutting a release.

A bundle is its spec with a code sample per operation added (`samples.py`): what client authors
and renderers take; nothing else differs.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import yaml

from ..load import load_spec
from . import node
from .release import plain, released_path, statuses
from .samples import load_samples, with_code_samples

FORMATS = ("json", "yaml")
SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's where built


class ReleaseError(RuntimeError):
    """The specs break the version or CHANGELOG rules; the message lists every problem."""


def bundle(specs: list[Path], out_dir: Path, formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write `<out_dir>/<name>.<format>` for every spec: the spec with its operations' code
    samples, which the written file must equal as data."""
    out_dir.mkdir(parents=True, exist_ok=True)
    redocly = node.require(node.REDOCLY, "bundle")
    if not specs:
        return []
    samples = load_samples(specs)
    written = []
    with tempfile.TemporaryDirectory(prefix="bundle-") as tmp:
        published = {}
        for spec in specs:
            published[spec] = with_code_samples(load_spec(spec).data, samples[spec.stem])
            source = Path(tmp) / f"{spec.stem}.json"
            source.write_text(json.dumps(published[spec], ensure_ascii=False), encoding="utf-8")
        for ext in formats:
            # one Redocly run per format: given several specs, `-o` names the folder in which
            # each is written as <stem>.<ext>; given one, the file (Node's start-up is the cost)
            output = out_dir if len(specs) > 1 else out_dir / f"{specs[0].stem}.{ext}"
            node.run_checked([redocly, "bundle", *(Path(tmp) / f"{s.stem}.json" for s in specs),
                              "--ext", ext, "-o", output])
            for spec in specs:
                target = out_dir / f"{spec.stem}.{ext}"
                text = target.read_text(encoding="utf-8")
                data = json.loads(text) if ext == "json" else yaml.load(text, Loader=SAFE_LOADER)
                if plain(data) != plain(published[spec]):
                    raise RuntimeError(f"{target} differs from {spec} (with its code samples) as "
                                       "data: the bundler changed the document, so it cannot "
                                       "stand for the spec")
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
