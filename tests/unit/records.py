"""Stored records for unit tests, built as the product stores them."""

from __future__ import annotations

from typing import Any

from sender_accounts.adapters.password_vault import MailboxPasswords
from sender_accounts.store.records import DomainRecord, InboxRecord
from tests.unit.fakes import FakeVault

WORKSPACE = "ws-unit"
NOW = "2026-11-25T10:00:00Z"


def stored_inbox(vault: FakeVault, inbox_id: str = "inbox-1", **fields: Any) -> InboxRecord:
    """A validated CUSTOM_SMTP inbox on STARTTLS 587 and implicit-TLS 993."""
    address = fields.pop("email_address", "outreach@acme.test")
    values: dict[str, Any] = {
        "inbox_id": inbox_id,
        "email_address": address,
        "email_lower": address.lower(),
        "display_name": "Outreach",
        "inbox_type": "CUSTOM_SMTP",
        "daily_limit": 50,
        "overall_status": "ACTIVE",
        "health_score": 100,
        "smtp_host": "smtp.acme.test",
        "smtp_port": 587,
        "smtp_username": "outreach@acme.test",
        "smtp_use_tls": True,
        "imap_host": "imap.acme.test",
        "imap_port": 993,
        "imap_username": "outreach@acme.test",
        "imap_use_ssl": True,
        "passwords_ciphertext": vault.seal(
            MailboxPasswords(smtp="stored-smtp", imap="stored-imap"), WORKSPACE, inbox_id
        ),
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return InboxRecord.model_validate(values)


def stored_domain(domain_id: str = "dom-1", **fields: Any) -> DomainRecord:
    values: dict[str, Any] = {
        "domain_id": domain_id,
        "domain": "mail.acme.test",
        "status": "PENDING",
        "ownership_token": "token-1",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(fields)
    return DomainRecord.model_validate(values)
