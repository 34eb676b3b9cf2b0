"""Tests for templates/runtime/retry.py: which failures are retried, and how long to wait."""

from __future__ import annotations

import httpx
import pytest

from templates.runtime.retry import RetryPolicy, parse_retry_after

# "Wed, 21 Oct 2015 07:28:00 GMT" is 1445412480 seconds after the epoch:
# 16729 days from 1970-01-01 to 2015-10-21 (45 years, 11 of them leap) = 1445385600 s,
# plus 7 h 28 min = 26880 s.
HTTP_DATE = "Wed, 21 Oct 2015 07:28:00 GMT"
HTTP_DATE_EPOCH = 1445412480.0


def policy(**kw: object) -> RetryPolicy:
    kw.setdefault("rng", lambda: 0.0)  # no jitter removed: backoff is exactly the base delay
    kw.setdefault("clock", lambda: HTTP_DATE_EPOCH)
    return RetryPolicy(**kw)  # type: ignore[arg-type]


def response(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers={k.replace("_", "-"): v for k, v in headers.items()})


# --- statuses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429])
@pytest.mark.parametrize("replay_safe", [True, False])
def test_not_processed_statuses_are_retried_whatever_the_method(status: int, replay_safe: bool) -> None:
    assert policy().after_status(response(status), 0, replay_safe=replay_safe) == 0.5


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_ambiguous_statuses_are_retried_only_when_replay_safe(status: int) -> None:
    p = policy()
    assert p.after_status(response(status), 0, replay_safe=True) == 0.5
    assert p.after_status(response(status), 0, replay_safe=False) is None


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 501])
@pytest.mark.parametrize("replay_safe", [True, False])
def test_client_errors_are_never_retried(status: int, replay_safe: bool) -> None:
    assert policy().after_status(response(status), 0, replay_safe=replay_safe) is None


def test_retry_after_does_not_make_a_client_error_retryable() -> None:
    assert policy().after_status(response(400, retry_after="1"), 0, replay_safe=True) is None


def test_retry_after_does_not_make_an_ambiguous_status_retryable_for_a_post() -> None:
    assert policy().after_status(response(503, retry_after="1"), 0, replay_safe=False) is None


# --- transport errors ---------------------------------------------------------------------------

REQUEST = httpx.Request("POST", "https://demo.test/v1/x")


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
@pytest.mark.parametrize("replay_safe", [True, False])
def test_errors_before_sending_are_retried_even_for_a_post(
    error: type[httpx.TransportError], replay_safe: bool
) -> None:
    assert policy().after_error(error("x", request=REQUEST), 0, replay_safe=replay_safe) == 0.5


@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteTimeout]
)
def test_errors_after_sending_are_retried_only_when_replay_safe(
    error: type[httpx.TransportError],
) -> None:
    p = policy()
    assert p.after_error(error("x", request=REQUEST), 0, replay_safe=True) == 0.5
    assert p.after_error(error("x", request=REQUEST), 0, replay_safe=False) is None


@pytest.mark.parametrize("error", [ValueError("x"), RuntimeError("x"), KeyError("x")])
def test_other_exceptions_are_not_retried(error: Exception) -> None:
    assert policy().after_error(error, 0, replay_safe=True) is None


# --- retry budget -------------------------------------------------------------------------------


def test_status_retries_stop_at_max_retries() -> None:
    p = policy(max_retries=3)
    assert [p.after_status(response(503), n, replay_safe=True) for n in range(5)] == [
        0.5, 1.0, 2.0, None, None,
    ]


def test_error_retries_stop_at_max_retries() -> None:
    p = policy(max_retries=2)
    err = httpx.ConnectError("x", request=REQUEST)
    assert [p.after_error(err, n, replay_safe=False) for n in range(3)] == [0.5, 1.0, None]


def test_max_retries_zero_never_retries() -> None:
    p = policy(max_retries=0)
    assert p.after_status(response(429), 0, replay_safe=True) is None
    assert p.after_error(httpx.ConnectError("x", request=REQUEST), 0, replay_safe=True) is None


def test_retry_after_does_not_extend_the_budget() -> None:
    p = policy(max_retries=1)
    assert p.after_status(response(429, retry_after="2"), 0, replay_safe=True) == 2.0
    assert p.after_status(response(429, retry_after="2"), 1, replay_safe=True) is None


def test_default_policy_retries_twice() -> None:
    p = RetryPolicy(rng=lambda: 0.0)
    assert [p.after_status(response(429), n, replay_safe=False) for n in range(3)] == [
        0.5, 1.0, None,
    ]


# --- backoff ------------------------------------------------------------------------------------


def test_backoff_doubles_from_initial_delay_up_to_max_delay() -> None:
    # 0.5 * 2**n = 0.5, 1, 2, 4, 8, then capped at max_delay 8
    assert [policy().backoff(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_with_custom_initial_and_cap() -> None:
    p = policy(initial_delay=1.0, max_delay=3.0)
    assert [p.backoff(n) for n in range(4)] == [1.0, 2.0, 3.0, 3.0]


@pytest.mark.parametrize(
    ("rng", "expected"),
    [
        (0.0, [0.5, 1.0, 2.0]),  # nothing removed
        (0.5, [0.4375, 0.875, 1.75]),  # 1 - 0.25 * 0.5 = 0.875 of each delay
        (1.0, [0.375, 0.75, 1.5]),  # at most a quarter removed
    ],
)
def test_jitter_removes_a_fraction_of_the_delay(rng: float, expected: list[float]) -> None:
    p = policy(rng=lambda: rng)
    assert [p.backoff(n) for n in range(3)] == pytest.approx(expected)


def test_jitter_stays_within_bounds_for_any_rng_value() -> None:
    values = iter([i / 100 for i in range(100)])
    p = policy(rng=lambda: next(values))
    for _ in range(100):
        delay = p.backoff(2)  # base 2.0
        assert 1.5 <= delay <= 2.0


def test_jitter_is_applied_after_the_cap() -> None:
    p = policy(rng=lambda: 1.0)
    assert p.backoff(10) == pytest.approx(6.0)  # cap 8, minus a quarter


def test_no_jitter_when_jitter_is_zero() -> None:
    p = policy(jitter=0.0, rng=lambda: 0.9)
    assert p.backoff(1) == 1.0


def test_each_backoff_draws_from_rng() -> None:
    draws = iter([0.0, 1.0])
    p = policy(rng=lambda: next(draws))
    assert (p.backoff(0), p.backoff(0)) == (0.5, 0.375)


# --- Retry-After --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [("3", 3.0), ("1.5", 1.5), (" 7 ", 7.0), ("0", 0.0)])
def test_retry_after_in_seconds_replaces_backoff(value: str, seconds: float) -> None:
    assert policy().after_status(response(429, retry_after=value), 0, replay_safe=False) == seconds


def test_retry_after_as_http_date_counts_from_the_clock() -> None:
    p = policy(clock=lambda: HTTP_DATE_EPOCH - 12)
    assert p.after_status(response(503, retry_after=HTTP_DATE), 0, replay_safe=True) == 12.0


def test_retry_after_http_date_in_the_past_means_now() -> None:
    p = policy(clock=lambda: HTTP_DATE_EPOCH + 30)
    assert p.after_status(response(429, retry_after=HTTP_DATE), 0, replay_safe=False) == 0.0


@pytest.mark.parametrize("value", ["soon", "", "Wed, 99 Foo 2015", "nan"])
def test_unreadable_retry_after_falls_back_to_backoff(value: str) -> None:
    p = policy()
    assert p.after_status(response(429, retry_after=value), 1, replay_safe=False) == 1.0


def test_negative_retry_after_is_never_a_negative_wait() -> None:
    # time.sleep(-5) would raise; a negative value means "now"
    assert parse_retry_after({"retry-after": "-5"}, 0.0) == 0.0
    assert policy().after_status(response(429, retry_after="-5"), 0, replay_safe=False) == 0.0


@pytest.mark.parametrize("value", ["61", "3600", "inf"])
def test_retry_after_beyond_max_retry_after_gives_up(value: str) -> None:
    assert policy().after_status(response(429, retry_after=value), 0, replay_safe=True) is None


def test_retry_after_equal_to_max_retry_after_is_waited_for() -> None:
    assert policy().after_status(response(429, retry_after="60"), 0, replay_safe=True) == 60.0


def test_custom_max_retry_after() -> None:
    p = policy(max_retry_after=5.0)
    assert p.after_status(response(429, retry_after="5"), 0, replay_safe=True) == 5.0
    assert p.after_status(response(429, retry_after="6"), 0, replay_safe=True) is None


def test_http_date_beyond_max_retry_after_gives_up() -> None:
    p = policy(clock=lambda: HTTP_DATE_EPOCH - 120)
    assert p.after_status(response(429, retry_after=HTTP_DATE), 0, replay_safe=True) is None


def test_retry_after_can_exceed_max_delay() -> None:
    # max_delay caps the backoff only; the server's word wins up to max_retry_after
    p = policy(max_delay=1.0)
    assert p.after_status(response(429, retry_after="30"), 0, replay_safe=True) == 30.0


def test_parse_retry_after_absent() -> None:
    assert parse_retry_after({}, 0.0) is None


def test_parse_retry_after_reads_httpx_headers_case_insensitively() -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": "4"}), 0.0) == 4.0


def test_parse_retry_after_http_date() -> None:
    assert parse_retry_after({"retry-after": HTTP_DATE}, HTTP_DATE_EPOCH - 2.5) == 2.5
