"""Cost and latency sketch: RAG's per-request overhead against fine-tuning's training
cost amortised over the request volume (the comparison decision-nobody-is-making-clearly
asks for). Deliberately rough; every number is a stated assumption.
"""

from __future__ import annotations

from advisor.schemas.decision import CostSketch, Situation

DAYS_PER_MONTH = 30
EXTRA_CONTEXT_TOKENS = 2_000  # retrieved chunks added to each prompt
INPUT_USD_PER_MILLION_TOKENS = 0.50
RETRIEVAL_USD_PER_REQUEST = 0.0002  # query embedding + vector search + index hosting, amortised
TRAINING_RUN_USD = 2_000.0  # dataset preparation + one parameter-efficient training run
RETRIEVAL_LATENCY_MS = 150.0  # embedding + search + longer prompt, typical p95 addition

# How many retraining runs a month the knowledge change frequency forces on a fine-tuned model.
RETRAINS_PER_MONTH: dict[str | None, float] = {
    "static": 1 / 12,
    "rarely": 1 / 6,
    "monthly": 1.0,
    "weekly": 4.0,
    "daily": 30.0,
    "real_time": 30.0,
    None: 1 / 3,
}


def _money(value: float) -> str:
    return f"${value:,.0f}" if value >= 100 else f"${value:,.2f}"


def _latency_note(latency_p95_ms: float | None) -> str:
    if latency_p95_ms is None:
        return (
            f"Retrieval typically adds about {RETRIEVAL_LATENCY_MS:.0f} ms (embedding, search, "
            "longer prompt); no latency target was given."
        )
    share = RETRIEVAL_LATENCY_MS / latency_p95_ms if latency_p95_ms > 0 else 1.0
    verdict = (
        "which leaves little room; a fine-tuned model without the retrieval hop fits better"
        if share >= 0.3
        else "which the budget can absorb"
    )
    return (
        f"Retrieval adds about {RETRIEVAL_LATENCY_MS:.0f} ms, {share:.0%} of the "
        f"{latency_p95_ms:.0f} ms p95 budget, {verdict}."
    )


def cost_sketch(situation: Situation) -> CostSketch | None:
    """None when the request volume is unknown (there is nothing to amortise over)."""
    volume = situation.requests_per_day
    if volume is None:
        return None
    per_request = (
        EXTRA_CONTEXT_TOKENS * INPUT_USD_PER_MILLION_TOKENS / 1e6 + RETRIEVAL_USD_PER_REQUEST
    )
    rag_month = per_request * volume * DAYS_PER_MONTH
    retrains = RETRAINS_PER_MONTH[situation.knowledge_change_frequency]
    ft_month = TRAINING_RUN_USD * retrains
    break_even = ft_month / (per_request * DAYS_PER_MONTH)
    cheaper = "fine_tuning" if ft_month < rag_month else "rag"
    summary = (
        f"At {volume:,.0f} requests/day retrieval overhead is about {_money(rag_month)}/month "
        f"against about {_money(ft_month)}/month of amortised fine-tuning "
        f"({retrains:.2g} training runs/month); break-even near {break_even:,.0f} requests/day, "
        f"so {'fine-tuning' if cheaper == 'fine_tuning' else 'retrieval'} is cheaper at this volume."
    )
    return CostSketch(
        requests_per_day=float(volume),
        rag_overhead_usd_per_request=round(per_request, 6),
        rag_overhead_usd_per_month=round(rag_month, 2),
        fine_tuning_usd_per_month=round(ft_month, 2),
        break_even_requests_per_day=round(break_even, 1),
        cheaper_at_this_volume=cheaper,
        retrieval_latency_ms=RETRIEVAL_LATENCY_MS,
        latency_note=_latency_note(situation.latency_p95_ms),
        summary=summary,
        assumptions=[
            (
                f"{EXTRA_CONTEXT_TOKENS:,} extra prompt tokens of retrieved context per request at "
                f"${INPUT_USD_PER_MILLION_TOKENS:.2f} per million input tokens"
            ),
            (
                f"${RETRIEVAL_USD_PER_REQUEST} per request for query embedding, vector search and "
                "index hosting"
            ),
            (
                f"${TRAINING_RUN_USD:,.0f} per fine-tuning run (data preparation plus a "
                "parameter-efficient training run)"
            ),
            (
                "retraining cadence follows how often the knowledge changes "
                f"({retrains:.2g} runs/month here; one per quarter when unknown)"
            ),
            "the fine-tuned model is served at the same per-token price as the base model",
            f"{DAYS_PER_MONTH} days per month",
        ],
    )
