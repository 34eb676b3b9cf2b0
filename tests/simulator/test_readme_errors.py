"""The README's "Errors" example runs against the simulator over loopback and catches what it
claims to: a DLF job that does not exist (DLF.0100, an HTTP 400) is a `NotFoundError`."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from dataarts.testing import Simulator

ROOT = Path(__file__).resolve().parents[2]


def errors_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```python\n(.*?)```", section, re.DOTALL)[0]
    assert "dlf.jobs.start(job_name=" in block and "except NotFoundError as err:" in block
    return block


def test_the_readme_errors_example_catches_a_missing_job_over_http() -> None:
    block = errors_example()
    with Simulator().serve() as server:
        # the example's client sent to the simulator instead of the region's host, its
        # placeholders ("…") filled in
        code = block.replace('region="ap-southeast-1"', f'base_url="{server.base_url}"', 1)
        assert code != block
        code = code.replace("…", "0")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the docs
    first, second = printed.getvalue().splitlines()
    status, code, request_id = *first.split(" ", 2)[:2], first.rsplit(" ", 1)[1]
    assert (status, code) == ("400", "DLF.0100")
    assert "The job does not exist." in first and request_id
    assert second == (f"HTTP 400 DLF.0100: The job does not exist. Action: Check whether the job "
                      f"exists. (request id {request_id})")
