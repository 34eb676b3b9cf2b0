"""The README's "Testing against the simulator" examples run as written."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_examples_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing against the simulator", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) >= 3
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(textwrap.dedent(block), "README.md", "exec"), namespace)  # noqa: S102 - the docs
    sim: Any = namespace["sim"]
    assert len(sim.faults.active) == 7  # six added in Python, one through the control API
    assert sorted(c.name for c in sim.cdm.clusters("p1")) == ["c1", "c2", "c3"]
    run: Any = namespace["run"]
    assert run.status(sim.clock.now())[0] == "RUNNING"  # started, then 60 s advanced
