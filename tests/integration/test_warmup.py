"""Warm-up for real: four mailboxes on four domains of one Dovecot that delivers between them
over LMTP, with a Sieve rule that files one sender's mail into Junk. Days last seconds;
the planner runs every half second and the queues are consumed as Lambda would. What the API
reports is compared with what the mail store holds."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from local_stack.mail_delivery import Delivery
from local_stack.mail_server import DovecotOptions, MailServer, start_mail_server
from local_stack.pki import ServerPki
from local_stack.runtime import LocalRuntime
from tests.support.secret_scan import SCAN
from tests.support.smartlead import SmartLeadClient
from tests.support.stack import ApiClient
from tests.support.warmup_store import (
    member_account,
    require_delivery,
    run_planner_until,
    settled,
    stored_mail,
    table_items,
)

PASSWORD = "Warm-up-mailbox-pw-7"
SCAN.register(PASSWORD)
JUNKED = "jay@junky.test"
MEMBERS = ("ann@alpha.test", "bob@beta.test", "cy@gamma.test", JUNKED)
DAY_SECONDS = 15  # long enough that a loaded machine still sends each day's mail in its day
RAMP = {"start_per_day": 1, "daily_rampup": 2, "emails_per_day": 3}  # 1, then the cap: 3
REPLY_RATE = 50
PLANNER = "WarmupPlannerFunction"


@pytest.fixture
def delivering_server(pki: ServerPki, mail_server: MailServer) -> Iterator[MailServer]:
    """Dovecot with LMTP delivery and the junk rule (`mail_server`: its installation check)."""
    require_delivery()
    users = dict.fromkeys(MEMBERS, PASSWORD)
    server = start_mail_server(
        pki, users, options=DovecotOptions(delivery=Delivery(junk_from=(JUNKED,)))
    )
    yield server
    server.stop()


@pytest.fixture
def short_days(settings_env: Callable[[str, str], None]) -> None:
    settings_env("WARMUP_DAY_SECONDS", str(DAY_SECONDS))
    settings_env("WARMUP_MIN_DELAY_SECONDS", "0")
    settings_env("WARMUP_MISSING_AFTER_SECONDS", "60")


def test_members_warm_each_other_on_the_ramp_and_rescue_from_spam(
    runtime: LocalRuntime,
    workspace: Callable[..., ApiClient],
    delivering_server: MailServer,
    short_days: None,
) -> None:
    client = workspace()
    ids = {}
    for address in MEMBERS:
        body = member_account(delivering_server, address, PASSWORD, REPLY_RATE, **RAMP)
        created = client.call("POST", "/sender-accounts/smtp", body)
        assert created.status == 201, created.body
        ids[address] = created.json()["inbox_id"]
    started = time.monotonic()
    first = client.call("GET", f"/sender-accounts/{ids[MEMBERS[0]]}/warmup").json()
    assert (first["warmup_status"], first["day"], first["target"]) == ("ACTIVE", 1, 1)
    assert len(first["warmup_key_id"].split("-")) == 2

    # Two whole days, then every member leaves: what was sent is still found and counted.
    run_planner_until(lambda: time.monotonic() - started > 2 * DAY_SECONDS + 0.5, 60)
    for inbox_id in ids.values():
        left = client.call("PATCH", f"/sender-accounts/{inbox_id}", {"warmup": {"enabled": False}})
        assert left.status == 200, left.body
        assert left.json()["warmup_status"] == "INACTIVE"
        assert left.json()["warmup"]["emails_per_day"] == RAMP["emails_per_day"]  # kept
    run_planner_until(lambda: settled(client.workspace_id), 60)

    reports = {a: client.call("GET", f"/sender-accounts/{i}/warmup").json() for a, i in ids.items()}
    mail = stored_mail(delivering_server.root)
    messages = [m for m in table_items("MSG#") if m["sender_workspace_id"] == client.workspace_id]
    by_message_id = {m["message_id"]: m for m in messages}
    warmups = [m for m in mail if by_message_id[m.message_id]["kind"] == "warmup"]

    # Each day sent exactly the ramp's target: day 1's start, day 2 up the ramp to the cap.
    for address, report in reports.items():
        sent = {d["day"]: d["sent"] for d in report["daily"]}
        dropped = [
            m.get("drop_reason")
            for m in messages
            if m["sender_email"] == address and m["status"] == "dropped"
        ]
        assert [sent.get(day, 0) for day in (1, 2)] == [1, 3], (address, sent, dropped)

    # Every placement the API reports is what the mail store holds.
    for address, report in reports.items():
        days = report["daily"]
        own = [m for m in warmups if m.sender == address]
        assert sum(d["sent"] for d in days) == len(own)
        assert sum(d["missing"] for d in days) == 0
        if address == JUNKED:
            assert sum(d["landed_spam"] for d in days) == len(own) > 0
            assert sum(d["landed_inbox"] for d in days) == 0
        else:
            assert sum(d["landed_inbox"] for d in days) == len(own)
            assert sum(d["landed_spam"] for d in days) == 0
        received = [m for m in warmups if m.owner == address]
        assert sum(d["received"] for d in days) == len(received)
        rescued = [m for m in received if m.sender == JUNKED]
        assert sum(d["saved_from_spam"] for d in days) == len(rescued)
        # Each warm-up email carries its sender's key in the body.
        key = report["warmup_key_id"]
        assert all(key in m.body for m in own)

    # Everything junked was moved to the inbox; every warm-up message is read and flagged.
    assert {m.folder for m in mail} == {"INBOX"}
    assert all("S" in m.flags and "F" in m.flags for m in mail), [m.flags for m in mail]
    assert (
        len(mail)
        == len({m.message_id for m in mail})
        == len([m for m in messages if m["status"] == "sent"])
    )

    # The reply share is exact: of the n warm-up emails an inbox received while a member,
    # floor(n * rate / 100) were answered, each threaded to the one it answers.
    received_counts = {
        i["pk"].removeprefix("RECEIVED#"): int(i["received"]) for i in table_items("RECEIVED#")
    }
    replies = Counter(m["sender_id"] for m in messages if m["kind"] == "reply")
    for inbox_id in ids.values():
        assert replies[inbox_id] == received_counts.get(inbox_id, 0) * REPLY_RATE // 100
    assert sum(replies.values()) > 0
    for reply in (m for m in mail if by_message_id[m.message_id]["kind"] == "reply"):
        assert reply.in_reply_to in by_message_id
        assert by_message_id[reply.in_reply_to]["kind"] == "warmup"

    # Nothing left the pool: the relay refused no address, delivered only to members.
    relay = delivering_server.relay
    assert relay.refused == []  # type: ignore[attr-defined]
    assert {r for _, rs in relay.delivered for r in rs} <= set(MEMBERS)  # type: ignore[attr-defined]

    # The 7-day totals and the reputation follow from the days.
    ann = reports[MEMBERS[0]]
    assert ann["totals_7_days"]["sent"] == sum(d["sent"] for d in ann["daily"])
    assert (ann["warmup_status"], ann["day"]) == ("INACTIVE", None)

    # No secret in anything warm-up stored (messages, days, counters).
    assert PASSWORD not in repr(table_items(""))

    # SmartLead's warm-up statistics are the engine's counts, day by day and in total.
    smartlead = SmartLeadClient(client)
    for address, inbox_id in ids.items():
        report = reports[address]
        account_id = client.call("GET", f"/sender-accounts/{inbox_id}").json()["account_id"]
        stats = smartlead.call("GET", f"/email-accounts/{account_id}/warmup-stats").json()
        totals = report["totals_7_days"]
        assert (stats["sent_count"], stats["spam_count"], stats["inbox_count"]) == (
            str(totals["sent"]), str(totals["landed_spam"]), str(totals["landed_inbox"]),
        )  # fmt: skip
        assert stats["warmup_email_received_count"] == str(totals["received"])
        by_day = {d["day"]: d for d in report["daily"]}
        assert {s["id"] for s in stats["stats_by_date"]} == set(by_day)
        for day in stats["stats_by_date"]:
            engine = by_day[day["id"]]
            assert (day["sent_count"], day["reply_count"], day["save_from_spam_count"]) == (
                engine["sent"], engine["replied"], engine["saved_from_spam"],
            )  # fmt: skip
        shown = smartlead.call("GET", f"/email-accounts/{account_id}").json()["warmup_details"]
        assert (shown["total_sent_count"], shown["total_spam_count"]) == (
            totals["sent"], totals["landed_spam"],
        )  # fmt: skip
    assert reports[JUNKED]["totals_7_days"]["landed_spam"] > 0  # the comparison saw spam
