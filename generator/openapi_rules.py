"""openapi-spec-validator's findings, each at its most specific place, merged with the project's."""

from __future__ import annotations

import os
from typing import Any

from .load import SpecFile
from .problems import Problem, pointer

VALIDATOR_BACKEND = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
# a project rule's messages about broken $refs: the validator cannot walk such a document
REF_MESSAGES = ("unresolved reference", "only local references")


def openapi_problems(spec: SpecFile) -> list[Problem]:
    """What openapi-spec-validator finds wrong, each reported at its most specific location."""
    # With jsonschema-rs installed (schemathesis brings it) the validator would use it, and it
    # reports errors relative to the failing sub-schema: their location in the spec is lost.
    os.environ[VALIDATOR_BACKEND] = "jsonschema"
    from openapi_spec_validator.validation import OpenAPIV30SpecValidator

    found: list[tuple[str, str]] = []
    try:
        for error in OpenAPIV30SpecValidator(spec.data).iter_errors():
            error = _most_specific(error)
            found.append((pointer(*error.absolute_path), _shorten(error.message)))
    except Exception as exc:  # noqa: BLE001 - the validator crashes on inputs it cannot walk
        found.append(("", f"openapi-spec-validator failed: {_shorten(str(exc))}"))
    located = [ptr for ptr, _ in found if ptr in spec.lines]
    return [
        spec.problem(ptr, message)
        for ptr, message in found
        # A schema's own errors also come back relative to the schema ("/type"); keep the
        # located twin ("/paths/.../schema/type") only.
        if ptr in spec.lines or not any(other.endswith(ptr) for other in located)
    ]


# Free text: openapi-spec-validator checks only that such a value is a string (the OpenAPI 3.0
# schema says `type: string`, nothing more), so two documents that differ only in such strings
# get the same verdict. Data is left as it is: values under these keys, or an extension's.
FREE_TEXT = frozenset({"description", "summary"})
DATA_KEYS = frozenset({"example", "examples", "default", "enum", "mapping"})


def without_free_text(data: Any) -> Any:
    """`data` with every description and summary string blanked: what the validator's verdict
    depends on, as a step cache key (an edited description is not validated again)."""
    if isinstance(data, dict):
        return {
            key: "" if key in FREE_TEXT and isinstance(value, str)
            else value if key in DATA_KEYS or str(key).startswith("x-")
            else without_free_text(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [without_free_text(item) for item in data]
    return data


def merge_problems(project: list[Problem], validator: list[Problem]) -> list[Problem]:
    """All problems, minus validator reports that repeat a project rule's, less precisely.

    Dropped: a validator report at a place a project rule already reported, and reports at the
    document root (e.g. "operation ID is not unique") when a project rule found that file wrong.
    """
    places = {(p.file, p.pointer) for p in project}
    files = {p.file for p in project}
    kept = [
        p for p in validator
        if (p.file, p.pointer) not in places and not (p.pointer == "" and p.file in files)
    ]
    return project + kept


def _most_specific(error: Any) -> Any:
    """oneOf/anyOf failures wrap the real cause; follow the deepest non-$ref branch."""
    while getattr(error, "context", None):
        branches = [c for c in error.context if "'$ref' is a required property" not in c.message]
        if not branches:
            break
        deeper = max(branches, key=lambda c: len(c.absolute_path))
        if len(deeper.absolute_path) < len(error.absolute_path):
            break
        error = deeper
    return error


def _shorten(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
