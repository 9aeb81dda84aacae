"""Counterfactual probes: plausible answers to each question the advisor could ask.

Follow-up questions are ranked by *impact*: the prior-weighted share of a field's
plausible answers that would change the recommended approach. Alternatives are
found the same way: the most plausible single change that makes another
approach win becomes that alternative's condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.decision.conditions import Condition, Is
from advisor.schemas.decision import Approach


@dataclass(frozen=True)
class Probe:
    updates: Mapping[str, object]
    prior: float
    condition: str  # reads after "if": "your knowledge changes weekly or faster"


@dataclass(frozen=True)
class Question:
    field: str
    text: str
    probes: tuple[Probe, ...]
    skip_when: Condition | None = None  # do not ask when this holds


def _p(updates: Mapping[str, object], prior: float, condition: str) -> Probe:
    return Probe(updates, prior, condition)


# fmt: off
QUESTIONS: tuple[Question, ...] = (
    Question("needs_live_data",
             "Do answers need live data from a system at the moment of the request (prices, "
             "stock levels, order status, balances)?",
             (_p({"needs_live_data": True}, 0.2, "answers needed live data (prices, stock, status)"),
              _p({"needs_live_data": False}, 0.8, "answers did not need live data"))),
    Question("needs_actions",
             "Must the assistant take actions in other systems (create tickets, book, send, "
             "update records)?",
             (_p({"needs_actions": True}, 0.2, "the assistant had to act on external systems"),
              _p({"needs_actions": False}, 0.8, "the assistant did not have to act on other systems"))),
    Question("needs_exact_computation",
             "Are answers exact numbers computed over your records (totals, averages, counts)?",
             (_p({"needs_exact_computation": True}, 0.15,
                 "answers were exact numbers computed over your records"),
              _p({"needs_exact_computation": False}, 0.85, "no exact computation over records were needed"))),
    Question("knowledge_change_frequency",
             "How often does the information the assistant must know change: never, monthly, "
             "weekly, daily, or in real time?",
             (_p({"knowledge_change_frequency": "static"}, 0.3, "the knowledge never changed"),
              _p({"knowledge_change_frequency": "monthly"}, 0.2, "the knowledge changed monthly"),
              _p({"knowledge_change_frequency": "weekly"}, 0.35,
                 "the knowledge changed weekly or faster"),
              _p({"knowledge_change_frequency": "real_time"}, 0.15,
                 "the data changed in real time"))),
    Question("needs_private_knowledge",
             "Must answers come from your own documents or records, or is general knowledge "
             "plus the user's input enough?",
             (_p({"needs_private_knowledge": True}, 0.5, "answers had to come from your own documents"),
              _p({"needs_private_knowledge": False}, 0.5, "general knowledge were enough"))),
    Question("knowledge_size",
             "How much reference material is there: none, a few pages that fit in a prompt, or "
             "a large collection?",
             (_p({"knowledge_size": "fits_in_prompt"}, 0.4, "the knowledge fitted in the prompt"),
              _p({"knowledge_size": "large"}, 0.4, "the knowledge base were large"),
              _p({"knowledge_size": "none"}, 0.2, "no reference documents were needed"))),
    Question("prompting_outcome",
             "Have you tried a well-crafted prompt with a few examples on a strong model? Did "
             "it work, or was it inconsistent?",
             (_p({"prompting_tried": False}, 0.3, "prompting had not been tried yet"),
              _p({"prompting_tried": True, "prompting_outcome": "works"}, 0.35,
                 "a well-crafted prompt already did the job"),
              _p({"prompting_tried": True, "prompting_outcome": "inconsistent"}, 0.35,
                 "prompting had been tried and stayed inconsistent")),
             skip_when=Is("prompting_tried", False)),
    Question("labeled_examples",
             "How many high-quality input/output examples do you have (none, dozens, hundreds, "
             "thousands)?",
             (_p({"labeled_examples": 0}, 0.3, "you had no labeled examples"),
              _p({"labeled_examples": 40}, 0.3, "you had only a few dozen examples"),
              _p({"labeled_examples": 5000}, 0.4, "you had thousands of labeled examples"))),
    Question("output_format_strictness",
             "Must the output follow an exact format every time (valid JSON, a fixed schema or "
             "template a program reads)?",
             (_p({"output_format_strictness": "strict"}, 0.35, "output had to follow a strict schema"),
              _p({"output_format_strictness": "free"}, 0.65, "the output format were free"))),
    Question("tone_requirement",
             "Must every answer keep a specific voice, tone or persona?",
             (_p({"tone_requirement": True}, 0.35, "outputs had to keep a specific brand voice"),
              _p({"tone_requirement": False}, 0.65, "no particular voice were required"))),
    Question("needs_citations",
             "Must answers cite or link the source document they came from?",
             (_p({"needs_citations": True}, 0.4, "answers had to cite their sources"),
              _p({"needs_citations": False}, 0.6, "answers did not need citations"))),
    Question("complaint",
             "If you already have something running, what goes wrong: made-up facts, outdated "
             "answers, broken format, wrong tone, cost, latency?",
             (_p({"complaint": "hallucination"}, 0.25, "the model were making facts up"),
              _p({"complaint": "format"}, 0.15, "the model kept breaking the output format"),
              _p({"complaint": "stale_facts"}, 0.1, "answers went out of date"),
              _p({}, 0.5, "nothing were going wrong yet"))),
    Question("requests_per_day",
             "Roughly how many requests a day (or a month) will this serve?",
             (_p({"requests_per_day": 200.0}, 0.5, "volume were low (hundreds a day)"),
              _p({"requests_per_day": 1_000_000.0}, 0.5, "you served around a million requests a day"))),
    Question("latency_p95_ms",
             "Is there a latency requirement (for example p95 under 300 ms)?",
             (_p({"latency_p95_ms": 150.0}, 0.3, "p95 latency had to stay under ~200 ms"),
              _p({"latency_p95_ms": 3000.0}, 0.7, "latency were relaxed (seconds)"))),
    Question("deployment",
             "Where must the model run: a cloud API, your own servers, on a device, or "
             "air-gapped?",
             (_p({"deployment": "cloud"}, 0.7, "a cloud API were allowed"),
              _p({"deployment": "on_premises"}, 0.15, "the model had to run on your own servers"),
              _p({"deployment": "on_device"}, 0.15,
                 "the model had to run on-device without connectivity"))),
    Question("specialised_jargon",
             "Does the task use specialised vocabulary a general model handles poorly (codes, "
             "legal formats, internal taxonomy)?",
             (_p({"specialised_jargon": True}, 0.25, "the task needed specialised jargon"),
              _p({"specialised_jargon": False}, 0.75, "the vocabulary were ordinary"))),
    Question("needs_audit",
             "Do auditors or compliance need to trace each answer back to its source?",
             (_p({"needs_audit": True}, 0.3, "answers had to be traceable for audit"),
              _p({"needs_audit": False}, 0.7, "no audit trail were required"))),
    Question("needs_consistent_behaviour",
             "Must the model reliably refuse some topics or follow a fixed multi-step process?",
             (_p({"needs_consistent_behaviour": True}, 0.25,
                 "the model had to refuse or follow a fixed process reliably"),
              _p({"needs_consistent_behaviour": False}, 0.75, "no fixed behaviour pattern were required"))),
    Question("base_model_size",
             "Which base model: a large hosted model or a small one you run yourself?",
             (_p({"base_model_size": "large"}, 0.6, "you used a large hosted model"),
              _p({"base_model_size": "small"}, 0.4, "you ran a small model yourself"))),
)
# fmt: on

# When no single change makes an approach win, say what would have to be true.
FALLBACK_CONDITIONS: dict[Approach, str] = {
    "prompting": "a well-crafted prompt with a few examples on a strong model does the job "
    "(the first thing to test)",
    "rag": "answers must come from a large or changing document collection, or must cite sources",
    "fine_tuning": "the problem is behaviour prompting cannot enforce (format, voice, "
    "consistency) and you have 1,000+ examples, or volume, latency or an offline device rule "
    "out retrieval",
    "hybrid": "the model needs both changing knowledge from documents and a format or voice "
    "that prompting cannot hold",
    "tool_calling": "answers need live data, actions on external systems or exact computation "
    "over records",
}
