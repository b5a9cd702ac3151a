"""Responses the hot routes send as they are: JSON written once, not re-checked by FastAPI.

A plain `def` route that returns a model has FastAPI validate it again and serialise it on the
thread pool: a second hand-off per request for a model we have just built and validated. The
routes still declare `response_model`, so the OpenAPI document is unchanged.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response
from pydantic import BaseModel

MEDIA_TYPE = "application/json"


def model_json(model: BaseModel) -> Response:
    """The model as FastAPI would have written it (by alias, nothing left out)."""
    return Response(model.model_dump_json(by_alias=True), media_type=MEDIA_TYPE)


def plain_json(body: Any) -> Response:
    """Plain data (dicts, lists, str enums) in the shape a route's `response_model` documents."""
    return Response(orjson.dumps(body), media_type=MEDIA_TYPE)
