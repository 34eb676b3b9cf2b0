"""The official SDK, driven in its own virtualenv: one child process answers every command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SIDE = ROOT / "tools" / "conformance" / "official_side.py"


class OfficialSdk:
    """tools/conformance/official_side.py in the official SDK's interpreter, one JSON line each way."""

    def __init__(self, python: Path, credentials: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [str(python), str(SIDE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )
        self.ask({"credentials": credentials})

    def ask(self, command: dict[str, Any]) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the official SDK side died on {next(iter(command))!r}")
        return json.loads(line)

    def routes(self) -> list[dict[str, str]]:
        """Every method of the three official clients: sdk, method, HTTP method, path."""
        return self.ask({"routes": True})  # type: ignore[no-any-return]

    def describe(self, methods: list[tuple[str, str]]) -> dict[str, Any]:
        return self.ask({"describe": [list(m) for m in methods]})  # type: ignore[no-any-return]

    def run(self, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self.ask({"run": cases})  # type: ignore[no-any-return]

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)
