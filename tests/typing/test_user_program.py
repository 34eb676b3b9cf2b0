"""`mypy --strict` accepts a program using the clients as a user would, and rejects misuse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]


def _mypy(target: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(ROOT / "generated")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *flags,
         "--cache-dir", str(ROOT / ".cache" / "mypy-typing"), str(target)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )


def test_user_program_type_checks() -> None:
    result = _mypy(HERE / "user_program.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_misuse_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from dataarts import CdmClient\n"
        "cdm = CdmClient(region='r', project_id='p', token='t')\n"
        "cdm.jobs.start(cluster_id=1, job_name='j')\n"  # cluster_id must be str
        "cdm.jobs.get_status(cluster_id='c')\n"  # job_name missing
        "x: int = cdm.jobs.get_status(cluster_id='c', job_name='j')\n"  # wrong result type
    )
    result = _mypy(bad)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 3, result.stdout


def test_models_are_classes_with_fields_to_mypy(tmp_path: Path) -> None:
    """The models module creates its classes on first use (a module `__getattr__` mypy does not
    see): to mypy its names are the private modules' classes, and a misspelt one is an error."""
    bad = tmp_path / "models_misuse.py"
    bad.write_text(
        "from dataarts.cdm import models\n"
        "from dataarts.cdm.models import Job, NoSuchModel\n"  # no such name
        "job = Job.model_validate({})\n"
        "name: int = job.name\n"  # a str
        "other = models.Jbo\n"  # misspelt
        "reveal_type(job.from_config_values)\n"
    )
    result = _mypy(bad)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 3, result.stdout
    assert 'Module "dataarts.cdm.models" has no attribute "NoSuchModel"' in result.stdout
    assert 'Module has no attribute "Jbo"' in result.stdout
    assert 'Revealed type is "dataarts.cdm._models.config_values.ConfigValues"' in result.stdout
