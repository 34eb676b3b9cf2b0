"""The simulator's server under load, next to the same simulator behind Python's http.server.

    .venv/bin/python bench/simulator.py [--calls N] [--timeout S]     (make bench-simulator)

For 20, 100 and 200 concurrent connections, `--calls` (2,000) ListClusters calls are made with
aiohttp (one event loop) against three server processes, each warmed up first, their runs
interleaved:
  - ours: `python -m dataarts.testing serve` (an asyncio Protocol per connection, a listen
    queue of 1,024);
  - peer: `bench/stdlib_peer.py`, the same simulator behind `http.server.ThreadingHTTPServer`
    (a thread per connection, a listen queue of 5: refused connections are retried by TCP
    after a second or more), the server the simulator had before;
  - floor: `bench/floor_peer.py`, canned bytes and nothing else: what the client and the
    machine cost at that moment (on 2 busy cores, aiohttp's own work is most of a call).
Errors (timeouts after `--timeout` seconds, refused or reset connections, non-200 answers),
latency percentiles (a failed call counts as infinitely slow) and each server's CPU time per
call are printed, with ratios of p99: peer over ours, ours over the floor. Nothing is asserted.
Goal: 0 errors and p99 < 100 ms at 200 connections.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, Figures, cpu_seconds, ours, run_load, server_process

GOAL_MS = 100.0
CONNECTIONS = (20, 100, 200)


SERVERS = ("ours", "peer", "floor")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per call")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    commands = {
        "ours": ours(),
        "peer": [sys.executable, str(ROOT / "bench" / "stdlib_peer.py")],
        "floor": [sys.executable, str(ROOT / "bench" / "floor_peer.py")],
    }
    results: dict[tuple[str, int], Figures] = {}
    with ExitStack() as stack:
        servers = {name: stack.enter_context(server_process(argv)) for name, argv in commands.items()}
        for connections in CONNECTIONS:
            for name in SERVERS:
                before = cpu_seconds(servers[name].pid)
                figures = run_load(servers[name].url, calls=args.calls, connections=connections,
                                   timeout=args.timeout)  # fmt: skip
                spent = (cpu_seconds(servers[name].pid) - before) / args.calls * 1e6
                results[(name, connections)] = figures
                print(f"{name:>5}: {figures.line()}; server CPU {spent:.0f} µs a call", flush=True)
    print()
    for connections in CONNECTIONS:
        p99 = {name: results[(name, connections)].percentile(0.99) for name in SERVERS}
        errors = {name: sum(results[(name, connections)].errors.values()) for name in SERVERS}
        print(f"{connections:>3} connections: p99 ours {p99['ours'] * 1000:.1f} ms, "
              f"peer/ours {_ratio(p99['peer'], p99['ours'])}, "
              f"ours/floor {_ratio(p99['ours'], p99['floor'])} (floor {p99['floor'] * 1000:.1f} ms); "
              f"errors ours {errors['ours']}, peer {errors['peer']}")  # fmt: skip
    top = results[("ours", CONNECTIONS[-1])]
    met = not top.errors and top.percentile(0.99) * 1000 < GOAL_MS
    print(f"goal (0 errors, p99 < {GOAL_MS:.0f} ms at {CONNECTIONS[-1]} connections): "
          + ("met" if met else "not met on this run"))  # fmt: skip
    return 0


def _ratio(a: float, b: float) -> str:
    return "inf" if a == float("inf") else f"{a / b:.1f}x"


if __name__ == "__main__":
    sys.exit(main())
