"""`mypy --strict` accepts typed CDM configurations and DLF nodes used as documented, and rejects
a misspelled parameter, a wrong type and a missing required one."""

from __future__ import annotations

from tests.typing.conftest import program
from tests.typing.test_user_program import Mypy

BAD_CONFIGS = program("bad_configs.py", (
    "from dataarts.cdm.connectors import HiveLinkConfig, ObsLinkConfig\n"
    "from dataarts.dlf.nodes import CdmJobNode\n"
    "HiveLinkConfig(host='h', auth_type='SIMPLE', hive_version='HIVE_1_X', obs_support='no')\n"
    "ObsLinkConfig(storage_type='OBS', server='s', port=443, access_key='a')\n"  # no SK
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


PORTS = program("ports.py", (
    "from pydantic import SecretStr\n"
    "from dataarts.cdm.connectors import ObsLinkConfig, RelationalDatabaseLinkConfig\n"
    "db = RelationalDatabaseLinkConfig(database_type='MYSQL', host='h', port=3306,"
    " username='u', password=SecretStr('p'), use_agent=False, fetch_size=1000)\n"
    "port: int | None = db.port\n"
    "ObsLinkConfig(storage_type='OBS', server='s', port=[443], access_key='a',"
    " security_key=SecretStr('k'))\n"  # not a port
))


def test_integer_parameters_take_ints_to_mypy(mypy_result: Mypy) -> None:
    """Issue 21 item 7: a port is an int in Python (the wire's string is made when sending)."""
    result = mypy_result(PORTS)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and ":5:" in errors[0] and '"port"' in errors[0], result.stdout


NODE_FIELDS = program("node_fields.py", (
    "from dataarts.dlf.nodes import CdmJobNode, new_node\n"
    "b = CdmJobNode(cluster_name='c', job_name='j')\n"
    "new_node(b, name='n', location={'x': 0, 'y': 0}, fail_policy='IGNORE', retry_times=2,"
    " pre_node_name=['a'], conditions=[{'preNodeName': 'a', 'expression': 'x'}])\n"
    "new_node(b, name='n', location={'x': 0, 'y': 0}, fail_polcy='IGNORE')\n"  # misspelt
    "new_node(b, name='n', location={'x': 0, 'y': 0}, retry_times='2')\n"  # not an int
))


def test_new_node_fields_are_typed_keyword_arguments(mypy_result: Mypy) -> None:
    """Issue 21 item 6: mypy sees the node's fields, so a misspelt one or a wrong type fails."""
    result = mypy_result(NODE_FIELDS)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [e.split(":")[1] for e in errors] == ["4", "5"], result.stdout
    assert '"fail_polcy"' in errors[0], result.stdout
