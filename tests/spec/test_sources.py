"""Operations beyond the seed documents name their public sources in `x-source`.

An operation whose fixtures all come from somewhere other than the seed documents (a public
page's example, or built from a schema) must say, in `x-source`, which help-center pages, which
official SDK models (package and version) and which peer code it was written from.

Decisions taken on the live evidence (issue 19) are recorded under `x-source.decisions` on the
node they decide (the document, an operation, a parameter, a schema or property), each with the
shape of the conformance judge's decisions (tests/conformance/decisions.py): `summary`, `rank`
and `evidence` (source and quote).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conformance.decisions import record_problems
from tests.spec import fixturelib as fl

SERVICES = fl.spec_services()
SOURCE_KEYS = {"pages", "sdk", "peers", "decisions"}
SDK_KEYS = {"package", "version", "models"}
CLASS = re.compile(r"[A-Z]\w*")
PEER = re.compile(r"^[\w.-]+/[\w.-]+:[\w./-]+$")  # owner/repository:path


def _refs(service: str) -> list[fl.OperationRef]:
    return list(fl.operations(service).values())


def source_problems(source: Any) -> list[str]:
    if not isinstance(source, dict) or not source:
        return ["x-source must be a non-empty mapping"]
    problems = [f"unknown key {key!r}" for key in source if key not in SOURCE_KEYS]
    pages = source.get("pages", [])
    if not isinstance(pages, list) or not all(str(p).startswith("https://") for p in pages):
        problems.append("pages must be a list of https URLs")
    sdk = source.get("sdk")
    if sdk is not None:
        if not isinstance(sdk, dict) or set(sdk) != SDK_KEYS:
            problems.append(f"sdk needs exactly {sorted(SDK_KEYS)}")
        else:
            if not re.fullmatch(r"huaweicloudsdk[a-z]+", str(sdk["package"])):
                problems.append(f"sdk package {sdk['package']!r} is not an official SDK package")
            if not re.fullmatch(r"\d+\.\d+\.\d+", str(sdk["version"])):
                problems.append(f"sdk version {sdk['version']!r} is not a release number")
            models = sdk["models"]
            named = isinstance(models, list) and all(CLASS.fullmatch(str(m)) for m in models)
            if not (models and named):
                problems.append("sdk models must be a non-empty list of class names")
    peers = source.get("peers", [])
    if not isinstance(peers, list) or not all(PEER.match(str(p)) for p in peers):
        problems.append("peers must be a list of owner/repository:path")
    decisions = source.get("decisions", [])
    if not isinstance(decisions, list):
        problems.append("decisions must be a list")
    else:
        problems += [f"decision {i}: {p}" for i, d in enumerate(decisions) for p in record_problems(d)]
    if not pages and sdk is None and not decisions:
        problems.append("x-source names no page and no SDK model")
    return problems


def x_sources(node: Any, pointer: str = "") -> list[tuple[str, Any]]:
    """Every `x-source` of a document, with the JSON pointer of the node it belongs to."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-source":
                found.append((pointer or "/", value))
            else:
                found += x_sources(value, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += x_sources(value, f"{pointer}/{i}")
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_decisions_recorded_on_any_node_have_their_shape(service: str) -> None:
    problems = []
    for pointer, source in x_sources(fl.load_spec(service)):
        if "/paths/" in pointer and pointer.count("/") == 3:
            continue  # an operation's x-source: checked whole above
        if not isinstance(source, dict) or set(source) != {"decisions"}:
            problems.append(f"{pointer}: an x-source beside an operation holds only decisions")
            continue
        problems += [f"{pointer}: {p}" for p in source_problems(source)
                     if p != "x-source names no page and no SDK model"]
    assert not problems, "\n".join(problems)


def test_a_malformed_decision_is_reported() -> None:
    bad = {"pages": ["https://support.huaweicloud.com/x.html"],
           "decisions": [{"summary": "s", "rank": 5, "evidence": [{"source": "a blog"}]}]}
    assert source_problems(bad) == [
        "decision 0: rank must be 1-4",
        "decision 0: evidence needs a source of a known form and a quote: {'source': 'a blog'}",
    ]


@pytest.mark.parametrize("service", SERVICES)
def test_x_source_has_its_documented_shape(service: str) -> None:
    problems = [
        f"{ref.operation_id}: {problem}"
        for ref in _refs(service)
        if "x-source" in ref.operation
        for problem in source_problems(ref.operation["x-source"])
    ]
    assert not problems, "\n".join(problems)


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
    assert source_problems(wrong) == [
        "pages must be a list of https URLs",
        "sdk needs exactly ['models', 'package', 'version']",
    ]
    assert source_problems({"peers": ["no-colon"]}) == [
        "peers must be a list of owner/repository:path",
        "x-source names no page and no SDK model",
    ]
    assert source_problems({"pages": ["https://support.huaweicloud.com/x.html"]}) == []
