"""Every Python example in the README type-checks under `mypy --strict`, as written.

The fenced `python` blocks of one `##` section form one program, in their order (a later block
of a section uses what an earlier one defined, as a reader does); each section is checked
against the generated package.
"""

from __future__ import annotations

import re
import textwrap

from tests.typing.conftest import ROOT, program
from tests.typing.test_user_program import Mypy

# A fenced python block, possibly indented inside a list item; the fence closes at the same indent.
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)```python\n(?P<code>.*?)^(?P=indent)```",
                    re.MULTILINE | re.DOTALL)


def readme_programs(text: str) -> dict[str, str]:
    """Section title -> the section's python blocks joined, for each section that has any."""
    programs: dict[str, str] = {}
    for section in re.split(r"^(?=## )", text, flags=re.MULTILINE):
        title = section.splitlines()[0].lstrip("# ").strip() if section.strip() else ""
        blocks = [textwrap.dedent(m["code"]) for m in _BLOCK.finditer(section)]
        if blocks:
            programs[title] = "\n\n".join(blocks)
    return programs


def test_the_readme_blocks_are_found() -> None:
    programs = readme_programs((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"Using the package", "Creating a CDM cluster", "Typed CDM configurations and DLF nodes",
            "Waiting for long-running work", "Testing against the simulator"} <= set(programs)
    assert "sim.faults.throttle" in programs["Testing against the simulator"]  # an indented one


# each section's program, checked in the folder's one mypy run (tests/typing/conftest.py)
SECTIONS = {
    program(f"readme_{n}.py", code): title
    for n, (title, code) in enumerate(
        readme_programs((ROOT / "README.md").read_text(encoding="utf-8")).items())
}


def test_every_readme_example_passes_mypy_strict(mypy_result: Mypy) -> None:
    failed = []
    for name, title in SECTIONS.items():
        result = mypy_result(name)
        failed += [f"[{title}] {line}" for line in result.stdout.splitlines()]
    assert failed == [], "\n".join(failed)
