"""make serve passes the product's settings from its own environment to every function."""

from __future__ import annotations

from local_stack.serve import settings_from_environment
from local_stack.template import StackTemplate, load_template


def test_make_serve_takes_the_functions_settings_from_its_environment() -> None:
    template = StackTemplate(load_template())
    chosen = settings_from_environment(
        template,
        {
            "CHECK_MIN_INTERVAL_SECONDS": "5",
            "DNS_NAMESERVERS": "127.0.0.1:5353",
            "MAIL_STEP_TIMEOUT_SECONDS": "3",
            "POWERTOOLS_LOG_LEVEL": "DEBUG",
            "TABLE_NAME": "not-a-setting",
            "RATE_LIMIT_PER_MINUTE": "",
        },
    )
    assert chosen == {
        "CHECK_MIN_INTERVAL_SECONDS": "5",
        "DNS_NAMESERVERS": "127.0.0.1:5353",
        "MAIL_STEP_TIMEOUT_SECONDS": "3",
        "POWERTOOLS_LOG_LEVEL": "DEBUG",
    }
