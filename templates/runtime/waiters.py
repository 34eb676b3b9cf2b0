"""Polling until long-running work is done, as the spec's `x-sdk-waiters` declares it.

Every generated `wait_until_<name>` method hands its `WaiterSpec` and the resource's poll method
to `wait` (or `async_wait`): poll, read the state field of the response, stop on a success or a
failure value (or a listed error answer), otherwise sleep and poll again until the deadline.
`sleep` and `clock` are injectable, so tests drive a virtual clock instead of waiting.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, NamedTuple, TypeAlias, TypeVar

import httpx

from .client import RawResponse, with_raw_response
from .errors import REQUEST_ID_HEADER, APIStatusError, DataArtsError

T = TypeVar("T")

Clock: TypeAlias = Callable[[], float]
Sleep: TypeAlias = Callable[[float], None]
# an async waiter accepts a plain sleep too (e.g. a virtual clock's), and awaits it if it must
AsyncSleep: TypeAlias = Callable[[float], Awaitable[None] | None]
_MESSAGE_LIMIT = 300


class WaiterSpec(NamedTuple):
    """One waiter of the spec: what to poll for, and how often, for how long.

    (A NamedTuple, as the other records a generated client builds at import: see OperationSpec.)
    """

    name: str  # for messages, e.g. "cdm.jobs.wait_until_finished"
    state: str  # JSON pointer into the response body (wire names), e.g. "/status"
    success: tuple[str, ...]  # state values that end the wait successfully
    failure: tuple[str, ...]  # state values that end it with WaiterFailedError
    retry: tuple[str, ...]  # documented values that mean "not yet"; unknown values retry too
    delay: float  # seconds before the second poll
    backoff: float  # each later interval is the previous one times this
    max_delay: float  # intervals never grow beyond this
    timeout: float  # default deadline, in seconds from the first poll
    progress: str | None = None  # JSON pointer to a 0-100 progress figure, if there is one
    reason: str | None = None  # JSON pointer to the text explaining a failure
    # error answers of the poll that decide the wait: (HTTP status, error code or None, outcome)
    errors: tuple[tuple[int, str | None, Literal["success", "failure"]], ...] = ()

    def outcome(self, state: str | None) -> Literal["success", "failure", "retry"]:
        if state in self.success:
            return "success"
        if state in self.failure:
            return "failure"
        return "retry"  # documented "not yet" values, a missing field, and values new to us

    def error_outcome(self, error: APIStatusError) -> Literal["success", "failure"] | None:
        for status, code, outcome in self.errors:
            if error.status_code == status and (code is None or error.error_code == code):
                return outcome
        return None


@dataclass(frozen=True, slots=True)
class WaitProgress(Generic[T]):
    """What the progress callback (`on_poll=`) receives after every poll."""

    waiter: str
    attempt: int  # 1 for the first poll
    elapsed: float  # seconds since the first poll, on the waiter's clock
    state: str | None  # the state field's value; None when absent or when the poll was an error
    progress: float | None  # the progress field's value, when the waiter has one
    result: T | None  # the polled resource (None when the poll answered with an error)
    error: APIStatusError | None = None  # the error answer, when the poll got one


class WaiterFailedError(DataArtsError):
    """The waited-for work ended in a failure state (or the poll got an error listed as failure).

    `state` is the failure value, `reason` the server's explanation where the resource has one,
    `result` the last polled resource; `status_code`, `request_id` and `response` describe the
    last response, and `error_code`/`error_message` are set when that response was an error.
    """

    def __init__(
        self,
        waiter: str,
        *,
        state: str | None,
        reason: str | None,
        result: Any,
        response: httpx.Response | None,
        error: APIStatusError | None = None,
    ) -> None:
        self.waiter = waiter
        self.state = state
        self.reason = reason
        self.result = result
        self.response = response
        self.error = error
        self.status_code = response.status_code if response is not None else None
        self.request_id = response.headers.get(REQUEST_ID_HEADER) if response else None
        self.error_code = error.error_code if error is not None else None
        self.error_message = error.error_message if error is not None else None
        if error is not None:
            text = f"{waiter}: failed: {error}"
        else:
            text = f"{waiter}: failed in state {state}"
            if reason:
                text += f": {reason}"
            if self.request_id:
                text += f" (request id {self.request_id})"
        super().__init__(text)


class WaiterTimeoutError(DataArtsError, TimeoutError):
    """The deadline passed before the work was done; `state` is the last state seen."""

    def __init__(
        self,
        waiter: str,
        *,
        state: str | None,
        progress: float | None,
        result: Any,
        elapsed: float,
        attempts: int,
    ) -> None:
        self.waiter = waiter
        self.state = state
        self.progress = progress
        self.result = result
        self.elapsed = elapsed
        self.attempts = attempts
        seen = "no state" if state is None else f"state {state}"
        if progress is not None:
            seen += f", progress {progress:g}"
        super().__init__(
            f"{waiter}: timed out after {elapsed:.0f} s and {attempts} polls; last seen: {seen}"
        )


OnPoll: TypeAlias = Callable[[WaitProgress[T]], None]


def wait(
    spec: WaiterSpec,
    poll: Callable[..., T],
    arguments: Mapping[str, Any],
    *,
    timeout: float | None = None,
    delay: float | None = None,
    max_delay: float | None = None,
    on_poll: OnPoll[T] | None = None,
    sleep: Sleep | None = None,
    clock: Clock | None = None,
) -> T:
    """Poll `poll(**arguments)` until `spec` says done; the final resource."""
    result = wait_or_none(
        spec,
        poll,
        arguments,
        timeout=timeout,
        delay=delay,
        max_delay=max_delay,
        on_poll=on_poll,
        sleep=sleep,
        clock=clock,
    )
    if result is None:  # only an error answer ends a wait without a resource
        raise TypeError(f"{spec.name} ended on an error answer, which it does not list")
    return result


def wait_or_none(
    spec: WaiterSpec,
    poll: Callable[..., T],
    arguments: Mapping[str, Any],
    *,
    timeout: float | None = None,
    delay: float | None = None,
    max_delay: float | None = None,
    on_poll: OnPoll[T] | None = None,
    sleep: Sleep | None = None,
    clock: Clock | None = None,
) -> T | None:
    """Like `wait`, for waiters that an error answer can end (a deleted resource): then None."""
    raw_poll = with_raw_response(poll)
    loop: _Loop[T] = _Loop(spec, timeout, delay, max_delay, clock or time.monotonic)
    sleep = sleep or time.sleep
    while True:
        try:
            raw: RawResponse[T] | APIStatusError = raw_poll(**arguments)
        except APIStatusError as error:
            raw = error
        done, result, pause = loop.step(raw, on_poll)
        if done:
            return result
        sleep(pause)


async def async_wait(
    spec: WaiterSpec,
    poll: Callable[..., Coroutine[Any, Any, T]],
    arguments: Mapping[str, Any],
    *,
    timeout: float | None = None,
    delay: float | None = None,
    max_delay: float | None = None,
    on_poll: OnPoll[T] | None = None,
    sleep: AsyncSleep | None = None,
    clock: Clock | None = None,
) -> T:
    """The asyncio flavour of `wait`."""
    result = await async_wait_or_none(
        spec,
        poll,
        arguments,
        timeout=timeout,
        delay=delay,
        max_delay=max_delay,
        on_poll=on_poll,
        sleep=sleep,
        clock=clock,
    )
    if result is None:
        raise TypeError(f"{spec.name} ended on an error answer, which it does not list")
    return result


async def async_wait_or_none(
    spec: WaiterSpec,
    poll: Callable[..., Coroutine[Any, Any, T]],
    arguments: Mapping[str, Any],
    *,
    timeout: float | None = None,
    delay: float | None = None,
    max_delay: float | None = None,
    on_poll: OnPoll[T] | None = None,
    sleep: AsyncSleep | None = None,
    clock: Clock | None = None,
) -> T | None:
    """The asyncio flavour of `wait_or_none`."""
    import asyncio  # here, not at the top: importing a client must not load asyncio
    import inspect

    raw_poll = with_raw_response(poll)
    loop: _Loop[T] = _Loop(spec, timeout, delay, max_delay, clock or time.monotonic)
    sleep = sleep or asyncio.sleep
    while True:
        try:
            raw: RawResponse[T] | APIStatusError = await raw_poll(**arguments)
        except APIStatusError as error:
            raw = error
        done, result, pause = loop.step(raw, on_poll)
        if done:
            return result
        slept = sleep(pause)
        if inspect.isawaitable(slept):
            await slept


class _Loop(Generic[T]):
    """The decisions of one wait, shared by the sync and async loops, which keep only their I/O."""

    def __init__(
        self,
        spec: WaiterSpec,
        timeout: float | None,
        delay: float | None,
        max_delay: float | None,
        clock: Clock,
    ) -> None:
        self.spec = spec
        self.clock = clock
        self.started = clock()
        self.deadline = self.started + (spec.timeout if timeout is None else timeout)
        self.interval = spec.delay if delay is None else delay
        self.max_delay = spec.max_delay if max_delay is None else max_delay
        if delay is not None and max_delay is None:
            self.max_delay = max(self.max_delay, delay)
        self.attempts = 0

    def step(
        self, raw: RawResponse[T] | APIStatusError, on_poll: OnPoll[T] | None
    ) -> tuple[bool, T | None, float]:
        """(done, the result when done, else seconds to sleep); raises when the wait failed."""
        self.attempts += 1
        spec = self.spec
        if isinstance(raw, APIStatusError):
            decided = spec.error_outcome(raw)
            if decided is None:
                raise raw  # not the waiter's business: the client already retried what it could
            self._report(self._seen(None, None, None, raw), on_poll)
            if decided == "success":
                return True, None, 0.0
            raise WaiterFailedError(
                spec.name, state=None, reason=None, result=None, response=raw.response, error=raw
            )
        body = _json(raw.http_response)
        state = _text(value_at(body, spec.state))
        progress = _number(value_at(body, spec.progress)) if spec.progress else None
        self._report(self._seen(state, progress, raw.parsed, None), on_poll)
        outcome = spec.outcome(state)
        if outcome == "success":
            return True, raw.parsed, 0.0
        if outcome == "failure":
            reason = _text(value_at(body, spec.reason)) if spec.reason else None
            raise WaiterFailedError(
                spec.name,
                state=state,
                reason=_clip(reason),
                result=raw.parsed,
                response=raw.http_response,
            )
        remaining = self.deadline - self.clock()
        if remaining <= 0:
            raise WaiterTimeoutError(
                spec.name,
                state=state,
                progress=progress,
                result=raw.parsed,
                elapsed=self.clock() - self.started,
                attempts=self.attempts,
            )
        pause = min(self.interval, remaining)  # the last poll lands on the deadline
        self.interval = min(self.interval * spec.backoff, self.max_delay)
        return False, None, pause

    def _seen(
        self,
        state: str | None,
        progress: float | None,
        result: T | None,
        error: APIStatusError | None,
    ) -> WaitProgress[T]:
        elapsed = self.clock() - self.started
        return WaitProgress(self.spec.name, self.attempts, elapsed, state, progress, result, error)

    @staticmethod
    def _report(seen: WaitProgress[T], on_poll: OnPoll[T] | None) -> None:
        if on_poll is not None:
            on_poll(seen)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def value_at(document: Any, pointer: str | None) -> Any:
    """The value a JSON pointer reaches in a parsed body, or None where the path breaks."""
    if pointer is None:
        return None
    node = document
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _text(value: Any) -> str | None:
    """A state as the spec lists it: strings as they are, other scalars as JSON spells them."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return json.dumps(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _clip(text: str | None) -> str | None:
    if text is None or len(text) <= _MESSAGE_LIMIT:
        return text
    return text[: _MESSAGE_LIMIT - 1] + "…"
