"""Rendered files kept between runs, so an edit re-renders only the files whose inputs it touched.

A file is keyed by everything that shapes it: the generator's code with the pinned tools'
versions (`salt`: filters, `imports.prune_unused`, Jinja itself), the IR it prints, named by the
spec files it was built from (the IR is a function of those and the code: `spec_cache.py`), its
path, and the source of its template and of every template that one includes, imports or
extends, found by Jinja's own parser (every template, when a name is computed at render time).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from .cache import Cache

KIND = "render"
ANY_TEMPLATE = "*"  # a reference Jinja's parser cannot name


class RenderCache:
    """`files(...)` returns the cached files of a render, or produces and keeps them."""

    def __init__(self, cache: Cache, templates_dir: Path, salt: str) -> None:
        self.cache = cache
        self.templates_dir = templates_dir
        self.salt = salt
        self._sources: dict[str, str] = {}
        self.rendered: list[str] = []  # the targets produced (not served from the cache) this run

    def files(
        self, target: str, template: str, ir: str, produce: Callable[[], dict[str, str]]
    ) -> dict[str, str]:
        if not self.cache.enabled:
            self.rendered.append(target)
            return produce()
        key = Cache.key(KIND, self.salt, ir, target, *self._closure_sources(template))
        cached = self.cache.get(KIND, key)
        if cached is not None:
            found: dict[str, str] = json.loads(cached)
            return found
        self.rendered.append(target)
        files = produce()
        self.cache.put(KIND, key, json.dumps(files, sort_keys=True))
        return files

    def templates_used(self, template: str) -> list[str]:
        """`template` and every template it reaches, by name, sorted."""
        seen: set[str] = set()
        todo = [template]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            references = self._references(name)
            if references is None:
                return self._all_templates()
            todo += references
        return sorted(seen)

    def _closure_sources(self, template: str) -> list[str]:
        return [part for name in self.templates_used(template) for part in (name, self._source(name))]

    def _source(self, name: str) -> str:
        if name not in self._sources:
            self._sources[name] = (self.templates_dir / name).read_text(encoding="utf-8")
        return self._sources[name]

    def _all_templates(self) -> list[str]:
        return sorted(p.relative_to(self.templates_dir).as_posix()
                      for p in self.templates_dir.rglob("*.jinja"))

    def _references(self, name: str) -> list[str] | None:
        """The templates `name` names in include/import/extends; None when one is computed."""
        source = self._source(name)
        key = Cache.key("references", hashlib.sha256(source.encode("utf-8")).hexdigest())
        cached = self.cache.get("references", key)
        if cached is not None:
            found: list[str] | None = json.loads(cached)
            return found
        import jinja2
        import jinja2.meta

        names = list(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(source)))
        references = None if None in names else sorted({n for n in names if n is not None})
        self.cache.put("references", key, json.dumps(references))
        return references
