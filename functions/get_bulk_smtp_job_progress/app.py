"""GET /sender-accounts/smtp/bulk/{job_id}/progress."""

from sender_accounts.access.api_keys import READ_SCOPE
from sender_accounts.bulk.intake import job_progress
from sender_accounts.bulk.models import BulkJobProgressResponse
from sender_accounts.composition import bulk_jobs, events
from sender_accounts.http.edge import api_handler
from sender_accounts.http.resolver import API_PREFIX, caller, create_resolver

app = create_resolver()


@app.get(f"{API_PREFIX}/sender-accounts/smtp/bulk/<job_id>/progress")
def get_bulk_smtp_job_progress(job_id: str) -> BulkJobProgressResponse:
    principal = caller(app, READ_SCOPE)
    return BulkJobProgressResponse(
        job=job_progress(bulk_jobs(), events(), principal.workspace_id, job_id)
    )


lambda_handler = api_handler(app)
