"""mypy --strict over every program of this folder in one run (a run is mostly loading the
package's types: one costs what seven did).

A test module declares its programs at import with `program(name, source)`; a test asks
`mypy_result(name)` for that program's lines, as a run on it alone would print them (an
`enable-error-code` a program needs is an inline `# mypy:` comment in its source).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MYPY_CACHE

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
PROGRAMS: dict[str, str] = {
    "user_program.py": (HERE / "user_program.py").read_text(encoding="utf-8"),
    "typed_configs.py": (HERE / "typed_configs.py").read_text(encoding="utf-8"),
}


def program(name: str, source: str) -> str:
    """Declares a program checked in the one run; its file name is its module's, so unique."""
    assert PROGRAMS.setdefault(name, source) == source, f"two programs named {name}"
    return name


@pytest.fixture(scope="session")
def mypy_result() -> Callable[[str], subprocess.CompletedProcess[str]]:
    # A fixed folder: mypy's cache replays a module's errors under the path it had when cached.
    # Files are replaced whole and only when changed, as two workers may run this at once.
    folder = ROOT / ".cache" / "mypy-programs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in PROGRAMS.items():
        target = folder / name
        if not target.exists() or target.read_text(encoding="utf-8") != source:
            fresh = folder / f".{name}.{os.getpid()}"
            fresh.write_text(source, encoding="utf-8")
            os.replace(fresh, target)
    env = {**os.environ, "MYPYPATH": str(ROOT / "generated")}
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(MYPY_CACHE), *sorted(PROGRAMS)],
        capture_output=True, text=True, env=env, cwd=folder, check=False,
    )
    assert run.returncode in (0, 1) and not run.stderr, run.stdout + run.stderr  # no crash

    def result(name: str) -> subprocess.CompletedProcess[str]:
        assert name in PROGRAMS, f"{name} is not declared with program()"
        lines = [line for line in run.stdout.splitlines(keepends=True)
                 if line.startswith(f"{name}:")]
        failed = any(": error:" in line for line in lines)
        return subprocess.CompletedProcess(["mypy", name], int(failed), "".join(lines), "")

    return result
