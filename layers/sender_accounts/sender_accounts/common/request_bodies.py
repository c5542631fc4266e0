"""POST bodies accept fields they do not know (ColdSend clients may send extra ones) and name
them in the answer's `warnings`; PATCH bodies refuse them (a typo there would change nothing
and say nothing). Unknown values are dropped at once, so they are never stored or queued."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import ConfigDict, Field, PrivateAttr, model_validator
from pydantic_core.core_schema import ValidatorFunctionWrapHandler

from sender_accounts.common.model import Model


class PostBody(Model):
    model_config = ConfigDict(extra="ignore", defer_build=True)

    _unknown: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _note_unknown_fields(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, PostBody):
            model._unknown = sorted(str(key) for key in data if key not in cls.model_fields)
        return model

    def unknown_fields(self, prefix: str = "") -> list[str]:
        """Every ignored field, nested ones as `inboxes[3].field`."""
        found = [f"{prefix}{name}" for name in self._unknown]
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, PostBody):
                found.extend(value.unknown_fields(f"{prefix}{name}."))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, PostBody):
                        found.extend(item.unknown_fields(f"{prefix}{name}[{index}]."))
        return found


class PatchBody(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class WithWarnings(Model):
    """An answer to a POST: `warnings` names the request's unknown fields, absent when none."""

    warnings: list[str] | None = Field(default=None, exclude_if=lambda value: value is None)


AnswerT = TypeVar("AnswerT", bound=WithWarnings)


def warned(answer: AnswerT, request: PostBody) -> AnswerT:
    unknown = request.unknown_fields()
    if unknown:
        ignored = [f"Unknown field ignored: {name}" for name in unknown]
        answer.warnings = [*(answer.warnings or []), *ignored]
    return answer
