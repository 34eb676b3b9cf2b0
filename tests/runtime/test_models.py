"""Tests for templates/runtime/models.py: the Model base and lenient response parsing."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field, RootModel

from templates.runtime.errors import DataArtsError
from templates.runtime.models import MissingFieldError, Model, UnusableBody, parse_body

pytestmark = pytest.mark.filterwarnings(
    # a model that kept a wrong-typed value dumps it back silently (issue 9)
    "error:Pydantic serializer warnings:UserWarning"
)


class Inner(Model):
    size: int | None = None
    label: str | None = None


class Job(Model):
    job_name: Annotated[str | None, Field(alias="jobName")] = None
    retries: int | None = None
    tags: list[str] | None = None
    inner: Inner | None = None
    created: int | None = None


class Required(Model):
    name: str
    value: int


class Item(Model):
    id: int
    label: str | None = None


class Items(RootModel[list[Item]]):
    pass


class Cat(Model):
    type: Literal["cat"]
    lives: int | None = None


class Dog(Model):
    type: Literal["dog"]
    good: bool | None = None


class Pets(Model):
    pets: list[Annotated[Cat | Dog, Field(discriminator="type")]]


def body(data: Any) -> bytes:
    return json.dumps(data).encode()


# --- fast path ----------------------------------------------------------------------------------


def test_fast_path_validates_by_wire_name() -> None:
    job = parse_body(Job, body({"jobName": "j1", "retries": 3, "tags": ["a"],
                                "inner": {"size": 2, "label": "x"}}))
    assert isinstance(job, Job)
    assert (job.job_name, job.retries, job.tags) == ("j1", 3, ["a"])
    assert isinstance(job.inner, Inner)
    assert (job.inner.size, job.inner.label) == (2, "x")


def test_fast_path_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="dataarts")
    parse_body(Job, body({"jobName": "j1"}))
    assert caplog.records == []


def test_fields_can_be_given_by_python_name() -> None:
    assert Job(job_name="x").job_name == "x"
    assert Job.model_validate({"job_name": "y"}).job_name == "y"


def test_dump_uses_wire_names() -> None:
    assert Job(job_name="x").model_dump(exclude_unset=True) == {"jobName": "x"}


@pytest.mark.parametrize("raw", [b"", b"   ", b"\r\n"])
def test_an_empty_body_is_unusable(raw: bytes) -> None:
    with pytest.raises(UnusableBody, match="it is empty"):
        parse_body(Job, raw)


def test_unknown_fields_are_kept_on_the_fast_path() -> None:
    job = parse_body(Job, body({"jobName": "j", "newField": {"a": 1}}))
    assert job.model_extra == {"newField": {"a": 1}}
    assert job.model_dump(exclude_unset=True) == {"jobName": "j", "newField": {"a": 1}}


def test_numeric_string_for_int_parses() -> None:
    assert parse_body(Job, body({"retries": "4"})).retries == 4


# --- lenient fallback ---------------------------------------------------------------------------


def test_fallback_keeps_a_string_where_a_list_is_declared() -> None:
    job = parse_body(Job, body({"jobName": "j", "tags": "a,b", "retries": "5"}))
    assert isinstance(job, Job)
    assert job.tags == "a,b"  # kept as sent
    assert job.retries == 5  # the numeric string still parses, field by field
    assert job.job_name == "j"


def test_fallback_nested_model_keeps_its_good_fields_typed() -> None:
    job = parse_body(Job, body({"jobName": "j", "created": "1700000000",
                                "inner": {"size": "big", "label": "L"}}))
    assert isinstance(job.inner, Inner)
    assert job.inner.size == "big"
    assert job.inner.label == "L"
    assert job.created == 1700000000


def test_fallback_keeps_unknown_fields_and_dumps_them_back() -> None:
    sent = {"jobName": "j", "tags": "oops", "newField": {"a": [1, 2]}, "other": None}
    job = parse_body(Job, body(sent))
    assert job.model_extra == {"newField": {"a": [1, 2]}, "other": None}
    assert job.model_dump(exclude_unset=True) == sent
    assert json.loads(job.model_dump_json(exclude_unset=True)) == sent


def test_fallback_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="dataarts")
    parse_body(Job, body({"tags": "x"}))
    warnings_ = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings_) == 1
    assert warnings_[0].name == "dataarts"
    message = warnings_[0].getMessage()
    assert "Job" in message
    assert "tags" in message  # where the first problem is


def test_fallback_in_list_items() -> None:
    items = parse_body(list[Item], body([{"id": 1, "label": "a"}, {"id": "two", "label": "b"}]))
    assert isinstance(items, list)
    assert [type(i) for i in items] == [Item, Item]
    assert items[0].id == 1
    assert (items[1].id, items[1].label) == ("two", "b")


def test_type_adapter_target_fast_path() -> None:
    items = parse_body(list[Item], body([{"id": 1}, {"id": "2"}]))
    assert [(type(i), i.id) for i in items] == [(Item, 1), (Item, 2)]


def test_union_target_picks_the_matching_member() -> None:
    pet = parse_body(Cat | Dog, body({"type": "dog", "good": True}))
    assert isinstance(pet, Dog)
    assert pet.good is True


def test_dict_target() -> None:
    parsed = parse_body(dict[str, Item], body({"a": {"id": 1}, "b": {"id": "x"}}))
    assert isinstance(parsed["a"], Item) and parsed["a"].id == 1
    assert isinstance(parsed["b"], Item) and parsed["b"].id == "x"


def test_root_model_target_fast_path() -> None:
    items = parse_body(Items, body([{"id": 1}, {"id": 2}]))
    assert isinstance(items, Items)
    assert [i.id for i in items.root] == [1, 2]


def test_root_model_target_fallback_keeps_the_root_model() -> None:
    items = parse_body(Items, body([{"id": 1, "label": "a"}, {"id": "two"}]))
    assert isinstance(items, Items)
    assert isinstance(items.root[0], Item) and items.root[0].id == 1
    assert isinstance(items.root[1], Item) and items.root[1].id == "two"


def test_discriminated_union_items_fast_path() -> None:
    pets = parse_body(Pets, body({"pets": [{"type": "cat", "lives": 9}, {"type": "dog"}]}))
    assert [type(p) for p in pets.pets] == [Cat, Dog]


def test_discriminated_union_fallback_keeps_the_matching_member() -> None:
    pets = parse_body(Pets, body({"pets": [{"type": "cat", "lives": 9},
                                           {"type": "dog", "good": "very"}]}))
    assert isinstance(pets.pets[0], Cat) and pets.pets[0].lives == 9
    assert isinstance(pets.pets[1], Dog)
    assert pets.pets[1].good == "very"


class Wrapped(Model):
    items: list[Required]
    wire_field: Annotated[str, Field(alias="wire-field")]


def test_a_missing_required_field_raises_a_named_error_when_read(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="dataarts"):
        parsed = parse_body(Required, body({"name": "n"}), "ShowThing")
    assert parsed.name == "n"
    assert len(caplog.records) == 1  # still parsed, with the one warning
    with pytest.raises(MissingFieldError) as caught:
        _ = parsed.value
    err = caught.value
    assert isinstance(err, AttributeError) and isinstance(err, DataArtsError)
    assert (err.model, err.field, err.wire_name, err.operation) == (
        "Required", "value", "value", "ShowThing")
    assert str(err) == ("Required.value is documented as always present, but the ShowThing "
                        "response did not include it")
    assert getattr(parsed, "value", None) is None and not hasattr(parsed, "value")


def test_a_nested_missing_field_names_the_wire_name_and_the_operation() -> None:
    parsed = parse_body(Wrapped, body({"items": [{"value": 1}]}), "ListThings")
    with pytest.raises(MissingFieldError, match=r"Required\.name .*ListThings") as caught:
        _ = parsed.items[0].name
    assert caught.value.operation == "ListThings"
    with pytest.raises(MissingFieldError, match=r"\('wire-field' on the wire\)"):
        _ = parsed.wire_field
    assert parsed.items[0].value == 1


def test_a_missing_required_field_adds_nothing_to_dumps() -> None:
    sent = {"items": [{"value": "seven", "extra": [1]}], "other": None}
    parsed = parse_body(Wrapped, json.dumps(sent).encode())
    assert parsed.model_dump() == sent
    assert json.loads(parsed.model_dump_json()) == sent
    assert parsed.items[0].model_dump(by_alias=True, exclude_unset=True) == sent["items"][0]


def test_other_unknown_attributes_stay_plain_attribute_errors() -> None:
    parsed = parse_body(Required, body({"name": "n"}))
    with pytest.raises(AttributeError) as caught:
        _ = parsed.nonexistent  # type: ignore[attr-defined]
    assert not isinstance(caught.value, MissingFieldError)


@pytest.mark.parametrize(
    ("data", "kind"),
    [([1, 2], "array"), (None, "null"), ("done", "string"), (7, "number"), (True, "boolean")],
)
def test_json_of_another_kind_than_the_documented_object_is_unusable(data: Any, kind: str) -> None:
    with pytest.raises(UnusableBody, match=f"a JSON {kind} where object is documented"):
        parse_body(Job, body(data))


def test_json_of_another_kind_than_a_documented_array_is_unusable() -> None:
    with pytest.raises(UnusableBody, match="a JSON object where array is documented"):
        parse_body(list[Item], body({"id": 1}))
    with pytest.raises(UnusableBody, match="a JSON object where array is documented"):
        parse_body(Items, body({"id": 1}))


def test_null_is_usable_where_the_documented_type_allows_it() -> None:
    assert parse_body(Job | None, b"null") is None


def test_the_documented_kind_with_slipped_contents_is_lenient() -> None:
    assert parse_body(Job, body({"tags": 5})).tags == 5
    assert parse_body(list[Item], body([{"id": "x"}]))[0].id == "x"


@pytest.mark.parametrize("raw", [b"<html>oops</html>", b"not json", b"{\"a\": ", b"\xff\xfe"])
def test_non_json_body_is_unusable(raw: bytes) -> None:
    with pytest.raises(UnusableBody, match="not JSON"):
        parse_body(Job, raw)


def test_non_json_body_is_unusable_for_type_targets() -> None:
    with pytest.raises(UnusableBody, match="not JSON"):
        parse_body(list[Item], b"plain text")


def test_parse_body_restores_the_garbage_collector() -> None:
    import gc

    large = b" " * (64 * 1024)  # large bodies are parsed with the collector paused
    before = gc.get_threshold()
    assert gc.isenabled()
    parse_body(Job, body({"tags": "x"}) + large)
    assert gc.isenabled() and gc.get_threshold() == before
    with pytest.raises(UnusableBody):
        parse_body(Job, b"nope" + large)
    assert gc.isenabled() and gc.get_threshold() == before
    parse_body(Job, body({"tags": ["x"]}))
    assert gc.isenabled() and gc.get_threshold() == before


def test_a_large_parse_hands_its_objects_to_the_oldest_generation() -> None:
    """The collector is off while a large body is validated (a small body leaves it on), and
    what was made meanwhile is moved to the oldest generation unwalked: the next young
    collection has nothing of it to walk. Objects the program froze stay frozen."""
    import gc

    from pydantic import field_validator

    seen: list[bool] = []

    class Probe(Model):
        name: str | None = None

        @field_validator("name")
        @classmethod
        def _record(cls, value: str | None) -> str | None:
            seen.append(gc.isenabled())
            return value

    items = b",".join(b'{"name": "item %d", "tags": ["t"]}' % i for i in range(5000))
    large = b'{"name": "a", "items": [' + items + b"]}"
    assert len(large) >= 64 * 1024
    gc.collect()
    parsed = parse_body(Probe, large)
    young, _, _ = gc.get_count()
    assert len(parsed.items) == 5000  # kept as sent (extra="allow"): each item tracked
    assert young < 100, young  # they would all be in the youngest generation otherwise
    parse_body(Probe, b'{"name": "b"}')
    assert seen == [False, True] and gc.isenabled()

    frozen = [[]]  # the program's own frozen objects are left frozen
    gc.freeze()
    try:
        assert not any(found is frozen for found in gc.get_objects())  # frozen: not listed
        parse_body(Probe, large)
        assert not any(found is frozen for found in gc.get_objects()) and gc.isenabled()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert any(found is frozen for found in gc.get_objects())
