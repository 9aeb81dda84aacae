"""Embedders: the corpus-fitted offline model, or any sentence-transformers model.

The offline default is a real sentence-transformers ``StaticEmbedding`` model that the product
fits on its own corpus (no pretrained weights, nothing from a hub):

1. a word-level tokenizer that splits text exactly as the lexical search does (lower case,
   accents stripped, camelCase split), over the corpus's words, their inflections and the words
   of the domain lexicon (``advisor.text.lexicon``);
2. word vectors from latent semantic analysis over Snowball stems and lexicon concept tokens
   (rows: passages and two-sentence windows): each word gets its stem's vector scaled by IDF,
   plus its concepts' vectors when it is a one-word lexicon member, so "phone" lands near
   "offline" although the corpus never says "phone"; the model's mean pooling then computes
   (approximately) the LSA projection of the text's TF-IDF vector.

It is saved under ``data_dir/embedder`` and loads with ``SentenceTransformer(path)``. At query
time a numpy fast path reads the same two files (``tokenizer.json``, ``model.safetensors``) and
computes the same mean, which keeps torch out of the serving process; a test checks both agree.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

OFFLINE = "offline"
# Bump whenever the fitting changes what the vectors mean: existing data dirs then refit.
FIT_VERSION = 3


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


_UNK = "[UNK]"
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_WINDOW = 2  # sentences per extra fitting row
_WINDOWS_BELOW = 2_000  # passages: below this many, two-sentence windows are added as rows
_CONCEPT_SHARE = 1.0  # how much of a lexicon concept's vector its one-word members receive
_SINGULAR_POWER = 0.5  # token vectors are V * sigma**power
_EXACT_SVD_LIMIT = 3_000  # rows or features: up to this, a dense exact SVD is faster
_VARIANT_WORDS = 20_000  # most frequent corpus words that get inflection variants


def _tokenizer(vocab: dict[str, int]):  # -> tokenizers.Tokenizer
    """A word-level tokenizer that splits like ``advisor.text.words.words``."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    tokenizer = Tokenizer(models.WordLevel(vocab=vocab, unk_token=_UNK))
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex(r"(?<=[a-z])(?=[A-Z][a-z])"), " "),  # camelCase, flattened tables
        normalizers.NFKD(),
        normalizers.StripAccents(),
        normalizers.Lowercase(),
        normalizers.Replace(Regex(r"\bw/o\b"), " without "),
        normalizers.Replace(Regex(r"\btl;dr\b"), " summary "),
        normalizers.Replace("$", " dollar "),
        normalizers.Replace("€", " euro "),
        normalizers.Replace("£", " pound "),
    ])
    tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(r"[^a-z0-9]+"), behavior="removed")
    return tokenizer


def _windows(texts: Sequence[str]) -> list[str]:
    """Two-sentence windows: word co-occurrence within a claim is what a question about the
    claim shares with it, and a small corpus has too few passages for ``dim`` factors."""
    out: list[str] = []
    for t in texts:
        sentences = [s for s in _SENTENCES.split(t) if len(s.split()) >= 3]
        out += [" ".join(sentences[i:i + _WINDOW]) for i in range(len(sentences) - _WINDOW + 1)]
    return out


_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ion", "ions", "ation", "ment")


def _variants(word: str) -> set[str]:
    """Inflections of ``word`` to try: kept when the stemmer maps them to the same stem (so a
    query's "customizing" finds the vector of the corpus's "customize")."""
    bases = {word, word[:-1]} if word.endswith("e") else {word}
    if word.endswith("y"):
        bases.add(word[:-1] + "i")
    return {b + s for b in bases for s in _SUFFIXES}


def _lsa(rows: list[list[str]], dim: int) -> tuple[dict[str, int], np.ndarray]:
    """Feature ids and IDF-scaled LSA vectors (features x k) of analysed rows."""
    from scipy import sparse

    features: dict[str, int] = {}
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for tokens in rows:
        counts: dict[int, int] = {}
        for t in tokens:
            j = features.setdefault(t, len(features))
            counts[j] = counts.get(j, 0) + 1
        indices.extend(counts)
        data.extend(1.0 + math.log(c) for c in counts.values())  # sublinear term frequency
        indptr.append(len(indices))
    n_feat = max(len(features), 1)
    tf = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), n_feat), dtype=np.float64)
    df = np.bincount(tf.indices, minlength=n_feat)
    if len(rows) > _WINDOWS_BELOW:  # a large corpus: words seen once carry no co-occurrence
        keep = np.flatnonzero(df >= 2)
        names = list(features)
        features = {names[j]: i for i, j in enumerate(keep)}
        tf, df = tf[:, keep].tocsr(), df[keep]
        n_feat = max(len(features), 1)
    idf = np.log((1 + len(rows)) / (1 + df)) + 1.0
    x = tf.multiply(idf).tocsr()
    row_norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1))).ravel()
    row_norms[row_norms == 0] = 1.0
    x = sparse.diags(1.0 / row_norms) @ x
    k = max(1, min(dim, min(x.shape) - 1))
    from threadpoolctl import threadpool_limits

    # One BLAS thread: on two shared cores OpenBLAS's threaded QR/eigh ran 3-10x slower.
    with threadpool_limits(limits=1):
        return features, _svd_vectors(x, k, idf)


def _svd_vectors(x, k: int, idf: np.ndarray) -> np.ndarray:  # noqa: ANN001
    if min(x.shape) <= _EXACT_SVD_LIMIT:
        _, sigma, vt = np.linalg.svd(x.toarray(), full_matrices=False)
        sigma, vt = sigma[:k], vt[:k]
    else:
        from sklearn.utils.extmath import randomized_svd

        _, sigma, vt = randomized_svd(x, n_components=k, n_iter=3, random_state=0)
    return (vt.T * sigma ** _SINGULAR_POWER) * idf[:, None]


def fit_static_embedding(
    texts: Sequence[str], path: Path, *, dim: int = 256, vocab_size: int = 30_000
) -> Path:
    """Fit the corpus's own StaticEmbedding model and save it as a sentence-transformers model.

    Latent semantic analysis over stems and the domain lexicon's concept tokens (the same
    analysis the lexical search uses); rows are the passages, plus two-sentence windows on a
    small corpus. The model's vocabulary is surface words (those of the corpus and their
    inflections, and the lexicon's); each word's vector is its stem's LSA vector scaled by IDF
    plus, for a one-word lexicon member, its concepts' vectors, so mean pooling approximates
    the LSA projection of the text's TF-IDF vector over stems and concepts. ``vocab_size``
    caps the corpus words kept (most frequent first).
    """
    if not any(t.strip() for t in texts):
        raise EmbedderError("cannot fit an embedder on an empty corpus")
    from advisor.text.analysis import analysis
    from advisor.text.lexicon import CONCEPT_PREFIX, CONCEPTS
    from advisor.text.words import is_stopword, stem_all, words

    passages = [t for t in texts if t.strip()]
    analysed = [analysis(t) for t in passages]
    rows = [a.terms(stop_plus=True) + a.concepts for a in analysed]
    if len(passages) < _WINDOWS_BELOW:
        for w in _windows(passages):
            a = analysis(w)
            rows.append(a.terms(stop_plus=True) + a.concepts)
    features, feature_vectors = _lsa(rows, dim)
    k = feature_vectors.shape[1]

    freq: dict[str, int] = {}
    for a in analysed:
        for w in a.words:
            freq[w] = freq.get(w, 0) + 1
    corpus_words = sorted(freq, key=lambda w: (-freq[w], w))[: max(vocab_size, 1)]
    lexicon_words = {w for members in CONCEPTS.values() for m in members for w in words(m)}
    one_word: dict[str, set[str]] = {}  # stem -> concept tokens of one-word members
    for concept, members in CONCEPTS.items():
        for m in members:
            ws = words(m)
            if len(ws) == 1:
                one_word.setdefault(stem_all(ws)[0], set()).add(CONCEPT_PREFIX + concept)
    surface = sorted(set(corpus_words) | lexicon_words)
    stems = dict(zip(surface, stem_all(surface)))
    variants = sorted({v for w in corpus_words[:_VARIANT_WORDS] if len(w) > 3
                       for v in _variants(w)} - stems.keys())
    for v, stem in zip(variants, stem_all(variants)):
        if stem in features:
            stems[v] = stem

    vocab = {_UNK: 0}
    vectors = [np.zeros(k)]
    for w in sorted(stems):
        if is_stopword(w):
            continue
        stem = stems[w]
        vec = feature_vectors[features[stem]].copy() if stem in features else np.zeros(k)
        for token in one_word.get(stem, ()):
            if token in features:
                vec += _CONCEPT_SHARE * feature_vectors[features[token]]
        if np.any(vec):
            vocab[w] = len(vocab)
            vectors.append(vec)
    weights = np.vstack(vectors).astype(np.float32)
    return _save_static_model(_tokenizer(vocab), weights, path)


_STATIC_MODULE = "sentence_transformers.sentence_transformer.modules.static_embedding.StaticEmbedding"


def _save_static_model(tokenizer, weights: np.ndarray, path: Path) -> Path:  # noqa: ANN001
    """Write the files ``SentenceTransformer(path)`` loads for a one-module StaticEmbedding
    model (what ``SentenceTransformer.save`` writes), without importing sentence-transformers
    (about 5 s and torch) just to save a matrix and a tokenizer."""
    from safetensors.numpy import save_file

    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    modules = [{"idx": 0, "name": "0", "path": "", "type": _STATIC_MODULE}]
    (tmp / "modules.json").write_text(json.dumps(modules, indent=2))
    (tmp / "config_sentence_transformers.json").write_text(json.dumps({
        "model_type": "SentenceTransformer", "prompts": {"query": "", "document": ""},
        "default_prompt_name": None, "similarity_fn_name": "cosine",
    }, indent=2))
    save_file({"embedding.weight": np.ascontiguousarray(weights, dtype=np.float32)},
              str(tmp / "model.safetensors"))
    tokenizer.save(str(tmp / "tokenizer.json"))
    (tmp / "advisor.json").write_text(
        json.dumps({"kind": "corpus-fitted LSA StaticEmbedding", "fit_version": FIT_VERSION})
    )
    if path.exists():
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
    """A fitted model made by this version of the fitting code (an older fit is refitted, and
    the store re-embedded, on the next ingest)."""
    if static_module_dir(path) is None:
        return False
    try:
        stamp = json.loads((Path(path) / "advisor.json").read_text())
    except (OSError, ValueError):
        return False
    return stamp.get("fit_version") == FIT_VERSION


def load_embedder(model: str, offline_path: Path) -> Embedder:
    """The configured embedder. ``offline`` needs the fitted model to exist already."""
    if model == OFFLINE:
        if not offline_model_exists(offline_path):
            raise EmbedderError(
                f"no fitted offline embedder at {offline_path}; run `advisor ingest` first"
            )
        return StaticEmbedder(offline_path)
    path = Path(model).expanduser()
    if static_module_dir(path) is not None:  # any saved StaticEmbedding: the numpy fast path
        return StaticEmbedder(path)
    return SentenceTransformerEmbedder(model)
