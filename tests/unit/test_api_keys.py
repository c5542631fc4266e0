"""API keys: the contract's format, enough randomness, only a hash stored."""

from __future__ import annotations

import base64

from sender_accounts.access.api_keys import KEY_PATTERN, hash_key, new_key


def test_key_format_and_entropy() -> None:
    keys = {new_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        assert key.startswith("cs_live_")
        assert KEY_PATTERN.fullmatch(key)
        random_part = key.removeprefix("cs_live_")
        raw = base64.urlsafe_b64decode(random_part + "=" * (-len(random_part) % 4))
        assert len(raw) * 8 >= 128
    assert new_key("cs_test_").startswith("cs_test_")


def test_hash_is_stable_and_not_the_key() -> None:
    key = new_key()
    assert hash_key(key) == hash_key(key)
    assert key not in hash_key(key)
    assert len(hash_key(key)) == 64
