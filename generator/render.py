"""Render the IR through the Jinja templates into {path in the package tree: source text}."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from .ir import FLAVORS, Api, Service
from .literals import py_literal
from .naming import isort_key
from .provenance import display_path, header, sha256_file
from .split_models import split_models

VERSION = "0.1.0"
# Hand-written Python copied into the package as it is: templates/<folder>/ -> dataarts/<package>/.
# The runtime every client needs; the simulator (`dataarts.testing`); the command line's support.
VERBATIM_PACKAGES = (("runtime", "_runtime"), ("testing", "testing"), ("cli", "cli"))
RUNTIME_EXPORTS = {  # public names of the hand-written runtime, by module
    "aiohttp_client": ("DefaultAioHttpClient",),
    "auth": ("AkSkAuth", "TokenAuth"),
    "client": ("RawResponse", "with_raw_response"),
    "catalogue": ("ParameterError",),
    "configs": ("from_config_values", "to_config_values"),
    "errors": (
        "APIConnectionError", "APIError", "APIStatusError", "APITimeoutError",
        "AuthenticationError", "BadRequestError", "ConfigurationError", "ConflictError",
        "DataArtsError", "DocumentedError", "InternalServerError", "NotFoundError",
        "PermissionDeniedError", "RateLimitError", "RequestTimeoutError", "ResponseValidationError",
    ),
    "models": ("Model",),
    "retry": ("RetryPolicy",),
    "types": ("NOT_GIVEN", "NotGiven", "RequestOptions"),
    "waiters": ("WaitProgress", "WaiterFailedError", "WaiterTimeoutError"),
}


def environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,  # a block tag alone on its line leaves no empty line behind
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["docstring"] = _docstring
    env.filters["py"] = py_literal
    return env


@dataclass(frozen=True)
class Rendered:
    """The package's files: those black still has to format, and those copied as they are."""

    to_format: dict[str, str]
    verbatim: dict[str, str]


def render(api: Api, templates_dir: Path, root: Path) -> Rendered:
    """Every file of the `dataarts` package but the models (see `models_module`), unformatted."""
    env = environment(templates_dir)
    spec_sources = [(s.spec_file, s.spec_sha256) for s in api.services]
    package_header = header(spec_sources)
    files: dict[str, str] = {}
    exports = sorted(
        [(name, f".{s.name}") for s in api.services
         for name in (f"{s.client_stem}Client", f"Async{s.client_stem}Client")]
        + [(name, f"._runtime.{module}") for module, names in RUNTIME_EXPORTS.items() for name in names],
        key=lambda pair: isort_key(pair[0])[::2],  # __all__: ruff wants case-sensitive order
    )
    by_module: dict[str, list[str]] = {}
    for name, module in exports:
        by_module.setdefault(module, []).append(name)
    export_imports = sorted((m, sorted(n, key=isort_key)) for m, n in by_module.items())
    files["dataarts/__init__.py"] = env.get_template("package_init.py.jinja").render(
        header=package_header, services=api.services, exports=exports,
        export_imports=export_imports, version=VERSION,
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
    return Rendered(files, verbatim)


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
    files = {
        f"{base}/__init__.py": env.get_template("service_init.py.jinja").render(
            header=service_header, service=service
        ),
        f"{base}/_client.py": env.get_template("service_client.py.jinja").render(
            header=service_header, service=service, flavors=FLAVORS
        ),
    }
    files[f"{base}/_openapi.py"] = env.get_template("openapi.py.jinja").render(
        header=service_header, service=service
    )
    if service.error_codes:
        files[f"{base}/error_codes.py"] = env.get_template("error_codes.py.jinja").render(
            header=service_header, service=service
        )
    for catalogue in service.catalogues:
        files[f"{base}/{catalogue.module}.py"] = env.get_template(catalogue.template).render(
            header=service_header, catalogue=catalogue
        )
    return files


def models_module(service: Service, models: str, templates_dir: Path) -> dict[str, str]:
    """`dataarts/<service>/models.py` and its private package `_models/`, each file under our header.

    `models` is datamodel-code-generator's source; `split_models` cuts it into one private module
    per cycle of classes, which the public module imports on first use.
    """
    service_header = header([(service.spec_file, service.spec_sha256)])
    base = f"dataarts/{service.name}"
    public = f"dataarts.{service.name}.models"
    groups = sorted(split_models(models), key=lambda g: g.module)
    files = {
        f"{base}/models.py": environment(templates_dir).get_template("models.py.jinja").render(
            header=service_header,
            service=service,
            groups=[replace(g, names=tuple(sorted(g.names, key=isort_key))) for g in groups],
            names=sorted((n for g in groups for n in g.names), key=lambda n: isort_key(n)[::2]),
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


def _docstring(lines: tuple[str, ...] | list[str], indent: int) -> str:
    """Join docstring lines, indenting all but the first; blank lines stay empty."""
    pad = " " * indent
    return "\n".join(line if i == 0 or not line else pad + line for i, line in enumerate(lines))
