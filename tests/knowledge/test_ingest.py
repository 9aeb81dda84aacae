"""Ingest never duplicates or loses: idempotent, replaces exactly, deletes what left."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from advisor.config import Settings
from advisor.knowledge.documents import KnowledgeError, load_folder
from advisor.schemas.retrieval import Document
from advisor.search.knowledge_base import KnowledgeBase


def test_reingest_unchanged_corpus_writes_nothing(settings: Settings, knowledge_copy: Path) -> None:
    kb = KnowledgeBase(settings)
    first = kb.ingest_folder(knowledge_copy)
    assert len(first.added) == 5 and first.chunks_written == kb.store.count() > 0
    revision = kb.store.revision()
    again = kb.ingest_folder(knowledge_copy)
    assert again.added == again.replaced == again.removed == []
    assert len(again.unchanged) == 5 and again.chunks_written == again.chunks_deleted == 0
    assert kb.store.revision() == revision, "an unchanged corpus must not even bump the revision"
    assert kb.store.count() == first.chunks_written


def test_changed_document_replaces_exactly_its_chunks(settings: Settings, knowledge_copy: Path) -> None:
    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    before = kb.store.documents_index()
    path = knowledge_copy / "decision-nobody-is-making-clearly.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA closing note on evaluation harnesses.\n",
                    encoding="utf-8")
    report = kb.ingest_folder(knowledge_copy)
    assert report.replaced == ["decision-nobody-is-making-clearly"] and not report.added
    after = kb.store.documents_index()
    for doc_id in before:
        if doc_id != "decision-nobody-is-making-clearly":
            assert after[doc_id].chunk_ids == before[doc_id].chunk_ids
    changed_old = before["decision-nobody-is-making-clearly"].chunk_ids
    changed_new = after["decision-nobody-is-making-clearly"].chunk_ids
    assert changed_new != changed_old
    assert report.chunks_written == len(changed_new - changed_old)
    assert report.chunks_deleted == len(changed_old - changed_new)
    found = kb.search("evaluation harnesses closing note", 3).passages
    assert any("evaluation harnesses" in p.text for p in found)


def test_removed_document_is_deleted_but_other_origins_stay(
    settings: Settings, knowledge_copy: Path, tmp_path: Path
) -> None:
    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    kb.put_document(Document(id="team-notes", title="Team notes", text="Our own notes on LoRA adapters."))
    (knowledge_copy / "fine-tuning-vs-rag-for-builders.md").unlink()
    report = kb.ingest_folder(knowledge_copy)
    assert report.removed == ["fine-tuning-vs-rag-for-builders"]
    ids = {d.id for d in kb.documents()}
    assert "fine-tuning-vs-rag-for-builders" not in ids and "team-notes" in ids


def test_the_configured_folder_is_kept_in_sync_once_the_store_holds_it(
    settings: Settings, knowledge_copy: Path, tmp_path: Path
) -> None:
    """A ``git pull`` that edits a shipped article or its question bank reaches the store on
    the next start, without a manual ``advisor ingest``; a store that never held the folder
    (a user's own corpus) is left alone."""
    own = KnowledgeBase(settings.model_copy(update={"knowledge_dir": knowledge_copy}))
    own.put_document(Document(id="team-notes", title="Team notes", text="Our notes on LoRA."))
    assert own.ensure_ingested() is None and {d.id for d in own.documents()} == {"team-notes"}

    synced = settings.model_copy(update={"data_dir": tmp_path / "synced",
                                         "knowledge_dir": knowledge_copy})
    shutil.copytree(settings.embedder_path, synced.embedder_path)
    assert KnowledgeBase(synced).ensure_ingested() is not None  # first use: empty store
    assert KnowledgeBase(synced).ensure_ingested() is None  # unchanged: nothing written
    bank = knowledge_copy / "decision-nobody-is-making-clearly.questions.jsonl"
    bank.write_text(bank.read_text(encoding="utf-8") + json.dumps(
        {"question": "Who should own the call between retrieval and training?",
         "answers": ["The decision nobody is making clearly"]}) + "\n", encoding="utf-8")
    report = KnowledgeBase(synced).ensure_ingested()
    assert report is not None and report.replaced == ["decision-nobody-is-making-clearly"]
    assert not report.added and not report.removed


def test_unreadable_file_is_reported_by_name_and_the_rest_ingested(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Retrieval keeps answers current.\nIt cites sources.")
    (folder / "page.html").write_text(
        "<html><head><title>Notes</title><script>x()</script></head>"
        "<body><h1>Latency</h1><p>Fine-tuned small models answer fast.</p></body></html>"
    )
    (folder / "broken.md").write_bytes(b"\xff\xfe\x00bad bytes \x81")
    (folder / "empty.md").write_text("---\nid: empty\n---\n   \n")
    kb = KnowledgeBase(settings)
    report = kb.ingest_folder(folder)
    assert sorted(report.added) == ["good", "page"]
    assert set(report.failures) == {str(folder / "broken.md"), str(folder / "empty.md")}
    assert "UTF-8" in report.failures[str(folder / "broken.md")]
    html = next(d for d in load_folder(folder).documents if d.id == "page")
    assert html.title == "Notes" and "x()" not in html.text and "answer fast" in html.text


def test_empty_or_missing_folder_is_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    kb = KnowledgeBase(settings)
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeError, match="no .md"):
        kb.ingest_folder(tmp_path / "empty")
    with pytest.raises(KnowledgeError, match="does not exist"):
        kb.ingest_folder(tmp_path / "nowhere")


def test_changing_the_embedder_reembeds_instead_of_mixing(
    settings: Settings, knowledge_copy: Path, tmp_path: Path
) -> None:
    from advisor.knowledge.embeddings import fit_static_embedding

    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    old = kb.store.info()["embedder"]
    other = fit_static_embedding(["a tiny different corpus about retrieval and tuning"] * 3,
                                 tmp_path / "other-model", dim=8)
    kb2 = KnowledgeBase(settings.model_copy(update={"embedding_model": str(other)}))
    report = kb2.ingest_folder(knowledge_copy)
    assert report.reembedded == kb2.store.count() > 0
    assert kb2.store.info()["embedder"] != old
    assert kb2.search("retrieval", 3).passages


def test_an_embedder_fitted_by_older_code_is_refitted_and_the_store_reembedded(
    settings: Settings, knowledge_copy: Path
) -> None:
    import json

    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    stamp = settings.embedder_path / "advisor.json"
    stamp.write_text(json.dumps({**json.loads(stamp.read_text()), "fit_version": -1}))
    fresh = KnowledgeBase(settings)
    report = fresh.ensure_ingested()
    assert report is not None and report.reembedded == fresh.store.count() > 0
    assert json.loads(stamp.read_text())["fit_version"] != -1


class Crash(RuntimeError):
    """Stands for the process dying at that point (the real kill -9: test_crash_safety.py)."""


def _served(kb: KnowledgeBase, doc_id: str) -> set[str]:
    return {s.chunk.id for s in kb.store.all_chunks() if s.chunk.doc_id == doc_id}


@pytest.mark.parametrize("crash_in", ["commit", "delete"])
def test_a_replace_interrupted_at_either_step_serves_one_whole_version(
    settings: Settings, knowledge_copy: Path, crash_in: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.knowledge.store import ChunkStore

    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    doc_id = "decision-nobody-is-making-clearly"
    old = _served(kb, doc_id)
    path = knowledge_copy / f"{doc_id}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("the", "thee"), encoding="utf-8")

    def crash(*_: object, **__: object) -> None:
        raise Crash(crash_in)

    with monkeypatch.context() as m:
        m.setattr(ChunkStore, crash_in, crash)
        with pytest.raises(Crash):
            kb.ingest_folder(knowledge_copy)
    after_crash = KnowledgeBase(settings)  # what a restarted process serves
    served = _served(after_crash, doc_id)
    index = after_crash.store.documents_index()[doc_id]
    assert index.stray_ids, "the other version's chunks are in the store, not served"
    if crash_in == "commit":  # the new chunks were written, the marker was not: the old one
        assert served == old
    else:  # the marker switched, the old chunks were not deleted yet: the new one
        assert served != old and not served & index.stray_ids
    assert len(after_crash.documents()) == 5
    report = after_crash.ingest_folder(knowledge_copy)  # the next run cleans up
    assert report.replaced == ([doc_id] if crash_in == "commit" else [])
    final = after_crash.store.documents_index()[doc_id]
    assert not final.stray_ids and final.chunk_ids == _served(after_crash, doc_id) != old
    assert after_crash.store.count() == sum(len(e.chunk_ids) for e in
                                            after_crash.store.documents_index().values())


def test_a_first_add_interrupted_before_its_marker_is_not_served(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.knowledge.store import ChunkStore

    kb = KnowledgeBase(settings)
    kb.ensure_ingested()
    doc = Document(id="half", title="Half", text="# Half\n\nZebra quokka notes.\n" * 200)
    with monkeypatch.context() as m:
        m.setattr(ChunkStore, "commit", lambda *a, **k: (_ for _ in ()).throw(Crash("commit")))
        with pytest.raises(Crash):
            kb.put_document(doc)
    assert kb.store.documents_index()["half"].stray_ids
    assert "half" not in {d.id for d in kb.documents()}
    assert all(p.doc_id != "half" for p in kb.search("zebra quokka", 5).passages)
    assert kb.delete_document("half") is False, "never served: 404, but the strays are gone"
    assert "half" not in kb.store.documents_index()


def test_a_store_written_before_markers_is_served_whole_then_migrated(
    settings: Settings, knowledge_copy: Path
) -> None:
    kb = KnowledgeBase(settings)
    kb.ingest_folder(knowledge_copy)
    chunks = kb.store.count()
    meta = {k: v for k, v in kb.store.info().items() if k != "layout"}
    kb.store._call(lambda c: c.modify(metadata=meta))  # as the code before markers left it
    kb.store._call(lambda c: kb.store._client.delete_collection(c.name), docs=True)
    kb.store._docs_handle = None
    old = KnowledgeBase(settings)
    assert len(old.documents()) == 5 and len(old.store.all_chunks()) == chunks
    old.put_document(Document(id="team-notes", title="Team notes", text="Notes on LoRA."))
    assert old.store.info()["layout"] == "2" and len(old.store.markers()) == 6
    assert len(old.store.all_chunks()) == chunks + 1


def test_a_reembed_interrupted_mid_swap_is_finished_on_the_next_open(
    settings: Settings, knowledge_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advisor.knowledge.embeddings import fit_static_embedding
    from advisor.knowledge.store import ChunkStore

    KnowledgeBase(settings).ingest_folder(knowledge_copy)
    other = fit_static_embedding(["a tiny different corpus about retrieval and tuning"] * 3,
                                 tmp_path / "other-model", dim=8)
    moved = settings.model_copy(update={"embedding_model": str(other)})
    real_swap = ChunkStore.swap_in

    def dies_after_the_drop(self: ChunkStore, staged: ChunkStore, fingerprint: str) -> None:
        staged.mark_written(fingerprint, staged="complete")
        self._call(lambda c: self._client.delete_collection(c.name))
        raise Crash("between the drop and the rename")

    with monkeypatch.context() as m:
        m.setattr(ChunkStore, "swap_in", dies_after_the_drop)
        with pytest.raises(Crash):
            KnowledgeBase(moved).ingest_folder(knowledge_copy)
    assert real_swap is ChunkStore.swap_in
    reopened = KnowledgeBase(moved)
    assert len(reopened.documents()) == 5, "the staged collection was swapped in"
    assert reopened.search("retrieval", 3).passages


def test_a_document_of_one_character_lines_costs_the_index_its_size_not_its_lines(
    settings: Settings,
) -> None:
    kb = KnowledgeBase(settings)
    kb.ensure_ingested()
    before = len(kb.retriever.lexical_index().window_owner)
    kb.put_document(Document(id="lines", title="Lines", text="x\n" * 20_000 + "Zebra quokka.\n"))
    chunks = next(d.chunks for d in kb.documents() if d.id == "lines")
    assert chunks <= 3 * 40_014 / 1200 + 1
    windows = len(kb.retriever.lexical_index().window_owner) - before
    assert windows <= 32 * chunks, f"{windows} windows for {chunks} chunks: one per line"
    assert kb.search("zebra quokka", 1).passages[0].doc_id == "lines"
