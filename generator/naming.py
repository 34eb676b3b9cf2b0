"""Python names from wire names: snake_case, PascalCase, and what must never be used as a name."""

from __future__ import annotations

import keyword
import re
import unicodedata

# Attributes of pydantic.BaseModel that a field must not shadow (public API of pydantic v2 + v1 shims).
MODEL_RESERVED = frozenset(
    ["construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config", "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra", "model_fields", "model_fields_set", "model_json_schema", "model_parametrized_name", "model_post_init", "model_rebuild", "model_validate", "model_validate_json", "model_validate_strings", "parse_file", "parse_obj", "parse_raw", "schema", "schema_json", "update_forward_refs", "validate"]
)
# Keyword arguments every generated method takes besides the operation's own parameters.
METHOD_RESERVED = frozenset(
    {"self", "body", "file", "options", "timeout", "extra_headers", "extra_query", "max_retries",
     "retry_non_idempotent",
     # and what a waiter method takes besides the polled operation's parameters
     "delay", "max_delay", "on_poll", "sleep", "clock"}
)

_WORD_BOUNDARY = re.compile(
    r"[A-Z]{2,}v[0-9]+"  # an acronym with a version: "IPv4Address" -> IPv4
    r"|[A-Z]{2,}s(?![a-z])"  # a plural acronym: "jobIDs" -> IDs
    r"|[A-Z]+(?=[A-Z][a-z])"  # an acronym before a capitalised word: "HTTPStatus" -> HTTP
    r"|[A-Z]?[a-z]+[0-9]*"  # a word, optionally capitalised, digits stay with it: v2, s3
    r"|[A-Z]+[0-9]*"  # a trailing acronym
    r"|[0-9]+"
)


def words(name: str) -> list[str]:
    """Split any mix of kebab, snake, camel, spaces and dots into lower-case words."""
    if not name.isascii():  # "Ünïcode" -> "Unicode"; letters with no ASCII form are dropped
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return [w.lower() for w in _WORD_BOUNDARY.findall(name)]


def snake(name: str) -> str:
    """`from-connector-name`, `isIncrementing`, `expressionTime Zone` -> snake_case identifier."""
    out = "_".join(words(name)) or "field"
    if out[0].isdigit():
        out = "n" + out
    if keyword.iskeyword(out) or keyword.issoftkeyword(out):
        out += "_"
    return out


def field_name(wire: str) -> str:
    """Python attribute name for a model field with wire name `wire`."""
    name = snake(wire)
    return name + "_" if name in MODEL_RESERVED else name


def argument_name(wire: str) -> str:
    """Python keyword-argument name for an operation parameter with wire name `wire`."""
    name = snake(wire)
    return name + "_" if name in METHOD_RESERVED else name


def method_name(name: str) -> str:
    """Method names are given snake_case in the spec; keywords (`import`) get a trailing `_`."""
    return name + "_" if keyword.iskeyword(name) else name


def pascal(name: str) -> str:
    return "".join(w.capitalize() for w in words(name))


def is_snake_identifier(name: str) -> bool:
    return re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None


def is_pascal_identifier(name: str) -> bool:
    return re.fullmatch(r"[A-Z][A-Za-z0-9]*", name) is not None


def isort_key(name: str) -> tuple[int, str, str]:
    """Order of names in `from x import ...` as ruff's isort wants it: CONSTANTS, Classes, others."""
    if len(name) > 1 and name.isupper():
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    return group, name.lower(), name
