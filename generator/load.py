"""Read spec/*.yaml into plain Python data, remembering the file and line of every node."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .problems import Problem, SpecError, escape
from .provenance import display_path

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True)
class SpecFile:
    """One loaded spec: its text, hash, data and a line for every JSON pointer."""

    path: Path
    name: str  # as shown to people: relative to the project, e.g. "spec/cdm.yaml"
    sha256: str
    data: dict[str, Any]
    lines: dict[str, int] = field(repr=False)

    def line_of(self, ptr: str) -> int:
        """Line of the node at `ptr`, or of its closest existing ancestor."""
        while ptr not in self.lines and ptr:
            ptr = ptr.rsplit("/", 1)[0]
        return self.lines.get(ptr, 1)

    def problem(self, ptr: str, message: str) -> Problem:
        return Problem(self.name, self.line_of(ptr), ptr, message)


STRAY_SPEC_SUFFIXES = (".yml", ".json")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class SpecSource:
    """A spec file's bytes, not yet parsed: enough to find its read form in the step cache."""

    path: Path
    name: str
    raw: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def spec_sources(
    spec_dir: Path, display_root: Path | None = None
) -> tuple[list[SpecSource], list[Problem]]:
    """The bytes of every `*.yaml` of `spec_dir`, sorted by name, and the problems of the folder."""
    files = sorted(spec_dir.glob("*.yaml"))
    # a spec under another extension would silently drop out of the package: say so instead
    strays = sorted(p for ext in STRAY_SPEC_SUFFIXES for p in spec_dir.glob(f"*{ext}"))
    problems = [
        Problem(_display_name(p, display_root), 1, "", "spec files must end in .yaml; rename it")
        for p in strays
    ]
    if not files and not problems:
        problems.append(Problem(str(spec_dir), 1, "", "no *.yaml spec files found"))
    sources = [SpecSource(p, _display_name(p, display_root), p.read_bytes()) for p in files]
    return sources, problems


def load_specs(spec_dir: Path, display_root: Path | None = None) -> list[SpecFile]:
    """Load every `*.yaml` of `spec_dir`, sorted by name; raise SpecError listing all problems."""
    sources, problems = spec_sources(spec_dir, display_root)
    return parse_specs(sources, problems)


def parse_specs(sources: list[SpecSource], problems: list[Problem] | None = None) -> list[SpecFile]:
    """Each source parsed; SpecError listing `problems` and those of every source."""
    specs, problems = [], list(problems or [])
    for source in sources:
        try:
            specs.append(parse_spec(source))
        except SpecError as err:
            problems.extend(err.problems)
    if problems:
        raise SpecError(problems)
    return specs


def load_spec(path: Path, display_root: Path | None = None) -> SpecFile:
    return parse_spec(SpecSource(path, _display_name(path, display_root), path.read_bytes()))


def parse_spec(source: SpecSource) -> SpecFile:
    import yaml  # here: a run that finds every spec in the step cache parses none

    # the C loader is ~10x faster; PyYAML wheels ship it
    loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw, name = source.raw, source.name
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise SpecError([Problem(name, line, "", f"not UTF-8: {err.reason}")]) from None
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(p for p in (err.context, err.problem) if p)
        raise SpecError([Problem(name, line, "", f"invalid YAML: {what}")]) from None
    if not isinstance(node, yaml.MappingNode):
        raise SpecError([Problem(name, 1, "", "the document must be a YAML mapping")])
    builder = _Builder(name)
    data = builder.build(node, "")
    if builder.problems:
        raise SpecError(builder.problems)
    return SpecFile(source.path, name, source.sha256, data, builder.lines)


def _display_name(path: Path, root: Path | None) -> str:
    return path.as_posix() if root is None else display_path(path, root)


class _Builder:
    """Turns a composed YAML node tree into data, recording lines and rejecting duplicate keys."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        import yaml

        self._yaml = yaml
        self._scalars = yaml.SafeLoader("")  # only its scalar constructors are used

    def build(self, node: yaml.Node, ptr: str) -> Any:
        self.lines[ptr] = node.start_mark.line + 1
        yaml = self._yaml
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node, ptr)
                token = str(key)
                child = f"{ptr}/{escape(token) if '~' in token or '/' in token else token}"
                if key in out:
                    first = self.lines.get(child, 0)
                    self.problems.append(
                        Problem(self.name, key_node.start_mark.line + 1, child,
                                f"duplicate key {key!r} (first defined on line {first})")
                    )
                    continue
                out[key] = self.build(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{ptr}/{i}") for i, item in enumerate(node.value)]
        return self._scalar(node, ptr)

    def _scalar(self, node: yaml.Node, ptr: str = "") -> Any:
        if node.tag == _STR_TAG and isinstance(node, self._yaml.ScalarNode):
            return node.value  # what the constructor returns for a string: most scalars are
        if not isinstance(node, self._yaml.ScalarNode):
            self.problems.append(
                Problem(self.name, node.start_mark.line + 1, ptr, "mapping keys must be scalars")
            )
            return repr(node)
        return self._scalars.construct_object(node, deep=True)
