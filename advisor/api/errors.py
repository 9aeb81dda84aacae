"""One error shape for every API failure, and the mapping from service exceptions to it.

Every 4xx/5xx body is ``{"error": {"code": "...", "message": "...", "details": [...]?}}``:
request validation errors included (their pydantic details travel in ``details``).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from advisor.answer.conversation import ConversationError
from advisor.knowledge.documents import KnowledgeError
from advisor.knowledge.embeddings import EmbedderError
from advisor.knowledge.store import StoreUnavailable
from advisor.llm import LLMConfigError, ModelUnavailable
from advisor.search.retrieval import EmptyQuery

log = logging.getLogger("advisor.api")
BODY_PARSE_ERROR = "There was an error parsing the body"  # fastapi.routing's HTTPException

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    431: "headers_too_large",
    500: "internal_error",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. 'invalid_conversation'.")
    message: str = Field(description="What went wrong and how to fix it, for a human.")
    details: list[dict[str, Any]] | None = Field(
        None, description="Per-field validation errors (loc, msg, type), when there are any."
    )


class ErrorResponse(BaseModel):
    error: ErrorDetail


class ApiError(Exception):
    """An error the API answers with its own status and code."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def error_json(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the error statuses a route can answer."""
    return {
        s: {"model": ErrorResponse, "description": STATUS_CODES.get(s, "error")} for s in statuses
    }


def classify(exc: BaseException) -> tuple[int, str, str, dict[str, str] | None]:
    """(status, code, message, headers) for a service exception; 500 for anything unknown."""
    if isinstance(exc, ApiError):
        return exc.status, exc.code, exc.message, exc.headers
    if isinstance(exc, ConversationError):
        return 422, "invalid_conversation", str(exc), None
    if isinstance(exc, EmptyQuery):
        return 422, "empty_query", f"{exc}: send some words to search for", None
    if isinstance(exc, KnowledgeError):
        return 422, "invalid_document", f"the document cannot be used: {exc}", None
    if isinstance(exc, StoreUnavailable):
        return 503, "store_unavailable", str(exc), {"Retry-After": "5"}
    if isinstance(exc, ModelUnavailable):
        return 503, "model_unavailable", str(exc), {"Retry-After": "5"}
    if isinstance(exc, (LLMConfigError, EmbedderError)):
        return 503, "model_unavailable", str(exc), None
    return (
        500,
        "internal_error",
        "internal error: the advisor failed on this request (logged)",
        None,
    )


def _validation_details(errors: list[Any]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        item = {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        if e.get("ctx"):
            item["ctx"] = jsonable_encoder({k: str(v) for k, v in e["ctx"].items()})
        out.append(item)
    return out


def _where(loc: list[Any]) -> str:
    return ".".join(str(p) for p in loc) or "request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            why = next((e.get("ctx", {}).get("error") for e in errors if e.get("ctx")), "")
            return error_response(
                400,
                "malformed_json",
                f"the request body is not valid JSON{': ' + why if why else ''}",
            )
        details = _validation_details(errors)
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
        return error_response(
            422, "invalid_request", f"{_where(first['loc'])}: {first['msg']}{more}", details=details
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == BODY_PARSE_ERROR:
            # FastAPI's answer when json.loads fails other than by syntax: bytes that are not
            # UTF-8, nesting past the recursion limit. Still a body that is not JSON.
            cause = exc.__cause__
            why = "it is not UTF-8" if isinstance(cause, UnicodeDecodeError) else (
                "it is nested too deeply" if isinstance(cause, RecursionError) else str(cause)
            )
            return error_response(
                400, "malformed_json", f"the request body is not valid JSON: {why}"
            )
        code = STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    async def _service(request: Request, exc: Exception) -> JSONResponse:
        status, code, message, headers = classify(exc)
        if status >= 500:
            log.warning("%s %s -> %s: %s", request.method, request.url.path, status, exc)
        return error_response(status, code, message, headers=headers)

    for exc_type in (
        ApiError,
        ConversationError,
        EmptyQuery,
        KnowledgeError,
        StoreUnavailable,
        LLMConfigError,
        ModelUnavailable,
        EmbedderError,
    ):
        app.add_exception_handler(exc_type, _service)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(
            500, "internal_error", "internal error: the advisor failed on this request (logged)"
        )
