"""Short replies to the advisor's follow-up questions fill the field that was asked."""

from __future__ import annotations

import pytest

from advisor.decision import decide
from advisor.decision.probes import QUESTIONS
from advisor.extraction import extract_situation
from advisor.schemas.decision import Situation

QUESTION = {q.field: q.text for q in QUESTIONS}


@pytest.mark.parametrize(
    ("field", "answer", "expected"),
    [
        ("needs_citations", "yes", {"needs_citations": True}),
        ("needs_citations", "Nope.", {"needs_citations": False}),
        ("needs_live_data", "yes, prices", {"needs_live_data": True}),
        ("labeled_examples", "about 5k", {"labeled_examples": 5000}),
        ("labeled_examples", "none yet", {"labeled_examples": 0}),
        ("requests_per_day", "40000", {"requests_per_day": 40000.0}),
        (
            "requests_per_day",
            "10M a month",
            {"requests_per_day": pytest.approx(333333.3, rel=1e-3)},
        ),
        ("latency_p95_ms", "200", {"latency_p95_ms": 200.0}),
        ("latency_p95_ms", "2 seconds", {"latency_p95_ms": 2000.0}),
        ("knowledge_change_frequency", "weekly", {"knowledge_change_frequency": "weekly"}),
        ("knowledge_change_frequency", "every day", {"knowledge_change_frequency": "daily"}),
        ("deployment", "on-prem", {"deployment": "on_premises"}),
        ("deployment", "on a phone with no internet", {"deployment": "on_device"}),
        ("output_format_strictness", "valid JSON", {"output_format_strictness": "strict"}),
        (
            "prompting_outcome",
            "it works fine",
            {"prompting_outcome": "works", "prompting_tried": True},
        ),
        ("prompting_outcome", "no, not yet", {"prompting_tried": False}),
        ("complaint", "makes things up", {"complaint": "hallucination"}),
    ],
)
def test_short_answer_fills_the_asked_field(field: str, answer: str, expected: dict) -> None:
    asked = f"Here is what I think so far. {QUESTION[field]}"
    known = extract_situation(answer, asked=asked).known()
    for key, value in expected.items():
        assert known.get(key) == value


def test_without_the_question_a_bare_answer_says_nothing() -> None:
    assert extract_situation("yes").known() == {}
    assert extract_situation("yes", asked="Any other questions?").known() == {}


def test_the_last_question_asked_is_the_one_answered() -> None:
    asked = f"{QUESTION['needs_citations']} {QUESTION['tone_requirement']}"
    assert extract_situation("yes", asked=asked).known() == {"tone_requirement": True}


def test_a_stated_fact_beats_the_short_answer_reading() -> None:
    s = extract_situation("We have no labeled data", asked=QUESTION["labeled_examples"])
    assert s.labeled_examples == 0


def test_a_follow_up_answer_can_settle_the_decision() -> None:
    before = Situation(knowledge_change_frequency="weekly")
    first = decide(before)
    asked = next(q for q in first.follow_up_questions if q.field == "tone_requirement")
    answer = extract_situation("yes, always our brand voice", asked=asked.question)
    assert answer.tone_requirement is True
    assert decide(before.merge(answer)).approach != first.approach


def test_a_follow_up_question_put_into_the_box_is_read_as_the_question_answered() -> None:
    from advisor.decision.probes import QUESTIONS
    from advisor.extraction import extract_situation

    voice = next(q for q in QUESTIONS if q.field == "tone_requirement")
    assert extract_situation(f"{voice.text} No.").tone_requirement is False
    assert extract_situation(f"{voice.text} Yes, our brand voice.").tone_requirement is True
