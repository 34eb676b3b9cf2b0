"""Golden case `waiters`: wait_until_* methods (sync, async) on a virtual clock, and the CLI table."""

from __future__ import annotations

import asyncio
import os

import httpx

import dataarts
from dataarts.builds import AsyncBuildsClient, BuildsClient
from dataarts.builds.models import Build
from dataarts.cli.table import every_service

assert dataarts.__file__.startswith(os.environ["GOLDEN_OUT"]), dataarts.__file__


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def serving(*answers: httpx.Response):  # type: ignore[no-untyped-def]
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler


def build(status: str, progress: int, message: str | None = None) -> httpx.Response:
    body = {"id": "b-1", "status": status, "progress": progress}
    if message:
        body["message"] = message
    return httpx.Response(200, json=body, headers={"X-Request-Id": "req-9"})


def client(handler) -> BuildsClient:  # type: ignore[no-untyped-def]
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return BuildsClient(region="xx-north-1", project_id="p", token="t", http_client=http)


# sync: polls at 0, 2, 6 (backoff 2), then 11 (capped at 5); the callback sees each state
clock, seen = Clock(), []
with client(serving(build("QUEUED", 0), build("RUNNING", 40), build("RUNNING", 80),
                    build("DONE", 100))) as c:
    done = c.builds.wait_until_done(build_id="b-1", sleep=clock.sleep, clock=lambda: clock.now,
                                    on_poll=lambda p: seen.append((p.attempt, p.state, p.progress)))
assert isinstance(done, Build) and done.status == "DONE"
assert clock.slept == [2.0, 4.0, 5.0], clock.slept
assert seen == [(1, "QUEUED", 0.0), (2, "RUNNING", 40.0), (3, "RUNNING", 80.0), (4, "DONE", 100.0)]

# a failure state raises with the server's reason and request id
with client(serving(build("BROKEN", 10, "out of disk"))) as c:
    try:
        c.builds.wait_until_done(build_id="b-1")
    except dataarts.WaiterFailedError as err:
        assert (err.state, err.reason, err.status_code, err.request_id) == (
            "BROKEN", "out of disk", 200, "req-9")
    else:
        raise AssertionError("BROKEN must raise WaiterFailedError")

# the deadline: the last poll lands on it, and the error names the last state
clock = Clock()
with client(serving(build("RUNNING", 50))) as c:
    try:
        c.builds.wait_until_done(build_id="b-1", timeout=8, sleep=clock.sleep,
                                 clock=lambda: clock.now)
    except dataarts.WaiterTimeoutError as err:
        assert (err.state, err.progress, err.attempts, clock.now) == ("RUNNING", 50.0, 4, 8.0)
        assert "RUNNING" in str(err)
    else:
        raise AssertionError("a build that never ends must time out")

# gone: a 404 ends the deleted waiter with None
clock = Clock()
missing = httpx.Response(404, json={"error_code": "B.404", "error_msg": "no such build"})
with client(serving(build("DONE", 100), missing)) as c:
    assert c.builds.wait_until_deleted(build_id="b-1", sleep=clock.sleep,
                                       clock=lambda: clock.now) is None
assert clock.slept == [1.0]


async def main() -> None:
    clock = Clock()
    handler = serving(build("RUNNING", 1), build("DONE", 100))
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with AsyncBuildsClient(region="xx-north-1", project_id="p", token="t",
                                 http_client=http) as c:
        done = await c.builds.wait_until_done(build_id="b-1", sleep=clock.sleep,
                                              clock=lambda: clock.now)
    assert done.status == "DONE" and clock.slept == [2.0]


asyncio.run(main())

# the command table: `dataarts builds builds create --wait` follows with wait_until_done
((resource,),) = [service.resources for service in every_service()]
create = next(c for c in resource.commands if c.name == "create")
assert create.wait is not None and create.wait.method == "wait_until_done"
assert create.wait.arguments == (("build_id", "response", "/id"),)
assert [w.name for w in resource.waiters] == ["done", "deleted"]
print("ok")
