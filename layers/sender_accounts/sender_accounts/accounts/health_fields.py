"""How an inbox's health reads, in GET and in the check answer alike: the last result of each
login, the DNS findings and the score's factors. `ok` is null when no answer came."""

from __future__ import annotations

from sender_accounts.common.model import Model


class ProtocolStatus(Model):
    """The last result of one login (for a native inbox, `smtp` is its SES verification)."""

    ok: bool | None = None
    error_code: str | None = None
    detail: str | None = None
    server_reply: str | None = None
    hint: str | None = None  # what to do about it, where one helps


class HealthFactor(Model):
    factor: str
    ok: bool | None = None
    weight: int
    detail: str


class DnsFinding(Model):
    ok: bool | None = None
    detail: str


class DnsStatus(Model):
    domain: str
    mx: DnsFinding | None = None
    spf: DnsFinding | None = None
    dmarc: DnsFinding | None = None
    dkim: DnsFinding | None = None
