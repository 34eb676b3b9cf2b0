"""`make docs` output opened in headless Chromium: every operation, error-code table and catalogue
page renders. Screenshots go to `rendered-reference0/screenshots/` under pytest's base temporary
directory (`make browser-check`: .cache/browser-check)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.document import HTTP_METHODS, Document
from generator.load import load_spec
from generator.publish import docs, markdown, node

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"
SCRIPT = Path(__file__).parent / "browser" / "check_pages.mjs"


def operations(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, item in data["paths"].items()
            for method, op in item.items() if method in HTTP_METHODS]


def operation_route(op: dict[str, Any]) -> str:
    """The renderer's route of an operation: its tag, then its operationId, both lower-cased."""
    tag = re.sub(r"[^a-z0-9]+", "-", op["tags"][0].lower()).strip("-")
    return f"/{tag}/{op['operationId'].lower()}"


class Rendered:
    """The specs, the references built from them, and what Chromium saw on each route."""

    def __init__(self, out: Path, report: dict[str, Any], screenshots: Path) -> None:
        self.out, self.report, self.screenshots = out, report, screenshots
        self.specs = {p.stem: load_spec(p).data for p in sorted(SPEC_DIR.glob("*.yaml"))}

    def section(self, service: str, route: str) -> dict[str, Any]:
        return self.report[service]["sections"][route]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, redocly: Path, spec_tools: Path,
             chromium: Path) -> Rendered:
    base = tmp_path_factory.mktemp("rendered-reference")
    out, screenshots = base / "docs", base / "screenshots"
    screenshots.mkdir()
    references = docs.build(sorted(SPEC_DIR.glob("*.yaml")), out)
    pages: list[dict[str, Any]] = [{"name": "index", "file": str(out / "index.html"),
                                    "routes": None}]
    for ref in references:
        data = load_spec(SPEC_DIR / f"{ref.service}.yaml").data
        routes = [operation_route(op) for _, _, op in operations(data)]
        routes += [docs.page_route(p)[1:] for p in ref.pages]
        # screenshots: the first operation of each tag and the first page of each group
        firsts = {r.rsplit("/", 1)[0]: r for r in reversed(routes[:len(operations(data))])}
        firsts |= {p.group: docs.page_route(p)[1:] for p in reversed(ref.pages)}
        pages.append({"name": ref.service, "file": str(out / ref.file), "routes": routes,
                      "screenshot": sorted(firsts.values())})
    plan = base / "plan.json"
    plan.write_text(json.dumps({"playwright": str(spec_tools / "playwright-core" / "index.mjs"),
                                "chromium": str(chromium), "screenshots": str(screenshots),
                                "pages": pages}), encoding="utf-8")
    done = node.run(["node", SCRIPT, plan])
    assert done.returncode == 0, done.stderr
    print(f"screenshots: {screenshots}")
    return Rendered(out, json.loads(done.stdout), screenshots)


def test_every_operation_renders_with_its_method_and_path(rendered: Rendered) -> None:
    checked = 0
    for service, data in rendered.specs.items():
        for method, path, op in operations(data):
            section = rendered.section(service, operation_route(op))
            where = f"{service} {op['operationId']}"
            assert section["found"], f"{where}: no section rendered"
            # the renderer appends a "deprecated" badge to a deprecated operation's title
            badge = " deprecated" if op.get("deprecated") else ""
            assert section["title"] == op["summary"] + badge, where
            assert path in section["text"], where
            assert method.upper() in section["text"].upper(), where
            checked += 1
    assert checked >= 70  # 18 CDM + 51 DLF + 1 LakeFormation at the time of writing


def test_error_code_tables_render_every_code(rendered: Rendered) -> None:
    for service in ("cdm", "dlf", "lakeformation"):
        tables = [s["x-error-codes"] for s in
                  rendered.specs[service]["components"]["schemas"].values()
                  if "x-error-codes" in s]
        section = rendered.section(service, "/error-codes")
        assert section["found"] and section["title"] == "Error codes"
        # the service's table, then the gateway's: a header row, then one row per code and case
        assert section["tables"] == [len(codes) + 1 for codes in tables]
        for entry in (entry for codes in tables for entry in codes):
            assert entry["code"] in section["text"] and entry["meaning"] in section["text"]


def test_catalogue_pages_render_every_parameter(rendered: Rendered) -> None:
    pages = 0
    for service, data in rendered.specs.items():
        for page in docs.reader_pages(data):
            section = rendered.section(service, docs.page_route(page)[1:])
            assert section["found"], f"{service} {page.title}"
            assert section["title"] == page.title
            assert sum(section["tables"]) == page.rows + len(section["tables"]), page.title
            pages += 1
    assert pages >= 1 + 36 + 1 + 18  # CDM: error codes + 36 sections; DLF: error codes + types


def test_required_when_conditions_are_shown_on_catalogue_pages(rendered: Rendered) -> None:
    """Each catalogue entry's `x-required-when` appears as words in its table's Required column."""
    for service, data in rendered.specs.items():
        for page in docs.reader_pages(data):
            text = rendered.section(service, docs.page_route(page)[1:])["text"]
            for when in re.findall(r"\| when (.*?) \|", page.markdown):
                assert "when " + when.replace("`", "") in text, page.title


def test_required_when_conditions_are_shown_on_request_bodies(rendered: Rendered) -> None:
    """A body property's `x-required-when` appears as a sentence under it on its operation."""
    shown = 0
    for service, data in rendered.specs.items():
        doc = Document(data)
        for _, _, op in operations(data):
            schema = doc.json_schema(op.get("requestBody"))
            for prop in doc.properties(schema).values():
                if isinstance(prop, dict) and prop.get("x-required-when"):
                    words = markdown.condition(prop["x-required-when"]).replace("`", "")
                    text = rendered.section(service, operation_route(op))["text"]
                    assert f"Required when {words}." in text, op["operationId"]
                    shown += 1
    assert shown >= 1  # at the time of writing: DLF CreateScript and UpdateScript


def test_wire_decisions_are_shown_under_their_operations(rendered: Rendered) -> None:
    """A decision taken on the live evidence (`x-source.decisions`) reads as a paragraph of the
    operation it decides, and the *Wire decisions* page lists every one (its rows are counted
    with the other reference pages')."""
    shown = 0
    for service, data in rendered.specs.items():
        for _, _, op in operations(data):
            for record in (op.get("x-source") or {}).get("decisions") or ():
                text = " ".join(rendered.section(service, operation_route(op))["text"].split())
                summary = " ".join(str(record["summary"]).replace("`", "").split())
                assert f"Wire decision (evidence rank {record['rank']}" in text, op["operationId"]
                assert summary[:60] in text, op["operationId"]
                shown += 1
        if docs.decisions(data):
            page = rendered.section(service, "/wire-decisions")
            assert page["found"] and page["title"] == "Wire decisions"
    assert shown >= 5  # at the time of writing: DeleteCluster, ExportJob and the factory's


def test_landing_page_links_every_reference_and_page(rendered: Rendered) -> None:
    links = rendered.report["index"]["links"]
    for service in rendered.specs:
        assert f"{service}.html" in links
    for link in links:
        file, _, route = link.partition("#")
        assert (rendered.out / file).is_file(), link
        if route:
            assert rendered.section(file.removesuffix(".html"), route)["found"], link


def test_pages_run_without_script_errors_and_offline(rendered: Rendered) -> None:
    for name, result in rendered.report.items():
        assert result["errors"] == [], name
        # only the renderer's "API docs by Redocly" badge image is fetched from the network
        assert all("redoc" in url for url in result["blocked"]), result["blocked"]


def test_screenshots_are_saved(rendered: Rendered) -> None:
    shots = sorted(rendered.screenshots.glob("*.png"))
    assert {p.name for p in shots} >= {"index-page.png", "cdm-overview.png",
                                       "cdm-_error-codes.png", "dlf-_error-codes.png"}
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in shots)
