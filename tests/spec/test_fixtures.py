"""Every recorded fixture matches its operation in the spec; every operation has a fixture."""

from __future__ import annotations

import pytest

from tests.spec import fixturelib as fl

SERVICES = fl.spec_services()


def _all_fixtures() -> list[fl.Fixture]:
    return [fx for service in SERVICES for fx in fl.fixtures(service)]


@pytest.mark.parametrize("fx", _all_fixtures(), ids=lambda fx: f"{fx.service}/{fx.name}")
def test_fixture_matches_spec(fx: fl.Fixture) -> None:
    report = fl.check_fixture(fx, fl.operations(fx.service))
    entries = fl.allowlist(fx.service)
    unexpected = [p for p in report.problems if fl.allowed(p, fx.name, entries) is None]
    assert not unexpected, "\n".join(f"{fx.file.name}#{p.pointer}: {p.message}" for p in unexpected)


@pytest.mark.parametrize("fx", _all_fixtures(), ids=lambda fx: f"{fx.service}/{fx.name}")
def test_fixture_source_says_where_it_comes_from(fx: fl.Fixture) -> None:
    problems = fl.source_problems(fx)
    assert not problems, "\n".join(f"{fx.file.name}#{p.pointer}: {p.message}" for p in problems)


@pytest.mark.parametrize("service", SERVICES)
def test_allowlist_entries_are_used_and_explained(service: str) -> None:
    entries = fl.allowlist(service)
    ops = fl.operations(service)
    used: set[int] = set()
    for fx in fl.fixtures(service):
        for problem in fl.check_fixture(fx, ops).problems:
            # every entry at or above the problem is used (a body-wide entry beside a field's
            # one: Redocly reports an anyOf miss at the body and the branches' at the field)
            for entry in entries:
                if fl.allowed(problem, fx.name, [entry]) is not None:
                    used.add(id(entry))
    stale = [e for e in entries if id(e) not in used]
    assert not stale, f"allowlist entries that match no problem: {stale}"
    assert all(e.get("reason", "").strip() for e in entries), "every entry needs a reason"


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_a_fixture(service: str) -> None:
    covered = {fx.data.get("operation") for fx in fl.fixtures(service)}
    missing = sorted(set(fl.operations(service)) - covered)
    assert not missing, f"operations without a fixture: {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_fixture_names_follow_the_convention(service: str) -> None:
    for fx in fl.fixtures(service):
        op = fx.data["operation"]
        status = str(fx.data["response"]["status"])
        assert fx.name.startswith(op + "."), fx.name
        assert fx.name.endswith("." + status), fx.name
