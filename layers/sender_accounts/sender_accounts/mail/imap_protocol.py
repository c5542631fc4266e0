"""aioimaplib's protocol as validation needs it: one greeting, never a lock held across the
network, SASL continuations answered, and a cap on what a server may send.

aioimaplib starts a greeting handler for every line that arrives before the first one is
handled: a second untagged line in the greeting's segment started a second handler that sent
CAPABILITY without a timeout while holding the state lock, and every later step waited on that
lock for good. Here the first line is the greeting, handled synchronously, and the rest are
ordinary untagged responses. A validation exchanges kilobytes: a literal, a line or a session
past the caps below is a protocol failure that ends the session at once, whatever the server
keeps sending (a 2 GB literal grew one probe to 1.9 GB).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aioimaplib

from sender_accounts.mail.failures import ProbeFailure, over_limit
from sender_accounts.mail.outcome import ErrorCode

MAX_LINE_BYTES = 16 * 1024
MAX_LITERAL_BYTES = 16 * 1024
# Lines in a whole session: a validation's are about twenty. aioimaplib also handles a
# segment's lines by recursion, one frame each: thousands in one segment overflowed the stack.
MAX_LINES = 300
MAX_SESSION_BYTES = 256 * 1024

_GREETING_CAPABILITIES = re.compile(rb"\[CAPABILITY ([^\]]+)\]", re.IGNORECASE)
_LITERAL = re.compile(rb".*\{(\d+)\+?\}$")


class ValidationImapProtocol(aioimaplib.IMAP4ClientProtocol):
    """`greeted` resolves with the greeting (its capabilities kept when it lists them) or
    fails with the server's refusal; `violation` fails when the server breaks a cap."""

    # What to answer, in order, to the server's "+" continuations during AUTHENTICATE; once
    # used up, an empty line (the answer a SASL XOAUTH2 failure challenge waits for:
    # aioimaplib itself never answers and hangs until its timeout).
    sasl_answers: list[bytes]

    def __init__(self, loop: asyncio.AbstractEventLoop, conn_lost_cb: Any = None) -> None:
        super().__init__(loop, conn_lost_cb)
        self.sasl_answers = []
        self.greeted: asyncio.Future[None] = loop.create_future()
        self.violation: asyncio.Future[None] = loop.create_future()
        self._received = 0
        self._lines = 0

    # Caps ------------------------------------------------------------------------------------

    def data_received(self, d: bytes) -> None:
        if self.violation.done():
            return  # the session is over; nothing more is kept
        self._received += len(d)
        self._lines += d.count(b"\n")
        if self._received > MAX_SESSION_BYTES:
            self._break(f"over {MAX_SESSION_BYTES // 1024} KiB in one session")
            return
        if self._lines > MAX_LINES:
            self._break(f"over {MAX_LINES} lines in one session")
            return
        super().data_received(d)
        if len(self.incomplete_line) > MAX_LINE_BYTES:
            self._break(f"a line over {MAX_LINE_BYTES // 1024} KiB")

    def _break(self, what: str) -> None:
        if not self.violation.done():
            self.violation.set_exception(over_limit(what))
            self.violation.exception()  # retrieved: a caller may have stopped watching
        self.incomplete_line = b""
        if self.transport is not None:
            self.transport.abort()

    # Lines -----------------------------------------------------------------------------------

    def _handle_line(self, line: bytes, current_cmd: Any) -> Any:
        if self.violation.done():
            return None
        literal = _LITERAL.match(line)
        if literal and int(literal.group(1)) > MAX_LITERAL_BYTES:
            self._break(f"a literal of {int(literal.group(1))} bytes")
            return None
        if self.state == aioimaplib.CONNECTED:
            if line:
                self._greet(line)
            return None
        return super()._handle_line(line, current_cmd)

    def _greet(self, line: bytes) -> None:
        """RFC 3501 7.1: OK, PREAUTH or BYE; capabilities taken from the greeting when it lists
        them (one round trip less), else asked for by the caller."""
        if self.greeted.done():
            return
        if line.startswith(b"* PREAUTH"):
            self.state = aioimaplib.AUTH
        elif line.startswith(b"* OK"):
            self.state = aioimaplib.NONAUTH
        else:
            reply = line.decode("utf-8", "replace")[:500]
            self.greeted.set_exception(
                ProbeFailure(ErrorCode.CONNECTION_FAILED, "The server refused the session", reply)
            )
            self.greeted.exception()
            return
        found = _GREETING_CAPABILITIES.search(line)
        if found is not None:
            self.capabilities = set(found.group(1).decode("ascii", "replace").split())
            known = aioimaplib.AllowedVersions
            versions = [c.upper() for c in self.capabilities if c.upper() in known]
            self.imap_version = versions[0] if versions else "IMAP4REV1"
        self.greeted.set_result(None)

    def _continuation(self, line: bytes) -> None:
        pending = self.pending_sync_command
        if pending is None or pending.name != "AUTHENTICATE" or self.transport is None:
            super()._continuation(line)
            return
        answers = self.sasl_answers
        self.transport.write((answers.pop(0) if answers else b"") + b"\r\n")
