"""Golden end-to-end tests: small specs, their whole generated trees, and a call through each.

For every `cases/<case>/`:
- `test_generated_tree_matches_expected`: generating `spec/` into a temporary directory gives
  `expected/` byte for byte (the MANIFEST's fingerprint line masked, see update.py);
- `test_generated_tree_is_lint_clean`: ruff, with the project's settings, finds nothing in it;
- `test_scenario`: `scenario.py` runs in a fresh interpreter whose only `dataarts` is the tree
  just generated, calls methods through `httpx.MockTransport` and checks what was sent and what
  came back.

After an intended change to the generator, rewrite the expected trees with
`.venv/bin/python tests/golden/update.py` (`make golden-update`) and review the diff.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.golden.update import CASES_DIR, ROOT, case_names, generate_case, read_tree

CASES = case_names()
RUFF = Path(sys.executable).with_name("ruff")
LINT_BUGS: dict[str, str] = {}  # case -> a known generator bug its generated tree shows to ruff
MAX_FILES_SHOWN = 6
MAX_DIFF_LINES = 30

_generated: dict[str, tuple[Path, dict[str, bytes]]] = {}


@pytest.fixture
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, dict[str, bytes]]:
    """The case generated once per session: its output directory and its masked tree."""
    case: str = request.param
    if case not in _generated:
        out_dir = tmp_path_factory.mktemp(f"golden-{case}") / "generated"
        _generated[case] = (out_dir, generate_case(case, out_dir))
    return _generated[case]


def describe_differences(actual: dict[str, bytes], expected: dict[str, bytes]) -> str:
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(n for n in set(actual) & set(expected) if actual[n] != expected[n])
    lines = [f"missing (expected, not generated): {name}" for name in missing]
    lines += [f"extra (generated, not expected): {name}" for name in extra]
    lines += [f"differs: {name}" for name in changed]
    for name in changed[:MAX_FILES_SHOWN]:
        diff = list(difflib.unified_diff(
            expected[name].decode("utf-8", "replace").splitlines(),
            actual[name].decode("utf-8", "replace").splitlines(),
            f"expected/{name}", f"generated/{name}", n=1, lineterm="",
        ))
        lines += diff[:MAX_DIFF_LINES] + (["..."] if len(diff) > MAX_DIFF_LINES else [])
    lines.append("if the change is intended: .venv/bin/python tests/golden/update.py (make golden-update)")
    return "\n".join(lines)


def test_there_are_cases() -> None:
    assert len(CASES) >= 6
    for case in CASES:
        assert (CASES_DIR / case / "expected" / "MANIFEST").is_file(), case
        assert (CASES_DIR / case / "scenario.py").is_file(), case


@pytest.mark.parametrize("generated", CASES, indirect=True)
def test_generated_tree_matches_expected(generated: tuple[Path, dict[str, bytes]],
                                         request: pytest.FixtureRequest) -> None:
    case = request.node.callspec.params["generated"]
    _, actual = generated
    expected = read_tree(CASES_DIR / case / "expected")
    if actual != expected:
        pytest.fail(f"golden case {case!r}:\n{describe_differences(actual, expected)}", pytrace=False)


def _lint_params() -> list[object]:
    return [pytest.param(case, marks=[pytest.mark.xfail(strict=True, reason=LINT_BUGS[case])]
                         if case in LINT_BUGS else []) for case in CASES]


@pytest.mark.parametrize("generated", _lint_params(), indirect=True)
def test_generated_tree_is_lint_clean(generated: tuple[Path, dict[str, bytes]]) -> None:
    out_dir, _ = generated
    result = subprocess.run(
        [str(RUFF), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(out_dir)],
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("generated", CASES, indirect=True)
def test_scenario(generated: tuple[Path, dict[str, bytes]], request: pytest.FixtureRequest,
                  tmp_path: Path) -> None:
    case = request.node.callspec.params["generated"]
    out_dir, _ = generated
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CLOUD_SDK_", "PYTHON"))}
    env.update(PYTHONPATH=str(out_dir), PYTHONDONTWRITEBYTECODE="1", GOLDEN_OUT=str(out_dir),
               GOLDEN_TMP=str(tmp_path))
    result = subprocess.run(
        # -P: the script's own directory is not put on sys.path
        [sys.executable, "-P", str(CASES_DIR / case / "scenario.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1:] == ["ok"], result.stdout + result.stderr
