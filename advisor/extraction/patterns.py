"""The pattern reader: vocabularies with negation scope (``cues.toml``) and numbers with units
(``quantities``), combined per field, and the facts they imply (``derive``).

Exact where it fires, fast and torch-free: retrieval reads a question's facts with it
(``search.situation_match``), and the learned reader (``reader``) lets its values stand and
fills only its gaps.
"""

from __future__ import annotations

import re
from collections import defaultdict

from advisor.extraction import quantities as q
from advisor.extraction.cues import Hit, find_hits
from advisor.extraction.lexicon import ALL_CUES, FRAGMENTS
from advisor.extraction.text import situation_sentences
from advisor.schemas.decision import Situation

# When cues disagree on an enum field, the value listed first wins.
FIELD_PRIORITY: dict[str, tuple[object, ...]] = {
    "knowledge_change_frequency": ("real_time", "daily", "weekly", "monthly", "rarely", "static"),
    "knowledge_size": ("large", "fits_in_prompt", "none"),
    "output_format_strictness": ("strict", "structured", "free"),
    "deployment": ("air_gapped", "on_device", "on_premises", "cloud"),
    "base_model_size": ("small", "medium", "large"),
    "prompting_outcome": ("fails", "inconsistent", "works"),
    "current_approach": ("fine_tuning", "rag", "prompting"),
    "complaint": (
        "hallucination", "stale_facts", "arithmetic", "retrieval_quality", "format", "tone",
        "off_topic", "latency", "cost",
    ),
    # Booleans: an explicit negative phrase beats a loose positive match for these three;
    # for every other boolean a positive mention wins.
    "needs_private_knowledge": (False, True),
    "regulated": (False, True),
    "needs_actions": (True, False),
    "prompting_tried": (False, True),
}  # fmt: skip
# "a huge archive" or "40,000 reports" is a knowledge base only where the message consults it
_CONSULTED = re.compile(FRAGMENTS["_CONSULTED"])
BEHAVIOUR_COMPLAINTS = ("format", "tone", "off_topic")


def _combine(hits: list[Hit]) -> dict[str, object]:
    by_field: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_field[hit.field].append(hit)
    out: dict[str, object] = {}
    for field, field_hits in by_field.items():
        values = [h.value for h in field_hits]
        order = FIELD_PRIORITY.get(field)
        if order is not None:
            out[field] = min(values, key=lambda v: order.index(v) if v in order else len(order))
        elif all(isinstance(v, bool) for v in values):
            out[field] = any(values)
        else:
            out[field] = values[0]  # first mention
    return out


def derive(facts: dict[str, object]) -> None:
    """Facts implied by other facts (only filling unknowns)."""
    complaint = facts.get("complaint")
    if facts.get("prompting_outcome") is not None:
        facts.setdefault("prompting_tried", True)
    if complaint == "format":
        facts.setdefault("output_format_strictness", "strict")
    if complaint == "tone":
        facts.setdefault("tone_requirement", True)
    if complaint == "off_topic":
        facts.setdefault("needs_consistent_behaviour", True)
    if complaint == "arithmetic":
        facts.setdefault("needs_exact_computation", True)
    if complaint in BEHAVIOUR_COMPLAINTS and facts.get("current_approach") != "fine_tuning":
        facts.setdefault("prompting_tried", True)
        if facts.get("prompting_tried") is True:
            facts.setdefault("prompting_outcome", "inconsistent")
    if facts.get("knowledge_size") == "large":
        facts.setdefault("needs_private_knowledge", True)
    params = facts.get("base_model_params_billions")
    if isinstance(params, float):
        facts["base_model_size"] = q.model_size_from_params(params)


def read_patterns(text: str) -> Situation:
    stated, inferred = pattern_facts(text)
    facts = {**inferred, **stated}
    derive(facts)
    return Situation(**facts)


def pattern_facts(text: str) -> tuple[dict[str, object], dict[str, object]]:
    """What the patterns read, in two layers: the facts a cue or a number states, and the
    inferences of ``fallback`` cues for fields no cue stated ("we tried prompting" and ask
    for help: it has not been enough), which fill a gap only after every other reader has had
    its say (``reader`` lets its heads fill first). Nothing is derived yet (``derive``)."""
    sentences = situation_sentences(text)
    hits = list(find_hits(ALL_CUES, sentences))
    facts = _combine([h for h in hits if not h.fallback])

    numbers = q.knowledge_numbers(sentences)
    facts.update(numbers)
    size = q.knowledge_size_from_numbers(numbers)
    if size is not None:
        facts["knowledge_size"] = size  # stated numbers beat adjectives
    if facts.get("knowledge_size") == "large" and not _CONSULTED.search(" ".join(sentences)):
        del facts["knowledge_size"]  # a large collection nothing consults is data, not knowledge
    for field, value in (
        ("labeled_examples", q.labeled_examples(sentences)),
        ("requests_per_day", q.requests_per_day(sentences)),
        ("latency_p95_ms", q.latency_ms(sentences)),
        ("base_model_params_billions", q.model_params_billions(sentences)),
    ):
        if value is not None:
            facts[field] = value
    inferred = _combine([h for h in hits if h.fallback])
    return facts, {k: v for k, v in inferred.items() if k not in facts}
