"""Typed settings, read once from the environment that template.yaml gives every function."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from sender_accounts.mail.policy import DEFAULT_MAIL_PORTS, IpNetwork, OutboundPolicy

__all__ = ["IpNetwork", "Settings", "get_settings"]


class Settings(BaseModel):
    rate_limit_per_minute: int = Field(default=600, ge=0)
    # Networks exempt from the outbound-address rule; empty when deployed.
    allowed_private_networks: tuple[IpNetwork, ...] = ()
    # Ports validation may dial on public addresses (allow-listed networks may use any).
    allowed_mail_ports: frozenset[int] = DEFAULT_MAIL_PORTS
    # How a workspace proves it owns a sending domain: its TXT token in DNS, or assumed
    # (local development and tests only, where the emulated SES verifies at once too).
    domain_ownership_check: Literal["dns", "assume"] = "dns"
    # ip[:port] resolvers for the product's own DNS lookups; empty: the system resolver.
    dns_nameservers: str = ""
    mail_step_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Ceiling for one whole validation: API Gateway gives up after 29 s.
    validation_deadline_seconds: float = Field(default=22.0, gt=0, le=27)

    @field_validator("allowed_private_networks", mode="before")
    @classmethod
    def _parse_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(
                ipaddress.ip_network(part.strip(), strict=False)
                for part in value.split(",")
                if part.strip()
            )
        return value

    @field_validator("allowed_mail_ports", mode="before")
    @classmethod
    def _parse_ports(cls, value: object) -> object:
        if isinstance(value, str):
            ports = frozenset(int(part) for part in value.split(",") if part.strip())
            if not ports or not all(1 <= port <= 65535 for port in ports):
                raise ValueError("must list ports between 1 and 65535")
            return ports
        return value

    @property
    def outbound_policy(self) -> OutboundPolicy:
        return OutboundPolicy(self.allowed_private_networks, self.allowed_mail_ports)

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "allowed_private_networks": env.get("ALLOWED_PRIVATE_NETWORKS", ""),
        }
        if env.get("DOMAIN_OWNERSHIP_CHECK"):
            values["domain_ownership_check"] = env["DOMAIN_OWNERSHIP_CHECK"]
        values["dns_nameservers"] = env.get("DNS_NAMESERVERS", "")
        if env.get("ALLOWED_MAIL_PORTS"):
            values["allowed_mail_ports"] = env["ALLOWED_MAIL_PORTS"]
        if env.get("MAIL_STEP_TIMEOUT_SECONDS"):
            values["mail_step_timeout_seconds"] = env["MAIL_STEP_TIMEOUT_SECONDS"]
        if env.get("RATE_LIMIT_PER_MINUTE"):
            values["rate_limit_per_minute"] = env["RATE_LIMIT_PER_MINUTE"]
        if env.get("VALIDATION_DEADLINE_SECONDS"):
            values["validation_deadline_seconds"] = env["VALIDATION_DEADLINE_SECONDS"]
        return cls.model_validate(values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process; tests clear the cache after changing the environment."""
    return Settings.from_environment()
