"""Question keys: sidecar files of questions a document answers, carried by the chunks that hold
an answer, stored with them, and searched as extra keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.config import Settings
from advisor.knowledge.chunking import chunk_document
from advisor.knowledge.documents import load_folder
from advisor.knowledge.question_keys import SUFFIX, fold, load_questions, questions_in
from advisor.schemas.retrieval import Document, QuestionKey
from advisor.search.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[2]
DOC = Document(id="notes", title="Notes", text=(
    "# Storage\n\nThe archive keeps every invoice for seven years in cold storage.\n\n"
    "# Speed\n\nReplies arrive within two hundred milliseconds for most lookups.\n"
))


def _write(path: Path, *lines: object) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def test_load_questions_keeps_good_lines_and_names_bad_ones(tmp_path: Path) -> None:
    side = _write(
        tmp_path / f"notes{SUFFIX}",
        {"question": "How long are bills kept?", "answers": ["every invoice for seven years"]},
        "{not json",
        {"question": "Is it quick?"},
        {"question": "Where is it hosted?", "answers": ["in a data centre in Oslo"]},
        "",
        {"question": "How fast are  answers?\n", "answers": ["Replies arrive within two hundred"]},
    )
    keys, problems = load_questions(side, DOC)
    assert [k.question for k in keys] == ["How long are bills kept?", "How fast are answers?"]
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3", "line 4"]
    assert "answer not in notes" in problems[2]


def test_answers_match_across_case_whitespace_and_curly_quotes() -> None:
    assert fold("It’s  “Fast”\n— really") == fold("it's \"fast\" - REALLY")


def test_a_chunk_carries_the_questions_it_answers_and_its_id_hashes_them() -> None:
    plain = chunk_document(DOC, max_chars=80, overlap=0)
    keyed_doc = DOC.model_copy(update={"questions": [
        QuestionKey(question="How long are bills kept?", answers=["seven years in cold storage"]),
    ]})
    keyed = chunk_document(keyed_doc, max_chars=80, overlap=0)
    holder = [c for c in keyed if "seven years" in c.text]
    assert holder and all(c.questions == ["How long are bills kept?"] for c in holder)
    assert all(c.questions == [] for c in keyed if c not in holder)
    # only the chunks whose keys changed get new ids: re-ingest replaces exactly those
    for before, after in zip(plain, keyed, strict=True):
        assert (before.id != after.id) == (after in holder)
    assert questions_in(keyed_doc, "nothing relevant") == []


def test_a_sidecar_is_loaded_with_its_document_not_as_one(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(DOC.text, encoding="utf-8")
    _write(tmp_path / f"notes{SUFFIX}",
           {"question": "How long are bills kept?", "answers": ["seven years"]},
           {"question": "Who wrote it?", "answers": ["not in the text"]})
    report = load_folder(tmp_path)
    assert [d.id for d in report.documents] == ["notes"]
    assert [k.question for k in report.documents[0].questions] == ["How long are bills kept?"]
    assert list(report.failures) == [str(tmp_path / f"notes{SUFFIX}")]
    assert "line 2: answer not in notes" in report.failures[str(tmp_path / f"notes{SUFFIX}")]


def test_shipped_articles_have_question_keys_for_every_chunk() -> None:
    report = load_folder(ROOT / "knowledge")
    assert not report.failures, report.failures
    for doc in report.documents:
        assert len(doc.questions) >= 30, doc.id
        for chunk in chunk_document(doc):
            assert chunk.questions, f"{chunk.id} ({chunk.section}) has no question key"


def test_keys_survive_the_store_and_editing_them_replaces_exactly_their_chunks(
    settings: Settings, knowledge_copy: Path
) -> None:
    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    stored = {s.chunk.id: s.chunk for s in kb.store.all_chunks()}
    assert all(c.questions for c in stored.values()), "the keys are stored with the chunks"
    before = kb.store.documents_index()
    side = knowledge_copy / f"rag-vs-fine-tuning-decision-framework{SUFFIX}"
    with side.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"question": "Is a vector index worth it for a one-page FAQ?",
                            "answers": ["The knowledge corpus is large (100MB+)"]}) + "\n")
    report = kb.ingest_folder(knowledge_copy)
    assert report.replaced == ["rag-vs-fine-tuning-decision-framework"] and not report.added
    assert report.chunks_written == report.chunks_deleted >= 1
    after = kb.store.documents_index()
    assert all(after[d].chunk_ids == before[d].chunk_ids for d in before
               if d != "rag-vs-fine-tuning-decision-framework")
    again = kb.ingest_folder(knowledge_copy)
    assert again.chunks_written == again.chunks_deleted == 0


def test_a_question_meets_its_passage_through_a_key(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question shares no content word with the passage, only with the key."""
    from advisor.search import retrieval
    folder = tmp_path / "docs"
    folder.mkdir()
    texts = {
        "archive": "# Retention\n\nThe archive keeps every invoice for seven years in cold storage.",
        "speed": "# Latency\n\nReplies arrive within two hundred milliseconds for most lookups.",
        "people": "# Team\n\nThe platform group owns the billing service and its on-call rota.",
    }
    for name, text in texts.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    _write(folder / f"archive{SUFFIX}",
           {"question": "How long do we hold on to old bills?", "answers": ["every invoice"]})
    kb = KnowledgeBase(settings)
    kb.ingest_folder(folder)
    question = "how long do you hold on to old bills"
    assert kb.search(question, 3).passages[0].doc_id == "archive"
    monkeypatch.setattr(retrieval, "KEY_WEIGHT", 0.0)
    assert all(p.doc_id != "archive" for p in kb.search(question, 3).passages[:1])


def test_a_chunk_scores_its_best_key_plus_a_quarter_of_each_agreeing_one() -> None:
    """Several anticipated questions like the user's outweigh one, but only up to KEY_TOP keys
    count, so the passages with the most keys cannot win on numbers alone."""
    from advisor.knowledge.ingest import stored_chunks
    from advisor.search import retrieval

    def doc(doc_id: str, text: str, copies: int) -> Document:
        # the same words in different orders: distinct keys, each scoring like the best one
        words = ["old bills", "how long", "do we hold on to"]
        keys = [QuestionKey(question=" ".join(words[n % 3:] + words[:n % 3]) + "?" * (n // 3 + 1),
                            answers=[text[:20]]) for n in range(copies)]
        return Document(id=doc_id, title=doc_id, text=text, questions=keys)

    docs = [doc("one", "The archive keeps every invoice for seven years.", 1),
            doc("three", "Invoices older than a year move to cold storage.", 3),
            doc("eight", "Bills are shredded once the retention period ends.", 8),
            Document(id="none", title="none", text="Replies arrive within two hundred ms.")]
    chunks = [s for d in docs for s in stored_chunks(d, 1200, 200)]
    index = retrieval._LexicalIndex.build("test", chunks)
    words = retrieval._query_groups("how long do you hold on to old bills")[0]
    scores = dict(zip((s.chunk.doc_id for s in chunks), index._key_scores(words, 0.0)))
    extra = retrieval.KEY_AGREEMENT
    assert scores["one"] == pytest.approx(1.0)
    assert scores["three"] == pytest.approx(1.0 + 2 * extra)
    assert scores["eight"] == pytest.approx(1.0 + (retrieval.KEY_TOP - 1) * extra)
    assert scores["none"] == 0.0
