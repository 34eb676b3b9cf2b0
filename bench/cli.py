"""Command-line start-up benchmark: how long `dataarts --help` takes, next to references.

    .venv/bin/python bench/cli.py [--rounds N]     (make bench-cli)

What a user of the installed package gets: the package (generated/dataarts) is copied to a
temporary folder and compiled to bytecode there, as `pip install` does, and every run imports that
copy (checked), with PYTHONDONTWRITEBYTECODE=1 so no run writes bytecode anywhere. Fresh processes,
their order rotating every round, timed whole (start to exit), wall and CPU (user+sys) time:
  - `python -c pass`: the interpreter alone, the floor;
  - a bare click group's `--help` (`import click`, one group, one command): any click CLI's floor;
  - `dataarts --help` (the console script), `dataarts cdm --help`, `dataarts cdm jobs start --help`;
  - `dataarts --help` from a copy without bytecode (a source tree in a shell with
    PYTHONDONTWRITEBYTECODE=1): every dataarts module compiled on every run (information);
  - `black --help`: another click command line, installed in the dev venv (the peer);
  - `dataarts ... cdm jobs get-status --dry-run`: a command that runs, loading httpx, pydantic and
    the CDM client (information: what running a command costs on top).
With `--baseline DIR` (a generated/ tree of another commit, e.g. extracted with `git archive`),
its `dataarts --help` is timed beside, installed the same way: before and after in one run.
Medians and ratios are printed; nothing is asserted (timings are never tests). Goal: `dataarts
--help` under 100 ms (median wall time of the installed copy).
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 100.0  # issue 22: the goal for `dataarts --help`
DRY_RUN = ["--project-id", "p", "--region", "ap-southeast-1", "cdm", "jobs", "get-status",
           "--cluster-id", "c", "--job-name", "j", "--dry-run"]  # fmt: skip
BARE_CLICK = (
    "import click\n"
    "group = click.Group('bare', help='A bare click group.')\n"
    "group.add_command(click.Command('one', help='Its one command.'))\n"
    "group.main(['--help'])\n"
)
HELP = "dataarts --help"
NO_BYTECODE = "dataarts --help, no bytecode"


BASELINE = "dataarts --help, baseline"


def commands(
    installed: Path, source: Path, baseline: Path | None
) -> dict[str, tuple[list[str], Path | None]]:
    """Name -> (argv, the copy of the package it imports; None: it imports no dataarts)."""
    bin_dir = Path(sys.executable).parent
    script = bin_dir / "dataarts"
    dataarts = [str(script)] if script.exists() else [sys.executable, "-m", "dataarts"]
    found: dict[str, tuple[list[str], Path | None]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "bare click group --help": ([sys.executable, "-c", BARE_CLICK], None),
        HELP: ([*dataarts, "--help"], installed),
        "dataarts cdm --help": ([*dataarts, "cdm", "--help"], installed),
        "dataarts cdm jobs start --help": (
            [*dataarts, "cdm", "jobs", "start", "--help"],
            installed,
        ),
        NO_BYTECODE: ([*dataarts, "--help"], source),
        "dataarts ... --dry-run": ([*dataarts, *DRY_RUN], installed),
    }
    if baseline is not None:
        found[BASELINE] = ([*dataarts, "--help"], baseline)
    black = bin_dir / "black" if (bin_dir / "black").exists() else shutil.which("black")
    if black:
        found["black --help (click)"] = ([str(black), "--help"], None)
    return found


def copy(tree: Path, target: Path, *, compiled: bool) -> Path:
    """A copy of the `dataarts` package of a generated tree; `compiled` as `pip install` does."""
    shutil.copytree(tree / "dataarts", target / "dataarts",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    if compiled and not compileall.compile_dir(target, quiet=1):
        raise SystemExit(f"bench/cli.py: the copy of {tree} did not compile")
    return target


def environment(path: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLOUD_SDK_", "DATAARTS_"))}
    env.pop("PYTHONPYCACHEPREFIX", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # every run finds the bytecode as the copy was made
    if path is not None:
        env["PYTHONPATH"] = str(path)
    return env


def check_imports(path: Path) -> None:
    """The runs import the copy in `path`, not the editable install's generated/."""
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import dataarts.cli.app; print(dataarts.cli.app.__file__)",
        ],
        env=environment(path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not where.startswith(str(path)):
        raise SystemExit(f"bench/cli.py: imported {where}, not the copy in {path}")


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user+sys) seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--baseline", type=Path, help="another generated/ tree, timed beside")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        installed = copy(ROOT / "generated", Path(tmp, "installed"), compiled=True)
        source = copy(ROOT / "generated", Path(tmp, "source"), compiled=False)
        baseline = args.baseline and copy(args.baseline, Path(tmp, "baseline"), compiled=True)
        for path in (installed, source, baseline):
            if path is not None:
                check_imports(path)
        found = commands(installed, source, baseline)
        targets = {name: (argv, environment(path)) for name, (argv, path) in found.items()}
        for argv, env in targets.values():  # warm-up: the files in the page cache
            run_once(argv, env)
        load_before = os.getloadavg()[0]
        wall: dict[str, list[float]] = {name: [] for name in targets}
        cpu: dict[str, list[float]] = {name: [] for name in targets}
        names = list(targets)
        for round_ in range(args.rounds):
            for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                seconds, used = run_once(*targets[name])
                wall[name].append(seconds)
                cpu[name].append(used)
    load_after = os.getloadavg()[0]
    median = {name: statistics.median(values) * 1000 for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) * 1000 for name, values in cpu.items()}
    floor = median["python -c pass"]
    print(f"load average {load_before:.2f} before, {load_after:.2f} after; {args.rounds} rounds; "
          "medians of whole runs; bytecode as after pip install but where said")  # fmt: skip
    print(f"{'command':<34} {'median ms':>9} {'min ms':>7} {'cpu ms':>7} {'- pass ms':>9} "
          f"{'x pass':>7}")  # fmt: skip
    for name in targets:
        print(
            f"{name:<34} {median[name]:9.1f} {min(wall[name]) * 1000:7.1f} "
            f"{median_cpu[name]:7.1f} {median[name] - floor:9.1f} {median[name] / floor:7.2f}"
        )
    help_ms = median[HELP]
    bare = median["bare click group --help"]
    print(
        f"{HELP} over the bare click group's: {help_ms - bare:+.1f} ms wall, "
        f"{median_cpu[HELP] - median_cpu['bare click group --help']:+.1f} ms cpu; "
        f"click's share above pass: {(bare - floor) / max(help_ms - floor, 1e-9):.0%}"
    )
    black = median.get("black --help (click)")
    if black:
        print(
            f"dataarts --help / black --help: {help_ms / black:.2f} wall, "
            f"{median_cpu[HELP] / median_cpu['black --help (click)']:.2f} cpu"
        )
    print(f"without bytecode / installed: {median[NO_BYTECODE] / help_ms:.2f}")
    if BASELINE in median:
        print(
            f"dataarts --help / the baseline's: {help_ms / median[BASELINE]:.2f} wall, "
            f"{median_cpu[HELP] / median_cpu[BASELINE]:.2f} cpu"
        )
    verdict = "met" if help_ms < GOAL_MS else "MISSED"
    print(f"goal: dataarts --help < {GOAL_MS:.0f} ms: {help_ms:.0f} ms, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
