"""Every key of the accounts table, in one place. One table, keyed by workspace:

| item                      | pk                    | sk                      |
| ------------------------- | --------------------- | ----------------------- |
| workspace                 | WS#<workspace_id>     | WORKSPACE               |
| workspace name            | WSNAME#<name>         | WSNAME                  |
| sender account            | WS#<workspace_id>     | INBOX#<inbox_id>        |
| address guard             | WS#<workspace_id>     | ADDRESS#<lower address> |
| domain                    | WS#<workspace_id>     | DOMAIN#<domain_id>      |
| domain name, per workspace| WS#<workspace_id>     | CLAIM#<domain>          |
| domain owner (proven)     | DOMAINNAME#<domain>   | DOMAINNAME              |
| API key                   | APIKEY#<sha256>       | APIKEY                  |
| OAuth app                 | WS#<workspace_id>     | OAUTHAPP#<oauth_app_id> |
| consent in progress       | OAUTHSTATE#<sha256>   | OAUTHSTATE              |
| webhook                   | WS#<workspace_id>     | WEBHOOK#<webhook_id>    |
| webhook delivery          | WEBHOOKLOG#<ws>#<id>  | DELIVERY#<delivery_id>  |
"""

from __future__ import annotations

INBOX_PREFIX = "INBOX#"
DOMAIN_PREFIX = "DOMAIN#"
OAUTH_APP_PREFIX = "OAUTHAPP#"
WEBHOOK_PREFIX = "WEBHOOK#"
DELIVERY_PREFIX = "DELIVERY#"


def workspace_key(workspace_id: str) -> str:
    return f"WS#{workspace_id}"


def inbox_key(workspace_id: str, inbox_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"{INBOX_PREFIX}{inbox_id}"}


def address_key(workspace_id: str, email_address: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"ADDRESS#{email_address.lower()}"}


def domain_key(workspace_id: str, domain_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"{DOMAIN_PREFIX}{domain_id}"}


def workspace_name_key(workspace_id: str, domain: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"CLAIM#{domain}"}


def domain_owner_key(domain: str) -> dict[str, str]:
    return {"pk": f"DOMAINNAME#{domain}", "sk": "DOMAINNAME"}


def api_key_key(key_hash: str) -> dict[str, str]:
    return {"pk": f"APIKEY#{key_hash}", "sk": "APIKEY"}


def workspace_by_name_key(name: str) -> dict[str, str]:
    return {"pk": f"WSNAME#{name}", "sk": "WSNAME"}


def oauth_app_key(workspace_id: str, oauth_app_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"{OAUTH_APP_PREFIX}{oauth_app_id}"}


def webhook_key(workspace_id: str, webhook_id: str) -> dict[str, str]:
    return {"pk": workspace_key(workspace_id), "sk": f"{WEBHOOK_PREFIX}{webhook_id}"}


def delivery_log_key(workspace_id: str, webhook_id: str) -> str:
    return f"WEBHOOKLOG#{workspace_id}#{webhook_id}"


def delivery_key(workspace_id: str, webhook_id: str, delivery_id: str) -> dict[str, str]:
    pk = delivery_log_key(workspace_id, webhook_id)
    return {"pk": pk, "sk": f"{DELIVERY_PREFIX}{delivery_id}"}


def consent_state_key(state_hash: str) -> dict[str, str]:
    return {"pk": f"OAUTHSTATE#{state_hash}", "sk": "OAUTHSTATE"}


def health_key(score: float) -> str:
    # Fixed width, so the string order is the numeric order over 0..100.
    return f"{max(0.0, min(100.0, score)):07.3f}"


def reputation_key(reputation: float | None) -> str:
    """No reputation yet sorts below every reputation ("-" sorts before the digits)."""
    return "-" if reputation is None else health_key(reputation)
