"""FeedbackStore (SQLite) and `advisor feedback export`."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from helpers.replies import make_reply
from pydantic import ValidationError

from advisor.api.feedback_store import FeedbackStore
from advisor.cli import main
from advisor.schemas.feedback import FeedbackRecord
from advisor.schemas.reply import AdvisorReply, ChatMessage

CONVO = [ChatMessage(role="user", content="Our wiki changes weekly; answers must cite sources.")]


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "data" / "feedback.sqlite3")


def test_file_is_created_lazily_on_the_first_write(store: FeedbackStore) -> None:
    assert store.records() == [] and not store.path.exists()
    store.add("up", CONVO, make_reply())
    assert store.path.exists()


def test_add_and_records_keep_conversation_reply_and_recommendation(store: FeedbackStore) -> None:
    reply = make_reply()
    first = store.add("up", CONVO, reply, comment="  spot on  ")
    second = store.add("down", [m.model_dump() for m in CONVO], reply.model_dump(mode="json"))
    assert second == first + 1
    records = store.records()
    assert [r.id for r in records] == [first, second]
    assert records[0].rating == "up" and records[0].comment == "spot on"
    assert records[1].rating == "down" and records[1].comment is None
    assert records[0].conversation == CONVO
    assert records[0].reply == reply
    row = sqlite3.connect(store.path).execute(
        "SELECT approach, model, json_extract(recommendation, '$.confidence') FROM feedback"
    ).fetchone()
    assert row == ("rag", "offline", 0.76)


def test_invalid_input_is_refused_and_nothing_is_stored(store: FeedbackStore) -> None:
    with pytest.raises(ValidationError):
        store.add("meh", CONVO, make_reply())  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        store.add("up", CONVO, {"answer": "no recommendation"})
    with pytest.raises(ValidationError):
        store.add("up", CONVO, make_reply(), comment="x" * 5000)
    assert store.records() == []


def test_rating_and_comment_can_be_changed_or_taken_back(store: FeedbackStore) -> None:
    rid = store.add("up", CONVO, make_reply())
    assert store.set_rating(rid, "down") and store.set_comment(rid, "wrong approach")
    record = store.get(rid)
    assert record is not None and (record.rating, record.comment) == ("down", "wrong approach")
    assert store.set_comment(rid, "   ") and store.get(rid).comment is None  # type: ignore[union-attr]
    assert store.delete(rid) and store.get(rid) is None
    assert not store.set_rating(rid, "up") and not store.delete(rid)
    with pytest.raises(ValueError):
        store.set_rating(rid, "sideways")  # type: ignore[arg-type]


def test_export_jsonl_round_trip(store: FeedbackStore, tmp_path: Path) -> None:
    reply = make_reply()
    store.add("up", CONVO, reply, comment="clear")
    # a conversation that already ends with the answer does not get it twice
    store.add("down", [*CONVO, ChatMessage(role="assistant", content=reply.answer)], reply)
    out = tmp_path / "exports" / "feedback.jsonl"
    assert store.export_jsonl(out) == 2
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    first = lines[0]
    assert set(first) == {"id", "created_at", "rating", "comment", "messages", "recommendation",
                          "citations", "situation", "model"}
    assert first["rating"] == "up" and first["comment"] == "clear" and first["model"] == "offline"
    assert first["messages"] == [
        {"role": "user", "content": CONVO[0].content},
        {"role": "assistant", "content": reply.answer},
    ]
    assert lines[1]["messages"] == first["messages"]
    assert first["recommendation"] == reply.recommendation.model_dump(mode="json")
    assert [c["n"] for c in first["citations"]] == [1, 2]
    assert first["situation"]["knowledge_change_frequency"] == "weekly"
    # every line is a valid chat example: roles alternate and end with the assistant
    assert [m["role"] for m in first["messages"]][-1] == "assistant"
    records = store.records()
    assert [r.training_record() for r in records] == lines


def test_concurrent_adds_from_many_threads_all_land(store: FeedbackStore) -> None:
    reply = make_reply()
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            rid = store.add("up" if i % 2 else "down", CONVO, reply, comment=f"c{i}")
            with lock:
                ids.append(rid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(ids) == list(range(1, 25))
    assert sorted(r.comment for r in store.records()) == sorted(f"c{i}" for i in range(24))


def test_two_stores_on_one_file_see_each_other(store: FeedbackStore) -> None:
    other = FeedbackStore(store.path)
    store.add("up", CONVO, make_reply())
    other.add("down", CONVO, make_reply())
    assert [r.rating for r in store.records()] == ["up", "down"]


def test_cli_feedback_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data))
    FeedbackStore(data / "feedback.sqlite3").add("up", CONVO, make_reply(), comment="good")
    out = tmp_path / "out.jsonl"
    assert main(["feedback", "export", "--out", str(out)]) == 0
    assert "1 feedback record" in capsys.readouterr().out
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["comment"] == "good" and record["messages"][-1]["role"] == "assistant"


def test_cli_feedback_export_with_no_feedback_yet(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "empty"))
    out = tmp_path / "out.jsonl"
    assert main(["feedback", "export", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ""
    assert not (tmp_path / "empty" / "feedback.sqlite3").exists()


def test_record_model_accepts_what_the_store_returns(store: FeedbackStore) -> None:
    store.add("up", CONVO, make_reply())
    (record,) = store.records()
    assert isinstance(record, FeedbackRecord) and isinstance(record.reply, AdvisorReply)
    assert record.created_at.tzinfo is not None
