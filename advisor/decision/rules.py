"""THE RULE TABLE: how each fact about a situation moves the decision.

Each row says when it applies, how many points it gives (or takes from) each
approach, which Situation field it rests on, and the verbatim article passage
that justifies it. `scoring.py` adds the points up; `resolve` in `scoring.py`
turns the totals into one approach:

1. tool calling when the tool score reaches TOOL_THRESHOLD (live data, actions,
   exact numbers: the articles send these to tool-calling agents / API
   integrations, whatever else is true);
2. hybrid when the retrieval score reaches HYBRID_RAG_MIN *and* the behaviour
   part of the fine-tuning score reaches HYBRID_BEHAVIOUR_MIN ("Use RAG for facts
   and fine-tune for style") *and* the fine-tuning set holds (FINE_TUNING_SET:
   "Choose a hybrid path if both sets are true", the fine-tuning set being true
   for "most" of its items, or prompting already shown short of the behaviour, or
   the data, the model or the volume that make training the behaviour pay);
3. otherwise the highest of prompting / RAG / fine-tuning, prompting starting at
   PROMPTING_BASELINE ("start with prompting"); ties go to the simpler approach.

Axes: "knowledge" rows decide whether retrieval is needed, "behaviour" rows
whether the model's behaviour must change or be trained into the weights (these
count towards a hybrid; distilling a working but costly prompt is one),
"efficiency" rows are cost/latency/deployment arguments for fine-tuning (they do
not make a hybrid), "tools" rows point to tool calling.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from advisor.decision import evidence as ev
from advisor.decision.conditions import (
    All,
    AnyOf,
    AtLeast,
    Below,
    Between,
    Condition,
    In,
    Is,
    Not,
)
from advisor.schemas.decision import Approach, Evidence

Axis = Literal["knowledge", "behaviour", "efficiency", "tools", "readiness"]

PROMPTING_BASELINE = 2.0
TOOL_THRESHOLD = 3.0
HYBRID_RAG_MIN = 2.5
HYBRID_BEHAVIOUR_MIN = 1.5
# Live data alone (no actions, no computation) yields to a knowledge or behaviour problem
# this many points larger: it becomes one tool call beside the core approach.
SIDE_TOOL_RULES = frozenset({"live_data"})
SIDE_NEED_MARGIN = 4.0

FREQUENT = ("weekly", "daily")
BAD_PROMPTING = ("inconsistent", "fails")
KNOWLEDGE_COMPLAINTS = ("hallucination", "stale_facts", "retrieval_quality", "arithmetic")
# There is something to retrieve: own or current documents, a corpus, sources to cite. Without
# it, a hallucination complaint or a regulated domain is no argument for retrieval ("RAG is
# strongest when the real problem is access to the right context").
HAS_CORPUS: Condition = AnyOf(
    Is("needs_private_knowledge", True),
    Is("knowledge_size", "large"),
    In("knowledge_change_frequency", ("monthly", "weekly", "daily")),
    Is("needs_citations", True),
    Is("needs_audit", True),
    Is("current_approach", "rag"),
    In("complaint", ("stale_facts", "retrieval_quality")),
)
# A prompt that works is under pressure of volume, latency or its own length: the efficiency
# path ("compress prompt length for cost or latency").
EFFICIENCY_PRESSURE: Condition = AnyOf(
    In("complaint", ("cost", "latency")),
    AtLeast("requests_per_day", 100_000),
    Below("latency_p95_ms", 300),
    AtLeast("instruction_tokens", 2000),
)
LOCAL: tuple[str, ...] = ("on_premises", "on_device", "air_gapped")
BEHAVIOUR_NEED: Condition = AnyOf(
    In("output_format_strictness", ("strict", "structured")),
    Is("tone_requirement", True),
    Is("specialised_jargon", True),
    Is("needs_consistent_behaviour", True),
    Is("narrow_repetitive_task", True),
    In("complaint", ("format", "tone", "off_topic")),
)

# The article's fine-tuning checklist ("Choose fine-tuning first if most of these are true"):
# one stated behaviour need alone (answers must refuse consistently, the domain has jargon) is
# one item of four, which a prompt over retrieved context can serve; it does not make a hybrid.
# Two items count as enough (half, not "most": the facts a message states are seldom all of
# them); items 3 and 4 are evidence on their own too (BEHAVIOUR_EVIDENCE), so in effect the
# count asks for a stable task whose style or structure matters.
FINE_TUNING_SET: tuple[Condition, ...] = (
    Is("narrow_repetitive_task", True),  # "the task pattern is stable"
    AnyOf(  # "response style or structure matters a lot"
        In("output_format_strictness", ("strict", "structured")),
        Is("tone_requirement", True),
        Is("specialised_jargon", True),
        Is("needs_consistent_behaviour", True),
    ),
    AnyOf(  # "prompting is inconsistent or too costly"
        In("prompting_outcome", BAD_PROMPTING),
        All(Is("prompting_outcome", "works"), EFFICIENCY_PRESSURE),
    ),
    In("complaint", ("format", "tone", "off_topic")),  # "the main challenge is behavior"
)
FINE_TUNING_SET_MIN = 2
# ... or what makes training the behaviour pay is there: prompting fell short of it, a behaviour
# complaint, 1,000+ examples ("you have 1,000+ high-quality examples to train on"), a small
# model to burn the domain into, a fine-tuned model already running, volume or latency pressure.
BEHAVIOUR_EVIDENCE: Condition = AnyOf(
    Is("tone_requirement", True),  # "Style transfer is the primary goal: ... a brand voice"
    In("prompting_outcome", BAD_PROMPTING),
    In("complaint", ("format", "tone", "off_topic")),
    AtLeast("labeled_examples", 1000),
    Is("base_model_size", "small"),
    Is("current_approach", "fine_tuning"),
    EFFICIENCY_PRESSURE,
)


def fine_tuning_set_holds(facts: Mapping[str, object]) -> bool:
    """The fine-tuning half of a hybrid: most of the article's checklist, or the evidence that
    training the behaviour pays."""
    items = sum(1 for c in FINE_TUNING_SET if c.holds(facts))
    return items >= FINE_TUNING_SET_MIN or BEHAVIOUR_EVIDENCE.holds(facts)


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    votes: Mapping[Approach, float]
    axis: Axis
    factor: str
    short: str  # a phrase for the one-line summary
    statement: str
    evidence: tuple[Evidence, ...]


def _r(
    id: str,
    when: Condition,
    votes: Mapping[Approach, float],
    axis: Axis,
    factor: str,
    short: str,
    statement: str,
    *evidence: Evidence,
) -> Rule:
    return Rule(id, when, votes, axis, factor, short, statement, evidence)


# fmt: off
RULES: tuple[Rule, ...] = (
    # ---- tools: live data, actions, exact numbers -----------------------------------------
    _r("live_data", Is("needs_live_data", True), {"tool_calling": 4.0}, "tools",
       "needs_live_data", "answers need live data",
       "Answers need data as of the moment of the request; call the live system through an "
       "API integration instead of indexing or training on a copy.",
       ev.REAL_TIME_API),
    _r("real_time_knowledge", Is("knowledge_change_frequency", "real_time"),
       {"tool_calling": 3.0, "rag": 1.0}, "tools",
       "knowledge_change_frequency", "the data changes in real time",
       "The data changes in real time, faster than any index or training run can follow; "
       "query it at request time.",
       ev.REAL_TIME_API),
    _r("actions", Is("needs_actions", True), {"tool_calling": 4.0}, "tools",
       "needs_actions", "the assistant must act on external systems",
       "The assistant must act on external systems; neither retrieval nor fine-tuning gives it "
       "hands, tool calling does.",
       ev.EXTERNAL_ACTIONS),
    _r("exact_computation", Is("needs_exact_computation", True), {"tool_calling": 4.0}, "tools",
       "needs_exact_computation", "answers are exact numbers over records",
       "Answers are exact numbers computed over records; a database query or code tool "
       "computes them, vector search over text cannot.",
       ev.TOOL_AGENTS),
    _r("arithmetic_complaint", Is("complaint", "arithmetic"), {"tool_calling": 3.0}, "tools",
       "complaint", "the model gets the numbers wrong",
       "The model gets computed numbers wrong; hand the computation to a tool.",
       ev.TOOL_AGENTS),

    # ---- knowledge: does the model need facts it does not have? ---------------------------
    _r("knowledge_changes_often", In("knowledge_change_frequency", FREQUENT), {"rag": 3.0},
       "knowledge", "knowledge_change_frequency", "the knowledge changes often",
       "The knowledge changes weekly or faster; retrieval picks up an updated document at "
       "once, a fine-tuned model needs retraining.",
       ev.FRESHNESS_DAILY, ev.FRESHNESS_QUESTION),
    _r("knowledge_changes_monthly", Is("knowledge_change_frequency", "monthly"), {"rag": 2.0},
       "knowledge", "knowledge_change_frequency", "the knowledge changes regularly",
       "The knowledge changes every month or so; updating documents is easier than retraining "
       "each time.",
       ev.FRESHNESS_WINS),
    _r("knowledge_static", In("knowledge_change_frequency", ("static", "rarely")),
       {"rag": -1.0, "fine_tuning": 0.5}, "knowledge",
       "knowledge_change_frequency", "the knowledge is stable",
       "The knowledge rarely changes, so freshness is no argument for retrieval and a trained "
       "model would not go stale.",
       ev.FRESHNESS_QUESTION, ev.STATIC_KNOWLEDGE),
    _r("private_knowledge", Is("needs_private_knowledge", True), {"rag": 2.5}, "knowledge",
       "needs_private_knowledge", "answers come from your own documents",
       "Answers must come from your own documents or records, which the base model does not "
       "know; that is factual recall over a known corpus.",
       ev.FACTUAL_RECALL, ev.INTERNAL_RECORDS),
    _r("general_knowledge", Is("needs_private_knowledge", False), {"rag": -1.5}, "knowledge",
       "needs_private_knowledge", "no private knowledge is needed",
       "No private knowledge is needed, so there is nothing to retrieve.",
       ev.ACCESS_TO_CONTEXT),
    _r("large_knowledge", Is("knowledge_size", "large"), {"rag": 2.5}, "knowledge",
       "knowledge_size", "the knowledge base is large",
       "The knowledge base is too large for a context window; retrieval fetches the relevant "
       "part per query.",
       ev.LARGE_CORPUS, ev.LARGE_CORPUS_100MB),
    _r("knowledge_fits_prompt", Is("knowledge_size", "fits_in_prompt"),
       {"prompting": 2.5, "rag": -3.0}, "knowledge",
       "knowledge_size", "the knowledge fits in the prompt",
       "The knowledge fits in the prompt: paste it in and a good base model can do the job "
       "without a retrieval pipeline.",
       ev.STEP1_SHIP_IT),
    _r("no_knowledge", Is("knowledge_size", "none"), {"rag": -2.0}, "knowledge",
       "knowledge_size", "there is no knowledge base",
       "There is no document collection to retrieve from.",
       ev.ACCESS_TO_CONTEXT),
    _r("citations", Is("needs_citations", True), {"rag": 3.0}, "knowledge",
       "needs_citations", "answers must cite sources",
       "Answers must cite their sources; retrieval can show which passage an answer came "
       "from, fine-tuned weights cannot.",
       ev.CITATIONS, ev.TRACEABILITY),
    _r("audit", Is("needs_audit", True), {"rag": 2.5}, "knowledge",
       "needs_audit", "answers must be traceable",
       "Answers must be traceable for audit or compliance; retrieved context makes every "
       "answer inspectable.",
       ev.AUDITABILITY),
    _r("regulated", All(Is("regulated", True), HAS_CORPUS), {"rag": 1.0}, "knowledge",
       "regulated", "the domain is regulated",
       "Regulated domains usually need to explain where an answer came from.",
       ev.TRACEABILITY),
    _r("hallucination", All(Is("complaint", "hallucination"), HAS_CORPUS), {"rag": 3.5},
       "knowledge",
       "complaint", "the model makes facts up",
       "The model makes facts up; hallucinations come from missing context, which retrieval "
       "supplies and training does not.",
       ev.HALLUCINATIONS_NEED_CONTEXT, ev.HALLUCINATION_TRACED),
    # A corpus nobody named is presumed behind a hallucination complaint, but not behind one
    # narrow task (classification, extraction) that works on its own input: there the context is
    # the input, and retrieval has nothing to add.
    _r("hallucination_unknown_corpus",
       All(Is("complaint", "hallucination"), Not(HAS_CORPUS),
           Not(Is("needs_private_knowledge", False)), Not(In("knowledge_size", ("none", "fits_in_prompt"))),
           Not(Is("narrow_repetitive_task", True))),
       {"rag": 2.5}, "knowledge", "complaint", "the model makes facts up",
       "The model makes facts up; hallucinations come from missing context, so find the source "
       "of the facts it needs and retrieve it.",
       ev.HALLUCINATIONS_NEED_CONTEXT),
    _r("hallucination_on_the_input",
       All(Is("complaint", "hallucination"), Is("narrow_repetitive_task", True), Not(HAS_CORPUS)),
       {"prompting": 0.5, "fine_tuning": -1.5}, "readiness", "complaint",
       "the model invents facts in a task on its own input",
       "The model invents facts in a narrow task on its own input: ground it in that input "
       "in the prompt; training on more examples seldom fixes hallucinations.",
       ev.HALLUCINATIONS_NEED_CONTEXT),
    _r("stale_facts", Is("complaint", "stale_facts"), {"rag": 3.5}, "knowledge",
       "complaint", "answers go stale",
       "Answers are out of date; new facts belong in an index you can update, not in weights.",
       ev.NO_FRESH_FACTS_IN_WEIGHTS, ev.FRESHNESS_DAILY),
    _r("retrieval_quality", Is("complaint", "retrieval_quality"), {"rag": 3.0}, "knowledge",
       "complaint", "retrieval is the weak link",
       "The retrieval step is returning the wrong context; fix chunking, embeddings and "
       "ranking before reaching for training.",
       ev.RETRIEVAL_BOTTLENECK, ev.WRONG_REASON_TO_FINE_TUNE),
    _r("large_base_model", All(Is("base_model_size", "large"), HAS_CORPUS), {"rag": 0.5},
       "knowledge",
       "base_model_size", "the base model is a large general model",
       "Large general models keep their broad abilities when you add knowledge by retrieval "
       "rather than training.",
       ev.LARGE_MODELS_RAG),

    # ---- behaviour: must the model behave differently? ------------------------------------
    _r("strict_format", Is("output_format_strictness", "strict"), {"fine_tuning": 1.5},
       "behaviour", "output_format_strictness", "the output format is strict",
       "Output must follow an exact format every time; consistent structure is a behaviour "
       "that fine-tuning instils.",
       ev.CONSISTENT_FORMAT, ev.ALWAYS_JSON),
    _r("structured_format", Is("output_format_strictness", "structured"), {"fine_tuning": 0.5},
       "behaviour", "output_format_strictness", "the output follows a template",
       "Output follows a template; prompting may hold it, fine-tuning makes it reliable.",
       ev.CONSISTENT_FORMAT),
    _r("free_format", Is("output_format_strictness", "free"), {"fine_tuning": -0.5},
       "behaviour", "output_format_strictness", "the format is free",
       "Free-form output removes the strongest behaviour argument for fine-tuning.",
       ev.STEP3_BEHAVIOUR),
    _r("tone", Is("tone_requirement", True), {"fine_tuning": 1.5}, "behaviour",
       "tone_requirement", "outputs must keep a specific voice",
       "Outputs must keep a specific voice or style; style is behaviour, and behaviour is "
       "what fine-tuning changes.",
       ev.BRAND_VOICE, ev.TONE_ENFORCEMENT),
    _r("jargon", Is("specialised_jargon", True), {"fine_tuning": 1.5}, "behaviour",
       "specialised_jargon", "the domain vocabulary is specialised",
       "The task uses specialised vocabulary base models handle poorly.",
       ev.JARGON),
    _r("consistent_behaviour", Is("needs_consistent_behaviour", True), {"fine_tuning": 1.5},
       "behaviour", "needs_consistent_behaviour", "behaviour must be consistent",
       "The model must reliably refuse, follow a fixed process or triage the same way every "
       "time.",
       ev.BEHAVIOURAL_CONSISTENCY),
    _r("narrow_task", Is("narrow_repetitive_task", True), {"fine_tuning": 0.75}, "behaviour",
       "narrow_repetitive_task", "one narrow task repeats at scale",
       "One narrow task (classification, extraction) repeats over and over, the pattern "
       "fine-tuning is best at.",
       ev.REPEATED_TASKS),
    _r("format_complaint", Is("complaint", "format"), {"fine_tuning": 2.0}, "behaviour",
       "complaint", "the output format breaks",
       "The model breaks the output format; that is a behaviour problem that retrieved "
       "context will not fix.",
       ev.RAG_FOR_BEHAVIOUR, ev.SCHEMA_PROBLEM),
    _r("tone_complaint", Is("complaint", "tone"), {"fine_tuning": 2.0}, "behaviour",
       "complaint", "the voice drifts",
       "The model breaks persona or drifts off-voice; train the behaviour in.",
       ev.RAG_FOR_BEHAVIOUR, ev.VOICE_PROMPTING_NOT_CUTTING_IT),
    _r("off_topic_complaint", Is("complaint", "off_topic"), {"fine_tuning": 1.5}, "behaviour",
       "complaint", "behaviour is inconsistent",
       "The model does not behave consistently (refusals, staying on topic).",
       ev.BEHAVIOURAL_CONSISTENCY),
    _r("prompting_falls_short",
       All(In("prompting_outcome", BAD_PROMPTING), Not(In("complaint", KNOWLEDGE_COMPLAINTS)),
           BEHAVIOUR_NEED),
       {"fine_tuning": 2.0, "prompting": -1.5}, "behaviour",
       "prompting_outcome", "prompting has not been enough",
       "Prompting has been tried and cannot reliably enforce the behaviour; that is the point "
       "where fine-tuning earns its cost.",
       ev.STEP3_BEHAVIOUR, ev.PROMPTING_UNSTABLE),
    _r("prompting_unreliable",
       All(In("prompting_outcome", BAD_PROMPTING), Not(In("complaint", KNOWLEDGE_COMPLAINTS)),
           Not(BEHAVIOUR_NEED)),
       {"fine_tuning": 1.0, "prompting": -1.5}, "readiness",
       "prompting_outcome", "prompting alone has been unreliable",
       "Prompting alone has been unstable; before training, check whether the gap is missing "
       "knowledge or behaviour.",
       ev.PROMPTING_UNSTABLE),

    _r("local_small_model_with_knowledge",
       All(In("deployment", LOCAL), Is("base_model_size", "small"), HAS_CORPUS),
       {"fine_tuning": 1.5}, "behaviour", "base_model_size",
       "a small local model must learn the domain",
       "A small model running on your own hardware is where fine-tuning burns in the domain's "
       "capabilities; retrieval still supplies the facts.",
       ev.LOCAL_SLM, ev.SMALL_MODELS),
    _r("prompting_fails_despite_context",
       All(Is("prompting_outcome", "fails"), HAS_CORPUS, Not(Is("base_model_size", "large"))),
       {"fine_tuning": 2.0}, "behaviour", "prompting_outcome",
       "a prompted model is not good enough in this domain",
       "A prompted model has failed at the task, not just for want of documents; when both "
       "grounding and the model's behaviour fall short, retrieve the facts and fine-tune the "
       "behaviour.",
       ev.PROMPTING_UNSTABLE, ev.HYBRID_PRODUCTION),

    # ---- readiness: is there data, has prompting been tried? ------------------------------
    _r("plenty_of_examples", AtLeast("labeled_examples", 1000), {"fine_tuning": 2.0},
       "readiness", "labeled_examples", "there are thousands of examples",
       "There are enough high-quality examples to fine-tune on.",
       ev.DATA_1000_PLUS, ev.DATA_HUNDREDS_TO_THOUSANDS),
    _r("hundreds_of_examples", Between("labeled_examples", 100, 1000), {"fine_tuning": 1.0},
       "readiness", "labeled_examples", "there are hundreds of examples",
       "Hundreds of examples can be enough to move the needle, at the low end of what "
       "fine-tuning needs.",
       ev.DATA_HUNDREDS_TO_THOUSANDS),
    _r("few_examples", Between("labeled_examples", 1, 100),
       {"fine_tuning": -3.0, "prompting": 1.0}, "readiness",
       "labeled_examples", "there are only a few examples",
       "With fewer than 100 examples, use them as few-shot examples in the prompt instead of "
       "training on them.",
       ev.FEW_SHOT),
    _r("no_examples", Below("labeled_examples", 1), {"fine_tuning": -3.0},
       "readiness", "labeled_examples", "there are no labeled examples",
       "There are no labeled examples to train on.",
       ev.DATA_HUNDREDS_TO_THOUSANDS),
    _r("no_examples_documents", All(Below("labeled_examples", 1), HAS_CORPUS), {"rag": 1.0},
       "knowledge", "labeled_examples", "there are documents but no examples",
       "There are documents but no labeled examples; retrieval needs documents, not examples.",
       ev.DOCUMENTS_NOT_EXAMPLES, ev.NO_PAIRS_USE_RAG),
    _r("prompting_works", All(Is("prompting_outcome", "works"), Not(EFFICIENCY_PRESSURE)),
       {"prompting": 3.0}, "readiness",
       "prompting_outcome", "prompting already works",
       "A prompt on a good base model already does the job: ship that.",
       ev.STEP1_SHIP_IT),
    # Distilling a working prompt trains its behaviour into the weights, so with a corpus beside
    # it this is the hybrid's fine-tuning half (axis "behaviour"), not an efficiency bonus alone.
    _r("prompting_works_but_costly", All(Is("prompting_outcome", "works"), EFFICIENCY_PRESSURE),
       {"fine_tuning": 3.0}, "behaviour",
       "prompting_outcome", "a working prompt is too slow or costly at this volume",
       "A prompt already does the job but is too slow or too costly at this volume: fine-tune "
       "(or distil into) a smaller model that does the same job without the long prompt.",
       ev.COMPRESS_PROMPT, ev.AMORTISED_COST),
    _r("prompting_fails_with_examples",
       All(In("prompting_outcome", BAD_PROMPTING), AtLeast("labeled_examples", 1000),
           Not(In("complaint", KNOWLEDGE_COMPLAINTS))),
       {"fine_tuning": 3.0}, "readiness",
       "labeled_examples", "prompting fell short and there are thousands of examples",
       "Prompting has fallen short and there are thousands of high-quality examples of the task: "
       "the point where fine-tuning earns its cost.",
       ev.DATA_1000_PLUS, ev.PROMPTING_UNSTABLE),
    _r("prompting_not_tried", Is("prompting_tried", False),
       {"prompting": 2.0, "fine_tuning": -2.5}, "readiness",
       "prompting_tried", "prompting has not been tried yet",
       "Prompting has not been tried yet; it is step one of the decision tree.",
       ev.STEP1_SHIP_IT, ev.PROMPTING_FIRST),
    # The mirror of "small_model": the articles' realistic stack puts behaviour on a large model
    # into the prompt, and fine-tuning one is the last step that locks you into it. The prompt's
    # point holds only where nothing is to be retrieved: with a corpus, retrieval is the answer
    # for the knowledge ("large_base_model"), not a bare prompt.
    _r("large_model_last_mile", Is("base_model_size", "large"), {"fine_tuning": -1.0},
       "readiness", "base_model_size", "fine-tuning a large general model is the last step",
       "Fine-tuning a large general model is the last-mile step, if at all, and locks you into "
       "that model.",
       ev.FT_LAST_MILE, ev.LOCK_IN),
    _r("large_model_prompts_behaviour",
       All(Is("base_model_size", "large"), Not(HAS_CORPUS), Not(In("complaint", KNOWLEDGE_COMPLAINTS))),
       {"prompting": 1.0}, "readiness", "base_model_size",
       "a large general model takes its behaviour from the prompt",
       "With nothing to retrieve, a large general model takes behaviour, format and guardrails "
       "from the prompt.",
       ev.PROMPT_FOR_BEHAVIOUR),
    _r("early_stage", Is("early_stage", True), {"fine_tuning": -1.5, "prompting": 1.0},
       "readiness", "early_stage", "the product is still being validated",
       "The product is still being validated; avoid training infrastructure until it is.",
       ev.VALIDATE_HYPOTHESIS, ev.TOO_EARLY),

    # ---- efficiency: cost, latency, deployment --------------------------------------------
    _r("high_volume", AtLeast("requests_per_day", 100_000), {"fine_tuning": 1.5}, "efficiency",
       "requests_per_day", "volume is high",
       "At this volume the per-request retrieval and long-prompt overhead adds up; a "
       "fine-tuned model answers without it.",
       ev.WINS_AT_SCALE, ev.LOW_VOLUME_NEGLIGIBLE),
    _r("medium_volume", Between("requests_per_day", 10_000, 100_000), {"fine_tuning": 0.75},
       "efficiency", "requests_per_day", "volume is substantial",
       "Tens of thousands of requests a day start to make per-request overhead matter.",
       ev.AMORTISED_COST),
    _r("low_volume", Below("requests_per_day", 1_000), {"fine_tuning": -1.0, "prompting": 0.5},
       "efficiency", "requests_per_day", "volume is low",
       "At low volume the inference-cost argument for fine-tuning disappears.",
       ev.LOW_VOLUME_NEGLIGIBLE),
    _r("tight_latency", Below("latency_p95_ms", 300), {"fine_tuning": 2.0, "rag": -1.0},
       "efficiency", "latency_p95_ms", "the latency budget is tight",
       "The latency budget leaves no room for a retrieval round trip and a long prompt.",
       ev.LATENCY_SLA, ev.P99_LATENCY),
    _r("moderate_latency", Between("latency_p95_ms", 300, 1000), {"fine_tuning": 0.75},
       "efficiency", "latency_p95_ms", "latency matters",
       "A sub-second latency target makes retrieval overhead noticeable.",
       ev.P99_LATENCY),
    _r("long_instructions", AtLeast("instruction_tokens", 2000), {"fine_tuning": 1.0},
       "efficiency", "instruction_tokens", "a long prompt is paid on every call",
       "Thousands of tokens of instructions are paid for on every request; fine-tuning can "
       "bake them into the model.",
       ev.REDUCE_PROMPT_LENGTH, ev.COMPRESS_PROMPT),
    _r("latency_complaint", Is("complaint", "latency"), {"fine_tuning": 1.5}, "efficiency",
       "complaint", "responses are too slow",
       "Responses are too slow; a shorter prompt and no retrieval hop cut latency.",
       ev.COMPRESS_PROMPT),
    _r("cost_complaint", Is("complaint", "cost"), {"fine_tuning": 1.5}, "efficiency",
       "complaint", "inference is too expensive",
       "Inference is too expensive; instructions baked into the weights stop being paid for "
       "on every call.",
       ev.REDUCE_PROMPT_LENGTH, ev.COMPRESS_PROMPT),
    _r("on_device", Is("deployment", "on_device"), {"fine_tuning": 4.0, "rag": -3.0},
       "efficiency", "deployment", "it must run on the device",
       "The model runs on the device, often offline; external retrieval calls are difficult "
       "there, knowledge baked into the weights is not.",
       ev.EDGE_FINE_TUNING, ev.EDGE_RAG),
    _r("air_gapped", Is("deployment", "air_gapped"), {"fine_tuning": 1.5, "rag": -0.5},
       "efficiency", "deployment", "it runs air-gapped",
       "An air-gapped deployment runs a local model without internet calls; fine-tuning a "
       "small local model is the usual way to make it capable.",
       ev.LOCAL_SLM),
    _r("on_premises", Is("deployment", "on_premises"), {"fine_tuning": 0.5}, "efficiency",
       "deployment", "it runs on your own servers",
       "Running on your own servers usually means a smaller open model, where fine-tuning "
       "pays off most.",
       ev.LOCAL_SLM),
    _r("small_model", Is("base_model_size", "small"), {"fine_tuning": 1.0}, "efficiency",
       "base_model_size", "the base model is small",
       "Small models are where fine-tuning burns specific capabilities in most effectively.",
       ev.SMALL_MODELS),
)
# fmt: on

# Reasons attached by the resolution step itself (not by a scoring row).
BASELINE_REASON = (
    "prompting_tried",
    (
        "Nothing known so far rules out a prompt on a good base model, which is where the "
        "decision tree starts."
    ),
    (ev.PROMPTING_FIRST, ev.STEP1_SHIP_IT),
)
HYBRID_REASON = (
    (
        "Both hold: the model needs knowledge it does not have, and behaviour a prompt does not "
        "give it reliably or cheaply enough. Use retrieval for the facts and fine-tune for the "
        "form."
    ),
    (ev.RAG_FACTS_FT_STYLE, ev.HYBRID_BOTH_SETS, ev.FORM_AND_FACTS),
)
