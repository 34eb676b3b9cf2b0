"""The conformance judge against the official Huawei Cloud Python SDK (see README.md here).

Run alone, the judge is skipped when the SDK's virtualenv is missing (`make official-sdk` makes
it); under `make test` (DATAARTS_OFFICIAL_SDK=required) it fails instead.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import pytest

from generator.extensions.sources import SOURCE
from tests.conformance import decisions as d
from tests.conformance.compare import Difference, json_differences, media_type, request_view
from tests.conformance.judge import Judgement, judge
from tools.venvs import installed_official_python

REQUIRED = os.environ.get("DATAARTS_OFFICIAL_SDK") == "required"


@pytest.fixture(scope="module")
def judgement() -> Judgement:
    python = installed_official_python()
    if python is None:
        message = "the official SDK's virtualenv is missing: `make official-sdk` installs it"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    logging.disable(logging.WARNING)  # the lenient readers' warnings: the readings show them
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return judge(python)
    finally:
        logging.disable(logging.NOTSET)


def test_every_difference_is_a_recorded_decision(
    judgement: Judgement, record_property: pytest.RecordProperty
) -> None:
    record_property("summary", f"conformance: {judgement.summary()}")
    if judgement.verdict.unlisted or judgement.verdict.stale:
        pytest.fail(f"{judgement.summary()}\n{judgement.report()}", pytrace=False)


def test_every_shared_operation_is_judged(judgement: Judgement) -> None:
    """The 99 operations of the official SDK that match ours (issue 19), each with a filled case."""
    assert len(judgement.pairs) == 99
    filled = {case.pair.operation for case in judgement.cases if case.id.startswith("filled:")}
    assert filled == {pair.operation for pair in judgement.pairs}


def test_both_sides_really_send_and_read(judgement: Judgement) -> None:
    """A judge that compared nothing would pass: every case goes out on both sides (but where
    the SDK cannot build the request, a recorded difference), and both read every answer."""
    assert len(judgement.cases) > 2 * len(judgement.pairs)
    for case in judgement.cases:
        ours, theirs = judgement.results[case.id]
        assert "request" in ours, case.id
        assert "request" in theirs or "build_error" in theirs, case.id
        assert ("reading" in ours or "error" in ours) and (
            "reading" in theirs or "error" in theirs or "build_error" in theirs
        ), case.id


# -- the judge's own rules, without the SDK ---------------------------------------------------------


def test_the_decisions_file_is_well_formed() -> None:
    assert d.load()


def test_an_unlisted_difference_fails_and_a_listed_one_that_no_case_shows_is_stale(
    tmp_path: Path,
) -> None:
    file = tmp_path / "decisions.yaml"
    file.write_text(
        """
- id: example
  summary: An example.
  verdict: ours
  rank: 1
  against: contradicted
  evidence:
    - {source: live-evidence D1, quote: "served on dayu"}
  differences:
    - {operation: [dlf.A, dlf.B], part: host, kind: value}
""",
        encoding="utf-8",
    )
    listed = d.load(file)
    seen = {
        Difference("dlf.A", "host", "", "value"),
        Difference("dlf.C", "query", "x", "only-ours"),
    }
    verdict = d.judge(seen, listed)
    assert verdict.unlisted == [Difference("dlf.C", "query", "x", "only-ours")]
    assert verdict.stale == [("example", ("dlf.B", "host", "", "value"))]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("verdict: ours\n  rank: 3\n  against: contradicted", "only rank-1 evidence"),
        ("verdict: ours\n  rank: 1", "against must be one of"),
        ("verdict: pending-spelling\n  rank: 1", "verdict must be one of"),
        ("verdict: pending-runtime\n  rank: 1", "names its owner"),
        ("verdict: ours\n  rank: 3\n  against: unverified", "lists only reading differences"),
        ("verdict: maybe\n  rank: 1", "verdict must be one of"),
    ],
)
def test_a_decision_must_outrank_the_sdk_or_say_why_it_need_not(
    tmp_path: Path, entry: str, problem: str
) -> None:
    file = tmp_path / "decisions.yaml"
    file.write_text(
        f"""
- id: x
  summary: x
  {entry}
  evidence: [{{source: "live-evidence D1", quote: q}}]
  differences: [{{operation: dlf.A, part: host, kind: value}}]
""",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=problem):
        d.load(file)


def test_evidence_names_where_it_is() -> None:
    for good in (
        "huaweicloud/terraform-provider-huaweicloud@a0345b8dcc:huaweicloud/config/endpoints.go:717",
        "huaweicloudsdkcdm==3.1.219:huaweicloudsdkcdm/v1/model/cluster_detail_instance.py:48",
        "live-evidence C5",
        "doc 003_b0b6b669bda851be.txt:1200-1210",
    ):
        assert SOURCE.fullmatch(good), good
    for bad in ("terraform", "live-evidence", "some/repo:path:1"):
        assert not SOURCE.fullmatch(bad), bad


def test_json_differences_name_the_place_and_the_side() -> None:
    ours = {"a": 1, "b": [{"x": "1"}], "c": "only ours"}
    theirs = {"a": 1.0, "b": [{"x": 1}], "d": None, "e": True}
    assert json_differences(ours, theirs) == [
        ("/b/*/x", "value", "1", 1),
        ("/c", "only-ours", "only ours", None),
        ("/d", "only-theirs", None, None),
        ("/e", "only-theirs", None, True),
    ]


def test_content_type_is_compared_by_media_type() -> None:
    assert media_type("application/json;charset=UTF-8") == "application/json"
    assert media_type("Application/JSON") == "application/json"
    assert media_type("multipart/form-data; boundary=x") == "multipart/form-data;boundary=x"
    sent = {"method": "GET", "url": "https://h/p?b=2&a=1&a=0", "headers": {"Authorization": "x"}}
    assert request_view(sent) == {
        "method": "GET",
        "host": "h",
        "path": "/p",
        "query": {"b": "2", "a": ["0", "1"]},
        "header": {},
        "body": None,
    }
