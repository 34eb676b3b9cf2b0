"""`x-source` (an operation; any node for `decisions`): where the spec was written from, and why.

On an operation it names the public sources an operation beyond the seed documents was written
from: `pages` (help-center URLs), `sdk` (`package`, `version`, `models` of the official Python
SDK) and `peers` (`owner/repository:path` of code that calls the live service). On any node
(the document, an operation, a parameter, a schema, a property) it may hold `decisions`: what
the spec says there because of live evidence (issue 19), each `{summary, rank, evidence}` with
rank 1 live probes and acceptance-tested code, 2 the official SDKs' metadata, 3 the documents'
examples, 4 their tables, and each piece of evidence a `{source, quote}` whose source says where
it is. The conformance judge's decisions file has the same shape (tests/conformance). The
rendered reference shows every decision under its node and on a page of its own
(`generator/publish/docs.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..context import SpecContext
from ..problems import escape
from .contract import Extension

KEY = "x-source"
OPERATION_KEYS = ("pages", "sdk", "peers", "decisions")
SDK_KEYS = frozenset({"package", "version", "models"})
RANKS = {
    1: "live probes and acceptance-tested production code",
    2: "the official SDKs' generated metadata",
    3: "the documents' examples",
    4: "the documents' tables",
}
# Where a piece of evidence is: repository@commit:path:line, an official SDK package's
# name==version:path:line, a row of shared/reading/live-evidence.md, a line of the seed
# documents, or a help-center page.
SOURCE = re.compile(
    r"[\w.-]+/[\w.-]+@[0-9a-f]{7,40}:\S+:\d+(-\d+)?"
    r"|[\w-]+==[\w.]+:\S+:\d+(-\d+)?"
    r"|live-evidence [DC]\d+"
    r"|doc \d{3}_[0-9a-f]{16}\.txt:\d+(-\d+)?"
    r"|https://support\.huaweicloud\.com/\S+"
)
_CLASS = re.compile(r"[A-Z]\w*")
_PEER = re.compile(r"^[\w.-]+/[\w.-]+:[\w./-]+$")  # owner/repository:path
_SDK_PACKAGE = re.compile(r"huaweicloudsdk[a-z]+")
_VERSION = re.compile(r"\d+\.\d+\.\d+")


@dataclass(frozen=True)
class Evidence:
    source: str
    quote: str


@dataclass(frozen=True)
class Decision:
    """One recorded decision, on the node at `ptr`."""

    ptr: str
    summary: str
    rank: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Sources:
    decisions: tuple[Decision, ...] = ()


def read(spec: SpecContext) -> Sources:
    found: list[Decision] = []
    operations = {op.ptr for op in spec.operations}
    for ptr, holder in holders(spec.data):
        where = f"{ptr}/{KEY}"
        problems = source_problems(holder[KEY], on_operation=ptr in operations)
        for problem in problems:
            spec.report(where, problem)
        if problems:
            continue
        found += [
            Decision(ptr, " ".join(str(d["summary"]).split()), d["rank"],
                     tuple(Evidence(str(e["source"]), str(e["quote"])) for e in d["evidence"]))
            for d in holder[KEY].get("decisions") or ()
        ]
    return Sources(tuple(found))


def holders(node: Any, ptr: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping that carries `x-source`, with its JSON pointer (examples are data, skipped)."""
    if isinstance(node, dict):
        if KEY in node:
            yield ptr, node
        for name, value in node.items():
            if name not in (KEY, "example", "examples"):
                yield from holders(value, f"{ptr}/{escape(str(name))}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from holders(value, f"{ptr}/{i}")


def source_problems(source: Any, *, on_operation: bool) -> list[str]:
    """What is wrong with an `x-source` value: on an operation it may name pages, SDK models and
    peers besides decisions (and must name one of them); elsewhere it holds only decisions."""
    if not isinstance(source, dict) or not source:
        return [f"{KEY} must be a non-empty mapping"]
    allowed = OPERATION_KEYS if on_operation else ("decisions",)
    problems = [f"unknown key {key!r}" + ("" if on_operation else "; beside a node other than "
                                          "an operation it holds only decisions")
                for key in source if key not in allowed]
    pages = source.get("pages", [])
    if not isinstance(pages, list) or not all(str(p).startswith("https://") for p in pages):
        problems.append("pages must be a list of https URLs")
    sdk = source.get("sdk")
    if sdk is not None:
        problems += _sdk_problems(sdk)
    peers = source.get("peers", [])
    if not isinstance(peers, list) or not all(_PEER.match(str(p)) for p in peers):
        problems.append("peers must be a list of owner/repository:path")
    decisions = source.get("decisions", [])
    if not isinstance(decisions, list):
        problems.append("decisions must be a list")
    else:
        problems += [f"decision {i}: {p}" for i, d in enumerate(decisions)
                     for p in record_problems(d)]
    if on_operation and not pages and sdk is None and not decisions:
        problems.append(f"{KEY} names no page and no SDK model")
    return problems


def _sdk_problems(sdk: Any) -> list[str]:
    if not isinstance(sdk, dict) or set(sdk) != SDK_KEYS:
        return [f"sdk needs exactly {sorted(SDK_KEYS)}"]
    problems = []
    if not _SDK_PACKAGE.fullmatch(str(sdk["package"])):
        problems.append(f"sdk package {sdk['package']!r} is not an official SDK package")
    if not _VERSION.fullmatch(str(sdk["version"])):
        problems.append(f"sdk version {sdk['version']!r} is not a release number")
    models = sdk["models"]
    if not (models and isinstance(models, list) and all(_CLASS.fullmatch(str(m)) for m in models)):
        problems.append("sdk models must be a non-empty list of class names")
    return problems


def record_problems(record: Any) -> list[str]:
    """A decision: `summary`, `rank` (1-4) and `evidence`, nothing else."""
    if not isinstance(record, dict):
        return ["a decision must be a mapping"]
    problems = [
        f"unknown key {key!r}" for key in record if key not in ("summary", "rank", "evidence")
    ]
    if not str(record.get("summary", "")).strip():
        problems.append("a decision needs a summary")
    if record.get("rank") not in RANKS:
        problems.append("rank must be 1-4")
    return problems + evidence_problems(record.get("evidence"))


def evidence_problems(evidence: Any) -> list[str]:
    """An evidence list: each item a source of a known form (SOURCE) and a quote."""
    if not isinstance(evidence, list) or not evidence:
        return ["evidence must be a non-empty list"]
    return [
        f"evidence needs a source of a known form and a quote: {item}"
        for item in evidence
        if not isinstance(item, dict)
        or not SOURCE.fullmatch(str(item.get("source", "")))
        or not item.get("quote")
    ]


def of(spec: SpecContext) -> Sources:
    return spec.facts(EXTENSION)


EXTENSION = Extension("sources", (KEY,), read)
