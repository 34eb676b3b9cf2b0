"""The version and CHANGELOG rules against a released bundle, on a small spec folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from generator.publish import release
from generator.publish.release import statuses

RELEASED = {
    "openapi": "3.0.3", "info": {"title": "Jobs", "version": "1.2.0"},
    "paths": {"/jobs": {"get": {"operationId": "ListJobs", "summary": "List jobs", "responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "required": ["total"],
            "properties": {"total": {"type": "integer"}}}}}}}}}},
}
CHANGELOG = "# Changelog\n\n## jobs 1.2.0\n\nFirst release.\n"


def folder(tmp_path: Path, spec: dict[str, Any], changelog: str = CHANGELOG) -> Path:
    (tmp_path / "released").mkdir(parents=True)
    (tmp_path / "released" / "jobs.json").write_text(json.dumps(RELEASED), encoding="utf-8")
    (tmp_path / "jobs.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return tmp_path


def spec(version: str, *, summary: str = "List jobs", required: bool = True) -> dict[str, Any]:
    doc = json.loads(json.dumps(RELEASED))
    doc["info"]["version"] = version
    op = doc["paths"]["/jobs"]["get"]
    op["summary"] = summary
    if not required:
        op["responses"]["200"]["content"]["application/json"]["schema"]["required"] = []
    return doc


def problems(tmp_path: Path, doc: dict[str, Any], changelog: str = CHANGELOG) -> list[str]:
    return [p for s in statuses(folder(tmp_path, doc, changelog), tmp_path) for p in s.problems]


def test_an_unchanged_spec_passes(tmp_path: Path) -> None:
    result = statuses(folder(tmp_path, spec("1.2.0")))
    assert [(r.changed, r.problems) for r in result] == [(False, [])]
    assert "unchanged since the release" in release.report(result)


def test_a_change_without_a_bump_names_the_version_to_set(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, spec("1.2.0", summary="List the jobs"))
    assert "is still 1.2.0: set it to 1.2.1 or higher (documentation-only changes" in problem
    assert "add '## jobs 1.2.1' to spec/CHANGELOG.md" in problem


def test_a_bump_needs_its_changelog_entry_with_text(tmp_path: Path) -> None:
    [problem] = problems(tmp_path, spec("1.2.1", summary="List the jobs"))
    assert "no entry for jobs 1.2.1" in problem and "'## jobs 1.2.1'" in problem
    empty = CHANGELOG + "\n## jobs 1.2.1\n\n"
    assert len(problems(tmp_path / "a", spec("1.2.1", summary="x"), empty)) == 1
    written = CHANGELOG + "\n## jobs 1.2.1\n\nClearer summary.\n"
    assert problems(tmp_path / "b", spec("1.2.1", summary="x"), written) == []


def test_a_breaking_change_needs_a_major_bump(tmp_path: Path) -> None:
    entry = CHANGELOG + "\n## jobs 1.3.0\n\nTotal may be absent.\n"
    [problem] = problems(tmp_path, spec("1.3.0", required=False), entry)
    assert "has 1 breaking change(s)" in problem and "set it to 2.0.0" in problem
    entry = CHANGELOG + "\n## jobs 2.0.0\n\nTotal may be absent.\n"
    assert problems(tmp_path / "a", spec("2.0.0", required=False), entry) == []
    report = release.report(statuses(tmp_path / "a"))
    assert "BREAKING: schema" not in report  # an inline schema is named by its operation
    assert "BREAKING: GET /jobs response 200 (application/json).total: no longer required" in report


def test_versions_must_be_semver_and_not_go_back(tmp_path: Path) -> None:
    assert problems(tmp_path, spec("2024-04-29")) == [
        "jobs.yaml: info.version '2024-04-29' is not MAJOR.MINOR.PATCH"]
    entry = CHANGELOG + "\n## jobs 1.1.0\n\nOlder.\n"
    assert problems(tmp_path / "a", spec("1.1.0"), entry) == [
        "jobs.yaml: info.version 1.1.0 is lower than the released 1.2.0"]


def test_a_spec_never_released_needs_only_its_changelog_entry(tmp_path: Path) -> None:
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(spec("0.1.0")), encoding="utf-8")
    folder(tmp_path, spec("1.2.0"))
    results = {r.name: r for r in statuses(tmp_path)}
    assert results["new"].released is None
    assert results["new"].problems == [
        ("spec/CHANGELOG.md has no entry for new 0.1.0: add a heading '## new 0.1.0' with a line "
        "on what changed for client authors")]


def test_suggested_versions() -> None:
    status = release.SpecStatus("x", "x.yaml", "1.2.3", "1.2.3")
    assert status.suggested() == "1.2.4"
    status.changes = [release.Change(False, "GET /x", "operation added")]
    assert status.suggested() == "1.3.0"
    status.changes.append(release.Change(True, "GET /y", "operation removed"))
    assert status.suggested() == "2.0.0"
