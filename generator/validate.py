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
    contexts = [read_spec(spec) for spec in specs]
    return contexts, check_across(contexts)


def read_spec(spec: SpecFile) -> SpecContext:
    """One spec read on its own: the rules and extensions that look at no other spec file."""
    context = SpecContext(spec)
    check_refs(context)
    if context.problems:  # everything below follows $refs
        return context
    for extension in registry.EXTENSIONS:
        context.put(extension, extension.read(context))
    check_document(context)
    methods: list[MethodName] = []
    for extension in registry.EXTENSIONS:
        if extension.methods is not None:
            methods += extension.methods(context, context.facts(extension))
    check_method_names(context, methods)
    return context


def check_across(contexts: list[SpecContext]) -> list[Problem]:
    """The rules over all spec files together (`across`); every problem of every spec after them."""
    for extension in registry.EXTENSIONS:
        if extension.across is not None:
            extension.across(contexts)
    return [p for spec in contexts for p in spec.problems]


def project_problems(specs: list[SpecFile]) -> list[Problem]:
    """The project's own rules (and the extensions'), over all spec files at once."""
    return read_specs(specs)[1]
