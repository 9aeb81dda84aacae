"""What the suites run through the Advisor: the decision predictor (assess, no composition),
the tallied ask for answer sets, the metrics they add, and the knowledge texts for the verbatim
check. Shared by the single-suite commands (``evals.commands``) and ``eval all`` (``evals.suite``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from advisor.config import Settings
from evals.decisions import Prediction


def decision_predictor(
    advisor: Any,
    latencies: list[float] | None = None,
    tally: Any = None,
    progress: Any = None,
) -> Callable[[str], Prediction]:
    """predict(situation) = the approach the Advisor recommends and the situation it read:
    extraction (through the configured model) and the decision rules, no retrieval and no
    composed answer, which this eval does not score. ``tally`` (an
    ``evals.provenance.SourceTally``) counts who read each situation and how long each case
    took; ``progress`` shows each case as it is done."""
    from advisor.schemas.reply import ChatMessage

    def predict(situation: str) -> Prediction:
        started = time.perf_counter()
        assessment = advisor.assess([ChatMessage(role="user", content=situation)])
        seconds = time.perf_counter() - started
        if latencies is not None:
            latencies.append(seconds * 1000.0)
        if tally is not None:
            tally.record(assessment.extraction)
            tally.add_case(seconds)
        if progress is not None:
            progress.step(f"{assessment.recommendation.approach} "
                          f"(extraction {assessment.extraction}, {seconds:.1f} s)")
        return Prediction(assessment.recommendation.approach, assessment.situation)

    return predict


def decision_metrics(metrics: dict[str, Any], latencies: list[float]) -> dict[str, Any]:
    """Add per-label precision/recall/F1 as flat keys, and ask latency."""
    from evals.metrics import percentile

    out = dict(metrics)
    for label, m in metrics["per_label"].items():
        for key in ("precision", "recall", "f1"):
            out[f"{key}_{label}"] = m[key]
    if latencies:
        out["latency_ms_p50"] = percentile(latencies, 50)
        out["latency_ms_p95"] = percentile(latencies, 95)
        out["latencies_ms"] = [round(v, 3) for v in latencies]
    return out


def knowledge_texts(settings: Settings) -> dict[str, str]:
    """doc id -> article text of the configured knowledge folder (for the verbatim check)."""
    from advisor.knowledge.documents import load_folder

    if not settings.knowledge_dir.exists():
        return {}
    return {d.id: d.text for d in load_folder(settings.knowledge_dir).documents}


def tallied_ask(advisor: Any, tally: Any, progress: Any = None) -> Callable[..., Any]:
    """``advisor.ask`` that counts each reply's sources; a conversation's first turn (one user
    message) starts a new case, whose seconds are its turns' together."""

    def ask(messages: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        reply = advisor.ask(messages, *args, **kwargs)
        seconds = time.perf_counter() - started
        tally.record(reply.extraction, reply.composition)
        if sum(m.role == "user" for m in messages) == 1:
            tally.add_case(seconds)
        else:
            tally.add_to_case(seconds)
        if progress is not None:
            progress.step(f"extraction {reply.extraction}, composition {reply.composition}, "
                          f"{seconds:.1f} s")
        return reply

    return ask
