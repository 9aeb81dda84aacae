"""The REST API: ``create_app(settings, advisor=None)`` returns the FastAPI app."""

from advisor.api.app import create_app

__all__ = ["create_app"]
