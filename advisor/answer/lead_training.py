"""Fit the lead's question projection (``advisor train-lead``; ``lead_projection``): the
training questions are the documents' question keys (``knowledge/*.questions.jsonl``) and the
lead corpus (``advisor/answer/lead_corpus/*.jsonl``, lines ``{"question": ..., "answers":
[...]}``), each answer a sentence of the store; the sentences are every sentence the lead can
quote, under the reader's encoder.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from advisor.answer.lead_projection import (
    CORPUS_DIR,
    PROJECTION_PATH,
    fit_projection,
    save,
    training_digest,
)

if TYPE_CHECKING:
    from advisor.config import Settings

__all__ = ["corpus_questions", "key_questions", "main"]

Question = tuple[str, tuple[str, ...]]  # the question, the sentences that answer it


def key_questions(folder: Path) -> list[Question]:
    """The question keys of the sidecars under ``folder``, as the lead reads them."""
    from advisor.answer.lead import _key_answers

    return list(_key_answers(folder).items())


def corpus_questions(folder: Path = CORPUS_DIR) -> list[Question]:
    """The lead corpus's questions; a line that does not parse, or lacks a question or its
    answers, is an error naming the file and line."""
    paths = sorted(Path(folder).glob("*.jsonl")) if Path(folder).is_dir() else []
    if not paths:
        raise ValueError(f"no *.jsonl files in {folder} (--corpus)")
    out: list[Question] = []
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                question, answers = str(row["question"]), tuple(str(a) for a in row["answers"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a lead corpus row ({exc})") from exc
            if not question.strip() or not answers:
                raise ValueError(f"{path}:{n}: a row needs a question and at least one answer")
            out.append((question, answers))
    return out


def main(settings: Settings, out: Path = PROJECTION_PATH, corpus: Path = CORPUS_DIR,
         log: Callable[[str], None] = lambda m: print(m, file=sys.stderr)) -> int:
    from advisor.answer.lead import LeadFinder, _encoded_form, _fold, _sentence_encoder
    from advisor.search.knowledge_base import KnowledgeBase

    try:
        extra = corpus_questions(corpus)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    knowledge = KnowledgeBase(settings)
    knowledge.ensure_ingested()
    index = LeadFinder(knowledge)._sentences()
    questions = key_questions(settings.knowledge_dir) + extra
    folded = [_fold(t) for t in index.texts]
    answers: list[list[int]] = []
    for _, said in questions:
        wanted = [_fold(a) for a in said if a.strip()]
        answers.append([i for i, f in enumerate(folded) if any(a in f or f in a for a in wanted)])
    missing = sum(1 for a in answers if not a)
    log(f"{len(questions)} training questions ({missing} with no answering sentence in the "
        f"store, left out) over {len(index.texts)} sentences")
    started = time.perf_counter()
    vectors = _sentence_encoder([_encoded_form(q) for q, _ in questions])
    log(f"encoded in {time.perf_counter() - started:.1f}s; fitting ...")
    try:
        projection = fit_projection(vectors, answers, index.vectors, log=log)
        meta = {"questions": len(questions) - missing, "sentences": len(index.texts),
                "data": training_digest([q for q, _ in questions], index.texts)}
        save(projection, meta, out)
    except (ValueError, OSError) as exc:  # an empty store, no answer found, an unwritable --out
        print(f"error: {exc}", file=sys.stderr)
        return 2
    log(f"wrote {out}")
    return 0

