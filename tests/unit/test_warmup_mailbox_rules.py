"""Warm-up's rules inside a mailbox and on its clock: mailbox names in modified UTF-7 and
quoted, the spam folder found by `\\Junk` or by name, LIST lines as aioimaplib hands them over,
check slots shared by every arrival between them, times that sort as they happen, and which
inboxes are pool members."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sender_accounts.common.statuses import WarmupStatus
from sender_accounts.mail.mailbox_names import decode_utf7, encode_utf7, listed_mailboxes, wire_name
from sender_accounts.mail.warmup_mailbox import spam_folder_of
from sender_accounts.store.records import InboxRecord
from sender_accounts.store.warmup_members import is_member, to_millis, warmup_status
from sender_accounts.warmup.timing import check_slot, parse, stamp
from tests.unit.fakes import FakeVault
from tests.unit.records import stored_inbox


def inbox_record(**fields: Any) -> InboxRecord:
    return stored_inbox(FakeVault(), **fields)


@pytest.mark.parametrize(
    ("name", "wire"),
    [
        ("INBOX", "INBOX"),
        ("Junk Email", "Junk Email"),
        ("Courrier indésirable", "Courrier ind&AOk-sirable"),
        ("R&D", "R&-D"),
        ("迷惑メール", "&j,dg0TDhMPww6w-"),
    ],
)
def test_names_go_out_in_modified_utf7_and_come_back(name: str, wire: str) -> None:
    assert encode_utf7(name) == wire
    assert decode_utf7(wire) == name


def test_a_name_is_always_quoted_so_a_space_cannot_split_it() -> None:
    assert wire_name("Junk Email") == '"Junk Email"'
    assert wire_name('a"b') == '"a\\"b"'


def test_list_lines_as_aioimaplib_hands_them_over() -> None:
    lines = [
        b'(\\HasNoChildren) "/" INBOX',
        b'(\\HasNoChildren \\Junk) "/" "Courrier ind&AOk-sirable"',
        b'LIST (\\HasNoChildren) "/" {10}',
        b"Junk Email",
        b"List completed (0.001 + 0.000 secs).",
    ]
    listed = listed_mailboxes(lines)
    assert listed == [
        ({"\\hasnochildren"}, "INBOX"),
        ({"\\hasnochildren", "\\junk"}, "Courrier indésirable"),
        ({"\\hasnochildren"}, "Junk Email"),
    ]
    assert spam_folder_of(listed) == "Courrier indésirable"


def test_without_special_use_the_providers_names_are_tried_in_order() -> None:
    assert spam_folder_of([(set(), "INBOX"), (set(), "[Gmail]/Spam")]) == "[Gmail]/Spam"
    assert spam_folder_of([(set(), "junk e-mail"), (set(), "Bulk Mail")]) == "junk e-mail"
    assert spam_folder_of([(set(), "INBOX"), (set(), "Archive")]) is None


def test_arrivals_between_two_slots_share_the_later_one() -> None:
    day = 86400
    base = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    slots = {check_slot("inbox-1", base + timedelta(seconds=s), day) for s in range(0, 8000, 97)}
    # A tenth of a day apart: 8,000 seconds of arrivals meet at most two slots.
    assert len(slots) <= 2
    for offset in (0, 4000, 8639):
        moment = base + timedelta(seconds=offset)
        slot = check_slot("inbox-1", moment, day)
        assert moment <= slot < moment + timedelta(seconds=day / 10)
    # Recipients are shifted against each other, so their checks do not all fall together.
    assert check_slot("inbox-1", base, day) != check_slot("inbox-2", base, day)


def test_times_sort_as_they_happen_whatever_their_precision() -> None:
    second = "2026-12-04T10:00:05Z"
    later_in_that_second = stamp(parse(second) + timedelta(milliseconds=1))
    assert to_millis(second) < later_in_that_second
    assert second > later_in_that_second  # why every warm-up time is written to the millisecond


def test_a_member_is_enabled_active_and_not_paused() -> None:
    on = {"warmup": {"enabled": True}}
    assert is_member(inbox_record(settings=on))
    assert not is_member(inbox_record(settings=on, overall_status="PAUSED"))
    assert not is_member(inbox_record(settings={"warmup": {"enabled": False}}))
    paused = inbox_record(settings=on, warmup_state=WarmupStatus.PAUSED_BY_SAFETY)
    assert not is_member(paused)
    assert warmup_status(paused) == WarmupStatus.PAUSED_BY_SAFETY
    unknown = inbox_record(settings=on, warmup_state=WarmupStatus.SPAM_FOLDER_UNKNOWN)
    assert warmup_status(unknown) == WarmupStatus.SPAM_FOLDER_UNKNOWN
