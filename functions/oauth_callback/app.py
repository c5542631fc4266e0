"""GET /oauth/callback: where the provider sends the user's browser after consent. No API key:
the single-use state authenticates. Answers with a redirect to the consent's redirect_uri."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Annotated

from aws_lambda_powertools.event_handler import Depends, Response

from sender_accounts.composition import consents
from sender_accounts.http.documentation import documented
from sender_accounts.http.edge import public_handler
from sender_accounts.http.resolver import API_PREFIX, create_resolver
from sender_accounts.oauth.consent import ConsentFlow

app = create_resolver()


@app.get(
    f"{API_PREFIX}/oauth/callback",
    summary="The provider's redirect after consent (no API key)",
    description=(
        "Exchanges the code, connects the mailbox and redirects (302) to the consent's redirect_uri"
        " with inbox_id, or with error and error_code. 400 for a state never issued."
    ),
    tags=["oauth"],
    responses=documented(302, 400, public=True),
)
def oauth_callback(service: Annotated[ConsentFlow, Depends(consents.get)]) -> Response[str]:
    query = {k: v for k, v in (app.current_event.query_string_parameters or {}).items() if v}
    location = service.finish(query)
    return Response(
        status_code=302,
        content_type="text/plain",
        body="",
        headers={
            "Location": location,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


lambda_handler = public_handler(app, consents)
