"""`mypy --strict` accepts typed CDM configurations and DLF nodes used as documented, and rejects
a misspelled parameter, a wrong type and a missing required one."""

from __future__ import annotations

from tests.typing.conftest import program
from tests.typing.test_user_program import Mypy

BAD_CONFIGS = program("bad_configs.py", (
    "from dataarts.cdm.connectors import HiveLinkConfig, ObsLinkConfig\n"
    "from dataarts.dlf.nodes import CdmJobNode\n"
    "HiveLinkConfig(host='h', auth_type='SIMPLE', hive_version='HIVE_1_X', obs_support='no')\n"
    "ObsLinkConfig(storage_type='OBS', server='s', port='443', access_key='a')\n"  # no SK
    "CdmJobNode(cluster_name='c', job_name='j', jobName2='j')\n"  # misspelled
    "CdmJobNode(cluster_name='c')\n"  # job_name missing
))


def test_typed_configs_program_type_checks(mypy_result: Mypy) -> None:
    result = mypy_result("typed_configs.py")
    assert result.returncode == 0, result.stdout + result.stderr


def test_misuse_of_typed_configs_is_rejected(mypy_result: Mypy) -> None:
    result = mypy_result(BAD_CONFIGS)
    assert result.returncode == 1
    assert [line.split(": error:")[0].rsplit(":", 1)[1] for line in result.stdout.splitlines()
            if ": error:" in line] == ["3", "4", "5", "6"], result.stdout
