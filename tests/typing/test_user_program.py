"""`mypy --strict` accepts a program using the clients as a user would, and rejects misuse
(all programs of tests/typing are checked in one mypy run: conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from subprocess import CompletedProcess

from tests.typing.conftest import program

Mypy = Callable[[str], CompletedProcess[str]]  # the `mypy_result` fixture (tests/typing/conftest.py)

MISUSE = program("misuse.py", (
    "from dataarts import CdmClient\n"
    "cdm = CdmClient(region='r', project_id='p', token='t')\n"
    "cdm.jobs.start(cluster_id=1, job_name='j')\n"  # cluster_id must be str
    "cdm.jobs.get_status(cluster_id='c')\n"  # job_name missing
    "x: int = cdm.jobs.get_status(cluster_id='c', job_name='j')\n"  # wrong result type
))
MODELS_MISUSE = program("models_misuse.py", (
    "from dataarts.cdm import models\n"
    "from dataarts.cdm.models import Job, NoSuchModel\n"  # no such name
    "job = Job.model_validate({})\n"
    "name: int = job.name\n"  # a str
    "other = models.Jbo\n"  # misspelt
    "reveal_type(job.from_config_values)\n"
))


def test_user_program_type_checks(mypy_result: Mypy) -> None:
    result = mypy_result("user_program.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_misuse_is_rejected(mypy_result: Mypy) -> None:
    result = mypy_result(MISUSE)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 3, result.stdout


def test_models_are_classes_with_fields_to_mypy(mypy_result: Mypy) -> None:
    """The models module creates its classes on first use (a module `__getattr__` mypy does not
    see): to mypy its names are the private modules' classes, and a misspelt one is an error."""
    result = mypy_result(MODELS_MISUSE)
    assert result.returncode == 1
    assert result.stdout.count("error:") == 3, result.stdout
    assert 'Module "dataarts.cdm.models" has no attribute "NoSuchModel"' in result.stdout
    assert 'Module has no attribute "Jbo"' in result.stdout
    assert 'Revealed type is "dataarts.cdm._models.config_values.ConfigValues"' in result.stdout
