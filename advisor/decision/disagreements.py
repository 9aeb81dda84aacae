"""Where the articles disagree, and when a recommendation should say so."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.decision import evidence as ev
from advisor.decision.conditions import All, AnyOf, Between, Condition, In, Is, Known
from advisor.schemas.decision import Evidence


@dataclass(frozen=True)
class KnownDisagreement:
    topic: str
    when: Condition
    positions: tuple[Evidence, ...]


# fmt: off
DISAGREEMENTS: tuple[KnownDisagreement, ...] = (
    KnownDisagreement(
        "Where to start: one article says start with prompting (80% of the time neither RAG "
        "nor fine-tuning is needed); three others call RAG the default starting point.",
        In("approach", ("prompting", "rag")),
        (ev.PROMPTING_FIRST, ev.GOLDEN_RULE_RAG, ev.START_WITH_RAG_BUILDERS,
         ev.START_WITH_RAG_NOBODY)),
    KnownDisagreement(
        "Real-time data: one article puts stock prices and live inventory in RAG's column; "
        "another says real-time data needs an API integration.",
        AnyOf(Is("needs_live_data", True), Is("knowledge_change_frequency", "real_time")),
        (ev.DYNAMIC_DATA, ev.REAL_TIME_API)),
    KnownDisagreement(
        "How much data fine-tuning needs: 'hundreds to thousands' of pairs in one article, "
        "'1,000+' in another.",
        AnyOf(In("approach", ("fine_tuning", "hybrid")), Between("labeled_examples", 100, 1000)),
        (ev.DATA_HUNDREDS_TO_THOUSANDS, ev.DATA_1000_PLUS)),
    KnownDisagreement(
        "Whether fine-tuning saves money: one article says it wins at scale once training is "
        "amortised; another rates its cost high because of datasets, compute and retraining.",
        AnyOf(Known("requests_per_day"), Is("complaint", "cost")),
        (ev.WINS_AT_SCALE, ev.FT_COST_HIGH)),
    KnownDisagreement(
        "Format and behaviour: one article keeps them in prompt engineering and fine-tunes "
        "'only on the last-mile output layer, if at all'; another says fine-tuning often "
        "outperforms even a detailed system prompt for schema problems.",
        All(In("approach", ("fine_tuning", "hybrid")),
            AnyOf(In("output_format_strictness", ("strict", "structured")),
                  Is("complaint", "format"), Is("needs_consistent_behaviour", True))),
        (ev.PROMPT_FOR_BEHAVIOUR, ev.FT_LAST_MILE, ev.SCHEMA_PROBLEM)),
    KnownDisagreement(
        "Knowledge in the weights: one article recommends fine-tuning a local 7B model to "
        "memorise internal policies; another says fine-tuning does not keep facts up to date.",
        AnyOf(In("deployment", ("on_device", "air_gapped")), Is("base_model_size", "small")),
        (ev.LOCAL_SLM, ev.NO_FRESH_FACTS_IN_WEIGHTS)),
)
# fmt: on
