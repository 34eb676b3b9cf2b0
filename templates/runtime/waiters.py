"""Polling until long-running work is done, as the spec's `x-sdk-waiters` declares it.

Every generated `wait_until_<name>` method hands its `WaiterSpec` and the resource's poll method
to `wait` (or `async_wait`): poll, read the state field of the response, stop on a success or a
failure value (or a listed error answer), otherwise sleep and poll again until the deadline.
`sleep` and `clock` are injectable, so tests drive a virtual clock instead of waiting.

Work that leaves no handle to poll (a start answered without the instance it created) is told
from earlier work by time: with `not_before` (the `Date` of the call's answer, the server's own
clock), a finished state counts only when the resource's time field is not before it.

The spec's pace and deadline are the service's seconds. A server whose clock runs faster than
real time (the package's simulator) says how much faster in `X-Dataarts-Clock-Speed`, and a
waiter on the real clock divides those seconds by it; a real service never sends the header.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Literal, NamedTuple, TypeAlias, TypeVar

import httpx

from .client import RawResponse, with_raw_response
from .errors import REQUEST_ID_HEADER, APIStatusError, DataArtsError

T = TypeVar("T")

Clock: TypeAlias = Callable[[], float]
Sleep: TypeAlias = Callable[[float], None]
# an async waiter accepts a plain sleep too (e.g. a virtual clock's), and awaits it if it must
AsyncSleep: TypeAlias = Callable[[float], Awaitable[None] | None]
Outcome: TypeAlias = Literal["success", "failure"]
# a moment on the server's clock: an HTTP date (a `Date` header), an ISO 8601 time with its
# offset, an aware datetime, or seconds since the Unix epoch
Moment: TypeAlias = datetime | str | float
# an error answer that decides a wait: (HTTP status, error code or None, outcome, pointer or
# None); with a pointer, only after the last polled response had `true` there (a resource that
# said it would delete itself), and a success then returns that last resource
ErrorRule: TypeAlias = tuple[int, str | None, Outcome, str | None]
CLOCK_SPEED_HEADER = "X-Dataarts-Clock-Speed"
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
    errors: tuple[ErrorRule, ...] = ()  # error answers of the poll that decide the wait
    labels: tuple[tuple[str, str], ...] = ()  # (state value, its documented meaning)
    # (JSON pointer, values): while a field holds (or, a list, contains) one of its values the
    # work is under way: a success state does not end the wait, and the work has begun
    under_way: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # with `under_way`: a success state ends the wait only once the work was seen under way, or
    # this many seconds after the first poll (work too quick to be seen); None: only once seen
    start_within: float | None = None
    # (JSON pointer to a time in epoch milliseconds, slack in seconds): with a `not_before`
    # moment given, a finished state counts only when that time is not before the moment less
    # the slack (a `Date` header has whole seconds), and the under-way rule is not needed
    not_before: tuple[str, float] | None = None

    def outcome(self, state: str | None) -> Literal["success", "failure", "retry"]:
        if state in self.success:
            return "success"
        if state in self.failure:
            return "failure"
        return "retry"  # documented "not yet" values, a missing field, and values new to us

    def label(self, state: str | None) -> str | None:
        """The documented meaning of a state value (`"100"` -> `"creating"`), if there is one."""
        return next((meaning for value, meaning in self.labels if value == state), None)

    def error_rule(self, error: APIStatusError, last: Any) -> ErrorRule | None:
        """The rule deciding an error answer, given the last polled body (None: no rule does)."""
        for rule in self.errors:
            status, code, _, when = rule
            if error.status_code != status or (code is not None and error.error_code != code):
                continue
            if when is None or value_at(last, when) is True:
                return rule
        return None

    def is_new(self, body: Any, moment: float) -> bool:
        """Whether the body's time field is not before `moment` (epoch seconds) less the slack."""
        if self.not_before is None:
            return True
        pointer, slack = self.not_before
        millis = _number(value_at(body, pointer))
        return millis is not None and millis / 1000 >= moment - slack

    def marks(self, body: Any) -> tuple[str, ...]:
        """The `under_way` values the body shows (empty: the work does not show as under way)."""
        found: list[str] = []
        for pointer, values in self.under_way:
            value = value_at(body, pointer)
            for item in value if isinstance(value, list) else [value]:
                text = _text(item)
                if text in values and text not in found:
                    found.append(text)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class WaitProgress(Generic[T]):
    """What the progress callback (`on_poll=`) receives after every poll."""

    waiter: str
    attempt: int  # 1 for the first poll
    elapsed: float  # seconds since the first poll, on the waiter's clock
    state: str | None  # the state field's raw value; None when absent or when the poll was an error
    # the progress field's value, 0-100; None without one, or outside 0-100 (CDM reports -1 for
    # a failed run)
    progress: float | None
    result: T | None  # the polled resource (None when the poll answered with an error)
    error: APIStatusError | None = None  # the error answer, when the poll got one
    label: str | None = None  # the state's documented meaning, e.g. "creating" for "100"
    under_way: tuple[str, ...] = ()  # what shows the work under way, e.g. ("REBOOTING",)

    @property
    def shown(self) -> str | None:
        """The state in the documents' words: its meaning where the spec gives one."""
        return self.label or self.state


class WaiterFailedError(DataArtsError):
    """The waited-for work ended in a failure state (or the poll got an error listed as failure).

    `state` is the failure value (`label` its documented meaning, e.g. "creation failed" for
    "303"), `reason` the server's explanation where the resource has one,
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
        label: str | None = None,
    ) -> None:
        self.waiter = waiter
        self.state = state
        self.label = label
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
            text = f"{waiter}: failed in state {_named(state, label)}"
            if reason:
                text += f": {reason}"
            if self.request_id:
                text += f" (request id {self.request_id})"
        super().__init__(text)


class WaiterTimeoutError(DataArtsError, TimeoutError):
    """The deadline passed before the work was done; `state` (and `label`) the last state seen."""

    def __init__(
        self,
        waiter: str,
        *,
        state: str | None,
        progress: float | None,
        result: Any,
        elapsed: float,
        attempts: int,
        label: str | None = None,
    ) -> None:
        self.waiter = waiter
        self.state = state
        self.label = label
        self.progress = progress
        self.result = result
        self.elapsed = elapsed
        self.attempts = attempts
        seen = "no state" if state is None else f"state {_named(state, label)}"
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
    start_delay: float = 0.0,
    not_before: Moment | None = None,
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
        start_delay=start_delay,
        not_before=not_before,
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
    start_delay: float = 0.0,
    not_before: Moment | None = None,
) -> T | None:
    """Like `wait`, for waiters that an error answer can end (a deleted resource): then None.

    `timeout`, `delay` and `max_delay` are seconds of the waiter's clock. Left out, the spec's
    are used, divided by the clock speed the server reports, unless `sleep` or `clock` is given
    (then the caller runs time, e.g. on the simulator's own clock). `start_delay` is service
    time: how long the work was asked to wait before it begins (see `WaiterSpec.start_within`).
    `not_before` is when the call that began the work was answered, on the server's clock (see
    `WaiterSpec.not_before`); a value that is no time raises ValueError (or TypeError) before
    any poll.
    """
    raw_poll = with_raw_response(poll)
    loop: _Loop[T] = _Loop(spec, timeout, delay, max_delay, start_delay, sleep, clock)
    loop.since(not_before)
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
    start_delay: float = 0.0,
    not_before: Moment | None = None,
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
        start_delay=start_delay,
        not_before=not_before,
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
    start_delay: float = 0.0,
    not_before: Moment | None = None,
) -> T | None:
    """The asyncio flavour of `wait_or_none`."""
    import asyncio  # here, not at the top: importing a client must not load asyncio
    import inspect

    raw_poll = with_raw_response(poll)
    loop: _Loop[T] = _Loop(spec, timeout, delay, max_delay, start_delay, sleep, clock)
    loop.since(not_before)
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
        start_delay: float,
        sleep: object,
        clock: Clock | None,
    ) -> None:
        self.spec = spec
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.timeout = timeout  # None: the spec's, in service time
        self.own_pace = delay is None and max_delay is None  # the spec's, in service time
        self.interval = spec.delay if delay is None else delay
        self.max_delay = spec.max_delay if max_delay is None else max_delay
        if delay is not None and max_delay is None:
            self.max_delay = max(self.max_delay, delay)
        self.start_delay = max(start_delay, 0.0)
        # on the real clock (no sleep or clock given) the server's clock speed is honoured
        self.scaled = sleep is None and clock is None
        self.speed = 1.0  # service seconds per second of the waiter's clock
        self.attempts = 0
        self.begun = False  # the work was seen under way
        self.moment: float | None = None  # `not_before`, in epoch seconds
        self.last_body: Any = None  # the last polled body and resource, for an error's `when`
        self.last_result: T | None = None

    def since(self, not_before: Moment | None) -> None:
        """Count only work not older than `not_before` (None: any, as the other rules allow)."""
        if not_before is None:
            return
        if self.spec.not_before is None:
            raise TypeError(f"{self.spec.name} reads no time from its response: no not_before")
        self.moment = epoch_seconds(not_before, "not_before")

    def step(
        self, raw: RawResponse[T] | APIStatusError, on_poll: OnPoll[T] | None
    ) -> tuple[bool, T | None, float]:
        """(done, the result when done, else seconds to sleep); raises when the wait failed."""
        self.attempts += 1
        spec = self.spec
        self._read_speed(raw.response if isinstance(raw, APIStatusError) else raw.http_response)
        if isinstance(raw, APIStatusError):
            rule = spec.error_rule(raw, self.last_body)
            if rule is None:
                raise raw  # not the waiter's business: the client already retried what it could
            self._report(self._seen(None, None, None, raw, ()), on_poll)
            _, _, decided, when = rule
            if decided == "success":
                return True, (self.last_result if when is not None else None), 0.0
            raise WaiterFailedError(
                spec.name, state=None, reason=None, result=None, response=raw.response, error=raw
            )
        body = _json(raw.http_response)
        state = _text(value_at(body, spec.state))
        progress = _number(value_at(body, spec.progress)) if spec.progress else None
        if progress is not None and not 0 <= progress <= 100:
            progress = None  # a sentinel (CDM's -1 for a failed run), not a share of the work
        marks = spec.marks(body)
        self.begun = self.begun or bool(marks)
        self._report(self._seen(state, progress, raw.parsed, None, marks), on_poll)
        self.last_body, self.last_result = body, raw.parsed
        outcome = spec.outcome(state)
        if self.moment is not None:
            if outcome != "retry" and not spec.is_new(body, self.moment):
                outcome = "retry"  # an earlier run's end, not the one of the work waited for
        elif outcome == "success" and spec.under_way and (marks or not self._may_end()):
            outcome = "retry"  # done only once the work has been under way, and is no more
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
                label=spec.label(state),
            )
        remaining = self._deadline() - self.clock()
        if remaining <= 0:
            raise WaiterTimeoutError(
                spec.name,
                state=state,
                progress=progress,
                result=raw.parsed,
                elapsed=self.clock() - self.started,
                attempts=self.attempts,
                label=spec.label(state),
            )
        pace = self.speed if self.own_pace else 1.0
        pause = min(self.interval / pace, remaining)  # the last poll lands on the deadline
        self.interval = min(self.interval * spec.backoff, self.max_delay)
        return False, None, pause

    def _read_speed(self, response: httpx.Response) -> None:
        """How much faster than real time the server's clock runs (1 unless it says)."""
        if not self.scaled:
            return
        try:
            speed = float(response.headers.get(CLOCK_SPEED_HEADER, "1"))
        except ValueError:
            speed = 1.0
        self.speed = speed if math.isfinite(speed) and speed > 0 else 1.0

    def _deadline(self) -> float:
        limit = self.spec.timeout / self.speed if self.timeout is None else self.timeout
        return self.started + limit

    def _may_end(self) -> bool:
        """Whether a success state may end the wait: the work was seen under way, or had time."""
        if self.begun:
            return True
        if self.spec.start_within is None:
            return False
        allowed = (self.spec.start_within + self.start_delay) / self.speed
        return self.clock() - self.started >= allowed

    def _seen(
        self,
        state: str | None,
        progress: float | None,
        result: T | None,
        error: APIStatusError | None,
        marks: tuple[str, ...],
    ) -> WaitProgress[T]:
        elapsed = self.clock() - self.started
        return WaitProgress(
            self.spec.name,
            self.attempts,
            elapsed,
            state,
            progress,
            result,
            error,
            self.spec.label(state),
            marks,
        )

    @staticmethod
    def _report(seen: WaitProgress[T], on_poll: OnPoll[T] | None) -> None:
        if on_poll is not None:
            on_poll(seen)


def epoch_seconds(moment: Moment, name: str = "moment") -> float:
    """Seconds since the Unix epoch of an HTTP date, an ISO 8601 time with its offset, an aware
    datetime or a number of seconds; ValueError (TypeError: not even a kind of time) naming
    `name` for anything else."""
    if isinstance(moment, bool) or not isinstance(moment, (datetime, str, int, float)):
        raise TypeError(
            f"{name} must be a time (an HTTP date, ISO 8601 or a datetime), "
            f"not {type(moment).__name__}"
        )
    if isinstance(moment, (int, float)):
        if not math.isfinite(moment):
            raise ValueError(f"{name} must be a finite number of seconds")
        return float(moment)
    when = moment if isinstance(moment, datetime) else _parse_time(moment, name)
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{name} needs a time zone: {_clip(str(moment))!r} could be any clock's")
    return when.timestamp()


def _parse_time(text: str, name: str) -> datetime:
    """An HTTP date (`Mon, 07 Dec 2026 02:34:41 GMT`) or an ISO 8601 time."""
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{name} must be an HTTP date (a Date header) or an ISO 8601 time, not "
            f"{_clip(text)!r}"
        ) from None


def _named(state: str | None, label: str | None) -> str:
    """`100 (creating)`: a state with its documented meaning, where that says more."""
    return f"{state} ({label})" if label and label != state else str(state)


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
