"""Render the IR through the Jinja templates into {path in the package tree: source text}."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache
from .imports import prune_unused
from .ir import Api, Service
from .layout import FILTERS, TESTS, export_order, import_order
from .line_split import split_overlong
from .provenance import display_path, header
from .render_cache import RenderCache
from .split_models import split_models_cached

if TYPE_CHECKING:
    import jinja2

VERSION = "0.1.0"
# what a template prints for its header until the file is taken from the render cache
HEADER_MARK = "# <the provenance header: generator.provenance.header>"
# Hand-written Python copied into the package as it is: templates/<folder>/ -> dataarts/<package>/.
# The runtime every client needs; the simulator (`dataarts.testing`); the command line's support.
VERBATIM_PACKAGES = (("runtime", "_runtime"), ("testing", "testing"), ("cli", "cli"))
# Templates that print black's layout wherever their lines fit: a piece of their output with no
# line over black's length skips black (`format.Formatter`); tests/generator/test_format.py checks
# every file they made is black-clean; their overlong lines are split as black splits them
# (`line_split`). Not the models: datamodel-code-generator's (`format.Formatter`).
BLACK_LAYOUT_TEMPLATES = frozenset({
    "package_init.py.jinja", "config_values.py.jinja", "meta.py.jinja", "package_main.py.jinja",
    "service_init.py.jinja", "service_client.py.jinja", "openapi.py.jinja",
    "error_codes.py.jinja", "connectors.py.jinja", "nodes.py.jinja", "cli_commands.py.jinja",
    "cli_index.py.jinja", "models.py.jinja",
})


@lru_cache(maxsize=8)
def environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """The templates' environment: layout.py's filters and tests; with a `cache_dir`, compiled
    templates are kept there between runs (Jinja checks each against its source)."""
    import jinja2  # only when a file is rendered: a run served from the caches never needs it

    bytecode = None
    if cache_dir is not None:
        (cache_dir / "jinja").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "jinja"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=bytecode,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,  # a block tag alone on its line leaves no empty line behind
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


@dataclass(frozen=True)
class Rendered:
    """The package's files: those black still has to format, and those copied as they are;
    `black_layout`: the files of `to_format` from a template of BLACK_LAYOUT_TEMPLATES."""

    to_format: dict[str, str]
    verbatim: dict[str, str]
    black_layout: frozenset[str] = frozenset()


def render(
    api: Api, templates_dir: Path, root: Path, cache_dir: Path | None = None,
    memo: RenderCache | None = None,
) -> Rendered:
    """Every file of the `dataarts` package but the models (see `models_module`), unformatted;
    a module from a template imports only what it uses (`imports.prune_unused`). With a `memo`,
    a file whose inputs are unchanged is taken from it instead of rendered."""
    memo = memo or RenderCache(Cache(None), templates_dir, "")
    spec_sources = [(s.spec_file, s.spec_sha256) for s in api.services]
    package_header = header(spec_sources)
    package = f"package {api.spec_digest}"

    black_layout: set[str] = set()

    def one(target: str, template: str, ir: str, **context: Any) -> dict[str, str]:
        if template in BLACK_LAYOUT_TEMPLATES:
            black_layout.add(target)
        # rendered with a mark for the header: a spec's new hash alone renders nothing again
        header_text = context.pop("header")

        def produce() -> dict[str, str]:
            text = environment(templates_dir, cache_dir).get_template(template).render(
                header=HEADER_MARK, **context)
            if target.endswith(".py"):
                text = prune_unused(text)
                if template in BLACK_LAYOUT_TEMPLATES:  # its one-line data, as black splits it
                    text = split_overlong(text, memo.splits)
            return {target: text}

        key = memo.context_key(template, context)
        made = memo.files(target, template, f"given {key}" if key else ir, produce)
        return {name: text.replace(HEADER_MARK, header_text) for name, text in made.items()}

    files: dict[str, str] = {}
    files |= one(
        "dataarts/__init__.py", "package_init.py.jinja", package,
        header=package_header, services=api.services, version=VERSION,
        submodules=tuple(sorted([s.name for s in api.services] + ["testing"])),
    )
    # `dataarts.to_config_values(..., connector=)` checks names against the connector
    # catalogues, which it imports when first needed (the runtime imports no service)
    files |= one(
        "dataarts/_config_values.py", "config_values.py.jinja", package,
        header=package_header,
        modules=[f"dataarts.{s.name}.{m.name}" for s in api.services for m in s.modules
                 if m.name == "connectors"],  # x-cdm-parameters, the names it checks
    )
    files |= one("dataarts/_meta.py", "meta.py.jinja", package,
                 header=package_header, api=api, version=VERSION)
    # the command line: an index read at start, a command table per service loaded when named
    # (their texts name other services' commands: each depends on the whole package), and
    # `python -m dataarts`
    files |= one("dataarts/_cli_commands/__init__.py", "cli_index.py.jinja", package,
                 header=package_header, api=api)
    for cli_service in api.cli_services:
        files |= one(f"dataarts/_cli_commands/{cli_service.name}.py", "cli_commands.py.jinja",
                     package, header=package_header, service=cli_service)
    files |= one("dataarts/__main__.py", "package_main.py.jinja", package, header=package_header)
    verbatim = {"dataarts/py.typed": package_header + "\n"}
    # Hand-written code is kept black-formatted under templates/ (a test checks), so the copies
    # skip the format step.
    for folder, package_name in VERBATIM_PACKAGES:
        for source, target in verbatim_sources(templates_dir / folder, package_name):
            text = source.read_bytes()
            origin = header([(display_path(source, root), hashlib.sha256(text).hexdigest())])
            verbatim[target] = origin + "\n" + text.decode("utf-8")
    for service in api.services:
        ir = service_ir(service)
        for target, template, context in _service_files(service):
            files |= one(target, template, ir, **context)
    return Rendered(files, verbatim, frozenset(black_layout))


def service_ir(service: Service) -> str:
    """Names a service's IR for the render cache: the spec file it was built from."""
    return f"service {service.spec_file} {service.spec_sha256}"


def verbatim_sources(folder: Path, package: str) -> list[tuple[Path, str]]:
    """The .py files below a hand-written folder, each with its path in the package tree."""
    return [
        (source, f"dataarts/{package}/{source.relative_to(folder).as_posix()}")
        for source in sorted(folder.rglob("*.py"))
        if "__pycache__" not in source.parts
    ]


def _service_files(service: Service) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, template, template variables) of each file of a service but its models."""
    service_header = header([(service.spec_file, service.spec_sha256)])
    base = f"dataarts/{service.name}"
    # the public modules besides the clients, imported on first use (`dataarts.cdm.connectors`)
    submodules = tuple(sorted(["models", *(m.name for m in service.modules)]))
    common = {"header": service_header, "service": service}
    files = [
        (f"{base}/__init__.py", "service_init.py.jinja", {**common, "submodules": submodules}),
        (f"{base}/_client.py", "service_client.py.jinja", common),
        (f"{base}/_openapi.py", "openapi.py.jinja", common),
    ]
    for module in service.modules:  # the extensions' own modules (registry.py)
        files.append((f"{base}/{module.name}.py", module.template, {**common, "module": module.data}))
    return files


def models_module(
    service: Service, models: str, templates_dir: Path, cache_dir: Path | None = None,
    cache: Cache | None = None, salt: str = "", known: dict[str, list[str] | None] | None = None,
) -> dict[str, str]:
    """`dataarts/<service>/models.py` and its private package `_models/`, each file under our header.
    `known`: lines split before (`line_split.split_overlong`).

    `models` is datamodel-code-generator's source; `split_models` cuts it into one private module
    per cycle of classes, which the public module imports on first use.
    """
    service_header = header([(service.spec_file, service.spec_sha256)])
    base = f"dataarts/{service.name}"
    public = f"dataarts.{service.name}.models"
    groups = sorted(split_models_cached(models, cache or Cache(None), salt), key=lambda g: g.module)
    files = {  # the public module prints black's layout (`BLACK_LAYOUT_TEMPLATES`)
        f"{base}/models.py": split_overlong(environment(templates_dir, cache_dir).get_template(
            "models.py.jinja").render(
            header=service_header,
            service=service,
            groups=[replace(g, names=tuple(import_order(g.names))) for g in groups],
            names=export_order(n for g in groups for n in g.names),
            modules=sorted((name, g.module) for g in groups for name in g.names),
        ), known),
        f"{base}/_models/__init__.py": (
            f'{service_header}\n"""Private: the classes of `{public}`, one module per cycle."""\n'
        ),
    }
    for group in groups:
        doc = f"Defines {', '.join(group.names)} of `{public}` (import from there)."
        files[f"{base}/_models/{group.module}.py"] = f'{service_header}\n"""{doc}"""\n\n{group.source}'
    return files

