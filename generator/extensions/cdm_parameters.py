"""`x-cdm-parameters` (a component schema): section 5.4's catalogue of CDM link and job inputs.

Generated into `dataarts.<service>.connectors` (template `connectors.py.jinja`): one typed class
per documented section, registries by section key, and helpers that take the link and job models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import naming
from ..catalogue import (
    Registry,
    Section,
    TypedClass,
    by_name,
    documented_values,
    find,
    read_parameters,
)
from ..context import SpecContext
from ..draft import ServiceDraft
from ..ir import ServiceModule
from ..problems import escape
from . import required_when
from .contract import Extension

KEY = "x-cdm-parameters"
LINK, JOB = "link-config-values", "from-config-values"  # the properties of a link and of a job
# place -> (class-name suffix, registry, what the registry maps)
PLACES = {
    "link-config-values": ("LinkConfig", "LINK_CONFIGS", "link"),
    "from-config-values": ("SourceConfig", "SOURCE_CONFIGS", "job source"),
    "to-config-values": ("DestinationConfig", "DESTINATION_CONFIGS", "job destination"),
    "driver-config-values": ("TaskConfig", "TASK_CONFIGS", "job task"),
}
TASK = "TaskConfig"  # the class of the one task section, `job-task`, which task_config() returns
# fields of the link or job object a condition may name, when the spec has no such schema
_OBJECT_FIELDS = {"link": ("connector-name",), "job": ("from-connector-name", "to-connector-name")}


@dataclass(frozen=True)
class Connectors:
    """The `connectors` module's IR."""

    classes: tuple[TypedClass, ...]
    registries: tuple[Registry, ...]
    link_model: str  # the component schema of a link (it has `link-config-values`)
    job_model: str  # ... and of a job (`from-config-values`)


def read(spec: SpecContext) -> Connectors | None:
    root = find(spec, KEY)
    if root is None:
        return None
    _, ptr, catalogue = root
    models = {}
    for wire in (LINK, JOB):
        models[wire] = next((name for name, s in spec.schemas.items()
                             if isinstance(s, dict) and wire in (s.get("properties") or {})), "")
        if not models[wire]:
            spec.report(ptr, f"{KEY} needs a schema with the property {wire!r} (the link, the job), "
                             "which its typed helpers take")
    before = len(spec.problems)
    classes, registries = [], []
    for place, sections in catalogue.items():
        if place not in PLACES or not isinstance(sections, dict):
            spec.report(f"{ptr}/{escape(str(place))}", f"a place is one of {', '.join(PLACES)}, "
                                                       "mapping section keys to sections")
            continue
        suffix, registry, what = PLACES[place]
        entries = []
        for key, section in sections.items():
            sptr = f"{ptr}/{escape(place)}/{escape(str(key))}"
            name = TASK if place == "driver-config-values" and key == "job-task" else (
                naming.pascal(key) + suffix)
            found = _section_class(spec, sptr, name, place, key, section, catalogue, models)
            if found is not None:
                classes.append(found)
                entries.append((key, name))
        # the one task section is TaskConfig itself, which `task_config()` returns
        value = TASK if [n for _, n in entries] == [TASK] else None
        registries.append(Registry(registry, place, value,
                                   f"Section key -> typed class of a {what}'s `{place}`.",
                                   tuple(entries)))
    if len(spec.problems) > before or not all(models.values()):
        return None
    return Connectors(tuple(classes), tuple(registries), models[LINK], models[JOB])


def _section_class(
    spec: SpecContext, sptr: str, name: str, place: str, key: str, section: Any,
    catalogue: dict[str, Any], models: dict[str, str],
) -> TypedClass | None:
    if not isinstance(section, dict):
        spec.report(f"{sptr}/parameters", "a catalogue entry needs a list of parameters")
        return None
    fields = read_parameters(spec, f"{sptr}/parameters", section.get("parameters"),
                             lambda own: _inputs(spec, own, place, section, catalogue, models),
                             strip_group=True)
    if fields is None:
        return None
    connectors = tuple(str(c) for c in section.get("connectors") or ())
    doc = f"{section.get('title', key)} (section {section.get('section', '?')})."
    if section.get("description"):
        doc += "\n\n" + str(section["description"])
    if connectors:
        doc += f"\n\nConnectors: {', '.join(f'`{c}`' for c in connectors)}."
    where = Section(place, key, str(section.get("section", "")), str(section.get("title", key)),
                    connectors, tuple(str(n) for n in section.get("example-only") or ()))
    return TypedClass(name, place, key, doc, where, fields)


def _inputs(
    spec: SpecContext, own: str, place: str, here: dict[str, Any], catalogue: dict[str, Any],
    models: dict[str, str],
) -> required_when.KeySpace:
    """What a condition of the input `own` may name: another input of the same link or job (its
    own section's first, then those sharing a connector), or a field of the link or job."""
    job = place != LINK
    whose = "job" if job else "link"
    sections = [s for group, listed in catalogue.items() if (group != LINK) == job
                and isinstance(listed, dict) for s in listed.values() if isinstance(s, dict)]
    sections.sort(key=lambda s: (s is not here, not set(s.get("connectors") or ())
                                 & set(here.get("connectors") or ())))
    known: dict[str, Any] = {}
    for section in reversed(sections):  # the closest section's entry wins
        known.update({n: {} for n in section.get("example-only") or []})
        known.update(by_name(section.get("parameters")))
    owner = models[JOB if job else LINK]
    fields = (spec.doc.properties({"$ref": "#/components/schemas/" + owner}) if owner else {}) or {
        key: {} for key in _OBJECT_FIELDS[whose]}

    def lookup(key: str) -> Any:
        if "." not in key:
            if key not in fields:
                return required_when.Unknown(f"condition key {key!r} is not a field of the {whose} "
                                             f"({', '.join(sorted(fields))})")
            target = spec.doc.deref(fields[key]) or {}
        elif key == own or key not in known:
            return required_when.Unknown(f"condition key {key!r} is not another input catalogued "
                                         f"for the same {whose}")
        else:
            target = known[key]
        return documented_values(target)

    return lookup


def build(connectors: Connectors | None, draft: ServiceDraft) -> None:
    if connectors is not None:
        draft.modules.append(ServiceModule("connectors", "connectors.py.jinja", connectors))


EXTENSION = Extension("cdm_parameters", (KEY,), read, build=build)
