"""/v1/documents: list, add or replace (PUT, idempotent) and delete the advisor's articles.

PUT takes the document either raw (``text/markdown`` with optional front matter,
``text/plain`` or ``text/html``; ``?title=`` optional) or as JSON ``{"text", "title"?,
"author"?, "date"?, "format"?}``. The id comes from the path (a lower-case slug).
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field, ValidationError

from advisor.api.ask import json_response
from advisor.api.deps import AdvisorDep, SettingsDep
from advisor.api.errors import ApiError, responses
from advisor.api.security import ReadAccess, WriteAccess
from advisor.knowledge.documents import KnowledgeError, document_from_text
from advisor.schemas.retrieval import DOC_ID_PATTERN, Document, is_valid_doc_id
from advisor.search.knowledge_base import DocumentInfo

router = APIRouter(prefix="/v1/documents", tags=["knowledge"])

Format = Literal["markdown", "text", "html"]
DocId = Annotated[
    str,
    Path(
        pattern=DOC_ID_PATTERN,
        max_length=128,
        description="Lower-case slug: a-z, 0-9, '.', '_', '-'; no '..'.",
    ),
]
SUFFIXES: dict[str, str] = {"markdown": ".md", "text": ".txt", "html": ".html"}
MEDIA_FORMATS: dict[str, Format] = {
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/plain": "text",
    "text/html": "html",
}


class DocumentIn(BaseModel):
    text: str = Field(min_length=1, description="The document text.")
    title: str | None = Field(
        None, max_length=300, description="Default: front matter or first line."
    )
    author: str | None = Field(None, max_length=300)
    date: str | None = Field(None, max_length=100)
    format: Format = Field("markdown", description="How to read `text`.")


class DocumentWritten(BaseModel):
    id: str
    title: str
    status: Literal["added", "replaced", "unchanged"]
    chunks: int = Field(description="Chunks the document has now.")
    chunks_written: int
    chunks_deleted: int


PUT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": DocumentIn.model_json_schema()},
            "text/markdown": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


def _checked(doc_id: str) -> str:
    if not is_valid_doc_id(doc_id):
        raise ApiError(
            422,
            "invalid_document_id",
            f"invalid document id {doc_id!r}: use a lower-case slug without '..'",
        )
    return doc_id


def _info(advisor: AdvisorDep, doc_id: str) -> DocumentInfo | None:
    return next((d for d in advisor.knowledge.documents() if d.id == doc_id), None)


@router.get(
    "",
    response_model=list[DocumentInfo],
    dependencies=[ReadAccess],
    responses=responses(401, 403, 503),
    summary="List the documents",
)
def list_documents(advisor: AdvisorDep) -> Response:
    docs = advisor.knowledge.documents()
    return Response(json.dumps([d.model_dump() for d in docs]), media_type="application/json")


@router.get(
    "/{doc_id}",
    response_model=DocumentInfo,
    dependencies=[ReadAccess],
    responses=responses(401, 403, 404, 422, 503),
    summary="One document",
)
def get_document(doc_id: DocId, advisor: AdvisorDep) -> Response:
    info = _info(advisor, _checked(doc_id))
    if info is None:
        raise ApiError(404, "document_not_found", f"no document {doc_id!r}")
    return json_response(info)


async def _read_document(
    request: Request, doc_id: str, title: str | None, max_chars: int
) -> Document:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if media == "application/json" or media.endswith("+json"):
        try:
            body = DocumentIn.model_validate_json(raw)
        except ValidationError as exc:
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise ApiError(400, "malformed_json", "the request body is not valid JSON") from exc
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "body"
            raise ApiError(422, "invalid_request", f"body.{where}: {first['msg']}") from exc
        text, fmt, title = body.text, body.format, body.title or title
        author, date = body.author, body.date
    elif media in MEDIA_FORMATS:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApiError(
                422, "invalid_document", f"the body is not UTF-8 text ({exc.reason})"
            ) from exc
        fmt, author, date = MEDIA_FORMATS[media], None, None
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            f"send the document as {', '.join(MEDIA_FORMATS)} or application/json, "
            f"not {media or 'no Content-Type'}",
        )
    if len(text) > max_chars:
        raise ApiError(
            413,
            "document_too_large",
            f"the document has {len(text)} characters (at most {max_chars}, "
            "ADVISOR_MAX_DOCUMENT_CHARS)",
        )
    try:
        return document_from_text(
            text, name=doc_id, suffix=SUFFIXES[fmt], source="api", origin="api",
            doc_id=doc_id, title=title, author=author, date=date,
        )
    except KnowledgeError as exc:
        raise ApiError(422, "invalid_document", f"the document cannot be used: {exc}") from exc


@router.put(
    "/{doc_id}",
    response_model=DocumentWritten,
    dependencies=[WriteAccess],
    responses={
        201: {"model": DocumentWritten, "description": "Added"},
        **responses(400, 401, 403, 413, 415, 422, 503),
    },
    openapi_extra=PUT_BODY,
    summary="Add or replace a document (needs the API key)",
)
async def put_document(
    doc_id: DocId,
    request: Request,
    advisor: AdvisorDep,
    settings: SettingsDep,
    title: Annotated[str | None, Query(max_length=300, description="Title for a raw body.")] = None,
) -> Response:
    from starlette.concurrency import run_in_threadpool

    doc = await _read_document(request, _checked(doc_id), title, settings.max_document_chars)
    report = await run_in_threadpool(advisor.knowledge.put_document, doc)
    info = await run_in_threadpool(_info, advisor, doc.id)
    status = (
        "added"
        if doc.id in report.added
        else "replaced"
        if doc.id in report.replaced
        else "unchanged"
    )
    written = DocumentWritten(
        id=doc.id,
        title=doc.title,
        status=status,
        chunks=info.chunks if info else 0,
        chunks_written=report.chunks_written,
        chunks_deleted=report.chunks_deleted,
    )
    response = json_response(written)
    response.status_code = 201 if status == "added" else 200
    return response


@router.delete(
    "/{doc_id}",
    status_code=204,
    dependencies=[WriteAccess],
    responses=responses(401, 403, 404, 422, 503),
    summary="Delete a document (needs the API key)",
)
def delete_document(doc_id: DocId, advisor: AdvisorDep) -> Response:
    if not advisor.knowledge.delete_document(_checked(doc_id)):
        raise ApiError(404, "document_not_found", f"no document {doc_id!r}")
    return Response(status_code=204)
