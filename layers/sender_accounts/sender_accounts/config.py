"""Tunable settings, read once from the environment that template.yaml gives every function.

A plain dataclass checked by hand: as a pydantic model its schema building showed up as tens
of milliseconds of every cold start, for nine fields. A value out of range fails the first
request that reads the settings with a message naming the variable.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from sender_accounts.mail.policy import DEFAULT_MAIL_PORTS, IpNetwork, OutboundPolicy

__all__ = ["IpNetwork", "Settings", "get_settings"]

OwnershipMode = Literal["dns", "assume"]


class InvalidSetting(ValueError):
    """An environment variable holds a value the product cannot use."""


@dataclass(frozen=True)
class Settings:
    rate_limit_per_minute: int = 600
    # Networks exempt from the outbound-address rule; empty when deployed.
    allowed_private_networks: tuple[IpNetwork, ...] = ()
    # Ports validation may dial on public addresses (allow-listed networks may use any).
    allowed_mail_ports: frozenset[int] = DEFAULT_MAIL_PORTS
    # How a workspace proves it owns a sending domain: its TXT token in DNS, or assumed
    # (local development and tests only, where the emulated SES verifies at once too).
    domain_ownership_check: OwnershipMode = "dns"
    # ip[:port] resolvers for the product's own DNS lookups; empty: the system resolver.
    dns_nameservers: str = ""
    mail_step_timeout_seconds: float = 10.0
    # Ceiling for one whole validation: API Gateway gives up after 29 s.
    validation_deadline_seconds: float = 22.0
    # A check of one inbox within this many seconds of the last answers the last result.
    check_min_interval_seconds: float = 60.0
    # How often monitoring re-checks each ACTIVE, PAUSED and DISABLED inbox.
    health_check_interval_minutes: float = 360.0
    # Connections checks may hold open to any one mail server address at once.
    max_connections_per_mail_host: int = 10
    # Connections validations (create, PATCH, test emails, bulk rows) may hold open to one
    # mail server address at once.
    max_validation_connections_per_address: int = 200
    # Mail connections one workspace may cause per minute, whatever causes them.
    mail_connections_per_workspace_per_minute: int = 1200
    # Warm-up: a warm-up day's length (short locally, to watch days pass in minutes), the
    # least wait before a recipient's mailbox is looked at, and when a message counts missing.
    warmup_day_seconds: int = 86400
    warmup_min_delay_seconds: int = 300
    warmup_missing_after_seconds: int = 21600

    def __post_init__(self) -> None:
        _check(self.rate_limit_per_minute >= 0, "RATE_LIMIT_PER_MINUTE", "must be 0 or more")
        _check(0 < self.mail_step_timeout_seconds <= 60, "MAIL_STEP_TIMEOUT_SECONDS", "0-60")
        _check(0 < self.validation_deadline_seconds <= 27, "VALIDATION_DEADLINE_SECONDS", "0-27")
        _check(self.check_min_interval_seconds >= 0, "CHECK_MIN_INTERVAL_SECONDS", "0 or more")
        _check(
            self.health_check_interval_minutes >= 1, "HEALTH_CHECK_INTERVAL_MINUTES", "1 or more"
        )
        _check(
            self.max_connections_per_mail_host >= 2, "MAX_CONNECTIONS_PER_MAIL_HOST", "2 or more"
        )
        _check(
            self.max_validation_connections_per_address >= 2,
            "MAX_VALIDATION_CONNECTIONS_PER_ADDRESS",
            "2 or more",
        )
        _check(
            self.mail_connections_per_workspace_per_minute >= 2,
            "MAIL_CONNECTIONS_PER_WORKSPACE_PER_MINUTE",
            "2 or more",
        )
        _check(self.warmup_day_seconds >= 5, "WARMUP_DAY_SECONDS", "5 or more")
        _check(self.warmup_min_delay_seconds >= 0, "WARMUP_MIN_DELAY_SECONDS", "0 or more")
        _check(self.warmup_missing_after_seconds >= 1, "WARMUP_MISSING_AFTER_SECONDS", "1 or more")
        _check(
            self.domain_ownership_check in ("dns", "assume"), "DOMAIN_OWNERSHIP_CHECK", "dns|assume"
        )
        _check(
            bool(self.allowed_mail_ports) and all(0 < p < 65536 for p in self.allowed_mail_ports),
            "ALLOWED_MAIL_PORTS",
            "ports between 1 and 65535",
        )

    @property
    def outbound_policy(self) -> OutboundPolicy:
        return OutboundPolicy(self.allowed_private_networks, self.allowed_mail_ports)

    @classmethod
    def from_environment(cls) -> Settings:
        env = os.environ

        def number(name: str, default: float) -> float:
            try:
                return float(env.get(name) or default)
            except ValueError:
                raise InvalidSetting(f"{name} must be a number") from None

        try:
            networks = tuple(
                ipaddress.ip_network(part.strip(), strict=False)
                for part in env.get("ALLOWED_PRIVATE_NETWORKS", "").split(",")
                if part.strip()
            )
            ports = frozenset(
                int(p) for p in (env.get("ALLOWED_MAIL_PORTS") or "").split(",") if p.strip()
            )
        except ValueError as exc:
            raise InvalidSetting(f"ALLOWED_PRIVATE_NETWORKS or ALLOWED_MAIL_PORTS: {exc}") from None
        return cls(
            rate_limit_per_minute=int(number("RATE_LIMIT_PER_MINUTE", 600)),
            allowed_private_networks=networks,
            allowed_mail_ports=ports or DEFAULT_MAIL_PORTS,
            domain_ownership_check=cast(OwnershipMode, env.get("DOMAIN_OWNERSHIP_CHECK") or "dns"),
            dns_nameservers=env.get("DNS_NAMESERVERS", ""),
            mail_step_timeout_seconds=number("MAIL_STEP_TIMEOUT_SECONDS", 10.0),
            validation_deadline_seconds=number("VALIDATION_DEADLINE_SECONDS", 22.0),
            check_min_interval_seconds=number("CHECK_MIN_INTERVAL_SECONDS", 60.0),
            health_check_interval_minutes=number("HEALTH_CHECK_INTERVAL_MINUTES", 360.0),
            max_connections_per_mail_host=int(number("MAX_CONNECTIONS_PER_MAIL_HOST", 10)),
            max_validation_connections_per_address=int(
                number("MAX_VALIDATION_CONNECTIONS_PER_ADDRESS", 200)
            ),
            mail_connections_per_workspace_per_minute=int(
                number("MAIL_CONNECTIONS_PER_WORKSPACE_PER_MINUTE", 1200)
            ),
            warmup_day_seconds=int(number("WARMUP_DAY_SECONDS", 86400)),
            warmup_min_delay_seconds=int(number("WARMUP_MIN_DELAY_SECONDS", 300)),
            warmup_missing_after_seconds=int(number("WARMUP_MISSING_AFTER_SECONDS", 21600)),
        )


def _check(holds: bool, variable: str, expected: str) -> None:
    if not holds:
        raise InvalidSetting(f"{variable} is out of range (expected {expected})")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process; tests clear the cache after changing the environment."""
    return Settings.from_environment()
