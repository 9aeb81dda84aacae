"""The reader's encoder on ONNX Runtime: the same embeddings as sentence-transformers (so the
shipped heads stay valid), a graph cached crash-safely, and no torch in the serving process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from advisor.extraction import encoder
from advisor.extraction.encoder import (
    DIMENSIONS,
    MAX_TOKENS,
    ROW_TOKENS,
    Encoder,
    embed,
    encoder_path,
    ensure_graph,
    onnx_path,
    pack_rows,
)
from advisor.extraction.train import load_corpus

REPO = Path(__file__).resolve().parents[2]


def varied_texts() -> list[str]:
    """Corpus messages of every length (some past the model's 256 tokens, so truncation is
    compared too), their single sentences, and odd inputs."""
    rows = load_corpus()
    messages = [str(r["text"]) for r in rows[::10]]
    long = sorted((str(r["text"]) for r in rows), key=len)[-5:]
    sentences = [s for m in messages[:40] for s in m.split(". ") if s][:80]
    odd = ["", " ", "ok", "RAG?", "  leading and trailing spaces  ", "ÉLÈVES à Zürich — naïve café",
           "数据 每周 更新", "1,200 tickets/day @ <50 ms p95", "🙂 emoji only 🙂", "a " * 400,
           "\n\nline one\n\tline two\n"]
    return messages + long + sentences + odd


@pytest.fixture(scope="module")
def onnx_encoder() -> Encoder:
    return encoder.load_encoder()


def test_embeddings_match_sentence_transformers(onnx_encoder: Encoder) -> None:
    from sentence_transformers import SentenceTransformer

    texts = varied_texts()
    assert len(texts) >= 300
    reference = SentenceTransformer(str(encoder_path()), device="cpu").encode(
        texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )
    ours = embed(texts, onnx_encoder)
    assert ours.shape == (len(texts), DIMENSIONS) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosine = (ours * reference).sum(1)
    assert cosine.min() > 0.999, [texts[i][:60] for i in np.flatnonzero(cosine <= 0.999)]


def test_a_text_embeds_the_same_alone_and_in_any_batch(onnx_encoder: Encoder) -> None:
    texts = varied_texts()[:60]
    together = embed(texts, onnx_encoder)
    alone = np.vstack([embed([t], onnx_encoder) for t in texts[::7]])
    np.testing.assert_allclose(alone, together[::7], atol=2e-5)


@pytest.mark.parametrize(
    "lengths", [[], [5], [30, 5, 31, 200, 6, 7, 30], [10] * 100, list(range(1, 257, 3)), [256] * 3]
)
def test_packed_rows_hold_every_text_once_within_the_row_size(lengths: list[int]) -> None:
    assert ROW_TOKENS >= MAX_TOKENS  # any tokenized text fits in a row
    rows = pack_rows(lengths)
    assert sorted(i for row in rows for i in row) == list(range(len(lengths)))
    fills = [sum(lengths[i] for i in row) for row in rows]
    assert all(fill <= ROW_TOKENS for fill in fills) and fills == sorted(fills, reverse=True)
    assert len(rows) <= max(1, -(-2 * sum(lengths) // ROW_TOKENS))  # rows at least half full


def test_a_message_and_its_sentences_go_through_in_one_run(
    onnx_encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[tuple[int, ...]] = []
    real = onnx_encoder.session.run

    def counted(names, feeds):
        runs.append(feeds["input_ids"].shape)
        return real(names, feeds)

    monkeypatch.setattr(onnx_encoder.session, "run", counted)
    message = ("We answer support questions from a wiki. It changes weekly. Every answer must "
               "cite its source. We have 2,000 tickets a day and no labelled examples.")
    encoder.features([message], onnx_encoder)
    assert len(runs) == 1 and runs[0][0] == 1, runs


def test_the_graph_is_built_once_into_the_cache_without_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    killed = onnx_path().with_name(onnx_path().name + ".abc123.tmp")  # a build killed half-way
    killed.parent.mkdir(parents=True)
    killed.write_bytes(b"half a graph")
    os.utime(killed, (1, 1))
    built = ensure_graph()
    assert built == onnx_path() and built.parent == tmp_path / "advisor"
    assert [p.name for p in built.parent.iterdir()] == [built.name]  # no temporary file left
    stamp = built.stat().st_mtime_ns
    assert ensure_graph() == built and built.stat().st_mtime_ns == stamp  # reused, not rebuilt
    vector = embed(["the wiki changes weekly"], Encoder())
    np.testing.assert_allclose(vector, embed(["the wiki changes weekly"]), atol=1e-6)


def test_an_unwritable_cache_serves_the_graph_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert isinstance(ensure_graph(), bytes)
    assert "using it from memory" in capsys.readouterr().err
    vector = embed(["the wiki changes weekly"], Encoder())
    np.testing.assert_allclose(vector, embed(["the wiki changes weekly"]), atol=1e-6)


def test_the_reader_runs_without_torch_or_transformers() -> None:
    code = (
        "import sys, json; from advisor.extraction.reader import read_situation; "
        "s = read_situation('Our wiki changes weekly and every answer must cite it.'); "
        "print(json.dumps({'known': s.known(), 'modules': sorted(m for m in "
        "('torch', 'transformers', 'sentence_transformers') if m in sys.modules)}))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["modules"] == [], out
    assert out["known"].get("knowledge_change_frequency") == "weekly"
