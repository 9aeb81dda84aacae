"""Situation concepts: the lexicon concepts a question implies through the facts it states.

"Carrier feeds that update every few minutes" shares no word with "The task requires real-time
data", and no lexicon group should make "minutes" mean live data. The extractor the decision
uses already reads that fact (``knowledge_change_frequency="real_time"``, ``needs_live_data``).
Each fact maps to the concepts an article would use to discuss it, and the retriever adds the
concepts the question does not already name as a third query group (``SITUATION_WEIGHT``), so a
situation described in its own words meets the passage that names it.

The map was written from what each field means, like the lexicon, not from evaluation
questions: one entry per value of the ``Situation`` schema that an article of this field would
name; fields no passage discusses as such (request counts alone, current approach) map to
nothing.
"""

from __future__ import annotations

from advisor.text.lexicon import CONCEPT_PREFIX

_FLAGS: dict[str, tuple[str, ...]] = {  # boolean fact, when true
    "needs_live_data": ("live_data", "tool_calling"),
    "needs_actions": ("tool_calling",),
    "needs_exact_computation": ("tool_calling",),
    "needs_citations": ("traceability",),
    "needs_audit": ("traceability",),
    "regulated": ("regulated",),
    "tone_requirement": ("style",),
    "specialised_jargon": ("domain_language",),
    "needs_consistent_behaviour": ("behavior",),
}
_VALUES: dict[str, dict[str, tuple[str, ...]]] = {  # categorical fact, by value
    "knowledge_change_frequency": {
        "real_time": ("live_data", "freshness"), "daily": ("freshness",),
        "weekly": ("freshness",), "monthly": ("freshness",),
        "rarely": ("static_knowledge",), "static": ("static_knowledge",),
    },
    "output_format_strictness": {"strict": ("format",)},
    "deployment": {"on_device": ("on_device",), "air_gapped": ("on_device",)},
    "knowledge_size": {"large": ("large_corpus",), "fits_in_prompt": ("prompt_size",)},
    "base_model_size": {"small": ("model_size",)},
    "complaint": {
        "hallucination": ("hallucination",), "stale_facts": ("freshness",),
        "retrieval_quality": ("retrieval_quality",), "format": ("format",),
        "tone": ("style",), "latency": ("latency",), "cost": ("cost",),
        "arithmetic": ("tool_calling",),
    },
}  # fmt: skip
SMALL_DATA_BELOW = 100  # labelled examples: fewer is "small data", more is training data
HIGH_VOLUME = 100_000  # requests a day from which cost and scale are the question
TIGHT_LATENCY_MS = 500  # a p95 budget at or under this makes latency the question


def concepts_of(situation: object) -> list[str]:
    """Concept tokens (``#name``) the facts of a ``Situation`` imply, in a stable order."""
    names: list[str] = []
    for field, concepts in _FLAGS.items():
        if getattr(situation, field, None) is True:
            names += concepts
    for field, by_value in _VALUES.items():
        names += by_value.get(getattr(situation, field, None), ())  # type: ignore[arg-type]
    examples = getattr(situation, "labeled_examples", None)
    if examples is not None:
        names.append("small_data" if examples < SMALL_DATA_BELOW else "training_data")
    volume = getattr(situation, "requests_per_day", None)
    if volume is not None and volume >= HIGH_VOLUME:
        names += ("scale", "cost")
    latency = getattr(situation, "latency_p95_ms", None)
    if latency is not None and latency <= TIGHT_LATENCY_MS:
        names.append("latency")
    return [CONCEPT_PREFIX + n for n in dict.fromkeys(names)]


def implied_concepts(question: str, named: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The concepts the question's stated facts imply, without those it already ``named``."""
    from advisor.extraction.offline import pattern_situation

    return [c for c in concepts_of(pattern_situation(question)) if c not in named]
