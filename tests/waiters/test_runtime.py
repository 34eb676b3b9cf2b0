"""The polling runtime (dataarts._runtime.waiters) on its own: a WaiterSpec, a client method over
httpx.MockTransport, and a fake clock; the edges the declared waiters do not all reach."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from dataarts import (
    AsyncCdmClient,
    BadRequestError,
    CdmClient,
    WaiterFailedError,
    WaiterTimeoutError,
)
from dataarts._runtime.waiters import WaiterSpec, async_wait, wait, wait_or_none

SPEC = WaiterSpec(
    "test.clusters.wait_until_normal", "/status", ("200",), ("300",), ("100",), 10.0, 2.0, 25.0,
    100.0, progress="/actionProgress/percent", reason="/statusDetail",
    errors=((400, "Cdm.0009", "failure"),),
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def kwargs(self) -> dict[str, Any]:
        return {"sleep": self.sleep, "clock": lambda: self.now}


def answers(*bodies: Any) -> Callable[[httpx.Request], httpx.Response]:
    """Answer each poll with the next body (an httpx.Response is sent as it is); the last repeats."""
    queue = list(bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, httpx.Response):
            return item
        return httpx.Response(200, json=item, headers={"X-Request-Id": "rid-1"})

    return handler


def cdm(handler: Callable[[httpx.Request], httpx.Response]) -> CdmClient:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return CdmClient(base_url="http://cdm", project_id="p", token="secret-token", http_client=http)


def test_unknown_and_missing_states_retry_until_a_listed_one() -> None:
    clock, seen = FakeClock(), []
    with cdm(answers({}, {"status": "150"}, {"status": "200"})) as client:
        result = wait(SPEC, client.clusters.get, {"cluster_id": "c"},
                      on_poll=lambda p: seen.append(p.state), **clock.kwargs())
    assert result.status == "200" and seen == [None, "150", "200"]
    assert clock.slept == [10.0, 20.0]  # backoff x2, no sleep after the final state


def test_intervals_grow_to_max_delay_and_the_last_poll_lands_on_the_deadline() -> None:
    clock = FakeClock()
    with cdm(answers({"status": "100"})) as client, pytest.raises(WaiterTimeoutError) as caught:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, **clock.kwargs())
    assert clock.slept == [10.0, 20.0, 25.0, 25.0, 20.0]  # 10+20+25+25 = 80; 20 left to 100
    assert (caught.value.attempts, caught.value.elapsed, caught.value.state) == (6, 100.0, "100")


def test_progress_is_read_as_a_number_and_reported() -> None:
    clock, seen = FakeClock(), []
    bodies = ({"status": "100", "actionProgress": {"percent": "45"}},
              {"status": "100", "actionProgress": {"percent": True}},
              {"status": "200", "actionProgress": {"percent": 100}})
    with cdm(answers(*bodies)) as client:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"},
             on_poll=lambda p: seen.append(p.progress), **clock.kwargs())
    assert seen == [45.0, None, 100.0]


def test_a_failure_state_carries_the_reason_and_the_last_response() -> None:
    failing = cdm(answers({"status": "300", "statusDetail": "x" * 500}))
    with failing as client, pytest.raises(WaiterFailedError) as caught:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"})
    err = caught.value
    assert err.state == "300" and err.status_code == 200 and err.request_id == "rid-1"
    assert err.reason is not None and len(err.reason) == 300 and err.reason.endswith("…")
    assert err.response is not None and err.response.json()["status"] == "300"
    assert err.error_code is None and "secret-token" not in str(err)


def test_a_listed_error_answer_fails_the_wait_with_its_code_and_message() -> None:
    error = httpx.Response(400, json={"errCode": "Cdm.0009", "externalMessage": "not an integer"},
                           headers={"X-Request-Id": "rid-2"})
    with cdm(answers(error)) as client, pytest.raises(WaiterFailedError) as caught:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"})
    err = caught.value
    assert (err.status_code, err.error_code, err.error_message, err.request_id) == (
        400, "Cdm.0009", "not an integer", "rid-2")
    assert isinstance(err.error, BadRequestError) and err.result is None
    assert "HTTP 400 Cdm.0009: not an integer Action: Correct the parameter" in str(err)
    assert str(err).endswith(" (request id rid-2)")


def test_an_error_whose_code_is_not_listed_is_raised_unchanged() -> None:
    error = httpx.Response(400, json={"errCode": "Cdm.0100", "externalMessage": "no such job"})
    with cdm(answers(error)) as client, pytest.raises(BadRequestError) as caught:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"})
    assert caught.value.error_code == "Cdm.0100"


def test_a_success_error_ends_wait_or_none_with_none() -> None:
    gone = WaiterSpec("t.gone", "/status", (), (), ("200",), 1.0, 1.0, 1.0, 10.0,
                      errors=((404, None, "success"),))
    clock, seen = FakeClock(), []
    with cdm(answers({"status": "200"}, httpx.Response(404, json={"errCode": "Cdm.0001"}))) as client:
        assert wait_or_none(gone, client.clusters.get, {"cluster_id": "c"},
                            on_poll=seen.append, **clock.kwargs()) is None
    assert [p.state for p in seen] == ["200", None] and seen[1].error is not None
    with cdm(answers(httpx.Response(404, json={}))) as client, pytest.raises(TypeError):
        wait(gone, client.clusters.get, {"cluster_id": "c"})  # `wait` promises a resource


def test_a_zero_timeout_polls_once() -> None:
    with cdm(answers({"status": "100"})) as client, pytest.raises(WaiterTimeoutError) as caught:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, timeout=0, sleep=pytest.fail)
    assert caught.value.attempts == 1 and "last seen: state 100" in str(caught.value)


def test_delay_given_alone_also_raises_the_cap() -> None:
    clock = FakeClock()
    with cdm(answers({"status": "100"}, {"status": "100"}, {"status": "200"})) as client:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, delay=40, **clock.kwargs())
    assert clock.slept == [40.0, 40.0]


def test_async_wait_awaits_an_async_sleep() -> None:
    clock = FakeClock()

    async def sleep(seconds: float) -> None:
        clock.sleep(seconds)

    async def main() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answers({"status": "100"},
                                                                       {"status": "200"})))
        async with AsyncCdmClient(base_url="http://cdm", project_id="p", token="t",
                                  http_client=http) as client:
            return await async_wait(SPEC, client.clusters.get, {"cluster_id": "c"}, sleep=sleep,
                                    clock=lambda: clock.now)

    assert asyncio.run(main()).status == "200" and clock.slept == [10.0]
