"""Shared helpers for the generator tests.

`BASE_SPEC` is one small, valid spec using every vendor extension the generator reads (service,
client, resource, method, pagination, client options); the tests derive their specs from it by
changing one thing at a time with `replace_once`. Lines are found with `line_of`, usually by a
`# @name` YAML comment put on the line a problem should be reported at.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator import Paths, generate
from generator.__main__ import main as generator_main
from generator.build import build_api
from generator.ir import Service
from generator.load import SpecFile, load_spec, load_specs

ROOT = Path(__file__).resolve().parents[2]

BASE_SPEC = """\
openapi: 3.0.3
info:
  title: Widgets API
  version: "1"
  description: A tiny API for the generator tests.
x-sdk-service: widgets
x-sdk-client: Widgets
servers:
  - url: https://widgets.{region}.example.com
    variables:
      region:
        default: xx-north-1
        description: Region of the service.
tags:
  - name: Widgets
paths:
  /v1/{project_id}/widgets:
    get:
      operationId: ListWidgets
      summary: List widgets
      tags:
        - Widgets
      x-sdk-resource: widgets
      x-sdk-method: list
      x-sdk-pagination:
        in: query
        start-param: offset
        size-param: limit
        start-kind: record
        start-base: 0
        items: widgets
        total: total
      parameters:
        - $ref: "#/components/parameters/ProjectId"
        - name: offset
          in: query
          schema:
            type: integer
        - name: limit
          in: query
          schema:
            type: integer
        - name: colour
          in: query
          schema:
            type: string
            enum:
              - red
              - blue
      responses:
        "200":
          description: OK.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/WidgetList"
        "400":
          $ref: "#/components/responses/Error"
    post:
      operationId: CreateWidget
      summary: Create a widget
      tags:
        - Widgets
      x-sdk-resource: widgets
      x-sdk-method: create
      parameters:
        - $ref: "#/components/parameters/ProjectId"
        - $ref: "#/components/parameters/Workspace"
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: "#/components/schemas/Widget"
      responses:
        "201":
          description: Created.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Widget"
        "400":
          $ref: "#/components/responses/Error"
  /v1/{project_id}/widgets/{widget_id}:
    get:
      operationId: ShowWidget
      summary: Show a widget
      tags:
        - Widgets
      x-sdk-resource: widgets
      x-sdk-method: get
      parameters:
        - $ref: "#/components/parameters/ProjectId"
        - name: widget_id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: OK.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Widget"
        default:
          $ref: "#/components/responses/Error"
components:
  parameters:
    ProjectId:
      name: project_id
      in: path
      required: true
      description: Project ID.
      schema:
        type: string
      x-sdk-client-option: project_id
    Workspace:
      name: workspace
      in: header
      required: false
      description: Workspace ID.
      schema:
        type: string
      x-sdk-client-option: workspace
  responses:
    Error:
      description: Error.
      content:
        application/json:
          schema:
            $ref: "#/components/schemas/Error"
  schemas:
    Widget:
      type: object
      required:
        - name
      properties:
        name:
          type: string
          description: Widget name.
        sizeInCm:
          type: integer
    WidgetList:
      type: object
      properties:
        total:
          type: integer
        widgets:
          type: array
          items:
            $ref: "#/components/schemas/Widget"
    Error:
      type: object
      properties:
        error_code:
          type: string
        error_msg:
          type: string
"""


def replace_once(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced by `new`; `old` must occur exactly once (keeps edits honest)."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times, expected once"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    """1-based number of the one line of `text` containing `needle`."""
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}, expected exactly one"
    return found[0]


def write_spec(spec_dir: Path, text: str | bytes, name: str = "widgets.yaml") -> Path:
    spec_dir.mkdir(parents=True, exist_ok=True)
    path = spec_dir / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = "widgets.yaml") -> SpecFile:
    """A SpecFile from spec text; its display name is `spec/<name>`."""
    return load_spec(write_spec(tmp_path / "spec", text, name), tmp_path)


def build_service(tmp_path: Path, text: str = BASE_SPEC) -> Service:
    (service,) = build_api([load_text(tmp_path, text)]).services
    return service


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (caches included: nothing may appear unnoticed), by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def run_generator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m generator <args>` from the project root, as `make` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )


def run_generator_in_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """What `run_generator` gives, from the command line's `main` in this interpreter: its
    return value as the exit code, what it printed as stdout and stderr (an exception it lets
    escape fails the test with its traceback). A fresh interpreter costs a second or two."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = generator_main(argv)
    return subprocess.CompletedProcess(["python", "-m", "generator", *argv], code,
                                       out.getvalue(), err.getvalue())


def make_paths(spec_dir: Path, out_dir: Path, **changes: Any) -> Paths:
    """Paths for a test tree; no result cache unless asked (a cache hit would hide the work)."""
    paths = Paths(spec_dir=spec_dir, out_dir=out_dir)
    if hasattr(paths, "cache_dir"):
        paths.cache_dir = None
    for name, value in changes.items():
        setattr(paths, name, value)
    return paths


def generate_into(spec_dir: Path, out_dir: Path, **kwargs: Any) -> Any:
    return generate(make_paths(spec_dir, out_dir), **kwargs)


@pytest.fixture(scope="session")
def base_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tree generated from BASE_SPEC (do not modify: copy it)."""
    root = tmp_path_factory.mktemp("base")
    write_spec(root / "spec", BASE_SPEC)
    generate_into(root / "spec", root / "generated")
    return root / "generated"


@pytest.fixture(scope="session")
def real_specs() -> list[SpecFile]:
    paths = Paths()
    return load_specs(paths.spec_dir, paths.root)
