"""Removing what the client itself sent from what a server says back.

A hostile or broken server may echo our own command lines into its reply: `AUTH PLAIN <base64
of \\0user\\0password>`, the base64 password of AUTH LOGIN, `LOGIN user "pass\\"word"`. Each
of those payloads is redacted in every spelling the client used. A bare password is redacted
anywhere only when it is long enough not to occur by chance; a short one only where it stands
as a whole token, so a one-character password cannot mangle a host name in a reply.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

REDACTED = "********"
# Below this length a password is likely to occur inside unrelated words.
_ANYWHERE_FROM_LENGTH = 6


def imap_quoted(text: str) -> str:
    """RFC 3501 quoted string: backslash and double quote escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def sasl_plain(username: str, password: str) -> str:
    """The SASL PLAIN initial response (RFC 4616) with an empty authorization identity."""
    return _b64(b"\0" + username.encode() + b"\0" + password.encode())


def xoauth2_response(username: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial response: user and bearer token, ^A-separated."""
    return _b64(f"user={username}\x01auth=Bearer {access_token}\x01\x01".encode())


def wire_payloads(username: str, password: str) -> list[str]:
    """Every encoding in which the client sends `password` during a login."""
    if not password:
        return []
    return [
        sasl_plain(username, password),  # SMTP AUTH PLAIN, IMAP AUTHENTICATE PLAIN
        _b64(password.encode()),  # SMTP AUTH LOGIN's second answer
        imap_quoted(password),  # IMAP LOGIN argument
        xoauth2_response(username, password),  # an access token in SMTP AUTH / IMAP AUTHENTICATE
    ]


def _patterns(credentials: Iterable[tuple[str, str]]) -> list[re.Pattern[str]]:
    payloads: set[str] = set()
    bare: set[str] = set()
    for username, password in credentials:
        payloads.update(wire_payloads(username, password))
        if password:
            bare.add(password)
    patterns = [re.compile(re.escape(p)) for p in sorted(payloads, key=len, reverse=True)]
    for password in sorted(bare, key=len, reverse=True):
        escaped = re.escape(password)
        if len(password) >= _ANYWHERE_FROM_LENGTH:
            patterns.append(re.compile(escaped))
        else:
            patterns.append(re.compile(rf"(?<![\w.@-]){escaped}(?![\w.@-])"))
    return patterns


def redact(text: str, credentials: Iterable[tuple[str, str]]) -> str:
    """`text` with every payload of `credentials` (username, password) replaced."""
    for pattern in _patterns(credentials):
        text = pattern.sub(REDACTED, text)
    return text
