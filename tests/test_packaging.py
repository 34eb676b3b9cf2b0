"""The wheel (built once) holds only `dataarts` (typed); consumers get only httpx and pydantic,
the `cli` extra adds click and jmespath and declares the console script."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (built,) = out.glob("dataarts-*.whl")
    return zipfile.ZipFile(built)


def _metadata(wheel: zipfile.ZipFile) -> Message:
    name = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    return Parser().parsestr(wheel.read(name).decode())


def _requires(metadata: Message, extra: str | None) -> list[str]:
    """The distribution names required by an extra (None: unconditionally)."""
    requires = [r.replace('"', "'") for r in metadata.get_all("Requires-Dist") or []]
    chosen = [r for r in requires if (f"extra == '{extra}'" in r if extra else "extra ==" not in r)]
    return sorted(re.split(r"[<>=!~;\s\[]", r)[0] for r in chosen)


def test_wheel_contents_and_runtime_dependencies(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    packages = {n.split("/")[0] for n in names if not n.startswith("dataarts-")}
    assert packages == {"dataarts"}
    assert "dataarts/py.typed" in names
    assert "dataarts/cdm/_client.py" in names and "dataarts/_runtime/auth.py" in names
    assert "dataarts/cdm/models.py" in names and "dataarts/cdm/_models/job.py" in names
    metadata = _metadata(wheel)
    assert _requires(metadata, None) == ["httpx", "pydantic"]
    generator_extra = _requires(metadata, "generator")
    assert "datamodel-code-generator" in generator_extra and "black" in generator_extra


def test_the_wheel_declares_the_cli_extra_and_the_console_script(wheel: zipfile.ZipFile) -> None:
    names = wheel.namelist()
    metadata = _metadata(wheel)
    assert _requires(metadata, "cli") == ["click", "jmespath"]
    assert "cli" in (metadata.get_all("Provides-Extra") or [])
    entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "dataarts = dataarts.cli:main" in entry_points
    assert {"dataarts/__main__.py", "dataarts/_cli_commands.py", "dataarts/cli/app.py"} <= set(names)
