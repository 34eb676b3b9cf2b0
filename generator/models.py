"""Pydantic v2 models for a service's schemas, through datamodel-code-generator used as a library."""

from __future__ import annotations

import json

from .cache import Cache
from .ir import Service
from .naming import isort_key

MODEL_BASE = "dataarts._runtime.models.Model"


def render_models(service: Service, cache: Cache | None = None, salt: str = "") -> str:
    """Source of `dataarts/<service>/models.py`, unformatted (black runs later) and without header.

    `salt` identifies the generator code; with it, a cached result is reused for an unchanged
    models document.
    """
    cache = cache or Cache(None)
    key = Cache.key(
        salt, json.dumps(service.models_document, sort_keys=True), json.dumps(service.field_aliases),
        json.dumps(service.type_aliases),
    )
    cached = cache.get("models", key)
    if cached is None:
        cached = _generate(service)
        cache.put("models", key, cached)
    return cached


def _generate(service: Service) -> str:
    import datamodel_code_generator as dcg

    source = dcg.generate(
        service.models_document,
        input_file_type=dcg.InputFileType.OpenAPI,
        output_model_type=dcg.DataModelType.PydanticV2BaseModel,
        target_python_version=dcg.PythonVersion.PY_311,
        base_class=MODEL_BASE,  # extra="allow", names and aliases both accepted, secrets masked
        aliases=service.field_aliases,  # our snake_case names; the wire name stays the alias
        use_annotated=True,  # Field() inside Annotated: mypy users construct with Python names
        field_constraints=True,
        use_schema_description=True,
        use_field_description=True,
        use_single_line_docstring=True,
        enum_field_as_literal="all",  # with the anyOf rewrite in build.py: Literal[...] | str
        collapse_root_models=True,
        keep_model_order=True,
        use_double_quotes=True,
        disable_timestamp=True,
        formatters=[],  # black runs once over every file in the format step
    )
    assert isinstance(source, str)
    if service.type_aliases:
        source = source.replace("from typing import ", "from typing import TypeAlias, ", 1)
        if "from typing import " not in source:
            source = "from typing import TypeAlias\n" + source
        source += "".join(
            f"\n\n{name}: TypeAlias = {members}\n"
            f'"""One of the shapes of the `{name}` schema: {members.replace(" | ", ", ")}."""\n'
            for name, members in service.type_aliases
        )
    return _imports_in_isort_order(source)


_STDLIB = frozenset({"__future__", "typing", "enum", "datetime", "decimal", "uuid", "ipaddress", "pathlib"})
_SECTIONS = ("__future__", "stdlib", "third-party", "local")


def _imports_in_isort_order(source: str) -> str:
    """Drop datamodel-codegen's banner and regroup its one-line imports the way ruff's isort wants.

    The base class import becomes relative (datamodel-codegen only takes an absolute path), so the
    generated package never depends on how a linter classifies `dataarts`.
    """
    lines = source.splitlines()
    sections: dict[str, dict[str, set[str]]] = {s: {} for s in _SECTIONS}
    body_start = 0
    for i, line in enumerate(lines):
        if line.startswith("#") or not line.strip():
            continue
        if not line.startswith("from "):
            body_start = i
            break
        module, names = line[len("from "):].split(" import ", 1)
        module = module.replace("dataarts._runtime.", ".._runtime.")
        if module == "__future__":
            section = "__future__"
        elif module.startswith("."):
            section = "local"
        elif module.split(".")[0] in _STDLIB:
            section = "stdlib"
        else:
            section = "third-party"
        sections[section].setdefault(module, set()).update(n.strip() for n in names.split(","))
    blocks = []
    for section in _SECTIONS:
        if sections[section]:
            blocks.append("\n".join(
                f"from {module} import {', '.join(sorted(names, key=isort_key))}"
                for module, names in sorted(sections[section].items())
            ))
    return "\n\n".join(blocks) + "\n\n\n" + "\n".join(lines[body_start:]) + "\n"
