"""Get, modify, update with the generated CDM client: silent, and the kept values sent as received.

Issue 9, defect 3: a job read from a response that slips from the schema (a list where a string
is documented, `{}` where a list is, a number where a string is) keeps those values; dumping it,
and sending it back in an update, must raise no pydantic serializer warning and must put exactly
the received values on the wire.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest

from dataarts.cdm import CdmClient
from dataarts.cdm.models import Job, UpdateJobRequest

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cdm" / "ShowJobs.200.json"
CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"


def compact(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def slipped_job() -> dict[str, Any]:
    """The recorded job with three documented type slips, its keys in the model's field order
    (so the bytes a lossless dump gives back are exactly these)."""
    job = json.loads(FIXTURE.read_text(encoding="utf-8"))["response"]["body"]["jobs"][0]
    job["creation-user"] = ["cdm", "admin"]  # a list where a string is documented
    job["to-config-values"]["configs"][0]["inputs"] = {}  # {} where a list is documented
    job["to-link-name"] = 42  # a number where a string is documented
    job["x-undocumented"] = {"kept": [1, 2.5, None, "é"]}  # an unknown field
    order = [info.alias or name for name, info in Job.model_fields.items()]
    return {
        **{key: job[key] for key in order if key in job},
        **{key: value for key, value in job.items() if key not in order},
    }


class Service:
    """Answers the get with the slipped job and records what the update sends."""

    def __init__(self, job: dict[str, Any]) -> None:
        self.body = compact({"total": 1, "jobs": [job], "page_no": 1, "page_size": 10})
        self.sent: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, content=self.body,
                                  headers={"Content-Type": "application/json"})
        self.sent.append(request.read())
        return httpx.Response(200, json={"validation-result": []})


@pytest.fixture
def client_and_service() -> tuple[CdmClient, Service]:
    service = Service(slipped_job())
    http = httpx.Client(transport=httpx.MockTransport(service))
    client = CdmClient(region="cn-north-4", project_id="p" * 32, ak="HPUAROUNDTRIP000001",
                       sk="s" * 40, http_client=http)
    return client, service


@pytest.mark.parametrize("as_model", [True, False], ids=["model-body", "dict-body"])
def test_get_modify_update_is_silent_and_sends_the_kept_values_byte_for_byte(
    client_and_service: tuple[CdmClient, Service], as_model: bool
) -> None:
    client, service = client_and_service
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning, pydantic's serializer warnings included
        job = client.jobs.get(cluster_id=CLUSTER, job_name="es_css").jobs[0]  # type: ignore[index]
        assert job.creation_user == ["cdm", "admin"]  # kept as sent
        job.from_link_name = "css_2"  # the modification
        body = UpdateJobRequest(jobs=[job]) if as_model else {"jobs": [job]}
        client.jobs.update(cluster_id=CLUSTER, job_name="es_css", body=body)

    expected = slipped_job()
    expected["from-link-name"] = "css_2"
    assert service.sent == [compact({"jobs": [expected]})]


def test_dumps_of_a_kept_model_are_silent_in_every_mode(
    client_and_service: tuple[CdmClient, Service],
) -> None:
    client, _ = client_and_service
    job = client.jobs.get(cluster_id=CLUSTER, job_name="es_css").jobs[0]  # type: ignore[index]
    received = slipped_job()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert job.model_dump_json(exclude_unset=True).encode() == compact(received)
        assert job.model_dump(exclude_unset=True) == received
        assert job.model_dump(mode="json", exclude_unset=True) == received
        python_names = job.model_dump(by_alias=False, exclude_unset=True)
        assert python_names["creation_user"] == ["cdm", "admin"]
        assert python_names["to_link_name"] == 42
        job.model_dump()  # every field, unset ones with their defaults
        job.model_copy().model_dump_json()
        assert job.model_dump(include={"to_link_name"}) == {"to-link-name": 42}
        assert "to-link-name" not in job.model_dump(exclude={"to_link_name"})


def test_a_value_corrected_by_the_caller_goes_out_as_set(
    client_and_service: tuple[CdmClient, Service],
) -> None:
    client, service = client_and_service
    job = client.jobs.get(cluster_id=CLUSTER, job_name="es_css").jobs[0]  # type: ignore[index]
    job.to_link_name = "dis"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.jobs.update(cluster_id=CLUSTER, job_name="es_css", body={"jobs": [job]})
    assert json.loads(service.sent[0])["jobs"][0]["to-link-name"] == "dis"


def test_the_serialization_schema_is_unchanged() -> None:
    """The silent dump hooks into serialization without hiding the fields from JSON schema."""
    schema = Job.model_json_schema(mode="serialization")
    assert schema["properties"].keys() == Job.model_json_schema()["properties"].keys()
    assert schema["properties"]["to-link-name"] == {"title": "To-Link-Name", "type": "string"}
