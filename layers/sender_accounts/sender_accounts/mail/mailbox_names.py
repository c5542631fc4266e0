"""Mailbox names on the IMAP wire (RFC 3501 5.1.3): modified UTF-7, always sent as a quoted
string. aioimaplib sends arguments as given, so `SELECT Junk Email` unquoted selects `Junk`."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from sender_accounts.mail.redaction import imap_quoted


def encode_utf7(name: str) -> str:
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def decode_utf7(name: str) -> str:
    def run(match: re.Match[str]) -> str:
        text = match.group(1)
        if not text:
            return "&"
        padded = text.replace(",", "/") + "=" * (-len(text) % 4)
        return base64.b64decode(padded).decode("utf-16-be")

    return re.sub(r"&([A-Za-z0-9+,]*)-", run, name)


def wire_name(name: str) -> str:
    """A mailbox name as an IMAP argument."""
    return imap_quoted(encode_utf7(name))


# aioimaplib hands over an untagged `* LIST (...) "/" name` without its `LIST`.
_LIST_LINE = re.compile(rb'^(?:LIST )?\(([^)]*)\) (?:"(?:[^"\\]|\\.)*"|NIL) (.*)$', re.IGNORECASE)


def listed_mailboxes(lines: Sequence[bytes | bytearray]) -> list[tuple[set[str], str]]:
    """(flags, decoded name) of each mailbox in a LIST response; a name sent as a literal is
    the line that follows its `{n}`."""
    found: list[tuple[set[str], str]] = []
    items = [bytes(line) for line in lines]
    for index, line in enumerate(items):
        match = _LIST_LINE.match(line)
        if not match:
            continue
        flags = {flag.lower() for flag in match.group(1).decode("ascii", "replace").split()}
        raw = match.group(2).strip()
        if re.fullmatch(rb"\{\d+\}", raw) and index + 1 < len(items):
            name = items[index + 1].decode("utf-8", "replace")
        elif raw.startswith(b'"') and raw.endswith(b'"'):
            name = re.sub(r"\\(.)", r"\1", raw[1:-1].decode("utf-8", "replace"))
        else:
            name = raw.decode("utf-8", "replace")
        found.append((flags, decode_utf7(name)))
    return found
