"""`generator.versions`: the versions importlib.metadata gives, read off the dist-info names."""

from __future__ import annotations

from importlib import metadata

import pytest

from generator import PINNED_TOOLS
from generator.versions import version


@pytest.mark.parametrize("dist", [*PINNED_TOOLS, "PyYAML", "ruamel.yaml", "pydantic", "httpx"])
def test_a_version_is_the_one_importlib_metadata_gives(dist: str) -> None:
    assert version(dist) == metadata.version(dist)


def test_a_distribution_not_installed_has_none() -> None:
    assert version("no-such-distribution-of-dataarts") is None
