"""What a text field may contain, decided at input so that nothing downstream has to guess.

Single-line fields refuse every control character and every line separator `str.splitlines`
knows; header fields also refuse RFC 2047 encoded words, because some interpreters decode them
into a header and fold the result unquoted (CVE-2024-6923): `=?utf-8?q?Hi=0D=0ABcc:_x?=` in a
subject became a Bcc header. Multi-line fields allow LF, CRLF and tab only. JSON booleans and
integers are taken as such: `true` is not the integer 1 and `"yes"` is not a boolean.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict

# Every code point str.splitlines() breaks on, plus the rest of the C0/C1 controls (Cc).
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def _forbidden(char: str, allowed: frozenset[str]) -> bool:
    if char in allowed:
        return False
    return char in _LINE_BREAKS or unicodedata.category(char) == "Cc"


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def check_single_line(value: str) -> str:
    for char in value:
        if _forbidden(char, frozenset()):
            raise ValueError(
                f"must be a single line without control characters (found {_describe(char)})"
            )
    return value


def check_header_text(value: str) -> str:
    check_single_line(value)
    if ENCODED_WORD.search(value):
        raise ValueError("must not contain RFC 2047 encoded words (=?charset?q?...?=)")
    return value


def check_multi_line(value: str) -> str:
    for index, char in enumerate(value):
        if char == "\r" and value[index + 1 : index + 2] == "\n":
            continue
        if _forbidden(char, frozenset("\n\t")):
            raise ValueError(
                "may contain line feeds, CRLF and tabs but no other control characters "
                f"(found {_describe(char)})"
            )
    return value


def check_credential(value: str) -> str:
    for char in value:
        if _forbidden(char, frozenset()):
            raise ValueError(
                f"must not contain NUL, control characters or line breaks (found {_describe(char)})"
            )
    return value


def _json_integer(value: Any) -> Any:
    # pydantic's lax mode takes true as 1 and 2.0 as 2; numeric strings stay accepted
    # (query strings are strings), JSON booleans and fractions do not.
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("must be an integer")
    return value


SingleLine = Annotated[str, AfterValidator(check_single_line)]
HeaderText = Annotated[str, AfterValidator(check_header_text)]
MultiLine = Annotated[str, AfterValidator(check_multi_line)]
Credential = Annotated[str, AfterValidator(check_credential)]
JsonBool = Annotated[bool, Strict()]
JsonInt = Annotated[int, BeforeValidator(_json_integer)]

Text255 = Annotated[SingleLine, Field(min_length=1, max_length=255)]


_DNS_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


def check_host_name(value: str) -> str:
    """A DNS name, or an IP address written the one way it is printed: `127.1`, `2130706433`,
    `0x7f000001` and `0177.0.0.1` all reach 127.0.0.1 through the resolver, and a bound kept
    per spelling is no bound (nor an address rule read off the spelling)."""
    check_single_line(value)
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is not None:
        if str(address) != value.lower():
            raise ValueError(f"must be written as {address}")
        return value
    try:
        socket.inet_aton(value)
    except OSError:
        pass
    else:  # a shorthand, decimal, octal or hex IPv4 spelling the resolver would take
        raise ValueError("must be a DNS name or an IP address in its usual form (a.b.c.d)")
    try:
        ascii_name = value.encode("idna").decode("ascii") if not value.isascii() else value
    except UnicodeError:
        raise ValueError("must be a DNS name or an IP address") from None
    labels = ascii_name.removesuffix(".").split(".")
    if len(ascii_name) > 253 or not all(_DNS_LABEL.match(label) for label in labels):
        raise ValueError("must be a DNS name or an IP address")
    return value


HostName = Annotated[Text255, AfterValidator(check_host_name)]
HeaderText255 = Annotated[HeaderText, Field(min_length=1, max_length=255)]
Username = Annotated[Credential, Field(min_length=1, max_length=255)]
Secret = Annotated[Credential, Field(min_length=1, max_length=500)]


LONE_SURROGATE = (
    "must not contain a lone UTF-16 surrogate (a \\ud800-\\udfff escape without its pair)"
)


def has_surrogate(text: str) -> bool:
    # A pair in JSON decodes to one code point above U+FFFF; what is left in this range is lone.
    return any("\ud800" <= char <= "\udfff" for char in text)


def lone_surrogate_at(value: Any, path: tuple[str | int, ...] = ()) -> tuple[str | int, ...] | None:
    """Where in a decoded JSON value (keys included) a lone surrogate is, or None. Such a
    string cannot be encoded as UTF-8: it would fail at a store, a log or a mail server."""
    if isinstance(value, str):
        return path if has_surrogate(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if has_surrogate(str(key)):
                return (*path, str(key).encode("utf-8", "backslashreplace").decode())
            found = lone_surrogate_at(item, (*path, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = lone_surrogate_at(item, (*path, index))
            if found is not None:
                return found
    return None
