"""Server-sent events over a synchronous iterator that the service produces.

The first item is pulled *before* the response starts (in the thread pool), so a request the
service rejects (bad conversation, store down) still gets a proper 4xx/5xx JSON answer. A failure
after the stream has started is sent as one last event carrying the usual error body.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from advisor.api.errors import classify, error_json

T = TypeVar("T")
log = logging.getLogger("advisor.api")

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_END = object()


def sse(data: str, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return head + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"


def error_event(exc: BaseException) -> dict[str, Any]:
    status, code, message, _ = classify(exc)
    if status >= 500:
        log.warning("stream failed after it started: %s", exc, exc_info=status == 500)
    return error_json(status, code, message)


async def started(produce: Callable[[], Iterable[T]]) -> Iterator[T]:
    """Create the iterator and pull its first item in the thread pool; errors raise here."""

    def first() -> Iterator[T]:
        it = iter(produce())
        head = next(it, _END)
        return it if head is _END else _prepend(head, it)  # type: ignore[arg-type]

    return await run_in_threadpool(first)


def _prepend(head: T, rest: Iterator[T]) -> Iterator[T]:
    yield head
    yield from rest


def event_stream(lines: Iterator[str]) -> StreamingResponse:
    return StreamingResponse(lines, media_type="text/event-stream", headers=SSE_HEADERS)
