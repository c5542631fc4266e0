"""Where a consent may send the user's browser back: parsed the way browsers parse it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sender_accounts.common.text_rules import check_host_name
from sender_accounts.errors import FieldRuleViolated


def check_redirect_uri(uri: str, allowed: tuple[str, ...] = (), field: str = "redirect_uri") -> str:
    """One of the app's `redirect_uris` when it lists them; otherwise https anywhere, http only
    to loopback (a desktop tool or a local development server). Either way nothing a browser
    could read otherwise than we do (WHATWG treats `\\` as `/`: `http://evil.example\\@127.0.0.1/`
    goes to evil.example): no backslash, no user info, no blank or control character, no
    fragment."""
    if allowed and uri not in allowed:
        raise FieldRuleViolated(field, "is not one of the OAuth app's redirect_uris")
    if "\\" in uri or not uri.isprintable() or any(c.isspace() for c in uri):
        raise FieldRuleViolated(field, "must not contain backslashes, blanks or control characters")
    parts = urlsplit(uri)
    if "@" in parts.netloc or parts.fragment or "#" in uri:
        raise FieldRuleViolated(field, "must carry no user info (@) and no fragment (#)")
    try:
        host = check_host_name(parts.hostname or "")
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise FieldRuleViolated(field, "must name a valid host (and port)") from None
    if parts.scheme == "https":
        return uri
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if loopback:
            return uri
    raise FieldRuleViolated(field, "must be https, or http on loopback")
