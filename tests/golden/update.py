"""Rewrite the golden cases' expected trees from their specs.

    .venv/bin/python tests/golden/update.py            # every case
    .venv/bin/python tests/golden/update.py naming     # only some

Each case is `cases/<case>/spec/*.yaml`; its expected tree, `cases/<case>/expected/`, is what the
generator writes for it, except two things that would change with every edit of the generator
without saying anything about the case:
- the MANIFEST's `inputs <fingerprint>` line (it hashes the generator's source and templates);
- the hand-written code (`dataarts/_runtime/`, `dataarts/testing/`, `dataarts/cli/`), verbatim
  copies of `templates/runtime/`, `templates/testing/` and `templates/cli/`
  (tests/generator/test_render.py checks the copies): their files are left out of the expected
  tree and their hashes masked in the MANIFEST.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = Path(__file__).resolve().parent / "cases"
INPUTS_LINE = re.compile(rb"^inputs [0-9a-f]{64}$", re.MULTILINE)
INPUTS_MASK = b"inputs <fingerprint of the generator's inputs: masked in golden trees>"
# the hand-written copies' files, as generator.render.VERBATIM_PACKAGES lays them out
VERBATIM = re.compile(r"dataarts/(_runtime|testing|cli)/.*\.py")
VERBATIM_LINE = re.compile(rb"^[0-9a-f]{64}(  dataarts/(?:_runtime|testing|cli)/\S*\.py)$", re.MULTILINE)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES_DIR.iterdir() if (p / "spec").is_dir())


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` by relative path, Python caches left out."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def mask(files: dict[str, bytes]) -> dict[str, bytes]:
    out = {name: data for name, data in files.items() if not VERBATIM.fullmatch(name)}
    if "MANIFEST" in out:
        out["MANIFEST"], count = INPUTS_LINE.subn(INPUTS_MASK, out["MANIFEST"])
        assert count == 1, "MANIFEST has no `inputs <fingerprint>` line"
        out["MANIFEST"] = VERBATIM_LINE.sub(rb"<sha256 of a runtime copy: masked>\1", out["MANIFEST"])
    return out


def generate_case(case: str, out_dir: Path) -> dict[str, bytes]:
    """Generate `case` into `out_dir` (as `make generate` would, minus the cache); the masked tree."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from generator import Paths, generate

    paths = Paths(spec_dir=CASES_DIR / case / "spec", out_dir=out_dir)
    if hasattr(paths, "cache_dir"):
        paths.cache_dir = None
    generate(paths, force=True)
    return mask(read_tree(out_dir))


def update(case: str) -> bool:
    """Rewrite `cases/<case>/expected/`; True when it changed."""
    expected_dir = CASES_DIR / case / "expected"
    with tempfile.TemporaryDirectory() as tmp:
        files = generate_case(case, Path(tmp) / "generated")
    if read_tree(expected_dir) == files:
        return False
    shutil.rmtree(expected_dir, ignore_errors=True)
    for name, data in files.items():
        target = expected_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return True


def main(argv: list[str]) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    known = case_names()
    unknown = sorted(set(argv) - set(known))
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    from generator import SpecError

    for case in argv or known:
        try:
            changed = update(case)
        except SpecError as err:
            print(f"{case}: the spec is broken, expected tree left as it was", file=sys.stderr)
            for problem in err.problems:
                print(f"  {problem}", file=sys.stderr)
            return 2
        print(f"{case}: {'updated' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
