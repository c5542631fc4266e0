"""Warm-up's work per email and the planner's cost as the pool grows (docs/testing.md).

(1) An engine run: MEMBERS mailboxes of a real Dovecot that delivers between them (LMTP, one
sender junked by Sieve), seeded straight into the store at 40 warm-up emails a day from day 1,
over one compressed day and until every message sent is placed. Per warm-up email sent (replies
included): SMTP sessions and IMAP sessions (Dovecot's own login counts), Lambda invocations, SQS
messages and DynamoDB requests (every AWS call the functions made, counted in process).
(2) The planner alone, with pools of 1,000 and 10,000 members of which 1,000 begin a day spread
over a minute (runs every 3 s): requests and milliseconds per member planned, and their ratio."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

# 1,000 members at 40 a day send 40,000 a day; the local runtime carries about six a second on
# two cores (replies included), so the day is 9,000 s (4.4 sends a second) and the run is its
# first 2,700 s, three check slots (about 50 minutes with the seeding): the planning of the whole
# day per planned email, the rest per email sent in the window, the IMAP figure after the first
# slot. BENCH_WARMUP_WINDOW_SECONDS=0 runs a whole day until every message is placed (e.g. 10
# members over a 150 s day).
MEMBERS = int(os.environ.get("BENCH_WARMUP_MEMBERS", "1000"))
PER_DAY = 40
ENGINE_DAY_SECONDS = int(os.environ.get("BENCH_WARMUP_DAY_SECONDS", "9000"))
WINDOW_SECONDS = int(os.environ.get("BENCH_WARMUP_WINDOW_SECONDS", "2700"))
PLANNER_WINDOW_SECONDS = 60  # members' days begin spread over it; the planner runs 20 times in it
PLANNER_PER_DAY = 4  # the planner's own cost per member does not depend on it; writes do
PASSWORD = "bench-warmup-pw-1"
Row = Callable[[str, str], None]


class CallCounter:
    """Every AWS API call made in this process (the functions run in it), by service and
    operation, with the messages each SQS send carried."""

    def __init__(self, this_thread_only: bool = False) -> None:
        """`this_thread_only`: count the calls of the thread that installs it (the planner runs
        there), not the queue consumers' beside it."""
        self.calls: Counter[tuple[str, str]] = Counter()
        self.sqs_messages = 0
        self.thread = threading.get_ident() if this_thread_only else None
        self.seconds = 0.0  # spent waiting on the AWS emulation

    def install(self) -> Callable[[], None]:
        from botocore.client import BaseClient

        original = BaseClient._make_api_call
        counter = self

        def counted(client: Any, operation: str, params: dict[str, Any]) -> Any:
            if counter.thread is not None and threading.get_ident() != counter.thread:
                return original(client, operation, params)
            service = client.meta.service_model.service_name
            counter.calls[(service, operation)] += 1
            if (service, operation) == ("sqs", "SendMessageBatch"):
                counter.sqs_messages += len(params.get("Entries", []))
            elif (service, operation) == ("sqs", "SendMessage"):
                counter.sqs_messages += 1
            began = time.perf_counter()
            try:
                return original(client, operation, params)
            finally:
                counter.seconds += time.perf_counter() - began

        BaseClient._make_api_call = counted

        def uninstall() -> None:
            BaseClient._make_api_call = original

        return uninstall

    def dynamodb(self, reads: bool) -> int:
        read_ops = {"GetItem", "Query", "Scan", "BatchGetItem"}
        return sum(
            n
            for (service, op), n in self.calls.items()
            if service == "dynamodb" and (op in read_ops) == reads
        )


@contextmanager
def counted_invocations() -> Iterator[Counter[str]]:
    import local_stack.pump as pump

    invoked: Counter[str] = Counter()
    original = pump.invoke

    def counting(template: Any, logical_id: str, event: dict[str, Any]) -> Any:
        invoked[logical_id] += 1
        return original(template, logical_id, event)

    pump.invoke = counting
    try:
        yield invoked
    finally:
        pump.invoke = original


def set_environment(values: dict[str, str]) -> None:
    from local_stack.runtime import reset_process_caches

    os.environ.update(values)
    reset_process_caches()


def seed_members(
    workspace_id: str,
    addresses: list[str],
    server: Any,
    warmup: dict[str, Any],
    plan_at: Callable[[int], datetime],
) -> list[str]:
    """Members as the product stores them (warm-up on, ACTIVE), their days starting at
    `plan_at(index)`; passwords sealed when `server` is given, else none (never sent)."""
    from sender_accounts.accounts.models import CreateSmtpAccountRequest
    from sender_accounts.accounts.records import new_inbox_record, passwords_of
    from sender_accounts.common.clock import utc_now
    from sender_accounts.composition import repository, vault
    from sender_accounts.store.inboxes import inbox_creation
    from sender_accounts.warmup.timing import stamp

    def one(index: int) -> str:
        address = addresses[index]
        request = CreateSmtpAccountRequest.model_validate(
            {
                "email_address": address,
                "display_name": address.split("@")[0],
                "inbox_type": "CUSTOM_SMTP",
                "daily_limit": 200,
                "smtp_host": "localhost",
                "smtp_port": server.submission_starttls_port if server else 587,
                "smtp_username": address,
                "smtp_password": PASSWORD,
                "imap_host": "localhost",
                "imap_port": server.imaps_port if server else 993,
                "imap_username": address,
                "imap_password": PASSWORD,
                "warmup": {"enabled": True, "pool": "workspace", **warmup},
            }
        )
        inbox_id = str(uuid.uuid4())
        sealed = vault.get().seal(passwords_of(request), workspace_id, inbox_id) if server else b""
        record = new_inbox_record(inbox_id, request, [], sealed, utc_now())
        started = stamp(plan_at(index))
        record = record.model_copy(update={"warmup_started_at": started, "created_at": started})
        if server is not None:
            repository.get().create_inbox(workspace_id, record)
            return inbox_id
        # The planner's members: the inbox item alone, as the creation transaction writes it
        # (its address guard and counters are not the planner's concern), 25 a request.
        (put,) = [
            i["Put"]
            for i in inbox_creation(table, workspace_id, record)
            if "Put" in i and i["Put"]["Item"]["sk"]["S"].startswith("INBOX#")
        ]
        pending.append({"PutRequest": {"Item": put["Item"]}})
        return inbox_id

    table = os.environ["TABLE_NAME"]
    pending: list[dict[str, Any]] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(one, range(len(addresses))))
    from sender_accounts.adapters.aws_clients import client

    write_all(client("dynamodb"), table, pending)
    return ids


def write_all(db: Any, table: str, writes: list[dict[str, Any]]) -> None:
    """Every put or delete request, 25 a call, until none is left unprocessed."""
    for start in range(0, len(writes), 25):
        request: dict[str, Any] = {table: writes[start : start + 25]}
        while request:
            request = db.batch_write_item(RequestItems=request)["UnprocessedItems"]


def postpone_next_days(workspace_id: str) -> None:
    from sender_accounts.adapters.aws_clients import client

    db, table = client("dynamodb"), os.environ["TABLE_NAME"]
    pages = db.get_paginator("query").paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :inbox)",
        ExpressionAttributeValues={":pk": {"S": f"WS#{workspace_id}"}, ":inbox": {"S": "INBOX#"}},
    )
    for page in pages:
        for item in page["Items"]:
            db.update_item(
                TableName=table,
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression="SET warmup_plan_at = :later",
                ExpressionAttributeValues={":later": {"S": "9999-12-31T00:00:00.000Z"}},
            )


def end_engine_work(workspace_id: str) -> None:
    """Once the engine's figures are taken, its day stops: no next day is planned, the schedule
    (sends and check slots not yet due, the bench's warm-up being the stack's only one) is
    deleted and the warm-up queues are emptied. Otherwise its sends go on failing against the
    stopped mail server for the rest of the day, under the phases measured after it."""
    from sender_accounts.adapters.aws_clients import client
    from sender_accounts.store.warmup_schedule import DUE_INDEX, due_shards

    postpone_next_days(workspace_id)
    db, table = client("dynamodb"), os.environ["WARMUP_TABLE_NAME"]
    for shard in due_shards():
        pages = db.get_paginator("query").paginate(
            TableName=table,
            IndexName=DUE_INDEX,
            KeyConditionExpression="due_shard = :shard",
            ExpressionAttributeValues={":shard": {"S": shard}},
        )
        keys = [{"pk": i["pk"], "sk": i["sk"]} for page in pages for i in page["Items"]]
        write_all(db, table, [{"DeleteRequest": {"Key": key}} for key in keys])
    sqs = client("sqs")
    for name in ("WARMUP_SEND_QUEUE_URL", "WARMUP_RECEIVE_QUEUE_URL", "WARMUP_BULK_QUEUE_URL"):
        sqs.purge_queue(QueueUrl=os.environ[name])


def run_planner() -> dict[str, Any]:
    from local_stack.functions import invoke
    from local_stack.template import StackTemplate, load_template

    return dict(invoke(StackTemplate(load_template()), "WarmupPlannerFunction", {"detail": {}}))


def placed(workspace_id: str) -> list[dict[str, Any]]:
    """The workspace's warm-up messages found in a recipient's inbox or spam folder."""
    from tests.support.warmup_store import table_items

    return [
        m
        for m in table_items("MSG#")
        if m["sender_workspace_id"] == workspace_id
        and m["status"] == "sent"
        and m.get("placement") in ("inbox", "spam")
    ]


def logins(log: str, service: str) -> int:
    return len(re.findall(rf"{service}-login: Info: Login:", log))


def engine_run(pki: Any, row: Row) -> None:
    from local_stack.mail_delivery import Delivery
    from local_stack.mail_server import DovecotOptions, start_mail_server
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store
    from tests.support.warmup_store import settled, table_items

    addresses = [f"m{i:04d}@d{i % 7}.bench" for i in range(MEMBERS)]
    server = start_mail_server(
        pki,
        dict.fromkeys(addresses, PASSWORD),
        options=DovecotOptions(delivery=Delivery(junk_from=(addresses[0],))),
    )
    counter = CallCounter()
    planning = CallCounter(this_thread_only=True)
    workspace_id = ""
    try:
        set_environment(
            {
                "WARMUP_DAY_SECONDS": str(ENGINE_DAY_SECONDS),
                "WARMUP_MIN_DELAY_SECONDS": "2",
                "WARMUP_MISSING_AFTER_SECONDS": "600",
            }
        )
        workspace_id, _ = issue_key(access_store.get(), f"bench-warmup-{uuid.uuid4().hex[:6]}")
        now = datetime.now(UTC)
        warmup = {
            "emails_per_day": PER_DAY,
            "is_rampup_enabled": False,
            "reply_rate_percentage": 20,
        }
        seed_members(workspace_id, addresses, server, warmup, lambda _i: now)
        uninstall = counter.install()
        started = time.monotonic()
        # A window's first check slot finds only what was sent since the window began: the IMAP
        # figure of a window is taken after it, in the steady state (IMAP logins, placements).
        first_slot, steady = ENGINE_DAY_SECONDS / 10 + 2, None
        server_log = (server.root / "dovecot.log").read_text
        with counted_invocations() as invoked:
            planner_runs = 0
            if WINDOW_SECONDS:  # the whole day's planning first, counted on its own
                stop_planning = planning.install()
                planned_now = 1
                while planned_now:
                    planned_now = int(run_planner()["members_planned"])
                    planner_runs += 1
                stop_planning()
            length = WINDOW_SECONDS or ENGINE_DAY_SECONDS
            while time.monotonic() - started < length:
                if WINDOW_SECONDS and steady is None and time.monotonic() - started > first_slot:
                    steady = (logins(server_log(), "imap"), len(placed(workspace_id)))
                run_planner()
                planner_runs += 1
                time.sleep(1.0)
            # One day: no member's next day is planned; what was sent is found and counted.
            if not WINDOW_SECONDS:
                postpone_next_days(workspace_id)
            while (
                not WINDOW_SECONDS
                and not settled(workspace_id)
                and time.monotonic() - started < 4 * ENGINE_DAY_SECONDS
            ):
                run_planner()
                planner_runs += 1
                time.sleep(1.0)
        uninstall()
        log = (server.root / "dovecot.log").read_text()
        messages = [m for m in table_items("MSG#") if m["sender_workspace_id"] == workspace_id]
        sent = [m for m in messages if m["status"] == "sent"]
        received = placed(workspace_id)
        emails = len(sent)
        span = f"one {ENGINE_DAY_SECONDS} s day"
        if WINDOW_SECONDS:
            span = f"the first {WINDOW_SECONDS} s of a {ENGINE_DAY_SECONDS} s day"
        row(f"warm-up engine: {MEMBERS} members at {PER_DAY}/day, {span}", f"{emails} sent")
        if WINDOW_SECONDS:
            planned_emails = max(1, len(messages))
            row(
                "  planning the day: AWS requests / DynamoDB writes per planned email",
                f"{sum(planning.calls.values()) / planned_emails:.1f} / "
                f"{planning.dynamodb(False) / planned_emails:.1f}",
            )
            for key, count in planning.calls.items():  # the rest is per email sent
                counter.calls[key] -= count
            counter.sqs_messages -= planning.sqs_messages
        row(
            "  planned / dropped (day ended, limit) / placed",
            f"{len(messages)} / {sum(m['status'] == 'dropped' for m in messages)} / "
            f"{sum('placement' in m for m in messages)}",
        )
        row("  SMTP sessions per email sent (goal 1)", f"{logins(log, 'submission') / emails:.2f}")
        imap_sessions, placements = logins(log, "imap"), len(received)
        label = "  IMAP sessions per received message (goal <= 0.25)"
        if steady is not None:
            imap_sessions, placements = imap_sessions - steady[0], placements - steady[1]
            label = "  IMAP sessions per received message, after the first slot (goal <= 0.25)"
        row(label, f"{imap_sessions / max(1, placements):.2f}")
        invocations = sum(invoked.values()) + planner_runs
        row("  Lambda invocations per email (planner runs included)", f"{invocations / emails:.2f}")
        row("  SQS messages per email", f"{counter.sqs_messages / emails:.2f}")
        row(
            "  DynamoDB reads / writes per email",
            f"{counter.dynamodb(True) / emails:.1f} / {counter.dynamodb(False) / emails:.1f}",
        )
    finally:
        if workspace_id:
            end_engine_work(workspace_id)
        server.stop()


def planner_cost(members: int, due: int = 1000) -> tuple[float, float, float, int]:
    """(milliseconds in all, milliseconds of the planner's own work without the emulation's
    answers, AWS requests) per member planned, and how many were planned, with a pool
    of `members` of which `due` begin a day within the window (the others' days begin after
    it): what the pool's size adds to planning one member."""
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    # Days long enough that their sends are not due yet: the planner's own work is measured.
    set_environment({"WARMUP_DAY_SECONDS": "86400"})
    workspace_id, _ = issue_key(access_store.get(), f"bench-planner-{uuid.uuid4().hex[:6]}")
    addresses = [f"p{i:05d}@d{i % 11}.planner.bench" for i in range(members)]
    # After the seeding (about 500 members a second here), so no day begins before the runs do.
    start = datetime.now(UTC) + timedelta(seconds=5 + members / 400)

    def day_begins(index: int) -> datetime:  # spread over the window, as in a steady state
        if index >= due:
            return start + timedelta(days=1)
        return start + timedelta(seconds=PLANNER_WINDOW_SECONDS * index / due)

    warmup = {"emails_per_day": PLANNER_PER_DAY, "is_rampup_enabled": False}
    seed_members(workspace_id, addresses, None, warmup, day_begins)
    counter = CallCounter(this_thread_only=True)
    uninstall = counter.install()
    spent, planned = 0.0, 0
    end = time.monotonic() + 5 + PLANNER_WINDOW_SECONDS
    while time.monotonic() < end or planned < due:
        began = time.perf_counter()
        planned += int(run_planner()["members_planned"])
        spent += time.perf_counter() - began
        time.sleep(max(0.0, PLANNER_WINDOW_SECONDS / 20 - (time.perf_counter() - began)))
        if time.monotonic() > end + 4 * PLANNER_WINDOW_SECONDS:
            break
    uninstall()
    requests = sum(counter.calls.values())
    own = spent - counter.seconds
    each = max(1, planned)
    return 1000 * spent / each, 1000 * own / each, requests / each, planned


def print_warmup_table(pki: Any, row: Row) -> None:
    """`BENCH_WARMUP_ONLY=engine` or `planner`: that part alone."""
    only = os.environ.get("BENCH_WARMUP_ONLY", "")
    if only != "planner":
        engine_run(pki, row)
    if only == "engine":
        return
    small, large = planner_cost(1000), planner_cost(10000)
    for label, (total, own, requests, _planned) in (("1,000", small), ("10,000", large)):
        row(
            f"planner, pool of {label}: ms (own ms) / AWS requests per member",
            f"{total:.0f} ({own:.0f}) / {requests:.1f}",
        )
    row(
        "planner per member, 10k vs 1k: in all / own work / requests (goal <= 1.3)",
        f"{large[0] / small[0]:.2f}x / {large[1] / small[1]:.2f}x / {large[2] / small[2]:.2f}x",
    )


def main() -> int:
    """`python -m tests.bench.warmup`: these figures alone."""
    import sys
    import tempfile
    from pathlib import Path

    from local_stack.pki import make_pki
    from local_stack.template import PROJECT_ROOT

    sys.path.insert(0, str(PROJECT_ROOT / "layers" / "sender_accounts"))
    pki = make_pki(Path(tempfile.mkdtemp(prefix="bench-pki-")))
    os.environ["SSL_CERT_FILE"] = str(pki.ca_cert)
    os.environ["LOCAL_SCHEDULE_SECONDS"] = "100000"
    from local_stack.runtime import start_local_runtime

    runtime = start_local_runtime()
    try:
        print_warmup_table(pki, lambda name, value: print(f"| {name:<60} | {value:>16} |"))
    finally:
        runtime.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
