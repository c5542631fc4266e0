"""The scheduled warm-up planner: plans the day of each member whose warm-up day began, and puts
the sends and mailbox checks that came due on their queues."""

import sender_accounts  # noqa: F401  imported first: it pauses garbage collection for the init

# isort: split
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from sender_accounts.adapters.observability import instrumented
from sender_accounts.composition import require, warmup_planner

require(warmup_planner)


def plan(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    return warmup_planner.get().run().model_dump()


lambda_handler = instrumented(plan)
