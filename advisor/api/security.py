"""Bearer-key checks. Writes always need ``ADVISOR_API_KEY``; reads only when
``ADVISOR_REQUIRE_KEY_FOR_READS`` is set. With no key configured, what needs one is disabled
(403 saying how to enable it): never open. A client that sends more than
``ADVISOR_AUTH_FAILURES_PER_MINUTE`` wrong keys a minute gets 429 (``Retry-After``) for every
key it sends until the minute has passed, the right one included: guessing stays slow.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from advisor.api.deps import SettingsDep
from advisor.api.errors import ApiError
from advisor.api.throttle import Throttle, client_of
from advisor.config import Settings

bearer = HTTPBearer(auto_error=False, description="ADVISOR_API_KEY as a bearer token.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def key_matches(settings: Settings, presented: str | None) -> bool:
    """Constant-time comparison of a presented key with ADVISOR_API_KEY."""
    if settings.api_key is None or presented is None:
        return False
    expected = settings.api_key.get_secret_value().encode()
    return bool(expected) and hmac.compare_digest(presented.encode(), expected)


def auth_throttle(request: Request) -> Throttle:
    return request.app.state.auth_throttle  # type: ignore[no-any-return]


def too_many_failures(wait: int) -> ApiError:
    return ApiError(
        429,
        "too_many_auth_failures",
        f"too many wrong API keys from this client; try again in {wait} s "
        "(ADVISOR_AUTH_FAILURES_PER_MINUTE)",
        {"Retry-After": str(wait)},
    )


def _check(
    settings: Settings,
    credentials: HTTPAuthorizationCredentials | None,
    what: str,
    request: Request,
) -> None:
    if settings.api_key is None or not settings.api_key.get_secret_value():
        raise ApiError(
            403,
            f"{what}_disabled",
            f"{what} are disabled because no API key is configured: set ADVISOR_API_KEY on the "
            "server and send it as 'Authorization: Bearer <key>'",
        )
    if credentials is None:
        raise ApiError(
            401,
            "unauthorized",
            f"{what} need 'Authorization: Bearer <ADVISOR_API_KEY>'",
            _CHALLENGE,
        )
    throttle, client = auth_throttle(request), client_of(request)
    wait = throttle.retry_after(client)
    if wait:
        raise too_many_failures(wait)
    if not key_matches(settings, credentials.credentials):
        throttle.record(client)
        raise ApiError(401, "unauthorized", "the API key is wrong", _CHALLENGE)


def require_write_key(settings: SettingsDep, credentials: Credentials, request: Request) -> None:
    _check(settings, credentials, "writes", request)


def require_read_key(settings: SettingsDep, credentials: Credentials, request: Request) -> None:
    if settings.require_key_for_reads:
        _check(settings, credentials, "reads", request)


def has_valid_key(settings: Settings, credentials: HTTPAuthorizationCredentials | None) -> bool:
    return credentials is not None and key_matches(settings, credentials.credentials)


ReadAccess = Depends(require_read_key)
WriteAccess = Depends(require_write_key)
