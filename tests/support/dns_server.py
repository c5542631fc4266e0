"""A small authoritative DNS server on loopback, built with dnspython: real DNS messages over
UDP, records that a test sets and changes while it runs, NXDOMAIN for names it does not hold."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


@dataclass
class Zone:
    """Records by owner name and type (TXT, MX); a test edits them as a user edits their DNS.
    A name with no record at all is NXDOMAIN; a name with records of other types only answers
    NOERROR with an empty answer, as an authoritative server does."""

    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    queries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, name: str, value: str, rdtype: str = "TXT") -> None:
        with self._lock:
            key = (name.lower().rstrip("."), rdtype)
            self.records.setdefault(key, []).append(value)

    def answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text().lower().rstrip(".")
        rdtype = dns.rdatatype.to_text(question.rdtype)
        with self._lock:
            self.queries += 1
            values = list(self.records.get((name, rdtype), []))
            exists = any(owner == name for owner, _ in self.records)
        if not exists:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif values:
            texts = [f'"{v}"' for v in values] if rdtype == "TXT" else values
            response.answer.append(
                dns.rrset.from_text(question.name, 60, dns.rdataclass.IN, rdtype, *texts)
            )
        return response


@contextmanager
def dns_server(zone: Zone) -> Iterator[str]:
    """Serve `zone` on a loopback UDP port; yields `127.0.0.1:<port>` for DNS_NAMESERVERS."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(data)
            except dns.exception.DNSException:
                continue
            sock.sendto(zone.answer(query).to_wire(), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        sock.close()


@contextmanager
def silent_dns_server() -> Iterator[str]:
    """A UDP port that takes queries and never answers: a resolver that is down."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()
