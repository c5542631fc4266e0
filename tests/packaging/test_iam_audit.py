"""The least-privilege audit names exactly the grants no recorded request matched."""

from __future__ import annotations

from local_stack.iam_audit import unused_grants

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/inboxes"


def test_grants_matched_by_a_request_are_not_reported_and_the_rest_are() -> None:
    # Given a function granted three actions, one on a wildcard resource
    table_actions = ["dynamodb:GetItem", "dynamodb:PutItem"]
    identities = "arn:aws:ses:*:*:identity/*"
    statements = [
        {"Effect": "Allow", "Action": table_actions, "Resource": TABLE},
        {"Effect": "Allow", "Action": "ses:SendRawEmail", "Resource": identities},
    ]
    granted = {"GetFunction": [{"Statement": statements}]}
    # When the run recorded a GetItem on the table and a send from one identity
    used = [
        ("GetFunction", "dynamodb:GetItem", TABLE),
        ("GetFunction", "ses:SendRawEmail", "arn:aws:ses:us-east-1:1:identity/acme.test"),
        ("OtherFunction", "dynamodb:PutItem", TABLE),
    ]
    # Then only the PutItem it never made is reported (another function's use does not count)
    assert unused_grants(granted, used) == {"GetFunction": [("dynamodb:PutItem", TABLE)]}
