"""`python -m dataarts.testing serve|demo`: the simulator from a shell.

`serve` prints `dataarts simulator listening on http://HOST:PORT` as its first line and answers
until interrupted; clients take that URL as `base_url`. `demo` runs a migration end to end.
A mistake (a bad option, a port in use) is one line on standard error, exit status 2 for bad
usage and 1 when the server cannot start.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
from types import FrameType
from typing import NoReturn

from .clock import Clock, FastClock, ManualClock
from .simulator import Simulator

PROG = "python -m dataarts.testing"
DESCRIPTION = (
    "A local stand-in for Huawei Cloud DataArts Studio: CDM, DataArts Factory and "
    "LakeFormation answer on one port, for tests and demos without a cloud account."
)
SERVE_EPILOG = (
    "Clients take the printed URL as their base URL. The control API (faults, clock, "
    "credentials, seeding, the call log) is under URL/_simulator/ and described by "
    "URL/_simulator/openapi.json."
)


class _Parser(argparse.ArgumentParser):
    """Usage mistakes as one line, without the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return port


def _speed(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        speed = math.nan
    if not (math.isfinite(speed) and speed > 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return speed


def parser() -> argparse.ArgumentParser:
    main = _Parser(prog=PROG, description=DESCRIPTION)
    sub = main.add_subparsers(dest="command", required=True, metavar="{serve,demo}")
    serve = sub.add_parser(
        "serve",
        help="answer the services' API over HTTP until interrupted",
        description="Answer CDM, DataArts Factory and LakeFormation requests on one port.",
        epilog=SERVE_EPILOG,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    serve.add_argument(
        "--port",
        type=_port,
        default=0,
        help="port to listen on; 0 picks a free one (%(default)s)",
    )
    clocks = serve.add_mutually_exclusive_group()
    clocks.add_argument(
        "--speed",
        type=_speed,
        default=100.0,
        help="how many times faster than real time clusters, runs and instances progress "
        "(%(default)g)",
    )
    clocks.add_argument(
        "--manual-clock",
        action="store_true",
        help="keep time still until moved through the control API (POST /_simulator/clock/advance)",
    )
    demo = sub.add_parser(
        "demo",
        help="run a migration against the simulator and print what happens",
        description="Create a cluster, links and a migration job, run it and watch it finish.",
    )
    demo.add_argument(
        "--speed",
        type=_speed,
        default=100.0,
        help="how many times faster than real time things progress (%(default)g)",
    )
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "demo":
        from .demo import run_demo

        run_demo(sys.stdout, speed=args.speed)
        return 0
    clock: Clock = ManualClock() if args.manual_clock else FastClock(args.speed)
    try:
        server = Simulator(clock=clock).serve(args.host, args.port)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        print(f"{PROG} serve: error: cannot listen on {args.host}:{args.port}: {reason}",
              file=sys.stderr)  # fmt: skip
        return 1
    print(f"dataarts simulator listening on {server.base_url}", flush=True)
    print(f"control API: {server.base_url}/_simulator/openapi.json", flush=True)

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
