"""The status rules, the score and the DNS readings, as tables of cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sender_accounts.health.dns_checks import dkim_factor, dmarc_factor, mx_factor, spf_factor
from sender_accounts.health.factors import (
    Factor,
    daily_limit_factor,
    recommended_daily_limit,
    score,
    thresholds_crossed,
)
from sender_accounts.health.status_rules import decide
from sender_accounts.mail.outcome import ErrorCode, StageFailure

AUTH = StageFailure("smtp", ErrorCode.AUTH_FAILED, "Authentication failed", "535 5.7.8 no")
TIMEOUT = StageFailure("imap", ErrorCode.TIMEOUT, "The server did not answer in time")
REFUSED_4XX = StageFailure("smtp", ErrorCode.CONNECTION_FAILED, "refused", "421 busy")


@pytest.mark.parametrize(
    ("status", "failures_before", "failures", "expected"),
    [
        ("ACTIVE", 0, [AUTH], ("DISABLED", 1)),  # definitive: at once
        ("ACTIVE", 0, [TIMEOUT, AUTH], ("DISABLED", 1)),
        ("ACTIVE", 0, [TIMEOUT], ("ACTIVE", 1)),  # transient: counted
        ("ACTIVE", 1, [REFUSED_4XX], ("ACTIVE", 2)),
        ("ACTIVE", 2, [TIMEOUT], ("DISABLED", 3)),  # the third in a row
        ("DISABLED", 3, [], ("ACTIVE", 0)),  # auto-reconnect
        ("DISABLED", 1, [AUTH], ("DISABLED", 2)),
        ("PAUSED", 0, [AUTH], ("PAUSED", 1)),  # the user's choice stands
        ("PAUSED", 5, [], ("PAUSED", 0)),
        ("ACTIVE", 2, [], ("ACTIVE", 0)),
    ],
)
def test_status_rules(
    status: str, failures_before: int, failures: list[StageFailure], expected: tuple[str, int]
) -> None:
    verdict = decide(status, failures_before, failures)
    assert (verdict.status, verdict.consecutive_failures) == expected


def test_score_leaves_unanswered_factors_out() -> None:
    known = [Factor("SMTP", True, ""), Factor("IMAP", False, ""), Factor("MX", True, "")]
    assert score(known) == round(100 * 40 / 60, 1)
    assert score([*known, Factor("SPF", None, ""), Factor("DMARC", None, "")]) == score(known)
    assert score([Factor("MX", None, "")]) == 0.0


@pytest.mark.parametrize(
    ("old", "new", "crossed"),
    [(100, 85, []), (85, 79.9, [80]), (79, 81, [80]), (90, 40, [80, 50]), (49, 50, [50])],
)
def test_thresholds(old: float, new: float, crossed: list[int]) -> None:
    assert thresholds_crossed(old, new) == crossed


@pytest.mark.parametrize(
    ("records", "ok"),
    [
        (None, None),
        ([], False),
        (["v=spf1 include:_spf.google.com ~all"], True),
        (["v=spf1 +all"], False),
        (["v=spf1 a mx all"], False),  # no qualifier is +all
        (["v=spf1 -all", "v=spf1 ~all"], False),  # two records are an error
        (["google-site-verification=x"], False),
    ],
)
def test_spf(records: list[str] | None, ok: bool | None) -> None:
    assert spf_factor(records).ok is ok


def test_mx_dmarc_and_dkim_readings() -> None:
    assert mx_factor(["10 mx1.acme.test."]).ok is True
    assert mx_factor(["0 ."]).ok is False  # a null MX: the domain takes no mail
    assert dmarc_factor(["v=DMARC1; p=reject"]).detail == "DMARC policy reject"
    assert dmarc_factor(["v=spf1 ~all"]).ok is False
    assert dkim_factor(("google",), [["v=DKIM1; k=rsa; p=MIIB"]]).ok is True
    assert dkim_factor(("selector1", "selector2"), [[], ["p=MIIB"]]).ok is True
    assert dkim_factor(("selector1", "selector2"), [[], None]).ok is None
    assert dkim_factor(("selector1",), [[]]).ok is False
    assert dkim_factor((), []).ok is None


def test_daily_limit_follows_the_warm_up_ramp() -> None:
    assert [recommended_daily_limit(d, 2000) for d in (0, 7, 14, 21, 28, 400)] == [
        20, 40, 80, 150, 2000, 2000
    ]  # fmt: skip
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert daily_limit_factor(30, "2026-11-30T00:00:00Z", 2000, now).ok is False
    assert daily_limit_factor(30, "2026-11-20T00:00:00Z", 2000, now).ok is True


def test_every_dns_detail_is_bounded_whatever_the_zone_publishes() -> None:
    huge = "v=DMARC1; p=" + "r" * 60_000
    factors = [
        dmarc_factor([huge]),
        spf_factor(["v=spf1 " + "include:a.example " * 5000 + "-all"]),
        mx_factor([f"10 {'m' * 60}.{'x' * 60}.example."] * 3),
        dkim_factor(("s" * 300,), [[]]),
    ]
    for factor in factors:
        assert len(factor.as_dict()["detail"]) <= 200, factor.factor
