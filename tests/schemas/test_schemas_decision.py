"""Decision schemas: exact JSON round trips, merge/known, readable change lines."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from advisor.decision import decide
from advisor.schemas.decision import (
    APPROACHES,
    Alternative,
    AntiPatternWarning,
    CostSketch,
    Disagreement,
    Evidence,
    FollowUpQuestion,
    Reason,
    Recommendation,
    Situation,
    situation_changes,
)

QUOTE = Evidence(
    doc_id="rag-vs-fine-tuning-decision-framework",
    quote="Use RAG for facts and fine-tune for style. Never the other way around.",
)


def test_approaches_are_the_five_labels_in_contract_order() -> None:
    assert APPROACHES == ("prompting", "rag", "fine_tuning", "hybrid", "tool_calling")


def test_every_situation_field_is_optional_and_described() -> None:
    empty = Situation()
    assert empty.known() == {}
    for name, field in Situation.model_fields.items():
        assert getattr(empty, name) is None, name
        assert field.description and len(field.description) > 20, name


def test_situation_rejects_values_outside_the_enums() -> None:
    with pytest.raises(ValidationError):
        Situation(knowledge_change_frequency="hourly")
    with pytest.raises(ValidationError):
        Situation(labeled_examples=-1)


def test_merge_lets_newer_known_fields_win_and_keeps_older_ones() -> None:
    old = Situation(labeled_examples=50, needs_citations=True, deployment="cloud")
    new = Situation(labeled_examples=5000, deployment=None, tone_requirement=False)
    merged = old.merge(new)
    assert merged.labeled_examples == 5000
    assert merged.needs_citations is True
    assert merged.deployment == "cloud"  # None in the newer turn means "not mentioned"
    assert merged.tone_requirement is False  # a known False is information, not absence
    assert old.labeled_examples == 50  # merge does not mutate


def test_known_lists_only_non_none_fields_in_declaration_order() -> None:
    s = Situation(requests_per_day=100.0, knowledge_change_frequency="weekly", needs_actions=False)
    assert list(s.known()) == ["knowledge_change_frequency", "needs_actions", "requests_per_day"]


def test_situation_changes_are_readable_lines() -> None:
    old = Situation(needs_citations=True)
    new = old.merge(
        Situation(labeled_examples=5000, requests_per_day=40000.0, needs_citations=False)
    )
    assert situation_changes(old, new) == [
        "needs_citations: yes -> no",
        "labeled_examples: unknown -> 5000",
        "requests_per_day: unknown -> 40000",
    ]
    assert situation_changes(new, new) == []


def _full_recommendation() -> Recommendation:
    return Recommendation(
        approach="hybrid",
        confidence=0.72,
        summary="Hybrid: facts change weekly and the voice must hold.",
        reasons=[
            Reason(
                factor="tone_requirement",
                statement="Voice is behaviour.",
                evidence=[QUOTE],
                rule_id="tone",
            )
        ],
        warnings=[
            AntiPatternWarning(code="x", message="careful “quotes” — and dashes", evidence=[QUOTE])
        ],
        next_steps=["Index the docs."],
        follow_up_questions=[
            FollowUpQuestion(field="labeled_examples", question="How many?", impact=0.4)
        ],
        alternatives=[Alternative(approach="rag", condition="if no voice were required")],
        cost_sketch=CostSketch(
            requests_per_day=40000.0,
            rag_overhead_usd_per_request=0.0012,
            rag_overhead_usd_per_month=1440.0,
            fine_tuning_usd_per_month=666.67,
            break_even_requests_per_day=18518.5,
            cheaper_at_this_volume="fine_tuning",
            retrieval_latency_ms=150.0,
            latency_note="n",
            summary="s",
            assumptions=["a"],
        ),
        disagreements=[Disagreement(topic="t", positions=[QUOTE, QUOTE])],
        scores={"rag": 5.0, "fine_tuning": 1.5},
    )


def test_recommendation_json_round_trip_is_exact() -> None:
    rec = _full_recommendation()
    assert Recommendation.model_validate_json(rec.model_dump_json()) == rec
    assert Recommendation.model_validate(rec.model_dump(mode="json")) == rec


@pytest.mark.parametrize(
    "situation",
    [
        Situation(),
        Situation(
            knowledge_change_frequency="weekly", tone_requirement=True, requests_per_day=12345.678
        ),
        Situation(needs_live_data=True, labeled_examples=3, latency_p95_ms=180.0),
        Situation(
            deployment="on_device", complaint="hallucination", base_model_params_billions=7.0
        ),
    ],
)
def test_decided_recommendations_round_trip_exactly(situation: Situation) -> None:
    rec = decide(situation)
    assert Recommendation.model_validate_json(rec.model_dump_json()) == rec
    assert Situation.model_validate_json(situation.model_dump_json()) == situation


def test_recommendation_needs_a_reason_and_a_bounded_confidence() -> None:
    rec = _full_recommendation()
    with pytest.raises(ValidationError):
        Recommendation.model_validate({**rec.model_dump(), "reasons": []})
    with pytest.raises(ValidationError):
        Recommendation.model_validate({**rec.model_dump(), "confidence": 1.5})
    with pytest.raises(ValidationError):
        Recommendation.model_validate({**rec.model_dump(), "approach": "agents"})


def test_evidence_is_immutable() -> None:
    with pytest.raises(ValidationError):
        QUOTE.quote = "changed"  # type: ignore[misc]
