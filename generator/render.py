"""Render the IR through the Jinja templates into {path in the package tree: source text}."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import jinja2

from .imports import prune_unused
from .ir import Api, Service
from .layout import FILTERS, TESTS, export_order, import_order
from .provenance import display_path, header, sha256_file
from .split_models import split_models

VERSION = "0.1.0"
# Hand-written Python copied into the package as it is: templates/<folder>/ -> dataarts/<package>/.
# The runtime every client needs; the simulator (`dataarts.testing`); the command line's support.
VERBATIM_PACKAGES = (("runtime", "_runtime"), ("testing", "testing"), ("cli", "cli"))
@lru_cache(maxsize=8)
def environment(templates_dir: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """The templates' environment: layout.py's filters and tests; with a `cache_dir`, compiled
    templates are kept there between runs (Jinja checks each against its source)."""
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
    """The package's files: those black still has to format, and those copied as they are."""

    to_format: dict[str, str]
    verbatim: dict[str, str]


def render(api: Api, templates_dir: Path, root: Path, cache_dir: Path | None = None) -> Rendered:
    """Every file of the `dataarts` package but the models (see `models_module`), unformatted;
    a module from a template imports only what it uses (`imports.prune_unused`)."""
    env = environment(templates_dir, cache_dir)
    spec_sources = [(s.spec_file, s.spec_sha256) for s in api.services]
    package_header = header(spec_sources)
    files: dict[str, str] = {}
    files["dataarts/__init__.py"] = env.get_template("package_init.py.jinja").render(
        header=package_header, services=api.services, version=VERSION,
        submodules=tuple(sorted([s.name for s in api.services] + ["testing"])),
    )
    # `dataarts.to_config_values(..., connector=)` checks names against the connector
    # catalogues, which it imports when first needed (the runtime imports no service)
    files["dataarts/_config_values.py"] = env.get_template("config_values.py.jinja").render(
        header=package_header,
        modules=[f"dataarts.{s.name}.{m.name}" for s in api.services for m in s.modules
                 if m.name == "connectors"],  # x-cdm-parameters, the names it checks
    )
    files["dataarts/_meta.py"] = env.get_template("meta.py.jinja").render(
        header=package_header, api=api, version=VERSION
    )
    # the command line: its command table (data), and `python -m dataarts`
    files["dataarts/_cli_commands.py"] = env.get_template("cli_commands.py.jinja").render(
        header=package_header, api=api
    )
    files["dataarts/__main__.py"] = env.get_template("package_main.py.jinja").render(
        header=package_header
    )
    verbatim = {"dataarts/py.typed": package_header + "\n"}
    # Hand-written code is kept black-formatted under templates/ (a test checks), so the copies
    # skip the format step.
    for folder, package in VERBATIM_PACKAGES:
        for source, target in verbatim_sources(templates_dir / folder, package):
            origin = header([(display_path(source, root), sha256_file(source))])
            verbatim[target] = origin + "\n" + source.read_text(encoding="utf-8")
    for service in api.services:
        files.update(_service_files(env, service))
    return Rendered({name: prune_unused(text) if name.endswith(".py") else text
                     for name, text in files.items()}, verbatim)


def verbatim_sources(folder: Path, package: str) -> list[tuple[Path, str]]:
    """The .py files below a hand-written folder, each with its path in the package tree."""
    return [
        (source, f"dataarts/{package}/{source.relative_to(folder).as_posix()}")
        for source in sorted(folder.rglob("*.py"))
        if "__pycache__" not in source.parts
    ]


def _service_files(env: jinja2.Environment, service: Service) -> dict[str, str]:
    service_header = header([(service.spec_file, service.spec_sha256)])
    base = f"dataarts/{service.name}"
    # the public modules besides the clients, imported on first use (`dataarts.cdm.connectors`)
    submodules = tuple(sorted(["models", *(m.name for m in service.modules)]))
    files = {
        f"{base}/__init__.py": env.get_template("service_init.py.jinja").render(
            header=service_header, service=service, submodules=submodules
        ),
        f"{base}/_client.py": env.get_template("service_client.py.jinja").render(
            header=service_header, service=service
        ),
    }
    files[f"{base}/_openapi.py"] = env.get_template("openapi.py.jinja").render(
        header=service_header, service=service
    )
    for module in service.modules:  # the extensions' own modules (registry.py)
        files[f"{base}/{module.name}.py"] = env.get_template(module.template).render(
            header=service_header, service=service, module=module.data
        )
    return files


def models_module(
    service: Service, models: str, templates_dir: Path, cache_dir: Path | None = None
) -> dict[str, str]:
    """`dataarts/<service>/models.py` and its private package `_models/`, each file under our header.

    `models` is datamodel-code-generator's source; `split_models` cuts it into one private module
    per cycle of classes, which the public module imports on first use.
    """
    service_header = header([(service.spec_file, service.spec_sha256)])
    base = f"dataarts/{service.name}"
    public = f"dataarts.{service.name}.models"
    groups = sorted(split_models(models), key=lambda g: g.module)
    files = {
        f"{base}/models.py": environment(templates_dir, cache_dir).get_template("models.py.jinja").render(
            header=service_header,
            service=service,
            groups=[replace(g, names=tuple(import_order(g.names))) for g in groups],
            names=export_order(n for g in groups for n in g.names),
            modules=sorted((name, g.module) for g in groups for name in g.names),
        ),
        f"{base}/_models/__init__.py": (
            f'{service_header}\n"""Private: the classes of `{public}`, one module per cycle."""\n'
        ),
    }
    for group in groups:
        doc = f"Defines {', '.join(group.names)} of `{public}` (import from there)."
        files[f"{base}/_models/{group.module}.py"] = f'{service_header}\n"""{doc}"""\n\n{group.source}'
    return files

