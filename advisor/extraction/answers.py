"""Short answers to the advisor's own follow-up questions ("yes", "about 5k", "weekly").

A bare answer means nothing on its own; given the question it answers (the text
of the advisor's previous message), it fills the field that question asked about.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from advisor.decision.probes import QUESTIONS
from advisor.extraction.numbers import first_number
from advisor.extraction.text import normalize
from advisor.schemas.decision import Situation

_YES = re.compile(
    r"^\W*(yes|yeah|yep|yup|sure|correct|right|definitely|absolutely|indeed|true|of course|"
    r"we do|it does|they do|it must|we must|they must|it has to|must|required|needed|always)\b"
)
_NO = re.compile(
    r"^\W*(no|nope|nah|not really|not at all|never|none|false|we don't|it doesn't|they don't|"
    r"not needed|not required|doesn't matter|don't care|n/a)\b"
)

# How to read a short answer for a non-boolean field: a phrase that gives the bare
# answer the context the sentence-level vocabularies expect.
_CONTEXT: dict[str, Callable[[str], str]] = {
    "knowledge_change_frequency": lambda a: f"the knowledge changes {a}",
    "knowledge_size": lambda a: f"the knowledge base is {a}",
    "labeled_examples": lambda a: f"labeled examples: {a}",
    "requests_per_day": lambda a: (
        a
        if re.search(r"\b(day|week|month|hour|second|year|daily|qps)", a)
        else f"{a} requests a day"
    ),
    "latency_p95_ms": lambda a: (
        f"latency under {a}" + ("" if re.search(r"\d\s*(ms|s|sec|second)", a) else " ms")
    ),
    "deployment": lambda a: f"the model runs {a}",
    "output_format_strictness": lambda a: f"the output format {a}",
    "prompting_outcome": lambda a: f"prompting {a}",
    "complaint": lambda a: f"the model {a}",
    "base_model_size": lambda a: f"we use {a} model",
}


def asked_field(asked: str) -> str | None:
    """The Situation field of the last follow-up question quoted in `asked`."""
    text = normalize(asked)
    best: tuple[int, str] | None = None
    for question in QUESTIONS:
        position = text.rfind(normalize(question.text))
        if position >= 0 and (best is None or position > best[0]):
            best = (position, question.field)
    return best[1] if best else None


def split_quoted_question(text: str) -> tuple[str | None, str]:
    """A message that repeats one of the advisor's follow-up questions (the web page puts a
    clicked question into the box) is a reply to it: (the question, the rest of the message)."""
    lowered = text.lower()
    for question in QUESTIONS:
        at = lowered.find(question.text.lower())
        if at >= 0:
            rest = text[:at] + text[at + len(question.text):]
            return question.text, rest.strip()
    return None, text


def answer_to(field: str, answer: str, extract: Callable[[str], Situation]) -> dict[str, Any]:
    """The value(s) a short `answer` gives for `field` (empty when it does not say)."""
    text = normalize(answer)
    annotation = Situation.model_fields[field].annotation
    if annotation == (bool | None):
        if _NO.search(text):
            return {field: False}
        if _YES.search(text):
            return {field: True}
        return {}
    if field == "prompting_outcome" and (
        _NO.search(text) or re.search(r"\b(haven't|have not|not yet|didn't|did not)\b", text)
    ):
        return {"prompting_tried": False}
    if field in _CONTEXT:
        value = getattr(extract(_CONTEXT[field](text)), field)
        if value is None and field in ("labeled_examples", "requests_per_day", "latency_p95_ms"):
            number = first_number(text)
            value = (
                None if number is None else (int(number) if field == "labeled_examples" else number)
            )
        if value is None and field == "labeled_examples" and _NO.search(text):
            value = 0
        if value is None:
            return {}
        return (
            {field: value, "prompting_tried": True}
            if field == "prompting_outcome"
            else {field: value}
        )
    return {}
