"""When to retry a request and how long to wait: statuses, connection errors, backoff, Retry-After."""

from __future__ import annotations

import email.utils
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

# The request certainly did not run: the gateway throttled it (429, APIGW.0308) or timed out
# waiting for it (408). Safe to send again whatever the method.
NOT_PROCESSED_STATUSES = frozenset({408, 429})
# The request may have run before the failure (the server may have acted on it), so only
# idempotent requests, or callers who opted in, send it again.
AMBIGUOUS_STATUSES = frozenset({500, 502, 503, 504})
# Connection failures where nothing reached the server.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; honours Retry-After up to `max_retry_after` seconds.

    A Retry-After longer than `max_retry_after` is not waited for: the error is raised at once
    (with its `retry_after`), because a long sleep inside a call is worse than a clear error.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25  # up to this fraction of each delay is removed at random
    max_retry_after: float = 60.0
    rng: Callable[[], float] = field(default=random.random, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt + 1` (attempt counts from 0)."""
        delay = min(self.max_delay, self.initial_delay * 2.0**attempt)
        return delay * (1 - self.jitter * self.rng())

    def after_status(
        self, response: httpx.Response, attempt: int, *, replay_safe: bool
    ) -> float | None:
        """Seconds to wait before retrying after an error status, or None to give up."""
        status = response.status_code
        if attempt >= self.max_retries:
            return None
        if status not in NOT_PROCESSED_STATUSES and not (
            replay_safe and status in AMBIGUOUS_STATUSES
        ):
            return None
        retry_after = parse_retry_after(response.headers, self.clock())
        if retry_after is None:
            return self.backoff(attempt)
        return retry_after if retry_after <= self.max_retry_after else None

    def after_error(self, error: Exception, attempt: int, *, replay_safe: bool) -> float | None:
        """Seconds to wait before retrying after a transport error, or None to give up."""
        if attempt >= self.max_retries or not isinstance(error, httpx.TransportError):
            return None
        if isinstance(error, NOT_SENT_ERRORS) or replay_safe:
            return self.backoff(attempt)
        return None


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds from `Retry-After` (delta seconds or an HTTP date); None when absent or unreadable."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        seconds = email.utils.mktime_tz(parsed) - now
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)
