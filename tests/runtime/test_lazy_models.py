"""The generated models modules create their classes on first use (issue 9, time to first call).

`dataarts.<service>.models` defines no class itself: each lives in a private module of
`dataarts.<service>._models` (one per cycle of classes), imported by the public module's
`__getattr__` with the modules of the classes it refers to, and no others. The classes still
read as members of the public module (`__module__`, pickling, `dir()`, `import *`), and each one
builds its schema whichever class was asked for first.
"""

from __future__ import annotations

import ast
import importlib
import json
import pickle
import subprocess
import sys
import typing
from functools import cache
from pathlib import Path

import pytest

from dataarts._runtime.response import resolve_type
from dataarts.cdm import models as cdm_models
from dataarts.factory import models as factory_models

GENERATED = Path(__file__).resolve().parents[2] / "generated"
SERVICES = ("cdm", "dlf", "factory", "lakeformation")


def run(code: str) -> str:
    """stdout of a fresh interpreter running `code` with the generated package."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(GENERATED), "PYTHONDONTWRITEBYTECODE": "1"}, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@cache
def private_imports(service: str) -> dict[str, set[str]]:
    """Private module -> the names it imports from the public module (read from the sources)."""
    found: dict[str, set[str]] = {}
    for path in sorted((GENERATED / "dataarts" / service / "_models").glob("*.py")):
        names: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module == "models":
                names.update(alias.name for alias in node.names)
        found[path.stem] = names
    return found


def closure(service: str, *names: str) -> set[str]:
    """The private modules that creating `names` must import, and no more."""
    where = vars(sys.modules[f"dataarts.{service}.models"])["_MODULES"]
    todo, seen = [where[n] for n in names], set()
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += [where[n] for n in private_imports(service)[module]]
    return {f"dataarts.{service}._models.{m}" for m in seen}


LOADED = "print(json.dumps(sorted(m for m in sys.modules if '._models.' in m)))"


def test_importing_a_models_module_creates_no_class() -> None:
    loaded = json.loads(run(
        "import json, sys\nimport dataarts.cdm.models, dataarts.dlf.models\n"
        "assert 'pydantic' not in sys.modules\n" + LOADED
    ))
    assert loaded == []


def test_a_class_brings_exactly_the_modules_of_the_classes_it_refers_to() -> None:
    assert len(closure("cdm", "Job")) > 1  # the example has something to show
    loaded = json.loads(run(
        "import json, sys\nfrom dataarts.cdm.models import Job\n" + LOADED
    ))
    assert set(loaded) == closure("cdm", "Job")


def test_a_call_creates_only_its_response_type_and_what_that_refers_to() -> None:
    loaded = json.loads(run(
        "import json, sys\n"
        "import httpx\n"
        "from dataarts import CdmClient\n"
        "h = lambda r: httpx.Response(200, json={'submissions': [{'status': 'BOOTING'}]})\n"
        "c = CdmClient(region='r', project_id='p', token='t',"
        " http_client=httpx.Client(transport=httpx.MockTransport(h)))\n"
        "assert c.jobs.get_status(cluster_id='c', job_name='j').submissions[0].status == 'BOOTING'\n"
        + LOADED
    ))
    expected = closure("cdm", "ShowJobStatusResponse")
    assert set(loaded) == expected
    assert len(expected) < len(private_imports("cdm")) / 10


def test_a_response_expression_resolves_through_the_lazy_names() -> None:
    """`resolve_type` looks each name up as an attribute, so that `__getattr__` creates it."""
    out = run(
        "import json, sys\n"
        "import httpx\n"
        "from dataarts import FactoryClient\n"
        "h = lambda r: httpx.Response(200, json=[{'job_name': 'up', 'depend_layer': 'parent'}])\n"
        "c = FactoryClient(region='r', project_id='p', token='t', workspace='w',"
        " http_client=httpx.Client(transport=httpx.MockTransport(h)))\n"
        "deps = c.jobs.list_dependencies(job_name='j')\n"  # list[JobDependency]
        "print(type(deps).__name__, type(deps[0]).__name__, deps[0].job_name)\n" + LOADED
    )
    first, loaded = out.splitlines()
    assert first == "list JobDependency up"
    assert set(json.loads(loaded)) == closure("factory", "JobDependency")
    assert resolve_type("dataarts.factory.models", "list[JobDependency]") == list[
        factory_models.JobDependency
    ]
    union = resolve_type("dataarts.cdm.models", "Job | Link | None")
    assert union == cdm_models.Job | cdm_models.Link | None


@pytest.mark.parametrize("service", SERVICES)
def test_every_name_builds_its_schema_when_it_is_the_first_one_asked_for(service: str) -> None:
    """For each name: a fresh models module (and private modules), that name first, its JSON
    schema built, so every forward reference is resolved with only its own closure loaded."""
    out = run(f"""
import importlib, sys
from pydantic import BaseModel, TypeAdapter
public = "dataarts.{service}.models"
names = importlib.import_module(public).__all__
for name in names:
    for loaded in [m for m in sys.modules if m == public or m.startswith("dataarts.{service}._models")]:
        del sys.modules[loaded]
    value = getattr(importlib.import_module(public), name)
    if isinstance(value, type):
        assert value.__module__ == public and value.__qualname__ == name, value
        assert value.model_json_schema()
        typing.get_type_hints(value)
    else:  # a type alias: a union of classes
        assert TypeAdapter(value).json_schema()
print(len(names))
""".replace("import importlib, sys", "import importlib, sys, typing"))
    public = importlib.import_module(f"dataarts.{service}.models")
    assert int(out) == len(vars(public)["_MODULES"]) > 0


def test_classes_read_as_members_of_the_public_module() -> None:
    job = cdm_models.Job
    assert (job.__module__, job.__qualname__) == ("dataarts.cdm.models", "Job")
    assert repr(job) == "<class 'dataarts.cdm.models.Job'>"
    assert set(typing.get_type_hints(job)) >= {"name", "from_config_values"}


def test_instances_pickle_by_the_public_name() -> None:
    status = cdm_models.ShowJobStatusResponse.model_validate(
        {"submissions": [{"job-name": "j1", "creation-user": "cdm", "creation-date": 1,
                           "progress": 0, "status": "BOOTING"}], "unknownField": 1}
    )
    data = pickle.dumps(status)
    assert b"dataarts.cdm.models" in data and b"_models" not in data
    assert pickle.loads(data) == status
    out = run(  # in an interpreter that has created no class yet
        "import pickle\n"
        f"status = pickle.loads({data!r})\n"
        "print(type(status.submissions[0]).__module__, status.submissions[0].job_name,"
        " status.model_extra)\n"
    )
    assert out == "dataarts.cdm.models j1 {'unknownField': 1}\n"


def test_dir_and_star_import_list_every_name() -> None:
    names = set(cdm_models.__all__)
    assert names == set(vars(cdm_models)["_MODULES"]) and "CreateJobRequest" in names
    assert names <= set(dir(cdm_models))
    out = run("from dataarts.cdm.models import *\nprint(CreateJobRequest.__name__)\n")
    assert out == "CreateJobRequest\n"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'dataarts.cdm.models' has no attribute 'Nope'"):
        cdm_models.Nope  # noqa: B018
    assert not hasattr(cdm_models, "Nope")
    with pytest.raises(ImportError, match="Nope"):
        from dataarts.cdm.models import Nope  # noqa: F401
