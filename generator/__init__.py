"""The generation pipeline: load → validate → build the IR → models → render → format → write."""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Self

from .cache import Cache
from .problems import Problem, SpecError
from .provenance import display_path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "MANIFEST"
PINNED_TOOLS = ("black", "datamodel-code-generator", "jinja2", "openapi-spec-validator", "pyyaml")


@dataclass
class Paths:
    """Where the inputs and the output live; tests point these at their own trees."""

    root: Path = ROOT
    spec_dir: Path = ROOT / "spec"
    templates_dir: Path = ROOT / "templates"
    out_dir: Path = ROOT / "generated"
    cache_dir: Path | None = ROOT / ".cache" / "generator"  # None: recompute everything

    def inputs(self) -> list[tuple[str, Path]]:
        """Every file whose content shapes the output, by a name relative to the root."""
        files = [*sorted(self.spec_dir.glob("*.yaml")), *sorted(self.templates_dir.rglob("*")),
                 *sorted((self.root / "generator").glob("*.py"))]
        return [(display_path(p, self.root), p) for p in files
                if p.is_file() and "__pycache__" not in p.parts]


@dataclass
class Report:
    """What a run did: files differing from the tree on disk, whether it wrote, how long it took."""

    changed: list[str] = field(default_factory=list)
    written: bool = False
    up_to_date_by_manifest: bool = False
    seconds: float = 0.0


def generate(paths: Paths | None = None, *, check: bool = False, force: bool = False) -> Report:
    """Regenerate `paths.out_dir` from the specs; with `check`, only report what would change.

    Raises SpecError (every problem with file, line and JSON pointer) when the specs are broken;
    the output tree is then left exactly as it was.
    """
    paths = paths or Paths()
    started = time.perf_counter()
    fingerprint = input_fingerprint(paths)
    if not check and not force and manifest_matches(paths.out_dir, fingerprint):
        return Report(up_to_date_by_manifest=True, seconds=time.perf_counter() - started)
    files = build_files(paths, fingerprint)

    from .write import differences, write_tree

    changed = differences(paths.out_dir, files)
    written = False if check else write_tree(paths.out_dir, files)
    return Report(changed=changed, written=written, seconds=time.perf_counter() - started)


def build_files(paths: Paths, fingerprint: str) -> dict[str, bytes]:
    """Every output file, in memory. The OpenAPI validator runs in a worker meanwhile."""
    from .cache import Cache
    from .load import load_specs
    from .validate import REF_MESSAGES, merge_problems, project_problems

    cache = Cache(paths.cache_dir)
    specs = load_specs(paths.spec_dir, paths.root)
    problems = project_problems(specs)
    # openapi-spec-validator cannot walk a document whose $refs are broken; the rules said why
    broken = {p.file for p in problems if p.message.startswith(REF_MESSAGES)}
    with _Validator([s for s in specs if s.name not in broken], cache) as validator:
        if problems:
            raise SpecError(merge_problems(problems, validator.problems()))
        try:
            files = _render_and_format(paths, specs, cache)
        except SpecError:
            raise
        except Exception:
            found = validator.problems()
            if found:  # the build tripped over something the validator explains
                raise SpecError(found) from None
            raise
        found = validator.problems()
        if found:
            raise SpecError(found)
    out = {name: text.encode("utf-8") for name, text in files.items()}
    out[MANIFEST] = _manifest(specs, fingerprint, out).encode("utf-8")
    return out


def _render_and_format(paths: Paths, specs: list, cache: Cache) -> dict[str, str]:  # type: ignore[type-arg]
    from .build import build_api
    from .format import format_sources
    from .models import render_models
    from .render import render

    api = build_api(specs)
    salt = _code_digest(paths)
    models = {}
    for service in api.services:
        try:
            models[service.name] = render_models(service, cache, salt)
        except Exception as exc:  # noqa: BLE001 - reported like any other spec problem
            spec = next(s for s in specs if s.name == service.spec_file)
            message = f"datamodel-code-generator failed: {type(exc).__name__}: {exc}"
            raise SpecError([spec.problem("/components/schemas", message)]) from None
    rendered = render(api, paths.templates_dir, models, paths.root)
    return {**format_sources(rendered.to_format, cache), **rendered.verbatim}


def _code_digest(paths: Paths) -> str:
    """Identifies the generator code and pinned tools, so cached results die with a change."""
    from .provenance import fingerprint

    code = [(display_path(p, paths.root), p) for p in sorted((paths.root / "generator").glob("*.py"))]
    return fingerprint(code, [f"{tool}=={_version(tool)}" for tool in PINNED_TOOLS])


def input_fingerprint(paths: Paths) -> str:
    from .provenance import fingerprint

    versions = [f"{tool}=={_version(tool)}" for tool in PINNED_TOOLS]
    return fingerprint(paths.inputs(), versions)


def manifest_matches(out_dir: Path, fingerprint: str) -> bool:
    """True when the tree was generated from these exact inputs and nobody has edited it since."""
    import hashlib

    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        return False
    lines = [ln for ln in manifest.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    if not lines or lines[0] != f"inputs {fingerprint}":
        return False
    expected = dict(reversed(line.split("  ", 1)) for line in lines[1:])
    from .write import read_tree

    actual = read_tree(out_dir)
    actual.pop(MANIFEST, None)
    if set(actual) != set(expected):
        return False
    return all(hashlib.sha256(data).hexdigest() == expected[name] for name, data in actual.items())


def _manifest(specs: list, fingerprint: str, files: dict[str, bytes]) -> str:  # type: ignore[type-arg]
    import hashlib

    from .provenance import header

    lines = [header([(s.name, s.sha256) for s in specs]), f"inputs {fingerprint}"]
    lines += [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(files.items())]
    return "\n".join(lines) + "\n"


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "missing"


class _Validator:
    """openapi-spec-validator over every spec, in a forked worker while the main process builds.

    A spec that passed before (same bytes, same validator) is not validated again.
    """

    def __init__(self, specs: list, cache: Cache) -> None:  # type: ignore[type-arg]
        self._cache = cache
        self._keys = {s.name: Cache.key("openapi-spec-validator", _version("openapi-spec-validator"),
                                        s.sha256) for s in specs}
        self._specs = [s for s in specs if cache.get("validated", self._keys[s.name]) is None]
        self._pool: multiprocessing.pool.Pool | None = None
        self._result: multiprocessing.pool.AsyncResult | None = None  # type: ignore[type-arg]
        self._problems: list[Problem] | None = None

    def __enter__(self) -> Self:
        if not self._specs:
            self._problems = []
            return self
        try:
            self._pool = multiprocessing.get_context("fork").Pool(1)
            self._result = self._pool.apply_async(_validate_all, (self._specs,))
        except (OSError, ValueError):  # no fork on this platform: validate in process, later
            self._pool = None
        return self

    def problems(self) -> list[Problem]:
        if self._problems is None:
            if self._result is not None:
                self._problems = self._result.get()
            else:
                self._problems = _validate_all(self._specs)
            failed = {p.file for p in self._problems}
            for spec in self._specs:
                if spec.name not in failed:
                    self._cache.put("validated", self._keys[spec.name], "ok")
        return self._problems

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()


def _validate_all(specs: list) -> list[Problem]:  # type: ignore[type-arg]
    from .validate import openapi_problems

    return [p for spec in specs for p in openapi_problems(spec)]


__all__ = ["Paths", "Problem", "Report", "SpecError", "generate"]
