"""The six fields that say where a mailbox's mail servers are, and the rule for OAuth2 ones."""

from __future__ import annotations

MAIL_HOST_FIELDS = (
    "smtp_host", "smtp_port", "smtp_security", "imap_host", "imap_port", "imap_security",
)  # fmt: skip
HOSTS_OF_THE_APP = (
    "is set by the OAuth app: an OAuth2 mailbox connects only to its app's mail hosts "
    "(POST /oauth-apps takes them), so the token its user consented to goes nowhere else"
)
