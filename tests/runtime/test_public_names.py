"""What a user sees when looking around (issue 21 item 12): `repr(client)` shows the workspace and
no secret; `dir()` of each public module lists its public names once, not what it imported."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests.runtime.conftest import AK, BASE_URL, PROJECT, SK, TOKEN, AsyncDemoClient, DemoClient

GENERATED = Path(__file__).resolve().parents[2] / "generated"
SERVICES = ("cdm", "dlf", "factory", "lakeformation")
# each public module, with the submodules it lists besides its __all__
MODULES = {
    "dataarts": {*SERVICES, "testing"},
    "dataarts.cdm": {"connectors", "error_codes", "models"},
    "dataarts.dlf": {"error_codes", "models", "nodes"},
    "dataarts.factory": {"error_codes", "models"},
    "dataarts.lakeformation": {"error_codes", "models"},
    "dataarts.cdm.models": set(),
    "dataarts.dlf.models": set(),
    "dataarts.cdm.connectors": set(),
    "dataarts.dlf.nodes": set(),
    "dataarts.cdm.error_codes": set(),
    "dataarts.testing": set(),
}


def fresh(code: str) -> str:
    """What `code` prints in a fresh interpreter with the generated package."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(GENERATED)}, check=True)
    return done.stdout


@pytest.mark.parametrize("cls", [DemoClient, AsyncDemoClient])
def test_repr_shows_the_workspace_and_no_secret(cls: type[object]) -> None:
    for credentials in ({"token": TOKEN}, {"ak": AK, "sk": SK}):
        client = cls(base_url=BASE_URL, project_id=PROJECT, workspace="d1cd-workspace",
                     **credentials)
        shown = repr(client)
        assert "workspace='d1cd-workspace'" in shown
        assert TOKEN not in shown and SK not in shown and AK not in shown
    assert "workspace" not in repr(cls(base_url=BASE_URL, project_id=PROJECT, token=TOKEN))


def test_each_public_module_lists_its_public_names_once() -> None:
    """In a fresh interpreter, after the names were used (a used name used to be listed twice)."""
    code = (
        "import importlib, json\n"
        "import dataarts\n"
        "dataarts.CdmClient, dataarts.DlfClient, dataarts.to_config_values\n"
        f"modules = {sorted(MODULES)!r}\n"
        "found = {}\n"
        "for name in modules:\n"
        "    module = importlib.import_module(name)\n"
        "    found[name] = {'dir': dir(module), 'all': list(module.__all__)}\n"
        "print(json.dumps(found))\n"
    )
    found = json.loads(fresh(code))
    for name, extra in MODULES.items():
        listed = found[name]["dir"]
        public = [n for n in listed if not n.startswith("_")]
        assert [n for n, count in Counter(listed).items() if count > 1] == [], name
        assert set(public) == set(found[name]["all"]) | extra, name
    assert not {"Any", "TYPE_CHECKING", "annotations", "importlib"} & set(found["dataarts"]["dir"])
    assert "__version__" in found["dataarts"]["dir"]


def test_the_service_packages_load_on_first_use() -> None:
    code = (
        "import sys, dataarts\n"
        "assert 'dataarts.lakeformation' not in sys.modules\n"
        "print(dataarts.lakeformation.LakeFormationClient.__name__, dataarts.factory.__name__,"
        " dataarts.cdm.connectors.__name__)\n"
    )
    assert fresh(code).split() == ["LakeFormationClient", "dataarts.factory",
                                   "dataarts.cdm.connectors"]
