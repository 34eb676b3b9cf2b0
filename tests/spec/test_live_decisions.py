"""What the specs say because of the live evidence (issue 19), checked where users meet it."""

from __future__ import annotations

import httpx

from dataarts import CdmClient, FactoryClient
from tests.contract import support as s
from tests.spec import fixturelib as fl

HOSTS = {
    "cdm": "https://cdm.{region}.myhuaweicloud.com",
    "dlf": "https://dayu-dlf.{region}.myhuaweicloud.com",
    "factory": "https://dayu.{region}.myhuaweicloud.com",
}
FACTORY = "/v2/{project_id}/factory/"


def test_each_family_is_a_document_of_its_host() -> None:
    """One server per document (most generators and renderers ignore operation-level servers),
    and the /v2/.../factory/ family alone in the document of `dayu`, the v1 family in `dayu-dlf`'s."""
    for service, url in HOSTS.items():
        spec = fl.load_spec(service)
        assert [server["url"] for server in spec["servers"]] == [url], service
        factory_paths = [p for p in spec["paths"] if p.startswith(FACTORY)]
        assert factory_paths == (list(spec["paths"]) if service == "factory" else []), service
    dlf = fl.load_spec("dlf")["paths"]
    assert all(p.startswith(("/v1/", "/v1.0/")) for p in dlf)


def test_clients_go_to_their_family_host() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"total": 0, "jobs": []})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    factory = FactoryClient(region="ap-southeast-3", project_id="p", token="t", workspace="w",
                            http_client=http)
    factory.jobs.list_v2()
    assert sent[0].url.host == "dayu.ap-southeast-3.myhuaweicloud.com"
    assert sent[0].headers["workspace"] == "w"


def test_every_factory_operation_requires_the_workspace_header() -> None:
    """The gateway answers APIGW.0106 to a /factory/ call without it (live-evidence D24)."""
    missing = []
    for ref in fl.operations("factory").values():
        spec = fl.load_spec("factory")
        params = [
            spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p
            for p in spec["paths"][ref.path].get("parameters", []) + ref.operation.get("parameters", [])
        ]
        if not any(p["name"] == "workspace" and p["in"] == "header" and p["required"] for p in params):
            missing.append(ref.operation_id)
    assert missing == []


def test_cdm_sends_en_us_when_no_language_is_configured() -> None:
    """en-us, the value every live-tested client sends; the documents' example en_us never was."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(202, json={"id": "c1", "name": "c1"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    cdm = CdmClient(region="ap-southeast-1", project_id="p", token="t", http_client=http)
    cdm.clusters.create(body={"cluster": {"name": "c1"}})
    assert sent[0].headers["X-Language"] == "en-us"


def test_export_job_keeps_the_zip_and_the_obs_answer() -> None:
    """ExportJob answers a zip without obsPath and JSON with it (live-evidence D30): the spec
    documents both, and the method returns the answer's bytes, losing neither."""
    ref = fl.operations("dlf")["ExportJob"]
    media = ref.operation["responses"]["200"]["content"]
    assert set(media) == {"application/octet-stream", "application/json"}
    assert ref.operation["requestBody"]["required"] is False
    assert s.targets()["dlf/ExportJob"].op.response_kind == "binary"
