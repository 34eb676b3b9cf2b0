"""The conformance judge: the same logical requests through both clients, every difference named.

    judgement = judge(python)      python: the official SDK's interpreter (tools/venvs.py)

One child process of the official SDK answers every command (routes, describe, run all cases);
our side runs in this process. See tests/conformance/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cases as c
from . import decisions as d
from . import ours
from .compare import Difference, Finding, compare
from .official import OfficialSdk

REQUEST_PARTS = ("call", "method", "host", "path", "query", "header", "body")


@dataclass
class Judgement:
    pairs: list[c.Pair]
    cases: list[c.Case]
    findings: list[Finding]
    results: dict[str, tuple[dict[str, Any], dict[str, Any]]]  # case id -> (ours, theirs)
    verdict: d.Verdict
    decisions: list[d.Decision]

    @property
    def identical_requests(self) -> int:
        differing = {f.case for f in self.findings if f.difference.part in REQUEST_PARTS}
        return sum(case.id not in differing for case in self.cases)

    @property
    def identical_readings(self) -> int:
        differing = {f.case for f in self.findings if f.difference.part not in REQUEST_PARTS[1:]}
        return sum(case.id not in differing for case in self.cases)

    def summary(self) -> str:
        total = len(self.cases)
        return (
            f"{self.identical_requests}/{total} requests identical, "
            f"{self.identical_readings}/{total} readings identical "
            f"({len(self.pairs)} operations shared with the official SDK), "
            f"{len(self.decisions)} recorded decisions"
        )

    def report(self) -> str:
        """The unlisted differences (with an example of each) and the stale decisions."""
        lines = []
        example: dict[Difference, Finding] = {}
        for finding in self.findings:
            example.setdefault(finding.difference, finding)
        for difference in self.verdict.unlisted:
            f = example[difference]
            lines.append(
                f"unlisted: {{operation: {difference.operation}, part: {difference.part}, "
                f"pointer: {difference.pointer!r}, kind: {difference.kind}}}"
                f"  e.g. {f.case}: ours {f.ours!r:.80} / theirs {f.theirs!r:.80}"
            )
        for decision_id, key in self.verdict.stale:
            lines.append(f"stale: {decision_id} lists {key}, which no case shows")
        return "\n".join(lines)


def judge(python: Path, decisions_file: Path = d.FILE) -> Judgement:
    decisions = d.load(decisions_file)
    sdk = OfficialSdk(python, {"ak": ours.AK, "sk": ours.SK, "project_id": c.PROJECT_ID})
    try:
        pairs = c.pairs(sdk.routes())
        described = sdk.describe([(p.sdk, p.method) for p in pairs])
        cases = c.all_cases(pairs, described)
        theirs = {result["id"]: result for result in sdk.run([case.official() for case in cases])}
    finally:
        sdk.close()
    findings, results = [], {}
    for case in cases:
        results[case.id] = (ours.run(case), theirs[case.id])
        findings += compare(case.id, case.pair.operation, *results[case.id])
    verdict = d.judge({f.difference for f in findings}, decisions)
    return Judgement(pairs, cases, findings, results, verdict, decisions)
