"""`make bench`: the figures in one run, printed as a table and drawn in bench-results/.

How to read them is in docs/testing.md ("Benchmarks").
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from local_stack.template import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "layers" / "sender_accounts"))

from local_stack.mail_server import start_mail_server
from local_stack.pki import make_pki
from tests.bench.bulk_parallelism import (
    MINIMUM_ROUND_TRIPS,
    BenchTarget,
    bulk_job_through_runtime,
    local_http_api,
    machine_floor,
    one_validation_through_runtime,
    round_trips_of_one_validation,
    sequential_stdlib,
)
from tests.bench.chart import draw
from tests.bench.cold_requests import cold_requests_over_runs
from tests.bench.health_sweep import print_sweep_table
from tests.bench.list_pages import print_list_table
from tests.bench.single_validation import measure_single_validation
from tests.bench.warmup import print_warmup_table
from tests.bench.webhooks import print_webhook_table
from tests.support.delay_proxy import DelayProxy

USER, PASSWORD = "bench@acme.test", "bench-password-1"
ROWS = int(os.environ.get("BENCH_ROWS", "100"))
ONE_WAY_DELAY = 0.025  # 50 ms round trip
RESULTS = PROJECT_ROOT / "bench-results"
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))


def _row(name: str, value: str) -> None:
    print(f"| {name:<52} | {value:>16} |", flush=True)


def main() -> int:
    pki = make_pki(Path(tempfile.mkdtemp(prefix="bench-pki-")))
    os.environ["SSL_CERT_FILE"] = str(pki.ca_cert)
    os.environ.setdefault("LOCAL_QUEUE_VISIBILITY_SECONDS", "30")
    server = start_mail_server(pki, {USER: PASSWORD})
    smtp_proxy = DelayProxy(server.submission_starttls_port, ONE_WAY_DELAY).start()
    imap_proxy = DelayProxy(server.imaps_port, ONE_WAY_DELAY).start()
    target = BenchTarget(smtp_proxy, imap_proxy, USER, PASSWORD)
    from local_stack.runtime import start_local_runtime

    runtime = start_local_runtime()
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    _, key = issue_key(access_store.get(), "bench", prefix="cs_test_")
    base, http = local_http_api(runtime)
    figures: dict[str, float] = {}
    try:
        print(f"| {'figure (one run, same servers)':<52} | {'value':>16} |")
        print(f"|{'-' * 54}|{'-' * 18}|")
        direct = measure_single_validation(server, USER, PASSWORD)
        _row("one validation, direct to Dovecot, median (ms)", f"{direct['median'] * 1000:.1f}")
        trips = round_trips_of_one_validation(target)
        for protocol in ("smtp", "imap"):
            ratio = trips[protocol] / MINIMUM_ROUND_TRIPS[protocol]
            minimum = MINIMUM_ROUND_TRIPS[protocol]
            label = f"{protocol.upper()} round trips (protocol minimum {minimum})"
            _row(label, f"{trips[protocol]} ({ratio:.2f}x)")
        figures["a"] = one_validation_through_runtime(base, key, target)
        _row("(a) one validation via local runtime, 50 ms RTT (s)", f"{figures['a']:.3f}")
        figures["f"] = machine_floor(target, ROWS)
        _row(f"(f) floor: {ROWS} concurrent, probe code only (s)", f"{figures['f']:.3f}")
        figures["b"] = bulk_job_through_runtime(base, key, target, ROWS)
        _row(f"(b) bulk job of {ROWS}, POST to COMPLETED (s)", f"{figures['b']:.3f}")
        figures["c"] = sequential_stdlib(target, ROWS)
        _row(f"(c) {ROWS} sequential, smtplib + imaplib (s)", f"{figures['c']:.3f}")
        _row("(b)/(f)  bulk vs floor (goal <= 1.5)", f"{figures['b'] / figures['f']:.2f}")
        _row("(b)/(a)  bulk vs one validation", f"{figures['b'] / figures['a']:.2f}")
        _row("(c)/(b)  sequential baseline vs bulk", f"{figures['c'] / figures['b']:.1f}")
        print_list_table(runtime, base, _row)
        print_sweep_table(runtime, server, USER, PASSWORD, _row)
        print_warmup_table(pki, _row)
        print_webhook_table(_row)
        cold = cold_requests_over_runs(runtime, COLD_RUNS)
        _row(
            f"cold request, worst ratio over {COLD_RUNS} runs (goal <= 2.0)",
            f"{max(cold.worst):.2f}x",
        )
        cold_requests = cold.seconds
    finally:
        http.shutdown()
        runtime.stop()
        smtp_proxy.stop()
        imap_proxy.stop()
        server.stop()
    RESULTS.mkdir(exist_ok=True)
    chart = draw(figures, cold_requests, trips, MINIMUM_ROUND_TRIPS, ROWS, RESULTS / "bench.png")
    print(f"chart: {chart.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
