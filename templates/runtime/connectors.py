"""CDM connector configurations: the typed sections a generated connector catalogue is made of.

A link's `link-config-values` and a job's `from-`, `to-` and `driver-config-values` are lists of
config groups of name/value inputs (`{"configs": [{"name": "linkConfig", "inputs": [...]}]}`).
Section 5.4 of the API reference documents the names per connector and place; each documented
section becomes a `ConfigSection` subclass (see `catalogue.TypedPairs` for typing, checks and the
lossless round trip).

Percent-encoding: the live service returns config values percent-encoded (`/in/` reads back as
`%2Fin%2F`, see the Terraform provider). Reading a link or job (`from_config_values`, and the
`link_config`/`from_config`/`to_config`/`task_config` readers) decodes values for the typed view
(`decode=False` keeps them as sent); the values as sent are kept, and an unchanged value goes back
exactly as it came. A changed or new value is sent decoded, as the API documents its values.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self, TypeVar

from .catalogue import ParameterError, TypedPairs, nearest, plain, wire_text
from .configs import add_name_check, to_config_values

LINK, SOURCE, DESTINATION, TASK = (
    "link-config-values",
    "from-config-values",
    "to-config-values",
    "driver-config-values",
)
# The field of the link or job naming the connector whose parameters a place holds.
CONNECTOR_FIELDS = {
    LINK: "connector-name",
    SOURCE: "from-connector-name",
    DESTINATION: "to-connector-name",
}


@dataclass(frozen=True)
class Section:
    """Where a documented section of 5.4 applies."""

    place: str  # "link-config-values", "from-config-values", "to-config-values", "driver-config-values"
    key: str  # the catalogue's section key, e.g. "hive"
    number: str  # "5.4.1.6"
    title: str  # "Hive link"
    connectors: tuple[str, ...] = ()  # empty: any connector (the task parameters)
    example_only: tuple[str, ...] = ()  # names the samples send but no table documents


class ConfigSection(TypedPairs):
    """The typed inputs of one documented section, for one place of a link or job."""

    SECTION: ClassVar[Section]

    @classmethod
    def from_config_values(cls, config_values: Any, *, decode: bool = True) -> Self:
        """Read a `*-config-values` value (a model or its wire mapping), keeping all of it."""
        raw = plain(config_values) if config_values is not None else {"configs": []}
        return cls._from_pairs(_pairs(raw), raw, decode=decode)

    def to_config_values(self) -> dict[str, Any]:
        """The wire value: `{"configs": [{"name": group, "inputs": [{"name", "value"}]}]}`.

        Inputs are grouped by the part of their name before the first dot, values are strings;
        what was read from the wire keeps its order and form (see `TypedPairs`). Raises
        `ParameterError` when a required input is missing.
        """
        self.check()
        return self._config_values()

    def check(self, context: Mapping[str, str] | None = None) -> None:
        """Raise `ParameterError` for missing required inputs. `context` holds related values
        an `x-required-when` condition may name: the link's or job's fields (`connector-name`,
        `from-connector-name`, ...) and the job's other inputs."""
        self._raise_if_missing(context or {})

    def wire_inputs(self) -> dict[str, str]:
        """Every present input as its wire string (for conditions that look across places)."""
        return {name: wire_text(value) for name, value in self._current().items()}

    def _config_values(self) -> dict[str, Any]:
        current = self._current()
        sent: set[str] = set()
        raw = self._raw if isinstance(self._raw, Mapping) else {}
        groups: list[Any] = [
            (
                {**group, "inputs": self._entries(group["inputs"], current, sent)}
                if isinstance(group, Mapping) and isinstance(group.get("inputs"), list)
                else group
            )
            for group in raw.get("configs") or []
        ]
        added = to_config_values({name: v for name, v in current.items() if name not in sent})
        for new in added["configs"]:  # inputs new since reading join their group, or start one
            target = next((g for g in groups if _same_group(g, new["name"])), None)
            if target is None:
                groups.append(new)
            else:
                target["inputs"].extend(new["inputs"])
        return copy.deepcopy({**raw, "configs": groups})

    @classmethod
    def _owner(cls) -> str:
        section = getattr(cls, "SECTION", None)
        if section is None or not section.number:
            return cls.__name__
        return f"{cls.__name__} ({section.number} {section.title})"


class LinkConfig(ConfigSection):
    """A link's `link-config-values` (5.4.1): the parameters of the link's connector."""


class SourceConfig(ConfigSection):
    """A job's `from-config-values` (5.4.2): where and how the job reads."""


class DestinationConfig(ConfigSection):
    """A job's `to-config-values` (5.4.3): where and how the job writes."""


class TaskSection(ConfigSection):
    """A job's `driver-config-values` (5.4.4): throttling, scheduling, retries and group."""


class UndocumentedLinkConfig(LinkConfig):
    """A link whose connector no section documents: every input is kept in `undocumented`."""

    SECTION: ClassVar[Section] = Section(LINK, "", "", "undocumented connector")


class UndocumentedSourceConfig(SourceConfig):
    """A job source whose connector no section documents: every input is in `undocumented`."""

    SECTION: ClassVar[Section] = Section(SOURCE, "", "", "undocumented connector")


class UndocumentedDestinationConfig(DestinationConfig):
    """A job destination whose connector no section documents: inputs are in `undocumented`."""

    SECTION: ClassVar[Section] = Section(DESTINATION, "", "", "undocumented connector")


C = TypeVar("C", bound=ConfigSection)


def read_config(
    registry: Mapping[str, type[C]], fallback: type[C], item: Any, place: str, *, decode: bool
) -> C:
    """The typed view of one place of a link or job (a model or its wire mapping).

    The connector picks the candidate sections; where several document one connector (HBase and
    CloudTable links), the section knowing the most of the inputs, and the fewest unknown ones,
    wins (the first in catalogue order on a tie). No documented section: `fallback`.
    """
    raw = plain(_field(item, place))
    connector_field = CONNECTOR_FIELDS.get(place)
    connector = _field(item, connector_field) if connector_field else None
    candidates = [
        cls
        for cls in registry.values()
        if not cls.SECTION.connectors or connector in cls.SECTION.connectors
    ]
    if not candidates:
        return fallback.from_config_values(raw, decode=decode)
    names = [name for name, _ in _pairs(raw)]
    best = max(candidates, key=lambda cls: _fit(cls, names))
    return best.from_config_values(raw, decode=decode)


def link_body(config: LinkConfig, *, name: str, connector: str | None) -> dict[str, Any]:
    """A new link's wire body from its typed config; the connector defaults to the section's."""
    connector = _connector(config, connector)
    config.check({CONNECTOR_FIELDS[LINK]: connector})
    return {"name": name, CONNECTOR_FIELDS[LINK]: connector, LINK: _strings(config)}


def job_body(
    *,
    name: str,
    source: SourceConfig,
    destination: DestinationConfig,
    task: TaskSection,
    from_link_name: str,
    to_link_name: str,
    from_connector: str | None,
    to_connector: str | None,
    job_type: str,
) -> dict[str, Any]:
    """A new job's wire body from its typed configs (conditions checked across all three)."""
    body = {
        "job_type": job_type,
        "name": name,
        CONNECTOR_FIELDS[SOURCE]: _connector(source, from_connector),
        "from-link-name": from_link_name,
        CONNECTOR_FIELDS[DESTINATION]: _connector(destination, to_connector),
        "to-link-name": to_link_name,
    }
    configs: dict[str, ConfigSection] = {SOURCE: source, DESTINATION: destination, TASK: task}
    _check_job(body, configs)
    return {**body, **{place: _strings(config) for place, config in configs.items()}}


def updated_link_body(link: Any, config: LinkConfig) -> dict[str, Any]:
    """The link (model or wire mapping) as a wire mapping with `config` as its config values;
    everything else is kept as it is."""
    body = plain(link)
    connector = body.get(CONNECTOR_FIELDS[LINK])
    config.check({CONNECTOR_FIELDS[LINK]: connector} if isinstance(connector, str) else {})
    body[LINK] = config._config_values()
    return body


def updated_job_body(
    job: Any,
    *,
    source: SourceConfig | None,
    destination: DestinationConfig | None,
    task: TaskSection | None,
) -> dict[str, Any]:
    """The job (model or wire mapping) as a wire mapping with the given configs in place;
    everything else, the configs not given included, is kept as it is."""
    body = plain(job)
    given = {SOURCE: source, DESTINATION: destination, TASK: task}
    configs = {place: config for place, config in given.items() if config is not None}
    _check_job(body, configs)
    body.update({place: config._config_values() for place, config in configs.items()})
    return body


def check_names(
    values: Mapping[str, object],
    connector: str,
    registries: Iterable[Mapping[str, type[ConfigSection]]],
) -> None:
    """Every name of a flat `{"linkConfig.host": ...}` mapping is documented for `connector`
    (task parameters for any connector); else `ParameterError`, naming the nearest ones."""
    sections = [cls for registry in registries for cls in registry.values()]
    places: dict[str, str] = {}  # group prefix -> place
    for cls in sections:
        for parameter in cls.PARAMETERS:
            places.setdefault(parameter.name.partition(".")[0], cls.SECTION.place)
    problems = []
    for name in values:
        place = places.get(name.partition(".")[0])
        applicable = [
            cls
            for cls in sections
            if cls.SECTION.place == place
            and (not cls.SECTION.connectors or connector in cls.SECTION.connectors)
        ]
        parameters = [p for cls in applicable for p in cls.PARAMETERS]
        if name in {p.name for p in parameters} | {
            n for c in applicable for n in c.SECTION.example_only
        }:
            continue
        if place is not None and not applicable:
            problems.append(
                f"{name!r}: no section of {place} documents the connector {connector!r}"
            )
            continue
        scope = parameters or [p for cls in sections for p in cls.PARAMETERS]
        problems.append(f"unknown parameter {name!r}" + nearest(name, scope))
    if problems:
        raise ParameterError(f"config values for {connector}", problems)


def register_catalogue(*registries: Mapping[str, type[ConfigSection]]) -> None:
    """Make a generated catalogue's sections the names `to_config_values(..., connector=...)`
    checks against (see `check_names`); its module calls this when imported."""
    add_name_check(lambda values, connector: check_names(values, connector, registries))


def _check_job(body: Mapping[str, Any], configs: Mapping[str, ConfigSection]) -> None:
    """Each config's requirements, with the job's fields and all its inputs as context."""
    context = {k: v for k, v in body.items() if isinstance(v, str)}
    for place in (SOURCE, DESTINATION, TASK):
        if place in configs:
            context.update(configs[place].wire_inputs())
        else:
            context.update(
                {
                    n: wire_text(v)
                    for n, v in _pairs(plain(body.get(place)))
                    if isinstance(v, (str, int, float, bool))
                }
            )
    problems = []
    for config in configs.values():
        try:
            config.check(context)
        except ParameterError as error:
            problems.extend([f"{error.owner}: {problem}" for problem in error.problems])
    if problems:
        raise ParameterError(f"job {body.get('name')!r}", problems)


def _connector(config: ConfigSection, connector: str | None) -> str:
    known = config.SECTION.connectors
    if connector is not None:
        if known and connector not in known:
            raise ParameterError(
                config._owner(), [f"documented for {', '.join(known)}, not {connector!r}"]
            )
        return connector
    if len(known) == 1:
        return known[0]
    serves = ", ".join(known) or "no documented connector"
    raise ParameterError(config._owner(), [f"serves {serves}: pass the connector name"])


def _fit(cls: type[ConfigSection], names: list[str]) -> int:
    known = {p.name for p in cls.PARAMETERS} | set(cls.SECTION.example_only)
    hits = sum(name in known for name in names)
    return hits - (len(names) - hits)


def _pairs(raw: Any) -> list[tuple[str, Any]]:
    groups = raw.get("configs") if isinstance(raw, Mapping) else None
    return [
        (entry["name"], entry.get("value"))
        for group in (groups if isinstance(groups, list) else [])
        if isinstance(group, Mapping) and isinstance(group.get("inputs"), list)
        for entry in group["inputs"]
        if isinstance(entry, Mapping) and isinstance(entry.get("name"), str)
    ]


def _strings(config: ConfigSection) -> dict[str, Any]:
    """Config values for a new link or job: every value a string, as the API documents (a value
    read from another link may be a number: the service's examples return some)."""
    values = config._config_values()
    groups = [g for g in values["configs"] if isinstance(g, dict)]
    entries = [e for g in groups if isinstance(g.get("inputs"), list) for e in g["inputs"]]
    for entry in entries:
        if isinstance(entry, dict) and "value" in entry and not isinstance(entry["value"], str):
            entry["value"] = wire_text(entry["value"])
    return values


def _same_group(group: Any, name: str) -> bool:
    return (
        isinstance(group, dict)
        and group.get("name") == name
        and isinstance(group.get("inputs"), list)
    )


def _field(item: Any, wire: str) -> Any:
    """A field of a link or job given as a wire mapping or as a model (Python name)."""
    if isinstance(item, Mapping):
        return item.get(wire)
    return getattr(item, wire.replace("-", "_"), None)
