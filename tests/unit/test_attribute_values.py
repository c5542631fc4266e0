"""Items are written and read as boto3's TypeSerializer and TypeDeserializer write and read
them, with the product's conventions on top (floats as printed, no None in maps, whole numbers
as ints)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

from sender_accounts.store.attribute_values import deserialize, from_attribute, serialize

ITEM: dict[str, Any] = {
    "pk": "WS#ws_1",
    "text": 'héllo \u2603 "quoted"',
    "empty_text": "",
    "count": 0,
    "negative": -17,
    "big": 12345678901234567890123456789012345678,
    "ratio": 0.1,
    "tiny": 1.5e-7,
    "precise": Decimal("3.14159265358979323846264338327950288"),
    "whole_decimal": Decimal("12.000"),
    "flag": False,
    "other_flag": True,
    "nothing": None,
    "blob": b"\x00\x01secret-bytes",
    "tags": {"a", "b"},
    "numbers": {1, 2, Decimal("2.5")},
    "list": ["x", 1, None, 2.25, {"deep": b"\x02", "gone": None}, [True]],
    "map": {"inner": {"list": [False]}, "empty": {}, "dropped": None, "n": 3.0},
}


def _boto3_way(item: dict[str, Any]) -> dict[str, Any]:
    """What the stores wrote before: floats to Decimal, None dropped from maps, then boto3."""

    def prepared(value: Any) -> Any:
        if isinstance(value, float):
            return Decimal(str(value))
        if isinstance(value, dict):
            return {k: prepared(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [prepared(v) for v in value]
        return value

    return {k: TypeSerializer().serialize(prepared(v)) for k, v in item.items()}


def _read_the_boto3_way(item: dict[str, Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, Binary):
            return bytes(value.value)
        return value

    return {k: plain(TypeDeserializer().deserialize(v)) for k, v in item.items()}


def _sets_sorted(item: dict[str, Any]) -> dict[str, Any]:
    # A set's members have no order on the wire.
    return {
        k: {kind: sorted(v) for kind, v in value.items()}
        if set(value) & {"SS", "NS", "BS"}
        else value
        for k, value in item.items()
    }


def test_an_item_is_written_as_boto3_writes_it() -> None:
    assert _sets_sorted(serialize(ITEM)) == _sets_sorted(_boto3_way(ITEM))


def test_an_item_is_read_as_boto3_reads_it() -> None:
    written = _boto3_way(ITEM)
    read = deserialize(written)
    assert read == _read_the_boto3_way(written)
    assert read["big"] == ITEM["big"]
    assert isinstance(read["whole_decimal"], int)
    assert read["ratio"] == 0.1
    assert read["blob"] == ITEM["blob"]
    assert "dropped" not in read["map"]
    assert read["list"][2] is None


@pytest.mark.parametrize(
    "value",
    [float("inf"), float("nan"), Decimal("1" * 39), 1.5 + 0j, {1, "a"}, object()],
    ids=["infinity", "nan", "39 digits", "complex", "mixed set", "object"],
)
def test_what_dynamodb_cannot_hold_is_refused_before_any_call(value: Any) -> None:
    with pytest.raises((TypeError, ArithmeticError)):
        serialize({"value": value})


def test_a_number_beyond_dynamodb_precision_is_refused_when_read() -> None:
    with pytest.raises(ArithmeticError):
        from_attribute({"N": "1" * 39})
