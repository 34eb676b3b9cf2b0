"""The generation pipeline: load → validate → build the IR → models → render → format → write.

Validate reads each spec whole (`validate.py`): the plain-OpenAPI rules, then every spec
extension of `registry.py`, whose typed facts the build uses; no raw extension value gets past it.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .load import STRAY_SPEC_SUFFIXES, SpecFile, SpecSource
from .problems import Problem, SpecError
from .provenance import display_path

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from .context import SpecContext
    from .ir import Service
    from .render_cache import RenderCache
    from .workers import LazyPool

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = "MANIFEST"
REFERENCE = "api.md"
# how the tree's MANIFEST and the reports name the reference: relative to the tree
REFERENCE_NAME = f"../{REFERENCE}"
PINNED_TOOLS = ("black", "datamodel-code-generator", "jinja2", "openapi-spec-validator", "pyyaml")


@dataclass
class Paths:
    """Where the inputs and the output live; tests point these at their own trees."""

    root: Path = ROOT
    spec_dir: Path = ROOT / "spec"
    templates_dir: Path = ROOT / "templates"
    out_dir: Path = ROOT / "generated"
    cache_dir: Path | None = ROOT / ".cache" / "generator"  # None: recompute everything

    @property
    def reference(self) -> Path:
        """The Python API reference, written beside the tree (the repository's `api.md`)."""
        return self.out_dir.parent / REFERENCE

    def inputs(self) -> list[tuple[str, Path]]:
        """Every file whose content shapes the output, by a name relative to the root."""
        specs = [p for ext in (".yaml", *STRAY_SPEC_SUFFIXES) for p in self.spec_dir.glob(f"*{ext}")]
        files = [*sorted(specs), *sorted(self.templates_dir.rglob("*")), *generator_sources(self.root)]
        return [(display_path(p, self.root), p) for p in files
                if p.is_file() and "__pycache__" not in p.parts]


@dataclass
class Report:
    """What a run did: files differing from the tree on disk (names relative to the tree; the
    reference beside it is `REFERENCE_NAME`), whether it wrote, how long it took."""

    changed: list[str] = field(default_factory=list)
    written: bool = False
    up_to_date_by_manifest: bool = False
    seconds: float = 0.0
    rendered: list[str] = field(default_factory=list)  # files rendered, not taken from the cache


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
    rendered: list[str] = []
    files, reference = build_files(paths, fingerprint, rendered)

    from .write import differences, write_file, write_tree

    changed = differences(paths.out_dir, files)
    if _read(paths.reference) != reference:
        changed.append(REFERENCE_NAME)
    written = False
    if not check:
        in_tree = [name for name in changed if name != REFERENCE_NAME]
        written = write_tree(paths.out_dir, files, in_tree)
        written = write_file(paths.reference, reference) or written
    return Report(changed, written, False, time.perf_counter() - started, sorted(rendered))


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def build_files(
    paths: Paths, fingerprint: str, rendered: list[str] | None = None
) -> tuple[dict[str, bytes], bytes]:
    """Every file of the tree, and the reference beside it, in memory; `rendered` receives the
    files rendered (not from the cache).

    Each step takes what it can from the step cache (`.cache/generator/`): a spec unchanged since
    an earlier run is not parsed, read or built again (`spec_cache.py`), a file whose template
    and IR are unchanged is not rendered again (`render_cache.py`), black runs on changed text
    only (`format.py`), and not on the pieces of a template printing black's layout (or of
    datamodel-code-generator's models) that fit, overlong lines split as black splits them
    (`line_split.py`). Worker processes (`workers.py`) start when a cold run begins (one per
    core), importing black while this process reads, builds and renders, or when work is handed
    to them (the validator, pieces for black); they run the OpenAPI validator,
    datamodel-code-generator (one job per spec whose models are not cached) and black.
    """
    from .load import parse_specs, spec_sources
    from .openapi_rules import REF_MESSAGES, merge_problems
    from .workers import workers

    cache = Cache(paths.cache_dir)
    salt = code_digest(paths)
    sources, folder_problems = spec_sources(paths.spec_dir, paths.root)
    if folder_problems:
        parse_specs(sources, folder_problems)  # raises, with the problems of every file
    with workers() as pool:
        contexts, services, problems = _read_and_build(sources, cache, salt, pool)
        specs = [context.spec for context in contexts]
        # openapi-spec-validator cannot walk a document whose $refs are broken; the rules said why
        broken = {p.file for p in problems if p.message.startswith(REF_MESSAGES)}
        validator = _Validator([s for s in specs if s.name not in broken], cache, pool)
        if problems:
            raise SpecError(merge_problems(problems, validator.problems()))
        from .models import start_models

        # on a worker beside the validator's, while this process renders
        pending = start_models(services, cache, salt, pool)
        try:
            files, reference = _render_and_format(
                paths, contexts, services, cache, salt, pool, rendered, pending
            )
        except SpecError:
            raise
        except Exception:
            if validator.problems():  # the build tripped over something the validator explains
                raise SpecError(validator.problems()) from None
            raise
        if validator.problems():
            raise SpecError(validator.problems())
    out = {name: text.encode("utf-8") for name, text in files.items()}
    beside = reference.encode("utf-8")
    out[MANIFEST] = _manifest(specs, fingerprint, {**out, REFERENCE_NAME: beside}).encode("utf-8")
    return out, beside


def _read_and_build(
    sources: list[SpecSource], cache: Cache, salt: str, pool: LazyPool | None = None
) -> tuple[list[SpecContext], tuple[Service, ...], list[Problem]]:
    """Each spec read and built (or taken from the step cache); the IR only when no problem.

    When no spec is kept (a cold run), the workers start now, one per core, and import black
    while this process reads and renders. An edit starts none: the templates print black's
    layout, and its few pieces left for black, if any, start the pool when handed in."""
    from . import spec_cache
    from .load import parse_specs
    from .validate import check_across, read_spec

    keys = [spec_cache.key(salt, source) for source in sources]
    kept = [spec_cache.get(cache, key) for key in keys]
    if pool is not None and not any(kept):
        pool.start()  # cold: the validator and the models' overlong pieces keep every core busy
    parsed = iter(parse_specs([s for s, hit in zip(sources, kept, strict=True) if hit is None]))
    contexts = [hit[0] if hit else read_spec(next(parsed)) for hit in kept]
    problems = check_across(contexts)
    if problems:
        return contexts, (), problems
    from .build import build_service

    services = []
    for key, hit, context in zip(keys, kept, contexts, strict=True):
        if hit is None:
            service = build_service(context)
            spec_cache.put(cache, key, context, service)
        else:
            service = hit[1]
        services.append(service)
    return contexts, tuple(services), []


def _render_and_format(
    paths: Paths, contexts: list[SpecContext], services: tuple[Service, ...], cache: Cache,
    salt: str, pool: LazyPool | None, rendered: list[str] | None = None,
    pending: Future[dict[str, str]] | None = None,
) -> tuple[dict[str, str], str]:
    """The tree's files and the reference's text (api.md, read off the tree's files)."""
    import os

    from .build import api_of
    from .format import Formatter
    from .reference import TEMPLATE as REFERENCE_TEMPLATE
    from .reference import render_reference
    from .render import render, service_ir
    from .render_cache import RenderCache

    api = api_of(services)
    memo = RenderCache(cache, paths.templates_dir, salt)
    memo.rendered = rendered if rendered is not None else []
    output = render(api, paths.templates_dir, paths.root, paths.cache_dir, memo)
    formatter = Formatter(cache, pool)
    formatter.submit(output.to_format, output.black_layout)  # black works while dcg runs below
    for service in api.services:
        spec = next(c.spec for c in contexts if c.spec.name == service.spec_file)
        models = memo.files(f"dataarts/{service.name}/models.py", "models.py.jinja",
                            service_ir(service), partial(_models, paths, service, spec, memo, pending))
        formatter.submit(models, black_layout=[n for n in models if n.endswith("/models.py")],
                         model_layout=[n for n in models if "/_models/" in n])
    files = {**formatter.result(), **output.verbatim}
    tree = Path(os.path.relpath(paths.out_dir, paths.reference.parent)).as_posix()
    # api.md prints the IR and links each model to the module defining it: keyed by both
    model_modules = hashlib.sha256(
        "".join(f"{p}\0{t}\0" for p, t in sorted(files.items()) if "/_models/" in p).encode()
    ).hexdigest()
    ir = " ".join([*map(service_ir, api.services), f"tree {tree}", f"models {model_modules}"])
    reference = memo.files(
        REFERENCE_NAME, REFERENCE_TEMPLATE, ir,
        lambda: {REFERENCE_NAME: render_reference(
            api, files, paths.templates_dir, tree, paths.cache_dir)},
    )
    memo.keep_splits()
    return files, reference[REFERENCE_NAME]


def _models(
    paths: Paths, service: Service, spec: SpecFile, memo: RenderCache,
    pending: Future[dict[str, str]] | None = None,
) -> dict[str, str]:
    """The models' files of a service: datamodel-code-generator's source, cut and laid out."""
    from .models import render_models
    from .render import models_module

    try:
        models = render_models(service, memo.cache, memo.salt, pending)
    except Exception as exc:  # noqa: BLE001 - reported like any other spec problem
        message = f"datamodel-code-generator failed: {type(exc).__name__}: {exc}"
        raise SpecError([spec.problem("/components/schemas", message)]) from None
    return models_module(service, models, paths.templates_dir, paths.cache_dir, memo.cache,
                         memo.salt, memo.splits)


def input_fingerprint(paths: Paths) -> str:
    from .provenance import fingerprint

    return fingerprint(paths.inputs(), _tool_versions())


def manifest_matches(out_dir: Path, fingerprint: str) -> bool:
    """True when the tree and the reference beside it were generated from these exact inputs and
    nobody has edited them since."""
    from .write import read_tree

    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        return False
    lines = [ln for ln in manifest.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    if not lines or lines[0] != f"inputs {fingerprint}":
        return False
    expected = dict(reversed(line.split("  ", 1)) for line in lines[1:])
    actual = read_tree(out_dir)
    actual.pop(MANIFEST, None)
    reference = _read(out_dir.parent / REFERENCE)
    if reference is not None:
        actual[REFERENCE_NAME] = reference
    if set(actual) != set(expected):
        return False
    return all(hashlib.sha256(data).hexdigest() == expected[name] for name, data in actual.items())


def _manifest(specs: list[SpecFile], fingerprint: str, files: dict[str, bytes]) -> str:
    from .provenance import header

    lines = [header([(s.name, s.sha256) for s in specs]), f"inputs {fingerprint}"]
    lines += [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in sorted(files.items())]
    return "\n".join(lines) + "\n"


def code_digest(paths: Paths) -> str:
    """Identifies the generator code and pinned tools, so cached results die with a change."""
    from .provenance import fingerprint

    code = [(display_path(p, paths.root), p) for p in generator_sources(paths.root)]
    return fingerprint(code, _tool_versions())


def generator_sources(root: Path) -> list[Path]:
    """The generator's own modules (its publishing steps aside: they shape no generated file)."""
    package = root / "generator"
    return sorted(p for p in package.rglob("*.py")
                  if "__pycache__" not in p.parts and (package / "publish") not in p.parents)


@lru_cache(maxsize=1)
def _tool_versions() -> list[str]:
    return [f"{tool}=={_version(tool)}" for tool in PINNED_TOOLS]


def _version(dist: str) -> str:
    from .versions import version

    return version(dist) or "missing"


class _Validator:
    """openapi-spec-validator over every spec, on the pool while the main process builds.

    A spec that passed before is not validated again: one with the same bytes, or one that
    differs from it only in descriptions and summaries (`openapi_rules.without_free_text`).
    """

    def __init__(self, specs: list[SpecFile], cache: Cache, pool: Executor | None) -> None:
        self._cache = cache
        self._version = _version("openapi-spec-validator")
        self._keys = {s.name: [self._key(s.sha256)] for s in specs}
        self._specs = [s for s in specs if not self._passed(s)]
        self._future: Future[list[Problem]] | None = None
        self._problems: list[Problem] | None = None
        if not self._specs:
            self._problems = []
        elif pool is not None:
            self._future = pool.submit(_validate_all, self._specs)

    def _key(self, *parts: str) -> str:
        return Cache.key("openapi-spec-validator", self._version, *parts)

    def _passed(self, spec: SpecFile) -> bool:
        if not self._cache.enabled:
            return False
        if self._cache.get("validated", self._keys[spec.name][0]) is not None:
            return True
        from .openapi_rules import without_free_text

        shape = repr(without_free_text(spec.data))  # repr tells a date from its text
        self._keys[spec.name].append(self._key("without free text", shape))
        return self._cache.get("validated", self._keys[spec.name][1]) is not None

    def problems(self) -> list[Problem]:
        if self._problems is None:
            self._problems = self._future.result() if self._future else _validate_all(self._specs)
            failed = {p.file for p in self._problems}
            for spec in self._specs:
                if spec.name not in failed:
                    for key in self._keys[spec.name]:
                        self._cache.put("validated", key, "ok")
        return self._problems


def _validate_all(specs: list[SpecFile]) -> list[Problem]:
    from .openapi_rules import openapi_problems

    return [p for spec in specs for p in openapi_problems(spec)]


__all__ = ["Paths", "Problem", "Report", "SpecError", "generate"]
