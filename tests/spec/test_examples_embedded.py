"""The specs' request and response `examples` are exactly the recorded fixtures' bodies.

`make examples` (generator/examples.py) writes them; this checks the result independently,
reading the specs with PyYAML.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from generator.cache import Cache
from generator.examples import LINT_IGNORE, embed_examples
from tests.spec import fixturelib as fl

SERVICES = fl.spec_services()


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON, key order included, and telling 1, 1.0 and true apart."""
    return json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def _json_media(content: dict[str, Any]) -> str | None:
    return next((media for media in content if "json" in media.split(";")[0].lower()), None)


def _summary(fx: fl.Fixture, lines: str, respelt: bool) -> str:
    src = fx.data["source"]
    if fl.source_kind(src) == "document":
        first, last = src[lines]
        where = f"{src['document']} {src['section']}, lines {first}-{last}"
    elif fl.source_kind(src) == "built":
        where = f"built, not recorded: {src['built']}"
    else:
        where = f"{src['page']}, example {lines.removesuffix('_lines')}"
    return where + (" (keys in the wire's spelling, see x-documented-as)" if respelt else "")


def _example(fx: fl.Fixture, lines: str, tokens: tuple[str, ...], body: Any) -> dict[str, Any]:
    """The example of a fixture's body: in the wire's spelling where the document's differs."""
    shown = fl.in_wire_form(fx.service, fl.json_pointer(*tokens[:-1], "schema"), body)
    return {"summary": _summary(fx, lines, shown != body), "value": shown}


def _expected(service: str) -> dict[tuple[str, ...], dict[str, dict[str, Any]]]:
    """JSON pointer tokens of an `examples` map -> {fixture stem: example}, from the fixtures."""
    ops = fl.operations(service)
    expected: dict[tuple[str, ...], dict[str, dict[str, Any]]] = {}
    seen_requests: set[tuple[str, str, str]] = set()
    for fx in fl.fixtures(service):  # sorted by file name
        ref = ops[fx.data["operation"]]
        request, response = fx.data["request"], fx.data["response"]
        op_tokens = ("paths", ref.path, ref.method)
        body = ref.operation.get("requestBody")
        tokens: tuple[str, ...]
        if "body" in request and body is not None and "$ref" not in body:
            media = _json_media(body.get("content", {}))
            key = json.dumps(request["body"], sort_keys=True)
            if media and (ref.path, ref.method, key) not in seen_requests:
                seen_requests.add((ref.path, ref.method, key))
                tokens = (*op_tokens, "requestBody", "content", media, "examples")
                example = _example(fx, "request_lines", tokens, request["body"])
                expected.setdefault(tokens, {})[fx.name] = example
        if "body" in response:
            responses = ref.operation["responses"]
            status = str(response["status"])
            status = status if status in responses else "default"
            if "$ref" in responses[status]:
                continue
            media = _json_media(responses[status].get("content", {}))
            if media:
                tokens = (*op_tokens, "responses", status, "content", media, "examples")
                example = _example(fx, "response_lines", tokens, response["body"])
                expected.setdefault(tokens, {})[fx.name] = example
    return expected


def _embedded(service: str) -> dict[tuple[str, ...], dict[str, Any]]:
    """Every `examples` map under the spec's request bodies and responses."""
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for path, item in fl.load_spec(service)["paths"].items():
        for method in fl.HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            parts: list[tuple[tuple[str, ...], Any]] = []
            if "requestBody" in op:
                parts.append((("requestBody",), op["requestBody"]))
            parts += [(("responses", k), r) for k, r in op.get("responses", {}).items()]
            for part, node in parts:
                for media, media_node in node.get("content", {}).items():
                    if "examples" in media_node:
                        tokens = ("paths", path, method, *part, "content", media, "examples")
                        found[tokens] = media_node["examples"]
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_every_fixture_body_is_the_spec_example(service: str) -> None:
    expected = _expected(service)
    embedded = _embedded(service)
    assert expected, f"{service}: no fixture body to embed"
    problems = []
    for tokens, examples in expected.items():
        where = "/".join(tokens)
        got = embedded.get(tokens, {})
        for stem, example in examples.items():
            if stem not in got:
                problems.append(f"{where}: missing {stem}")
            elif not _same(got[stem], example):
                problems.append(
                    f"{where}: {stem} differs from tests/fixtures/{service}/{stem}.json"
                )
        problems += [f"{where}: {stem} has no fixture" for stem in got if stem not in examples]
        if list(got) != sorted(got):
            problems.append(f"{where}: examples not in sorted order")
    problems += [f"{'/'.join(t)}: examples with no fixture" for t in embedded if t not in expected]
    assert not problems, "\n".join(problems)


def test_embedding_the_real_tree_changes_nothing() -> None:
    """Through the step cache that `make examples` (so `make generate`) fills: its entries are
    keyed by the spec's text, the fixtures and the generator's code, so an entry is the embed of
    exactly these inputs; an edited spec or fixture misses it and is embedded here again."""
    stale = embed_examples(fl.SPEC_DIR, fl.FIXTURE_DIR, check=True, ignore_file=fl.ROOT / LINT_IGNORE,
                           cache=Cache(fl.ROOT / ".cache" / "generator"))
    assert stale == [], f"out of date: {[p.name for p in stale]} (run make examples)"
