"""`generator.generate`: determinism, the manifest fast path and check mode (the drift of generated/
itself is `make check`'s: `python -m generator check`)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import Paths, SpecError, generate
from tests.generator.conftest import (
    BASE_SPEC,
    ROOT,
    make_paths,
    read_tree,
    replace_once,
    write_spec,
)

GADGETS = BASE_SPEC.replace("x-sdk-service: widgets", "x-sdk-service: gadgets").replace(
    "x-sdk-client: Widgets", "x-sdk-client: Gadgets")


@pytest.fixture(scope="module")
def step_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One step cache for the file's trees. What is tested here (determinism, the manifest's
    fast path, check mode, the reference) is the same whether a step's result is computed or
    taken from the cache, which `test_incremental.py` holds equal; rendering and formatting the
    same two specs again in every test only cost seconds each."""
    return tmp_path_factory.mktemp("step-cache")


@pytest.fixture
def paths(tmp_path: Path, step_cache: Path) -> Paths:
    write_spec(tmp_path / "spec", BASE_SPEC, "widgets.yaml")
    write_spec(tmp_path / "spec", GADGETS, "gadgets.yaml")
    return make_paths(tmp_path / "spec", tmp_path / "generated", cache_dir=step_cache)


def test_generate_twice_gives_identical_trees(paths: Paths, tmp_path: Path) -> None:
    first = generate(paths)
    assert first.written and not first.up_to_date_by_manifest
    assert first.changed == [*sorted(read_tree(paths.out_dir)), "../api.md"]  # the reference too
    reference = paths.reference.read_bytes()
    other = make_paths(paths.spec_dir, tmp_path / "again" / "generated")
    assert generate(other).written
    assert read_tree(other.out_dir) == read_tree(paths.out_dir)
    assert other.reference.read_bytes() == reference


def test_output_does_not_depend_on_hash_seed_or_cache(paths: Paths, tmp_path: Path) -> None:
    """Two fresh processes, different hash seeds, one with a cold cache: the same bytes."""
    trees = []
    for seed, cache in (("1", ["--no-cache"]), ("2", [])):
        out = tmp_path / f"seed{seed}" / "generated"  # api.md links into a `generated` folder
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "generator", "generate", "--spec-dir", str(paths.spec_dir),
             "--out-dir", str(out), *cache],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        trees.append(read_tree(out))
    generate(paths)
    assert trees[0] == trees[1] == read_tree(paths.out_dir)


def test_manifest_lists_every_file(paths: Paths) -> None:
    generate(paths)
    tree = read_tree(paths.out_dir)
    tree["../api.md"] = paths.reference.read_bytes()  # the reference beside the tree
    lines = [ln for ln in tree.pop("MANIFEST").decode().splitlines() if not ln.startswith("#")]
    assert lines[0].startswith("inputs ") and len(lines[0]) == len("inputs ") + 64
    assert lines[1:] == [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(tree.items())]


def test_manifest_fast_path(paths: Paths) -> None:
    generate(paths)
    past = 1_000_000_000_000_000_000
    for path in paths.out_dir.rglob("*"):
        os.utime(path, ns=(past, past))
    report = generate(paths)
    assert report.up_to_date_by_manifest and not report.written and report.changed == []
    assert all(p.stat().st_mtime_ns == past for p in paths.out_dir.rglob("*"))


def test_fast_path_stops_after_a_hand_edit(paths: Paths) -> None:
    generate(paths)
    models = paths.out_dir / "dataarts" / "widgets" / "models.py"
    original = models.read_bytes()
    models.write_bytes(original + b"# edited by hand\n")
    report = generate(paths)
    assert not report.up_to_date_by_manifest
    assert report.written and report.changed == ["dataarts/widgets/models.py"]
    assert models.read_bytes() == original
    assert generate(paths).up_to_date_by_manifest


@pytest.mark.parametrize("how", ["delete", "add"])
def test_fast_path_stops_after_files_appear_or_vanish(paths: Paths, how: str) -> None:
    generate(paths)
    expected = read_tree(paths.out_dir)
    if how == "delete":
        (paths.out_dir / "dataarts" / "py.typed").unlink()
    else:
        (paths.out_dir / "dataarts" / "widgets" / "extra.py").write_text("x = 1\n")
    report = generate(paths)
    assert not report.up_to_date_by_manifest and report.written
    assert read_tree(paths.out_dir) == expected


def test_fast_path_stops_when_a_spec_changes(paths: Paths) -> None:
    generate(paths)
    spec = paths.spec_dir / "widgets.yaml"
    spec.write_text(replace_once(BASE_SPEC, "summary: Show a widget", "summary: Show one widget"))
    report = generate(paths)
    assert not report.up_to_date_by_manifest and report.written
    assert "dataarts/widgets/_client.py" in report.changed
    assert "Show one widget." in (paths.out_dir / "dataarts/widgets/_client.py").read_text()


def test_fast_path_stops_when_a_spec_is_added(paths: Paths) -> None:
    generate(paths)
    write_spec(paths.spec_dir, BASE_SPEC.replace("x-sdk-service: widgets", "x-sdk-service: gizmos")
               .replace("x-sdk-client: Widgets", "x-sdk-client: Gizmos"), "gizmos.yaml")
    report = generate(paths)
    assert not report.up_to_date_by_manifest and "dataarts/gizmos/_client.py" in report.changed


def test_a_spec_added_as_yml_is_reported_even_on_the_fast_path(paths: Paths) -> None:
    generate(paths)
    before = read_tree(paths.out_dir)
    write_spec(paths.spec_dir, BASE_SPEC, "gizmos.yml")
    with pytest.raises(SpecError, match=r"gizmos\.yml:1: /: spec files must end in \.yaml"):
        generate(paths)
    assert read_tree(paths.out_dir) == before


def test_fast_path_stops_when_a_template_changes(paths: Paths, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    paths.templates_dir = templates
    generate(paths)
    assert generate(paths).up_to_date_by_manifest
    meta = templates / "meta.py.jinja"
    meta.write_text(meta.read_text() + "EXTRA = 1\n")
    report = generate(paths)
    assert not report.up_to_date_by_manifest and report.changed == ["MANIFEST", "dataarts/_meta.py"]


def test_force_regenerates(paths: Paths) -> None:
    generate(paths)
    report = generate(paths, force=True)
    assert not report.up_to_date_by_manifest
    assert report.changed == [] and not report.written


def test_check_never_writes(paths: Paths) -> None:
    report = generate(paths, check=True)
    assert not paths.out_dir.exists() and not paths.reference.exists()
    assert report.changed and not report.written
    generate(paths)
    models = paths.out_dir / "dataarts" / "widgets" / "models.py"
    models.write_bytes(b"edited\n")
    (paths.out_dir / "stray.txt").write_bytes(b"stray\n")
    before = read_tree(paths.out_dir)
    report = generate(paths, check=True)
    assert report.changed == ["dataarts/widgets/models.py", "stray.txt"] and not report.written
    assert read_tree(paths.out_dir) == before
    assert sorted(p.name for p in paths.out_dir.parent.iterdir()) == ["api.md", "generated", "spec"]


def test_check_ignores_the_manifest_fast_path(paths: Paths) -> None:
    """check compares real output, so an edit the manifest would also catch is reported by name."""
    generate(paths)
    init = paths.out_dir / "dataarts" / "__init__.py"
    init.write_text(init.read_text().replace("__version__", "__versjon__"))
    manifest = paths.out_dir / "MANIFEST"
    digest = hashlib.sha256(init.read_bytes()).hexdigest()
    lines = [(f"{digest}  dataarts/__init__.py" if ln.endswith("  dataarts/__init__.py") else ln)
             for ln in manifest.read_text().splitlines()]
    manifest.write_text("\n".join(lines) + "\n")  # a manifest forged to match the edit
    assert generate(paths, check=True).changed == ["MANIFEST", "dataarts/__init__.py"]


def test_cli_check_exit_codes(paths: Paths) -> None:
    generate(paths)
    run = [sys.executable, "-m", "generator", "check", "--spec-dir", str(paths.spec_dir),
           "--out-dir", str(paths.out_dir)]
    ok = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert ok.returncode == 0, ok.stderr
    (paths.out_dir / "dataarts" / "py.typed").write_text("edited\n")
    drift = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert drift.returncode == 1
    assert "differs: generated/dataarts/py.typed" in drift.stderr
    assert "Traceback" not in drift.stderr
    assert (paths.out_dir / "dataarts" / "py.typed").read_text() == "edited\n"


@pytest.mark.parametrize("how", ["edit", "delete"])
def test_the_reference_beside_the_tree_is_regenerated_and_checked(paths: Paths, how: str) -> None:
    """api.md is an output like the tree: the fast path, `check` and `generate` all see it."""
    generate(paths)
    assert paths.reference == paths.out_dir.parent / "api.md"
    expected = paths.reference.read_bytes()
    assert generate(paths).up_to_date_by_manifest
    if how == "edit":
        paths.reference.write_bytes(expected.replace(b"Show a widget", b"Show one widget", 1))
    else:
        paths.reference.unlink()
    assert generate(paths, check=True).changed == ["../api.md"]
    report = generate(paths)
    assert not report.up_to_date_by_manifest and report.written
    assert report.changed == ["../api.md"] and paths.reference.read_bytes() == expected
    assert generate(paths).up_to_date_by_manifest


def test_cli_check_names_a_stale_reference(paths: Paths) -> None:
    generate(paths)
    paths.reference.write_text("# stale\n")
    run = [sys.executable, "-m", "generator", "check", "--spec-dir", str(paths.spec_dir),
           "--out-dir", str(paths.out_dir)]
    drift = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert drift.returncode == 1
    assert "differs: api.md" in drift.stderr and "run `make generate`" in drift.stderr
