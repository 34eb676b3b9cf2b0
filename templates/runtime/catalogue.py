"""Typed views over the API's documented name/value lists: CDM config inputs, DLF node properties.

A CDM link or job carries its settings as `{"name": "linkConfig.host", "value": "..."}` pairs, a
DLF job node its properties likewise; the specs catalogue the documented names of each
(`x-cdm-parameters`, `x-dlf-node-types`), and the generated `dataarts.cdm.connectors` and
`dataarts.dlf.nodes` turn each catalogue entry into a `TypedPairs` subclass. This module holds
what they share:

- **Typed fields.** One field per documented name, typed from the catalogue (str, bool, int,
  open enums, secrets as `SecretStr`, maps as dicts); `undocumented` keeps every other name.
- **Fails before sending.** Built in Python, a misspelled name, a value outside its documented
  enum, a missing required parameter, or one whose `x-required-when` condition holds raise
  `ParameterError`, naming the nearest documented name (enums compare case-insensitively: the
  tables and the samples disagree on case, `Kerberos`/`KERBEROS`).
- **Lossless.** Read from the wire (`_from_pairs`), values are typed where they fit and kept as
  sent where they do not; nothing is validated, so a server value outside an enum reads fine.
  The pairs as read are remembered: an unchanged parameter is sent again exactly as it came
  (same value, same JSON type, same extra keys, same place), a changed one with its new value,
  a parameter set to None is left out, new ones are appended. Requirements are then checked only
  where the caller changed something: what the service holds never blocks sending it back.
- **Secrets** (catalogued secrets, and names that look like credentials) never appear in reprs or
  error messages.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self
from urllib.parse import unquote

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .errors import DataArtsError
from .logs import REDACTED, is_secret_name

_INTEGER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True)
class Parameter:
    """One documented name of a name/value list, as the catalogue describes it."""

    name: str  # wire name, e.g. "linkConfig.hiveVersion"
    field: str  # Python attribute, e.g. "hive_version"
    kind: str = "string"  # string, boolean, integer, number, map, object, array, file-content
    required: bool = False
    enum: tuple[str, ...] = ()
    secret: bool = False
    # x-required-when: required when every key holds one of its values (an absent key never holds)
    required_when: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.name} ({self.field})"

    def condition(self) -> str:
        """`x-required-when` in words: "linkConfig.hiveVersion is HIVE_3_X"."""
        return " and ".join(
            f"{key} is {values[0]}" if len(values) == 1 else f"{key} is one of {', '.join(values)}"
            for key, values in self.required_when
        )

    def holds(self, known: Mapping[str, str]) -> bool:
        return bool(self.required_when) and condition_holds(dict(self.required_when), known)


def condition_holds(
    condition: Mapping[str, Sequence[object]], values: Mapping[str, object]
) -> bool:
    """`x-required-when` semantics (spec/README.md), for every user of the extension: the field
    is required when every key holds one of its values; a key absent from `values` never holds.
    Catalogue inputs compare as wire strings, schema properties as JSON values."""
    return all(key in values and values[key] in allowed for key, allowed in condition.items())


class ParameterError(DataArtsError, ValueError):
    """A typed configuration or node property list is wrong; nothing was sent.

    `problems` lists each one ("unknown parameter 'hots'; did you mean 'host' (linkConfig.host)?",
    "missing linkConfig.runMode (run_mode) when linkConfig.hiveVersion is HIVE_3_X"). Values of
    secrets never appear in it.
    """

    def __init__(self, owner: str, problems: Sequence[str]) -> None:
        self.owner = owner
        self.problems = tuple(problems)
        super().__init__(f"{owner}: " + "; ".join(self.problems))


def wire_text(value: object) -> str:
    """A typed value as the wire's string: booleans `true`/`false`, maps and lists as JSON."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (Mapping, list, tuple)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    raise TypeError(f"cannot send a {type(value).__name__} as a parameter value")


def typed_value(parameter: Parameter, text: str) -> Any:
    """A wire string as the parameter's Python value; the string itself when it does not fit."""
    kind = parameter.kind
    if parameter.secret or kind == "file-content":
        return SecretStr(text)
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.strip().lower(), text)
    if kind == "integer":
        return int(text) if _INTEGER.fullmatch(text.strip()) else text
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind in ("map", "object", "array"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return text
        wanted = list if kind == "array" else dict
        return parsed if isinstance(parsed, wanted) else text
    return text


def plain(value: Any) -> dict[str, Any]:
    """A model or mapping (a link, a job, a node) as a fresh wire mapping; anything else: empty.
    Values that break the model's types (a number where a string belongs) are kept as they are."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, warnings=False)
    if isinstance(value, Mapping):
        return copy.deepcopy(dict(value))
    return {}


def nearest(name: str, parameters: Iterable[Parameter]) -> str:
    """The hint `; did you mean 'host' (linkConfig.host)?` for the closest name, or ""."""
    labels: dict[str, str] = {}
    for parameter in parameters:
        labels.setdefault(parameter.field, f"{parameter.field!r} ({parameter.name})")
        labels.setdefault(parameter.name, f"{parameter.name!r} ({parameter.field})")
    folded = {candidate.casefold(): candidate for candidate in labels}
    match = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean {labels[folded[match[0]]]}?" if match else ""


class TypedPairs(BaseModel):
    """Base of a typed name/value list; subclasses declare `PARAMETERS` and one field each."""

    model_config = ConfigDict(
        extra="forbid",  # a misspelled name fails, with the nearest documented one
        validate_by_name=True,
        validate_by_alias=True,  # the wire names work too: **{"linkConfig.host": "..."}
        validate_assignment=True,
        hide_input_in_errors=True,  # values may be credentials
        use_attribute_docstrings=True,
        protected_namespaces=(),
        defer_build=True,
    )

    PARAMETERS: ClassVar[tuple[Parameter, ...]] = ()

    undocumented: dict[str, str] = Field(default_factory=dict)
    """Names the catalogue does not document, with their values, in order: kept and sent again."""

    _raw: Any = PrivateAttr(default=None)  # the wire list as read, None when built in Python
    _read: dict[str, Any] = PrivateAttr(default_factory=dict)  # wire name -> value as read

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as error:
            raise ParameterError(self._owner(), self._problems_of(error)) from None
        self._raise_if_missing({})

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and name not in type(self).model_fields:
            raise ParameterError(self._owner(), [f"unknown parameter {name!r}" + self._near(name)])
        try:
            super().__setattr__(name, value)
        except ValidationError as error:
            raise ParameterError(self._owner(), self._problems_of(error)) from None

    # -- reading ---------------------------------------------------------------------------

    @classmethod
    def _from_pairs(cls, pairs: Iterable[tuple[str, Any]], raw: Any, *, decode: bool) -> Self:
        """An instance holding the wire's values, unvalidated (see the module docstring)."""
        by_name = cls._by_name()
        values: dict[str, Any] = dict.fromkeys(cls.model_fields)
        undocumented: dict[str, str] = {}
        read: dict[str, Any] = {}
        for name, value in pairs:
            if name in read:
                continue  # a repeated name: the first is the typed view, the raw list keeps all
            if value is None:  # a pair without a value: nothing to type, the raw list keeps it
                read[name] = None
                continue
            text = value if isinstance(value, str) else wire_text(value)
            if decode:
                text = unquote(text)
            parameter = by_name.get(name)
            if parameter is None:
                undocumented[name] = read[name] = text
            else:
                values[parameter.field] = typed_value(parameter, text)
                read[name] = copy.deepcopy(values[parameter.field])
        values["undocumented"] = undocumented
        instance = cls.model_construct(**values)
        instance._raw = raw
        instance._read = read
        return instance

    # -- writing ---------------------------------------------------------------------------

    def _current(self) -> dict[str, Any]:
        """Wire name -> present value, documented names in catalogue order, then the others."""
        current = {p.name: getattr(self, p.field) for p in self.PARAMETERS}
        current = {name: value for name, value in current.items() if value is not None}
        current.update(self.undocumented)
        return current

    def _entries(
        self, entries: Iterable[Any], current: Mapping[str, Any], sent: set[str]
    ) -> list[Any]:
        """The raw entries as they go out: unchanged ones as read, changed ones with their new
        value, removed ones left out, and entries that are not name/value pairs untouched."""
        out = []
        for entry in entries:
            name = entry.get("name") if isinstance(entry, Mapping) else None
            if not isinstance(name, str) or name in sent or name not in self._read:
                out.append(entry)  # not a pair, or a repeat: as read
                continue
            sent.add(name)
            now = current.get(name)
            if now == self._read[name]:
                out.append(entry)
            elif now is not None:  # changed; None: the caller removed it
                out.append({**entry, "value": wire_text(now)})
        return out

    # -- checks ----------------------------------------------------------------------------

    def _raise_if_missing(self, context: Mapping[str, str]) -> None:
        problems = self._missing(context)
        if problems:
            raise ParameterError(self._owner(), problems)

    def _missing(self, context: Mapping[str, str]) -> list[str]:
        """Required parameters that are absent. `context`: values of related names (the link's
        or job's connector names, the job's other config inputs). Read from the wire, only the
        parameters the caller changed (or whose condition's values changed) are checked."""
        current = self._current()
        known = {**context, **{name: wire_text(value) for name, value in current.items()}}
        changed = None
        if self._raw is not None:
            changed = {n for n in {*current, *self._read} if current.get(n) != self._read.get(n)}
        problems = []
        for parameter in self.PARAMETERS:
            if parameter.name in current:
                continue
            if (
                changed is not None
                and parameter.name not in changed
                and not any(key in changed for key, _ in parameter.required_when)
            ):
                continue
            if parameter.required and not parameter.required_when:
                problems.append(f"missing {parameter.label}")
            elif parameter.holds(known):
                problems.append(f"missing {parameter.label} when {parameter.condition()}")
        return problems

    @field_validator("*", mode="after")
    @classmethod
    def _documented_value(cls, value: Any, info: ValidationInfo) -> Any:
        """A value outside the documented enum is refused (case-insensitively), nearest named."""
        parameter = cls._by_field().get(info.field_name or "")
        if parameter is None or not parameter.enum or value is None:
            return value
        text = wire_text(value)
        if text.casefold() in {choice.casefold() for choice in parameter.enum}:
            return value
        shown = "a secret value" if cls._secret(parameter) else repr(text)
        folded = {choice.casefold(): choice for choice in parameter.enum}
        match = difflib.get_close_matches(text.casefold(), list(folded), n=1, cutoff=0.5)
        hint = (
            f"; did you mean {folded[match[0]]!r}?" if match and not cls._secret(parameter) else ""
        )
        raise PydanticCustomError(
            "not_documented",
            "{message}",
            {
                "message": f"{parameter.label}: {shown} is not one of {', '.join(parameter.enum)}{hint}"
            },
        )

    # -- presentation ----------------------------------------------------------------------

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        """The parameters that are set, secrets masked; then the undocumented ones."""
        for parameter in self.PARAMETERS:
            value = getattr(self, parameter.field, None)
            if value is not None:
                yield parameter.field, REDACTED if self._secret(parameter) else value
        if self.undocumented:
            yield "undocumented", {
                name: REDACTED if is_secret_name(name) else value
                for name, value in self.undocumented.items()
            }

    # -- helpers ---------------------------------------------------------------------------

    @classmethod
    def _owner(cls) -> str:
        """How messages name the class; subclasses add where the catalogue documents it."""
        return cls.__name__

    @classmethod
    def _by_name(cls) -> dict[str, Parameter]:
        return {p.name: p for p in cls.PARAMETERS}

    @classmethod
    def _by_field(cls) -> dict[str, Parameter]:
        return {p.field: p for p in cls.PARAMETERS}

    @staticmethod
    def _secret(parameter: Parameter) -> bool:
        return (
            parameter.secret or parameter.kind == "file-content" or is_secret_name(parameter.name)
        )

    @classmethod
    def _near(cls, name: str) -> str:
        return nearest(name, cls.PARAMETERS)

    @classmethod
    def _problems_of(cls, error: ValidationError) -> list[str]:
        """pydantic's errors in the catalogue's words, without the input values."""
        by_key = {**cls._by_field(), **cls._by_name()}
        problems: list[str] = []
        for item in error.errors(include_url=False, include_input=False):
            key = str(item["loc"][0]) if item["loc"] else ""
            parameter = by_key.get(key)
            if item["type"] == "extra_forbidden":
                problems.append(f"unknown parameter {key!r}" + cls._near(key))
            elif item["type"] == "missing" and parameter is not None:
                problems.append(f"missing {parameter.label}")
            elif item["type"] == "not_documented":
                problems.append(item["msg"])
            else:
                where = parameter.label if parameter is not None else key
                problems.append(f"{where}: {item['msg']}")
        return sorted(problems, key=lambda problem: not problem.startswith("unknown"))
