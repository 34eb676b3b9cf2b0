"""`make bundle` and `make release` with the pinned Redocly CLI, on copies of the real specs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from generator.load import load_spec
from generator.publish.bundle import SAFE_LOADER, ReleaseError, bundle, cut_release
from generator.publish.release import plain, statuses
from generator.publish.samples import CLI, CURL, KEY, PYTHON, without_code_samples

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"


def test_bundles_are_single_files_equal_to_their_specs_with_code_samples(redocly: Path,
                                                                         tmp_path: Path) -> None:
    specs = sorted(SPEC_DIR.glob("*.yaml"))
    written = bundle(specs, tmp_path)
    assert sorted(p.name for p in written) == sorted(
        f"{s.stem}.{ext}" for s in specs for ext in ("json", "yaml"))
    for spec in specs:
        for ext in ("json", "yaml"):
            text = (tmp_path / f"{spec.stem}.{ext}").read_text(encoding="utf-8")
            data = json.loads(text) if ext == "json" else yaml.load(text, Loader=SAFE_LOADER)
            # every operation carries its samples (samples.py), and they are all that was added
            for item in data["paths"].values():
                for op in item.values():
                    if isinstance(op, dict) and "responses" in op:
                        assert [s["label"] for s in op[KEY]] == [PYTHON, CLI, CURL]
                        assert all(s["source"].strip() for s in op[KEY])
            assert plain(without_code_samples(data)) == plain(load_spec(spec).data)
            assert "$ref" not in json.dumps(data).replace('"$ref": "#/', "")  # no external refs


def copy_specs(tmp_path: Path) -> Path:
    spec_dir = tmp_path / "spec"
    shutil.copytree(SPEC_DIR, spec_dir, ignore=shutil.ignore_patterns("README.md"))
    return spec_dir


def test_release_refuses_until_version_and_changelog_are_right(redocly: Path,
                                                               tmp_path: Path) -> None:
    spec_dir = copy_specs(tmp_path)
    # specs whose version is not released yet (work in progress on the branch) are cut first, so
    # that the edit below starts from a released spec whatever the branch has pending
    pending = [f"{s.name} {s.version}" for s in statuses(spec_dir) if s.version != s.released]
    assert cut_release(spec_dir) == sorted(pending)
    assert {p.name for p in (spec_dir / "released").glob("*.json")} == {
        f"{s.stem}.json" for s in spec_dir.glob("*.yaml")}  # factory.yaml too, its first release
    spec = spec_dir / "lakeformation.yaml"
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    major, minor, patch = map(int, data["info"]["version"].split("."))
    following = f"{major}.{minor}.{patch + 1}"
    data["paths"]["/v1/{project_id}/instances/{instance_id}/lf-jobs"]["post"]["summary"] += "."
    # keys in the spec's order, as an editor keeps them: the bundle's code samples read the spec
    # through the IR, whose rules fix the order of an error-code row's keys
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ReleaseError, match=f"set it to {following} or higher"):
        cut_release(spec_dir)

    data["info"]["version"] = following
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ReleaseError, match=f"no entry for lakeformation {following}"):
        cut_release(spec_dir)

    changelog = spec_dir / "CHANGELOG.md"
    changelog.write_text(changelog.read_text(encoding="utf-8")
                         + f"\n## lakeformation {following}\n\nSummary punctuation.\n",
                         encoding="utf-8")
    assert cut_release(spec_dir) == [f"lakeformation {following}"]
    released = json.loads((spec_dir / "released" / "lakeformation.json").read_text("utf-8"))
    assert released["info"]["version"] == following
    assert all(s.problems == [] for s in statuses(spec_dir))
    assert cut_release(spec_dir) == []  # nothing left to release
