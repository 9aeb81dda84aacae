"""Request dependencies: the settings, the Advisor and the feedback store the app was built with."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from advisor.api.feedback_store import FeedbackStore
from advisor.config import Settings
from advisor.service import Advisor


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_advisor(request: Request) -> Advisor:
    return request.app.state.advisor


def get_feedback_store(request: Request) -> FeedbackStore:
    return request.app.state.feedback_store


SettingsDep = Annotated[Settings, Depends(get_settings)]
AdvisorDep = Annotated[Advisor, Depends(get_advisor)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback_store)]
