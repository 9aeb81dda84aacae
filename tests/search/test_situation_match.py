"""Situation concepts: the lexicon concepts a question's stated facts imply."""

from __future__ import annotations

import pytest

from advisor.schemas.decision import Situation
from advisor.search.situation_match import _FLAGS, _VALUES, concepts_of, implied_concepts
from advisor.text.lexicon import CONCEPT_PREFIX, CONCEPTS


def test_every_mapped_concept_is_a_lexicon_concept() -> None:
    """A misspelt name would be a query token no passage carries: a silent no-op."""
    names = {c for cs in _FLAGS.values() for c in cs}
    names |= {c for by_value in _VALUES.values() for cs in by_value.values() for c in cs}
    names |= {"small_data", "training_data", "scale", "cost", "latency"}
    assert names <= set(CONCEPTS)


def test_every_mapped_field_and_value_is_in_the_situation_schema() -> None:
    fields = Situation.model_fields
    assert set(_FLAGS) <= set(fields) and set(_VALUES) <= set(fields)
    for field, by_value in _VALUES.items():
        for value in by_value:  # the schema accepts the value: a typo would never match
            Situation.model_validate({field: value})


@pytest.mark.parametrize(("facts", "expected"), [
    ({"needs_live_data": True}, ["live_data", "tool_calling"]),
    ({"knowledge_change_frequency": "weekly"}, ["freshness"]),
    ({"deployment": "air_gapped"}, ["on_device"]),
    ({"labeled_examples": 60}, ["small_data"]),
    ({"labeled_examples": 5000}, ["training_data"]),
    ({"requests_per_day": 2_000_000, "latency_p95_ms": 200}, ["scale", "cost", "latency"]),
    ({"requests_per_day": 300, "latency_p95_ms": 3000}, []),
    ({"needs_live_data": False, "deployment": "cloud"}, []),
    ({"needs_citations": True, "needs_audit": True}, ["traceability"]),  # once, not twice
])
def test_concepts_of_a_situation(facts: dict, expected: list[str]) -> None:
    assert concepts_of(Situation(**facts)) == [CONCEPT_PREFIX + n for n in expected]


def test_implied_concepts_reads_the_question_and_skips_what_it_names() -> None:
    question = "The carrier feeds update every few minutes; customers ask where their parcel is."
    implied = implied_concepts(question)
    assert "#live_data" in implied
    assert "#live_data" not in implied_concepts(question, {"#live_data"})
    assert implied_concepts("What is a good name for our team?") == []
