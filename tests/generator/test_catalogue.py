"""The catalogue extensions (`x-cdm-parameters`, `x-dlf-node-types`): typed classes, then modules.

Unit tests of the step: the real spec with one edit is read and built, and the module's
template rendered, without models, black or a whole generation.
"""

from __future__ import annotations

from pathlib import Path

from generator import Paths
from generator.build import build_api
from generator.catalogue import TypedClass
from generator.ir import Service
from generator.render import environment
from tests.generator.conftest import ROOT, load_text

ANCHOR = "              - name: linkConfig.hiveMsUris\n"
ADDED = ("              - name: linkConfig.hiveZone\n                type: string\n"
         "                required: false\n                description: An added parameter.\n")


def cdm_with_hive_zone(tmp_path: Path) -> Service:
    text = (ROOT / "spec" / "cdm.yaml").read_text(encoding="utf-8")
    assert text.count(ANCHOR) == 1
    (service,) = build_api([load_text(tmp_path, text.replace(ANCHOR, ADDED + ANCHOR), "cdm.yaml")]).services
    return service


def section(service: Service, name: str) -> TypedClass:
    (connectors,) = [m.data for m in service.modules if m.name == "connectors"]
    (found,) = [c for c in connectors.classes if c.name == name]
    return found


def test_an_added_catalogue_parameter_becomes_a_field_of_its_section(tmp_path: Path) -> None:
    hive = section(cdm_with_hive_zone(tmp_path), "HiveLinkConfig")
    wires = [f.wire for f in hive.fields]
    assert wires[wires.index("linkConfig.hiveZone") + 1] == "linkConfig.hiveMsUris"  # in order
    (field,) = [f for f in hive.fields if f.wire == "linkConfig.hiveZone"]
    assert (field.name, field.type, field.has_default, field.default) == (
        "hive_zone", "str | None", True, None)
    assert field.doc == "An added parameter. Wire name `linkConfig.hiveZone`."


def test_the_connectors_template_prints_the_field_and_its_parameter(tmp_path: Path) -> None:
    service = cdm_with_hive_zone(tmp_path)
    (module,) = [m for m in service.modules if m.name == "connectors"]
    source = environment(Paths().templates_dir).get_template(module.template).render(
        header="# header", service=service, module=module.data)
    assert '    hive_zone: Annotated[str | None, Field(alias="linkConfig.hiveZone")] = None\n' in source
    assert 'Parameter("linkConfig.hiveZone", "hive_zone")' in source
