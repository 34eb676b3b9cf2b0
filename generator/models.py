"""Pydantic v2 models for a service's schemas, through datamodel-code-generator used as a library."""

from __future__ import annotations

import io
import json
import re
import tokenize
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .cache import Cache
from .imports import isort_order
from .ir import Service
from .line_split import split_overlong

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

MODEL_BASE = "dataarts._runtime.models.Model"
# a class's one-line docstring followed at once by its body: black puts an empty line between
_CLASS_DOCSTRING = re.compile(r'^(class [^\n]*:\n    """[^\n]*"""\n)(?=    \S)', re.MULTILINE)


def render_models(
    service: Service, cache: Cache | None = None, salt: str = "",
    pending: Future[dict[str, str]] | None = None,
) -> str:
    """Source of `dataarts/<service>/models.py` without header, in black's layout but for its
    overlong lines (`black_strings`), which the format step gives black.

    `salt` identifies the generator code; with it, a cached result is reused for an unchanged
    models document. `pending`: the same source being generated elsewhere (`start_models`).
    """
    cache = cache or Cache(None)
    key = models_key(service, salt)
    cached = cache.get("models", key)
    if cached is None:
        generated = pending.result() if pending is not None else {}
        cached = generated[service.name] if service.name in generated else generate_models(service)
        cache.put("models", key, cached)
    return cached


def start_models(
    services: Iterable[Service], cache: Cache, salt: str, pool: Executor | None
) -> Future[dict[str, str]] | None:
    """datamodel-code-generator started on the pool for the services whose models are not
    cached (their sources by name). One job for them all: the worker that takes it imports the
    generator once (a second of CPU), the other runs the validator beside it."""
    if pool is None:
        return None
    missing = [s for s in services if cache.get("models", models_key(s, salt)) is None]
    if not missing:
        return None
    return pool.submit(_generate_each, missing)


def _generate_each(services: list[Service]) -> dict[str, str]:
    return {service.name: generate_models(service) for service in services}


def models_key(service: Service, salt: str) -> str:
    """Everything datamodel-code-generator's output and our changes to it depend on."""
    models = service.models
    return Cache.key(
        salt, json.dumps(models.document, sort_keys=True), json.dumps(models.field_aliases),
        json.dumps(models.serialization_aliases),
        json.dumps(models.type_aliases), *(rewrite.key for rewrite in models.rewrites),
    )


def generate_models(service: Service) -> str:
    import datamodel_code_generator as dcg

    models = service.models
    source = dcg.generate(
        models.document,
        input_file_type=dcg.InputFileType.OpenAPI,
        output_model_type=dcg.DataModelType.PydanticV2BaseModel,
        target_python_version=dcg.PythonVersion.PY_311,
        base_class=MODEL_BASE,  # extra="allow", names and aliases both accepted, secrets masked
        aliases=models.field_aliases,  # our snake_case names; the wire name stays the alias
        serialization_aliases=models.serialization_aliases,
        use_annotated=True,  # Field() inside Annotated: mypy users construct with Python names
        field_constraints=True,
        use_schema_description=True,
        use_field_description=True,
        use_single_line_docstring=True,
        enum_field_as_literal="all",  # with the anyOf rewrite (models_document): Literal[...] | str
        collapse_root_models=True,
        keep_model_order=True,
        use_double_quotes=True,
        disable_timestamp=True,
        formatters=[],  # black runs once over every file in the format step
    )
    assert isinstance(source, str)
    if models.type_aliases:
        source = source.replace("from typing import ", "from typing import TypeAlias, ", 1)
        if "from typing import " not in source:
            source = "from typing import TypeAlias\n" + source
        source += "".join(
            f"\n\n{name}: TypeAlias = {members}\n"
            f'"""One of the shapes of the `{name}` schema: {members.replace(" | ", ", ")}."""\n'
            for name, members in models.type_aliases
        )
    for rewrite in models.rewrites:  # the extensions' changes (registry.py, `models`)
        source = rewrite.apply(source)
    source = _CLASS_DOCSTRING.sub(r"\1\n", black_strings(isort_order(source)))
    return split_overlong(source)  # what it cannot split, the format step gives black


def black_strings(source: str) -> str:
    """`source` with its one-line strings quoted as black quotes them: in double quotes unless
    that takes more backslashes (datamodel-code-generator prints `repr()`, formatters off)."""
    lines = source.splitlines(keepends=True)
    edits = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.string[0] == "'" and token.string[:3] != "'''":
            edits.append((token.start, token.end[1], _double_quoted(token.string[1:-1])))
    for (row, start), end, text in reversed(edits):
        if text is not None:
            line = lines[row - 1]
            lines[row - 1] = line[:start] + text + line[end:]
    return "".join(lines)


# a quote after an even number of backslashes (unescaped), and one after an odd number (escaped)
_UNESCAPED_DOUBLE = re.compile(r'((?:^|[^\\])(?:\\\\)*)"')
_ESCAPED_SINGLE = re.compile(r"((?:^|[^\\])(?:\\\\)*)\\'")


def _double_quoted(body: str) -> str | None:
    """The body of a single-quoted string in double quotes, or None where black keeps it as it
    is: when that needs more backslashes than it has."""
    new = body
    for pattern, quote in ((_ESCAPED_SINGLE, "'"), (_UNESCAPED_DOUBLE, '\\\\"')):
        while True:  # matches overlap (`\'\'`): substitute until none is left
            new, count = pattern.subn(rf"\g<1>{quote}", new)
            if not count:
                break
    if new.count("\\") > body.count("\\"):
        return None
    return f'"{new}"'

