"""In-process API apps over a private copy of the session's ingested store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from advisor.config import Settings, load_settings
from advisor.service import Advisor

API_KEY = "test-key-123"


def copy_store(fitted_data_dir: Path, dest: Path) -> Path:
    """A data dir with the embedder and the ingested chunks (nothing to fit, nothing to ingest)."""
    shutil.copytree(fitted_data_dir, dest)
    return dest


def settings_for(data_dir: Path, **overrides: Any) -> Settings:
    return load_settings(data_dir=data_dir, **overrides)


def advisor_for(settings: Settings) -> Advisor:
    return Advisor.from_settings(settings)


def sse_events(lines: list[str]) -> list[tuple[str, str]]:
    """(event, data) pairs of a text/event-stream body, in order ('message' when unnamed)."""
    events, event, data = [], "message", []
    for line in [*lines, ""]:
        if not line:
            if data:
                events.append((event, "\n".join(data)))
            event, data = "message", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    return events


def json_events(lines: list[str], name: str) -> list[dict[str, Any]]:
    return [json.loads(d) for e, d in sse_events(lines) if e == name]
