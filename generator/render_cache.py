"""Rendered files kept between runs, so an edit re-renders only the files whose inputs it touched.

A file is keyed by everything that shapes it: the generator's code with the pinned tools'
versions (`salt`: filters, `imports.prune_unused`, Jinja itself), its path, the source of its
template and of every template that one includes, imports or extends, read off its tags (every
template, when a name is computed at render time), and what it prints: the values of the
variables those templates name (`context_key`), or, for the files made otherwise, the spec files
their IR was built from (the IR is a function of those and the code: `spec_cache.py`).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import Cache

KIND = "render"
SPLITS = "line-splits"
ANY_TEMPLATE = "*"  # a reference Jinja's parser cannot name


class RenderCache:
    """`files(...)` returns the cached files of a render, or produces and keeps them."""

    def __init__(self, cache: Cache, templates_dir: Path, salt: str) -> None:
        self.cache = cache
        self.templates_dir = templates_dir
        self.salt = salt
        self._sources: dict[str, str] = {}
        self.rendered: list[str] = []  # the targets produced (not served from the cache) this run
        self._splits: dict[str, list[str] | None] | None = None
        self._splits_loaded: set[str] = set()
        self._variables: dict[str, frozenset[str] | None] = {}
        self._digests: dict[int, tuple[object, str | None]] = {}

    @property
    def splits(self) -> dict[str, list[str] | None]:
        """Overlong lines split by earlier runs (`line_split.split_overlong`'s `known`): an edit
        re-renders a whole file, but its long lines are mostly the same as before."""
        if self._splits is None:
            stored = self.cache.get(SPLITS, Cache.key(SPLITS, self.salt))
            self._splits = json.loads(stored) if stored is not None else {}
            self._splits_loaded = set(self._splits)
        return self._splits

    def keep_splits(self) -> None:
        """Stores the splits this run made, and those it was given, for the next run."""
        if self._splits is not None and set(self._splits) != self._splits_loaded:
            self.cache.put(SPLITS, Cache.key(SPLITS, self.salt),
                           json.dumps(self._splits, sort_keys=True))

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

    def context_key(self, template: str, context: dict[str, Any]) -> str | None:
        """Names what `template` is given: the values of the variables it, or a template it
        reaches, reads, pickled (cheap) without a memo, so that an IR built now and one read
        back from the step cache give the same bytes; None when a value does not pickle."""
        if not self.cache.enabled:
            return None  # nothing is kept: `files` renders anyway
        read = self.variables(template)
        given = sorted(name for name in context if read is None or name in read)
        parts = [(name, self._digest(context[name])) for name in given]
        if any(digest is None for _, digest in parts):
            return None
        return Cache.key(*(f"{name}={digest}" for name, digest in parts))

    def _digest(self, value: object) -> str | None:
        """`value` pickled without a memo and hashed, once per object a run hands templates."""
        if id(value) in self._digests:
            return self._digests[id(value)][1]
        digest = _Digest()
        pickler = pickle.Pickler(digest, pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo: equal values give equal bytes however they share parts
        try:
            pickler.dump(value)
        except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
            found = None  # ValueError: a cycle, which fast mode cannot print
        else:
            found = digest.hexdigest()
        self._digests[id(value)] = (value, found)  # the value kept: its id is not reused
        return found

    def variables(self, template: str) -> frozenset[str] | None:
        """The names `template` and the templates it reaches may read: every word of their
        sources (a template reads a variable only by writing its name; a word of plain text
        only costs a render); None (any) when a filter or test is handed Jinja's context."""
        if template not in self._variables:
            from .layout import FILTERS, TESTS

            if any(hasattr(f, "jinja_pass_arg") for f in (*FILTERS.values(), *TESTS.values())):
                self._variables[template] = None
            else:
                self._variables[template] = frozenset(
                    word for name in self.templates_used(template)
                    for word in _WORD.findall(self._source(name)))
        return self._variables[template]

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
        """The templates `name` names in include/import/from/extends; None when one is computed.

        Read off the tags by a pattern, not Jinja's parser (which costs a tenth of a second on a
        large template, on every edit of it): a name is taken only when it is a string literal,
        anything else counts as computed. A tag inside a `{% raw %}` block may add a name Jinja
        would not load: a dependency too many costs nothing (a name with no file is dropped)."""
        source = _COMMENT.sub("", self._source(name))
        references: set[str] = set()
        for tag in _REFERENCE_TAG.finditer(source):
            literal = _LITERAL.match(tag["argument"])
            if literal is None or not _AFTER_NAME.fullmatch(tag["argument"][literal.end():]):
                return None
            referenced = literal["double"] if literal["double"] is not None else literal["single"]
            if (self.templates_dir / referenced).is_file():
                references.add(referenced)
        return sorted(references)


_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_REFERENCE_TAG = re.compile(r"\{%[-+]?\s*(?:include|import|from|extends)\s+(?P<argument>.*?)[-+]?%\}",
                            re.DOTALL)
_LITERAL = re.compile(r"\"(?P<double>[^\"\\]*)\"|'(?P<single>[^'\\]*)'")
# what may follow the name in the tag: anything else (`"a" if x else "b"`, `"a" ~ x`) is computed
_AFTER_NAME = re.compile(
    r"\s*(?:ignore\s+missing\s*)?(?:with(?:out)?\s+context\s*)?|\s+(?:as|import)\s+[^%]*", re.DOTALL
)


class _Digest:
    """A file-like sink for a pickler: the sha256 of what is written, nothing kept."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._sha.update(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._sha.hexdigest()
