"""`tests.real_ir`: the IR that tests share equals a fresh build, whether the step cache holds
its specs or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build_api
from generator.load import load_specs
from tests import real_ir
from tests.generator.conftest import BASE_SPEC, make_paths, write_spec


def test_the_ir_kept_in_the_step_cache_equals_a_fresh_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_spec(tmp_path / "spec", BASE_SPEC, "widgets.yaml")
    write_spec(tmp_path / "spec", BASE_SPEC.replace("x-sdk-service: widgets", "x-sdk-service: gadgets")
               .replace("x-sdk-client: Widgets", "x-sdk-client: Gadgets"), "gadgets.yaml")
    paths = make_paths(tmp_path / "spec", tmp_path / "generated", cache_dir=tmp_path / "cache")
    built = build_api(load_specs(paths.spec_dir, paths.root))
    assert real_ir.ir_of(paths) == built  # a miss: built, and kept
    assert len(list((tmp_path / "cache" / "specs").rglob("*/*"))) == 2

    def parse(*args: object) -> None:
        raise AssertionError("a spec was parsed although the step cache holds it")

    monkeypatch.setattr(real_ir, "parse_specs", parse)
    assert real_ir.ir_of(paths) == built  # a hit: nothing parsed


def test_the_real_ir_is_the_real_specs() -> None:
    assert [service.spec_file for service in real_ir.real_api().services] == [
        f"spec/{name}.yaml" for name in ("cdm", "dlf", "factory", "lakeformation")]
