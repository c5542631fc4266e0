"""SmartLead's OAuth token object, as POST /sender-accounts/oauth and PATCH take it. Apart from
the OAuth models so the sender-account models can take it without importing them."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from sender_accounts.common.request_bodies import PostBody
from sender_accounts.common.text_rules import Credential, JsonInt

# Microsoft's access tokens run to a few kilobytes; refresh tokens to about two.
Token = Annotated[Credential, Field(min_length=1, max_length=8192)]


class TokenObject(PostBody):
    """`expiry_date` in milliseconds since the epoch, as SmartLead sends it; other fields a
    token object carries (scope, token_type, id_token) are ignored."""

    access_token: Token
    refresh_token: Token
    expiry_date: JsonInt | None = Field(default=None, ge=0)
