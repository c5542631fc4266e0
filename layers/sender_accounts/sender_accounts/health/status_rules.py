"""What a check does to an inbox's status: the one place these rules live.

- A definitive refusal of the credentials (SMTP 535/534, IMAP `NO` to LOGIN/AUTHENTICATE: the
  class AUTH_FAILED; for a native inbox, SES verification failed) turns ACTIVE into DISABLED
  at once.
- Any other failure (TIMEOUT, CONNECTION_FAILED, HOST_NOT_FOUND, SSL_ERROR, a 4xx reply, SES
  verification pending) is counted, and turns ACTIVE into DISABLED at the third consecutive
  failed check.
- A successful check resets the count and turns DISABLED back into ACTIVE (auto-reconnect).
- PAUSED is the user's: a check never changes it (its health and count still change).

The store writes each outcome under a condition on the state it was decided from, so two
concurrent checks make one transition and publish one event.
"""

from __future__ import annotations

from dataclasses import dataclass

from sender_accounts.mail.outcome import ErrorCode, StageFailure

DEFINITIVE = frozenset({ErrorCode.AUTH_FAILED, ErrorCode.DOMAIN_NOT_VERIFIED})
FAILURES_BEFORE_DISABLING = 3


@dataclass(frozen=True)
class Verdict:
    status: str
    consecutive_failures: int

    def disconnects(self, old_status: str) -> bool:
        return old_status == "ACTIVE" and self.status == "DISABLED"

    def reconnects(self, old_status: str) -> bool:
        return old_status == "DISABLED" and self.status == "ACTIVE"


def decide(status: str, consecutive_failures: int, failures: list[StageFailure]) -> Verdict:
    if not failures:
        return Verdict("ACTIVE" if status == "DISABLED" else status, 0)
    count = consecutive_failures + 1
    definitive = any(f.error_code in DEFINITIVE for f in failures)
    if status == "ACTIVE" and (definitive or count >= FAILURES_BEFORE_DISABLING):
        return Verdict("DISABLED", count)
    return Verdict(status, count)


def first_failure(failures: list[StageFailure]) -> StageFailure:
    """The failure a disconnection is reported with: a definitive one first."""
    return next((f for f in failures if f.error_code in DEFINITIVE), failures[0])
