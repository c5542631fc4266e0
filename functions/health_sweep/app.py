"""The scheduled sweep: the inboxes due for a check go on the health queue."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented
from sender_accounts.composition import health_sweep, require

require(health_sweep)


def sweep(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return health_sweep.get().run().as_dict()


lambda_handler = instrumented(sweep)
