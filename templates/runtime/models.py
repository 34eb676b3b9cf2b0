"""The base of every generated model, and response parsing that tolerates the wire's type slips."""

from __future__ import annotations

import gc
import json
import types
import typing
from collections.abc import Iterator
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict, RootModel, TypeAdapter, ValidationError

from .logs import REDACTED, is_secret_name, logger

M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    """Base of the generated models.

    - Unknown fields are kept (`extra="allow"`), so a get, modify, update round trip loses nothing.
    - Fields can be given by Python name or by wire name; dumps use the wire names.
    - `repr()` masks credentials: password-like fields, and the `value` of name/value pairs whose
      `name` is password-like (CDM link inputs such as `linkConfig.password`).
    """

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        defer_build=True,  # schemas are built on first use, which keeps imports fast
    )

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        pair_name = getattr(self, "name", None) if "value" in type(self).model_fields else None
        secret_pair = isinstance(pair_name, str) and is_secret_name(pair_name)
        for key, value in super().__repr_args__():
            if (
                key is not None
                and value is not None
                and (is_secret_name(key) or (secret_pair and key == "value"))
            ):
                yield key, REDACTED
            else:
                yield key, redact_plain(value)


def redact_plain(value: Any) -> Any:
    """Masked copy of plain data (kept unknown fields): secret keys, and secret name/value pairs."""
    if isinstance(value, dict):
        name = value.get("name")
        secret_pair = isinstance(name, str) and is_secret_name(name)
        return {
            k: (
                REDACTED
                if (isinstance(k, str) and is_secret_name(k)) or (secret_pair and k == "value")
                else redact_plain(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_plain(v) for v in value]
    return value


def parse_body(target: Any, content: bytes) -> Any:
    """Validate a JSON body into `target` (a model class or a type such as `A | B`).

    If the body breaks the documented types, the values are kept as sent (and a warning logged)
    rather than raising: the wire is the truth. Parsing pauses the cyclic garbage collector: on
    large list responses most of pydantic's time otherwise goes to collections triggered by the
    many objects it creates.
    """
    content = content or b"{}"
    enabled = gc.isenabled()
    gc.disable()
    try:
        if isinstance(target, type) and issubclass(target, BaseModel):
            return target.model_validate_json(content)
        return _adapter(target).validate_json(content)
    except ValidationError as error:
        logger.warning(
            "response does not match %s (%d problem(s), first at %s); kept the values as sent",
            getattr(target, "__name__", target),
            error.error_count(),
            _loc(error),
        )
        return _lenient_value(target, json.loads(content))
    finally:
        if enabled:
            gc.enable()


def _adapter(target: Any) -> TypeAdapter[Any]:
    """A TypeAdapter per type, built once (building one costs far more than using it)."""
    try:
        return _ADAPTERS[target]
    except KeyError:
        adapter = _ADAPTERS[target] = TypeAdapter(target)
        return adapter
    except TypeError:  # unhashable type expression
        return TypeAdapter(target)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def lenient(model: type[M], data: Any) -> M:
    """Build `model` from `data`, validating field by field and keeping values that do not fit."""
    model.model_rebuild()  # resolves forward references of lazily built models
    if issubclass(model, RootModel):
        return model.model_construct(_lenient_value(model.model_fields["root"].annotation, data))
    if not isinstance(data, dict):
        return model.model_construct()
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    by_wire = {(f.alias or name): (name, f) for name, f in model.model_fields.items()}
    for key, value in data.items():
        if key in by_wire:
            name, info = by_wire[key]
            values[name] = _lenient_value(info.annotation, value)
        else:
            extra[key] = value
    missing = {
        name: None
        for name, info in model.model_fields.items()
        if info.is_required() and name not in values
    }
    instance = model.model_construct(**values)
    for name, value in missing.items():  # absent although required: reads as None
        object.__setattr__(instance, name, value)
    if extra:
        object.__setattr__(
            instance, "__pydantic_extra__", {**(instance.__pydantic_extra__ or {}), **extra}
        )
    return instance


def _lenient_value(annotation: Any, value: Any) -> Any:
    try:
        return _adapter(annotation).validate_python(value)
    except (ValidationError, TypeError, ValueError):
        pass
    candidates = _candidates(annotation)
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    if models and (isinstance(value, dict) or any(issubclass(m, RootModel) for m in models)):
        return lenient(max(models, key=lambda m: _fit(m, value)), value)
    for candidate in candidates:
        origin = get_origin(candidate)
        if origin is list and isinstance(value, list):
            (item,) = get_args(candidate) or (Any,)
            return [_lenient_value(item, v) for v in value]
        if origin is dict and isinstance(value, dict):
            _, item = get_args(candidate) or (Any, Any)
            return {k: _lenient_value(item, v) for k, v in value.items()}
    return value  # as sent: the caller sees the server's value rather than an exception


def _fit(model: type[BaseModel], value: Any) -> int:
    """How well `value` fits `model`: fields that validate; a mismatching Literal rules it out."""
    if issubclass(model, RootModel):
        return 0
    if not isinstance(value, dict):
        return -1
    model.model_rebuild()
    score = 0
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key not in value:
            continue
        try:
            _adapter(info.annotation).validate_python(value[key])
            score += 1
        except (ValidationError, TypeError, ValueError):
            if get_origin(info.annotation) is typing.Literal:
                return -1000  # a discriminator saying "not me"
    return score


def _candidates(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _candidates(get_args(annotation)[0])
    if origin is typing.Union or isinstance(annotation, types.UnionType):
        return [c for arg in get_args(annotation) for c in _candidates(arg)]
    return [annotation]


def _loc(error: ValidationError) -> str:
    first = error.errors(include_url=False)[0]
    return "/".join(str(p) for p in first["loc"]) or "(root)"
