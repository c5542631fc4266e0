"""Workspace sending domains: requests, status and the DNS records to publish."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, field_validator

from sender_accounts.common.model import Model
from sender_accounts.common.pagination import Pagination
from sender_accounts.common.request_bodies import PostBody, WithWarnings
from sender_accounts.common.statuses import DomainStatus

_DOMAIN_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN_PATTERN = re.compile(rf"^(?=.{{4,253}}$){_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+$")


class CreateDomainRequest(PostBody):
    """POST /domains."""

    domain: Annotated[str, Field(min_length=4, max_length=253)]

    @field_validator("domain")
    @classmethod
    def _lower_case_dns_name(cls, value: str) -> str:
        if not DOMAIN_PATTERN.fullmatch(value):
            raise ValueError("must be a lower-case DNS name such as acme.com")
        return value


class DnsRecord(Model):
    type: Literal["CNAME", "TXT", "MX"]
    name: str
    value: str
    purpose: Literal["OWNERSHIP", "DKIM", "SPF", "DMARC", "MX"]


class DomainResponse(WithWarnings):
    success: bool = True
    domain_id: str
    domain: str
    status: DomainStatus
    dns_records: list[DnsRecord]
    inbox_count: int = 0
    created_at: datetime


class DomainListResponse(Model):
    success: bool = True
    message: str
    domains: list[DomainResponse]
    pagination: Pagination


class DeleteDomainResponse(Model):
    success: bool = True
    message: str
    domain_id: str
