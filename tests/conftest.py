"""Shared by every test directory: a test's `summary` property is printed after the run, no
test reads the developer's profiles or endpoint variables, and the slow groups are marked.

The slow groups (SLOW below, keyed by path so a new test in one of those files is covered) get
their group's marker and `slow`: `make test-fast` runs the rest (`pytest -m "not slow"`). A
file or folder that is slow as a whole is not even imported when `-m` leaves out every test it
could hold (importing them cost every xdist worker seconds: schemathesis, the specs, the IR).

A test records `record_property("summary", line)`; the line is shown in pytest's terminal
summary, also when the test ran in an xdist worker (its properties travel with its report).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

try:  # pytest's own parser of `-m` (internal, pinned in constraints.txt): a pytest that moves it
    from _pytest.mark.expression import Expression  # costs the fast set its skip, not its tests
except ImportError:  # pragma: no cover - only with another pytest
    Expression = None  # type: ignore[assignment,misc]

TESTS = Path(__file__).resolve().parent
# mypy's cache, shared with `make typecheck` (which runs first): the generated package, most of
# what any mypy run here checks, is then read from it instead of checked again per run
MYPY_CACHE = TESTS.parent / ".cache" / "mypy"
# path under tests/ (a folder ending in "/", a file, or "file::test" for one test however
# parametrized) -> its group's marker (pyproject.toml registers them); each costs seconds to
# minutes: processes, servers, Node, Chromium, a wheel, the real specs through whole steps
SLOW = {
    "simulator/test_schemathesis.py": "schemathesis",
    "simulator/test_control_schemathesis.py": "schemathesis",
    "simulator/test_load.py": "load",
    "spec_product/test_bundle.py": "redocly",
    "spec_product/test_rendered_reference.py": "browser",
    "spec_product/test_typescript_client.py": "typescript",
    "spec_product/test_code_samples.py::test_python_samples_pass_mypy_strict": "mypy",
    "spec_product/test_code_samples.py::test_cli_samples_run_with_dry_run_and_the_simulator_accepts_them":
        "samples",
    "spec_product/test_code_samples.py::test_curl_samples_send_what_the_cli_samples_send": "samples",
    "golden/": "pipeline",
    "generator/test_pipeline.py": "pipeline",
    "generator/test_incremental.py::test_a_warm_run_renders_nothing_and_equals_a_cold_one": "pipeline",
    "generator/test_incremental.py::test_a_template_edit_re_renders_the_files_it_makes_only": "pipeline",
    "generator/test_incremental.py::test_a_spec_edit_re_renders_that_service_and_the_package_files": "pipeline",
    "generator/test_incremental.py::test_a_runtime_edit_renders_nothing": "pipeline",
    "generator/test_incremental.py::test_the_real_specs_are_kept_in_the_step_cache": "pipeline",
    "generator/test_incremental.py::test_a_run_served_from_the_caches_imports_no_heavy_tool": "subprocess",
    "conformance/": "conformance",
    "typing/": "mypy",
    "cli/test_install.py": "subprocess",
    "test_packaging.py": "subprocess",
    "cli/test_simulator.py::test_start_wait_shows_each_state_as_it_changes": "subprocess",
    "cli/test_simulator.py::test_a_download_is_not_written_to_a_terminal": "subprocess",
    "cli/test_simulator.py::test_ctrl_c_while_waiting_exits_130_and_says_how_to_resume": "subprocess",
    "cli/test_simulator.py::test_waiting_on_a_fast_simulator_takes_its_simulated_time_divided_by_its_speed":
        "subprocess",
    "cli/test_settings.py::test_one_variable_points_a_script_and_the_command_line_at_the_simulator":
        "subprocess",
    "simulator/test_server_and_clock.py::test_the_serve_command_prints_its_url_and_answers":
        "subprocess",
    "simulator/test_serve_command.py::test_the_command_in_a_shell_prints_no_traceback": "subprocess",
    "simulator/test_control_api.py::test_a_simulator_started_from_a_shell_does_what_simulator_does":
        "subprocess",
    "contract/test_lenient_build_state.py": "subprocess",
    "runtime/test_lazy_models.py::test_every_name_builds_its_schema_when_it_is_the_first_one_asked_for":
        "subprocess",
    "runtime/test_public_names.py::test_each_public_module_lists_its_public_names_once": "subprocess",
    "runtime/test_configs.py::test_the_package_checks_names_in_a_fresh_interpreter": "subprocess",
    "generator/test_malformed_specs.py::test_a_real_process_refuses_as_main_does": "subprocess",
    "generator/test_format.py::test_real_models_are_rendered": "pipeline",
    "generator/test_format.py::test_pieces_equal_black_on_whole_files": "pipeline",
    "generator/test_format.py::test_hand_written_sources_are_already_black_formatted": "pipeline",
    "generator/test_format.py::test_every_file_of_a_black_layout_template_is_black_clean": "pipeline",
    "generator/test_openapi_json.py::test_the_shipped_text_is_the_spec": "pipeline",
    "spec/test_examples_embedded.py::test_embedding_the_real_tree_changes_nothing": "pipeline",
}

# The groups by what a file of theirs costs, most first (CPU seconds, measured on 2 cores).
COSTLIEST_FIRST = ("browser", "redocly", "conformance", "typescript", "schemathesis", "mypy",
                   "samples", "pipeline", "subprocess", "load")

# Every client reads these (README, "Using the package"); a test that wants them sets them.
_NO_PROFILES = "/nonexistent/dataarts-tests"


def pytest_configure(config: pytest.Config) -> None:
    for name in [k for k in os.environ if k.startswith(("DATAARTS_ENDPOINT_URL", "DATAARTS_PROFILE"))]:
        del os.environ[name]
    os.environ["DATAARTS_CONFIG_FILE"] = f"{_NO_PROFILES}/config"
    os.environ["DATAARTS_CREDENTIALS_FILE"] = f"{_NO_PROFILES}/credentials"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """True for a wholly slow file or folder none of whose tests `-m` could select."""
    if Expression is None or not config.option.markexpr:
        return None
    if not collection_path.is_relative_to(TESTS):
        return None
    where = collection_path.relative_to(TESTS).as_posix() + ("/" if collection_path.is_dir() else "")
    group = SLOW.get(where)
    if group is None:
        return None
    expression = Expression.compile(config.option.markexpr)
    # whatever other markers a test there carries (each combination of the expression's other
    # names), it has its group's and `slow`
    others = sorted(expression.idents() - {group, "slow"})
    for count in range(len(others) + 1):
        for extra in itertools.combinations(others, count):
            marks = {group, "slow", *extra}
            if expression.evaluate(lambda name, /, marks=marks, **kwargs: name in marks):
                return None
    return True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks the slow groups, and puts the files holding the costliest groups first."""
    rank: dict[Path, int] = {}
    for item in items:
        where = item.path.relative_to(TESTS).as_posix()
        test = f"{where}::{getattr(item, 'originalname', item.name)}"
        rank.setdefault(item.path, len(COSTLIEST_FIRST))
        for prefix, group in SLOW.items():
            if prefix in (where, test) or (prefix.endswith("/") and where.startswith(prefix)):
                item.add_marker(group)
                item.add_marker("slow")
                rank[item.path] = min(rank[item.path], COSTLIEST_FIRST.index(group))
    # xdist (--dist loadfile) hands files to its workers in this order: a long file started
    # last would hold one worker while the other idles (longest first keeps them both busy).
    # Whole files move, each keeping its tests' order (and so its module fixtures' set-ups).
    items.sort(key=lambda item: rank[item.path])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "summary" and getattr(report, "when", "call") == "call":
                    terminalreporter.write_line(str(value))
