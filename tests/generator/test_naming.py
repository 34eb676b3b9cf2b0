"""`generator.naming`: Python names from wire names, and the names that must never be used."""

from __future__ import annotations

import ast
import keyword
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator import naming
from tests.generator.conftest import ROOT


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("from-connector-name", "from_connector_name"),  # kebab
        ("isIncrementing", "is_incrementing"),  # camel
        ("IsIncrementing", "is_incrementing"),  # Pascal
        ("job_name", "job_name"),  # already snake
        ("JOB_NAME", "job_name"),  # screaming snake
        ("expressionTime Zone", "expression_time_zone"),  # spaces
        ("linkConfig.password", "link_config_password"),  # dots
        ("HTTPStatus", "http_status"),  # acronym before a word
        ("userID", "user_id"),  # trailing acronym
        ("getHTTPResponseCode", "get_http_response_code"),
        ("IPv4Address", "ipv4_address"),  # an acronym with a version stays one word
        ("useIPv6", "use_ipv6"),
        ("jobIDs", "job_ids"),  # a plural acronym stays one word
        ("URLsList", "urls_list"),
        ("HTTPSProxy", "https_proxy"),
        ("v2Jobs", "v2_jobs"),  # digits stay with their word
        ("s3Path", "s3_path"),
        ("last-udpate-user", "last_udpate_user"),  # misspellings are kept
        ("x--y__z", "x_y_z"),  # runs of separators collapse
        ("2fa", "n2_fa"),  # never starts with a digit
        ("", "field"),  # nothing usable: a placeholder
        ("---", "field"),
    ],
)
def test_snake(wire: str, expected: str) -> None:
    assert naming.snake(wire) == expected
    assert naming.snake(expected) == expected  # idempotent on its own output
    assert expected.isidentifier() and not keyword.iskeyword(expected)


@pytest.mark.parametrize("word", sorted(keyword.kwlist))
def test_keywords_get_a_trailing_underscore(word: str) -> None:
    name = naming.snake(word)
    assert name.isidentifier() and not keyword.iskeyword(name)
    assert name == word.lower() + "_" or not keyword.iskeyword(word.lower())


@pytest.mark.parametrize("word", ["match", "case"])
def test_soft_keywords_are_escaped_too(word: str) -> None:
    assert naming.snake(word) == word + "_"


def test_words() -> None:
    assert naming.words("fromJobConfig.useSql-query Time_zone") == [
        "from", "job", "config", "use", "sql", "query", "time", "zone"]


@pytest.mark.parametrize(
    ("wire", "expected"),
    [("jobs", "Jobs"), ("job_nodes", "JobNodes"), ("from-link name", "FromLinkName"),
     ("HTTPStatus", "HttpStatus"), ("v2jobs", "V2Jobs")],
)
def test_pascal(wire: str, expected: str) -> None:
    assert naming.pascal(wire) == expected


def test_model_reserved_covers_every_public_base_model_attribute() -> None:
    """A field named like a BaseModel attribute would shadow it (pydantic warns or fails)."""
    public = {name for name in dir(BaseModel) if not name.startswith("_")}
    assert public <= naming.MODEL_RESERVED


@pytest.mark.parametrize("name", sorted(naming.MODEL_RESERVED))
def test_field_names_escape_model_attributes(name: str) -> None:
    assert naming.field_name(name) == name + "_"


@pytest.mark.parametrize(
    ("wire", "expected"),
    [("modelConfig", "model_config_"), ("Schema", "schema_"), ("class", "class_"),
     ("self", "self"), ("body", "body"), ("timeout", "timeout"), ("thing-name", "thing_name")],
)
def test_field_name(wire: str, expected: str) -> None:
    assert naming.field_name(wire) == expected


def test_method_reserved_covers_every_request_option() -> None:
    """Each per-call option is a keyword of every method: no parameter may take its name."""
    source = (ROOT / "templates" / "runtime" / "types.py").read_text()
    (typed_dict,) = [node for node in ast.parse(source).body
                     if isinstance(node, ast.ClassDef) and node.name == "RequestOptions"]
    options = {stmt.target.id for stmt in typed_dict.body
               if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)}
    assert options and options <= naming.METHOD_RESERVED
    assert {"self", "body"} <= naming.METHOD_RESERVED


@pytest.mark.parametrize(
    ("wire", "expected"),
    [("body", "body_"), ("timeout", "timeout_"), ("self", "self_"), ("maxRetries", "max_retries_"),
     ("extra-headers", "extra_headers_"), ("from", "from_"), ("jobName", "job_name"),
     ("X-Language", "x_language")],
)
def test_argument_name(wire: str, expected: str) -> None:
    assert naming.argument_name(wire) == expected


def test_argument_names_avoid_the_other_keywords_of_generated_methods() -> None:
    """`**options` of every method, and `file` of `<method>_to_file`."""
    assert naming.argument_name("options") == "options_"
    assert naming.argument_name("file") == "file_"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("import", "import_"), ("list", "list"), ("get", "get"), ("match", "match"),
     ("iter_list", "iter_list")],
)
def test_method_name(name: str, expected: str) -> None:
    assert naming.method_name(name) == expected


@pytest.mark.parametrize(
    ("name", "snake", "pascal"),
    [("jobs", True, False), ("job_nodes2", True, False), ("Jobs", False, True),
     ("JobNodes2", False, True), ("_jobs", False, False), ("2jobs", False, False),
     ("job-nodes", False, False), ("", False, False), ("CDM", False, True), ("jobNodes", False, False)],
)
def test_identifier_checks(name: str, snake: bool, pascal: bool) -> None:
    assert naming.is_snake_identifier(name) is snake
    assert naming.is_pascal_identifier(name) is pascal


def test_isort_key_order() -> None:
    names = ["b", "Zeta", "CONST", "a", "A", "ALPHA", "X", "Mapping", "AsyncIterator", "IO",
             "TYPE_CHECKING", "Literal", "overload"]
    assert sorted(names, key=naming.isort_key) == [
        "ALPHA", "CONST", "IO", "TYPE_CHECKING", "A", "AsyncIterator", "Literal", "Mapping", "X",
        "Zeta", "a", "b", "overload"]


def test_isort_key_agrees_with_ruff(tmp_path: Path) -> None:
    """Imports sorted with isort_key pass ruff's import-sorting rule."""
    names = ["b", "Zeta", "CONST", "a", "A", "ALPHA", "X", "IO", "TYPE_CHECKING", "Literal"]
    source = (f"from typing import {', '.join(sorted(names, key=naming.isort_key))}\n\n"
              f"print({', '.join(names)})\n")
    module = tmp_path / "module.py"
    module.write_text(source)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "check", "--isolated", "--select", "I",
         "--no-cache", str(module)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("wire", "expected"), [("Ünïcode", "unicode"), ("naïve-field", "naive_field")])
def test_accented_letters_keep_their_base_letter(wire: str, expected: str) -> None:
    assert naming.snake(wire) == expected
