"""What a failed chat-model call means: the model is unavailable, it refused the request's form,
or it answered but not in the shape asked for.

Provider SDKs raise their own exception types; they are told apart by duck typing (a
``status_code`` on the exception or its ``response``, connection and timeout classes by name),
so the advisor imports no provider package here.
"""

from __future__ import annotations

from typing import Literal

Failure = Literal["unavailable", "refused", "invalid"]

# Statuses with which a reachable server says it will not take the request in this form (an
# unsupported response_format, tools, a parameter it does not know). 5xx is included because
# llama.cpp's server answers 500 to a json_schema response_format.
REFUSAL_STATUSES = {400, 404, 405, 415, 422, 500, 501}
_UNAVAILABLE_NAMES = ("Timeout", "ConnectError", "ConnectionError", "APIConnectionError",
                      "RemoteProtocolError", "ReadError", "NetworkError")


class ModelUnavailable(RuntimeError):
    """The configured chat model cannot be reached, or it did not answer in time."""


def status_code(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    if code is None:
        code = getattr(getattr(exc, "response", None), "status_code", None)
    return code if isinstance(code, int) else None


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, (ModelUnavailable, ConnectionError, TimeoutError)):
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return any(n.endswith(suffix) for n in names for suffix in _UNAVAILABLE_NAMES)


def classify_failure(exc: BaseException) -> Failure:
    """``unavailable``: unreachable, timed out, overloaded; ``refused``: the server turned the
    request's form down; ``invalid``: anything else (output that does not parse or validate)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:  # look through wrapped causes
        seen.add(id(current))
        if _unavailable(current):
            return "unavailable"
        code = status_code(current)
        if code is not None:
            if code in (408, 429, 502, 503, 504):
                return "unavailable"
            return "refused" if code in REFUSAL_STATUSES else "unavailable"
        if isinstance(current, NotImplementedError):
            return "refused"
        current = current.__cause__ or current.__context__
    return "invalid"


def unavailable(exc: BaseException, timeout_s: float | None = None) -> ModelUnavailable:
    """The ModelUnavailable to raise for a failure ``classify_failure`` called unavailable."""
    if isinstance(exc, ModelUnavailable):
        return exc
    names = {cls.__name__ for cls in type(exc).__mro__}
    if timeout_s is not None and (isinstance(exc, TimeoutError)
                                  or any("Timeout" in n for n in names)):
        message = f"the chat model did not answer within {timeout_s:g} s"
    else:
        message = f"the chat model cannot be reached: {type(exc).__name__}: {exc}"
    return ModelUnavailable(message)
