"""Typed input and output of the decision tool.

`Situation` is what is known about a team's use case (every field optional:
``None`` means "unknown", which is a real state the decision reasons about).
`Recommendation` is what `advisor.decision.decide` returns. Field descriptions
are written for an LLM that fills a `Situation` from a conversation.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Approach = Literal["prompting", "rag", "fine_tuning", "hybrid", "tool_calling"]
APPROACHES: tuple[Approach, ...] = ("prompting", "rag", "fine_tuning", "hybrid", "tool_calling")

ChangeFrequency = Literal["static", "rarely", "monthly", "weekly", "daily", "real_time"]
KnowledgeSize = Literal["none", "fits_in_prompt", "large"]
FormatStrictness = Literal["free", "structured", "strict"]
Deployment = Literal["cloud", "on_premises", "on_device", "air_gapped"]
ModelSize = Literal["small", "medium", "large"]
PromptingOutcome = Literal["works", "inconsistent", "fails"]
Complaint = Literal[
    "hallucination",
    "stale_facts",
    "retrieval_quality",
    "format",
    "tone",
    "off_topic",
    "latency",
    "cost",
    "arithmetic",
]


class Situation(BaseModel):
    """What is known about the use case. Leave a field null when the conversation does not say."""

    model_config = ConfigDict(extra="ignore")

    # --- knowledge -----------------------------------------------------------------
    knowledge_change_frequency: ChangeFrequency | None = Field(
        default=None,
        description=(
            "How often the facts the assistant must know change: 'static' (never), 'rarely' "
            "(yearly or less), 'monthly' (monthly, quarterly, 'every few weeks'), 'weekly' "
            "(weekly, every sprint/release, 'often', 'frequently'), 'daily' (daily, hourly, "
            "several times a day), 'real_time' (minute by minute, live feeds)."
        ),
    )
    needs_private_knowledge: bool | None = Field(
        default=None,
        description=(
            "True when answers must come from the team's own documents or records "
            "(docs, wiki, manuals, policies, contracts, catalogue) or from current documents "
            "newer than the model's training, i.e. facts a base model does not know; False when "
            "general knowledge or the user's input is enough."
        ),
    )
    knowledge_size: KnowledgeSize | None = Field(
        default=None,
        description=(
            "Size of that knowledge: 'none' (no own documents needed), 'fits_in_prompt' (a few "
            "pages / up to ~30k tokens, can be pasted into the prompt), 'large' (hundreds of "
            "documents or more, 100MB+, a whole wiki)."
        ),
    )
    knowledge_tokens: int | None = Field(
        default=None, ge=0, description="Size of the knowledge in tokens, if the user states it."
    )
    knowledge_documents: int | None = Field(
        default=None, ge=0, description="Number of documents/pages/articles, if stated."
    )
    needs_citations: bool | None = Field(
        default=None,
        description=(
            "True when answers must cite or link the source passage/document; False when the "
            "user says citations are not needed."
        ),
    )
    needs_audit: bool | None = Field(
        default=None,
        description=(
            "True when answers must be traceable/explainable for auditors, compliance or "
            "review ('trace answers to sources', 'audit trail')."
        ),
    )
    regulated: bool | None = Field(
        default=None,
        description="True in a regulated industry (healthcare, finance, insurance, legal, pharma).",
    )
    # --- behaviour -----------------------------------------------------------------
    output_format_strictness: FormatStrictness | None = Field(
        default=None,
        description=(
            "'strict' when output must match an exact schema/format every time (valid JSON, "
            "fixed fields, a template a parser reads); 'structured' for a loose template; "
            "'free' when format does not matter."
        ),
    )
    tone_requirement: bool | None = Field(
        default=None,
        description=(
            "True when outputs must consistently have a specific voice, tone, persona or "
            "writing style (e.g. 'must sound like our brand')."
        ),
    )
    specialised_jargon: bool | None = Field(
        default=None,
        description=(
            "True when the task uses specialised vocabulary the base model handles poorly "
            "(medical coding, legal citation format, internal taxonomy, shorthand)."
        ),
    )
    needs_consistent_behaviour: bool | None = Field(
        default=None,
        description=(
            "True when the model must reliably follow a behaviour pattern: refuse certain "
            "topics, follow a fixed multi-step process or script, triage/escalate the same way."
        ),
    )
    narrow_repetitive_task: bool | None = Field(
        default=None,
        description=(
            "True for one narrow task repeated at scale (classification, tagging, routing, "
            "field extraction) rather than open-ended conversation."
        ),
    )
    # --- tools ---------------------------------------------------------------------
    needs_live_data: bool | None = Field(
        default=None,
        description=(
            "True when answers need data as of the moment of the request from a live "
            "system (current prices, stock levels, order status, balances, weather, positions)."
        ),
    )
    needs_actions: bool | None = Field(
        default=None,
        description=(
            "True when the assistant must act on external systems (book, create tickets, "
            "send, update records, issue refunds, call APIs)."
        ),
    )
    needs_exact_computation: bool | None = Field(
        default=None,
        description=(
            "True when answers are exact numbers computed over records (sums, averages, counts, "
            "revenue this quarter) that need a database query or code, not text search."
        ),
    )
    # --- data, scale and constraints -------------------------------------------------
    labeled_examples: int | None = Field(
        default=None,
        ge=0,
        description=(
            "How many high-quality input/output examples exist for training (0 = none). "
            "'a few hundred' = 300, 'thousands' = 3000."
        ),
    )
    requests_per_day: float | None = Field(
        default=None,
        ge=0,
        description=(
            "Expected request volume normalised to requests per day (10M a month = 333333; "
            "5 per second = 432000)."
        ),
    )
    instruction_tokens: int | None = Field(
        default=None,
        ge=0,
        description=(
            "Length in tokens of the fixed instructions/system prompt sent with every request, "
            "if stated (long instructions are a cost and latency argument for fine-tuning)."
        ),
    )
    latency_p95_ms: float | None = Field(
        default=None,
        ge=0,
        description="Required latency (p95 or the stated bound) in milliseconds.",
    )
    deployment: Deployment | None = Field(
        default=None,
        description=(
            "Where the model runs: 'cloud' (hosted APIs allowed), 'on_premises' (own servers, "
            "data may not leave), 'on_device' (phone, laptop, vehicle, edge; often no "
            "connectivity), 'air_gapped' (isolated network)."
        ),
    )
    base_model_size: ModelSize | None = Field(
        default=None,
        description="'small' (up to ~15B parameters, SLMs), 'medium' (~15-70B), 'large' (frontier APIs).",
    )
    base_model_params_billions: float | None = Field(
        default=None, ge=0, description="Base model parameter count in billions, if stated."
    )
    early_stage: bool | None = Field(
        default=None,
        description="True for a prototype/MVP still validating whether the product is wanted.",
    )
    # --- history -------------------------------------------------------------------
    prompting_tried: bool | None = Field(
        default=None,
        description="True when the team has already tried prompt engineering; False when not yet.",
    )
    prompting_outcome: PromptingOutcome | None = Field(
        default=None,
        description=(
            "How prompting went: 'works' (good enough), 'inconsistent' (mostly works, drifts "
            "or breaks sometimes), 'fails'."
        ),
    )
    current_approach: Approach | None = Field(
        default=None, description="What the team runs today, if anything beyond a plain prompt."
    )
    considered_approach: Approach | None = Field(
        default=None,
        description=(
            "The approach the team is leaning towards or asking about (a fact about the team, "
            "never an instruction to the advisor)."
        ),
    )
    complaint: Complaint | None = Field(
        default=None,
        description=(
            "The main problem observed: 'hallucination' (makes facts up), 'stale_facts' "
            "(outdated), 'retrieval_quality' (wrong chunks retrieved), 'format' (breaks "
            "schema), 'tone' (off-voice), 'off_topic' (behaviour), 'latency', 'cost', "
            "'arithmetic' (wrong numbers)."
        ),
    )

    def merge(self, newer: Situation) -> Situation:
        """A copy of self where every field `newer` knows overrides the older value."""
        return self.model_copy(update=newer.known())

    def known(self) -> dict[str, object]:
        """The known (non-None) fields, in declaration order."""
        return {
            name: value
            for name in type(self).model_fields
            if (value := getattr(self, name)) is not None
        }


def _show(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def situation_changes(old: Situation, new: Situation) -> list[str]:
    """Human-readable lines for every field whose value differs, e.g. 'labeled_examples: unknown -> 5000'."""
    lines: list[str] = []
    for name in Situation.model_fields:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            lines.append(f"{name}: {_show(before)} -> {_show(after)}")
    return lines


class Evidence(BaseModel):
    """A verbatim passage from one of the knowledge articles."""

    model_config = ConfigDict(frozen=True)

    doc_id: str = Field(description="Article id (file stem under knowledge/).")
    quote: str = Field(description="Verbatim article text, typography as in the file.")


class Reason(BaseModel):
    factor: str = Field(description="The Situation field this reason rests on.")
    statement: str = Field(description="Why this factor points where it points.")
    evidence: list[Evidence] = Field(default_factory=list)
    rule_id: str = Field(default="", description="Id of the decision rule that produced it.")


class AntiPatternWarning(BaseModel):
    code: str
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


class FollowUpQuestion(BaseModel):
    field: str = Field(description="The unknown Situation field the question asks about.")
    question: str
    impact: float = Field(
        ge=0.0, le=1.0, description="Share of plausible answers that would change the approach."
    )


class Alternative(BaseModel):
    approach: Approach
    condition: str = Field(description="What would have to be true for this approach to win.")


class CostSketch(BaseModel):
    """Per-request retrieval overhead against training cost amortised over the volume."""

    requests_per_day: float
    rag_overhead_usd_per_request: float
    rag_overhead_usd_per_month: float
    fine_tuning_usd_per_month: float
    break_even_requests_per_day: float
    cheaper_at_this_volume: Literal["rag", "fine_tuning"]
    retrieval_latency_ms: float
    latency_note: str
    summary: str
    assumptions: list[str]


class Disagreement(BaseModel):
    topic: str
    positions: list[Evidence]


class Recommendation(BaseModel):
    approach: Approach
    confidence: float = Field(ge=0.0, le=1.0)
    summary: str = Field(description="One line.")
    reasons: list[Reason] = Field(min_length=1)
    warnings: list[AntiPatternWarning] = Field(default_factory=list)
    next_steps: list[str] = Field(default_factory=list)
    follow_up_questions: list[FollowUpQuestion] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    cost_sketch: CostSketch | None = None
    disagreements: list[Disagreement] = Field(default_factory=list)
    scores: dict[str, float] = Field(
        default_factory=dict, description="Rule-table score per approach (for transparency)."
    )
