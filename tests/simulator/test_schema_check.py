"""The simulator's OpenAPI 3.0 schema-subset validator, keyword by keyword."""

from __future__ import annotations

from typing import Any

import pytest

from dataarts._runtime.catalogue import condition_holds
from dataarts.testing.schema_check import Validator

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 5},
                    "id": {"type": "integer", "readOnly": True},
                    "secret": {"type": "string", "writeOnly": True},
                },
            },
            "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                              {"type": "object", "properties": {"kind": {"enum": ["dog"]}}}]},
            "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                              {"type": "object", "properties": {"kind": {"enum": ["cat"]},
                                                                "lives": {"type": "integer"}}}]},
            "Loop": {"$ref": "#/components/schemas/Loop"},
            "a/b": {"type": "boolean"},
        }
    }
}  # fmt: skip
V = Validator(DOCUMENT)


def problems(schema: dict[str, Any], value: Any, direction: str = "request") -> list[str]:
    return [str(p) for p in V.check(schema, value, "v", direction)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("string", "x", 1),
        ("integer", 3, 3.5),
        ("integer", 3.0, True),
        ("number", 2.5, "2.5"),
        ("boolean", False, 0),
        ("array", [], {}),
        ("object", {}, []),
    ],
)
def test_types(kind: str, good: Any, bad: Any) -> None:
    assert problems({"type": kind}, good) == []
    (problem,) = problems({"type": kind}, bad)
    assert problem.startswith(f"v: must be of type {kind}, not ")


def test_null_needs_nullable() -> None:
    assert problems({"type": "string"}, None) == ["v: must not be null"]
    assert problems({"type": "string", "nullable": True}, None) == []
    assert problems({"type": "string", "enum": ["a", None]}, None) == []
    assert problems({}, None) == []
    # a schema of alternatives only: null when one of them allows it
    assert problems({"oneOf": [{"type": "string"}, {"type": "integer"}]}, None)
    assert problems({"anyOf": [{"type": "string"}, {"type": "integer", "nullable": True}]}, None) == []
    assert problems({"$ref": "#/components/schemas/Dog"}, None)


def test_enum_formats_and_bounds() -> None:
    assert problems({"enum": ["a", "b"]}, "c") == ["v: 'c' is not one of 'a', 'b'"]
    int32 = {"type": "integer", "format": "int32"}
    assert problems(int32, 2**31 - 1) == []
    assert problems(int32, 2**31) == ["v: 2147483648 is outside the int32 range"]
    assert problems({"type": "integer", "minimum": 1, "maximum": 3}, 0)
    assert problems({"type": "integer", "minimum": 1, "maximum": 3}, 4)
    assert problems({"type": "number", "minimum": 1, "exclusiveMinimum": True}, 1)
    assert problems({"type": "number", "maximum": 1, "exclusiveMaximum": True}, 1)
    assert problems({"type": "number", "multipleOf": 2}, 3)


def test_strings_and_arrays() -> None:
    assert problems({"type": "string", "pattern": "^[a-z]+$"}, "Abc") == [
        "v: does not match ^[a-z]+$"
    ]
    assert problems({"type": "string", "minLength": 2}, "a")
    assert problems({"type": "array", "minItems": 1}, [])
    assert problems({"type": "array", "maxItems": 1}, [1, 2])
    assert problems({"type": "array", "uniqueItems": True}, [{"a": 1}, {"a": 1}])
    assert problems({"type": "array", "items": {"type": "integer"}}, [1, "x"]) == [
        "v[1]: must be of type integer, not string"
    ]


def test_objects_required_additional_and_directions() -> None:
    pet = {"$ref": "#/components/schemas/Pet"}
    assert problems(pet, {}) == ["v.name: is required"]
    assert V.check(pet, {}, "v")[0].missing
    assert problems(pet, {"name": "toolong"}) == ["v.name: is longer than 5 characters"]
    strict = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    assert problems(strict, {"b": 1}) == ["v.b: is not a documented property"]
    typed_map = {"type": "object", "additionalProperties": {"type": "string"}}
    assert problems(typed_map, {"k": 1}) == ["v.k: must be of type string, not integer"]
    read_only = {"type": "object", "required": ["id"], "properties": {"id": {"readOnly": True}}}
    assert problems(read_only, {}, "request") == []
    assert problems(read_only, {}, "response") == ["v.id: is required"]
    write_only = {"type": "object", "required": ["pw"], "properties": {"pw": {"writeOnly": True}}}
    assert problems(write_only, {}, "response") == []


def test_composition_and_discriminator() -> None:
    dog, cat = {"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}
    assert problems({"allOf": [dog]}, {"kind": "dog"}) == ["v.name: is required"]
    assert problems({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1.5)
    assert problems({"anyOf": [{"type": "string"}, {"type": "integer"}]}, 1) == []
    one_of = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
    assert problems(one_of, 1) == ["v: matches 2 of the oneOf schemas, not one"]
    assert problems(one_of, 1.5) == []
    tagged = {"oneOf": [dog, cat], "discriminator": {"propertyName": "kind", "mapping": {
        "dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"}}}  # fmt: skip
    assert problems(tagged, {"kind": "cat", "name": "tom", "lives": 9}) == []
    assert problems(tagged, {"kind": "cat", "name": "tom", "lives": "9"}) == [
        "v.lives: must be of type integer, not string"
    ]
    assert problems(tagged, {"kind": "cow", "name": "x"}) == ["v.kind: 'cow' is not one of 'dog', 'cat'"]
    assert problems(tagged, {"name": "x"}) == ["v.kind: is required"]
    assert problems({"not": {"type": "string"}}, "x") == ["v: matches a schema it must not match"]


def test_x_required_when() -> None:
    schema = {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "mode": {"type": "string"},
            "queue": {"type": "string", "x-required-when": {"type": ["DLISQL", "SparkSQL"],
                                                            "mode": ["batch"]}},
        },
    }  # fmt: skip
    assert problems(schema, {"type": "DLISQL", "mode": "batch"}) == [
        "v.queue: is required when type is 'DLISQL' and mode is 'batch'"
    ]
    assert problems(schema, {"type": "SparkSQL", "mode": "batch", "queue": "q"}) == []
    assert problems(schema, {"type": "Shell", "mode": "batch"}) == []  # OR within a key
    assert problems(schema, {"type": "DLISQL"}) == []  # an absent key never holds
    assert condition_holds({"a": [True]}, {"a": True})
    assert not condition_holds({"a": [True]}, {})


def test_references() -> None:
    assert problems({"$ref": "#/components/schemas/a~1b"}, "x")  # JSON-pointer escapes
    with pytest.raises(ValueError, match="loop"):
        V.check({"$ref": "#/components/schemas/Loop"}, 1, "v")
    with pytest.raises(ValueError, match="local"):
        V.check({"$ref": "other.yaml#/x"}, 1, "v")


def test_problems_are_capped() -> None:
    many = {"type": "array", "items": {"type": "string"}}
    assert len(V.check(many, list(range(100)), "v")) == 20


def test_generic_values_fit_overlapping_alternatives() -> None:
    from dataarts.testing.generic import sample
    from dataarts.testing.spec import service_from_document

    service = service_from_document("x", DOCUMENT)
    overlapping = {"oneOf": [{"type": "number"}, {"type": "integer"}]}
    value = sample(service, overlapping)
    assert V.check(overlapping, value, "v") == []  # 0.0 fits only `number`; 0 would fit both
