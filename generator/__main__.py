"""Command line: `python -m generator generate|check|examples|bundle|diff|release|docs`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import Paths, SpecError, generate
from .publish import cli as publish

EXIT_DRIFT = 1
EXIT_SPEC = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="regenerate generated/ from spec/")
    gen.add_argument("--force", action="store_true", help="regenerate even if nothing changed")
    chk = sub.add_parser("check", help="fail if generated/ differs from what spec/ produces")
    for command in (gen, chk):
        command.add_argument("--spec-dir", type=Path, help="specs to read (default: spec/)")
        command.add_argument("--out-dir", type=Path, help="tree to write (default: generated/)")
        command.add_argument("--no-cache", action="store_true",
                             help="recompute every step instead of reusing .cache/generator/")
    ex = sub.add_parser("examples", help="copy the fixtures' bodies into the specs' examples")
    ex.add_argument("--check", action="store_true", help="only report out-of-date specs")
    publish.add_commands(sub)
    args = parser.parse_args(argv)

    if args.command in publish.COMMANDS:
        return publish.run(args)

    if args.command == "examples":
        from .examples import main as examples_main

        return examples_main(["--check"] if args.check else [])
    paths = Paths()
    if args.spec_dir:
        paths.spec_dir = args.spec_dir.resolve()
    if args.out_dir:
        paths.out_dir = args.out_dir.resolve()
    if args.no_cache:
        paths.cache_dir = None
    try:
        report = generate(paths, check=args.command == "check", force=getattr(args, "force", False))
    except SpecError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        count = len(err.problems)
        print(f"{count} problem{'s' * (count != 1)} in the specs; generated/ left unchanged",
              file=sys.stderr)
        return EXIT_SPEC
    out = paths.out_dir.name
    if args.command == "check":
        if report.changed:
            for name in report.changed:  # the reference beside the tree: `../api.md`
                print(f"differs: {os.path.normpath(f'{out}/{name}')}", file=sys.stderr)
            print(f"{out}/ or {paths.reference.name} is out of date: run `make generate`",
                  file=sys.stderr)
            return EXIT_DRIFT
        print(f"{out}/ and {paths.reference.name} match the specs ({report.seconds:.2f} s)")
        return 0
    if report.up_to_date_by_manifest:
        print(f"{out}/ is up to date (inputs unchanged, {report.seconds:.2f} s)")
    elif report.written:
        print(f"{out}/ regenerated: {len(report.changed)} file(s) changed ({report.seconds:.2f} s)")
    else:
        print(f"{out}/ already matched the specs ({report.seconds:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
