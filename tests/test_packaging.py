"""The wheel holds only `dataarts` (typed), and consumers get only httpx and pydantic."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_contents_and_runtime_dependencies(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("dataarts-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(zf.read(metadata).decode())
    packages = {n.split("/")[0] for n in names if not n.startswith("dataarts-")}
    assert packages == {"dataarts"}
    assert "dataarts/py.typed" in names
    assert "dataarts/cdm/_client.py" in names and "dataarts/_runtime/auth.py" in names
    assert "dataarts/cdm/models.py" in names and "dataarts/cdm/_models/job.py" in names
    requires = message.get_all("Requires-Dist") or []
    unconditional = sorted(r.split(">")[0].split("<")[0].strip() for r in requires if "extra ==" not in r)
    assert unconditional == ["httpx", "pydantic"]
    generator_extra = [r for r in requires if "extra == 'generator'" in r.replace('"', "'")]
    assert any(r.startswith("datamodel-code-generator") for r in generator_extra)
    assert any(r.startswith("black") for r in generator_extra)
