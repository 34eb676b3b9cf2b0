"""What the package index shows: the wheel (built once) holds only `dataarts` (typed), consumers
get only httpx and pydantic (aiohttp only with the `aiohttp` extra; the `cli` extra adds click and
jmespath and declares the console script), users are offered only their extras, and the long
description renders there."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
USER_EXTRAS = {"aiohttp", "cli"}
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[zipfile.ZipFile, Message, Message]:
    """The wheel, its METADATA and the sdist's PKG-INFO, built offline with the pinned backend."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=300)
    (wheel_path,) = out.glob("dataarts-*.whl")
    (sdist_path,) = out.glob("dataarts-*.tar.gz")
    wheel = zipfile.ZipFile(wheel_path)
    metadata = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    with tarfile.open(sdist_path) as sdist:
        member = next(m for m in sdist.getmembers() if m.name.count("/") == 1
                      and m.name.endswith("/PKG-INFO"))
        extracted = sdist.extractfile(member)
        assert extracted is not None
        pkg_info = extracted.read().decode()
    return wheel, Parser().parsestr(wheel.read(metadata).decode()), Parser().parsestr(pkg_info)


def _requires(metadata: Message, extra: str | None) -> list[str]:
    """The distribution names an extra requires (None: those required unconditionally)."""
    requires = [r.replace('"', "'") for r in metadata.get_all("Requires-Dist") or []]
    chosen = [r for r in requires if (f"extra == '{extra}'" in r if extra else "extra ==" not in r)]
    return sorted(re.split(r"[<>=!~;\s\[]", r)[0] for r in chosen)


def test_wheel_contents_and_runtime_dependencies(
        built: tuple[zipfile.ZipFile, Message, Message]) -> None:
    wheel, message, _ = built
    names = wheel.namelist()
    packages = {n.split("/")[0] for n in names if not n.startswith("dataarts-")}
    assert packages == {"dataarts"}
    assert "dataarts/py.typed" in names
    assert "dataarts/cdm/_client.py" in names and "dataarts/_runtime/auth.py" in names
    assert "dataarts/cdm/models.py" in names and "dataarts/cdm/_models/job.py" in names
    assert _requires(message, None) == ["httpx", "pydantic"]
    assert _requires(message, "aiohttp") == ["aiohttp", "httpx-aiohttp", "yarl"]


def test_the_published_metadata_offers_users_only_their_extras(
        built: tuple[zipfile.ZipFile, Message, Message]) -> None:
    _, wheel_metadata, sdist_metadata = built
    for message in (wheel_metadata, sdist_metadata):
        extras = set(message.get_all("Provides-Extra") or [])
        assert extras == USER_EXTRAS
        conditions = {re.sub(r".*extra == ", "", r).strip("'\"")
                      for r in message.get_all("Requires-Dist") or [] if "extra ==" in r}
        assert conditions == USER_EXTRAS
        # the maintainers' pins (black, the validator, pytest, ...) are nowhere in it
        assert not any(r.startswith(("black", "pytest", "mypy", "datamodel-code-generator"))
                       for r in message.get_all("Requires-Dist") or [])


def test_maintainer_tools_are_dependency_groups_that_the_venvs_pip_installs() -> None:
    """PEP 735 groups, which `make` installs with `pip install --group` (pip >= 25.1): the pinned
    pip accepts them, and everything they list is installed here (no index asked)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert set(project["project"]["optional-dependencies"]) == USER_EXTRAS
    groups = project["dependency-groups"]
    assert {"generator", "dev"} <= set(groups)
    assert any(r.startswith("black==") for r in groups["generator"])
    assert any(r.startswith("pytest==") for r in groups["dev"])
    assert "--group generator --group dev" in (ROOT / "Makefile").read_text(encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--quiet",
         "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"),
         "--group", "generator", "--group", "dev"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_long_description_renders_on_a_package_index_without_relative_links(
        built: tuple[zipfile.ZipFile, Message, Message]) -> None:
    import readme_renderer.markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_repository = {t for t in MARKDOWN_LINK.findall(readme) if not t.startswith(("#", "http"))}
    assert {"api.md", "spec/README.md"} <= in_repository  # what there is to fix
    _, wheel_metadata, sdist_metadata = built
    for message in (wheel_metadata, sdist_metadata):
        assert message["Description-Content-Type"] == "text/markdown"
        description = message.get_payload()
        assert isinstance(description, str) and "## Using the package" in description
        targets = MARKDOWN_LINK.findall(description)
        assert [t for t in targets if not t.startswith(("#", "https://", "http://"))] == []
        # each link into the repository keeps its text and names its file
        assert "(`api.md` in the source repository)" in description
        assert "(`spec/README.md` in the source repository)" in description
        html = readme_renderer.markdown.render(description)
        assert html is not None and "<h2" in html and "<table>" in html
        ids = set(re.findall(r'\bid="([^"]+)"', html))
        for href in re.findall(r'\bhref="([^"]+)"', html):
            if href.startswith("#"):  # a heading of the same page
                assert href[1:] in ids, href
            else:
                assert href.startswith(("https://", "http://")), href


def test_the_wheel_declares_the_cli_extra_and_the_console_script(
        built: tuple[zipfile.ZipFile, Message, Message]) -> None:
    wheel, metadata, _ = built
    names = wheel.namelist()
    assert _requires(metadata, "cli") == ["click", "jmespath"]
    entry_points = wheel.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "dataarts = dataarts.cli:main" in entry_points
    assert {"dataarts/__main__.py", "dataarts/_cli_commands/__init__.py",
            "dataarts/_cli_commands/cdm.py", "dataarts/cli/app.py"} <= set(names)
