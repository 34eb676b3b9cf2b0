"""CDM link and job parameters (`*-config-values`) against the section 5.4 catalogue.

The spec's `x-cdm-parameters` says, per place (`link-config-values`, `from-config-values`,
`to-config-values`, `driver-config-values`) and connector, which input names exist, their type,
enum, whether they are secret, and when they are required (`required`, `x-required-when`). Names
the catalogue does not know are kept as they are: newer service versions add parameters.

doc: the live service returns every config value percent-encoded (the Terraform provider
path-unescapes link values, `fromJobConfig.*`/`toJobConfig.*`, dirty-data directories and
scheduler dates after reading them: `/in/` comes back as `%2Fin%2F`); so does the simulator.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .schema_check import Problem, required_when_holds
from .spec import ServiceSpec

__all__ = ["Catalogue", "config_problems", "flatten", "wire_configs"]

# Sqoop's input types (CDM is built on Sqoop): what `inputs[].type` says in answers.
_WIRE_TYPES = {"string": "STRING", "integer": "INTEGER", "boolean": "BOOLEAN", "map": "MAP"}
_SECRET_WORDS = ("password", "securitykey", "secretkey", "keytab")


@dataclass
class Catalogue:
    """The `x-cdm-parameters` catalogue of one CDM spec, indexed for lookups."""

    places: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, service: ServiceSpec) -> Catalogue:
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
    return required_when_holds(allowed, as_text)


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


def wire_configs(
    catalogue: Catalogue,
    place: str,
    connector: str | None,
    configs: Iterable[Mapping[str, Any]],
    *,
    with_types: bool,
) -> list[dict[str, Any]]:
    """Stored config groups as the service answers them: values percent-encoded, secrets left
    out, and (links) each input's Sqoop type."""
    out = []
    for config in configs:
        inputs = []
        for item in config.get("inputs") or ():
            name = str(item.get("name"))
            if catalogue.is_secret(name):
                continue
            answer: dict[str, Any] = {"name": name, "value": quote(str(item.get("value")), safe="")}
            if with_types:
                param = catalogue.parameter(place, connector, name) or {}
                kind = "ENUM" if param.get("enum") else _WIRE_TYPES.get(str(param.get("type")))
                answer["type"] = kind or "STRING"
            inputs.append(answer)
        out.append({"name": config.get("name"), "inputs": inputs})
    return out
