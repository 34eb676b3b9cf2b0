"""Build the IR: the checked specs' facts in, one Service per spec (and the command line) out."""

from __future__ import annotations

import hashlib

from . import naming, registry
from .build_cli import cli_index, cli_services, cli_settings
from .context import SpecContext
from .draft import ServiceDraft
from .extensions import service as service_names
from .ir import Api, Resource, ServerVariable, Service
from .load import SpecFile
from .models_document import models_input
from .openapi_json import openapi_json
from .operations import add_operations
from .problems import SpecError
from .schema_types import SchemaTypes
from .text import one_line
from .validate import read_specs


def build_api(specs: list[SpecFile]) -> Api:
    """The IR of the specs; raises SpecError with every problem when they are broken."""
    contexts, problems = read_specs(specs)
    if problems:
        raise SpecError(problems)
    return assemble(contexts)


def assemble(contexts: list[SpecContext]) -> Api:
    """The IR of specs read without a problem (`validate.read_specs`)."""
    return api_of(tuple(build_service(spec) for spec in contexts))


def api_of(services: tuple[Service, ...]) -> Api:
    """The IR of the whole package, from its services (in spec file order)."""
    digest = hashlib.sha256()
    for service in services:
        digest.update(f"{service.spec_file}\0{service.spec_sha256}\n".encode())
    cli = cli_services(services)
    return Api(services, digest.hexdigest(), cli, cli_settings(services), cli_index(cli))


def build_service(spec: SpecContext) -> Service:
    """The core operations, then each extension's part, then the models' input."""
    names = service_names.of(spec)
    draft = ServiceDraft(names.service, SchemaTypes(spec.doc, spec.schemas))
    add_operations(spec, draft)
    for extension in registry.EXTENSIONS:
        if extension.build is not None:
            extension.build(spec.facts(extension), draft)
    info = spec.data.get("info") or {}
    models = models_input(info, draft.types.schemas, draft.types.type_aliases)
    for extension in registry.EXTENSIONS:
        if extension.models is not None:
            models = extension.models(spec.facts(extension), models)
    server = (spec.data.get("servers") or [{}])[0]
    return Service(
        name=names.service,
        client_stem=names.client,
        title=info.get("title", names.service),
        description=str(info.get("description", "")),
        spec_file=spec.spec.name,
        spec_sha256=spec.spec.sha256,
        server_url=server.get("url", ""),
        server_variables=tuple(
            ServerVariable(name, str(v.get("default", "")), tuple(map(str, v.get("enum") or ())),
                           one_line(v.get("description", "")))
            for name, v in (server.get("variables") or {}).items()
        ),
        options=tuple(draft.options),
        resources=tuple(
            Resource(name, naming.pascal(name) + "Resource",
                     f"Operations on {name.replace('_', ' ')}.", tuple(ops),
                     tuple(draft.waiters.get(name, ())))
            for name, ops in draft.resources.items()
        ),
        model_imports=tuple(sorted(draft.types.model_names)),
        models=models,
        openapi_json=openapi_json(spec.data),
        error_codes_module=draft.error_codes_module,
        modules=tuple(draft.modules),
    )
