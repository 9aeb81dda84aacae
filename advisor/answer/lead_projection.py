"""A question projection for the lead: questions moved towards the sentences that answer them.

The reader's sentence encoder (all-MiniLM-L6-v2) puts paraphrases near each other, but a
question sits nearer to sentences that repeat its words than to the short sentence that answers
it ("Which approach is cheaper at high volume?" and "Fine-tuning wins at scale."). A linear map
``W`` of the question's vector (``q @ W``, the sentences' vectors unchanged) is fitted on
questions whose answering sentences are known: for each, a softmax over every sentence of the
store by ``q @ W · s``, trained to put the answering ones first, with ``W`` held near the
identity (``LAMBDA`` times the squared distance). The training questions are the documents'
question keys (``knowledge/*.questions.jsonl``) and the lead corpus
(``advisor/answer/lead_corpus/*.jsonl``: questions in users' voices, each with the sentences
that answer it), none from an eval set. ``advisor train-lead`` refits it (docs/answers.md);
the lead uses it as one more nearness, ``lead.LEARNED_WEIGHT``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

__all__ = ["CORPUS_DIR", "PROJECTION_PATH", "fit_projection", "shipped_projection",
           "training_digest"]

PROJECTION_PATH = Path(__file__).with_name("lead_projection.npz")
CORPUS_DIR = Path(__file__).with_name("lead_corpus")
LAMBDA = 0.001  # pull towards the identity
TEMPERATURE = 20.0  # the softmax's inverse temperature over unit-vector dot products
MAX_STEPS = 300


@lru_cache(maxsize=1)
def shipped_projection(path: Path = PROJECTION_PATH) -> np.ndarray | None:
    """The shipped projection (a square float32 matrix), or None when the file is absent or
    holds something else (the lead then scores without it; ``LeadFinder`` also skips one whose
    size is not the encoder's)."""
    if not path.is_file():
        return None
    with np.load(path) as data:
        projection = np.asarray(data["projection"], dtype=np.float32)
    if projection.ndim != 2 or projection.shape[0] != projection.shape[1]:
        import logging

        logging.getLogger(__name__).warning(
            "%s holds a %s array, not a square projection: the lead goes without it (rerun "
            "`advisor train-lead`)", path, projection.shape)
        return None
    return projection


def save(projection: np.ndarray, meta: dict[str, object], path: Path = PROJECTION_PATH) -> None:
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(tmp, projection=projection.astype(np.float32),
                        meta=np.array(json.dumps(meta, sort_keys=True)))
    tmp.replace(path)


def fit_projection(questions: np.ndarray, answers: Sequence[Sequence[int]],
                   sentences: np.ndarray, *, lam: float = LAMBDA,
                   log: Callable[[str], None] = print) -> np.ndarray:
    """``W`` minimising the mean cross-entropy between each question's softmax over
    ``sentences`` (rows, unit vectors) by ``TEMPERATURE · (q @ W) · s`` and the uniform share
    over its ``answers`` (row indices), plus ``lam`` times ``|W - I|²`` (L-BFGS from the
    identity). Questions with no answer among the sentences are left out."""
    from scipy.optimize import minimize

    keep = [i for i, a in enumerate(answers) if len(a)]
    if not keep:
        raise ValueError("no training question has an answering sentence in the store")
    q = np.asarray(questions, dtype=np.float64)[keep]
    s = np.asarray(sentences, dtype=np.float64)
    target = np.zeros((len(keep), len(s)))
    for row, i in enumerate(keep):
        target[row, list(answers[i])] = 1.0 / len(answers[i])
    d = s.shape[1]
    eye = np.eye(d)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        m = w.reshape(d, d)
        logits = TEMPERATURE * (q @ m) @ s.T
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        ce = -float((target * np.log(p + 1e-12)).sum()) / len(q)
        grad = TEMPERATURE * q.T @ ((p - target) @ s) / len(q)
        r = m - eye
        return ce + lam * float((r * r).sum()), (grad + 2 * lam * r).ravel()

    result = minimize(loss, eye.ravel(), jac=True, method="L-BFGS-B",
                      options={"maxiter": MAX_STEPS})
    log(f"fitted on {len(q)} questions over {len(s)} sentences: loss {result.fun:.3f} "
        f"after {result.nit} steps")
    return result.x.reshape(d, d)


def training_digest(questions: Sequence[str], sentences: Sequence[str]) -> str:
    """Names the training data a projection was fitted on (kept in its file's meta): the
    training questions and the store's sentences they were fitted over."""
    return hashlib.sha256("\n".join([*questions, "", *sentences]).encode()).hexdigest()[:16]
