"""The real specs' IR, once per test process, through the generator's step cache.

Many test files need the IR of spec/ (some at collection, in every xdist worker). `make test`
runs `generator check` first, which leaves each spec's read and built form in `.cache/generator`
(`generator/spec_cache.py`, keyed by the spec's bytes and the generator's code): unpickling
those is a tenth of parsing, reading and building the specs again. On a miss the specs are
built as `build_api` builds them and kept there for the next process.
"""

from __future__ import annotations

from functools import cache

from generator import Paths, code_digest, spec_cache
from generator.build import api_of, build_service
from generator.cache import Cache
from generator.ir import Api
from generator.load import parse_specs, spec_sources
from generator.problems import SpecError
from generator.validate import read_specs


@cache
def real_api() -> Api:
    """The IR of spec/*.yaml, equal to `build_api(load_specs(spec/))`."""
    return ir_of(Paths())


def ir_of(paths: Paths) -> Api:
    """The IR of `paths.spec_dir`, from and into the step cache at `paths.cache_dir`."""
    store = Cache(paths.cache_dir)
    salt = code_digest(paths)
    sources, folder_problems = spec_sources(paths.spec_dir, paths.root)
    keys = [spec_cache.key(salt, source) for source in sources]
    kept = [spec_cache.get(store, key) for key in keys]
    if not folder_problems and all(kept):
        return api_of(tuple(hit[1] for hit in kept if hit))
    contexts, problems = read_specs(parse_specs(sources, folder_problems))
    if problems:
        raise SpecError(problems)
    services = tuple(build_service(context) for context in contexts)
    for key, context, service in zip(keys, contexts, services, strict=True):
        spec_cache.put(store, key, context, service)
    return api_of(services)
