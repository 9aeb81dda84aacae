"""The corpus-fitted offline embedder is a real sentence-transformers model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advisor.knowledge.embeddings import EmbedderError, StaticEmbedder, load_embedder


def test_fast_path_equals_sentence_transformers(fitted_data_dir: Path) -> None:
    from sentence_transformers import SentenceTransformer

    path = fitted_data_dir / "embedder"
    texts = ["fine-tune for brand voice", "retrieval keeps facts fresh", "LoRA", ""]
    fast = StaticEmbedder(path).encode(texts)
    model = SentenceTransformer(str(path), device="cpu")
    reference = model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    assert fast.shape == reference.shape and fast.shape[1] >= 16
    np.testing.assert_allclose(fast, reference, atol=1e-5)
    assert not np.any(fast[3]), "an empty text embeds to the zero vector"


def test_related_texts_are_closer_than_unrelated(fitted_data_dir: Path) -> None:
    emb = StaticEmbedder(fitted_data_dir / "embedder")
    a, b, c = emb.encode([
        "retrieval from a vector database at inference time",
        "retrieve relevant chunks from an external datastore",
        "tone and formatting of the model's answers",
    ])
    assert float(a @ b) > float(a @ c)


def test_missing_offline_model_and_unknown_hub_model_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="advisor ingest"):
        load_embedder("offline", tmp_path / "nothing-here")
    with pytest.raises(EmbedderError, match="HF_HUB_OFFLINE"):
        load_embedder("sentence-transformers/no-such-model-here", tmp_path / "x")
