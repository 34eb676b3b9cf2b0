"""The simulator's server holds 200 concurrent connections: every one of 2,000 list calls is
answered (issue 22: with Python's socketserver, 149 timed out after 30 s). The latency goal
(p99 under 100 ms) is the benchmark's (`make bench-simulator`); here a bound generous enough for
a busy 2-core machine (the server's p99 was 0.4 s at a load average of 8) catches only the old
failure: a refused connection, retried by TCP after a second, then three, then seven (with
socketserver's listen queue the p99 was 1.9 to 30 s)."""

from __future__ import annotations

from bench.load import ours, run_load, server_process

CALLS, CONNECTIONS = 2000, 200
GENEROUS_P99 = 1.5  # seconds


def test_two_hundred_concurrent_connections_get_every_answer() -> None:
    with server_process(ours()) as server:
        figures = run_load(server.url, calls=CALLS, connections=CONNECTIONS, timeout=30.0)
    print(f"\nload: {figures.line()}")
    assert dict(figures.errors) == {} and len(figures.latencies) == CALLS
    assert figures.percentile(0.99) < GENEROUS_P99
