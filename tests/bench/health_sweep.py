"""The scheduled sweep over 1,000 due inboxes against the local Dovecot behind the 50 ms proxy:
wall time from the sweep to the last check, and the peak of concurrent sessions per mail host,
with the per-host bound (MAX_CONNECTIONS_PER_MAIL_HOST, 10 by default) and without it (the
floor: the same checks as concurrently as the local runtime runs them).

The inboxes are written through the product's own store (sealed passwords, index entries),
SMTP on `localhost` and IMAP on `127.0.0.1`: two hosts, each with its own bound and counter.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError

from local_stack.functions import invoke
from local_stack.mail_server import MailServer
from local_stack.runtime import LocalRuntime, reset_process_caches
from local_stack.schedules import scheduled_event
from local_stack.template import ScheduleSource
from tests.support.delay_proxy import DelayProxy

INBOXES = int(os.environ.get("BENCH_SWEEP_INBOXES", "1000"))
ONE_WAY_DELAY = 0.025  # 50 ms round trip
SWEEP = "HealthSweepFunction"


@dataclass(frozen=True)
class SweepRun:
    seconds: float
    peak_smtp_host: int
    peak_imap_host: int
    queued: int


def _past() -> str:
    return (datetime.now(UTC) - timedelta(minutes=1)).isoformat()


def seed(workspace_id: str, smtp_port: int, imap_port: int, user: str, password: str) -> list[str]:
    """INBOXES inboxes as the product stores them, each due for a check now."""
    from sender_accounts.accounts.models import CreateSmtpAccountRequest
    from sender_accounts.accounts.records import new_inbox_record, passwords_of
    from sender_accounts.common.clock import utc_now
    from sender_accounts.composition import repository, vault
    from sender_accounts.errors import DependencyUnavailable, DuplicateAddress

    def one(index: int) -> str:
        request = CreateSmtpAccountRequest.model_validate(
            {
                "email_address": f"sweep{index:05d}@bench.test",
                "display_name": "Sweep",
                "inbox_type": "CUSTOM_SMTP",
                "daily_limit": 20,
                "smtp_host": "localhost",
                "smtp_port": smtp_port,
                "smtp_username": user,
                "smtp_password": password,
                "imap_host": "127.0.0.1",
                "imap_port": imap_port,
                "imap_username": user,
                "imap_password": password,
            }
        )
        inbox_id = str(uuid.uuid4())
        sealed = vault.get().seal(passwords_of(request), workspace_id, inbox_id)
        record = new_inbox_record(inbox_id, request, [], sealed, utc_now())
        due = record.model_copy(update={"next_check_at": _past()})
        for attempt in range(6):
            try:
                repository.get().create_inbox(workspace_id, due)
                return inbox_id
            except DuplicateAddress:
                return inbox_id  # an earlier attempt was written, its answer lost
            except DependencyUnavailable:
                # The emulation shares this process with 20,000 seeded list items: ask again.
                time.sleep(0.5 * 2**attempt)
        raise RuntimeError(f"could not seed inbox {index}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(INBOXES)))


def make_due(workspace_id: str, inbox_ids: list[str]) -> None:
    from sender_accounts.adapters.aws_clients import client

    db, table, past = client("dynamodb"), os.environ["TABLE_NAME"], _past()

    def one(inbox_id: str) -> None:
        db.update_item(
            TableName=table,
            Key={"pk": {"S": f"WS#{workspace_id}"}, "sk": {"S": f"INBOX#{inbox_id}"}},
            UpdateExpression="SET next_check_at = :past",
            ExpressionAttributeValues={":past": {"S": past}},
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, inbox_ids))


def checked_since(workspace_id: str, inbox_ids: list[str], since: str) -> int:
    from sender_accounts.adapters.aws_clients import client

    db, table, done = client("dynamodb"), os.environ["TABLE_NAME"], 0
    for start in range(0, len(inbox_ids), 100):
        keys = [
            {"pk": {"S": f"WS#{workspace_id}"}, "sk": {"S": f"INBOX#{i}"}}
            for i in inbox_ids[start : start + 100]
        ]
        request: dict[str, Any] = {table: {"Keys": keys, "ProjectionExpression": "last_checked_at"}}
        while request:
            response = db.batch_get_item(RequestItems=request)
            for item in response["Responses"].get(table, []):
                done += item.get("last_checked_at", {}).get("S", "") >= since
            request = response.get("UnprocessedKeys") or {}
    return done


def sweep_run(
    runtime: LocalRuntime,
    workspace_id: str,
    inbox_ids: list[str],
    smtp: DelayProxy,
    imap: DelayProxy,
) -> SweepRun:
    smtp.counter.reset()
    imap.counter.reset()
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source = ScheduleSource(SWEEP, "Sweep", "rate(5 minutes)")
    start = time.perf_counter()
    from sender_accounts.errors import DependencyUnavailable

    queued = -1
    while queued < 0:  # a sweep the busy emulation failed runs again, as the next tick would
        try:
            queued = invoke(runtime.stack.template, SWEEP, scheduled_event(source))["queued"]
        except DependencyUnavailable:
            time.sleep(5)
    deadline = time.monotonic() + 1800
    while True:
        try:
            if checked_since(workspace_id, inbox_ids, since) >= len(inbox_ids):
                break
        except BotoCoreError:  # the emulation is as busy as the machine: ask again
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the sweep's checks did not finish in 30 minutes")
        time.sleep(1.0)
    seconds = time.perf_counter() - start
    return SweepRun(seconds, smtp.counter.peak, imap.counter.peak, queued)


def print_sweep_table(
    runtime: LocalRuntime,
    server: MailServer,
    user: str,
    password: str,
    row: Callable[[str, str], None],
) -> dict[str, float]:
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    workspace_id, _ = issue_key(access_store.get(), "sweep-bench", prefix="cs_test_")
    smtp = DelayProxy(server.submission_starttls_port, ONE_WAY_DELAY).start()
    imap = DelayProxy(server.imaps_port, ONE_WAY_DELAY).start()
    bound = int(os.environ.get("MAX_CONNECTIONS_PER_MAIL_HOST") or 10)
    try:
        inbox_ids = seed(workspace_id, smtp.port, imap.port, user, password)
        bounded = sweep_run(runtime, workspace_id, inbox_ids, smtp, imap)
        row(f"(s) sweep of {len(inbox_ids)} due inboxes, bound {bound}/host (s)",
            f"{bounded.seconds:.1f}")  # fmt: skip
        row("(s) peak sessions per host (SMTP host, IMAP host)",
            f"{bounded.peak_smtp_host}, {bounded.peak_imap_host}")  # fmt: skip
        os.environ.update(MAX_CONNECTIONS_PER_MAIL_HOST="100000", CHECK_MIN_INTERVAL_SECONDS="0")
        reset_process_caches()
        make_due(workspace_id, inbox_ids)
        floor = sweep_run(runtime, workspace_id, inbox_ids, smtp, imap)
    finally:
        os.environ.update(MAX_CONNECTIONS_PER_MAIL_HOST=str(bound), CHECK_MIN_INTERVAL_SECONDS="60")
        reset_process_caches()
        smtp.stop()
        imap.stop()
    row(f"(u) the same {len(inbox_ids)}, unbounded (s)", f"{floor.seconds:.1f}")
    row("(u) peak sessions per host (SMTP host, IMAP host)",
        f"{floor.peak_smtp_host}, {floor.peak_imap_host}")  # fmt: skip
    row("(s)/(u)  the bound's cost in wall time", f"{bounded.seconds / floor.seconds:.2f}")
    rates = (len(inbox_ids) / bounded.seconds, len(inbox_ids) / floor.seconds)
    row("sweep rate, bounded / unbounded (inboxes/s)", f"{rates[0]:.1f} / {rates[1]:.1f}")
    return {"sweep_bounded": bounded.seconds, "sweep_unbounded": floor.seconds}


def main() -> int:
    """`python -m tests.bench.health_sweep`: the sweep table alone (make bench prints it too)."""
    import sys
    import tempfile
    from pathlib import Path

    from local_stack.functions import ensure_layer_on_path
    from local_stack.mail_server import start_mail_server
    from local_stack.pki import make_pki
    from local_stack.runtime import start_local_runtime

    ensure_layer_on_path()
    user, password = "bench@acme.test", "bench-password-1"
    pki = make_pki(Path(tempfile.mkdtemp(prefix="bench-pki-")))
    os.environ["SSL_CERT_FILE"] = str(pki.ca_cert)
    server = start_mail_server(pki, {user: password})
    runtime = start_local_runtime()
    try:
        print_sweep_table(
            runtime, server, user, password, lambda n, v: print(f"| {n:<52} | {v:>16} |")
        )
    finally:
        runtime.stop()
        server.stop()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
