"""Auth at the simulated gateway: tokens accepted, AK/SK signatures verified with the client's
own signing code, the gateway's 401 for anything else, and no secret ever echoed."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from dataarts import AkSkAuth, AuthenticationError, CdmClient, DlfClient
from dataarts.testing import ManualClock, Simulator
from tests.simulator.conftest import AK, IN_PROCESS, PROJECT, SK, TOKEN, cdm_client

CREDENTIALS = {AK: SK}


@pytest.fixture
def guarded() -> Iterator[Simulator]:
    sim = Simulator(clock=ManualClock(), credentials=CREDENTIALS, check_responses=True)
    yield sim
    assert sim.problems == []


def test_without_credentials_every_request_passes() -> None:
    sim = Simulator(clock=ManualClock())
    response = httpx.Client(transport=sim.transport()).get(f"{IN_PROCESS}/v1.1/p/clusters")
    assert response.status_code == 200


def test_a_token_is_accepted(guarded: Simulator) -> None:
    with cdm_client(guarded, token=TOKEN) as cdm:
        assert cdm.clusters.list().clusters == []


def test_signed_requests_pass_in_process_and_over_http(guarded: Simulator) -> None:
    with cdm_client(guarded, token=None, ak=AK, sk=SK) as cdm:
        created = cdm.clusters.create(body={"cluster": {"name": "naïve ✓"}})
        assert cdm.clusters.get(cluster_id=str(created.id)).name == "naïve ✓"
    with guarded.serve() as server, DlfClient(project_id=PROJECT, base_url=server.base_url,
                                              ak=AK, sk=SK, workspace="w") as dlf:  # fmt: skip
        # a query needing encoding and sorting, and a path parameter with reserved characters
        assert dlf.jobs.list(job_name="a b~é", limit=5).total == 0
        assert dlf.scripts.list(script_name="x/y+z").total == 0


def test_unsigned_payload_is_accepted_when_declared(guarded: Simulator) -> None:
    client = httpx.Client(transport=guarded.transport(), auth=AkSkAuth(AK, SK, PROJECT))
    response = client.post(
        f"{IN_PROCESS}/v1/{PROJECT}/scripts",
        content=b'{"name": "s", "type": "Shell", "content": "ls", "connectionName": "host"}',
        headers={"Content-Type": "application/octet-stream"},
    )
    assert response.request.headers["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert response.status_code == 204


@pytest.mark.parametrize(
    ("auth", "reason"),
    [
        (AkSkAuth(AK, "wrong-secret-key"), "verify aksk signature fail"),
        (AkSkAuth("UNKNOWNAK00000000001", SK), "the access key is unknown"),
        (None, "no X-Auth-Token or Authorization header"),
    ],
)
def test_bad_credentials_get_the_gateways_401_without_secrets(
    guarded: Simulator, auth: httpx.Auth | None, reason: str
) -> None:
    client = httpx.Client(transport=guarded.transport())
    response = client.get(f"{IN_PROCESS}/v1.1/{PROJECT}/clusters", auth=auth or httpx.USE_CLIENT_DEFAULT)
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIGW.0301" and body["error_msg"].endswith(reason)
    signature = response.request.headers.get("Authorization", "")
    for secret in (SK, "wrong-secret-key", signature.rpartition("=")[2] or "nothing"):
        assert secret not in response.text


def test_a_tampered_request_fails_its_signature(guarded: Simulator) -> None:
    request = httpx.Request("POST", f"{IN_PROCESS}/v1/{PROJECT}/jobs?b=1&a=2", json={"n": 1})
    AkSkAuth(AK, SK, PROJECT).sign(request)
    tampered = httpx.Request(
        "POST", request.url.copy_with(query=b"b=1&a=3"), headers=request.headers,
        content=request.content,
    )  # fmt: skip
    response = httpx.Client(transport=guarded.transport()).send(tampered)
    assert response.status_code == 401


def test_the_client_raises_authentication_error(guarded: Simulator) -> None:
    with cdm_client(guarded, token=None, ak=AK, sk="wrong-secret") as cdm, pytest.raises(
        AuthenticationError
    ) as info:
        cdm.clusters.list()
    assert info.value.error_code == "APIGW.0301" and "wrong-secret" not in str(info.value)
    assert isinstance(cdm, CdmClient)
