"""Reading evaluation sets: JSONL, one case per line, errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

CaseT = TypeVar("CaseT", bound=BaseModel)


class DatasetError(ValueError):
    """A dataset file that does not follow the contract; names the file and line."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def describe(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(object)'}: {e['msg']}" for e in error.errors()
    )


def load_jsonl(path: str | Path, model: type[CaseT]) -> list[CaseT]:
    """Validate every non-blank line as ``model`` (which has an ``id``); ids must be unique.

    Raises DatasetError for bad JSON, a line that is not an object, an invalid case, a
    duplicate id or a file with no cases; FileNotFoundError if the file is missing.
    """
    path = Path(path)
    cases: list[CaseT] = []
    first_seen: dict[str, int] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw: Any = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(
                path, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        if not isinstance(raw, dict):
            raise DatasetError(path, lineno, f"expected a JSON object, got {type(raw).__name__}")
        try:
            case = model.model_validate(raw)
        except ValidationError as exc:
            raise DatasetError(path, lineno, f"invalid case: {describe(exc)}") from None
        case_id = str(getattr(case, "id"))
        if case_id in first_seen:
            raise DatasetError(
                path, lineno, f"duplicate id {case_id!r} (first used on line {first_seen[case_id]})"
            )
        first_seen[case_id] = lineno
        cases.append(case)
    if not cases:
        raise DatasetError(path, None, "no cases in file")
    return cases
