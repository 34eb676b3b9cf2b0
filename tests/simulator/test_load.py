"""The simulator's server holds 200 concurrent connections: every one of 2,000 list calls is
answered, and no connection waits for TCP to retry it (issue 22: with Python's socketserver and
its listen queue of 5, 149 calls timed out after 30 s; on this machine 25 and 139 did, and 182
of the 200 connections opened only after a retried SYN, a second or more).

Latency is printed, not asserted: on a busy 2-core machine even a server answering canned bytes
showed a p99 of several seconds. The goal (p99 under 100 ms) is the benchmark's
(`make bench-simulator`, which measures such a floor in the same run). Opening a connection is
the kernel's work on loopback (microseconds, 0.2 s at worst on a saturated machine) unless the
listen queue is full, when it takes a retransmission: a second, then three.
"""

from __future__ import annotations

from pathlib import Path

from bench.load import ours, run_load, server_process

CALLS, CONNECTIONS = 2000, 200
RETRANSMITTED = 1.0  # seconds: Linux's first SYN retransmission timeout
NETSTAT = Path("/proc/net/netstat")


def listen_overflows() -> int | None:
    """The kernel's count of connections a full listen queue turned away (None: not Linux)."""
    try:
        lines = NETSTAT.read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            count = dict(zip(names.split(), values.split(), strict=False)).get("ListenOverflows")
            return None if count is None else int(count)
    return None


def test_two_hundred_concurrent_connections_get_every_answer() -> None:
    """A connection retried by TCP shows twice: a connect of a second or more, and the kernel
    counting a listen-queue overflow. Either alone is not the server's: a loaded machine can
    starve the client's event loop for a second, and another program's full queue counts too
    (the counter is the machine's), so only both together fail."""
    before = listen_overflows()
    with server_process(ours()) as server:
        figures = run_load(server.url, calls=CALLS, connections=CONNECTIONS, timeout=30.0)
    after = listen_overflows()
    slowest = max(figures.connects, default=0.0)
    overflowed = None if before is None or after is None else after - before
    print(f"\nload: {figures.line()}, listen-queue overflows {overflowed}")
    assert dict(figures.errors) == {} and len(figures.latencies) == CALLS
    assert len(figures.connects) == CONNECTIONS
    assert slowest < RETRANSMITTED or overflowed == 0, (slowest, overflowed)
