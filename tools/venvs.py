"""Third-party peers' virtualenvs under .bench/, each rebuilt when its pins change.

    python tools/venvs.py official      (make test; prints the interpreter's path)

Standard library only. The official Huawei Cloud SDK's virtualenv `.bench/official` (pins:
bench/official-sdk.txt) serves both the client benchmark (bench/client.py) and the conformance
judge (tests/conformance). A marker file named after the pins' hash records a finished install,
so a broken or outdated one is rebuilt.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_VENV = ROOT / ".bench" / "official"
OFFICIAL_PINS = ROOT / "bench" / "official-sdk.txt"


def marker(venv: Path, pins: bytes) -> Path:
    return venv / f".installed-{hashlib.sha256(pins).hexdigest()[:16]}"


def ensure_venv(venv: Path, pip_args: list[str], pins: bytes) -> Path:
    """A virtualenv at `venv` with `pip install <pip_args>` (this interpreter's pip, which must be
    22.3 or later: constraints.txt pins it); rebuilt when the pins change."""
    python = venv / "bin" / "python"
    done_marker = marker(venv, pins)
    if done_marker.is_file() and python.is_file():
        return python
    print(f"creating {venv.relative_to(ROOT)} ({' '.join(pip_args)}) ...", flush=True)
    started = time.perf_counter()
    shutil.rmtree(venv, ignore_errors=True)
    # The venv gets no pip of its own (ensurepip alone took seconds): this interpreter's pip
    # installs into it (`pip --python`). Nothing is compiled at install time (pip compiled
    # every module of the SDKs, thousands, and took most of a minute on a loaded machine);
    # a module is compiled when first imported, and only the few the judge and the benchmark
    # import ever are.
    steps = [
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--disable-pip-version-check", "--no-compile", *pip_args],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(venv, ignore_errors=True)
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit(f"could not set up {venv}: {' '.join(step)} exited {done.returncode}")
    done_marker.write_text(" ".join(pip_args) + "\n", encoding="utf-8")
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return python


def official_python() -> Path:
    """The official SDK's interpreter, installing the pinned SDK on first use."""
    pins = OFFICIAL_PINS.read_bytes()
    return ensure_venv(OFFICIAL_VENV, ["-r", str(OFFICIAL_PINS)], pins)


def installed_official_python() -> Path | None:
    """The official SDK's interpreter if its current pins are installed, else None."""
    python = OFFICIAL_VENV / "bin" / "python"
    ready = marker(OFFICIAL_VENV, OFFICIAL_PINS.read_bytes()).is_file() and python.is_file()
    return python if ready else None


if __name__ == "__main__":
    if sys.argv[1:] != ["official"]:
        sys.exit("usage: python tools/venvs.py official")
    print(official_python())
