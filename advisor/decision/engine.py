"""decide(): Situation -> Recommendation. Pure and deterministic: no I/O, no LLM."""

from __future__ import annotations

import math
from collections.abc import Mapping

from advisor.decision.antipatterns import ANTI_PATTERNS
from advisor.decision.cost import cost_sketch
from advisor.decision.disagreements import DISAGREEMENTS
from advisor.decision.probes import FALLBACK_CONDITIONS, QUESTIONS, Probe, Question
from advisor.decision.rules import BASELINE_REASON, HYBRID_REASON, Rule
from advisor.decision.scoring import Scores, margin, resolve, score
from advisor.decision.steps import next_steps
from advisor.schemas.decision import (
    APPROACHES,
    Alternative,
    AntiPatternWarning,
    Approach,
    Disagreement,
    FollowUpQuestion,
    Reason,
    Recommendation,
    Situation,
)

MAX_REASONS = 6
MAX_FOLLOW_UPS = 5
LOW_CONFIDENCE = 0.4

LABELS: dict[Approach, str] = {
    "prompting": "Prompting",
    "rag": "RAG",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid (RAG for facts, fine-tuning for behaviour)",
    "tool_calling": "Tool calling",
}


def decide(situation: Situation) -> Recommendation:
    """Recommend an approach for `situation`, with cited reasons and what would change it."""
    facts = situation.model_dump()
    scores = score(facts)
    approach = resolve(scores)
    context = {**facts, "approach": approach}
    outcomes = _probe_outcomes(facts)
    reasons = _reasons(scores, approach)
    confidence = _confidence(scores, approach)
    return Recommendation(
        approach=approach,
        confidence=confidence,
        summary=_summary(approach, reasons, scores, confidence),
        reasons=reasons,
        warnings=[
            AntiPatternWarning(code=a.code, message=a.message, evidence=list(a.evidence))
            for a in ANTI_PATTERNS
            if a.when.holds(context)
        ],
        next_steps=next_steps(context, approach),
        follow_up_questions=_follow_ups(facts, approach, outcomes),
        alternatives=_alternatives(facts, approach, outcomes),
        cost_sketch=cost_sketch(situation),
        disagreements=[
            Disagreement(topic=d.topic, positions=list(d.positions))
            for d in DISAGREEMENTS
            if d.when.holds(context)
        ],
        scores=scores.as_dict(),
    )


def _supports(rule: Rule, approach: Approach) -> float:
    """How strongly a fired rule argues for `approach` (0 when it does not)."""
    if approach == "hybrid":
        behaviour = rule.axis in ("behaviour", "readiness")
        return max(
            rule.votes.get("rag", 0.0),
            rule.votes.get("fine_tuning", 0.0) if behaviour else 0.0,
        )
    return rule.votes.get(approach, 0.0)


def _reason(rule: Rule) -> Reason:
    return Reason(
        factor=rule.factor, statement=rule.statement, evidence=list(rule.evidence), rule_id=rule.id
    )


def _reasons(scores: Scores, approach: Approach) -> list[Reason]:
    supporting = [r for r in scores.fired if _supports(r, approach) > 0]
    supporting.sort(key=lambda r: -_supports(r, approach))  # stable: table order breaks ties
    reasons = [_reason(r) for r in supporting[:MAX_REASONS]]
    if approach == "hybrid":
        behaviour = next(r for r in supporting if r.axis == "behaviour")
        statement, evidence = HYBRID_REASON
        reasons.append(
            Reason(
                factor=behaviour.factor,
                statement=statement,
                evidence=list(evidence),
                rule_id="hybrid",
            )
        )
    if approach == "prompting":
        factor, statement, evidence = BASELINE_REASON
        reasons.append(
            Reason(factor=factor, statement=statement, evidence=list(evidence), rule_id="baseline")
        )
    return reasons


def _confidence(scores: Scores, approach: Approach) -> float:
    mass = sum(abs(points) for rule in scores.fired for points in rule.votes.values())
    coverage = 1.0 - math.exp(-mass / 5.0)
    decisiveness = min(1.0, max(0.1, (margin(scores, approach) + 0.5) / 3.0))
    return round(0.2 + 0.7 * coverage * decisiveness, 2)


def _summary(approach: Approach, reasons: list[Reason], scores: Scores, confidence: float) -> str:
    shorts: list[str] = []
    for rule in sorted(scores.fired, key=lambda r: -_supports(r, approach)):
        if _supports(rule, approach) > 0 and rule.short not in shorts:
            shorts.append(rule.short)
    if not shorts:
        because = "too little is known to justify more than a good prompt yet"
    else:
        top = shorts[:3]
        because = top[0] if len(top) == 1 else ", ".join(top[:-1]) + f" and {top[-1]}"
    hedge = " (low confidence: see the follow-up questions)" if confidence < LOW_CONFIDENCE else ""
    return f"{LABELS[approach]}: {because}{hedge}."


Outcome = tuple[Question, Probe, Approach]


def _probe_outcomes(facts: Mapping[str, object]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for question in QUESTIONS:
        for probe in question.probes:
            changed = {**facts, **probe.updates}
            outcomes.append((question, probe, resolve(score(changed))))
    return outcomes


def _follow_ups(
    facts: Mapping[str, object], approach: Approach, outcomes: list[Outcome]
) -> list[FollowUpQuestion]:
    asked: list[FollowUpQuestion] = []
    for question in QUESTIONS:
        if facts.get(question.field) is not None:
            continue
        if question.skip_when is not None and question.skip_when.holds(facts):
            continue
        mine = [(p, a) for q, p, a in outcomes if q is question]
        total = sum(p.prior for p, _ in mine)
        if total <= 0:
            continue
        impact = sum(p.prior for p, a in mine if a != approach) / total
        if impact > 0:
            asked.append(
                FollowUpQuestion(
                    field=question.field, question=question.text, impact=round(impact, 3)
                )
            )
    asked.sort(key=lambda q: -q.impact)  # stable: table order breaks ties
    return asked[:MAX_FOLLOW_UPS]


def _alternatives(
    facts: Mapping[str, object], approach: Approach, outcomes: list[Outcome]
) -> list[Alternative]:
    found: list[tuple[float, Alternative]] = []
    fallback: list[Alternative] = []
    for other in APPROACHES:
        if other == approach:
            continue
        best: Probe | None = None
        for _, probe, result in outcomes:
            if result == other and (best is None or probe.prior > best.prior):
                best = probe
        if best is not None:
            found.append(
                (best.prior, Alternative(approach=other, condition=f"if {best.condition}"))
            )
        else:
            fallback.append(
                Alternative(approach=other, condition=f"if {FALLBACK_CONDITIONS[other]}")
            )
    found.sort(key=lambda item: -item[0])
    return [alt for _, alt in found] + fallback
