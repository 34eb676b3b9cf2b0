"""Spec versions against the released bundles: the bump rule, the CHANGELOG rule and the report.

Rule: a spec that differs from its released bundle (`spec/released/<name>.json`) must carry a
greater `info.version` (MAJOR.MINOR.PATCH), a greater major one when a change is breaking, and
`spec/CHANGELOG.md` must have a `## <name> <version>` entry for any version not yet released.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..load import load_spec
from .breaking import Change, compare
from .samples import without_code_samples

RELEASED_DIR = "released"
CHANGELOG = "CHANGELOG.md"
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_SHOWN_OK = 40  # non-breaking changes listed in the report before "... and N more"


def semver(version: str) -> tuple[int, int, int] | None:
    match = _SEMVER.match(version)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def released_path(spec: Path) -> Path:
    return spec.parent / RELEASED_DIR / f"{spec.stem}.json"


def plain(data: Any) -> Any:
    """Data as JSON sees it (YAML and JSON loads of one document compare equal)."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def without_version(data: dict[str, Any]) -> dict[str, Any]:
    """A spec or a released bundle as the rules compare them: no version, no code samples (the
    bundle adds them from the generated SDK's names, which are not the spec's to version)."""
    doc: dict[str, Any] = plain(without_code_samples(data))
    (doc.get("info") or {}).pop("version", None)
    return doc


@dataclass
class SpecStatus:
    """One spec compared with its released bundle."""

    name: str  # the file stem, as in the CHANGELOG headings: cdm, dlf, lakeformation
    spec: str  # the spec's path as shown to people
    version: str
    released: str | None  # None: never released
    changed: bool = False
    changes: list[Change] = field(default_factory=list)
    other: list[str] = field(default_factory=list)  # pointers of differences no rule classifies
    problems: list[str] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def suggested(self) -> str:
        """The smallest version this spec may carry, given what changed."""
        major, minor, patch = semver(self.released or "") or (0, 0, 0)
        if self.breaking:
            return f"{major + 1}.0.0"
        if self.changes:
            return f"{major}.{minor + 1}.0"
        return f"{major}.{minor}.{patch + 1}"


def status(spec: Path, changelog: str, root: Path | None = None) -> SpecStatus:
    """Compare one spec with its released bundle and apply the version and CHANGELOG rules."""
    data = load_spec(spec).data
    shown = spec.relative_to(root).as_posix() if root else spec.as_posix()
    version = str((data.get("info") or {}).get("version", ""))
    baseline_file = released_path(spec)
    baseline = json.loads(baseline_file.read_text(encoding="utf-8")) if baseline_file.exists() else None
    released = str(baseline["info"]["version"]) if baseline else None
    result = SpecStatus(spec.stem, shown, version, released)
    if semver(version) is None:
        result.problems.append(f"{shown}: info.version {version!r} is not MAJOR.MINOR.PATCH")
        return result
    if baseline is not None:
        old, new = without_version(baseline), without_version(data)
        result.changed = old != new
        if result.changed:
            result.changes = compare(old, new)
            result.other = [] if result.changes else differences(old, new)
        problem = _version_problem(result, shown, baseline_file.name)
        result.problems += [problem] if problem else []
    if version != released and not _has_entry(changelog, spec.stem, version):
        result.problems.append(
            f"spec/{CHANGELOG} has no entry for {spec.stem} {version}: add a heading "
            f"'## {spec.stem} {version}' with a line on what changed for client authors")
    return result


def _version_problem(result: SpecStatus, shown: str, baseline: str) -> str | None:
    current, released = semver(result.version), semver(result.released or "")
    assert current is not None
    if released is None:
        return f"{RELEASED_DIR}/{baseline}: info.version {result.released!r} is not MAJOR.MINOR.PATCH"
    if current < released:
        return f"{shown}: info.version {result.version} is lower than the released {result.released}"
    if result.changed and current == released:
        kind = ("breaking" if result.breaking else "non-breaking" if result.changes
                else "documentation-only")
        return (f"{shown} differs from its released bundle ({result.released}) but info.version "
                f"is still {result.version}: set it to {result.suggested()} or higher ({kind} "
                f"changes, listed above) and add '## {result.name} {result.suggested()}' to "
                f"spec/{CHANGELOG}")
    if result.breaking and current[0] == released[0]:
        return (f"{shown} has {len(result.breaking)} breaking change(s) against the released "
                f"{result.released} (listed above) but info.version {result.version} keeps major "
                f"version {current[0]}: set it to {result.suggested()} (and rename its "
                "CHANGELOG entry), or undo the breaking changes")
    return None


def _has_entry(changelog: str, name: str, version: str) -> bool:
    """A `## <name> <version>` heading followed by at least one line of text."""
    heading = re.compile(rf"^## {re.escape(name)} {re.escape(version)}\b.*$", re.MULTILINE)
    match = heading.search(changelog)
    if not match:
        return False
    body = changelog[match.end():].split("\n## ", 1)[0]
    return bool(body.strip())


def differences(old: Any, new: Any, pointer: str = "") -> list[str]:
    """JSON pointers where two documents differ (used when no rule names the change)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in [*old, *(k for k in new if k not in old)]:
            token = str(key).replace("~", "~0").replace("/", "~1")
            if key not in old or key not in new:
                found.append(f"{pointer}/{token}")
            else:
                found += differences(old[key], new[key], f"{pointer}/{token}")
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for i, (a, b) in enumerate(zip(old, new, strict=True))
                for p in differences(a, b, f"{pointer}/{i}")]
    return [] if old == new else [pointer or "/"]


def statuses(spec_dir: Path, root: Path | None = None) -> list[SpecStatus]:
    changelog_file = spec_dir / CHANGELOG
    changelog = changelog_file.read_text(encoding="utf-8") if changelog_file.exists() else ""
    return [status(spec, changelog, root) for spec in sorted(spec_dir.glob("*.yaml"))]


def report(results: list[SpecStatus]) -> str:
    """What changed per spec against its release, breaking changes first, then the problems."""
    lines = []
    for r in results:
        if r.released is None:
            lines.append(f"{r.spec}: {r.version}, never released")
        elif not r.changed:
            same = "=" if r.version == r.released else "->"
            lines.append(f"{r.spec}: {r.released} {same} {r.version}, unchanged since the release")
        else:
            lines.append(f"{r.spec}: released {r.released}, now {r.version}: "
                         f"{len(r.breaking)} breaking, {len(r.changes) - len(r.breaking)} "
                         "non-breaking change(s)")
            lines += [f"  {c}" for c in r.breaking]
            ok = [c for c in r.changes if not c.breaking]
            lines += [f"  {c}" for c in ok[:_SHOWN_OK]]
            if len(ok) > _SHOWN_OK:
                lines.append(f"  ... and {len(ok) - _SHOWN_OK} more non-breaking change(s)")
            if r.other:
                lines.append(f"  ok: descriptions, examples or extensions changed at "
                             f"{len(r.other)} place(s), e.g. {r.other[0]}")
    problems = [p for r in results for p in r.problems]
    lines += [f"error: {p}" for p in problems]
    return "\n".join(lines)
