"""The base of every model of the API. Schemas are built when a model is first used, not when
its module is imported: a function builds the few models its route uses, not all of them
(pydantic's `defer_build`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
