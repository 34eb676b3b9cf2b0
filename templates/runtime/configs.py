"""CDM config groups: plain `{"linkConfig.host": ...}` mappings to and from the wire's lists.

A CDM link or job carries its parameters as `{"configs": [{"name": group, "inputs": [{"name":
"group.parameter", "value": "..."}]}]}` (section 5.4 of the API reference lists the names per
connector). These two functions let callers write and read them as one flat mapping; the typed
classes of a generated connector catalogue do the same with a field per documented name.

Names are checked against a connector catalogue (`to_config_values(..., connector=...)`) only
as the catalogue's generated module passes it in: importing that module registers its check
here (`add_name_check`), so this module never imports a service. The package exports
`with_catalogues(<its catalogue modules>)`, which imports them by name when a check needs them.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from .catalogue import ParameterError, wire_text

# checks a flat mapping's names for a connector; raises ParameterError
NameCheck = Callable[[Mapping[str, object], str], None]
_name_checks: list[NameCheck] = []


def to_config_values(
    values: Mapping[str, object], *, connector: str | None = None
) -> dict[str, Any]:
    """`{"linkConfig.host": "10.0.0.1", "linkConfig.port": 3306, "linkConfig.useAgent": False}`
    as the wire's `link-config-values` (or `from-`, `to-`, `driver-config-values`).

    Inputs are grouped by the part of their name before the first dot, in the order given. Every
    value is sent as a string, as the API requires: booleans as `true`/`false`, numbers as their
    decimal text, lists and mappings as compact JSON; `None` leaves the input out.

    With `connector` (e.g. `"hive-connector"`), every name must be one section 5.4 documents for
    that connector (job task names for any): a misspelled or foreign name raises
    `ParameterError` naming the nearest documented ones, before anything is sent. The names are
    those of the connector catalogues imported so far (the service's `connectors` module).
    """
    if connector is not None:
        _check_names(values, connector)
    groups: dict[str, list[dict[str, str]]] = {}
    for name, value in values.items():
        group, dot, parameter = name.partition(".")
        if not (group and dot and parameter):
            raise ValueError(
                f"config input {name!r}: names look like 'linkConfig.host' (group.parameter)"
            )
        if value is None:
            continue
        groups.setdefault(group, []).append({"name": name, "value": _wire_text(name, value)})
    return {"configs": [{"name": group, "inputs": inputs} for group, inputs in groups.items()]}


class ToConfigValues(Protocol):
    """The signature of `to_config_values`."""

    def __call__(
        self, values: Mapping[str, object], *, connector: str | None = None
    ) -> dict[str, Any]: ...


def with_catalogues(*modules: str) -> ToConfigValues:
    """`to_config_values` that first imports the connector catalogue `modules` (by name, e.g.
    `"dataarts.cdm.connectors"`) when a `connector` is given: a generated package exports it, so
    the check works in a fresh interpreter and the catalogue loads only when it is needed."""

    def checked(values: Mapping[str, object], *, connector: str | None = None) -> dict[str, Any]:
        if connector is not None:
            for module in modules:
                importlib.import_module(module)  # registers its check (add_name_check)
        return to_config_values(values, connector=connector)

    return functools.wraps(to_config_values)(checked)


def from_config_values(config_values: Any) -> dict[str, Any]:
    """The inputs of a `ConfigValues` model (or of its plain-dict form) as one flat mapping.

    The reverse of `to_config_values`, for reading a link or job: values stay as the server sent
    them (strings, normally). Groups without inputs leave nothing behind.
    """
    flat: dict[str, Any] = {}
    for config in _get(config_values, "configs") or ():
        for entry in _get(config, "inputs") or ():
            flat[_get(entry, "name")] = _get(entry, "value")
    return flat


def add_name_check(check: NameCheck) -> None:
    """Check the names of `to_config_values(..., connector=...)` with `check` too (a generated
    connector catalogue passes its own in when it is imported)."""
    if check not in _name_checks:
        _name_checks.append(check)


def _check_names(values: Mapping[str, object], connector: str) -> None:
    """The names against the catalogues passed in: fine when one of them documents them all."""
    if not _name_checks:
        raise ParameterError(
            f"config values for {connector}",
            ["no connector catalogue is loaded: import the service's connectors module first"],
        )
    refused: list[ParameterError] = []
    for check in _name_checks:
        try:
            check(values, connector)
        except ParameterError as error:
            refused.append(error)
        else:
            return
    raise refused[0]


def _wire_text(name: str, value: object) -> str:
    try:
        return wire_text(value)
    except TypeError:  # the value may be a credential: name its type, never the value itself
        raise TypeError(
            f"config input {name!r}: cannot send a {type(value).__name__} as a value"
        ) from None


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, Mapping) else getattr(item, key, None)
