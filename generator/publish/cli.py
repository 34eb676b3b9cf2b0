"""`python -m generator bundle|diff|release|docs`: the spec as a product (issue 14)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "spec"
COMMANDS = ("bundle", "diff", "release", "docs")
EXIT_RULES = 1  # a version, CHANGELOG or breaking-change rule fails


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the commands on the generator's command line."""
    bundle = sub.add_parser("bundle", help="single-file JSON and YAML per spec (Redocly CLI)")
    bundle.add_argument("--out", type=Path, default=ROOT / "dist" / "spec",
                        help="folder to write (default: dist/spec)")
    diff = sub.add_parser("diff", help="changes against the released bundles, breaking first")
    diff.add_argument("--check", action="store_true",
                      help="exit 1 unless the version and CHANGELOG rules hold")
    sub.add_parser("release", help="rewrite spec/released/ for every spec with a new version")
    docs = sub.add_parser("docs", help="the rendered HTML reference and its landing page")
    docs.add_argument("--out", type=Path, default=ROOT / "docs",
                      help="folder to write (default: docs)")


def run(args: argparse.Namespace) -> int:
    from .bundle import ReleaseError, bundle, check_rules, cut_release
    from .node import ToolMissing

    specs = sorted(SPEC_DIR.glob("*.yaml"))
    try:
        if args.command == "diff":
            return _diff(check=args.check)
        if args.command == "bundle":
            check_rules(SPEC_DIR, ROOT)
            for path in bundle(specs, args.out.resolve()):
                print(f"wrote {_shown(path)}")
        elif args.command == "release":
            released = cut_release(SPEC_DIR, ROOT)
            for item in released:
                print(f"released {item}")
            print("commit spec/released/ and spec/CHANGELOG.md" if released
                  else "nothing to release: every spec's version is the released one")
        elif args.command == "docs":
            from .docs import build

            out = args.out.resolve()
            for ref in build(specs, out):
                print(f"wrote {_shown(out / ref.file)} ({ref.operations} operation(s), "
                      f"{len(ref.pages)} reference pages)")
            print(f"open {_shown(out / 'index.html')}")
    except ReleaseError as err:
        print(err, file=sys.stderr)
        print("see spec/CHANGELOG.md for the release flow", file=sys.stderr)
        return EXIT_RULES
    except ToolMissing as err:
        print(err, file=sys.stderr)
        return EXIT_RULES
    return 0


def _diff(*, check: bool) -> int:
    from .release import report, statuses

    results = statuses(SPEC_DIR, ROOT)
    print(report(results))
    failing = any(r.problems for r in results)
    if failing and not check:
        print("(`make test` fails until the errors above are fixed; see spec/CHANGELOG.md)")
    return EXIT_RULES if failing and check else 0


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
