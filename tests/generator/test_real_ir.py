"""`tests.real_ir`: the real specs' IR that tests share equals a fresh build, hit or miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import Paths
from generator.build import build_api
from generator.load import SpecFile
from tests import real_ir


def test_the_ir_kept_in_the_step_cache_equals_a_fresh_build(
    tmp_path: Path, real_specs: list[SpecFile], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = Paths(cache_dir=tmp_path / "cache")
    built = build_api(real_specs)
    assert real_ir.ir_of(paths) == built  # a miss: built, and kept
    assert len(list((tmp_path / "cache" / "specs").rglob("*/*"))) == len(real_specs)

    def parse(*args: object) -> None:
        raise AssertionError("a spec was parsed although the step cache holds it")

    monkeypatch.setattr(real_ir, "parse_specs", parse)
    assert real_ir.ir_of(paths) == built  # a hit: nothing parsed
