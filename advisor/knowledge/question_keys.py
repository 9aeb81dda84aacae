"""Question keys: the questions a document answers, indexed as extra search keys of its chunks.

A user rarely asks in the words of the passage that answers them ("my feeds change every few
minutes" against "the task requires real-time data"), but often in the words of another user.
Indexing anticipated questions next to the passages that answer them (LangChain's
"hypothetical questions" of the multi-vector retriever, doc2query in the literature) lets a
question meet the passage through a question like it.

The questions live beside the document, in a sidecar file named after it:
``knowledge/<stem>.questions.jsonl``, one JSON object a line::

    {"question": "Our catalogue changes every week. Should the model learn it?",
     "answers": ["RAG wins when the information changes often."]}

Each answer is a verbatim span of the document (compared after folding case, whitespace and
curly quotes). A chunk carries the questions whose answer it contains, and its id hashes them,
so editing the sidecar replaces exactly the chunks whose keys changed. A line that is not valid
JSON, lacks a field, or whose answer is not in the document is reported with its line number;
the document and the other lines still load. The shipped articles' questions were written by
authors who saw only the articles, never the evaluation sets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import ValidationError

from advisor.extraction.text import normalize
from advisor.schemas.retrieval import Document, QuestionKey

SUFFIX = ".questions.jsonl"
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """The extractor's normalisation (NFKC, straight quotes, spaced dashes, lower case) with
    line breaks folded too, for matching an answer to a span."""
    return _SPACE.sub(" ", normalize(text))


def sidecar(path: Path) -> Path:
    """Where the questions of the document at ``path`` live."""
    return path.with_name(path.stem + SUFFIX)


def read_keys(path: Path) -> tuple[list[tuple[int, QuestionKey]], list[tuple[int, str]]]:
    """The sidecar's question keys with their line numbers (questions with spaces folded), and
    a problem per line that is not a question with answers."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return [], [(0, f"cannot read it: {exc}")]
    keys: list[tuple[int, QuestionKey]] = []
    problems: list[tuple[int, str]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            key = QuestionKey.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            problems.append((n, f"line {n}: not a question with answers ({_reason(exc)})"))
            continue
        keys.append((n, key.model_copy(update={"question": _SPACE.sub(" ", key.question).strip()})))
    return keys, problems


def load_questions(path: Path, doc: Document) -> tuple[list[QuestionKey], list[str]]:
    """The question keys in ``path`` whose answers ``doc`` contains, and a problem per bad line."""
    read, problems = read_keys(path)
    body = fold(doc.text)
    keys: list[QuestionKey] = []
    for n, key in read:
        missing = [a for a in key.answers if fold(a) not in body]
        if missing:
            problems.append((n, f"line {n}: answer not in {doc.id}: {missing[0][:60]!r}"))
            continue
        keys.append(key)
    return keys, [message for _, message in sorted(problems, key=lambda p: p[0])]


def questions_in(doc: Document, span: str) -> list[str]:
    """The document's questions with an answer inside ``span`` (a chunk's text), in order."""
    if not doc.questions:
        return []
    folded = fold(span)
    return list(dict.fromkeys(
        k.question for k in doc.questions if any(fold(a) in folded for a in k.answers)
    ))


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}"
                         for e in exc.errors()[:2])
    return str(exc).split(":")[0]
