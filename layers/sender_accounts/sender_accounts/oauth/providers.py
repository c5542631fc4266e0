"""What Google and Microsoft expect of an OAuth2 client that reaches mail over SMTP and IMAP:
their endpoints, the scopes that grant mail, and their mail servers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Provider(StrEnum):
    GOOGLE = "google"
    MICROSOFT = "microsoft"


@dataclass(frozen=True)
class MailServers:
    smtp_host: str
    smtp_port: int
    imap_host: str
    imap_port: int


SCOPES = {
    Provider.GOOGLE: "https://mail.google.com/ openid email",
    Provider.MICROSOFT: (
        "https://outlook.office.com/SMTP.Send https://outlook.office.com/IMAP.AccessAsUser.All"
        " offline_access openid email"
    ),
}
MAIL_SERVERS = {
    Provider.GOOGLE: MailServers("smtp.gmail.com", 587, "imap.gmail.com", 993),
    Provider.MICROSOFT: MailServers("smtp.office365.com", 587, "outlook.office365.com", 993),
}
# Google returns a refresh token only with offline access, and again only when consent is
# asked anew; Microsoft's comes with the offline_access scope.
EXTRA_AUTHORIZE_PARAMETERS = {
    Provider.GOOGLE: {"access_type": "offline", "prompt": "consent"},
    Provider.MICROSOFT: {"prompt": "select_account"},
}
DEFAULT_TENANT = "common"


def default_authorize_url(provider: Provider, tenant: str | None) -> str:
    if provider is Provider.GOOGLE:
        return "https://accounts.google.com/o/oauth2/v2/auth"
    return f"https://login.microsoftonline.com/{tenant or DEFAULT_TENANT}/oauth2/v2.0/authorize"


def default_token_url(provider: Provider, tenant: str | None) -> str:
    if provider is Provider.GOOGLE:
        return "https://oauth2.googleapis.com/token"
    return f"https://login.microsoftonline.com/{tenant or DEFAULT_TENANT}/oauth2/v2.0/token"
