"""The README's promises about retries, timeouts and errors, proven with the generated clients
talking to the simulator over real loopback HTTP (sockets, not MockTransport).

- no non-idempotent request (POST, PUT) is sent twice after an ambiguous failure;
- 408/429 and connection failures are retried for every method, honouring Retry-After;
- timeouts are bounded by the client's timeout, not by the server's slowness;
- every failure is a typed exception carrying the service's error code.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator
from typing import TypeVar

import pytest

from dataarts import (
    APIConnectionError,
    APITimeoutError,
    AsyncDlfClient,
    BadRequestError,
    CdmClient,
    DlfClient,
    FactoryClient,
    InternalServerError,
    RateLimitError,
)
from dataarts.testing import ManualClock, Simulator, SimulatorServer
from tests.simulator.conftest import PROJECT, TOKEN

T = TypeVar("T", DlfClient, AsyncDlfClient)
SCRIPT = {"name": "s", "type": "Shell", "content": "ls", "connectionName": "host"}


@pytest.fixture
def served() -> Iterator[tuple[Simulator, SimulatorServer]]:
    sim = Simulator(clock=ManualClock(), check_responses=True)
    with sim.serve() as server:
        yield sim, server
    assert sim.problems == []


def quick(client: T) -> T:
    """Backoff without Retry-After starts at 0.5 s; the promises here do not need the wait."""
    client.retry_policy = dataclasses.replace(client.retry_policy, initial_delay=0.01)
    return client


@pytest.fixture
def dlf(served: tuple[Simulator, SimulatorServer]) -> Iterator[DlfClient]:
    _, server = served
    with quick(DlfClient(project_id=PROJECT, base_url=server.base_url, token=TOKEN)) as client:
        yield client


def test_the_server_answers_on_loopback(served: tuple[Simulator, SimulatorServer]) -> None:
    _, server = served
    assert server.base_url.startswith("http://127.0.0.1:") and server.port > 0


@pytest.mark.parametrize("fault", ["error", "drop"])
def test_a_post_is_not_sent_again_after_an_ambiguous_failure(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient, fault: str
) -> None:
    sim, _ = served
    getattr(sim.faults, fault)("CreateScript", after=True, times=None)
    expected = InternalServerError if fault == "error" else APIConnectionError
    with pytest.raises(expected):
        dlf.scripts.create(body=SCRIPT)
    assert len(sim.calls_to("CreateScript")) == 1  # sent once: it did act
    assert dlf.scripts.list().total == 1


def test_a_put_is_not_sent_again_either(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient
) -> None:
    sim, _ = served
    dlf.scripts.create(body=SCRIPT)
    sim.faults.error("UpdateScript", status=503, times=None)
    with pytest.raises(InternalServerError) as info:
        dlf.scripts.update(script_name="s", body=SCRIPT)
    assert info.value.status_code == 503 and len(sim.calls_to("UpdateScript")) == 1


def test_opting_in_resends_a_post(served: tuple[Simulator, SimulatorServer]) -> None:
    sim, server = served
    sim.faults.error("ListReleasePackages", status=502)
    # a v2 /factory/ operation: its own client, the same simulator port
    with quick(
        FactoryClient(project_id=PROJECT, base_url=server.base_url, token=TOKEN, workspace="w")
    ) as factory:
        assert factory.release_packages.list(body={}, retry_non_idempotent=True).total is not None
    assert len(sim.calls_to("ListReleasePackages")) == 2


def test_idempotent_requests_are_retried_after_drops_and_5xx(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient
) -> None:
    sim, _ = served
    sim.faults.drop("ListScripts")
    sim.faults.error("ListScripts", status=503, on_call=2)
    assert dlf.scripts.list().total == 0
    assert [c.status for c in sim.calls_to("ListScripts")] == [0, 503, 200]


def test_retry_after_is_honoured_for_a_throttled_post(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient, caplog: pytest.LogCaptureFixture
) -> None:
    sim, _ = served
    sim.faults.throttle("CreateScript", retry_after=0.25)
    caplog.set_level(logging.INFO, logger="dataarts")
    started = time.monotonic()
    dlf.scripts.create(body=SCRIPT)  # a 429 was not processed: safe to resend a POST
    waited = time.monotonic() - started
    assert [c.status for c in sim.calls_to("CreateScript")] == [429, 204]
    assert any("in 0.25s after HTTP 429" in r.getMessage() for r in caplog.records)
    assert waited >= 0.25  # the client slept at least what the gateway asked


def test_a_long_retry_after_raises_a_typed_error_at_once(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient
) -> None:
    sim, _ = served
    sim.faults.throttle("ListScripts", retry_after=3600)
    with pytest.raises(RateLimitError) as info:
        dlf.scripts.list()
    assert info.value.error_code == "APIGW.0308" and info.value.retry_after == 3600
    assert len(sim.calls_to("ListScripts")) == 1


def test_timeouts_are_bounded_by_the_client(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient
) -> None:
    sim, _ = served
    sim.faults.slow("ListScripts", seconds=10, times=None)
    started = time.monotonic()
    with pytest.raises(APITimeoutError):
        dlf.scripts.list(timeout=0.2, max_retries=1)
    assert time.monotonic() - started < 10  # two attempts of 0.2 s, not the server's 10 s
    assert len(sim.calls_to("ListScripts")) == 2


def test_truncated_bodies_and_html_pages_are_typed_errors(
    served: tuple[Simulator, SimulatorServer], dlf: DlfClient
) -> None:
    sim, _ = served
    sim.faults.truncate("ListScripts", times=None)
    with pytest.raises(APIConnectionError):
        dlf.scripts.list(max_retries=1)
    assert len(sim.calls_to("ListScripts")) == 2
    sim.faults.clear()
    sim.faults.html("ListScripts", status=502, times=None)
    with pytest.raises(InternalServerError) as info:
        dlf.scripts.list(max_retries=0)
    assert info.value.status_code == 502 and "502 Bad Gateway" in str(info.value)


def test_service_errors_are_typed_with_their_documented_meaning(
    served: tuple[Simulator, SimulatorServer],
) -> None:
    sim, server = served
    cluster = sim.cdm.create_cluster(PROJECT, name="c1", normal=True)
    with (
        CdmClient(project_id=PROJECT, base_url=server.base_url, token=TOKEN) as cdm,
        pytest.raises(BadRequestError) as info,
    ):
        cdm.jobs.get_status(cluster_id=cluster.id, job_name="ghost")
    assert info.value.error_code == "Cdm.0100" and info.value.request_id
    assert info.value.documented is not None and info.value.documented.status == 400


def test_the_async_client_over_http(
    served: tuple[Simulator, SimulatorServer]
) -> None:
    import asyncio

    sim, server = served
    sim.faults.drop("CreateScript", after=True)

    async def main() -> int:
        client = AsyncDlfClient(project_id=PROJECT, base_url=server.base_url, token=TOKEN)
        async with quick(client) as dlf:
            with pytest.raises(APIConnectionError):
                await dlf.scripts.create(body=SCRIPT)
            return (await dlf.scripts.list()).total

    assert asyncio.run(main()) == 1
    assert len(sim.calls_to("CreateScript")) == 1
