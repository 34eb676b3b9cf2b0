"""Issue 21 item 5: a response field documented as always present is typed as present; a response
that left it out still parses (one warning), and reading the field names what is missing."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from pydantic import TypeAdapter, ValidationError

import dataarts
from dataarts import CdmClient, MissingFieldError
from dataarts.cdm.models import ShowJobStatusResponse, Submission
from tests.contract import support


def client(body: object) -> CdmClient:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    return CdmClient(base_url="http://cdm.test", project_id="p", token="t",
                     http_client=httpx.Client(transport=httpx.MockTransport(answer)))


RUN = {"job-name": "j", "creation-user": "cdm", "creation-date": 1536905778725, "progress": 1,
       "status": "BOOTING"}


def test_documented_fields_are_typed_as_present() -> None:
    assert ShowJobStatusResponse.model_fields["submissions"].is_required()
    assert Submission.model_fields["status"].is_required()
    assert not Submission.model_fields["external_id"].is_required()  # the SDK's mark alone


def test_a_complete_answer_reads_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="dataarts"), client({"submissions": [RUN]}) as cdm:
        status = cdm.jobs.get_status(cluster_id="c", job_name="j")
    assert status.submissions[0].status == "BOOTING"
    assert caplog.records == []


def test_an_answer_without_a_documented_field_names_it_when_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent = {"submissions": [{"job-name": "j", "status": "RUNNING"}], "other": 1}
    with caplog.at_level(logging.WARNING, logger="dataarts"), client(sent) as cdm:
        status = cdm.jobs.get_status(cluster_id="c", job_name="j")
    assert len(caplog.records) == 1
    run = status.submissions[0]
    assert run.status == "RUNNING"
    with pytest.raises(MissingFieldError) as caught:
        _ = run.progress
    assert str(caught.value) == ("Submission.progress is documented as always present, but the "
                                 "ShowJobStatus response did not include it")
    assert caught.value.operation == "ShowJobStatus"
    # nothing added for what was missing: the wire form gives back what came
    assert status.model_dump(by_alias=True, exclude_unset=True) == sent
    assert json.loads(status.model_dump_json(by_alias=True, exclude_unset=True)) == sent
    assert "progress" not in status.model_dump()["submissions"][0]


def test_an_empty_object_parses_and_its_result_field_is_named() -> None:
    with client({}) as cdm:
        status = cdm.jobs.get_status(cluster_id="c", job_name="j")
    with pytest.raises(MissingFieldError, match=r"ShowJobStatusResponse\.submissions .*ShowJobStatus"):
        _ = status.submissions
    assert status.model_dump() == {}


def test_the_error_is_exported_once() -> None:
    assert dataarts.MissingFieldError is MissingFieldError
    assert issubclass(MissingFieldError, AttributeError)
    assert issubclass(MissingFieldError, dataarts.DataArtsError)


def _unkept_promises(declared: object, body: object) -> list[str]:
    """Where `body` lacks a field `declared` types as present, or sends null where it types
    never `None`: the strict validation's `missing` errors and its errors on a null."""
    try:
        TypeAdapter(declared).validate_python(body)
    except ValidationError as error:
        return [f"{'/'.join(map(str, e['loc']))}: {e['type']}" for e in error.errors()
                if e["type"] == "missing" or e["input"] is None]
    return []


def test_every_recorded_answer_keeps_the_models_promises() -> None:
    """The `required` lists stand on evidence, and the recorded answers are evidence: no success
    fixture may lack a field its model types as present (`Submission.external-id`, marked by the
    SDK, would be), nor send null there."""
    broken = {}
    checked = 0
    for fx in support.all_fixtures():
        target = support.target_of(fx)
        response = fx.data["response"]
        if target is None or not support.is_success(fx) or "body" not in response:
            continue
        if target.op.response_kind != "model":
            continue
        declared = support.resolve_type(target.service, target.op.response_type)
        checked += 1
        if problems := _unkept_promises(declared, response["body"]):
            broken[support.fixture_key(fx)] = problems
    assert checked > 50
    assert broken == {}
