"""`python -m dataarts.testing serve|demo`: the simulator from a shell.

    python -m dataarts.testing serve --host 127.0.0.1 --port 8080
    python -m dataarts.testing demo

`serve` prints `dataarts simulator listening on http://HOST:PORT` as its first line and answers
until interrupted; clients take that URL as `base_url`. `demo` runs a migration end to end.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from .clock import FastClock
from .simulator import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dataarts.testing", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve CDM, DLF and LakeFormation over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=0, help="port (0: any free port)")
    demo = sub.add_parser("demo", help="run a migration against the simulator")
    for command in (serve, demo):
        command.add_argument(
            "--speed", type=float, default=100.0, help="virtual seconds per real second"
        )
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import run_demo

        run_demo(sys.stdout, speed=args.speed)
        return 0
    simulator = Simulator(clock=FastClock(args.speed))
    server = simulator.serve(args.host, args.port)
    print(f"dataarts simulator listening on {server.base_url}", flush=True)

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
