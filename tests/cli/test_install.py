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


PROBE = """
import sys
from dataarts.cli import main
try:
    main({args!r})
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "dataarts")
records = sys.modules.get("dataarts.cli.table")  # a command table is made of its records
tables = [m for m in loaded if records and any(isinstance(v, records.Resource)
                                               for v in vars(sys.modules[m]).values())]
print(" ".join(loaded))
print(" ".join(tables))
"""


def after(*args: str, **env: str) -> tuple[set[str], set[str]]:
    """After `dataarts ARGS` (with `env`: e.g. the shell's completion request) in a fresh
    interpreter: the `dataarts` modules loaded, and those of them holding a command table."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))],
                            capture_output=True, text=True, env=cli_env(**env), check=True,
                            timeout=60)
    loaded, tables = result.stdout.splitlines()[-2:]
    return set(loaded.split()), set(tables.split())


# what the command line loads to print its help: the index of the command table, no service's
AT_START = {"dataarts", "dataarts._runtime", "dataarts._runtime.lazy", "dataarts.cli",
            "dataarts.cli.app", "dataarts.cli.index", "dataarts._cli_commands"}
REMEMBERED = "dataarts.cli.options"  # the global options typed, kept as a level is invoked


def completing(words: str) -> dict[str, str]:
    """The variables with which a bash completion asks for the words after `words`."""
    return {"_DATAARTS_COMPLETE": "bash_complete", "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}


def test_help_and_completion_load_only_the_table_of_the_service_named() -> None:
    """Start-up reads the index; a service's commands load when it is named, no other's
    (issue 22: `dataarts --help` under 100 ms; `make bench-cli`)."""
    for nothing_named in [after("--help"), after("--version"), after(**completing("dataarts c"))]:
        assert nothing_named == (AT_START, set())
    cdm = (AT_START | {"dataarts.cli.table", "dataarts._cli_commands.cdm"},
           {"dataarts._cli_commands.cdm"})
    assert after(**completing("dataarts cdm clusters ")) == cdm
    for typed in [("cdm", "--help"), ("cdm", "jobs", "start", "--help")]:
        loaded, tables = after(*typed)
        assert (loaded - {REMEMBERED}, tables) == cdm
    loaded, tables = after("--region", "r", "dlf", "jobs", "--help")
    assert tables == {"dataarts._cli_commands.dlf"}


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
