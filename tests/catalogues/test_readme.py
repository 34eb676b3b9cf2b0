"""The README's typed MySQL -> OBS example runs as written, against a mock CDM service."""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import httpx
import pytest

import dataarts
from tests.catalogues.support import CLUSTER, PROJECT, MockService, pairs
from tests.spec import fixturelib as fl

SECTION = "## Typed CDM configurations and DLF nodes"
PASSWORD = "mysql-Pa55"


def readme_example() -> str:
    text = (fl.ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    (code,) = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    return code


def request_schema(operation: str) -> str:
    op = fl.operations("cdm")[operation].operation
    return op["requestBody"]["content"]["application/json"]["schema"]["$ref"].lstrip("#")


def test_the_example_writes_no_parameter_name_as_a_string() -> None:
    code = readme_example()
    assert not re.findall(r"['\"](?:linkConfig|fromJobConfig|toJobConfig|throttlingConfig|"
                          r"schedulerConfig|retryJobConfig|groupJobConfig)\.", code)


def test_the_readme_example_creates_the_links_and_the_job(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    service = MockService()
    service.on("POST", r".*/cdm/link", {"name": "mysql_sales", "validation-result": [{}]})
    service.on("POST", r".*/cdm/job", {"name": "orders_to_lake"})
    real = dataarts.CdmClient

    def on_the_mock(**kwargs: Any) -> dataarts.CdmClient:
        return real(**kwargs, http_client=httpx.Client(transport=service.transport()))

    monkeypatch.setattr(dataarts, "CdmClient", on_the_mock)
    for name, value in {"MYSQL_PASSWORD": PASSWORD, "OBS_AK": "AKEXAMPLE", "OBS_SK": "SKEXAMPLE",
                        "CLOUD_SDK_PROJECT_ID": PROJECT, "CLOUD_SDK_TOKEN": "token",
                        "CDM_CLUSTER_ID": CLUSTER}.items():
        monkeypatch.setenv(name, value)
    example = tmp_path / "readme_example.py"
    example.write_text(readme_example(), encoding="utf-8")
    runpy.run_path(str(example), run_name="readme_example")

    links_body, job_body = service.sent("POST")
    assert fl.schema_errors("cdm", request_schema("CreateLink"), links_body) == []
    assert fl.schema_errors("cdm", request_schema("CreateJob"), job_body) == []
    mysql, obs = links_body["links"]
    assert (mysql["connector-name"], obs["connector-name"]) == ("generic-jdbc-connector",
                                                                "obs-connector")
    assert ("linkConfig.password", PASSWORD) in pairs(mysql["link-config-values"])
    assert ("linkConfig.securityKey", "SKEXAMPLE") in pairs(obs["link-config-values"])
    (job,) = job_body["jobs"]
    assert (job["from-link-name"], job["to-link-name"]) == ("mysql_sales", "obs_lake")
    assert pairs(job["to-config-values"]) == [
        ("toJobConfig.bucketName", "lake"), ("toJobConfig.outputDirectory", "/sales/orders/"),
        ("toJobConfig.outputFormat", "CSV_FILE")]
    assert pairs(job["driver-config-values"]) == [
        ("throttlingConfig.numExtractors", "2"), ("retryJobConfig.retryJobType", "RETRY_TRIPLE")]
    assert all(r.url.path.startswith(f"/v1.1/{PROJECT}/clusters/{CLUSTER}/cdm/")
               for r in service.requests)
