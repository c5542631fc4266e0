"""Per-workspace rate limits: a fixed one-minute window counted atomically in DynamoDB, so
the limit holds across any number of concurrent functions at one write per request. One
limiter counts one thing (`kind`): API requests, or the mail connections a workspace causes."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sender_accounts.adapters.observability import logger

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_at: int  # epoch seconds when the window ends

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_at),
        }

    def retry_after(self, now: float) -> int:
        return max(1, int(self.reset_at - now))


class RateLimiter:
    def __init__(
        self, dynamodb: Any, table: str, limit_per_minute: int, kind: str = "rate"
    ) -> None:
        self._db = dynamodb
        self._table = table
        self._limit = limit_per_minute
        self._kind = kind

    def hit(self, workspace_id: str, now: float | None = None, count: int = 1) -> RateDecision:
        now = time.time() if now is None else now
        window = int(now // WINDOW_SECONDS) * WINDOW_SECONDS
        reset_at = window + WINDOW_SECONDS
        if self._limit <= 0 or not self._table:
            return RateDecision(True, self._limit, self._limit, reset_at)
        try:
            response = self._db.update_item(
                TableName=self._table,
                Key={"id": {"S": f"{self._kind}#{workspace_id}#{window}"}},
                UpdateExpression="ADD hits :one SET expiration = if_not_exists(expiration, :exp)",
                ExpressionAttributeValues={
                    ":one": {"N": str(count)},
                    ":exp": {"N": str(reset_at + WINDOW_SECONDS)},
                },
                ReturnValues="UPDATED_NEW",
            )
        except (ClientError, BotoCoreError):
            # Counting failed: serve the request rather than refuse everyone (fail open).
            logger.warning("rate limit not counted")
            return RateDecision(True, self._limit, self._limit, reset_at)
        hits = int(response["Attributes"]["hits"]["N"])
        return RateDecision(hits <= self._limit, self._limit, max(0, self._limit - hits), reset_at)
