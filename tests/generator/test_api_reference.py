"""`api.md`, the Python API reference at the repository root: every resource, method, page
iterator, download and waiter of the generated clients, with the signature the generated code
has, its HTTP route, and its request and response types linked to the modules defining them.
(That `make generate` writes it and `make check` fails when it is stale: test_pipeline.py.)"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest

from generator.ir import Api
from tests.generator.conftest import ROOT
from tests.real_ir import real_api

API_MD = ROOT / "api.md"
HEADING = re.compile(r"^#### `([a-z_]+)\.([a-z_]+)\.([a-z_0-9]+)`$", re.MULTILINE)
LINK = re.compile(r"\[`?([^\]`]+)`?\]\(([^)#]*)(#[^)]*)?\)")


@pytest.fixture(scope="module")
def api() -> Api:
    return real_api()


@pytest.fixture(scope="module")
def entries() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(service, resource, method) -> (the signature's code, the text after it)."""
    text = API_MD.read_text(encoding="utf-8")
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    matches = list(HEADING.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        body = text[match.end():following.start() if following else len(text)].split("\n### ")[0]
        code = re.search(r"```python\n(.*?)\n```\n(.*)", body, re.DOTALL)
        assert code is not None, match[0]
        key = (match[1], match[2], match[3])
        assert key not in found, f"{key} listed twice"
        found[key] = (code[1], code[2])
    return found


def test_every_method_and_waiter_is_listed_with_its_route_and_types(
        api: Api, entries: dict[tuple[str, str, str], tuple[str, str]]) -> None:
    expected = set()
    for service in api.services:
        for resource in service.resources:
            for op in resource.operations:
                key = (service.name, resource.name, op.method_name)
                expected.add(key)
                code, text = entries[key]
                assert f"`{op.http_method} {op.path}`" in text, key
                assert code.endswith(f") -> {op.response_type}"), key
                if op.pagination is not None:
                    assert f"`{service.name}.{resource.name}.iter_{op.method_name}(...)`" in text
                    assert f"[`{op.pagination.item_type}`](" in text, key
                if op.response_kind == "binary":
                    assert f"{op.method_name}_to_file(file, ...)" in text, key
                if op.body_arg is not None:
                    assert "- Request body: [`" in text, key
            for waiter in resource.waiters:
                key = (service.name, resource.name, waiter.method_name)
                expected.add(key)
                code, text = entries[key]
                assert f"polls `{service.name}.{resource.name}.{waiter.poll_method}`" in text
                assert code.endswith(f") -> {waiter.return_type}"), key
    assert set(entries) == expected
    assert len(expected) >= 106  # 101 methods and 6 waiters at the time of writing


def _generated_method(service: str, resource: str, method: str) -> Any:
    module = importlib.import_module(f"dataarts.{service}._client")
    client = next(getattr(module, name) for name in dir(module)
                  if name.endswith("Client") and not name.startswith(("Async", "Sync")))
    return getattr(getattr(module, client.__annotations__[resource]), method)


def _listed_parameters(code: str) -> list[tuple[str, str, str | None]]:
    """(name, annotation, default) of a listed signature, read as Python."""
    call, _, returns = code.rpartition(" -> ")
    tree = ast.parse(f"def f{call[call.index('('):]} -> {returns}: ...")
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef) and not function.args.args
    defaults = dict(zip([a.arg for a in function.args.kwonlyargs], function.args.kw_defaults,
                        strict=True))
    return [(a.arg, ast.unparse(a.annotation) if a.annotation else "",
             ast.unparse(defaults[a.arg]) if defaults[a.arg] is not None else None)
            for a in function.args.kwonlyargs]


def aliases(module: Any) -> dict[str, str]:
    """The module-level `Name: TypeAlias = value` of a module: name -> value's source."""
    tree = ast.parse(inspect.getsource(module))
    return {node.target.id: ast.unparse(node.value) for node in tree.body
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
            and node.value is not None and ast.unparse(node.annotation) == "TypeAlias"}


def test_signatures_are_those_of_the_generated_methods(
        entries: dict[tuple[str, str, str], tuple[str, str]]) -> None:
    """Names, order, defaults and annotations, keyword-only, as `inspect` sees the generated
    code (its long annotations are module-level aliases: compared by what they stand for)."""
    for (service, resource, method), (code, _) in entries.items():
        real = inspect.signature(_generated_method(service, resource, method))
        module = importlib.import_module(f"dataarts.{service}._client")
        params = [p for p in real.parameters.values()
                  if p.name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params), method
        listed = _listed_parameters(code)
        assert [name for name, _, _ in listed] == [p.name for p in params], (service, method)
        for (name, annotation, default), param in zip(listed, params, strict=True):
            shown = None if param.default is inspect.Parameter.empty else repr(param.default)
            assert default == shown, (method, name)
            real_annotation = str(param.annotation)
            alias = re.match(r"(_[A-Za-z0-9]+)( \| None)?$", real_annotation)
            if alias:  # `_ListJobsStatus | None`: the alias's value, as the module defines it
                real_annotation = aliases(module)[alias[1]] + (alias[2] or "")
            assert ast.unparse(ast.parse(annotation)) == ast.unparse(ast.parse(real_annotation))


def test_types_link_to_the_modules_defining_them() -> None:
    text = API_MD.read_text(encoding="utf-8")
    models = 0
    for name, target, _ in LINK.findall(text):
        if not target or target.startswith("http"):
            continue
        path = ROOT / target
        assert path.is_file(), target
        if "/_models/" in target:
            source = path.read_text(encoding="utf-8")
            assert re.search(rf"^(class {name}\b|{name}: TypeAlias)", source, re.MULTILINE), name
            models += 1
    assert models >= 130  # 139 at the time of writing


def test_the_readme_links_the_reference() -> None:
    assert "](api.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_entries_are_grouped_by_client_and_resource() -> None:
    text = API_MD.read_text(encoding="utf-8")
    clients = re.findall(r"^## `(\w+)`$", text, re.MULTILINE)
    assert clients == ["CdmClient", "DlfClient", "FactoryClient", "LakeFormationClient"]
    resources = re.findall(r"^### `(\w+)\.(\w+)`$", text, re.MULTILINE)
    for (service, _), (heading_service, resource, _) in zip(
            resources, [k for k in HEADING.findall(text)], strict=False):
        assert service in {"cdm", "dlf", "factory", "lakeformation"}
        assert heading_service in {"cdm", "dlf", "factory", "lakeformation"} and resource
    # every method heading sits under its resource's heading
    current = None
    for line in text.splitlines():
        if match := re.match(r"^### `(\w+\.\w+)`$", line):
            current = match[1]
        elif match := re.match(r"^#### `(\w+\.\w+)\.\w+`$", line):
            assert match[1] == current, line


def test_contents_links_reach_headings() -> None:
    """GitHub's anchors: the heading's text lower-cased, punctuation but `_` and `-` dropped."""
    text = API_MD.read_text(encoding="utf-8")
    anchors = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.*)$", text, re.MULTILINE)}
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and all(link in anchors for link in links)


def test_the_reference_is_at_the_root_beside_generated() -> None:
    assert API_MD.is_file() and Path(ROOT / "generated" / "MANIFEST").is_file()
    manifest = (ROOT / "generated" / "MANIFEST").read_text(encoding="utf-8")
    assert "  ../api.md\n" in manifest
