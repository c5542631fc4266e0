"""What warm-up does in a recipient's mailbox, in one IMAP session for all of its expected
messages: find each by its Message-ID in INBOX and in the spam folder, move what landed in spam
to INBOX, and mark every one found `\\Seen` and `\\Flagged`. It touches no other message.

The spam folder is the one LIST marks `\\Junk` (RFC 6154), else the first of the names the big
providers use. A move is MOVE where the server offers it; else COPY, `\\Deleted` on the original
and a UID EXPUNGE of that one UID where UIDPLUS is offered, and no expunge at all where it is not
(a plain EXPUNGE would also remove the user's own deleted mail)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import aioimaplib

from sender_accounts.mail.endpoints import MailServerLogin
from sender_accounts.mail.failures import ProbeFailure
from sender_accounts.mail.imap_login import last_line
from sender_accounts.mail.imap_probe import PinnedImapClient, logged_in_session
from sender_accounts.mail.mailbox_names import listed_mailboxes, wire_name
from sender_accounts.mail.outbound import OutboundPolicy
from sender_accounts.mail.outcome import ErrorCode
from sender_accounts.mail.redaction import imap_quoted

SPAM_NAMES = ("Junk", "Spam", "Junk Email", "Junk E-mail", "[Gmail]/Spam", "Bulk Mail")
MARKS = "(\\Seen \\Flagged)"


@dataclass
class MailboxReport:
    """Where each expected message was: `in_inbox` as delivered, `rescued` found in spam and
    moved; `spam_folder` None when the mailbox shows none; `bounced`: which of the mailbox's
    own sends a message in its INBOX names in its body (a delivery status notification)."""

    spam_folder: str | None = None
    in_inbox: set[str] = field(default_factory=set)
    rescued: set[str] = field(default_factory=set)
    bounced: set[str] = field(default_factory=set)  # of the mailbox's own sends: a DSN names them


def spam_folder_of(mailboxes: list[tuple[set[str], str]]) -> str | None:
    for flags, name in mailboxes:
        if "\\junk" in flags:
            return name
    names = {name.lower(): name for _flags, name in mailboxes}
    for candidate in SPAM_NAMES:
        if candidate.lower() in names:
            return names[candidate.lower()]
    return None


async def _checked(
    client: PinnedImapClient, step: Awaitable[aioimaplib.Response], what: str
) -> list[bytes]:
    response = await client.bounded(step)
    if response.result != "OK":
        raise ProbeFailure(ErrorCode.CONNECTION_FAILED, f"{what} failed", last_line(response))
    return [bytes(line) for line in response.lines if isinstance(line, bytes | bytearray)]


async def _select(client: PinnedImapClient, name: str) -> None:
    await _checked(client, client.protocol.select(wire_name(name)), "SELECT")


async def _uid_of(client: PinnedImapClient, message_id: str, where: str = "HEADER") -> str | None:
    """The UID of the message whose Message-ID header (or, `where="BODY"`, whose body) holds
    `message_id`."""
    criteria = ("HEADER", "Message-ID") if where == "HEADER" else ("BODY",)
    search = client.protocol.search(*criteria, imap_quoted(message_id), charset=None, by_uid=True)
    # aioimaplib hands over an untagged `* SEARCH 3 5` as `3 5`; the last line is the tagged
    # response's text.
    for line in (await _checked(client, search, "SEARCH"))[:-1]:
        uids = [word for word in line.split() if word.isdigit()]
        if uids:
            return uids[0].decode()
    return None


async def _move_to_inbox(client: PinnedImapClient, uid: str) -> None:
    protocol = client.protocol
    if client.has_capability("MOVE"):
        await _checked(client, protocol.move(uid, wire_name("INBOX"), by_uid=True), "MOVE")
        return
    await _checked(client, protocol.copy(uid, wire_name("INBOX"), by_uid=True), "COPY")
    flagged = protocol.store(uid, "+FLAGS.SILENT", "(\\Deleted)", by_uid=True)
    await _checked(client, flagged, "STORE")
    if client.has_capability("UIDPLUS"):
        await _checked(client, protocol.expunge(uid, by_uid=True), "UID EXPUNGE")


def rescue_all(found: set[str]) -> set[str]:
    return found


async def tend_warmup_mail(
    login: MailServerLogin,
    policy: OutboundPolicy,
    step_timeout: float,
    message_ids: Sequence[str],
    before_rescue: Callable[[set[str]], set[str]] = rescue_all,
    own_sends: Sequence[str] = (),
) -> MailboxReport:
    """Look for `message_ids`, rescue them from spam and mark them, in one session.

    `before_rescue(found in spam)` runs (in a thread) before anything is moved and answers which
    of them this session moves: the caller records their placement first, so another session
    that finds them in INBOX a moment later cannot record them as delivered there."""
    client = await logged_in_session(login, policy, step_timeout)
    try:
        # Servers offer more after login (Dovecot: MOVE, UIDPLUS): ask again.
        await client.bounded(client.protocol.capability())
        listed = await _checked(client, client.protocol.simple_command("LIST", '""', '"*"'), "LIST")
        report = MailboxReport(spam_folder=spam_folder_of(listed_mailboxes(listed)))
        await _select(client, "INBOX")
        for message_id in message_ids:
            if await _uid_of(client, message_id):
                report.in_inbox.add(message_id)
        # A DSN carries the bounced message's headers in its body; a reply only names it in its
        # own headers (In-Reply-To), so a body that holds an own Message-ID is a bounce.
        for message_id in own_sends:
            if await _uid_of(client, message_id, "BODY"):
                report.bounced.add(message_id)
        missing = [m for m in message_ids if m not in report.in_inbox]
        if report.spam_folder and missing:
            await _select(client, report.spam_folder)
            in_spam = {m: uid for m in missing if (uid := await _uid_of(client, m))}
            report.rescued = await asyncio.to_thread(before_rescue, set(in_spam))
            for message_id in report.rescued:
                await _move_to_inbox(client, in_spam[message_id])
            await _select(client, "INBOX")
        uids = [uid for m in report.in_inbox | report.rescued if (uid := await _uid_of(client, m))]
        if uids:
            marked = client.protocol.store(",".join(uids), "+FLAGS.SILENT", MARKS, by_uid=True)
            await _checked(client, marked, "STORE")
        return report
    finally:
        await client.part()
