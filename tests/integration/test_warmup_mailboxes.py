"""What warm-up does inside a mailbox, against servers unlike Dovecot's defaults: GNU imap4d
offers neither MOVE nor UIDPLUS (the message is copied to INBOX and flagged \\Deleted in the
spam folder, nothing expunged, nothing else changed); an Exchange-like spam folder `Junk Email`
without SPECIAL-USE is found by its name (and its name quoted: unquoted, `Junk` would be used)."""

from __future__ import annotations

import asyncio
import imaplib
import ipaddress
import time
from collections.abc import Iterator

import pytest

from local_stack.mail_delivery import Delivery
from local_stack.mail_server import DovecotOptions, MailServer, start_mail_server
from local_stack.pki import ServerPki
from sender_accounts.mail.endpoints import MailServerLogin, Security
from sender_accounts.mail.policy import OutboundPolicy
from sender_accounts.mail.warmup_mailbox import tend_warmup_mail
from tests.support.imap4d_server import Imap4dServer, imap4d_installed, start_imap4d
from tests.support.stack import IN_CI, MAILBOX_PASSWORD, MAILBOX_USER

WARMUP_ID = "<warmup-1@alpha.test>"
OTHER_ID = "<users-own@elsewhere.test>"
DELETED_ID = "<users-deleted@elsewhere.test>"


def message(message_id: str) -> bytes:
    return (
        f"From: someone@alpha.test\r\nTo: {MAILBOX_USER}\r\nSubject: hello\r\n"
        f"Message-ID: {message_id}\r\n\r\nhello\r\n"
    ).encode()


def policy(*ports: int) -> OutboundPolicy:
    return OutboundPolicy((ipaddress.ip_network("127.0.0.0/8"),), frozenset(ports))


def session(port: int, ca: str) -> imaplib.IMAP4_SSL:
    import ssl

    imap = imaplib.IMAP4_SSL("localhost", port, ssl_context=ssl.create_default_context(cafile=ca))
    imap.login(MAILBOX_USER, MAILBOX_PASSWORD)
    return imap


def flags_by_id(imap: imaplib.IMAP4_SSL, folder: str) -> dict[str, set[str]]:
    """Each message of `folder` by Message-ID, with its flags (read-only: nothing changes)."""
    imap.select(f'"{folder}"', readonly=True)
    found: dict[str, set[str]] = {}
    _, data = imap.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    for part in data:
        if isinstance(part, tuple):
            flags = {f.decode() for f in imaplib.ParseFlags(part[0])} - {"\\Recent"}
            message_id = part[1].decode().split(":", 1)[1].strip()
            found[message_id] = flags
    return found


def seed(imap: imaplib.IMAP4_SSL, folder: str) -> None:
    """The spam folder holds a warm-up message, one of the user's own, and one the user
    deleted but has not expunged; INBOX holds one of the user's own."""
    imap.create(f'"{folder}"')
    imap.append(f'"{folder}"', "", None, message(WARMUP_ID))
    imap.append(f'"{folder}"', "", None, message(OTHER_ID))
    imap.append(f'"{folder}"', "(\\Deleted)", None, message(DELETED_ID))
    imap.append("INBOX", "", None, message("<inbox-own@elsewhere.test>"))


@pytest.fixture
def imap4d(pki: ServerPki) -> Iterator[Imap4dServer]:
    if not imap4d_installed():
        if IN_CI:
            pytest.fail("GNU Mailutils imap4d is not installed")
        pytest.skip("GNU Mailutils imap4d is not installed")
    server = start_imap4d(pki, {MAILBOX_USER: MAILBOX_PASSWORD})
    yield server
    server.stop()


def test_without_move_or_uidplus_the_message_is_copied_and_flagged_deleted(
    imap4d: Imap4dServer, pki: ServerPki, mail_server: MailServer
) -> None:
    port = imap4d.implicit_tls_port
    imap = session(port, str(pki.ca_cert))
    seed(imap, "Junk")
    before_inbox = flags_by_id(imap, "INBOX")
    login = MailServerLogin("localhost", port, Security.SSL, MAILBOX_USER, MAILBOX_PASSWORD)
    report = asyncio.run(tend_warmup_mail(login, policy(port), 8, [WARMUP_ID]))
    assert report.spam_folder == "Junk"
    assert report.rescued == {WARMUP_ID}
    imap = session(port, str(pki.ca_cert))
    inbox, junk = flags_by_id(imap, "INBOX"), flags_by_id(imap, "Junk")
    # The copy in INBOX is read and flagged; the original stays in Junk, flagged \Deleted.
    assert {"\\Seen", "\\Flagged"} <= inbox[WARMUP_ID]
    assert "\\Deleted" in junk[WARMUP_ID]
    # Nothing else changed: no expunge took the user's deleted message, no flag moved.
    assert junk[OTHER_ID] == set()
    assert junk[DELETED_ID] == {"\\Deleted"}
    assert {k: v for k, v in inbox.items() if k != WARMUP_ID} == before_inbox


def test_a_junk_email_folder_without_special_use_is_found_by_name(
    pki: ServerPki, mail_server: MailServer
) -> None:
    delivery = Delivery(junk_folder="Junk Email", special_use=False)
    users = {MAILBOX_USER: MAILBOX_PASSWORD}
    server = start_mail_server(pki, users, options=DovecotOptions(delivery=delivery))
    try:
        port = server.imaps_port
        imap = session(port, str(pki.ca_cert))
        seed(imap, "Junk Email")
        login = MailServerLogin("localhost", port, Security.SSL, MAILBOX_USER, MAILBOX_PASSWORD)
        report = asyncio.run(tend_warmup_mail(login, policy(port), 8, [WARMUP_ID, "<no@x.test>"]))
        assert (report.spam_folder, report.rescued, report.in_inbox) == (
            "Junk Email",
            {WARMUP_ID},
            set(),
        )
        imap = session(port, str(pki.ca_cert))
        junk = flags_by_id(imap, "Junk Email")
        inbox = flags_by_id(imap, "INBOX")
        # Moved (Dovecot offers MOVE): gone from the spam folder, read and flagged in INBOX;
        # the user's own messages there untouched, the deleted one not expunged.
        assert WARMUP_ID not in junk
        assert {"\\Seen", "\\Flagged"} <= inbox[WARMUP_ID]
        assert junk == {OTHER_ID: set(), DELETED_ID: {"\\Deleted"}}
        # No folder named `Junk` was created or touched by an unquoted name.
        _, listed = imap.list()
        names = [line.decode() for line in listed if isinstance(line, bytes)]
        assert not any(name.endswith((' "Junk"', " Junk")) for name in names), names
    finally:
        time.sleep(0)
        server.stop()
