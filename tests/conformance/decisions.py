"""The checked-in decisions (decisions.yaml): every difference the judge may find, with its evidence.

An entry lists the differences it covers (`differences`: operation, part, pointer, kind; a list
in any of them expands to every combination) and why our side is right or what is pending:

- `verdict: ours`: we differ on purpose. `rank` is the rank of the evidence we follow (1 live
  probes and acceptance-tested code, 2 the official SDKs' metadata, 3 the documents' examples,
  4 their tables) and `against` the official SDK's position: `contradicted` (its metadata says
  otherwise and rank-1 evidence outranks it), `silent` (it lacks the field, route or value:
  absence is no evidence, and the documents stand), `not-wire` (both agree on the wire; they
  differ in what a reader does with a value, e.g. one the documents' example got wrong).
  `unverified` (a response field's type or name, on which the SDK and the documents disagree with
  no rank-1 evidence either way: what we send is unaffected, our lenient reader keeps whatever
  comes, and a live check decides; such an entry may only list `reading` differences).
- `verdict: pending-runtime`: fixed outside the spec by another part of the project (`owner`);
  the entry goes stale, and must be removed, when that change is merged.

A difference no entry lists fails the judge, and so does an entry difference that no case shows
(stale: the spec or a client changed, and the record must follow).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.extensions.sources import evidence_problems

from .compare import Difference

FILE = Path(__file__).resolve().parent / "decisions.yaml"

PARTS = ("call", "method", "host", "path", "query", "header", "body", "reading", "error")
KINDS = ("only-ours", "only-theirs", "value", "undeclared-ours")
VERDICTS = ("ours", "pending-runtime")
AGAINST = ("contradicted", "silent", "not-wire", "unverified")


@dataclass(frozen=True)
class Decision:
    id: str
    verdict: str
    differences: frozenset[tuple[str, str, str, str]]


def load(path: Path = FILE) -> list[Decision]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    problems = [p for i, entry in enumerate(entries) for p in entry_problems(i, entry)]
    if problems:
        raise ValueError(f"{path.name}:\n  " + "\n  ".join(problems))
    decisions = [
        Decision(entry["id"], entry["verdict"], frozenset(expand(entry["differences"])))
        for entry in entries
    ]
    owner: dict[tuple[str, str, str, str], str] = {}
    for decision in decisions:
        for key in decision.differences:
            if key in owner:
                problems.append(f"{key} is listed by both {owner[key]} and {decision.id}")
            owner[key] = decision.id
    ids = [d.id for d in decisions]
    problems += [f"two entries are named {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise ValueError(f"{path.name}:\n  " + "\n  ".join(problems))
    return decisions


def expand(differences: list[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    out = []
    for item in differences:
        axes = [as_list(item.get(name, "")) for name in ("operation", "part", "pointer", "kind")]
        out += [tuple(combination) for combination in itertools.product(*axes)]
    return out  # type: ignore[return-value]


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def entry_problems(index: int, entry: Any) -> list[str]:
    where = f"entry {index} ({entry.get('id', '?') if isinstance(entry, dict) else '?'})"
    if not isinstance(entry, dict):
        return [f"{where}: not a mapping"]
    problems = []
    for key in ("id", "summary", "verdict", "rank", "evidence", "differences"):
        if not entry.get(key):
            problems.append(f"{where}: needs {key}")
    if entry.get("verdict") not in VERDICTS:
        problems.append(f"{where}: verdict must be one of {VERDICTS}")
    if entry.get("rank") not in (1, 2, 3, 4):
        problems.append(f"{where}: rank must be 1-4")
    if entry.get("verdict") == "ours":
        against = entry.get("against")
        if against not in AGAINST:
            problems.append(f"{where}: against must be one of {AGAINST}")
        elif against == "contradicted" and entry.get("rank") != 1:
            problems.append(f"{where}: only rank-1 evidence outranks the official SDK's metadata")
    parts = [p for item in entry.get("differences") or [] for p in as_list(item.get("part", ""))]
    if entry.get("against") == "unverified" and any(p != "reading" for p in parts):
        problems.append(f"{where}: an unverified decision lists only reading differences")
    if entry.get("verdict") == "pending-runtime" and not entry.get("owner"):
        problems.append(f"{where}: a pending-runtime decision names its owner")
    problems += [f"{where}: {p}" for p in evidence_problems(entry.get("evidence"))]
    for item in entry.get("differences") or []:
        if set(item) - {"operation", "part", "pointer", "kind"}:
            problems.append(f"{where}: unknown keys in {item}")
        if any(p not in PARTS for p in as_list(item.get("part", ""))):
            problems.append(f"{where}: part must be one of {PARTS}: {item}")
        if any(k not in KINDS for k in as_list(item.get("kind", ""))):
            problems.append(f"{where}: kind must be one of {KINDS}: {item}")
    return problems


@dataclass
class Verdict:
    unlisted: list[Difference]
    stale: list[tuple[str, tuple[str, str, str, str]]]
    used: set[str]


def judge(found: set[Difference], decisions: list[Decision]) -> Verdict:
    """Which differences no decision lists, and which listed differences no case showed."""
    listed = {key: d.id for d in decisions for key in d.differences}
    seen = {d.key() for d in found}
    return Verdict(
        unlisted=sorted((d for d in found if d.key() not in listed), key=Difference.key),
        stale=sorted((d.id, key) for d in decisions for key in d.differences if key not in seen),
        used={listed[key] for key in seen if key in listed},
    )
