"""One exception handler, one JSON error shape: `{"error": {"code", "message", "status", "details"}}`.

Our own errors carry their status and code; FastAPI's validation errors and HTTP exceptions (an unknown
route, a wrong method) are folded into the same shape; a Neo4j driver error that escapes a store is a
503, and anything unexpected a 500 that says nothing of its internals.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.models import ErrorResponse
from graph.exc import AuthError, NarrativeGraphError

log = logging.getLogger(__name__)

_HTTP_CODES = {
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    503: "store_unavailable",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: Sequence[dict[str, Any]] = (),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """The one error shape as a response."""
    body = {"error": {"code": code, "message": message, "status": status, "details": list(details)}}
    return JSONResponse(body, status_code=status, headers=headers)


def _where(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"query", "path", "body", "header"}:
        kind, rest = parts[0], parts[1:]
        return (
            f"{kind} parameter {'.'.join(rest)!r}"
            if kind != "body" and rest
            else (f"body field {'.'.join(rest)!r}" if rest else "request body")
        )
    return ".".join(parts) or "request"


def _validation(exc: RequestValidationError) -> JSONResponse:
    details = []
    for err in exc.errors():
        loc = err.get("loc", ())
        details.append(
            {
                "field": ".".join(str(p) for p in loc),
                "message": err.get("msg", ""),
                "type": err.get("type", ""),
            }
        )
    first = exc.errors()[0] if exc.errors() else {}
    message = f"{_where(first.get('loc', ()))}: {first.get('msg', 'invalid')}" if first else "invalid request"
    if len(details) > 1:
        message += f" (and {len(details) - 1} more)"
    return error_response(422, "invalid_input", message, details)


def _is_driver_unavailable(exc: BaseException) -> bool:
    try:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired
    except ImportError:  # pragma: no cover - neo4j is a dependency
        return False
    return isinstance(exc, (ServiceUnavailable, SessionExpired))


def install_error_handlers(app: FastAPI) -> None:
    """Registers the handlers that give every error the one shape."""

    @app.exception_handler(NarrativeGraphError)
    async def _ours(request: Request, exc: NarrativeGraphError) -> JSONResponse:
        headers = (
            {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthError) and exc.status_code == 401 else None
        )
        if exc.status_code >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        return error_response(exc.status_code, exc.code, str(exc), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        code = _HTTP_CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
        message = str(exc.detail) if exc.detail else HTTPStatus(status).phrase
        if status == 404 and message == "Not Found":
            message = f"no route {request.url.path!r}"
        return error_response(status, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if _is_driver_unavailable(exc):
            log.warning("%s %s: store unreachable: %s", request.method, request.url.path, exc)
            return error_response(503, "store_unavailable", f"the graph store cannot be reached: {exc}")
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")


AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "The bearer token is missing or wrong."},
    403: {"model": ErrorResponse, "description": "No API token is configured, so this is disabled."},
}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES,
    422: {"model": ErrorResponse, "description": "A parameter is invalid or exceeds a limit."},
    503: {"model": ErrorResponse, "description": "The graph store cannot be reached."},
}
BODY_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    400: {"model": ErrorResponse, "description": "The request body cannot be parsed."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No node with this id."}
}
