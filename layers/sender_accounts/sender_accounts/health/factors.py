"""The health score: weighted factors, each shown with why it holds or not.

The score is the share of the known factors' weight whose factor holds, from 0 to 100. A
factor is known when it has an answer (`ok` true or false); an unanswered one (`ok` null: a
DNS resolver that did not answer, a DKIM selector nobody told us) is left out of both sides,
so a dead resolver can never lower a score, only make it rest on fewer facts.

| factor           | weight | holds when                                                   |
| ---------------- | ------ | ------------------------------------------------------------ |
| SMTP             | 30     | the last SMTP login succeeded                                |
| IMAP             | 20     | the last IMAP login succeeded                                |
| SES_VERIFICATION | 50     | (native inboxes, instead of SMTP and IMAP) SES verified it   |
| FAILURES         | 10     | no failed check since the last success                      |
| MX               | 10     | the address's domain has MX records (not a null MX)          |
| SPF              | 10     | an SPF record exists and does not pass everyone (`+all`)     |
| DMARC            | 10     | `_dmarc.<domain>` has a DMARC record (its policy is shown)   |
| DKIM             | 5      | a DKIM key at the provider's selector (native: SES DKIM)     |
| DAILY_LIMIT      | 5      | the daily limit is within the warm-up range for its age      |
| WARMUP           | 10     | warm-up reputation (7 days, once 10 emails are placed) >= 80 |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

WEIGHTS = {
    "SMTP": 30,
    "IMAP": 20,
    "SES_VERIFICATION": 50,
    "FAILURES": 10,
    "MX": 10,
    "SPF": 10,
    "DMARC": 10,
    "DKIM": 5,
    "DAILY_LIMIT": 5,
    "WARMUP": 10,
}
WARMUP_REPUTATION_FLOOR = 80.0
# The score crosses these in either direction: SenderAccountHealthChanged.
SCORE_THRESHOLDS = (80, 50)
# Daily sends recommended while a new mailbox warms up (the providers' and the warm-up tools'
# published ramps): below each age in days, at most this many; after the last step, the
# provider's own maximum.
WARMUP_RAMP = ((7, 20), (14, 40), (21, 80), (28, 150))


# What a factor's detail may hold: it is stored on the inbox twice (its health factors and its
# DNS status) and comes from DNS records anyone can publish (a 60 KB DMARC record was kept
# whole).
DETAIL_CHARACTERS = 200


@dataclass(frozen=True)
class Factor:
    factor: str
    ok: bool | None
    detail: str

    def __post_init__(self) -> None:
        if len(self.detail) > DETAIL_CHARACTERS:
            object.__setattr__(self, "detail", self.detail[: DETAIL_CHARACTERS - 1] + "…")

    @property
    def weight(self) -> int:
        return WEIGHTS[self.factor]

    def as_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "ok": self.ok, "weight": self.weight, "detail": self.detail}


def score(factors: list[Factor]) -> float:
    known = [f for f in factors if f.ok is not None]
    total = sum(f.weight for f in known)
    if not total:
        return 0.0
    return round(100.0 * sum(f.weight for f in known if f.ok) / total, 1)


def thresholds_crossed(old: float, new: float) -> list[int]:
    return [t for t in SCORE_THRESHOLDS if (old >= t) != (new >= t)]


def login_factor(protocol: str, status: dict[str, Any]) -> Factor:
    name = protocol.upper()
    if status.get("ok"):
        return Factor(name, True, f"{name} login succeeded")
    return Factor(name, False, f"{name} login failed: {status.get('error_code')}")


def failures_factor(consecutive_failures: int) -> Factor:
    if consecutive_failures == 0:
        return Factor("FAILURES", True, "No failed check since the last success")
    return Factor("FAILURES", False, f"{consecutive_failures} consecutive failed checks")


def recommended_daily_limit(age_days: int, provider_maximum: int) -> int:
    for below_days, limit in WARMUP_RAMP:
        if age_days < below_days:
            return min(limit, provider_maximum)
    return provider_maximum


def daily_limit_factor(
    daily_limit: int, created_at: str, provider_maximum: int, now: datetime
) -> Factor:
    age_days = max(0, (now - datetime.fromisoformat(created_at)).days)
    recommended = recommended_daily_limit(age_days, provider_maximum)
    detail = f"{daily_limit} a day; at most {recommended} recommended at {age_days} days old"
    return Factor("DAILY_LIMIT", daily_limit <= recommended, detail)


def warmup_factor(reputation: float | None) -> list[Factor]:
    """Warm-up's reputation as a factor, once it has data (none before)."""
    if reputation is None:
        return []
    detail = f"{reputation:g} % of its warm-up emails landed in the inbox over the last 7 days"
    return [Factor("WARMUP", reputation >= WARMUP_REPUTATION_FLOOR, detail)]
