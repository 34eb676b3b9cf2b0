"""How the command line installs: the console script, and what it imports when (the `cli` extra
and the entry point the wheel declares: tests/test_packaging.py, which builds the wheel once).

The core package needs only httpx and pydantic: its clients and waiters work where click cannot be
imported. `dataarts --help` loads click and the command table only (no httpx, no pydantic).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import ROOT, cli_env, dataarts_process

HEAVY = ("httpx", "pydantic")
BLOCK_CLICK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "click":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
"""


def loaded_after(code: str) -> set[str]:
    """Top-level packages a fresh interpreter has loaded after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=cli_env(), check=True, timeout=60)
    return set(result.stdout.split())


def test_the_package_and_its_clients_work_without_click() -> None:
    """Only the command line needs click: with it unimportable, the clients and waiters work.

    (Where click is installed, `import httpx` itself imports it, for httpx's own command line.)
    """
    code = BLOCK_CLICK + (
        "import httpx\n"
        "from dataarts import CdmClient, DlfClient, LakeFormationClient, WaiterFailedError\n"
        "import dataarts.cdm.models, dataarts.dlf.models, dataarts._runtime.waiters\n"
        "http = httpx.Client(transport=httpx.MockTransport(\n"
        "    lambda request: httpx.Response(200, json={'status': '200'})))\n"
        "with CdmClient(project_id='p', region='ap-southeast-1', token='t', http_client=http) as c:\n"
        "    assert c.clusters.wait_until_normal(cluster_id='c').status == '200'\n"
    )
    assert "click" not in loaded_after(code)
    imports_click = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "generated" / "dataarts").rglob("*.py")
        if "cli" not in path.relative_to(ROOT / "generated" / "dataarts").parts[:1]
        and "import click" in path.read_text(encoding="utf-8")
    ]
    assert imports_click == []


def test_help_loads_neither_the_clients_nor_rich() -> None:
    code = (
        "from dataarts.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "try:\n    main(['cdm', 'jobs', 'start', '--help'])\nexcept SystemExit:\n    pass\n"
    )
    loaded = loaded_after(code)
    assert "click" in loaded and loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert "dataarts" in loaded and "rich" not in loaded
    # nor what only some commands need: --query, profiles, the suggestion of a misspelt command
    assert loaded.isdisjoint({"jmespath", "configparser", "difflib", "logging"})


def test_jmespath_loads_only_for_query() -> None:
    def run(*args: str) -> str:
        return (
            "from dataarts.cli import main\n"
            f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        )

    dry_run = ["--project-id", "p", "--region", "r", "cdm", "clusters", "list", "--dry-run"]
    assert "jmespath" not in loaded_after(run(*dry_run))
    assert "jmespath" in loaded_after(run(*dry_run, "--query", "method"))


def test_without_click_the_command_line_says_which_extra_to_install() -> None:
    code = BLOCK_CLICK + "from dataarts.cli import main\nmain(['--help'])\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=cli_env(), timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr == 'dataarts: the command line needs the cli extra: pip install "dataarts[cli]"\n'


def test_python_m_dataarts_and_the_console_script() -> None:
    assert dataarts_process("--version").stdout.strip() == "dataarts, version 0.1.0"
    script = Path(sys.executable).with_name("dataarts")
    if not script.exists():  # pragma: no cover - the dev venv installs it (make generate)
        pytest.skip("the console script is installed by `pip install -e .[cli]`")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True,
                            env=cli_env(), timeout=60, check=True)
    assert "Usage: dataarts" in result.stdout
