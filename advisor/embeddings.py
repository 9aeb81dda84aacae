"""Embedders: the corpus-fitted offline model, or any sentence-transformers model.

The offline default is a real sentence-transformers ``StaticEmbedding`` model that the product
fits on its own corpus (no pretrained weights, nothing from a hub):

1. a WordPiece tokenizer trained on the corpus (lower-cased, accents stripped);
2. token vectors from latent semantic analysis: a TF-IDF matrix over the corpus passages,
   truncated SVD, and each token's row scaled by its IDF, so that the model's mean pooling
   computes the LSA projection of the passage's TF-IDF vector.

It is saved under ``data_dir/embedder`` and loads with ``SentenceTransformer(path)``. At query
time a numpy fast path reads the same two files (``tokenizer.json``, ``model.safetensors``) and
computes the same mean, which keeps torch out of the serving process; a test checks both agree.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

OFFLINE = "offline"
_MIN_ROWS_PER_DIM = 2


class EmbedderError(RuntimeError):
    """The configured embedding model cannot be built or loaded."""


class Embedder(Protocol):
    name: str
    fingerprint: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _l2_normalize(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class StaticEmbedder:
    """Mean of token vectors, read straight from a saved StaticEmbedding model (no torch)."""

    def __init__(self, path: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.path = Path(path)
        module_dir = static_module_dir(self.path)
        if module_dir is None:
            raise EmbedderError(f"{self.path} is not a StaticEmbedding model")
        weights_file = module_dir / "model.safetensors"
        self._tokenizer = Tokenizer.from_file(str(module_dir / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._weights = load_file(str(weights_file))["embedding.weight"].astype(np.float32)
        self.name = f"{OFFLINE}:{self.path}"
        self.fingerprint = _file_digest(weights_file)

    @property
    def dimension(self) -> int:
        return int(self._weights.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, enc in enumerate(self._tokenizer.encode_batch(list(texts), add_special_tokens=False)):
            if enc.ids:
                out[i] = self._weights[enc.ids].mean(axis=0)
        return _l2_normalize(out)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path (loaded lazily, normalised output)."""

    def __init__(self, name_or_path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(name_or_path, device="cpu")
        except Exception as exc:  # noqa: BLE001 - any load failure is a configuration error
            raise EmbedderError(
                f"cannot load embedding model {name_or_path!r}: {exc}. With HF_HUB_OFFLINE=1 "
                "only models already on disk (a path or the local Hugging Face cache) load."
            ) from exc
        self.name = name_or_path
        self.fingerprint = hashlib.sha256(name_or_path.encode()).hexdigest()[:16]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), convert_to_numpy=True, show_progress_bar=False)
        return _l2_normalize(np.asarray(vectors, dtype=np.float32))


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _train_tokenizer(texts: Sequence[str], vocab_size: int):  # -> tokenizers.Tokenizer
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=1, special_tokens=["[UNK]"], show_progress=False
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def _rows_for_fitting(texts: Sequence[str], dim: int) -> list[str]:
    """Passages, plus their sentences when there are too few passages for ``dim`` factors."""
    rows = [t for t in texts if t.strip()]
    if len(rows) < dim * _MIN_ROWS_PER_DIM:
        rows += [s for t in texts for s in _SENTENCES.split(t) if len(s.split()) >= 4]
    return rows


def fit_static_embedding(
    texts: Sequence[str], path: Path, *, dim: int = 256, vocab_size: int = 30_000
) -> Path:
    """Fit the corpus's own StaticEmbedding model and save it as a sentence-transformers model."""
    if not any(t.strip() for t in texts):
        raise EmbedderError("cannot fit an embedder on an empty corpus")
    from scipy import sparse
    from sklearn.utils.extmath import randomized_svd

    tokenizer = _train_tokenizer(texts, vocab_size)
    vocab = tokenizer.get_vocab_size()
    rows = _rows_for_fitting(texts, dim)
    data, indices, indptr = [], [], [0]
    for enc in tokenizer.encode_batch(rows, add_special_tokens=False):
        ids, counts = np.unique(np.asarray(enc.ids, dtype=np.int64), return_counts=True)
        indices.extend(ids.tolist())
        data.extend((1.0 + np.log(counts)).tolist())  # sublinear term frequency
        indptr.append(len(indices))
    tf = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), vocab), dtype=np.float64)
    df = np.bincount(tf.indices, minlength=vocab)
    idf = np.log((1 + len(rows)) / (1 + df)) + 1.0
    x = tf.multiply(idf).tocsr()
    row_norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1))).ravel()
    row_norms[row_norms == 0] = 1.0
    x = sparse.diags(1.0 / row_norms) @ x
    k = max(2, min(dim, min(x.shape) - 1))
    _, sigma, vt = randomized_svd(x, n_components=k, n_iter=5, random_state=0)
    weights = (vt.T * np.sqrt(sigma)) * idf[:, None]
    weights[df == 0] = 0.0  # tokens never seen in a passage carry no direction
    return _save_static_model(tokenizer, weights.astype(np.float32), path)


def _save_static_model(tokenizer, weights: np.ndarray, path: Path) -> Path:  # noqa: ANN001
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    model = SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_weights=weights)])
    model.save(str(tmp))
    (tmp / "advisor.json").write_text(json.dumps({"kind": "corpus-fitted LSA StaticEmbedding"}))
    if path.exists():
        import shutil

        shutil.rmtree(path)
    tmp.rename(path)
    return path


def static_module_dir(path: Path) -> Path | None:
    """The folder of a saved model's StaticEmbedding, if that is its only module."""
    try:
        modules = json.loads((Path(path) / "modules.json").read_text())
    except (OSError, ValueError):
        return None
    if len(modules) != 1 or not str(modules[0].get("type", "")).endswith("StaticEmbedding"):
        return None
    module_dir = Path(path) / modules[0].get("path", "")
    ok = (module_dir / "model.safetensors").is_file() and (module_dir / "tokenizer.json").is_file()
    return module_dir if ok else None


def offline_model_exists(path: Path) -> bool:
    return static_module_dir(path) is not None


def load_embedder(model: str, offline_path: Path) -> Embedder:
    """The configured embedder. ``offline`` needs the fitted model to exist already."""
    if model == OFFLINE:
        if not offline_model_exists(offline_path):
            raise EmbedderError(
                f"no fitted offline embedder at {offline_path}; run `advisor ingest` first"
            )
        return StaticEmbedder(offline_path)
    path = Path(model).expanduser()
    if offline_model_exists(path):
        return StaticEmbedder(path)
    return SentenceTransformerEmbedder(model)
