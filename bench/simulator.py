"""The simulator's server under load, next to the same simulator behind Python's http.server.

    .venv/bin/python bench/simulator.py [--calls N] [--timeout S]     (make bench-simulator)

For 20, 100 and 200 concurrent connections, `--calls` (2,000) ListClusters calls are made with
aiohttp (one event loop: the client is not the bottleneck) against two server processes, each
warmed up first, their runs interleaved:
  - ours: `python -m dataarts.testing serve` (asyncio + h11, a listen queue of 1,024);
  - peer: `bench/stdlib_peer.py`, the same simulator behind `http.server.ThreadingHTTPServer`
    (a thread per connection, a listen queue of 5: refused connections are retried by TCP
    after a second or more), the server the simulator had before.
Errors (timeouts after `--timeout` seconds, refused or reset connections, non-200 answers) and
latency percentiles (a failed call counts as infinitely slow) are printed, with the peer's p99
over ours. Nothing is asserted. Goal: 0 errors and p99 < 100 ms at 200 connections.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import ROOT, Figures, ours, run_load, server_process

GOAL_MS = 100.0
CONNECTIONS = (20, 100, 200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per call")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    peer = [sys.executable, str(ROOT / "bench" / "stdlib_peer.py")]
    results: dict[tuple[str, int], Figures] = {}
    with server_process(ours()) as ours_url, server_process(peer) as peer_url:
        for connections in CONNECTIONS:
            for name, url in (("ours", ours_url), ("peer", peer_url)):
                figures = run_load(url, calls=args.calls, connections=connections,
                                   timeout=args.timeout)  # fmt: skip
                results[(name, connections)] = figures
                print(f"{name}: {figures.line()}", flush=True)
    print()
    for connections in CONNECTIONS:
        mine, theirs = results[("ours", connections)], results[("peer", connections)]
        p99, peer_p99 = mine.percentile(0.99), theirs.percentile(0.99)
        ratio = "inf" if peer_p99 == float("inf") else f"{peer_p99 / p99:.1f}"
        print(f"{connections:>3} connections: p99 ours {p99 * 1000:.1f} ms, peer/ours {ratio}x; "
              f"errors ours {sum(mine.errors.values())}, peer {sum(theirs.errors.values())}")  # fmt: skip
    top = results[("ours", CONNECTIONS[-1])]
    met = not top.errors and top.percentile(0.99) * 1000 < GOAL_MS
    print(f"goal (0 errors, p99 < {GOAL_MS:.0f} ms at {CONNECTIONS[-1]} connections): "
          + ("met" if met else "NOT met"))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
