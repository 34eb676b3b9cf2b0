"""`x-source` (generator/extensions/sources.py): checked where it stands, its decisions read."""

from __future__ import annotations

from pathlib import Path

from generator.extensions import sources
from generator.validate import project_problems, read_specs
from tests.generator.conftest import BASE_SPEC, line_of, load_text, replace_once

DECIDED = replace_once(BASE_SPEC, "        sizeInCm:\n          type: integer\n", """\
        sizeInCm:
          type: integer
          x-source:
            decisions:
              - summary: Sizes are whole centimetres.
                rank: 1
                evidence:
                  - source: live-evidence C4
                    quote: a live answer had 12
""")


def test_a_decision_on_a_property_is_read(tmp_path: Path) -> None:
    (spec,), problems = read_specs([load_text(tmp_path, DECIDED)])
    assert problems == []
    (decision,) = sources.of(spec).decisions
    assert (decision.ptr, decision.summary, decision.rank) == (
        "/components/schemas/Widget/properties/sizeInCm", "Sizes are whole centimetres.", 1)
    assert decision.evidence == (sources.Evidence("live-evidence C4", "a live answer had 12"),)


def test_a_wrong_decision_is_reported_at_its_x_source(tmp_path: Path) -> None:
    text = DECIDED.replace("                rank: 1\n", "                rank: 7\n").replace(
        "          x-source:\n", "          x-source:  # @here\n")
    (problem,) = project_problems([load_text(tmp_path, text)])
    assert (problem.line, problem.pointer, problem.message) == (
        line_of(text, "# @here"), "/components/schemas/Widget/properties/sizeInCm/x-source",
        "decision 0: rank must be 1-4")


def test_pages_stand_beside_an_operation_only(tmp_path: Path) -> None:
    text = DECIDED.replace("            decisions:\n", "            pages: [https://support.huaweicloud.com/x.html]\n"
                           "            decisions:\n")
    (problem,) = project_problems([load_text(tmp_path, text)])
    assert problem.message == ("unknown key 'pages'; beside a node other than an operation it "
                               "holds only decisions")
