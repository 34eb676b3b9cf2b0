"""Operations beyond the seed documents name their public sources in `x-source`.

An operation whose fixtures all come from somewhere other than the seed documents (a public
page's example, or built from a schema) must say, in `x-source`, which help-center pages, which
official SDK models (package and version) and which peer code it was written from.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.spec import fixturelib as fl

SERVICES = fl.spec_services()
SOURCE_KEYS = {"pages", "sdk", "peers"}
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
    if not pages and sdk is None:
        problems.append("x-source names no page and no SDK model")
    return problems


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
