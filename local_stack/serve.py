"""`make serve`: the whole stack on this machine, without Docker, in two processes.

moto (server mode, in a process of its own: emulation.py) holds every table, key, queue and bus
of template.yaml; in this process an HTTP gateway on
127.0.0.1 routes by the template's API events to the same handler code the cloud runs; events
published to the bus are printed as they arrive. Ctrl-C stops it, keeping the data for the next
start (persistence.py); FRESH=1 starts empty.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Mapping
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .demo_mail import DEMO_USER, start_demo_mail
from .event_tap import EventTap
from .gateway import LocalApiGateway
from .mail_viewer import MailSources, SeenMessage, as_html, as_json, messages
from .openapi import build_document
from .persistence import SNAPSHOT_FILE, Snapshot, take_snapshot
from .provision import ProvisionedStack
from .runtime import LOOPBACK_NETWORKS, LocalRuntime, start_local_runtime
from .sam_env import sam_env_vars, write_sam_env
from .state import STATE_DIR, LocalStackState, clear
from .template import StackTemplate, load_template

MAX_BODY_BYTES = 1_000_000
SWAGGER_ASSETS = ("swagger-ui-bundle.min.js", "swagger-ui.min.css")


def _swagger_dir() -> Path:
    from aws_lambda_powertools.event_handler.openapi import swagger_ui

    return Path(swagger_ui.__file__).parent


def _swagger_page() -> str:
    from aws_lambda_powertools.event_handler.openapi.swagger_ui.html import generate_swagger_html

    spec = json.dumps(build_document())
    return generate_swagger_html(
        spec, "/swagger/swagger-ui-bundle.min.js", "/swagger/swagger-ui.min.css", "/swagger", None
    )


class LocalHttpServer(ThreadingHTTPServer):
    # The standard library listens with a backlog of 5: a burst of clients would be reset.
    request_queue_size = 1024
    daemon_threads = True


def make_handler(
    gateway: LocalApiGateway,
    mail: MailSources = MailSources(),  # noqa: B008 - frozen, shared safely
) -> type[BaseHTTPRequestHandler]:
    openapi = json.dumps(build_document()).encode()
    swagger = _swagger_page().encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "sender-accounts-local"

        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write(f"{self.command} {self.path.split('?')[0]} -> {args[1]}\n")

        def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in {"content-length", "connection"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _local_page(self, path: str, query: str) -> bool:
            wants_json = parse_qs(query).get("format") == ["json"]
            if path == "/":
                self._send(302, {"Location": "/swagger"}, b"")
            elif path == "/openapi.json" or (path in {"/swagger", "/swagger/"} and wants_json):
                self._send(200, {"Content-Type": "application/json"}, openapi)
            elif path in {"/swagger", "/swagger/"}:
                self._send(200, {"Content-Type": "text/html; charset=utf-8"}, swagger)
            elif path == "/_local/mail":
                page = as_html(mail)
                self._send(200, {"Content-Type": "text/html; charset=utf-8"}, page)
            elif path == "/_local/mail.json":
                self._send(200, {"Content-Type": "application/json"}, as_json(mail))
            elif path.startswith("/swagger/") and path.rsplit("/", 1)[1] in SWAGGER_ASSETS:
                name = path.rsplit("/", 1)[1]
                kind = "text/css" if name.endswith(".css") else "application/javascript"
                self._send(200, {"Content-Type": kind}, (_swagger_dir() / name).read_bytes())
            else:
                return False
            return True

        def _handle(self) -> None:
            url = urlsplit(self.path)
            if self.command in {"GET", "HEAD"} and self._local_page(url.path, url.query):
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                too_large = {"detail": "Request body too large", "error_code": "PAYLOAD_TOO_LARGE"}
                body = json.dumps(too_large).encode()
                self._send(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"Content-Type": "application/json"}, body
                )
                self.close_connection = True
                return
            raw = self.rfile.read(length) if length else None
            headers: dict[str, list[str]] = {}
            for name, value in self.headers.items():
                headers.setdefault(name, []).append(value)
            query = parse_qs(url.query, keep_blank_values=True)
            response = gateway.handle(
                self.command, url.path, query, headers, raw, source_ip=self.client_address[0]
            )
            self._send(response.status, response.headers, response.body)

        def __getattr__(self, name: str) -> Any:
            # Every method (QUERY, TRACE, ...) goes to the gateway, which answers an unknown
            # route as API Gateway does, instead of http.server's HTML 501 page.
            if name.startswith("do_"):
                return self._handle
            raise AttributeError(name)

    return Handler


def main() -> int:
    port = int(os.environ.get("PORT", "3000"))
    print("Starting the local stack (AWS emulation, tables, key, queues, bus from template.yaml)")
    chosen = settings_from_environment(StackTemplate(load_template()), os.environ)
    if chosen:
        print(f"From the environment, over the template's defaults: {', '.join(sorted(chosen))}")
    kept = _kept_data()
    demo = start_demo_mail(STATE_DIR, kept.demo if kept else None)
    runtime = start_local_runtime(environment_overrides=chosen, kept=kept)
    from sender_accounts.access.api_keys import issue_key
    from sender_accounts.composition import access_store

    demo_key = os.environ.get("DEMO_API_KEY") or (kept.demo.get("api_key") if kept else None)
    try:
        _, key = issue_key(
            access_store.get(),
            "demo",
            prefix="cs_test_",
            api_key=demo_key,
        )
    except ValueError as exc:
        print(f"DEMO_API_KEY: {exc}")
        runtime.stop()
        return 2
    sink = demo.server.relay if demo else None
    earlier = [SeenMessage.from_dict(m) for m in kept.mail] if kept else []
    mail = MailSources(sink, earlier, partial(runtime.emulation.call, "ses_sent"))
    server = LocalHttpServer(("127.0.0.1", port), make_handler(runtime.gateway, mail))
    server.daemon_threads = True
    bound = server.server_address[1]
    url = f"http://127.0.0.1:{bound}"
    tap = EventTap(runtime.stack)
    tap.start()
    LocalStackState(
        os.getpid(),
        runtime.stack.endpoint_url,
        url,
        _function_env(runtime.stack),
        runtime.administrator.as_dict(),
        {name: key.as_dict() for name, key in runtime.function_keys.items()},
    ).save()
    print(
        f"Outbound mail connections may reach loopback only ({LOOPBACK_NETWORKS}): local use only."
    )
    print(f"Swagger UI: {url}/swagger   OpenAPI: {url}/openapi.json   Mail sent: {url}/_local/mail")
    print(f"API key: {key}")
    env_file = write_sam_env(sam_env_vars(runtime.stack, runtime.function_keys, chosen))
    print(f"sam local invoke --env-vars {_shown(env_file)} (see docs/quickstart.md)")
    if demo is not None:
        print(f"Demo mailbox {DEMO_USER}: create it as an inbox, validated for real, with:")
        print(demo.curl(url, key))
        print("Warm-up demo: four mailboxes that warm each other up (docs/warmup.md), with:")
        print(demo.warmup_curl(url, key))
    print(f"Ready: {url}", flush=True)

    stop = threading.Event()
    # Each signal stops it (and keeps the data), even where the shell started it with SIGINT
    # ignored; SIGHUP is a closed terminal.
    for stopping in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(stopping, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    while not stop.wait(0.5):
        pass
    print("Stopping")
    server.shutdown()
    tap.stop()
    try:
        _keep_data(runtime, messages(mail), demo.kept() if demo else {}, key)
    finally:
        clear()
        runtime.stop()
        if demo is not None:
            demo.stop()
    return 0


def _kept_data() -> Snapshot | None:
    """The data kept at the last stop, unless FRESH asks to start empty (and forgets it)."""
    if os.environ.get("FRESH", "") not in {"", "0"}:
        SNAPSHOT_FILE.unlink(missing_ok=True)
        print("FRESH: starting empty (the data kept at the last stop is deleted)")
        return None
    kept = Snapshot.load()
    if kept is not None:
        where = _shown(SNAPSHOT_FILE)
        print(f"Restoring the data kept at the last stop ({kept.counts()}) from {where}")
    return kept


def _keep_data(
    runtime: LocalRuntime, mail: list[SeenMessage], demo: dict[str, Any], api_key: str
) -> None:
    """Once nothing runs any more: the data, for the next start."""
    runtime.quiesce()
    snapshot = take_snapshot(runtime.stack, runtime.emulation)
    snapshot.mail = [message.as_dict() for message in mail]
    snapshot.demo = {**demo, "api_key": api_key}
    snapshot.save()
    print(f"Kept {snapshot.counts()} in {_shown(SNAPSHOT_FILE)} (FRESH=1 starts empty)")


def _shown(path: Path) -> str:
    """A path inside the project as the Makefile's user would type it, any other in full."""
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


def settings_from_environment(
    template: StackTemplate, environment: Mapping[str, str]
) -> dict[str, str]:
    """The functions' settings (variables the template takes from a parameter, such as
    CHECK_MIN_INTERVAL_SECONDS or DNS_NAMESERVERS) that `environment` sets: locally they win
    over the template's defaults."""
    parameters = set(template.body.get("Parameters", {}))
    tunable = {
        name
        for logical_id in template.functions()
        for name, value in template.function_properties(logical_id)["Environment"][
            "Variables"
        ].items()
        if isinstance(value, dict) and value.get("Ref") in parameters
    }
    return {name: environment[name] for name in sorted(tunable) if environment.get(name)}


def _function_env(stack: ProvisionedStack) -> dict[str, str]:
    """The functions' environment as the template gives it, for `make invoke` to reuse."""
    # SSL_CERT_FILE: the bundle that trusts the demo mail server too, for `make invoke`.
    environment = {
        "POWERTOOLS_TRACE_DISABLED": "true",
        "SSL_CERT_FILE": os.environ.get("SSL_CERT_FILE", ""),
    }
    for logical_id in stack.template.functions():
        environment.update(stack.function_environment(logical_id))
    return environment


if __name__ == "__main__":
    sys.exit(main())
