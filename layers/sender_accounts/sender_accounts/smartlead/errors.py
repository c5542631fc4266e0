"""SmartLead's own error answers, besides our `error_code` (http/smartlead_edge.py gives every
other error of this surface SmartLead's `ok`, `message` and `error`)."""

from __future__ import annotations

from typing import Any

from sender_accounts.errors import ServiceError

NOT_FOUND_MESSAGE = "Email account not found!"


class AccountNotFound(ServiceError):
    """No account with this integer id in the caller's workspace (another workspace's reads
    the same: its existence is not told)."""

    status, error_code = 404, "ACCOUNT_NOT_FOUND"

    def __init__(self, account_id: int) -> None:
        super().__init__(NOT_FOUND_MESSAGE)
        self.account_id = account_id

    def body(self) -> dict[str, Any]:
        return {
            "ok": False,
            "detail": NOT_FOUND_MESSAGE,
            "message": NOT_FOUND_MESSAGE,
            "error": f"No email account with id {self.account_id} in this workspace",
            "errorCode": self.error_code,
            "error_code": self.error_code,
            "emailAccountId": self.account_id,
        }


class SuspensionTargetMissing(ServiceError):
    """Suspend and unsuspend answer an unknown account with a 400, as SmartLead does."""

    status, error_code = 400, "ACCOUNT_NOT_FOUND"
    MESSAGE = "Email account not found or does not belong to you"

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)

    def body(self) -> dict[str, Any]:
        return {
            "success": False,
            "ok": False,
            "detail": self.MESSAGE,
            "message": self.MESSAGE,
            "error": self.MESSAGE,
            "error_code": self.error_code,
        }


class FieldsInvalid(ServiceError):
    """422 naming SmartLead's fields (not the names they are stored under)."""

    status, error_code = 422, "VALIDATION_ERROR"

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(f"{p['loc'][-1]}: {p['msg']}" for p in problems))
        self.problems = problems

    def body(self) -> dict[str, Any]:
        return {"detail": self.problems, "error_code": self.error_code}


def missing(*fields: str) -> FieldsInvalid:
    return FieldsInvalid(
        [{"loc": ["body", name], "msg": "Field required", "type": "missing"} for name in fields]
    )
