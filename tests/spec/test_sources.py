"""Operations beyond the seed documents name their public sources in `x-source`.

An operation whose fixtures all come from somewhere other than the seed documents (a public
page's example, or built from a schema) must say, in `x-source`, which help-center pages, which
official SDK models (package and version) and which peer code it was written from.

The shape of `x-source` (and of the decisions recorded in it on any node, issue 19) is checked by
the generator, `generator/extensions/sources.py`: every spec reads without a problem of it, and
the checks below show what it reports.
"""

from __future__ import annotations

import pytest

from generator.extensions import sources
from generator.load import load_spec
from generator.validate import read_specs
from tests.spec import fixturelib as fl

SERVICES = fl.spec_services()


def _refs(service: str) -> list[fl.OperationRef]:
    return list(fl.operations(service).values())


def test_every_x_source_of_the_specs_checks_out() -> None:
    specs = [load_spec(fl.SPEC_DIR / f"{service}.yaml") for service in SERVICES]
    contexts, problems = read_specs(specs)
    assert not [p for p in problems if sources.KEY in p.pointer], problems
    recorded = [d for spec in contexts for d in sources.of(spec).decisions]
    assert len(recorded) >= 40  # at the time of writing: 57, on documents, operations, properties
    assert {d.rank for d in recorded} >= {1, 2}


def test_a_malformed_decision_is_reported() -> None:
    bad = {"pages": ["https://support.huaweicloud.com/x.html"],
           "decisions": [{"summary": "s", "rank": 5, "evidence": [{"source": "a blog"}]}]}
    assert sources.source_problems(bad, on_operation=True) == [
        "decision 0: rank must be 1-4",
        "decision 0: evidence needs a source of a known form and a quote: {'source': 'a blog'}",
    ]


def test_beside_another_node_x_source_holds_only_decisions() -> None:
    record = {"summary": "s", "rank": 1, "evidence": [{"source": "live-evidence C5", "quote": "q"}]}
    assert sources.source_problems({"decisions": [record]}, on_operation=False) == []
    assert sources.source_problems({"pages": ["https://support.huaweicloud.com/x.html"]},
                                   on_operation=False) == [
        "unknown key 'pages'; beside a node other than an operation it holds only decisions"]


@pytest.mark.parametrize("service", SERVICES)
def test_operations_without_a_seed_document_name_their_sources(service: str) -> None:
    from_documents = {
        fx.data["operation"]
        for fx in fl.fixtures(service)
        if fl.source_kind(fx.data["source"]) == "document"
    }
    missing = sorted(
        ref.operation_id
        for ref in _refs(service)
        if ref.operation_id not in from_documents and "x-source" not in ref.operation
    )
    assert not missing, f"operations with neither a seed-document fixture nor x-source: {missing}"


def test_a_malformed_source_is_reported() -> None:
    wrong = {"pages": ["http://x"], "sdk": {"package": "boto3", "version": "1"}}
    assert sources.source_problems(wrong, on_operation=True) == [
        "pages must be a list of https URLs",
        "sdk needs exactly ['models', 'package', 'version']",
    ]
    assert sources.source_problems({"peers": ["no-colon"]}, on_operation=True) == [
        "peers must be a list of owner/repository:path",
        "x-source names no page and no SDK model",
    ]
    assert sources.source_problems({"pages": ["https://support.huaweicloud.com/x.html"]},
                                   on_operation=True) == []
