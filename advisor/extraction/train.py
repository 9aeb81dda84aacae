"""Fit the reader's heads on the labelled corpus shipped beside this module.

    advisor train-reader [--corpus DIR] [--out FILE] [--cv 5]

The corpus (``corpus/*.jsonl``: ``{"text": ..., "facts": {Situation subset}}``) was written for
the reader by several authors in many voices (chat-box one-liners, long case narratives,
histories and negations, regulated and edge teams, messages that ask and describe at once);
none of it was written from an evaluation set. Rows marked ``"on_topic": false`` (the
``offtopic_*.jsonl`` files: other tech, the domain's words in other senses, chat, tasks) state
no facts; with every other row they teach the topic head (``TOPIC``), which says whether a
message is about building with LLMs at all. The knowledge base's question keys
(``knowledge/*.questions.jsonl``, ``--questions``) are on-topic rows for the topic head only:
written as questions about the articles, some of them describe a case they state no labels for.

Training embeds every message once (about three minutes on two cores) and fits one head per
field; ``--cv K`` first prints K-fold agreement per field, so a change to the corpus or the
features can be judged before it ships.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from advisor.extraction.heads import CLASSES, TOPIC, Heads, fit_softmax, label_of, probabilities
from advisor.schemas.decision import Situation

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
QUESTIONS_DIR = HERE.parents[1] / "knowledge"  # the shipped articles' question keys
HEADS_PATH = HERE / "model" / "heads.npz"
L2 = 1.0  # chosen by cross-validation on the corpus (see docs/decisions.md)
MIN_EXAMPLES = 4  # a class needs this many rows before a head may predict it
QUESTION = "question_key"  # marks a question key: a row for the topic head only


class CorpusError(ValueError):
    pass


def load_corpus(folder: Path = CORPUS_DIR) -> list[dict[str, object]]:
    """Every row of every ``*.jsonl`` file, validated; errors name the file and line."""
    rows: list[dict[str, object]] = []
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise CorpusError(f"no *.jsonl files in {folder}")
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                text, facts = raw["text"], raw.get("facts", {})
                on_topic = raw.get(TOPIC, True)
                Situation.model_validate(facts)
                unknown = set(facts) - set(CLASSES)
                if unknown:
                    raise ValueError(f"unknown fields {sorted(unknown)}")
                if not isinstance(text, str) or not text.strip():
                    raise ValueError("text must be a non-empty string")
                if not isinstance(on_topic, bool):
                    raise TypeError(f"{TOPIC} must be true or false, not {on_topic!r}")
                if not on_topic and facts:
                    raise ValueError("an off-topic message states no facts about a case")
            except Exception as exc:  # noqa: BLE001 - reported with its place
                raise CorpusError(f"{path.name}:{lineno}: {exc}") from None
            rows.append({"text": text, "facts": facts, **({} if on_topic else {TOPIC: False})})
    return rows


def load_questions(folder: Path | None = QUESTIONS_DIR) -> list[dict[str, object]]:
    """The question keys (``*.questions.jsonl``) as on-topic rows that teach no field."""
    if folder is None:
        return []
    files = sorted(folder.glob("*.questions.jsonl"))
    if not files:
        raise CorpusError(f"no *.questions.jsonl files in {folder} (--questions)")
    rows: list[dict[str, object]] = []
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                question = json.loads(line)["question"]
                if not isinstance(question, str) or not question.strip():
                    raise ValueError("question must be a non-empty string")
            except Exception as exc:  # noqa: BLE001 - reported with its place
                raise CorpusError(f"{path.name}:{lineno}: {exc}") from None
            rows.append({"text": question, "facts": {}, QUESTION: True})
    return rows


def corpus_sha256(rows: list[dict[str, object]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def topic_labels(rows: list[dict[str, object]]) -> np.ndarray:
    return np.array([int(r.get(TOPIC, True)) for r in rows])  # type: ignore[call-overload]


def fit_heads(x: np.ndarray, rows: list[dict[str, object]], l2: float = L2) -> dict[str, np.ndarray]:
    weights: dict[str, np.ndarray] = {}
    topic = topic_labels(rows)
    if len(set(topic.tolist())) == 2:
        weights[TOPIC] = fit_softmax(x, topic, 2, l2)
    # the fields are taught by the reader's own rows: question keys label no field, and the
    # off-topic rows, which state none, made the heads more timid on real cases (docs/answers.md)
    teach = np.array([not r.get(QUESTION) and r.get(TOPIC, True) for r in rows], dtype=bool)
    x, rows = x[teach], [r for r, t in zip(rows, teach, strict=True) if t]
    for field, classes in CLASSES.items():
        y = np.array([label_of(r["facts"], field) for r in rows])  # type: ignore[arg-type]
        counts = np.bincount(y, minlength=len(classes))
        if (counts[1:] >= MIN_EXAMPLES).sum() == 0:
            continue  # nothing to learn: the field stays with the patterns
        keep = np.isin(y, [0, *np.flatnonzero(counts >= MIN_EXAMPLES)])
        weights[field] = fit_softmax(x[keep], y[keep], len(classes), l2)
    return weights


def cross_validate(x: np.ndarray, rows: list[dict[str, object]], folds: int,
                   l2: float = L2) -> dict[str, tuple[int, int]]:
    """field -> (agreeing, stated) over held-out folds: how often a head reads a stated fact."""
    order = np.random.default_rng(0).permutation(len(rows))
    totals: dict[str, list[int]] = {f: [0, 0] for f in CLASSES}
    for k in range(folds):
        test = order[k::folds]
        train = np.setdiff1d(order, test)
        weights = fit_heads(x[train], [rows[i] for i in train], l2)
        for field, w in weights.items():
            predicted = probabilities(w, x[test]).argmax(1)
            if field == TOPIC:
                truth = topic_labels([rows[i] for i in test])
                for label in (0, 1):  # off topic, on topic: each told apart from the other
                    mask = truth == label
                    total = totals.setdefault(f"{TOPIC}={bool(label)}", [0, 0])
                    total[0] += int((predicted[mask] == label).sum())
                    total[1] += int(mask.sum())
                continue
            truth = np.array([label_of(rows[i]["facts"], field) for i in test])  # type: ignore[arg-type]
            stated = truth > 0
            totals[field][0] += int((predicted[stated] == truth[stated]).sum())
            totals[field][1] += int(stated.sum())
    return {f: (a, n) for f, (a, n) in totals.items() if n}


def train(corpus: Path = CORPUS_DIR, out: Path = HEADS_PATH, cv: int = 0,
          log: Callable[[str], None] = print, questions: Path | None = QUESTIONS_DIR) -> Heads:
    from advisor.extraction.encoder import features

    rows = load_corpus(corpus) + load_questions(questions)
    started = time.perf_counter()
    log(f"embedding {len(rows)} messages ...")
    x = features([str(r["text"]) for r in rows])
    log(f"embedded in {time.perf_counter() - started:.1f}s")
    if cv:
        scores = cross_validate(x, rows, cv)
        agree = sum(a for f, (a, _) in scores.items() if not f.startswith(TOPIC))
        stated = sum(n for f, (_, n) in scores.items() if not f.startswith(TOPIC))
        log(f"{cv}-fold agreement on stated facts: {agree / stated:.3f} ({agree}/{stated})")
        for field, (a, n) in scores.items():
            log(f"  {field:<28}{a:>5}/{n:<5}{a / n:.3f}")
    heads = Heads(weights=fit_heads(x, rows), corpus_sha256=corpus_sha256(rows), rows=len(rows))
    heads.save(out)
    log(f"wrote {out} ({len(heads.weights)} heads, {len(rows)} messages)")
    return heads


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="advisor train-reader", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--out", type=Path, default=HEADS_PATH)
    parser.add_argument("--cv", type=int, default=0, help="print K-fold agreement first")
    parser.add_argument("--questions", type=Path, default=QUESTIONS_DIR,
                        help="folder of the knowledge base's *.questions.jsonl (topic head only)")
    parser.add_argument("--no-questions", action="store_true",
                        help="teach the topic head no question keys")
    args = parser.parse_args(argv)
    if args.no_questions:
        args.questions = None
    try:
        train(args.corpus, args.out, args.cv, log=lambda m: print(m, file=sys.stderr),
              questions=args.questions)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
