"""FeedbackStore: thumbs up/down on replies, kept in SQLite under the data directory.

One connection per call (behind a lock) keeps it safe to share between the web page's worker
threads and the API; SQLite's own locking (with a busy timeout) covers other processes such as
``advisor feedback export``. The file and table are created on the first write.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.schemas.feedback import FeedbackIn, FeedbackRecord, Rating, clean_comment
from advisor.schemas.reply import AdvisorReply, ChatMessage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT NOT NULL,
    rating       TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment      TEXT,
    conversation TEXT NOT NULL,  -- JSON list of {role, content}: what was sent for this reply
    reply        TEXT NOT NULL,  -- JSON AdvisorReply (answer, citations, situation, ...)
    recommendation TEXT NOT NULL, -- JSON Recommendation (also inside reply; kept for queries)
    approach     TEXT NOT NULL,
    model        TEXT NOT NULL
)
"""
_COLUMNS = "id, created_at, rating, comment, conversation, reply"


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self, *, create: bool = True) -> Iterator[sqlite3.Connection | None]:
        with self._lock:
            if not create and not self.path.exists():
                yield None
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                if not self._ready:
                    conn.execute(_SCHEMA)
                    self._ready = True
                with conn:  # one transaction: commit on success, roll back on error
                    yield conn
            finally:
                conn.close()

    # ---- writing ------------------------------------------------------------------------
    def add(
        self,
        rating: Rating,
        conversation: Sequence[ChatMessage | dict[str, Any]],
        reply: AdvisorReply | dict[str, Any],
        comment: str | None = None,
    ) -> int:
        """Store a rating of ``reply`` (the conversation is what was sent for it); returns its id."""
        item = FeedbackIn(rating=rating, conversation=list(conversation), reply=reply,
                          comment=comment)
        row = (
            datetime.now(UTC).isoformat(timespec="milliseconds"),
            item.rating,
            item.comment,
            json.dumps([m.model_dump() for m in item.conversation], ensure_ascii=False),
            item.reply.model_dump_json(),
            item.reply.recommendation.model_dump_json(),
            item.reply.recommendation.approach,
            item.reply.model,
        )
        with self._connect() as conn:
            assert conn is not None
            cur = conn.execute(
                "INSERT INTO feedback (created_at, rating, comment, conversation, reply,"
                " recommendation, approach, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            return int(cur.lastrowid or 0)

    def set_rating(self, record_id: int, rating: Rating) -> bool:
        """Change a rating (a person switched thumbs); False when there is no such record."""
        if rating not in ("up", "down"):
            raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
        return self._update("UPDATE feedback SET rating = ? WHERE id = ?", (rating, record_id))

    def set_comment(self, record_id: int, comment: str | None) -> bool:
        """Attach (or clear) the comment of a record; False when there is no such record."""
        text = clean_comment(comment)
        return self._update("UPDATE feedback SET comment = ? WHERE id = ?", (text, record_id))

    def delete(self, record_id: int) -> bool:
        """Remove a record (a person took their rating back)."""
        return self._update("DELETE FROM feedback WHERE id = ?", (record_id,))

    def _update(self, sql: str, params: tuple[Any, ...]) -> bool:
        with self._connect(create=False) as conn:
            return conn is not None and conn.execute(sql, params).rowcount > 0

    # ---- reading --------------------------------------------------------------------------
    def records(self) -> list[FeedbackRecord]:
        """Every record, oldest first (an empty list when nothing was ever stored)."""
        with self._connect(create=False) as conn:
            rows = [] if conn is None else conn.execute(
                f"SELECT {_COLUMNS} FROM feedback ORDER BY id"
            ).fetchall()
        return [_record(row) for row in rows]

    def get(self, record_id: int) -> FeedbackRecord | None:
        with self._connect(create=False) as conn:
            row = None if conn is None else conn.execute(
                f"SELECT {_COLUMNS} FROM feedback WHERE id = ?", (record_id,)
            ).fetchone()
        return None if row is None else _record(row)

    def export_jsonl(self, out: Path) -> int:
        """Write every record as one JSON object a line (see FeedbackRecord.training_record)."""
        records = self.records()
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record.training_record(), ensure_ascii=False) + "\n")
        return len(records)


def _record(row: tuple[Any, ...]) -> FeedbackRecord:
    record_id, created_at, rating, comment, conversation, reply = row
    return FeedbackRecord(
        id=record_id,
        created_at=datetime.fromisoformat(created_at),
        rating=rating,
        comment=comment,
        conversation=json.loads(conversation),
        reply=AdvisorReply.model_validate_json(reply),
    )
