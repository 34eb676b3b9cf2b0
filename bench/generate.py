"""Generation benchmark: our generator against openapi-python-client, measured in one run.

    .venv/bin/python bench/generate.py [--rounds N]      (make bench-generate)

Each round times, as whole-process wall time of a fresh subprocess:
  (a) ours, cold:      python -m generator generate --force [--no-cache] --out-dir <empty dir>
                       (--no-cache when the generator has a step cache, so nothing is reused)
  (b) ours, no change: python -m generator generate --out-dir <the same dir>, right after (a)
  (a') with a step cache, also plain `--force` into another empty dir (cache warm), for information
  (c) openapi-python-client 0.29.1 (opc) on each spec file, into a fresh directory, with its
      default ruff post-hooks (its venv's bin/ first on PATH); summed over the files per round.
  (d) the edit loop, in a scratch copy of spec/, templates/ and generator/ whose step cache
      starts as a copy of .cache/generator/ and is warmed once: after one edit each, a plain
      `python -m generator generate`: one template (a line of service_client.py.jinja, which
      every service's client prints), one spec description (an operation's summary in
      cdm.yaml, the largest spec) and one runtime file (a comment in runtime/retry.py). Each
      round's edit is new (no earlier round left its result in the cache).
The order of (a+b) and (c) alternates between rounds. An untimed warm-up round comes first; its
opc runs also record opc's warnings and errors per spec. Prints medians, minima and the ratios
ours/opc, with the goals. Not a test: timings are never asserted; the exit status is non-zero
only when something could not be run at all (our generator failed, opc could not be installed).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "spec"
OPC_VERSION = "0.29.1"
OPC_VENV = ROOT / ".bench" / "opc"
OPC_BIN = OPC_VENV / "bin"
OPC_MARKER = OPC_VENV / f".installed-openapi-python-client-{OPC_VERSION}"
GOAL_COLD_RATIO = 0.5
GOAL_NOCHANGE_SECONDS = 1.0
GOAL_EDIT_SECONDS = 1.0
SCRATCH_INPUTS = ("spec", "templates", "generator")
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Runs opc's own CLI unchanged, but records the errors it is about to print (level, header) in a
# JSON file: used for the untimed warm-up run only, so the timed runs are the plain console script.
OPC_PROBE = """
import json, os, sys
from openapi_python_client import cli
_original = cli.handle_errors
def _recording(errors, fail_on_warning=False):
    with open(os.environ["BENCH_OPC_REPORT"], "w", encoding="utf-8") as out:
        json.dump([{"level": e.level.value, "header": e.header, "detail": e.detail or ""}
                   for e in errors], out)
    return _original(errors, fail_on_warning)
cli.handle_errors = _recording
sys.argv[0] = "openapi-python-client"
sys.exit(cli.app())
"""


# -- set-up ------------------------------------------------------------------------------------


def ensure_opc() -> None:
    """Create .bench/opc with openapi-python-client==OPC_VERSION unless it is already there."""
    if OPC_MARKER.is_file() and (OPC_BIN / "openapi-python-client").is_file():
        return
    print(
        f"creating {OPC_VENV.relative_to(ROOT)} with openapi-python-client=={OPC_VERSION} ...",
        flush=True,
    )
    started = time.perf_counter()
    shutil.rmtree(OPC_VENV, ignore_errors=True)
    steps = [
        [sys.executable, "-m", "venv", str(OPC_VENV)],
        [
            str(OPC_BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"openapi-python-client=={OPC_VERSION}",
        ],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            shutil.rmtree(OPC_VENV, ignore_errors=True)
            sys.stderr.write(done.stdout + done.stderr)
            sys.exit(
                f"bench: could not set up {OPC_VENV}: {' '.join(step)} exited {done.returncode}"
            )
    OPC_MARKER.write_text(OPC_VERSION + "\n", encoding="utf-8")
    print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)


def tool_version(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).strip().splitlines()[-1] if done.returncode == 0 else "?"


def spec_operation_counts(specs: list[Path]) -> dict[str, int]:
    import yaml  # type: ignore[import-untyped]  # the generator's dependency

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    counts = {}
    for spec in specs:
        doc = yaml.load(spec.read_text(encoding="utf-8"), Loader=loader)
        counts[spec.name] = sum(
            1 for item in (doc.get("paths") or {}).values() for key in item if key in HTTP_METHODS
        )
    return counts


# -- running and timing ------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu: float  # user + sys of the process and the children it waited for
    returncode: int
    stdout: str
    stderr: str


def timed(argv: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(seconds, cpu, done.returncode, done.stdout, done.stderr)


def opc_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(OPC_BIN) + os.pathsep + env.get("PATH", "")
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte-code caches as on a usual machine
    env.update(extra or {})
    return env


def ours_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # byte-code caches as on a usual machine
    return env


def load_note() -> str:
    one, five, _ = os.getloadavg()
    busy = " (other work is running: compare ratios, not absolute times)" if one > 0.5 else ""
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min){busy}"


def has_no_cache_flag() -> bool:
    """Whether our generator has a step cache that `--no-cache` turns off."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--help"],
        cwd=ROOT,
        env=ours_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return "--no-cache" in done.stdout


def our_variants(no_cache: bool) -> list[tuple[str, str, list[str]]]:
    """(key, label, command) of our runs, in their order within a round."""
    generate = [sys.executable, "-m", "generator", "generate"]
    if not no_cache:
        return [
            ("cold", "ours cold (--force, empty out dir)", [*generate, "--force"]),
            ("again", "ours no change (same out dir)", generate),
        ]
    return [
        ("cold", "ours cold (--force --no-cache, empty dir)", [*generate, "--force", "--no-cache"]),
        ("again", "ours no change (same out dir)", generate),
        ("forced", "ours --force, warm step cache, empty dir", [*generate, "--force"]),
    ]


def run_ours(variants: list[tuple[str, str, list[str]]], where: Path) -> dict[str, Run]:
    """Each variant once: "again" reuses the directory of the run before it, others start empty."""
    runs: dict[str, Run] = {}
    out = where / "cold"
    for key, _, argv in variants:
        if key != "again":
            out = where / key
        # named as the repository's tree: api.md, written beside it, names the tree it links to
        runs[key] = timed([*argv, "--out-dir", str(out / "generated")], env=ours_env())
    return runs


def opc_argv(spec: Path, out_dir: Path) -> list[str]:
    return ["generate", "--path", str(spec), "--output-path", str(out_dir), "--overwrite"]


def run_opc(spec: Path, out_dir: Path) -> Run:
    return timed(
        [str(OPC_BIN / "openapi-python-client"), *opc_argv(spec, out_dir)],
        env=opc_env(),
        cwd=out_dir.parent,
    )


def probe_opc(spec: Path, out_dir: Path, report: Path) -> tuple[Run, list[dict[str, str]] | None]:
    run = timed(
        [str(OPC_BIN / "python"), "-c", OPC_PROBE, *opc_argv(spec, out_dir)],
        env=opc_env({"BENCH_OPC_REPORT": str(report)}),
        cwd=out_dir.parent,
    )
    errors = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None
    return run, errors


def opc_outcome(run: Run, out_dir: Path) -> str:
    """How an opc run ended, from its exit status, its banner and what it wrote."""
    endpoints = [p for p in out_dir.rglob("api/**/*.py") if p.name != "__init__.py"]
    if run.returncode != 0 or "Error(s) encountered" in run.stderr:
        state = f"FAILED (exit {run.returncode})"
    elif "Warning(s) encountered" in run.stderr:
        state = "ok with warnings"
    else:
        state = "ok"
    return f"{state}, {len(endpoints)} endpoint modules"


def ours_mode(run: Run) -> str:
    text = run.stdout.strip()
    if run.returncode != 0:
        return f"FAILED (exit {run.returncode})"
    if "up to date (inputs unchanged" in text:
        return "manifest fast path"
    if "regenerated" in text:
        return "full generation, wrote the tree"
    if "already matched" in text:
        return "full generation, nothing written"
    return text or "?"


def same_tree(a: Path, b: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        # Caches that tools leave in generated/ (.mypy_cache, __pycache__) are not output.
        found = {}
        for p in sorted(root.rglob("*")):
            parts = p.relative_to(root).parts
            if p.is_file() and "__pycache__" not in parts and not parts[0].startswith("."):
                found["/".join(parts)] = p.read_bytes()
        return found

    return a.is_dir() and b.is_dir() and files(a) == files(b)


# -- the edit loop ---------------------------------------------------------------------------


def _edit(path: Path, pattern: str, replacement: str) -> None:
    """Replace the one match of `pattern` in `path`."""
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1)
    if count != 1:
        sys.exit(f"bench: {pattern!r} not found in {path}")
    path.write_text(text, encoding="utf-8")


def edit_template(root: Path, n: int) -> None:
    _edit(root / "templates" / "service_client.py.jinja",
          r'Client`(?: \(edit \d+\))?\."""', f'Client` (edit {n})."""')


def edit_spec(root: Path, n: int) -> None:
    _edit(root / "spec" / "cdm.yaml",
          r"\n      summary: List clusters(?: \(edit \d+\))?\n",
          f"\n      summary: List clusters (edit {n})\n")


def edit_runtime(root: Path, n: int) -> None:
    with (root / "templates" / "runtime" / "retry.py").open("a", encoding="utf-8") as fh:
        fh.write(f"# edit {n}\n")


# (key, label, edit(scratch root, round number)): each changes what the generator prints
EDITS: list[tuple[str, str, Callable[[Path, int], None]]] = [
    ("edit-template", "ours, edit one template (service_client.py.jinja)", edit_template),
    ("edit-spec", "ours, edit one spec description (cdm.yaml)", edit_spec),
    ("edit-runtime", "ours, edit one runtime file (runtime/retry.py)", edit_runtime),
]


def make_scratch(where: Path) -> Path:
    """A copy of the generator's inputs with a warm step cache of its own."""
    root = where / "project"
    for name in SCRATCH_INPUTS:
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    if (ROOT / ".cache" / "generator").is_dir():
        shutil.copytree(ROOT / ".cache" / "generator", root / ".cache" / "generator")
    warm = timed([sys.executable, "-m", "generator", "generate", "--force"], ours_env(), root)
    if warm.returncode != 0:
        sys.stderr.write(warm.stdout + warm.stderr)
        sys.exit("bench: our generator failed in the scratch copy")
    return root


def run_edits(root: Path, round_no: int) -> dict[str, Run]:
    runs = {}
    for key, _, change in EDITS:
        change(root, round_no)
        runs[key] = timed([sys.executable, "-m", "generator", "generate"], ours_env(), root)
    return runs


# -- report ------------------------------------------------------------------------------------


@dataclass
class Series:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.seconds.append(run.seconds)
        self.cpu.append(run.cpu)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def min(self) -> float:
        return min(self.seconds)


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    args = parser.parse_args(argv)

    ensure_opc()
    specs = sorted(SPEC_DIR.glob("*.yaml"))
    if not specs:
        sys.exit(f"bench: no specs in {SPEC_DIR}")
    operations = spec_operation_counts(specs)
    no_cache = has_no_cache_flag()
    variants = our_variants(no_cache)
    print("Generation benchmark: ours vs openapi-python-client (opc), whole-process wall time")
    print(f"  python {sys.version.split()[0]} at {sys.executable}; {os.cpu_count()} CPUs")
    print(f"  before: {load_note()}")
    print(
        f"  opc: {tool_version([str(OPC_BIN / 'openapi-python-client'), '--version'])}; "
        f"post-hook {tool_version([str(OPC_BIN / 'ruff'), '--version'])}"
    )
    print("  specs: " + ", ".join(f"{s.name} ({operations[s.name]} op.)" for s in specs))
    print(
        f"  {args.rounds} timed rounds after one untimed warm-up; order alternates per round",
        flush=True,
    )
    if no_cache:
        print(
            "  our generator keeps a step cache (.cache/generator/): 'cold' runs with --no-cache;"
            " the brief's plain `--force` is the 'warm step cache' row"
        )

    ours = {key: Series() for key, _, _ in variants}
    modes: dict[str, set[str]] = {key: set() for key, _, _ in [*variants, *EDITS]}
    opc = {s.name: Series() for s in specs}
    opc_total: list[float] = []
    opc_total_cpu: list[float] = []
    per_round_ratio: list[float] = []
    outcomes: dict[str, set[str]] = {s.name: set() for s in specs}
    probe_errors: dict[str, list[dict[str, str]] | None] = {}
    matches_generated = False

    edits = {key: Series() for key, _, _ in EDITS}
    with tempfile.TemporaryDirectory(prefix="dataarts-bench-gen-") as tmp_name:
        tmp = Path(tmp_name)
        scratch = make_scratch(tmp)
        for round_no in range(-1, args.rounds):  # -1: warm-up
            warm = round_no < 0
            here = tmp / f"round{round_no + 1}"
            here.mkdir()
            order = ("ours", "opc") if round_no % 2 == 0 else ("opc", "ours")
            our_runs: dict[str, Run] = {}
            opc_runs: dict[str, Run] = {}
            for side in order:
                if side == "ours":
                    our_runs = run_ours(variants, here / "ours")
                    our_runs.update(run_edits(scratch, round_no + 2))
                    for key, run in our_runs.items():
                        modes[key].add(ours_mode(run))
                        if run.returncode != 0:
                            sys.stderr.write(run.stdout + run.stderr)
                            print(f"bench: our generator failed ({key})", file=sys.stderr)
                            return 1
                    continue
                for spec in specs:
                    out = here / "opc" / spec.stem
                    out.parent.mkdir(parents=True, exist_ok=True)
                    if warm:
                        run, errors = probe_opc(spec, out, here / f"{spec.stem}.errors.json")
                        probe_errors[spec.name] = errors
                    else:
                        run = run_opc(spec, out)
                    opc_runs[spec.name] = run
                    outcomes[spec.name].add(opc_outcome(run, out))
            if warm:
                matches_generated = same_tree(here / "ours" / "cold" / "generated", ROOT / "generated")
            else:
                for key, run in our_runs.items():
                    (edits if key in edits else ours)[key].add(run)
                total = sum(r.seconds for r in opc_runs.values())
                opc_total.append(total)
                opc_total_cpu.append(sum(r.cpu for r in opc_runs.values()))
                for name, run in opc_runs.items():
                    opc[name].add(run)
                per_round_ratio.append(our_runs["cold"].seconds / total)
                print(
                    f"  round {round_no + 1}/{args.rounds} ({' then '.join(order)}): "
                    + ", ".join(f"ours {k} {r.seconds:.3f} s" for k, r in our_runs.items())
                    + f", opc total {total:.3f} s",
                    flush=True,
                )
            shutil.rmtree(here, ignore_errors=True)

    def row(label: str, series: Series) -> list[str]:
        return [
            label,
            f"{series.median:.3f}",
            f"{series.min:.3f}",
            f"{max(series.seconds):.3f}",
            f"{statistics.median(series.cpu):.2f}",
        ]

    opc_median, opc_min = statistics.median(opc_total), min(opc_total)
    print()
    rows = [row(label, ours[key]) for key, label, _ in variants]
    rows += [row(label, edits[key]) for key, label, _ in EDITS]
    rows += [row(f"opc {spec.name}", opc[spec.name]) for spec in specs]
    rows.append(
        [
            f"opc total ({len(specs)} specs, per round)",
            f"{opc_median:.3f}",
            f"{opc_min:.3f}",
            f"{max(opc_total):.3f}",
            f"{statistics.median(opc_total_cpu):.2f}",
        ]
    )
    print(table(rows, ["wall time, seconds", "median", "min", "max", "cpu (med)"]))
    print(f"  cpu = user+sys of the process and its children; after: {load_note()}")

    print()
    print("Outcomes (opc: warnings/errors it reported in the warm-up run; every run's exit/banner)")
    for spec in specs:
        errors = probe_errors.get(spec.name)
        if errors is None:
            detail = "no error report recorded"
        else:
            warnings = sum(1 for e in errors if e["level"] == "WARNING")
            failures = sum(1 for e in errors if e["level"] == "ERROR")
            detail = f"{warnings} warning(s), {failures} error(s)"
            headers: dict[str, int] = {}
            for e in errors:
                key = f"{e['level']}: {e['header'].strip()}"
                headers[key] = headers.get(key, 0) + 1
            if headers:
                detail += " [" + "; ".join(f"{k} x{v}" for k, v in sorted(headers.items())) + "]"
        print(
            f"  opc {spec.name}: {detail}; runs: {' | '.join(sorted(outcomes[spec.name]))}"
            f" (spec has {operations[spec.name]} operations)"
        )
    for key, label, _ in [*variants, *EDITS]:
        print(f"  {label}: {' | '.join(sorted(modes[key]))}")
    print(
        "  ours, output identical to generated/ (caches ignored): "
        + ("yes" if matches_generated else "NO (generated/ is stale, or the output differs)")
    )

    cold, again = ours["cold"], ours["again"]
    summary = [
        [
            f"cold: ours / opc total{' (--no-cache)' if no_cache else ''}",
            f"{cold.median / opc_median:.2f}",
            f"{cold.min / opc_min:.2f}",
            f"{statistics.median(per_round_ratio):.2f}",
            f"<= {GOAL_COLD_RATIO}",
            verdict(cold.median / opc_median <= GOAL_COLD_RATIO),
        ]
    ]
    summary.append(
        [
            "cold, cpu (user+sys): ours / opc total",
            f"{statistics.median(cold.cpu) / statistics.median(opc_total_cpu):.2f}",
            f"{min(cold.cpu) / min(opc_total_cpu):.2f}",
            "-",
            "-",
            "info (steadier than wall time under load)",
        ]
    )
    if "forced" in ours:
        forced = ours["forced"]
        summary.append(
            [
                "--force, warm step cache: ours / opc",
                f"{forced.median / opc_median:.2f}",
                f"{forced.min / opc_min:.2f}",
                "-",
                "-",
                "info",
            ]
        )
    summary += [
        [
            "no change: ours (seconds)",
            f"{again.median:.3f}",
            f"{again.min:.3f}",
            "-",
            f"< {GOAL_NOCHANGE_SECONDS:.0f} s",
            verdict(again.median < GOAL_NOCHANGE_SECONDS),
        ],
        [
            "no change: ours / opc total",
            f"{again.median / opc_median:.3f}",
            f"{again.min / opc_min:.3f}",
            "-",
            "-",
            "info",
        ],
    ]
    for key, label, _ in EDITS:
        series = edits[key]
        summary += [
            [
                label.replace("ours, ", "") + " (seconds)",
                f"{series.median:.3f}",
                f"{series.min:.3f}",
                "-",
                f"< {GOAL_EDIT_SECONDS:.0f} s",
                verdict(series.median < GOAL_EDIT_SECONDS),
            ],
            [
                "  the same / opc total",
                f"{series.median / opc_median:.3f}",
                f"{series.min / opc_min:.3f}",
                "-",
                "-",
                "info",
            ],
        ]
    print()
    print(
        table(
            summary,
            ["summary", "of medians", "of mins", "med/round", "goal", "verdict (on medians)"],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
