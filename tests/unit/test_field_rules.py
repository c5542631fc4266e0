"""Rules of request fields and shared helpers, without any server: text and type rules, unknown
fields, pagination arithmetic, error rendering, redaction of the client's own payloads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from sender_accounts.accounts.models import CreateSmtpAccountRequest, UpdateSenderAccountRequest
from sender_accounts.common.text_rules import (
    check_credential,
    check_header_text,
    check_multi_line,
    check_single_line,
)
from sender_accounts.config import InvalidSetting, Settings
from sender_accounts.errors import (
    DailyLimitReached,
    DependencyUnavailable,
    FieldRuleViolated,
    NotFound,
    ServiceError,
)
from sender_accounts.http.errors import as_proxy_response
from sender_accounts.mail.redaction import REDACTED, redact, sasl_plain

BREAKS = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x9b"]


@pytest.mark.parametrize("char", BREAKS + CONTROLS + ["\t"])
def test_single_line_text_refuses_breaks_and_controls(char: str) -> None:
    with pytest.raises(ValueError, match=f"U\\+{ord(char):04X}"):
        check_single_line(f"a{char}b")


@pytest.mark.parametrize("text", ["Jane Roe", "Café ✓ 2+2=? yes", "ø 東京", "a=?b"])
def test_single_line_text_keeps_ordinary_text(text: str) -> None:
    assert check_header_text(text) == text


@pytest.mark.parametrize(
    "text",
    ["=?utf-8?q?Hi=0D=0ABcc:_x@evil.test?=", "=?UTF-8?B?SGk=?=", "Hi =?iso-8859-1?Q?a?= there"],
)
def test_header_text_refuses_encoded_words(text: str) -> None:
    with pytest.raises(ValueError, match="encoded words"):
        check_header_text(text)


@pytest.mark.parametrize("text", ["one\ntwo", "one\r\ntwo", "\tindented", "plain"])
def test_multi_line_text_takes_lf_crlf_and_tab(text: str) -> None:
    assert check_multi_line(text) == text


@pytest.mark.parametrize("text", ["a\rb", "a\x0bb", "a\u2028b", "a\x00b", "a\r"])
def test_multi_line_text_refuses_other_breaks(text: str) -> None:
    with pytest.raises(ValueError, match="no other control characters"):
        check_multi_line(text)


@pytest.mark.parametrize("text", ["pa\x00ss", "pa\nss", "pa\u2028ss"])
def test_credentials_refuse_nul_controls_and_breaks(text: str) -> None:
    with pytest.raises(ValueError, match="must not contain NUL"):
        check_credential(text)


def _create(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email_address": "o@acme.test", "display_name": "O", "inbox_type": "CUSTOM_SMTP",
        "smtp_host": "smtp.acme.test", "smtp_port": 587, "smtp_username": "o",
        "smtp_password": "p", "imap_host": "imap.acme.test", "imap_port": 993,
        "imap_username": "o", "imap_password": "p",
    }  # fmt: skip
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("field", "value"),
    [("daily_limit", True), ("smtp_port", 587.5), ("smtp_use_tls", "yes"), ("suspended", 1)],
)
def test_loose_coercions_are_refused(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        CreateSmtpAccountRequest.model_validate(_create(**{field: value}))
    assert refused.value.errors()[0]["loc"] == (field,)


def test_numeric_strings_are_integers() -> None:
    assert CreateSmtpAccountRequest.model_validate(_create(daily_limit="40")).daily_limit == 40


def test_post_bodies_name_unknown_fields_and_patch_bodies_refuse_them() -> None:
    created = CreateSmtpAccountRequest.model_validate(_create(campaign="x", tags=[1]))
    assert created.unknown_fields() == ["campaign", "tags"]
    assert "campaign" not in created.model_dump()
    with pytest.raises(ValidationError):
        UpdateSenderAccountRequest.model_validate({"campaign": "x"})


@pytest.mark.parametrize(
    ("error", "status", "code", "header"),
    [
        (NotFound(), 404, "NOT_FOUND", None),
        (DailyLimitReached(5, 60), 429, "DAILY_LIMIT_REACHED", ("Retry-After", "60")),
        (DependencyUnavailable("KMS", "encrypt"), 503, "SERVICE_UNAVAILABLE", ("Retry-After", "5")),
        (ServiceError("anything new"), 400, None, None),
    ],
)
def test_every_error_renders_its_declared_status_and_code(
    error: ServiceError, status: int, code: str | None, header: tuple[str, str] | None
) -> None:
    response = as_proxy_response(error)
    body = json.loads(response["body"])
    assert response["statusCode"] == status
    assert body.get("error_code") == code
    assert body["detail"] == str(error)
    if header is not None:
        assert response["headers"][header[0]] == header[1]


def test_field_rules_render_as_validation_problems() -> None:
    body = json.loads(as_proxy_response(FieldRuleViolated("daily_limit", "too many"))["body"])
    assert body == {
        "detail": [{"loc": ["body", "daily_limit"], "msg": "too many", "type": "value_error"}],
        "error_code": "VALIDATION_ERROR",
    }


def test_redaction_takes_the_clients_payloads_and_spares_other_text() -> None:
    credentials = [("user@acme.test", "x")]
    reply = f"535 nonexistent.invalid said: AUTH PLAIN {sasl_plain('user@acme.test', 'x')} x"
    cleaned = redact(reply, credentials)
    assert "nonexistent.invalid" in cleaned
    assert sasl_plain("user@acme.test", "x") not in cleaned
    assert cleaned.endswith(REDACTED)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MAIL_STEP_TIMEOUT_SECONDS", "0"),
        ("MAIL_STEP_TIMEOUT_SECONDS", "soon"),
        ("VALIDATION_DEADLINE_SECONDS", "30"),
        ("RATE_LIMIT_PER_MINUTE", "-1"),
        ("ALLOWED_MAIL_PORTS", "25,70000"),
        ("ALLOWED_PRIVATE_NETWORKS", "10.0.0.0/33"),
        ("DOMAIN_OWNERSHIP_CHECK", "trust-me"),
    ],
)
def test_settings_out_of_range_name_their_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidSetting, match=variable):
        Settings.from_environment()


def test_settings_read_networks_and_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLOWED_PRIVATE_NETWORKS", "127.0.0.0/8, ::1/128")
    monkeypatch.setenv("ALLOWED_MAIL_PORTS", "587,993")
    settings = Settings.from_environment()
    assert [str(n) for n in settings.allowed_private_networks] == ["127.0.0.0/8", "::1/128"]
    assert settings.outbound_policy.public_ports == frozenset({587, 993})
