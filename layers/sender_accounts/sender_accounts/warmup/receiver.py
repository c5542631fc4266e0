"""The receive queue's worker: a recipient's check slot came due. Every warm-up message due to
be looked for in its mailbox is found, rescued from spam and marked in one IMAP session
(mail/warmup_mailbox.py); each placement is recorded once, with its day's statistics; a share of
the warm-up emails found, exact to within one, is answered (replies.py). What is not found yet
is looked for again at a later slot, and counts missing once WARMUP_MISSING_AFTER_SECONDS (plus
the jitter of its first look) have passed since it was sent."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sender_accounts.accounts.connection_capacity import (
    Purpose,
    bounded_connections,
)
from sender_accounts.adapters.observability import metrics
from sender_accounts.common.statuses import WarmupStatus
from sender_accounts.errors import ConcurrentUpdate, NotFound
from sender_accounts.oauth.inbox_tokens import RefreshFailed
from sender_accounts.store.records import InboxChanges, InboxRecord
from sender_accounts.store.warmup_members import is_member
from sender_accounts.store.warmup_messages import DayCount
from sender_accounts.store.warmup_records import Party, Placement, WarmupMessage, planned_message
from sender_accounts.store.warmup_schedule import DueWork
from sender_accounts.warmup.corpus import reply_text
from sender_accounts.warmup.engine import EngineWorker, day_count
from sender_accounts.warmup.ramp import warmup_day
from sender_accounts.warmup.replies import DEFAULT_REPLY_RATE, answers
from sender_accounts.warmup.sender import login_refused
from sender_accounts.warmup.timing import after, check_slot, parse, stamp

MailboxWork = Callable[..., Any]  # mail/warmup_mailbox.py's tend_warmup_mail, or a test's


class WarmupReceiver(EngineWorker):
    def process(self, workspace_id: str, inbox_id: str, slot: str) -> int:
        """Look at the recipient's mailbox; how many placements were recorded."""
        work = DueWork(f"CHECK#{workspace_id}#{inbox_id}", slot, slot)
        now = self._clock()
        # What is due by the slot (a check queued early, as a test does, looks for those too).
        expected = self._messages.arrivals(inbox_id, max(stamp(now), slot))
        try:
            recipient = self._inboxes.get_inbox(workspace_id, inbox_id) if expected else None
        except NotFound:
            recipient = None
        if recipient is None:
            self._missing_only(expected, now)
            self._schedule.check_done(work)
            return 0
        by_id = {m.message_id: m for m in expected}
        own = {m.message_id: m for m in self._messages.awaiting(inbox_id)}

        def placed_in_spam(found: set[str]) -> set[str]:
            """Recorded before they are moved: those this check placed are the ones it moves."""
            return {m for m in found if self._place(by_id[m], recipient, Placement.SPAM, True, now)}

        try:
            report = self._look(workspace_id, recipient, list(by_id), placed_in_spam, list(own))
        except BaseException as error:
            if login_refused(error) or isinstance(error, RefreshFailed):
                self._safety.pause(workspace_id, inbox_id, "AUTH_FAILED")
                self._missing_only(expected, now)
                self._schedule.check_done(work)
                return 0
            raise  # passing: the queue retries, the slot's lease brings it back otherwise
        self._note_spam_folder(workspace_id, recipient, report.spam_folder is not None)
        for message_id in report.bounced:
            self._bounced(own[message_id], recipient)
        placed = len(report.rescued)
        for message in expected:
            if message.message_id in report.in_inbox:
                placed += self._place(message, recipient, Placement.INBOX, False, now)
            elif message.message_id in report.rescued:
                continue
            elif self._overdue(message, now):
                placed += self._place(message, None, Placement.MISSING, False, now)
            else:
                self._look_again(message, now)
        self._schedule.check_done(work)
        metrics.add_metric(name="WarmupPlacements", unit="Count", value=placed)
        return placed

    def _look(
        self,
        workspace_id: str,
        recipient: InboxRecord,
        message_ids: list[str],
        before_rescue: Callable[[set[str]], set[str]],
        own_sends: list[str],
    ) -> Any:
        from sender_accounts.mail.warmup_mailbox import tend_warmup_mail

        _smtp, imap, _secrets = self._logins.logins(workspace_id, recipient)
        cfg = self._settings

        async def look() -> Any:
            async with bounded_connections(
                self._capacity, workspace_id, Purpose.CHECK, (imap,), cfg, queued=True
            ):
                return await tend_warmup_mail(
                    imap,
                    cfg.outbound_policy,
                    cfg.mail_step_timeout_seconds,
                    message_ids,
                    before_rescue,
                    own_sends,
                )

        return asyncio.run(asyncio.wait_for(look(), cfg.validation_deadline_seconds * 2))

    def _overdue(self, message: WarmupMessage, now: datetime) -> bool:
        sent = parse(message.sent_at or message.send_at)
        cfg = self._settings
        deadline = cfg.warmup_missing_after_seconds + 2 * cfg.warmup_min_delay_seconds
        return (now - sent).total_seconds() >= deadline

    def _look_again(self, message: WarmupMessage, now: datetime) -> None:
        day_seconds = self._settings.warmup_day_seconds
        at = stamp(check_slot(message.recipient_id, after(now, 1), day_seconds))
        self._messages.look_again(message, at)
        self._schedule.expect_check(message.recipient_workspace_id, message.recipient_id, at)

    def _missing_only(self, expected: list[WarmupMessage], now: datetime) -> None:
        """The mailbox cannot be looked at: what is overdue counts missing, the rest waits."""
        for message in expected:
            if self._overdue(message, now):
                self._place(message, None, Placement.MISSING, False, now)
            else:
                self._look_again(message, now)

    def _place(
        self,
        message: WarmupMessage,
        recipient: InboxRecord | None,
        placement: Placement,
        rescued: bool,
        now: datetime,
    ) -> int:
        counts = self._counts(message, recipient, placement, rescued, now)
        if not self._messages.place(message, placement, rescued, counts):
            return 0  # placed before: a redelivered check
        if recipient is not None and message.kind == "warmup":
            self._maybe_answer(message, recipient, now)
        return 1

    def _counts(
        self,
        message: WarmupMessage,
        recipient: InboxRecord | None,
        placement: Placement,
        rescued: bool,
        now: datetime,
    ) -> list[DayCount]:
        if message.kind != "warmup":
            return []  # a reply counts as `replied` for its sender, nothing else
        day_seconds = self._settings.warmup_day_seconds
        landed = {Placement.INBOX: "landed_inbox", Placement.SPAM: "landed_spam"}
        counts = [
            DayCount(
                message.sender_id, message.sender_day, "", {landed.get(placement, "missing"): 1}
            ),
        ]
        if recipient is not None and recipient.warmup_started_at:
            day = warmup_day(parse(recipient.warmup_started_at), now, day_seconds)
            received = {"received": 1, **({"saved_from_spam": 1} if rescued else {})}
            counts.append(day_count(recipient, day, day_seconds, **received))
        return counts

    def _maybe_answer(self, message: WarmupMessage, recipient: InboxRecord, now: datetime) -> None:
        if not is_member(recipient):
            return
        rate = (recipient.settings.get("warmup") or {}).get("reply_rate_percentage")
        before = self._messages.count_received(recipient.inbox_id)
        if not answers(before, DEFAULT_REPLY_RATE if rate is None else int(rate)):
            return
        day_seconds = self._settings.warmup_day_seconds
        day = warmup_day(parse(recipient.warmup_started_at or stamp(now)), now, day_seconds)
        subject, body = reply_text(self._rng, message.subject, recipient.warmup_key_id or "")
        send_at = after(now, self._rng.uniform(0, self._settings.warmup_min_delay_seconds))
        reply_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"reply:{message.send_id}"))
        ends = (
            Party(message.recipient_workspace_id, recipient.inbox_id, recipient.email_address),
            Party(message.sender_workspace_id, message.sender_id, message.sender_email),
        )
        window = (stamp(send_at), stamp(after(now, day_seconds)))
        self._messages.add_reply(
            planned_message(
                reply_id,
                "reply",
                ends,
                day,
                (subject, body),
                window,
                in_reply_to=message.message_id,
            )
        )

    def _note_spam_folder(self, workspace_id: str, inbox: InboxRecord, found: bool) -> None:
        unknown = inbox.warmup_state == WarmupStatus.SPAM_FOLDER_UNKNOWN
        if found == (not unknown) or inbox.warmup_state == WarmupStatus.PAUSED_BY_SAFETY:
            return
        state = None if found else WarmupStatus.SPAM_FOLDER_UNKNOWN
        changes = InboxChanges(warmup_state=state, updated_at=stamp(self._clock()))
        try:
            self._inboxes.update_inbox(workspace_id, inbox, changes)
        except (ConcurrentUpdate, NotFound):
            return  # noted at the next check
