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
    "CreateSmtpAccountFunction": 400,  # nothing listens on localhost:587 here
    "GetSenderAccountFunction": 404,
    "ListSenderAccountsFunction": 200,
    "DeleteSenderAccountFunction": 404,
    "BulkCreateSmtpAccountsFunction": 202,
    "GetBulkSmtpJobProgressFunction": 200,  # the sample workspace's seeded job
    "BulkDeleteSenderAccountsFunction": 202,
    "GetBulkDeleteJobProgressFunction": 200,  # the sample workspace's seeded job
    "SendTestEmailFunction": 404,
    "UpdateSenderAccountFunction": 404,
    "CreateDomainFunction": 201,
    "ListDomainsFunction": 200,
    "GetDomainFunction": 404,
    "DeleteDomainFunction": 404,
    "CreateNativeAccountFunction": 404,
    "BulkCreateNativeAccountsFunction": 404,
    "CheckSenderAccountFunction": 404,
    "BulkCheckSenderAccountsFunction": 202,  # every DISABLED inbox of the sample workspace
    "GetBulkCheckJobProgressFunction": 200,  # the sample workspace's seeded job
    "CreateOAuthAppFunction": 201,
    "ListOAuthAppsFunction": 200,
    "GetOAuthAppFunction": 404,
    "DeleteOAuthAppFunction": 404,
    "CreateOAuthAccountFunction": 422,  # the sample's app is not in the sample workspace
    "CreateOAuthAuthorizationFunction": 422,  # likewise
    "OAuthCallbackFunction": 400,  # a state never issued
    "GetWarmupReportFunction": 404,
    "BulkWarmupSenderAccountsFunction": 202,
    "GetBulkWarmupJobProgressFunction": 200,  # the sample workspace's seeded job
    # SmartLead's surface: a failed validation is stored, as SmartLead does (200); the samples'
    # account id 4242 is not in the sample workspace.
    "SmartLeadSaveAccountFunction": 200,
    "SmartLeadSaveOAuthAccountFunction": 422,  # the sample workspace has no Google OAuth app
    "SmartLeadListAccountsFunction": 200,
    "SmartLeadGetAccountFunction": 404,
    "SmartLeadUpdateAccountFunction": 404,
    "SmartLeadDeleteAccountFunction": 404,
    "SmartLeadWarmupSettingsFunction": 404,
    "SmartLeadWarmupStatsFunction": 404,
    "SmartLeadSuspensionFunction": 400,  # SmartLead answers an unknown id here with a 400
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
    "HealthCheckWorkerFunction": 0,  # the sample's inbox does not exist: nothing to check
    "WarmupSendWorkerFunction": 0,  # the sample's send was never planned: nothing to send
    "WarmupReceiveWorkerFunction": 0,  # nothing is expected in the sample's mailbox
    "BulkWarmupWorkerFunction": 0,  # the sample's inbox does not exist: its row is skipped
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
    json.loads(result["body"])
