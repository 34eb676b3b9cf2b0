"""Each spec's read and built form (its SpecContext and Service), kept between runs.

Keyed by the spec's bytes, its path and name, and the generator's code with the pinned tools'
versions (`salt`): `validate.read_spec` and `build.build_service` look at nothing else (no other
file, no clock), so equal keys mean equal results. Only a spec read without a problem is kept,
and the rules across spec files (`validate.check_across`) run again on every run, over the kept
contexts: they hold the facts those rules use (pickled; the others are dropped).
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

from . import registry
from .cache import Cache

if TYPE_CHECKING:
    from .context import SpecContext
    from .ir import Service
    from .load import SpecSource

KIND = "specs"
# the facts `across` rules read; every other extension's facts are only needed to build
ACROSS_FACTS = {extension.name for extension in registry.EXTENSIONS if extension.across}


def key(salt: str, source: SpecSource) -> str:
    return Cache.key(KIND, salt, str(source.path), source.name, source.raw)


def get(cache: Cache, entry: str) -> tuple[SpecContext, Service] | None:
    data = cache.get_bytes(KIND, entry)
    if data is None:
        return None
    try:
        context, service = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged entry is recomputed
        return None
    return context, service


def put(cache: Cache, entry: str, context: SpecContext, service: Service) -> None:
    if not cache.enabled or context.problems:
        return
    context.keep_facts(ACROSS_FACTS)
    try:
        data = pickle.dumps((context, service), pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # something in it does not pickle: this spec is read again next time (slower)
    cache.put_bytes(KIND, entry, data)
