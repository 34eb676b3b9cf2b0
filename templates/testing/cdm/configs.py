"""CDM link and job parameters (`*-config-values`) against the section 5.4 catalogue.

The spec's `x-cdm-parameters` says, per place (`link-config-values`, `from-config-values`,
`to-config-values`, `driver-config-values`) and connector, which input names exist, their type,
enum, whether they are secret, and when they are required (`required`, `x-required-when`). Names
the catalogue does not know are kept as they are: newer service versions add parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataarts._runtime.catalogue import condition_holds

from ..schema_check import Problem
from ..spec import Api

__all__ = [
    "JOB_PLACES",
    "LINK_PLACE",
    "Catalogue",
    "config_problems",
    "flatten",
    "job_problems",
    "link_problems",
]

LINK_PLACE = "link-config-values"
# A job's config places, each with the job field naming its connector (the driver has none).
JOB_PLACES = (
    ("from-config-values", "from-connector-name"),
    ("to-config-values", "to-connector-name"),
    ("driver-config-values", None),
)
_SECRET_WORDS = ("password", "securitykey", "secretkey", "keytab")


@dataclass
class Catalogue:
    """The `x-cdm-parameters` catalogue of one CDM spec, indexed for lookups."""

    places: Mapping[str, Mapping[str, Any]]

    @classmethod
    def find(cls, api: Api) -> Catalogue:
        """The catalogue of whichever loaded spec carries one (empty when none does)."""
        for service in api.services.values():
            schemas = (service.document.get("components") or {}).get("schemas") or {}
            for schema in schemas.values():
                if "x-cdm-parameters" in schema:
                    return cls(schema["x-cdm-parameters"])
        return cls({})

    def sections(self, place: str, connector: str | None) -> list[Mapping[str, Any]]:
        """The catalogue sections of `place` applying to `connector` (all-connector ones too)."""
        found = []
        for section in (self.places.get(place) or {}).values():
            connectors = section.get("connectors") or []
            if not connectors or connector in connectors:
                found.append(section)
        return found

    def parameter(self, place: str, connector: str | None, name: str) -> Mapping[str, Any] | None:
        for section in self.sections(place, connector):
            for param in section.get("parameters") or ():
                if param.get("name") == name:
                    return dict(param)
        return None

    def is_secret(self, name: str) -> bool:
        if any(word in name.lower() for word in _SECRET_WORDS):
            return True
        for sections in self.places.values():
            for section in sections.values():
                for param in section.get("parameters") or ():
                    if param.get("name") == name and param.get("secret"):
                        return True
        return False


def flatten(config_values: Mapping[str, Any] | None) -> dict[str, str]:
    """`{"configs": [{"inputs": [{"name", "value"}]}]}` as one name -> value mapping."""
    values: dict[str, str] = {}
    for config in (config_values or {}).get("configs") or ():
        for item in config.get("inputs") or ():
            values[str(item.get("name"))] = str(item.get("value"))
    return values


def config_problems(
    catalogue: Catalogue,
    place: str,
    connector: str | None,
    values: Mapping[str, str],
    owner: Mapping[str, Any],
    all_inputs: Mapping[str, str],
    where: str,
) -> list[Problem]:
    """Problems of one config place's inputs: missing required names, bad enums and types.

    `owner` is the link or job object (for dotless `x-required-when` keys), `all_inputs` every
    input of it (for dotted keys). Where several sections cover a connector (HBase and
    CloudTable both use `hbase-connector`), only what all of them require is required.
    """
    sections = catalogue.sections(place, connector)
    problems: list[Problem] = []
    # doc: 5.3.1's example creates a MySQL link without linkConfig.useAgent, which table 5-163
    # marks required: a required boolean left out reads as false, so it is not reported.
    required_sets = [
        {
            p["name"]
            for p in s.get("parameters") or ()
            if p.get("required") and p.get("type") != "boolean"
        }
        for s in sections
        if s.get("connectors")
    ]
    required = set.intersection(*required_sets) if required_sets else set()
    for section in sections:
        for param in section.get("parameters") or ():
            name = str(param.get("name"))
            condition = param.get("x-required-when")
            if condition and name not in values and _condition_holds(condition, owner, all_inputs):
                keys = " and ".join(condition)
                problems.append(Problem(f"{where}.{name}", f"is required for {keys}", missing=True))
    for name in sorted(required - set(values)):
        problems.append(Problem(f"{where}.{name}", "is required", missing=True))
    for name, value in values.items():
        param = catalogue.parameter(place, connector, name)
        if param is not None:
            problems += _value_problems(param, value, f"{where}.{name}")
    return problems


def _condition_holds(
    condition: Mapping[str, Any], owner: Mapping[str, Any], inputs: Mapping[str, str]
) -> bool:
    # dotted keys name inputs of the same link or job; dotless ones fields of the link or job
    siblings = {
        key: (inputs.get(key) if "." in key else owner.get(key))
        for key in condition
        if (key in inputs if "." in key else key in owner)
    }
    as_text = {key: _text(value) for key, value in siblings.items()}
    allowed = {key: [_text(v) for v in values] for key, values in condition.items()}
    return condition_holds(allowed, as_text)


def _value_problems(param: Mapping[str, Any], value: str, where: str) -> list[Problem]:
    enum = param.get("enum")
    if enum and value not in [_text(v) for v in enum]:
        return [Problem(where, f"{value!r} is not one of {', '.join(map(_text, enum))}")]
    kind = param.get("type")
    if kind == "integer":
        try:
            int(value)
        except ValueError:
            return [Problem(where, f"{value!r} is not an integer")]
    if kind == "boolean" and value not in ("true", "false"):
        return [Problem(where, f"{value!r} is not true or false")]
    return []


def _text(value: Any) -> str:
    """Catalogue values compare as the wire's strings (booleans as true/false)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def link_problems(catalogue: Catalogue, link: Mapping[str, Any]) -> list[Problem]:
    """A link's parameters against the catalogue (a link object as CreateLink takes it)."""
    inputs = flatten(link.get(LINK_PLACE))
    connector = link.get("connector-name")
    return config_problems(catalogue, LINK_PLACE, connector, inputs, link, inputs, "link")


def job_problems(catalogue: Catalogue, job: Mapping[str, Any]) -> list[Problem]:
    """A job's parameters of every place against the catalogue (a job as CreateJob takes it)."""
    every_input: dict[str, str] = {}
    for place, _ in JOB_PLACES:
        every_input.update(flatten(job.get(place)))
    problems = []
    for place, connector_key in JOB_PLACES:
        connector = job.get(connector_key) if connector_key else None
        values = flatten(job.get(place))
        problems += config_problems(catalogue, place, connector, values, job, every_input, place)
    return problems
