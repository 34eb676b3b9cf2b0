"""The polling runtime (dataarts._runtime.waiters) on its own: a WaiterSpec, a client method over
httpx.MockTransport, and a fake clock; the edges the declared waiters do not all reach."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
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
    errors=((400, "Cdm.0009", "failure", None),),
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
                      errors=((404, None, "success", None),))
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


# -- states in words, and a progress that is no share of the work -------------------------------

LABELLED = SPEC._replace(labels=(("100", "creating"), ("200", "normal"), ("300", "failed")))


def test_progress_names_states_by_their_documented_meaning_and_keeps_the_raw_value() -> None:
    clock, seen = FakeClock(), []
    with cdm(answers({"status": "100"}, {"status": "150"}, {"status": "200"})) as client:
        wait(LABELLED, client.clusters.get, {"cluster_id": "c"}, on_poll=seen.append,
             **clock.kwargs())
    assert [(p.state, p.label, p.shown) for p in seen] == [
        ("100", "creating", "creating"), ("150", None, "150"), ("200", "normal", "normal")]


def test_failure_and_timeout_messages_name_the_state_in_words_too() -> None:
    with cdm(answers({"status": "300"})) as client, pytest.raises(WaiterFailedError) as failed:
        wait(LABELLED, client.clusters.get, {"cluster_id": "c"})
    assert (failed.value.state, failed.value.label) == ("300", "failed")
    assert "failed in state 300 (failed)" in str(failed.value)
    with cdm(answers({"status": "100"})) as client, pytest.raises(WaiterTimeoutError) as late:
        wait(LABELLED, client.clusters.get, {"cluster_id": "c"}, timeout=0)
    assert late.value.label == "creating" and "last seen: state 100 (creating)" in str(late.value)


def test_a_progress_outside_0_to_100_is_no_progress() -> None:
    """CDM reports progress -1 for a failed run: that is not -1 % of the work."""
    seen: list[Any] = []
    failing = {"status": "300", "actionProgress": {"percent": -1}}
    with cdm(answers(failing)) as client, pytest.raises(WaiterFailedError):
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, on_poll=seen.append)
    assert seen[0].progress is None


# -- the server's clock speed ------------------------------------------------------------------


def sped_up(speed: str | None, *bodies: Any) -> Callable[[httpx.Request], httpx.Response]:
    """Answers as `answers` does, each saying the server's clock speed (None: not at all)."""
    inner = answers(*bodies)

    def handler(request: httpx.Request) -> httpx.Response:
        response = inner(request)
        if speed is not None:
            response.headers["X-Dataarts-Clock-Speed"] = speed
        return response

    return handler


@pytest.fixture
def real_time(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The waiter's default clock and sleep (time.monotonic, time.sleep), replaced by a fake."""
    from dataarts._runtime import waiters

    clock = FakeClock()
    monkeypatch.setattr(waiters.time, "sleep", clock.sleep)
    monkeypatch.setattr(waiters.time, "monotonic", lambda: clock.now)
    return clock


def test_the_spec_pace_and_deadline_are_divided_by_the_servers_clock_speed(
    real_time: FakeClock,
) -> None:
    with cdm(sped_up("100", {"status": "100"})) as client, pytest.raises(WaiterTimeoutError):
        wait(SPEC, client.clusters.get, {"cluster_id": "c"})
    # 10 s, 20 s, 25 s, 25 s of the server's clock; the deadline 100 s of it, 1 s of ours
    assert real_time.slept == pytest.approx([0.1, 0.2, 0.25, 0.25, 0.2])


@pytest.mark.parametrize("speed", [None, "0", "-5", "fast", "inf", "nan"])
def test_without_a_usable_speed_the_spec_pace_holds(real_time: FakeClock, speed: str | None) -> None:
    with cdm(sped_up(speed, {"status": "100"}, {"status": "200"})) as client:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"})
    assert real_time.slept == [10.0]


def test_a_pace_and_deadline_given_are_the_callers_seconds(real_time: FakeClock) -> None:
    with cdm(sped_up("100", {"status": "100"})) as client, pytest.raises(WaiterTimeoutError):
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, delay=3, max_delay=3, timeout=7)
    assert real_time.slept == [3.0, 3.0, 1.0]


def test_a_caller_running_time_is_not_sped_up() -> None:
    """With sleep= and clock= the caller runs time (e.g. the simulator's own clock)."""
    clock = FakeClock()
    with cdm(sped_up("100", {"status": "100"}, {"status": "200"})) as client:
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, **clock.kwargs())
    assert clock.slept == [10.0]


# -- a resource that deletes itself ------------------------------------------------------------

GONE = httpx.Response(400, json={"errCode": "Cdm.0100", "externalMessage": "Job x does not exist."})
SELF_DELETING = SPEC._replace(
    state="/submissions/0/status", success=("SUCCEEDED",), failure=("FAILED",),
    retry=("RUNNING",), progress=None, errors=(
        (400, "Cdm.0100", "success", "/submissions/0/isDeleteJob"),))


def test_a_job_that_said_it_deletes_itself_ends_the_wait_with_its_last_status() -> None:
    running = {"submissions": [{"status": "RUNNING", "progress": 90, "isDeleteJob": True}]}
    clock, seen = FakeClock(), []
    with cdm(answers(running, GONE)) as client:
        status = wait(SELF_DELETING, client.jobs.get_status, {"cluster_id": "c", "job_name": "x"},
                      on_poll=seen.append, **clock.kwargs())
    assert status.submissions is not None and status.submissions[0].status == "RUNNING"
    assert seen[-1].error is not None and seen[-1].error.error_code == "Cdm.0100"


@pytest.mark.parametrize("before", [
    [],  # the first poll: nothing said the job would go
    [{"submissions": [{"status": "RUNNING", "isDeleteJob": False}]}],
    [{"submissions": [{"status": "RUNNING"}]}],
])
def test_any_other_vanishing_is_the_services_error(before: list[Any]) -> None:
    with cdm(answers(*before, GONE)) as client, pytest.raises(BadRequestError) as caught:
        wait(SELF_DELETING, client.jobs.get_status, {"cluster_id": "c", "job_name": "x"},
             **FakeClock().kwargs())
    assert caught.value.error_code == "Cdm.0100"


# -- work that must be seen under way ----------------------------------------------------------

RESTART = SPEC._replace(
    progress=None, under_way=(("/status", ("500",)), ("/actions", ("REBOOTING",))),
    start_within=60.0)


def polls(spec: WaiterSpec, *bodies: Any, **kwargs: Any) -> list[Any]:
    clock, seen = FakeClock(), []
    with cdm(answers(*bodies)) as client:
        wait(spec, client.clusters.get, {"cluster_id": "c"}, on_poll=seen.append,
             **clock.kwargs(), **kwargs)
    return [(p.elapsed, p.state, p.under_way) for p in seen]


def test_success_before_the_work_was_seen_under_way_does_not_end_the_wait() -> None:
    normal, restarting = {"status": "200"}, {"status": "500", "actions": ["REBOOTING"]}
    assert polls(RESTART, normal, normal, restarting, normal) == [
        (0.0, "200", ()), (10.0, "200", ()), (30.0, "500", ("500", "REBOOTING")),
        (55.0, "200", ())]


def test_success_while_under_way_does_not_end_the_wait() -> None:
    """A cluster rebooting can show 200 with REBOOTING in `actions` (the 5.1.1 example)."""
    rebooting = {"status": "200", "actions": "REBOOTING"}  # a string, as the example sends it
    assert polls(RESTART, rebooting, {"status": "200", "actions": []})[0] == (
        0.0, "200", ("REBOOTING",))
    assert len(polls(RESTART, rebooting, {"status": "200", "actions": []})) == 2


def test_work_too_quick_to_be_seen_ends_after_start_within_plus_the_start_delay() -> None:
    normal = {"status": "200"}
    assert [t for t, _, _ in polls(RESTART, normal)] == [0.0, 10.0, 30.0, 55.0, 80.0]
    assert polls(RESTART, normal, start_delay=100, timeout=300)[-1][0] == 180.0
    unbounded = RESTART._replace(start_within=None)
    with cdm(answers(normal)) as client, pytest.raises(WaiterTimeoutError):
        wait(unbounded, client.clusters.get, {"cluster_id": "c"}, **FakeClock().kwargs())


# -- work told from earlier runs by the server's time ------------------------------------------

# the job-instance waiter's shape, polling a cluster-shaped body: `/planTime` in epoch ms
NEWEST = SPEC._replace(
    progress=None, errors=(), success=("success",), failure=("fail",), retry=("waiting",),
    under_way=(("/status", ("waiting",)),), not_before=("/planTime", 2.0))
STARTED = "Mon, 29 Apr 2024 00:10:00 GMT"  # the start's Date: 1714349400 s
AT = 1714349400_000  # that second, in ms


def instance(status: str, plan_ms: int) -> dict[str, Any]:
    return {"status": status, "planTime": plan_ms}


def test_a_run_that_ended_before_the_first_poll_ends_the_wait_at_once() -> None:
    assert polls(NEWEST, instance("success", AT + 400), not_before=STARTED) == [
        (0.0, "success", ())]
    with cdm(answers(instance("fail", AT))) as client, pytest.raises(WaiterFailedError) as failed:
        wait(NEWEST, client.clusters.get, {"cluster_id": "c"}, not_before=STARTED,
             **FakeClock().kwargs())
    assert failed.value.state == "fail"


def test_an_earlier_runs_end_never_ends_the_wait() -> None:
    earlier_ok, earlier_failed = instance("success", AT - 600_000), instance("fail", AT - 3_000)
    ended = polls(NEWEST, earlier_failed, earlier_ok, instance("waiting", AT + 1_000),
                  instance("success", AT + 1_000), not_before=STARTED)
    assert [state for _, state, _ in ended] == ["fail", "success", "waiting", "success"]
    with cdm(answers(earlier_ok)) as client, pytest.raises(WaiterTimeoutError) as timed_out:
        wait(NEWEST, client.clusters.get, {"cluster_id": "c"}, not_before=STARTED,
             **FakeClock().kwargs())
    assert timed_out.value.state == "success"  # it never counted


def test_a_date_truncated_to_the_second_is_allowed_its_slack() -> None:
    """An instance made while the start was served may be planned just before its Date."""
    assert len(polls(NEWEST, instance("success", AT - 1_500), not_before=STARTED)) == 1
    too_old = instance("success", AT - 2_001)
    with cdm(answers(too_old)) as client, pytest.raises(WaiterTimeoutError):
        wait(NEWEST, client.clusters.get, {"cluster_id": "c"}, not_before=STARTED,
             **FakeClock().kwargs())


@pytest.mark.parametrize("moment", [
    STARTED, "2024-04-29T08:10:00+08:00", datetime(2024, 4, 29, 0, 10, tzinfo=UTC),
    1714349400,
])
def test_the_time_is_read_from_a_date_header_iso_8601_a_datetime_or_epoch_seconds(
    moment: Any,
) -> None:
    just_before = instance("success", AT - 2_500)  # older than every spelling of the moment
    assert polls(NEWEST, just_before, instance("success", AT), timeout=10, not_before=moment)[
        -1] == (10.0, "success", ())


@pytest.mark.parametrize(("moment", "error"), [
    ("yesterday", ValueError), ("2024-04-29T00:10:00", ValueError),
    (datetime(2024, 4, 29), ValueError), (float("nan"), ValueError), (True, TypeError),
    ([STARTED], TypeError),
])
def test_a_time_that_is_none_is_refused_before_any_poll(moment: Any, error: type[Exception]) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json=instance("success", AT))

    with cdm(handler) as client, pytest.raises(error, match="not_before") as refused:
        wait(NEWEST, client.clusters.get, {"cluster_id": "c"}, not_before=moment,
             **FakeClock().kwargs())
    assert not calls and "secret-token" not in str(refused.value)


def test_a_waiter_without_the_rule_takes_no_time() -> None:
    with cdm(answers({"status": "200"})) as client, pytest.raises(TypeError, match="not_before"):
        wait(SPEC, client.clusters.get, {"cluster_id": "c"}, not_before=STARTED,
             **FakeClock().kwargs())


def test_the_clients_own_clock_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A client whose clock is a day ahead (or behind) waits exactly as one on time."""
    bodies = (instance("fail", AT - 60_000), instance("waiting", AT), instance("success", AT))
    on_time = polls(NEWEST, *bodies, not_before=STARTED)
    real = time.time
    for skew in (86_400.0, -86_400.0):
        monkeypatch.setattr(time, "time", lambda skew=skew: real() + skew)
        assert polls(NEWEST, *bodies, not_before=STARTED) == on_time
        monkeypatch.undo()
