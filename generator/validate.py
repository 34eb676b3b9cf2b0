"""The check stage: read every spec, plain OpenAPI rules then each extension, problems beside facts."""

from __future__ import annotations

from . import registry
from .context import SpecContext
from .extensions.contract import MethodName
from .load import SpecFile
from .problems import Problem
from .rules import check_document, check_method_names, check_refs


def read_specs(specs: list[SpecFile]) -> tuple[list[SpecContext], list[Problem]]:
    """Each spec read: its extensions' facts (what checked out), and every problem found."""
    contexts = [SpecContext(spec) for spec in specs]
    for spec in contexts:
        check_refs(spec)
        if spec.problems:  # everything below follows $refs
            continue
        for extension in registry.EXTENSIONS:
            spec.put(extension, extension.read(spec))
        check_document(spec)
        methods: list[MethodName] = []
        for extension in registry.EXTENSIONS:
            if extension.methods is not None:
                methods += extension.methods(spec, spec.facts(extension))
        check_method_names(spec, methods)
    for extension in registry.EXTENSIONS:
        if extension.across is not None:
            extension.across(contexts)
    return contexts, [p for spec in contexts for p in spec.problems]


def project_problems(specs: list[SpecFile]) -> list[Problem]:
    """The project's own rules (and the extensions'), over all spec files at once."""
    return read_specs(specs)[1]
