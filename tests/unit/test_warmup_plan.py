"""The warm-up plan's rules: the ramp, the day, the shared daily limit, sends spread over the
day, who is paired with whom, and the exact reply share."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from sender_accounts.warmup.pairing import Member, choose_recipients, may_pair
from sender_accounts.warmup.ramp import Ramp, day_start, send_times, sends_left, warmup_day
from sender_accounts.warmup.replies import answers

STARTED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def seeded(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible choices, not secrets


def test_the_ramp_starts_small_grows_each_day_and_stops_at_the_cap() -> None:
    ramp = Ramp(emails_per_day=20, daily_rampup=5, start_per_day=2)
    assert [ramp.target(day) for day in range(1, 7)] == [2, 7, 12, 17, 20, 20]


def test_without_the_ramp_the_cap_is_sent_from_day_one() -> None:
    assert Ramp(emails_per_day=30, is_rampup_enabled=False).target(1) == 30


def test_the_stored_settings_make_the_ramp_with_defaults_where_unset() -> None:
    stored = {"enabled": True, "emails_per_day": 12, "daily_rampup": None, "pool": "network"}
    assert Ramp.from_settings(stored) == Ramp(emails_per_day=12)
    assert [Ramp.from_settings(stored).target(d) for d in (1, 2, 3)] == [2, 7, 12]


def test_a_start_above_the_cap_is_held_to_it() -> None:
    assert Ramp(emails_per_day=3, start_per_day=10).target(1) == 3


@pytest.mark.parametrize("day_seconds", [60, 86_400])
def test_a_day_is_a_whole_day_from_the_moment_warmup_started(day_seconds: int) -> None:
    at = lambda seconds: STARTED + timedelta(seconds=seconds)  # noqa: E731
    assert warmup_day(STARTED, at(0), day_seconds) == 1
    assert warmup_day(STARTED, at(day_seconds - 1), day_seconds) == 1
    assert warmup_day(STARTED, at(day_seconds), day_seconds) == 2
    assert warmup_day(STARTED, at(10 * day_seconds + 5), day_seconds) == 11
    assert day_start(STARTED, 11, day_seconds) == at(10 * day_seconds)


def test_warmup_never_takes_the_days_sends_past_the_daily_limit() -> None:
    assert sends_left(target=10, sent_warmup=2, sent_today=5, daily_limit=50) == 8
    assert sends_left(target=10, sent_warmup=2, sent_today=47, daily_limit=50) == 3
    assert sends_left(target=10, sent_warmup=2, sent_today=50, daily_limit=50) == 0
    assert sends_left(target=3, sent_warmup=5, sent_today=0, daily_limit=50) == 0


@pytest.mark.parametrize("count", [1, 2, 7, 40])
def test_sends_are_spread_over_the_day_and_never_past_it(count: int) -> None:
    times = send_times(STARTED, 86_400, count, seeded(count))
    assert len(times) == count
    assert times == sorted(times)
    assert times[0] >= STARTED
    assert times[-1] < STARTED + timedelta(days=1)
    slices = {int((t - STARTED).total_seconds() // (86_400 / count)) for t in times}
    assert slices == set(range(count))  # one in each slice of the day: not bunched


def _member(name: str, workspace: str = "ws-a", domain: str = "a.test", **kw: object) -> Member:
    values: dict[str, object] = {"provider": "CUSTOM_SMTP", "pool": "network", "receive_cap": 5}
    values.update(kw)
    return Member(name, workspace, domain, **values)  # type: ignore[arg-type]


def test_an_inbox_never_sends_to_itself_and_a_workspace_pool_stays_in_its_workspace() -> None:
    mine = _member("a1", pool="workspace")
    assert not may_pair(mine, mine)
    assert may_pair(mine, _member("a2"))
    assert not may_pair(mine, _member("b1", workspace="ws-b"))
    assert not may_pair(_member("b1", workspace="ws-b"), mine)
    assert may_pair(_member("a3"), _member("b2", workspace="ws-b"))


def test_pairing_prefers_another_domain_then_another_provider() -> None:
    sender = _member("s", domain="a.test", provider="GOOGLE_WORKSPACE")
    same_domain = _member("same-domain", domain="a.test", provider="OUTLOOK_365")
    same_provider = _member("same-provider", domain="b.test", provider="GOOGLE_WORKSPACE")
    best = _member("other", domain="c.test", provider="OUTLOOK_365")
    pool = [sender, same_domain, same_provider, best]
    chosen = choose_recipients(sender, 3, pool, {}, set(), seeded(1))
    assert [m.inbox_id for m in chosen] == ["other", "same-provider", "same-domain"]


def test_a_pair_repeats_only_when_no_unused_recipient_remains() -> None:
    sender = _member("s", receive_cap=100)
    others = [_member(f"r{i}", domain=f"d{i}.test", receive_cap=100) for i in range(3)]
    chosen = choose_recipients(sender, 7, [sender, *others], {}, set(), seeded(2))
    counts = Counter(m.inbox_id for m in chosen)
    assert set(counts) == {"r0", "r1", "r2"}
    assert max(counts.values()) - min(counts.values()) <= 1  # spread evenly
    assert len({m.inbox_id for m in chosen[:3]}) == 3


def test_a_recipient_receives_no_more_than_its_cap_and_the_pool_can_run_out() -> None:
    sender = _member("s")
    full = _member("full", domain="x.test", receive_cap=2)
    open_ = _member("open", domain="y.test", receive_cap=3)
    chosen = choose_recipients(
        sender, 10, [sender, full, open_], {"full": 2, "open": 1}, set(), seeded(3)
    )
    assert [m.inbox_id for m in chosen] == ["open", "open"]


@pytest.mark.parametrize("rate", [0, 1, 20, 33, 50, 99, 100])
def test_the_reply_share_is_exact_to_within_one_message(rate: int) -> None:
    answered = 0
    for received in range(1, 501):
        answered += answers(received - 1, rate)
        assert abs(answered - received * rate / 100) < 1


def test_a_workspace_pool_member_draws_its_candidates_from_its_own_workspace() -> None:
    # Given a deployment of 300 network members and a workspace pool of three
    from sender_accounts.store.warmup_members import PoolMember
    from sender_accounts.warmup.planner import Pool

    def member(ws: str, n: int, pool: str) -> PoolMember:
        started = "2026-01-01T00:00:00.000Z"
        settings = {"pool": pool}
        return PoolMember(ws, f"{ws}-{n}", f"m{n}@{ws}.test", "CUSTOM_SMTP", started, "", settings,
                          started)  # fmt: skip

    network = [member(f"ws{n % 30}", n, "network") for n in range(300)]
    own = [member("mine", n, "workspace") for n in range(3)]
    pool = Pool(network + own, datetime(2026, 1, 1, tzinfo=UTC), 86400)
    # When the candidates of each kind of member are drawn
    everyone = 1000  # a sample at least as large as the pool: every candidate
    mine = pool.candidates(own[0], everyone, random.Random(1))  # noqa: S311 - repeatable
    theirs = pool.candidates(network[0], everyone, random.Random(2))  # noqa: S311 - repeatable
    # Then the workspace member sees only its own workspace's others, never itself, and the
    # network member sees every network member of other workspaces and its own workspace's
    assert {m.inbox_id for m in mine} == {"mine-1", "mine-2"}
    assert own[0] not in theirs
    assert network[0] not in theirs
    assert len(theirs) == 299
    assert all(may_pair(pool.pairing_member(network[0]), pool.pairing_member(m)) for m in theirs)
    # And a smaller sample holds only candidates, each once
    few = pool.candidates(network[0], 12, random.Random(3))  # noqa: S311 - repeatable
    assert len(few) == len({m.inbox_id for m in few}) == 12
    assert {m.inbox_id for m in few} <= {m.inbox_id for m in theirs}
