"""Wire spellings and the names users guess (issues 19 and 21), on the generated clients.

Requests send the production spelling; responses read the documented one too, into the same
attribute; the Python names users had keep working as deprecated aliases (a DeprecationWarning,
the value right). Each test talks to a client over an httpx transport that records the request.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from dataarts import CdmClient, DlfClient, FactoryClient
from dataarts.cdm.models import (
    ClusterDetailInstance,
    CreateClusterRequest,
    ExtendedProperties,
    ShowSubmissionsResponse,
    StartJobSubmission,
)
from dataarts.dlf.models import ConnectionImportParams, ExportJobRequest, ExportJobResult

Answer = Callable[[httpx.Request], httpx.Response]
PROJECT = "p1"


class Recorder:
    """A transport answering with `answer` and keeping every request."""

    def __init__(self, answer: Answer) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def json_answer(body: Any, status: int = 200) -> Answer:
    return lambda request: httpx.Response(status, json=body)


def client(cls: Any, answer: Answer, **options: Any) -> tuple[Any, Recorder]:
    recorder = Recorder(answer)
    http = httpx.Client(transport=httpx.MockTransport(recorder))
    return cls(base_url="http://wire.test", project_id=PROJECT, token="t", http_client=http,
               **options), recorder


@pytest.fixture
def deprecations() -> Iterator[list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


def messages(caught: list[warnings.WarningMessage]) -> list[str]:
    return [f"{w.category.__name__}: {w.message}" for w in caught]


# -- responses: the wire spelling and the documented one, into one attribute ----------------------


NODE_DOCUMENTED = {"publicip": "1.2.3.4", "managelp": "10.0.0.2", "paramsGroupid": "g1"}
NODE_WIRE = {"publicIp": "1.2.3.4", "manageIp": "10.0.0.2", "paramsGroupId": "g1"}


@pytest.mark.parametrize("node", [NODE_DOCUMENTED, NODE_WIRE], ids=["documented", "wire"])
def test_cluster_nodes_read_either_spelling(node: dict[str, str]) -> None:
    cdm, _ = client(CdmClient, json_answer({"id": "c1", "instances": [node]}))
    (read,) = cdm.clusters.get(cluster_id="c1").instances
    assert (read.public_ip, read.manage_ip, read.params_group_id) == ("1.2.3.4", "10.0.0.2", "g1")
    assert read.model_dump(by_alias=True, exclude_none=True) == NODE_WIRE


def test_former_attribute_names_warn_and_still_work(deprecations: list[Any]) -> None:
    node = ClusterDetailInstance.model_validate(NODE_WIRE)
    assert node.publicip == "1.2.3.4"  # type: ignore[deprecated]
    node.managelp = "10.9.9.9"  # type: ignore[deprecated]
    assert node.manage_ip == "10.9.9.9"
    assert messages(deprecations) == [
        ("DeprecationWarning: ClusterDetailInstance.publicip is deprecated: use public_ip (the "
         "wire spells it publicIp)"),
        "DeprecationWarning: ClusterDetailInstance.managelp is deprecated: use manage_ip",
    ]
    assert all(w.filename == __file__ for w in deprecations)  # the user's line is named


def test_former_keywords_of_a_model_warn_and_still_work(deprecations: list[Any]) -> None:
    node = ClusterDetailInstance(publicip="1.2.3.4", params_groupid="g1")  # type: ignore[call-arg]
    assert (node.public_ip, node.params_group_id) == ("1.2.3.4", "g1")
    assert messages(deprecations) == [
        ("DeprecationWarning: ClusterDetailInstance(): keyword 'params_groupid' is deprecated, use "
         "'params_group_id'"),
        ("DeprecationWarning: ClusterDetailInstance(): keyword 'publicip' is deprecated, use "
         "'public_ip'"),
    ]
    assert deprecations[0].filename == __file__
    with pytest.raises(TypeError, match="got both 'publicip' and 'public_ip'"):
        ClusterDetailInstance(publicip="a", public_ip="b")  # type: ignore[call-arg]


def test_reading_a_documented_spelling_warns_about_nothing(deprecations: list[Any]) -> None:
    ClusterDetailInstance.model_validate(NODE_DOCUMENTED)
    ClusterDetailInstance.model_validate_json(json.dumps(NODE_DOCUMENTED))
    assert deprecations == []


def test_a_submission_reads_both_spellings_of_its_misspelt_fields() -> None:
    """`isStopingIncrement` is the wire's (one p); `last-udpate-user` and `last-update-user` are
    both read (unresolved); Python spells both right."""
    documented = {"isStoppingIncrement": "false", "last-udpate-user": "cdm", "status": "RUNNING"}
    wire = {"isStopingIncrement": "false", "last-update-user": "cdm", "status": "RUNNING"}
    for body in (documented, wire):
        run = StartJobSubmission.model_validate(body)
        assert (run.is_stopping_increment, run.last_update_user) == ("false", "cdm")
        assert run.model_dump(by_alias=True, exclude_none=True) == wire


def test_a_lenient_reading_takes_the_documented_spelling_too() -> None:
    """A body that slips from its types is read field by field: the spellings still count."""
    cdm, _ = client(CdmClient, json_answer(
        {"id": "c1", "instances": [{"publicip": "1.2.3.4", "status": ["not", "a", "string"]}]}))
    (node,) = cdm.clusters.get(cluster_id="c1").instances
    assert node.public_ip == "1.2.3.4" and node.status == ["not", "a", "string"]


# -- requests: the wire spelling goes out ----------------------------------------------------------


def test_a_model_sends_the_wire_spelling_whatever_it_was_given(deprecations: list[Any]) -> None:
    cdm, sent = client(CdmClient, json_answer({"id": "c1"}))
    cluster = {"name": "c", "extended_properties": ExtendedProperties(workspace_id="w1")}
    cdm.clusters.create(body=CreateClusterRequest.model_validate({"cluster": cluster}))
    assert json.loads(sent.last.content)["cluster"]["extended_properties"] == {"workSpaceId": "w1"}
    params = ConnectionImportParams(name="dws", type="DWS")  # type: ignore[call-arg]
    assert params.model_dump(by_alias=True, exclude_none=True) == {"name": "dws",
                                                                   "connectionType": "DWS"}
    assert messages(deprecations) == [(
        "DeprecationWarning: ConnectionImportParams(): keyword 'type' is deprecated, use "
        "'connection_type'")]


def test_list_by_job_sends_the_plan_time_filters_and_takes_the_former_keywords(
    deprecations: list[Any],
) -> None:
    factory, sent = client(FactoryClient, json_answer({"total": 0, "instances": []}),
                           workspace="ws")
    factory.job_instances.list_by_job(job_name="j", min_plan_time=1, max_plan_time=2)
    assert dict(sent.last.url.params) == {"min_plan_time": "1", "max_plan_time": "2"}
    assert deprecations == []
    factory.job_instances.list_by_job(  # type: ignore[call-arg]
        job_name="j", min_plain_time=3, max_plain_time=4)
    assert dict(sent.last.url.params) == {"min_plan_time": "3", "max_plan_time": "4"}
    assert messages(deprecations) == [
        ("DeprecationWarning: factory.job_instances.list_by_job(): keyword 'min_plain_time' is "
         "deprecated, use 'min_plan_time'"),
        ("DeprecationWarning: factory.job_instances.list_by_job(): keyword 'max_plain_time' is "
         "deprecated, use 'max_plan_time'"),
    ]
    assert deprecations[0].filename == __file__
    with pytest.raises(TypeError, match="got both 'min_plain_time' and 'min_plan_time'"):
        factory.job_instances.list_by_job(  # type: ignore[call-arg]
            job_name="j", min_plain_time=1, min_plan_time=1)
    assert len(sent.requests) == 2


# -- the names users would guess (issue 21) --------------------------------------------------------


def test_submissions_are_listed_by_job_name(deprecations: list[Any]) -> None:
    history = {"submissions": [{"job-name": "j1", "counters": {
        "org.apache.sqoop.submission.counter.SqoopCounters": {"ROWS_WRITTEN": 7}}}]}
    cdm, sent = client(CdmClient, json_answer(history))
    listed: ShowSubmissionsResponse = cdm.submissions.list(cluster_id="c1", job_name="j1")
    assert dict(sent.last.url.params) == {"jname": "j1"}
    (run,) = listed.submissions or []
    assert run.counters is not None and run.counters.sqoop_counters is not None
    assert run.counters.sqoop_counters.rows_written == 7
    assert deprecations == []
    cdm.submissions.list(cluster_id="c1", jname="j2")  # type: ignore[call-arg]
    assert dict(sent.last.url.params) == {"jname": "j2"}
    counters = run.counters.org_apache_sqoop_submission_counter_sqoop_counters  # type: ignore[deprecated]
    assert counters is run.counters.sqoop_counters
    assert messages(deprecations) == [
        ("DeprecationWarning: cdm.submissions.list(): keyword 'jname' is deprecated, use "
         "'job_name'"),
        ("DeprecationWarning: Counters.org_apache_sqoop_submission_counter_sqoop_counters is "
         "deprecated: use sqoop_counters (the wire spells it "
         "org.apache.sqoop.submission.counter.SqoopCounters)"),
    ]


def test_deleting_a_cluster_needs_no_body() -> None:
    cdm, sent = client(CdmClient, json_answer({"jobId": "t1"}, 202))
    assert cdm.clusters.delete(cluster_id="c1").job_id == "t1"
    assert json.loads(sent.last.content) == {"keep_last_manual_backup": 0}  # the documented default
    cdm.clusters.delete(cluster_id="c1", body={"keep_last_manual_backup": 1})
    assert json.loads(sent.last.content) == {"keep_last_manual_backup": 1}


# -- ExportJob: typed by its answer ----------------------------------------------------------------

ZIP = b"PK\x05\x06" + b"\x00" * 18


def zipped(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=ZIP, headers={"Content-Type": "application/octet-stream"})


def test_an_export_without_a_body_is_the_zip() -> None:
    dlf, sent = client(DlfClient, zipped)
    answer: bytes = dlf.jobs.export(job_name="j")
    assert answer == ZIP and sent.last.content == b""


def test_an_export_to_obs_answers_its_json_typed() -> None:
    dlf, sent = client(DlfClient, json_answer({"obsPath": "obs://b/jobs/j/"}))
    answer = dlf.jobs.export(job_name="j", body=ExportJobRequest(obs_path="obs://b/jobs/"))
    assert isinstance(answer, ExportJobResult) and answer.obs_path == "obs://b/jobs/j/"
    assert json.loads(sent.last.content) == {"obsPath": "obs://b/jobs/"}


def test_a_body_without_obs_path_still_gets_the_zip_as_bytes() -> None:
    dlf, _ = client(DlfClient, zipped)
    assert dlf.jobs.export(job_name="j", body={"exportDepend": False}) == ZIP
