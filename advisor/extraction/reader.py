"""The offline reader: learned per-field heads over a pretrained sentence encoder.

A team's message is embedded once (``encoder.features``) and every field's head says whether
the message states it and with which value. The patterns (vocabularies with negation scope,
"we have not tried prompting") are exact where they fire, so their value stands; where they
found nothing, a head that is sure enough (``THRESHOLD``, or ``FIELD_THRESHOLD`` for a head
whose confident reads proved wrong too often on rows it was not trained on) fills the field from how the
message is phrased, in words no vocabulary lists; else the field stays unknown, which the
decision tool reasons about (and asks a follow-up question for). Numbers are read by the patterns in ``quantities``
(units, "a few hundred", "10M a month"); a knowledge question's figures ("is 100 ms realistic
for RAG?") never get here, because the service hands the reader only the sentences that
describe the team's case (``question_type``). Facts implied by others are derived as the
patterns do (``patterns.derive``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from advisor.extraction.heads import CLASSES, NUMERIC, TOPIC, Heads, probabilities
from advisor.schemas.decision import Situation

HEADS_PATH = Path(__file__).resolve().parent / "model" / "heads.npz"
THRESHOLD = 0.35  # chosen by 3-fold cross-validation on the corpus (docs/decisions.md)
# Where a head's confident reads are wrong too often on messages it was not trained on, it must
# be surer: on the 900 narrative rows (docs/decisions.md) the private-knowledge head's reads where
# no pattern fired agreed 108, spurious 99, contradicted 7 at 0.35; at 0.6, 63 / 28 / 1.
FIELD_THRESHOLD = {"needs_private_knowledge": 0.6}
# The patterns' inferences fill what is still open after the heads, but for these fields the
# inference wins, unless a field listed with it was read (evidence the other way): "Can we have
# GPT-4o do the coding via its API?" says prompting has not been tried, unless an outcome or a
# current approach was read. Where a head and the inference disagreed, the inference matched the
# labels in 2 of 2 (corpus and dev sets) for prompting_tried, and in 0 of 8 for prompting_outcome.
INFERENCE_OVER_HEADS: dict[str, tuple[str, ...]] = {
    "prompting_tried": ("prompting_outcome", "current_approach"),
}
# Fields no head fills where the patterns read one of the listed numbers: counted documents
# decide the knowledge base's size, or leave it open, never the message's phrasing ("20,000 pages
# of grid codes to convert" is no knowledge base to retrieve from, nor one that fits the prompt).
DECIDED_BY_NUMBERS: dict[str, tuple[str, ...]] = {
    "knowledge_size": ("knowledge_documents", "knowledge_tokens"),
}
CACHE_SIZE = 4096


@lru_cache(maxsize=1)
def load_heads(path: Path = HEADS_PATH) -> Heads:
    return Heads.load(path)


def combine(probabilities: dict[str, np.ndarray], patterns: Situation) -> dict[str, object]:
    """The facts: the patterns' values (numbers only from them), gaps filled by confident heads."""
    facts: dict[str, object] = {}
    found = patterns.known()
    for field, classes in CLASSES.items():
        p = probabilities.get(field)
        if field in NUMERIC:
            if field in found:
                facts[field] = found[field]
            continue
        if field in found:
            facts[field] = found[field]
            continue
        if p is None:
            continue
        if any(f in found for f in DECIDED_BY_NUMBERS.get(field, ())):
            continue
        best = int(np.argmax(p[1:])) + 1
        if p[best] >= FIELD_THRESHOLD.get(field, THRESHOLD):
            facts[field] = classes[best]
    return facts


@lru_cache(maxsize=CACHE_SIZE)
def message_features(text: str) -> np.ndarray:
    """The encoder's features of one message (one row), kept for the topic check and the
    reader, which often see the same message."""
    from advisor.extraction.encoder import features

    x = features([text])
    x.setflags(write=False)  # shared by every caller through the cache
    return x


@lru_cache(maxsize=CACHE_SIZE)
def read_situation(text: str) -> Situation:
    """The Situation a message states (unknown fields stay None)."""
    from advisor.extraction.patterns import derive, pattern_facts

    heads = load_heads()
    by_field = heads.predict(message_features(text))[0]
    by_field.pop(TOPIC, None)
    stated, inferred = pattern_facts(text)
    derive(stated)
    facts = combine(by_field, Situation(**stated))
    for field, value in inferred.items():  # the patterns' inferences fill what is still open
        vetoes = INFERENCE_OVER_HEADS.get(field)
        if vetoes is not None and field not in stated and all(facts.get(f) is None for f in vetoes):
            facts[field] = value
        facts.setdefault(field, value)
    derive(facts)
    return Situation(**facts)


def topic_probability(text: str) -> float | None:
    """How sure the topic head is that a message is about building with LLMs (the advisor's
    domain) at all; None when the shipped heads have no topic head or the text is blank."""
    weights = load_heads().weights.get(TOPIC)
    if weights is None or not text.strip():
        return None
    return float(probabilities(weights, message_features(text))[0, 1])
