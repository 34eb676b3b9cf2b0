"""The base of every generated model, and response parsing that tolerates the wire's type slips.

The rule (README, "Lenient models"): a success body that is JSON of the documented kind (an
object where an object is documented, an array where an array is) is always read, whatever its
contents; values that slip from the schema are kept as sent. A body with no usable JSON (empty,
not JSON, or a top level of another kind such as `null` or a string where an object is
documented) is an error: `UnusableBody`, which the client raises as `ResponseValidationError`.
A field the schema lists as required (documented as always present) that such a body lacks is
left unset: reading it raises `MissingFieldError`, and dumps leave it out.
"""

from __future__ import annotations

import gc
import json
import types
import typing
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, get_args, get_origin

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    create_model,
    model_serializer,
)

from .errors import DataArtsError
from .logs import REDACTED, is_secret_name, logger
from .renames import renamed_keywords

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic.fields import FieldInfo

M = TypeVar("M", bound=BaseModel)

# Key in a leniently built model's `__pydantic_private__`: the fields holding values that slipped
# from their documented type (kept as sent).
_KEPT = "_dataarts_kept"
# Key in the private attributes of a leniently built model lacking a required field: the operation
# whose response it came from ("" when not known), for `MissingFieldError`.
_MISSING_FROM = "_dataarts_missing_from"
# Bodies at least this large are parsed with the cyclic garbage collector paused (parse_body).
_PAUSE_GC_FROM = 64 * 1024


class UnusableBody(ValueError):
    """A body with no JSON to read: empty, not JSON, or a top level of another kind."""


class MissingFieldError(DataArtsError, AttributeError):
    """A response left out a field its API documents as always present (typed as present).

    Lenient parsing keeps such a response (with a warning); reading the field raises this
    instead of giving a silent `None`. It is an `AttributeError`, so `getattr(obj, name, None)`
    and `hasattr` still work. `model`, `field` (Python name), `wire_name` and `operation` (the
    operationId, "" when the model was not read from a response) say where.
    """

    def __init__(self, model: str, field: str, wire_name: str, operation: str = "") -> None:
        self.model = model
        self.field = field
        self.wire_name = wire_name
        self.operation = operation
        source = f"the {operation} response" if operation else "the response"
        spelled = f" ({wire_name!r} on the wire)" if wire_name != field else ""
        super().__init__(
            f"{model}.{field}{spelled} is documented as always present, but {source} "
            "did not include it"
        )


class Model(BaseModel):
    """Base of the generated models.

    - Unknown fields are kept (`extra="allow"`), so a get, modify, update round trip loses nothing.
    - Fields can be given by Python name or by wire name; dumps use the wire names.
    - Values a response sent with another type than documented are kept, and dumped back as
      they came, without pydantic's serializer warnings (`model_dump()`, `model_dump_json()`, a
      request body).
    - `repr()` masks credentials: password-like fields, and the `value` of name/value pairs whose
      `name` is password-like (CDM link inputs such as `linkConfig.password`).
    - A field the spec renamed still takes its former name as a keyword, and as an attribute
      to set, with a DeprecationWarning (`_renamed_fields`, set by the generated class, which
      also reads the former name through a deprecated property; `renames`).
    - A required field a response left out raises `MissingFieldError` when read.
    """

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        protected_namespaces=(),
        defer_build=True,  # schemas are built on first use, which keeps imports fast
    )

    # former keyword -> field name, for the fields whose Python name changed
    _renamed_fields: ClassVar[dict[str, str]] = {}

    if not TYPE_CHECKING:  # to a type checker, the constructor takes the fields' own names

        def __init__(self, /, **data):
            if self._renamed_fields and not data.keys().isdisjoint(self._renamed_fields):
                data = renamed_keywords(type(self).__name__, data, self._renamed_fields)
            super().__init__(**data)

        # pydantic's marker of its own constructor: validation (model_validate*) still builds
        # instances without calling this one, so reading a body never takes the detour
        __init__.__pydantic_base_init__ = True

        def __setattr__(self, name, value):
            new = self._renamed_fields.get(name)
            if new is not None:  # a former name: its (read-only, deprecated) property
                warnings.warn(
                    f"{type(self).__name__}.{name} is deprecated: use {new}",
                    DeprecationWarning,
                    stacklevel=2,
                )
                name = new
            super().__setattr__(name, value)

    # No return annotation: pydantic would take it as the serialized schema (JSON schema in
    # serialization mode would lose the fields).
    @model_serializer(mode="wrap")
    def _dump_kept_as_sent(  # type: ignore[no-untyped-def]
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ):
        if not isinstance(self, BaseModel):
            # Pydantic hands over what a field declared as this model holds; not a model (a
            # dict kept as sent, or one given to model_construct): it goes out as it is.
            return self
        private = self.__pydantic_private__
        if not private or _KEPT not in private:
            return handler(self)
        return _dump_with_kept(self, private[_KEPT], info)

    if not TYPE_CHECKING:  # to mypy, attributes stay the declared fields

        def __getattr__(self, name: str) -> Any:
            try:
                return super().__getattr__(name)
            except AttributeError:
                field = None if name.startswith("_") else type(self).model_fields.get(name)
                if field is None:
                    raise
                private = getattr(self, "__pydantic_private__", None) or {}
                raise MissingFieldError(
                    type(self).__name__,
                    name,
                    field.alias or name,
                    private.get(_MISSING_FROM, ""),
                ) from None

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


# -- parsing ---------------------------------------------------------------------------------------


def parse_body(target: Any, content: bytes, operation: str = "") -> Any:
    """Validate a JSON body into `target` (a model class or a type such as `A | B`); `operation`
    (its operationId) is named by `MissingFieldError` should a required field be missing.

    If the body breaks the documented types, the values are kept as sent (and a warning logged)
    rather than raising: the wire is the truth. A body without usable JSON raises
    `UnusableBody`. Parsing a large body pauses the cyclic garbage collector, and hands what it
    made to the collector's oldest generation (`_release_collector`): most of pydantic's time
    otherwise goes to collections walking the many objects it creates.
    """
    held = len(content) >= _PAUSE_GC_FROM and _hold_collector()
    try:
        if isinstance(target, type) and issubclass(target, BaseModel):
            return target.model_validate_json(content)
        return _adapter(target).validate_json(content)
    except ValidationError as error:
        data = _load_json(content)
        expected = _json_kind(target)
        if expected is not None and _kind_of(data) not in expected:
            raise UnusableBody(
                f"it is a JSON {_kind_of(data)} where {' or '.join(sorted(expected))} is documented"
            ) from None
        logger.warning(
            "response does not match %s (%d problem(s), first at %s); kept the values as sent",
            getattr(target, "__name__", target),
            error.error_count(),
            _loc(error),
        )
        return _lenient_value(target, data, operation)
    finally:
        if held:
            _release_collector()


def _hold_collector() -> bool:
    """Pause the cyclic garbage collector for a large parse; False if it was not running."""
    if not gc.isenabled():
        return False
    gc.disable()
    return True


def _release_collector() -> None:
    """Restart the collector, the objects made meanwhile moved to its oldest generation.

    Every object a parse makes outlives it. Collected as they are made, they are walked again
    and again (each collection of an older generation walks all of them so far), which costs
    pydantic more than building them; merely paused, the collections after the call walk them
    all at once, and again as they age. `gc.freeze()` then `gc.unfreeze()` moves every tracked
    object to the oldest generation without walking any: they are examined by the next full
    collection, as long-lived data is. (The program's other young objects go there too; their
    cyclic garbage waits for that full collection.) Not done when the program keeps frozen
    objects of its own, which `unfreeze` would release.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
    gc.enable()


def _load_json(content: bytes) -> Any:
    if not content.strip():
        raise UnusableBody("it is empty")
    try:
        return json.loads(content)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise UnusableBody(f"it is not JSON ({type(exc).__name__}: {_short(exc)})") from None


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) <= 80 else text[:79] + "…"


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _json_kind(annotation: Any) -> frozenset[str] | None:
    """The JSON kinds a value of `annotation` can arrive as at the top level; None: any."""
    kinds: set[str] = set()
    for candidate in _candidates(annotation):
        if candidate is None or candidate is type(None):
            kinds.add("null")
        elif _is_root_model(candidate):
            inner = _json_kind(candidate.model_fields["root"].annotation)
            if inner is None:
                return None
            kinds |= inner
        elif isinstance(candidate, type) and issubclass(candidate, BaseModel):
            kinds.add("object")
        elif get_origin(candidate) in (list, tuple, set, frozenset) or candidate in (list, tuple):
            kinds.add("array")
        elif get_origin(candidate) is dict or candidate is dict:
            kinds.add("object")
        elif candidate is str:
            kinds.add("string")
        elif candidate is bool:
            kinds.add("boolean")
        elif candidate in (int, float):
            kinds.add("number")
        else:
            return None  # Any, Literal, ...: no top-level check
    return frozenset(kinds)


def _is_root_model(candidate: Any) -> bool:
    """A `RootModel` class, known by its marker (pydantic's `RootModel` is imported by the models
    that use it, not here)."""
    return isinstance(candidate, type) and bool(
        getattr(candidate, "__pydantic_root_model__", False)
    )


def _adapter(target: Any) -> TypeAdapter[Any]:
    """A TypeAdapter per type, built once (building one costs far more than using it)."""
    try:
        return _ADAPTERS[target]
    except KeyError:
        adapter = _ADAPTERS[target] = _new_adapter(target)
        return adapter
    except TypeError:  # unhashable type expression
        return _new_adapter(target)


def _new_adapter(target: Any) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter  # on first use: a call parsing a model class needs none

    return TypeAdapter(target)


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _fits(annotation: Any, value: Any) -> tuple[bool, Any]:
    try:
        return True, _adapter(annotation).validate_python(value)
    except (ValidationError, TypeError, ValueError):
        return False, None


def lenient(model: type[M], data: Any, operation: str = "") -> M:
    """Build `model` from `data`, validating field by field and keeping values that do not fit.

    The fields whose values were kept as sent are recorded on the instance, so that dumping it
    gives those values back as they came, silently. Required fields that are missing stay unset:
    reading one raises `MissingFieldError` (naming `operation`), a dump leaves it out.
    """
    model.model_rebuild()  # resolves forward references of lazily built models
    if _is_root_model(model):
        root = model.model_fields["root"].annotation
        return model.model_construct(_lenient_value(root, data, operation))
    if not isinstance(data, dict):
        return model.model_construct()
    values: dict[str, Any] = {}
    kept: set[str] = set()
    read: set[str] = set()
    for name, info in model.model_fields.items():
        # the first of its spellings the body has, as pydantic's AliasChoices picks it
        key = next((k for k in _wire_keys(name, info) if k in data), None)
        if key is None:
            continue
        read.add(key)
        ok, parsed = _fits(info.annotation, data[key])
        if not ok:
            parsed = _lenient_value(info.annotation, data[key], operation)
            if not isinstance(parsed, BaseModel):  # a lenient model keeps its own record
                kept.add(name)
        values[name] = parsed
    extra = {key: value for key, value in data.items() if key not in read}
    missing = any(
        info.is_required() and name not in values for name, info in model.model_fields.items()
    )
    instance = model.model_construct(**values)  # a missing required field stays unset
    if extra:
        object.__setattr__(
            instance, "__pydantic_extra__", {**(instance.__pydantic_extra__ or {}), **extra}
        )
    if (kept or missing) and isinstance(instance, Model):
        private = dict(instance.__pydantic_private__ or {})
        if kept:
            private[_KEPT] = frozenset(kept)
        if missing:
            private[_MISSING_FROM] = operation
        object.__setattr__(instance, "__pydantic_private__", private)
    return instance


def _lenient_value(annotation: Any, value: Any, operation: str = "") -> Any:
    ok, parsed = _fits(annotation, value)
    if ok:
        return parsed
    candidates = _candidates(annotation)
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    if models and (isinstance(value, dict) or any(_is_root_model(m) for m in models)):
        return lenient(max(models, key=lambda m: _fit(m, value)), value, operation)
    for candidate in candidates:
        origin = get_origin(candidate)
        if origin is list and isinstance(value, list):
            (item,) = get_args(candidate) or (Any,)
            return [_lenient_value(item, v, operation) for v in value]
        if origin is dict and isinstance(value, dict):
            _, item = get_args(candidate) or (Any, Any)
            return {k: _lenient_value(item, v, operation) for k, v in value.items()}
    return value  # as sent: the caller sees the server's value rather than an exception


def _fit(model: type[BaseModel], value: Any) -> int:
    """How well `value` fits `model`: fields that validate; a mismatching Literal rules it out."""
    if _is_root_model(model):
        return 0
    if not isinstance(value, dict):
        return -1
    model.model_rebuild()
    score = 0
    for name, info in model.model_fields.items():
        key = next((k for k in _wire_keys(name, info) if k in value), None)
        if key is None:
            continue
        if _fits(info.annotation, value[key])[0]:
            score += 1
        elif get_origin(info.annotation) is typing.Literal:
            return -1000  # a discriminator saying "not me"
    return score


def _wire_keys(name: str, info: FieldInfo) -> tuple[str, ...]:
    """The keys a field is read from: its validation aliases (a spelling the documents print
    besides the wire's, `AliasChoices`), else its alias, else its name."""
    choices = info.validation_alias
    if isinstance(choices, AliasChoices):
        return tuple(c for c in choices.choices if isinstance(c, str))
    if isinstance(choices, str):
        return (choices,)
    return (info.alias or name,)


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


# -- dumping kept values -----------------------------------------------------------------------


_TWINS: dict[tuple[type[BaseModel], frozenset[str]], type[BaseModel]] = {}


def _dump_with_kept(model: BaseModel, kept: frozenset[str], info: SerializationInfo) -> Any:
    """Serialize `model` with its kept fields typed `Any`: their values go out as they are.

    The dump runs through a twin class (same fields, aliases and configuration; the kept fields
    typed `Any`), so pydantic applies every option of the call (aliases, include/exclude,
    exclude_unset, json mode) exactly as for the model itself, and warns about nothing it kept.
    """
    cls = type(model)
    twin_cls = _TWINS.get((cls, kept))
    if twin_cls is None:
        twin_cls = _TWINS[(cls, kept)] = _twin_class(cls, kept)
    twin = twin_cls.__new__(twin_cls)
    object.__setattr__(twin, "__dict__", model.__dict__)
    object.__setattr__(twin, "__pydantic_fields_set__", model.__pydantic_fields_set__)
    object.__setattr__(twin, "__pydantic_extra__", model.__pydantic_extra__)
    object.__setattr__(twin, "__pydantic_private__", None)
    return twin_cls.__pydantic_serializer__.to_python(
        twin,
        mode=info.mode,
        include=info.include,  # type: ignore[arg-type]  # the same sets pydantic handed over
        exclude=info.exclude,  # type: ignore[arg-type]
        by_alias=info.by_alias,
        exclude_unset=info.exclude_unset,
        exclude_defaults=info.exclude_defaults,
        exclude_none=info.exclude_none,
        round_trip=info.round_trip,
        serialize_as_any=info.serialize_as_any,
        context=info.context,
    )


def _twin_class(cls: type[BaseModel], kept: frozenset[str]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for name, field in cls.model_fields.items():
        if name in kept:
            fields[name] = (
                Any,
                Field(
                    default=field.default,
                    alias=field.alias,
                    validation_alias=field.validation_alias,
                    serialization_alias=field.serialization_alias,
                ),
            )
        else:
            fields[name] = (field.annotation, field)
    config = ConfigDict(**{**cls.model_config, "defer_build": False})
    twin: type[BaseModel] = create_model(
        cls.__name__, __config__=config, __module__=cls.__module__, **fields
    )
    return twin
