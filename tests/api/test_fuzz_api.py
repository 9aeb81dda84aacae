"""Property-based run of the app against its own OpenAPI schema (schemathesis, in-process ASGI).

Every documented operation gets valid (positive) and invalid (negative) generated requests; none
may produce a 5xx, and every response must match the status codes, content types and schemas
the app publishes. Bounded (a few examples per operation and mode) to stay well under a minute.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from helpers.apps import API_KEY, advisor_for, copy_store, settings_for
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from advisor.api import create_app
from advisor.config import load_settings

AUTH = {"Authorization": f"Bearer {API_KEY}"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 12, GenerationMode.NEGATIVE: 6}


def _cases() -> list[tuple[str, GenerationMode]]:
    """(operation, mode) for every documented operation, read from an app that is never called.

    Negative mode only where there is something to get wrong (parameters or a body).
    """
    spec = create_app(load_settings(), advisor=object(), feedback_store=object()).openapi()  # type: ignore[arg-type]
    return [
        (f"{method.upper()} {path}", mode)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        for mode in EXAMPLES
        if mode == GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody")
    ]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory, fitted_data_dir: Path) -> Any:
    data = copy_store(fitted_data_dir, tmp_path_factory.mktemp("fuzz") / "data")
    s = settings_for(data, api_key=API_KEY, max_document_chars=5000)
    app = create_app(s, advisor_for(s))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize(("operation", "mode"), _cases(), ids=lambda v: getattr(v, "value", v))
def test_no_server_errors_and_responses_match_the_schema(
    api_schema: Any, operation: str, mode: GenerationMode
) -> None:
    method, path = operation.split(" ", 1)
    op = api_schema[path][method]

    @given(case=op.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=AUTH, checks=CHECKS)

    run()
