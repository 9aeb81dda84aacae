"""Per-field heads over the encoder's features: one softmax regression per Situation field.

A head's classes are "not stated" plus the field's values (``True``/``False`` for a yes/no
field, each allowed value for a choice field, "stated" for a number, whose value the patterns
in ``quantities`` read). Fitting is plain numpy and scipy (L-BFGS on the L2-regularised
cross-entropy), so training needs no extra package, and the fitted weights are one small
``.npz`` file that loads without torch.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from advisor.schemas.decision import Situation

STATED = "stated"  # the one value class of a numeric field
TOPIC = "on_topic"  # the head that says whether a message is on topic at all (classes: no, yes)


def field_classes() -> dict[str, list[object]]:
    """field -> [None, value, ...] for every Situation field."""
    out: dict[str, list[object]] = {}
    for name, info in Situation.model_fields.items():
        args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
        inner = args[0] if args else info.annotation
        if inner is bool:
            out[name] = [None, True, False]
        elif typing.get_origin(inner) is typing.Literal:
            out[name] = [None, *typing.get_args(inner)]
        else:
            out[name] = [None, STATED]
    return out


CLASSES = field_classes()
NUMERIC = tuple(f for f, c in CLASSES.items() if c == [None, STATED])


def label_of(facts: dict[str, object], field: str) -> int:
    classes = CLASSES[field]
    value = facts.get(field)
    if value is None:
        return 0
    if classes == [None, STATED]:
        return 1
    return classes.index(value) if value in classes else 0


def fit_softmax(x: np.ndarray, y: np.ndarray, k: int, l2: float) -> np.ndarray:
    """Weights (d + 1, k) minimising mean cross-entropy + l2/2n * |W|^2 (bias unpenalised)."""
    from scipy.optimize import minimize

    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1), x.dtype)]).astype(np.float64)
    onehot = np.eye(k)[y]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        weights = w.reshape(d + 1, k)
        z = xb @ weights
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        value = -np.log(p[np.arange(n), y] + 1e-12).mean() + 0.5 * l2 * (weights[:-1] ** 2).sum() / n
        grad = xb.T @ (p - onehot) / n
        grad[:-1] += l2 * weights[:-1] / n
        return float(value), grad.ravel()

    result = minimize(loss, np.zeros((d + 1) * k), jac=True, method="L-BFGS-B",
                      options={"maxiter": 400})
    return result.x.reshape(d + 1, k).astype(np.float32)


def probabilities(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    z = np.hstack([x, np.ones((len(x), 1), x.dtype)]) @ weights
    z -= z.max(1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(1, keepdims=True)


@dataclass(frozen=True)
class Heads:
    """The fitted heads: field -> weights, plus what they were trained on."""

    weights: dict[str, np.ndarray]
    corpus_sha256: str
    rows: int

    def predict(self, x: np.ndarray) -> list[dict[str, np.ndarray]]:
        """Per text, field -> class probabilities (fields without a head are absent)."""
        per_field = {f: probabilities(w, x) for f, w in self.weights.items()}
        return [{f: p[i] for f, p in per_field.items()} for i in range(len(x))]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            **{f"w_{f}": w.astype(np.float16) for f, w in self.weights.items()},
            meta=np.array([self.corpus_sha256, str(self.rows)]),
        )

    @classmethod
    def load(cls, path: Path) -> Heads:
        with np.load(path, allow_pickle=False) as data:
            weights = {k[2:]: data[k].astype(np.float32) for k in data.files if k.startswith("w_")}
            sha, rows = (str(v) for v in data["meta"])
        return cls(weights=weights, corpus_sha256=sha, rows=int(rows))
