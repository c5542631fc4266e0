"""The product's values as DynamoDB attribute values and back, written as boto3's TypeSerializer
writes them and read as its TypeDeserializer reads them (a test holds the two together).

Not boto3's own classes: importing `boto3.dynamodb.types` imports the boto3 package, and with
it s3transfer and multiprocessing, about 18 ms of every function's cold request for two small
functions. The clients are botocore's (adapters/aws_clients.py), so nothing else needs boto3.

On top of DynamoDB's types, the product's own conventions: a float is stored as the number it
prints as, a None inside a map is left out, and a number comes back as an int when it is whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any

# DynamoDB's numbers: 38 digits, exponents -130..125; anything else is refused, not rounded.
_NUMBERS = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item's attributes as DynamoDB's typed values."""
    return {key: to_attribute(value) for key, value in item.items()}


def deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item DynamoDB answered with, as plain values."""
    return {key: from_attribute(value) for key, value in item.items()}


def to_attribute(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):  # before numbers: a bool is an int
        return {"BOOL": value}
    if isinstance(value, int | float | Decimal):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": value}
    if isinstance(value, set | frozenset):
        return _set(value)
    if isinstance(value, Mapping):
        return {"M": {k: to_attribute(v) for k, v in value.items() if v is not None}}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute(v) for v in value]}
    raise TypeError(f"Unsupported type {type(value).__name__} for a DynamoDB value")


def from_attribute(attribute: Mapping[str, Any]) -> Any:
    ((kind, value),) = attribute.items()
    if kind in ("S", "BOOL"):
        return value
    if kind == "N":
        number = _NUMBERS.create_decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "NULL":
        return None
    if kind == "B":
        return bytes(value)
    if kind == "M":
        return {k: from_attribute(v) for k, v in value.items()}
    if kind == "L":
        return [from_attribute(v) for v in value]
    if kind == "SS":
        return set(value)
    if kind == "NS":
        return {_NUMBERS.create_decimal(v) for v in value}
    if kind == "BS":
        return {bytes(v) for v in value}
    raise TypeError(f"Unknown DynamoDB type {kind}")


def _number(value: int | float | Decimal) -> str:
    text = str(_NUMBERS.create_decimal(str(value) if isinstance(value, float) else value))
    if text in ("Infinity", "NaN", "-Infinity", "sNaN"):
        raise TypeError(f"{text} is not a DynamoDB number")
    return text


def _set(values: set[Any] | frozenset[Any]) -> dict[str, Any]:
    # The order boto3 decides in: numbers, then strings, then binary; an empty set is NS.
    if all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values):
        return {"NS": [_number(v) for v in values]}
    if all(isinstance(v, str) for v in values):
        return {"SS": list(values)}
    if all(isinstance(v, bytes | bytearray) for v in values):
        return {"BS": list(values)}
    raise TypeError("A DynamoDB set holds numbers, strings or binary values, one kind")
