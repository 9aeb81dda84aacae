"""The REST API: ``create_app(settings, advisor=None)`` returns the FastAPI app; the served app
with the page mounted (``server``), its bounded HTTP protocol (``http_protocol``) and the
feedback store (``feedback_store``).

May import: the service and everything below it. Never ``ui`` or ``evals`` (the CLI passes the
page builder in)."""

from advisor.api.app import create_app

__all__ = ["create_app"]
