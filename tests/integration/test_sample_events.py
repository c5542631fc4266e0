"""Every function has a sample event in events/, and runs on it (as `sam local invoke -e`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from local_stack.functions import invoke
from local_stack.runtime import LocalRuntime
from local_stack.samples import seed_sample_workspace
from local_stack.template import PROJECT_ROOT, StackTemplate, load_template
from sender_accounts.warmup.models import PlannerReport

TEMPLATE = StackTemplate(load_template())
SAMPLE_STATUS = {
    "CreateSmtpAccountFunction": 400,  # validated for real: nothing listens on localhost:587 here
    "GetSenderAccountFunction": 200,
    "ListSenderAccountsFunction": 200,
    "DeleteSenderAccountFunction": 200,
    "BulkCreateSmtpAccountsFunction": 202,
    "GetBulkSmtpJobProgressFunction": 200,  # the sample workspace's seeded job
    "BulkDeleteSenderAccountsFunction": 202,
    "GetBulkDeleteJobProgressFunction": 200,  # the sample workspace's seeded job
    "SendTestEmailFunction": 400,  # sent for real: refused at localhost:587
    "UpdateSenderAccountFunction": 200,
    "CreateDomainFunction": 201,
    "ListDomainsFunction": 200,
    "GetDomainFunction": 200,
    "DeleteDomainFunction": 200,
    "CreateNativeAccountFunction": 201,
    "BulkCreateNativeAccountsFunction": 200,
    "CheckSenderAccountFunction": 200,  # checked for real: the result says refused
    "BulkCheckSenderAccountsFunction": 202,  # every DISABLED inbox of the sample workspace
    "GetBulkCheckJobProgressFunction": 200,  # the sample workspace's seeded job
    "CreateOAuthAppFunction": 201,
    "ListOAuthAppsFunction": 200,
    "GetOAuthAppFunction": 200,
    "DeleteOAuthAppFunction": 200,
    "CreateOAuthAccountFunction": 400,  # the provider's token endpoint is out of reach here
    "CreateOAuthAuthorizationFunction": 201,
    "OAuthCallbackFunction": 302,  # back to the app, the code exchange refused (offline)
    "GetWarmupReportFunction": 200,
    "BulkWarmupSenderAccountsFunction": 202,
    "GetBulkWarmupJobProgressFunction": 200,  # the sample workspace's seeded job
    # SmartLead's surface: a failed validation is stored, as SmartLead does (200); the samples'
    # account ids are the sample workspace's (local_stack/sample_accounts.py).
    "SmartLeadSaveAccountFunction": 200,
    "SmartLeadSaveOAuthAccountFunction": 200,
    "SmartLeadListAccountsFunction": 200,
    "SmartLeadGetAccountFunction": 200,
    "SmartLeadUpdateAccountFunction": 200,
    "SmartLeadDeleteAccountFunction": 200,
    "SmartLeadWarmupSettingsFunction": 200,
    "SmartLeadWarmupStatsFunction": 200,
    "SmartLeadSuspensionFunction": 200,
    "SmartLeadReconnectFailedFunction": 200,
    # Webhooks: the sample's URL is on loopback, which the local stack allows; the other
    # samples name the sample workspace's seeded webhooks (local_stack/samples.py). Nothing
    # listens on the samples' URL: test and retry answer with the refused attempt.
    "CreateWebhookFunction": 201,
    "ListWebhooksFunction": 200,
    "GetWebhookFunction": 200,
    "UpdateWebhookFunction": 200,
    "DeleteWebhookFunction": 200,
    "RotateWebhookSecretFunction": 200,
    "TestWebhookFunction": 200,
    "ListWebhookDeliveriesFunction": 200,
    "RetryWebhookDeliveryFunction": 200,
}
# Queue consumers answer a partial-batch response. The samples name no existing job: the
# dead-letter consumer has nothing to fail, and the validator cannot open the sample's
# ciphertext (it was not sealed by this stack's key), so that record is left to be retried.
QUEUE_FAILURES = {
    "BulkValidatorFunction": 1,
    "BulkDeadLetterFunction": 0,
    "BulkDeleteWorkerFunction": 0,
    "HealthCheckWorkerFunction": 0,  # the sample inbox is checked (refused at localhost)
    "WarmupSendWorkerFunction": 0,  # the sample's send was never planned: nothing to send
    "WarmupReceiveWorkerFunction": 0,  # nothing is expected in the sample's mailbox
    "BulkWarmupWorkerFunction": 0,  # the sample inbox's warm-up is turned on
    "WebhookDeliveryWorkerFunction": 0,  # a disconnect; each webhook of its workspace is told
}

SCHEDULED = {
    "HealthSweepFunction": {"due", "queued"},  # what one sweep found and queued
    "WarmupPlannerFunction": set(PlannerReport.model_fields),  # what one run planned and queued
}


def sample_path(logical_id: str) -> Path:
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", logical_id.removesuffix("Function")).lower()
    return PROJECT_ROOT / "events" / f"{snake}.json"


@pytest.mark.parametrize("logical_id", sorted(TEMPLATE.functions()))
def test_function_runs_on_its_sample_event(runtime: LocalRuntime, logical_id: str) -> None:
    event = json.loads(sample_path(logical_id).read_text())
    seed_sample_workspace()  # as `make serve` starts: what an earlier sample changed is back
    if logical_id == TEMPLATE.authorizer_function():
        from sender_accounts.access.api_keys import issue_key
        from sender_accounts.composition import access_store

        workspace_id, _ = issue_key(
            access_store.get(), "samples", api_key=event["headers"]["X-API-Key"]
        )
        policy = invoke(TEMPLATE, logical_id, event)
        assert policy["context"]["workspace_id"] == workspace_id
        assert policy["policyDocument"]["Statement"][0]["Effect"] == "Allow"
        return
    result = invoke(TEMPLATE, logical_id, event)
    if logical_id in SCHEDULED:
        assert set(result) == SCHEDULED[logical_id]
        return
    if logical_id in QUEUE_FAILURES:
        failures = [{"itemIdentifier": r["messageId"]} for r in event["Records"]]
        assert result == {"batchItemFailures": failures[: QUEUE_FAILURES[logical_id]]}
        return
    assert result["statusCode"] == SAMPLE_STATUS[logical_id], result["body"]
    if result["statusCode"] == 302:  # the consent's redirect_uri, told how it ended
        (location,) = result["multiValueHeaders"]["Location"]
        assert location.startswith("https://app.example.com/")
        return
    json.loads(result["body"])


def test_seeding_removes_the_webhooks_the_create_sample_registered(runtime: LocalRuntime) -> None:
    """Otherwise each run of the create sample adds an endpoint the delivery worker's sample
    then delivers to: that sample's work (and its cold request) grows run after run."""
    from local_stack.samples import SAMPLE_WORKSPACE, WEBHOOKS
    from sender_accounts.composition import webhook_store

    seed_sample_workspace()
    sample = "CreateWebhookFunction"
    for _ in range(2):
        created = invoke(TEMPLATE, sample, json.loads(sample_path(sample).read_text()))
        assert created["statusCode"] == 201, created["body"]
    listed = {w.webhook_id for w in webhook_store.get().all(SAMPLE_WORKSPACE)}
    assert len(listed) == len(WEBHOOKS) + 2
    seed_sample_workspace()
    listed = {w.webhook_id for w in webhook_store.get().all(SAMPLE_WORKSPACE)}
    assert listed == {sample.webhook_id for sample in WEBHOOKS}
