"""Broken specs, through the command line: exit 2, one located line per problem, tree untouched.

Each case is BASE_SPEC (valid) with one defect. The generator's command line (`main` of
`python -m generator`, in process: a fresh interpreter per case cost a second or two each) runs
as `make generate` runs it, against an output directory that already holds a generated tree; the
run must refuse with exit code 2, print no traceback, print `file:line: /pointer: message` for
every problem (at the exact line) and leave every byte of the old tree where it was.
`test_a_real_process_refuses_as_main_does` runs one case in a real `python -m generator` and
finds the same exit code and output (a slow test: `make test` runs it).

One run per case; three tests read its result:
- `test_refused_and_tree_untouched`: exit code, no traceback, output shape, tree bytes;
- `test_every_problem_located`: each expected problem is printed with its file, line, pointer;
- `test_nothing_else_reported`: and nothing else (no duplicates, no misplaced extra lines).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import workers
from tests.generator.conftest import (
    BASE_SPEC,
    line_of,
    read_tree,
    replace_once,
    run_generator,
    run_generator_in_process,
)

SPEC = "widgets.yaml"
LIST = "/paths/~1v1~1{project_id}~1widgets/get"
CREATE = "/paths/~1v1~1{project_id}~1widgets/post"
SHOW = "/paths/~1v1~1{project_id}~1widgets~1{widget_id}/get"
PROBLEM_LINE = re.compile(
    r"^(?P<file>[^:]+\.yaml):(?P<line>\d+): (?P<pointer>/.*?): (?P<message>.+)$"
)
SUMMARY_LINE = re.compile(r"^(?P<count>\d+) problems? in the specs; \S+ left unchanged$")


@dataclass(frozen=True)
class Expect:
    """One problem line: in `file`, at the line of `at` (a needle found on exactly one line)."""

    at: str
    pointer: str
    message: str  # a regular expression the message must match in full
    file: str = SPEC
    line_offset: int = 0  # for problems reported a line after a marker (YAML parser errors)


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[str], dict[str, str]]  # BASE_SPEC -> {file name: text}
    expect: tuple[Expect, ...]
    misplaced: str | None = None  # xfail reason: the problem is not reported where expected


def yaml(text: str) -> str:
    """Spec lines written with a `|` margin (so their YAML indentation shows): full lines."""
    lines = [line.strip() for line in text.strip().splitlines()]
    assert all(line.startswith("|") for line in lines), text
    return "".join(line[1:] + "\n" for line in lines)


def edit(*pairs: tuple[str, str], name: str = SPEC) -> Callable[[str], dict[str, str]]:
    """A mutation replacing each `old` (occurring once) by `new`, in one file."""

    def apply(text: str) -> dict[str, str]:
        for old, new in pairs:
            text = replace_once(text, old, new)
        return {name: text}

    return apply


def two_files(second: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    return lambda text: {"a.yaml": text, "b.yaml": second(text)}


esc = re.escape
SHOW_OP = (
    "    get:\n      operationId: ShowWidget\n",
    "    get:  # @op\n      operationId: ShowWidget\n",
)
TAB = (yaml("""
    |        - name: limit
    |          in: query
"""), yaml("""
    |        - name: limit
    |	  in: query  # @tab
"""))
DUPLICATE_SUMMARY = (
    "      summary: Show a widget\n",
    "      summary: Show a widget\n      summary: Show one widget  # @dup\n",
)
SIZE_COLLISION = (yaml("""
    |        sizeInCm:
    |          type: integer
"""), yaml("""
    |        sizeInCm:
    |          type: integer
    |        size_in_cm:  # @prop
    |          type: integer
"""))
SIZE_COLLISION_MESSAGE = esc(
    "properties 'sizeInCm' and 'size_in_cm' both become Python field 'size_in_cm'"
)
KNOWN_OPTIONS = "; known: language, project_id, workspace"

CASES = [
    Case(
        "yaml-unclosed-bracket",
        edit((yaml("""
            |            enum:
            |              - red
            |              - blue
        """), yaml("""
            |            enum: [red, blue  # @open
        """))),
        # PyYAML notices on the line after the bracket's, where the next key starts
        (Expect("# @open", "/", r"invalid YAML: .*flow sequence.*expected ',' or '\]'",
                line_offset=1),),
    ),
    Case(
        "yaml-tab-indentation",
        edit(TAB),
        (Expect("# @tab", "/", r"invalid YAML: .*tab character.*"),),
    ),
    Case(
        "duplicate-mapping-key",
        edit(DUPLICATE_SUMMARY),
        (Expect("# @dup", SHOW + "/summary",
                r"duplicate key 'summary' \(first defined on line \d+\)"),),
    ),
    Case(
        "unresolved-ref",
        edit((yaml("""
            |      x-sdk-method: get
            |      parameters:
            |        - $ref: "#/components/parameters/ProjectId"
        """), yaml("""
            |      x-sdk-method: get
            |      parameters:
            |        - $ref: "#/components/parameters/ProjectID"  # @ref
        """))),
        (Expect("# @ref", SHOW + "/parameters/0/$ref",
                esc("unresolved reference '#/components/parameters/ProjectID'")),),
    ),
    Case(
        "external-ref",
        edit(('$ref: "#/components/schemas/WidgetList"',
              '$ref: "common.yaml#/components/schemas/WidgetList"  # @ref')),
        (Expect("# @ref", LIST + "/responses/200/content/application~1json/schema/$ref",
                r"only local references .*'common\.yaml#/components/schemas/WidgetList'"),),
    ),
    Case(
        "duplicate-operation-id",
        edit(("operationId: ShowWidget", "operationId: ListWidgets  # @dup")),
        (Expect("# @dup", SHOW + "/operationId",
                esc(f"duplicate operationId 'ListWidgets' (also at {LIST}/operationId)")),),
    ),
    Case(
        "path-parameter-not-declared",
        edit((yaml("""
            |  /v1/{project_id}/widgets/{widget_id}:
            |    get:
        """), yaml("""
            |  /v1/{project_id}/widgets/{widget_id}/parts/{part_id}:
            |    get:  # @op
        """))),
        (Expect("# @op", SHOW.replace("{widget_id}", "{widget_id}~1parts~1{part_id}"),
                esc("path parameter {part_id} of /v1/{project_id}/widgets/{widget_id}/parts/"
                    "{part_id} is not declared")),),
    ),
    Case(
        "path-parameter-not-in-template",
        edit(SHOW_OP, (yaml("""
            |        - name: widget_id
        """), yaml("""
            |        - name: part_id
            |          in: path
            |          required: true
            |          schema:
            |            type: string
            |        - name: widget_id
        """))),
        (Expect("# @op", SHOW, esc("path parameter 'part_id' is declared but not in the path "
                                   "/v1/{project_id}/widgets/{widget_id}")),),
    ),
    Case(
        "unknown-type-keyword",
        edit((yaml("""
            |        - name: offset
            |          in: query
            |          schema:
            |            type: integer
        """), yaml("""
            |        - name: offset
            |          in: query
            |          schema:
            |            type: strng  # @type
        """))),
        (Expect("# @type", LIST + "/parameters/1/schema/type",
                r"'strng' is not one of \[.*'string'.*\]"),),
    ),
    Case(
        "operation-without-responses",
        edit(SHOW_OP, (yaml("""
            |      responses:
            |        "200":
            |          description: OK.
            |          content:
            |            application/json:
            |              schema:
            |                $ref: "#/components/schemas/Widget"
            |        default:
            |          $ref: "#/components/responses/Error"
            |components:
        """), "components:\n")),
        (Expect("# @op", SHOW, "operation ShowWidget has no responses"),),
    ),
    Case(
        "operation-without-2xx",
        edit((yaml("""
            |      responses:
            |        "200":
            |          description: OK.
            |          content:
            |            application/json:
            |              schema:
            |                $ref: "#/components/schemas/Widget"
            |        default:
        """), yaml("""
            |      responses:  # @responses
            |        default:
        """))),
        (Expect("# @responses", SHOW + "/responses", "operation ShowWidget has no 2xx response"),),
    ),
    Case(
        "operation-without-error-response",
        edit((yaml("""
            |              - blue
            |      responses:
        """), yaml("""
            |              - blue
            |      responses:  # @responses
        """)), (yaml("""
            |                $ref: "#/components/schemas/WidgetList"
            |        "400":
            |          $ref: "#/components/responses/Error"
        """), yaml("""
            |                $ref: "#/components/schemas/WidgetList"
        """))),
        (Expect("# @responses", LIST + "/responses",
                esc("operation ListWidgets has no error response (4xx, 5xx or default)")),),
    ),
    Case(
        "missing-operation-id-summary-tags",
        edit((yaml("""
            |    get:
            |      operationId: ShowWidget
            |      summary: Show a widget
            |      tags:
            |        - Widgets
        """), yaml("""
            |    get:  # @op
        """))),
        (
            Expect("# @op", SHOW, "operation has no operationId"),
            Expect("# @op", SHOW,
                   esc("operation GET /v1/{project_id}/widgets/{widget_id} has no summary")),
            Expect("# @op", SHOW,
                   esc("operation GET /v1/{project_id}/widgets/{widget_id} has no tags")),
        ),
    ),
    Case(
        "missing-sdk-resource-and-method",
        edit(SHOW_OP, ("      x-sdk-resource: widgets\n      x-sdk-method: get\n", "")),
        (
            Expect("# @op", SHOW,
                   "operation ShowWidget needs x-sdk-resource, a snake_case identifier"),
            Expect("# @op", SHOW,
                   esc("operation ShowWidget needs x-sdk-method (or x-sdk-variants)")),
        ),
    ),
    Case(
        "sdk-methods-collide-after-keyword-escape",
        # `import` becomes the Python method `import_`, which CreateWidget already is
        edit(("x-sdk-method: create", "x-sdk-method: import_"),
             ("x-sdk-method: get", "x-sdk-method: import  # @method")),
        (Expect("# @method", SHOW + "/x-sdk-method",
                esc(f"SDK method widgets.import_ collides with {CREATE}/x-sdk-method")),),
    ),
    Case(
        "sdk-method-collides-with-pagination-iterator",
        edit(("x-sdk-method: get", "x-sdk-method: iter_list  # @method")),
        (Expect("# @method", SHOW + "/x-sdk-method",
                esc(f"SDK method widgets.iter_list collides with {LIST}/x-sdk-pagination")),),
    ),
    Case(
        "parameters-collide-after-snake-casing",
        edit(("        - name: colour\n", yaml("""
            |        - name: jobName
            |          in: query
            |          schema:
            |            type: string
            |        - name: job_name  # @param
            |          in: header
            |          schema:
            |            type: string
            |        - name: colour
        """))),
        (Expect("# @param", LIST + "/parameters/4",
                esc("parameter 'job_name' becomes Python argument 'job_name', like 'jobName'")),),
    ),
    Case(
        "properties-collide-after-snake-casing",
        edit(SIZE_COLLISION),
        (Expect("# @prop", "/components/schemas/Widget/properties/size_in_cm",
                SIZE_COLLISION_MESSAGE),),
    ),
    Case(
        "required-names-an-undeclared-property",
        edit(("      required:\n        - name\n",
              "      required:\n        - name\n        - colour  # @req\n")),
        (Expect("# @req", "/components/schemas/Widget/required/1",
                esc("required property 'colour' is not among the declared properties")),),
    ),
    Case(
        "unknown-client-option",
        edit(('        - $ref: "#/components/parameters/Workspace"\n', yaml("""
            |        - $ref: "#/components/parameters/Workspace"
            |        - name: X-Tenant  # @param
            |          in: header
            |          schema:
            |            type: string
            |          x-sdk-client-option: tenant
        """))),
        (Expect("# @param", CREATE + "/parameters/2",
                esc("unknown x-sdk-client-option 'tenant'" + KNOWN_OPTIONS)),),
    ),
    Case(
        "unknown-client-option-in-shared-parameter",
        # The defect is in the component: it should be reported there, once, not at each use.
        edit(("x-sdk-client-option: workspace", "x-sdk-client-option: tenant  # @option"),
             (yaml("""
            |        - $ref: "#/components/parameters/ProjectId"
            |        - name: widget_id
        """), yaml("""
            |        - $ref: "#/components/parameters/ProjectId"
            |        - $ref: "#/components/parameters/Workspace"
            |        - name: widget_id
        """))),
        (Expect("# @option", "/components/parameters/Workspace/x-sdk-client-option",
                esc("unknown x-sdk-client-option 'tenant'" + KNOWN_OPTIONS)),),
    ),
    Case(
        "pagination-unknown-parameter",
        edit(("start-param: offset", "start-param: page  # @start")),
        (Expect("# @start", LIST + "/x-sdk-pagination/start-param",
                esc("start-param 'page' is not a declared query parameter")),),
    ),
    Case(
        "pagination-items-not-an-array",
        edit((yaml("""
            |        widgets:
            |          type: array
            |          items:
            |            $ref: "#/components/schemas/Widget"
        """), yaml("""
            |        widgets:
            |          $ref: "#/components/schemas/Widget"
        """)), ("        items: widgets\n", "        items: widgets  # @items\n")),
        (Expect("# @items", LIST + "/x-sdk-pagination/items",
                esc("response property 'widgets' is not an array")),),
    ),
    Case(
        "variants-name-unknown-schema",
        edit(("      x-sdk-method: create\n", yaml("""
            |      x-sdk-variants:
            |        - operation-id: CreateRedWidget
            |          method: create_red
            |          request-schema: RedWidget  # @red
            |        - operation-id: CreateBlueWidget
            |          method: create_blue
            |          request-schema: Widget
            |          response-schema: BlueWidget  # @blue
        """))),
        (
            Expect("# @red", CREATE + "/x-sdk-variants/0/request-schema",
                   esc("no component schema named 'RedWidget'")),
            Expect("# @blue", CREATE + "/x-sdk-variants/1/response-schema",
                   esc("no component schema named 'BlueWidget'")),
        ),
    ),
    Case(
        "two-files-same-service",
        two_files(lambda t: replace_once(t, "x-sdk-client: Widgets", "x-sdk-client: Gadgets")),
        (Expect("x-sdk-service: widgets", "/x-sdk-service",
                r".*'widgets'.*/a\.yaml.*", file="b.yaml"),),
    ),
    Case(
        "two-files-same-client",
        # Both would export `WidgetsClient` from `dataarts`: one silently shadows the other.
        two_files(lambda t: replace_once(t, "x-sdk-service: widgets", "x-sdk-service: gadgets")),
        (Expect("x-sdk-client: Widgets", "/x-sdk-client", r".*'Widgets'.*a\.yaml.*",
                file="b.yaml"),),
    ),
    Case(
        "unquoted-status-code",
        edit(('        "201":\n', "        201:  # @code\n")),
        (Expect("# @code", CREATE + "/responses/201", "status code 201 must be a quoted string"),),
    ),
    Case(
        "several-problems-in-one-spec",
        edit(("      summary: Show a widget\n", ""), SHOW_OP,
             ("start-param: offset", "start-param: page  # @start"),
             SIZE_COLLISION,
             ("    Widget:\n", "    widget-list:  # @schema\n      type: object\n    Widget:\n"),
             ("x-sdk-client: Widgets", "x-sdk-client: widgets  # @client")),
        (
            Expect("# @op", SHOW, "operation ShowWidget has no summary"),
            Expect("# @start", LIST + "/x-sdk-pagination/start-param",
                   esc("start-param 'page' is not a declared query parameter")),
            Expect("# @prop", "/components/schemas/Widget/properties/size_in_cm",
                   SIZE_COLLISION_MESSAGE),
            Expect("# @schema", "/components/schemas/widget-list",
                   esc("component schema name 'widget-list' must be a PascalCase identifier")),
            Expect("# @client", "/x-sdk-client", "x-sdk-client must be a PascalCase identifier"),
        ),
    ),
    Case(
        "several-files-with-yaml-errors",
        lambda text: {"a.yaml": replace_once(text, *TAB),
                      "b.yaml": replace_once(text, *DUPLICATE_SUMMARY)},
        (
            Expect("# @tab", "/", r"invalid YAML: .*tab character.*", file="a.yaml"),
            Expect("# @dup", SHOW + "/summary",
                   r"duplicate key 'summary' \(first defined on line \d+\)", file="b.yaml"),
        ),
    ),
]


@dataclass(repr=False)
class Outcome:
    case: Case
    spec_dir: Path
    texts: dict[str, str]
    result: subprocess.CompletedProcess[str]
    before: dict[str, bytes]
    after: dict[str, bytes]
    leftovers: list[str]

    def __repr__(self) -> str:
        return f"<Outcome of {self.case.id}>"

    @property
    def output(self) -> str:
        return self.result.stdout + self.result.stderr

    def problem_lines(self) -> list[str]:
        return [ln for ln in self.result.stderr.splitlines() if not SUMMARY_LINE.match(ln)]

    def expected_lines(self) -> list[tuple[str, int, str, str]]:
        out = []
        for e in self.case.expect:
            line = line_of(self.texts[e.file], e.at) + e.line_offset
            out.append((str(self.spec_dir / e.file), line, e.pointer, e.message))
        return out


_OUTCOMES: dict[str, Outcome] = {}


class _NoWorkers:
    """`generator.workers.workers` where fork is unavailable: no pool."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture
def outcome(request: pytest.FixtureRequest, base_tree: Path,
            tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    case: Case = request.param
    if case.id not in _OUTCOMES:
        root = tmp_path_factory.mktemp(case.id)
        spec_dir = (root / "spec").resolve()
        spec_dir.mkdir()
        texts = case.mutate(BASE_SPEC)
        for name, text in texts.items():
            (spec_dir / name).write_text(text, encoding="utf-8")
        out_dir = root / "generated"
        shutil.copytree(base_tree, out_dir)
        before = read_tree(out_dir)
        with pytest.MonkeyPatch.context() as patch:
            # the run without worker processes, as where fork is unavailable (workers.py): a
            # refused spec never reaches black, and the validator's problems are the same in
            # process; forking two workers that import black cost each case seconds of wall time
            patch.setattr(workers, "workers", _NoWorkers)
            result = run_generator_in_process("generate", "--spec-dir", spec_dir, "--out-dir", out_dir)
        leftovers = sorted(p.name for p in root.iterdir() if p.name not in ("spec", "generated"))
        _OUTCOMES[case.id] = Outcome(case, spec_dir, texts, result, before, read_tree(out_dir),
                                     leftovers)
    return _OUTCOMES[case.id]


def _params(kind: str) -> list[object]:
    """The cases, marked xfail(strict) in the tests a known generator bug makes fail."""
    params = []
    for case in CASES:
        reason = case.misplaced if kind in ("located", "exact") else None
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def test_there_are_enough_cases() -> None:
    assert len({c.id for c in CASES}) == len(CASES) >= 14


@pytest.mark.parametrize("outcome", _params("refused"), indirect=True)
def test_refused_and_tree_untouched(outcome: Outcome) -> None:
    assert outcome.result.returncode == 2, outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.result.stdout == ""
    lines = outcome.result.stderr.splitlines()
    problems = outcome.problem_lines()
    assert problems, outcome.output
    for line in problems:
        assert PROBLEM_LINE.match(line), f"not `file:line: /pointer: message`: {line!r}"
    summary = SUMMARY_LINE.match(lines[-1])
    assert summary and int(summary["count"]) == len(problems), outcome.output
    assert outcome.after == outcome.before  # every file, byte for byte; nothing added or removed
    assert outcome.leftovers == []  # no staging or retired trees beside the output


@pytest.mark.parametrize("outcome", _params("located"), indirect=True)
def test_every_problem_located(outcome: Outcome) -> None:
    printed = [PROBLEM_LINE.match(line) for line in outcome.problem_lines()]
    for file, line, pointer, message in outcome.expected_lines():
        candidates = [m for m in printed if m and m["file"] == file and m["pointer"] == pointer
                      and re.fullmatch(message, m["message"])]
        assert candidates, f"no {file}:{line}: {pointer}: /{message}/ in\n{outcome.output}"
        assert line in [int(m["line"]) for m in candidates], (
            f"{pointer} reported at the wrong line (expected {line}):\n{outcome.output}")


@pytest.mark.parametrize("outcome", _params("exact"), indirect=True)
def test_nothing_else_reported(outcome: Outcome) -> None:
    printed = sorted(outcome.problem_lines())
    assert len(printed) == len(outcome.case.expect), "\n".join(printed)
    for file, line, pointer, message in outcome.expected_lines():
        prefix = f"{file}:{line}: {pointer}: "
        assert any(p.startswith(prefix) and re.fullmatch(message, p[len(prefix):]) for p in printed)


def test_a_real_process_refuses_as_main_does(tmp_path: Path) -> None:
    """The in-process runs above stand for `python -m generator`: a real process, on a case
    with several problems, exits 2 and prints what `main` printed, line for line."""
    case = next(c for c in CASES if c.id == "several-problems-in-one-spec")
    results = []
    for run in (run_generator, run_generator_in_process):
        spec_dir = tmp_path / run.__name__ / "spec"
        spec_dir.mkdir(parents=True)
        for name, text in case.mutate(BASE_SPEC).items():
            (spec_dir / name).write_text(text, encoding="utf-8")
        result = run("generate", "--spec-dir", spec_dir, "--out-dir", spec_dir.parent / "generated")
        results.append((result.returncode, result.stdout,
                        result.stderr.replace(str(spec_dir.parent), "ROOT")))
    process, in_process = results
    assert process[0] == 2, process
    assert process == in_process
