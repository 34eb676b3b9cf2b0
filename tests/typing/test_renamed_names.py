"""To mypy, a renamed parameter or field has its new name only; a former attribute is deprecated.

The former names keep working at run time with a DeprecationWarning (tests/contract/
test_wire_names.py); a type checker steers users to the new ones: a former keyword is an unknown
argument that names the new one, a former attribute is reported as deprecated (mypy's
`deprecated` error code), and ExportJob's result is typed by whether a body is given.
"""

from __future__ import annotations

from tests.typing.conftest import program
from tests.typing.test_user_program import Mypy

NEW_NAMES = """
from dataarts import CdmClient, DlfClient, FactoryClient
from dataarts.cdm.models import ClusterDetailInstance, ExtendedProperties
from dataarts.dlf.models import ExportJobRequest, ExportJobResult


def use(cdm: CdmClient, dlf: DlfClient, factory: FactoryClient) -> None:
    node = ClusterDetailInstance(public_ip="1.2.3.4", manage_ip="10.0.0.1", id="n1", name="n",
                                 status="200", type="cdm", is_frozen="0")
    ip: str | None = node.public_ip
    ExtendedProperties(workspace_id="w")
    history = cdm.submissions.list(cluster_id="c", job_name="j")
    for run in history.submissions or []:
        if run.counters and run.counters.sqoop_counters:
            rows: int | None = run.counters.sqoop_counters.rows_written
    factory.job_instances.list_by_job(job_name="j", min_plan_time=1, max_plan_time=2)
    cdm.clusters.delete(cluster_id="c")
    zipped: bytes = dlf.jobs.export(job_name="j")
    answer = dlf.jobs.export(job_name="j", body=ExportJobRequest(obs_path="obs://b/"))
    if isinstance(answer, ExportJobResult):
        where: str | None = answer.obs_path
    reveal_type(answer)
"""

FORMER_NAMES = """# mypy: enable-error-code="deprecated"
from dataarts import CdmClient, FactoryClient
from dataarts.cdm.models import ClusterDetailInstance


def use(cdm: CdmClient, factory: FactoryClient, node: ClusterDetailInstance) -> None:
    cdm.submissions.list(cluster_id="c", jname="j")
    factory.job_instances.list_by_job(job_name="j", min_plain_time=1)
    ClusterDetailInstance(publicip="1.2.3.4")
    old: str | None = node.publicip
"""


program("new_names.py", NEW_NAMES)
program("former_names.py", FORMER_NAMES)


def test_the_new_names_type_check(mypy_result: Mypy) -> None:
    result = mypy_result("new_names.py")
    assert result.stdout.count("error:") == 0, result.stdout
    assert ('Revealed type is "dataarts.dlf._models.export_job_result.ExportJobResult | bytes"'
            in result.stdout)


def test_the_former_names_are_steered_to_the_new_ones(mypy_result: Mypy) -> None:
    result = mypy_result("former_names.py")
    assert result.returncode == 1
    assert result.stdout.count("error:") == 4, result.stdout
    assert 'Unexpected keyword argument "jname" for "list" of "SubmissionsResource"; did you ' \
           'mean "job_name"?' in result.stdout
    assert 'Unexpected keyword argument "min_plain_time"' in result.stdout
    assert 'did you mean "min_plan_time"' in result.stdout
    assert 'Unexpected keyword argument "publicip" for "ClusterDetailInstance"; did you mean ' \
           '"public_ip"?' in result.stdout
    assert "ClusterDetailInstance.publicip is deprecated: use public_ip" in result.stdout
