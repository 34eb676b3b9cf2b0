"""Command-line start-up benchmark: how long `dataarts --help` takes, next to references.

    .venv/bin/python bench/cli.py [--rounds N]     (make bench-cli)

Fresh processes, their order interleaved in every round, timed whole (start to exit):
  - `python -c pass`: the interpreter alone, the floor;
  - `dataarts --help` (the console script), and `dataarts cdm jobs start --help` (a leaf);
  - `black --help`: another click command line, installed in the dev venv;
  - `dataarts ... cdm jobs get-status --dry-run`: a command that runs, loading httpx, pydantic and
    the CDM client (for information: what running a command costs on top).
Medians and ratios are printed; nothing is asserted (timings are never tests). Goal: `dataarts
--help` under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 100.0  # issue 22: the goal for `dataarts --help`
DRY_RUN = ["--project-id", "p", "--region", "ap-southeast-1", "cdm", "jobs", "get-status",
           "--cluster-id", "c", "--job-name", "j", "--dry-run"]  # fmt: skip


def commands() -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    script = bin_dir / "dataarts"
    dataarts = [str(script)] if script.exists() else [sys.executable, "-m", "dataarts"]
    found = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "dataarts --help": [*dataarts, "--help"],
        "dataarts cdm jobs start --help": [*dataarts, "cdm", "jobs", "start", "--help"],
        "dataarts ... --dry-run": [*dataarts, *DRY_RUN],
    }
    black = bin_dir / "black" if (bin_dir / "black").exists() else shutil.which("black")
    if black:
        found["black --help (click)"] = [str(black), "--help"]
    return found


def run_once(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUD_SDK_")}
    env["PYTHONPATH"] = str(ROOT / "generated")
    targets = commands()
    for argv in targets.values():  # warm-up: byte-code caches written, files in the page cache
        run_once(argv, env)
    times: dict[str, list[float]] = {name: [] for name in targets}
    for round_ in range(args.rounds):
        names = list(targets)
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            times[name].append(run_once(targets[name], env))
    median = {name: statistics.median(values) * 1000 for name, values in times.items()}
    floor = median["python -c pass"]
    print(f"load average {os.getloadavg()[0]:.2f}; {args.rounds} rounds; medians of whole runs")
    print(f"{'command':<34} {'median ms':>9} {'min ms':>7} {'- pass ms':>9} {'x pass':>7}")
    for name, values in times.items():
        print(
            f"{name:<34} {median[name]:9.1f} {min(values) * 1000:7.1f} "
            f"{median[name] - floor:9.1f} {median[name] / floor:7.2f}"
        )
    help_ms = median["dataarts --help"]
    black = median.get("black --help (click)")
    if black:
        print(f"dataarts --help / black --help: {help_ms / black:.2f}")
    verdict = "met" if help_ms < GOAL_MS else "MISSED"
    print(f"goal: dataarts --help < {GOAL_MS:.0f} ms: {help_ms:.0f} ms, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
