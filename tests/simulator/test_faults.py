"""Each fault, in-process: which calls it hits, and what the answer or the connection does."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from dataarts.testing import Fault, Faults, ManualClock, Simulator
from tests.simulator.conftest import IN_PROCESS, PROJECT

LIST = f"{IN_PROCESS}/v1.1/{PROJECT}/clusters"
SCRIPTS = f"{IN_PROCESS}/v1/{PROJECT}/scripts"
SCRIPT = {"name": "s", "type": "Shell", "content": "ls", "queueName": "q"}


@pytest.fixture
def client(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport())


def test_on_call_and_times_choose_the_calls(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.error("ListClusters", status=503, on_call=2, times=2)
    statuses = [client.get(LIST).status_code for _ in range(5)]
    assert statuses == [200, 503, 503, 200, 200]
    assert sim.faults.injected == [("ListClusters", "error")] * 2
    assert sim.faults.active == []


def test_operations_are_named_by_id_or_service_and_id(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.error("dlf.ListJobs", times=None)
    sim.faults.error("cdm.ListJobs")  # no such CDM operation: never hits
    assert client.get(f"{IN_PROCESS}/v1/{PROJECT}/jobs").status_code == 500
    assert client.get(LIST).status_code == 200
    everything = Faults([Fault("error", times=None)])
    sim2 = Simulator(clock=ManualClock(), faults=everything)
    assert httpx.Client(transport=sim2.transport()).get(LIST).status_code == 500


def test_throttle_answers_429_with_retry_after(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.throttle("ListClusters", retry_after=2.5)
    response = client.get(LIST)
    assert response.status_code == 429 and response.headers["Retry-After"] == "2.5"
    assert response.json() == {"error_code": "APIGW.0308",
                               "error_msg": "The throttling threshold has been reached."}
    sim.faults.throttle(retry_after=None)
    assert "Retry-After" not in client.get(LIST).headers


def test_errors_use_the_services_shape(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.error("ListClusters")
    assert client.get(LIST).json() == {"errCode": "Cdm.0000", "externalMessage": "System error."}
    sim.faults.error("ListScripts", status=503, code="DLF.6423", message="agent down")
    response = client.get(SCRIPTS)
    assert response.status_code == 503
    assert response.json() == {"error_code": "DLF.6423", "error_msg": "agent down"}


def test_an_error_after_the_operation_keeps_its_effect(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.error("CreateScript", after=True)
    assert client.post(SCRIPTS, json=SCRIPT).status_code == 500
    assert client.get(SCRIPTS).json()["total"] == 1
    sim.faults.error("CreateScript")  # before: nothing happens
    assert client.post(SCRIPTS, json=dict(SCRIPT, name="t")).status_code == 500
    assert client.get(SCRIPTS).json()["total"] == 1


def test_html_error_pages(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.html(status=504)
    response = client.get(LIST)
    assert response.status_code == 504 and response.headers["Content-Type"] == "text/html"
    assert b"<title>504 Gateway Timeout</title>" in response.content


def test_dropped_connections(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.drop("CreateScript")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(SCRIPTS, json=SCRIPT)
    assert client.get(SCRIPTS).json()["total"] == 0
    sim.faults.drop("CreateScript", after=True)
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(SCRIPTS, json=SCRIPT)
    assert client.get(SCRIPTS).json()["total"] == 1
    assert [c.status for c in sim.calls_to("CreateScript")] == [0, 0]


def test_truncated_bodies(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.truncate("ListClusters")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(LIST)
    with client.stream("GET", LIST) as response:  # the next call is whole again
        assert response.read() == b'{"clusters":[]}'


def test_slow_answers_wait_or_time_out(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.slow("ListClusters", seconds=0.05)
    assert client.get(LIST).status_code == 200
    sim.faults.slow("ListClusters", seconds=30)
    with pytest.raises(httpx.ReadTimeout):
        client.get(LIST, timeout=0.01)


def test_faults_in_the_async_transport() -> None:
    sim = Simulator(clock=ManualClock())

    async def main() -> list[object]:
        async with httpx.AsyncClient(transport=sim.async_transport()) as client:
            out: list[object] = []
            sim.faults.drop("ListClusters")
            sim.faults.truncate("ListClusters", on_call=2)
            sim.faults.slow("ListClusters", seconds=30, on_call=3)
            for _ in range(3):
                try:
                    out.append((await client.get(LIST, timeout=0.01)).status_code)
                except httpx.HTTPError as exc:
                    out.append(type(exc).__name__)
            out.append((await client.get(LIST)).status_code)
            return out

    assert asyncio.run(main()) == ["RemoteProtocolError", "RemoteProtocolError", "ReadTimeout", 200]


def test_fault_definitions_are_checked() -> None:
    with pytest.raises(ValueError, match="kind"):
        Fault("explode")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="5xx"):
        Fault("error", status=404)
    with pytest.raises(ValueError, match="on_call"):
        Fault("drop", on_call=0)
    with pytest.raises(ValueError, match="unknown fault field"):
        Fault.from_mapping({"kind": "drop", "when": "now"})
    assert Fault.from_mapping({"kind": "throttle", "retry_after": 3}).status == 429
