"""Verbatim passages from the knowledge articles that the decision rules rest on.

Every quote here is copied character for character from ``knowledge/<doc_id>.md``
(curly quotes, dashes and arrows as in the file); a test checks each one against
the article text, so a reason's citation is always real.
"""

from __future__ import annotations

from advisor.schemas.decision import Evidence

# Document ids (file stems under knowledge/).
PRODUCTION = "decision-framework-for-production-ai"
NOBODY = "decision-nobody-is-making-clearly"
BUILDERS = "fine-tuning-vs-rag-for-builders"
TREE = "rag-vs-fine-tuning-decision-framework"
CHOOSE = "rag-vs-fine-tuning-how-to-choose"


def _q(doc_id: str, quote: str) -> Evidence:
    return Evidence(doc_id=doc_id, quote=quote)


# --- prompting first -------------------------------------------------------------------
PROMPTING_FIRST = _q(TREE, "The honest answer 80% of the time is neither — start with prompting.")
STEP1_SHIP_IT = _q(TREE, "If yes, ship that. Most teams skip this step and lose three months.")
FEW_SHOT = _q(TREE, "You have less than 100 examples. Stick to prompting + few-shot.")
FT_IS_FIFTH = _q(TREE, "Fine-tuning is rarely the first or second move. It is usually the fifth.")
PROMPT_FOR_BEHAVIOUR = _q(TREE, "Prompt engineering: for behavior, format, guardrails")
FT_LAST_MILE = _q(TREE, "Fine-tuning: only on the last-mile output layer, if at all")

# --- retrieval -------------------------------------------------------------------------
FRESHNESS_DAILY = _q(
    NOBODY,
    "If your knowledge base updates daily, RAG reflects that immediately — update your vector "
    "store, the model uses the new data.",
)
FRESHNESS_QUESTION = _q(
    BUILDERS,
    "How often does the knowledge change? Frequently → RAG, every time. Rarely → fine-tuning is viable.",
)
CHANGING_KNOWLEDGE_FIRST = _q(PRODUCTION, "If the answer to the first is yes, start with RAG.")
FRESHNESS_WINS = _q(
    PRODUCTION,
    "RAG wins when the information changes often. Updating documents is easier than retraining "
    "a model every time the source material moves.",
)
ADD_REMOVE_KNOWLEDGE = _q(TREE, "You need to add or remove knowledge without retraining")
STATIC_KNOWLEDGE = _q(
    CHOOSE,
    "Static: Best for fixed knowledge (e.g., company tone, formatting rules, fixed regulations).",
)
DYNAMIC_DATA = _q(
    CHOOSE,
    "Dynamic: Perfect for data that updates daily (e.g., stock prices, news, live inventory).",
)
FACTUAL_RECALL = _q(TREE, "Step 2: Is the bottleneck factual recall over a known corpus?")
ACCESS_TO_CONTEXT = _q(
    PRODUCTION, "RAG is strongest when the real problem is access to the right context."
)
INTERNAL_RECORDS = _q(PRODUCTION, "answers must reflect internal documents or current records")
NEW_FACTS_OR_BEHAVIOUR = _q(
    BUILDERS,
    "Does the model need new facts, or new behavior? New facts → RAG. New behavior → fine-tuning.",
)
LARGE_CORPUS = _q(
    BUILDERS,
    "No model can hold an entire documentation corpus in its context window. RAG fetches only "
    "what's relevant per query.",
)
LARGE_CORPUS_100MB = _q(TREE, "The knowledge corpus is large (100MB+)")
CITATIONS = _q(BUILDERS, "Do you need source citations? Yes → RAG. No → either works.")
AUDITABILITY = _q(
    NOBODY,
    "For regulated industries or anywhere you need to explain model outputs, RAG’s auditability "
    "is a significant advantage.",
)
TRACEABILITY = _q(
    PRODUCTION,
    "RAG usually wins because answers can be tied to retrieved context, citations, or source "
    "documents. That matters for review-heavy and regulated use cases.",
)
HALLUCINATIONS_NEED_CONTEXT = _q(
    BUILDERS,
    "Fine-tuning to fix hallucinations. Hallucinations usually come from missing context, not "
    "wrong model weights. Adding retrieval fixes this; more training data often doesn't.",
)
HALLUCINATION_TRACED = _q(
    CHOOSE, "Excellent. Responses can be directly traced back to the retrieved source documents."
)
NO_FRESH_FACTS_IN_WEIGHTS = _q(
    BUILDERS, "What fine-tuning does not do well: keep the model up-to-date with new facts."
)
DOCUMENTS_NOT_EXAMPLES = _q(NOBODY, "RAG needs documents, not labeled examples.")
NO_PAIRS_USE_RAG = _q(
    BUILDERS,
    "Do you have labeled training pairs? No → use RAG until you've collected enough real usage "
    "data to fine-tune on.",
)
LARGE_MODELS_RAG = _q(
    CHOOSE,
    'Large LLMs (e.g., GPT-4). Retains massive general knowledge without risking "catastrophic '
    'forgetting."',
)
RETRIEVAL_BOTTLENECK = _q(
    TREE, "The catch: RAG quality is bottlenecked by retrieval, not generation."
)
WRONG_REASON_TO_FINE_TUNE = _q(
    PRODUCTION,
    "If retrieval quality is weak, chunking is poor, or evaluation is missing, fine-tuning can "
    "mask the real problem rather than solve it.",
)
POOR_CHUNKING = _q(
    BUILDERS,
    "Ignoring chunk quality in RAG. The most common RAG failure is poor chunking — splitting "
    "documents at arbitrary character counts rather than semantic boundaries.",
)
ITERATE_RAPIDLY = _q(
    NOBODY, "You’re iterating rapidly and can’t afford training pipeline complexity"
)
VALIDATE_HYPOTHESIS = _q(
    NOBODY,
    "For most early-stage LLM product development, RAG lets you validate the product hypothesis "
    "before investing in fine-tuning infrastructure.",
)

# --- where to start: the articles disagree ------------------------------------------------
GOLDEN_RULE_RAG = _q(
    CHOOSE,
    "If there is one thing the AI developer community agrees on, it is this: RAG is your default "
    "starting point.",
)
START_WITH_RAG_NOBODY = _q(NOBODY, "Why Most Teams Should Start With RAG")
START_WITH_RAG_BUILDERS = _q(BUILDERS, "For most builders, the right default is: start with RAG.")

# --- fine-tuning -----------------------------------------------------------------------
STEP3_BEHAVIOUR = _q(
    TREE,
    "Step 3: Is the bottleneck a specific output style, format, or behavior pattern that "
    "prompting cannot reliably enforce?",
)
CONSISTENT_FORMAT = _q(
    NOBODY,
    "You need consistent output format: structured JSON, specific schemas, standardized report formats",
)
ALWAYS_JSON = _q(TREE, "You need consistent output format (e.g., always JSON with these keys)")
SCHEMA_PROBLEM = _q(
    BUILDERS,
    "Is this a formatting or output schema problem? Yes → fine-tuning often outperforms even a "
    "detailed system prompt.",
)
JARGON = _q(
    NOBODY,
    "You’re working with highly specialized jargon that base models handle poorly (medical "
    "coding, legal citation format, domain-specific taxonomy)",
)
BRAND_VOICE = _q(
    NOBODY,
    "Style transfer is the primary goal: writing in a specific brand voice, mimicking a "
    "particular communication style",
)
TONE_ENFORCEMENT = _q(
    BUILDERS,
    "Tone and style enforcement. You want every output to sound like your brand, follow a rigid "
    "format, or match a specific writing style — without lengthy system prompts.",
)
VOICE_PROMPTING_NOT_CUTTING_IT = _q(
    CHOOSE,
    "If your company's writing style is highly specific and prompt engineering isn't cutting it, "
    'fine-tuning will alter the model\'s default "personality."',
)
BEHAVIOURAL_CONSISTENCY = _q(
    BUILDERS,
    "Behavioral consistency. You need the model to reliably refuse certain topics, respond in a "
    "specific schema, or always follow a multi-step process.",
)
REPEATED_TASKS = _q(
    PRODUCTION,
    "Typical examples include classification, extraction, structured drafting, specialized tone "
    "control, and narrow domain behaviors repeated at scale.",
)
PROMPTING_UNSTABLE = _q(PRODUCTION, "prompting alone is too unstable or too verbose")
DATA_HUNDREDS_TO_THOUSANDS = _q(
    NOBODY,
    "Fine-tuning needs labeled examples — typically hundreds to thousands of high-quality "
    "input/output pairs to move the needle meaningfully.",
)
DATA_1000_PLUS = _q(TREE, "You have 1,000+ high-quality input/output pairs")
TOO_EARLY = _q(
    BUILDERS,
    "Starting with fine-tuning too early. Fine-tuning requires clean, representative training "
    "data you probably don't have at day one.",
)
WINS_AT_SCALE = _q(
    NOBODY,
    "Fine-tuning wins at scale. Once trained, a fine-tuned model answers without retrieval overhead.",
)
LOW_VOLUME_NEGLIGIBLE = _q(
    NOBODY,
    "At low request volumes the difference is negligible. At millions of requests per day, the "
    "RAG overhead accumulates.",
)
AMORTISED_COST = _q(
    NOBODY,
    "Inference cost at scale is hurting margins: model a specific request volume and compare RAG "
    "infrastructure cost against fine-tuning training amortized over that volume",
)
RAG_STEPS_OVERHEAD = _q(
    NOBODY,
    "That’s 3-5 additional steps adding cost and latency at every request.",
)
LATENCY_SLA = _q(
    NOBODY,
    "Latency SLA requires it: if your p95 latency requirement can’t accommodate retrieval overhead",
)
P99_LATENCY = _q(
    NOBODY,
    "For p50 this may be acceptable; for p99 and latency SLA requirements, fine-tuning often wins.",
)
COMPRESS_PROMPT = _q(TREE, "You need to compress prompt length for cost or latency")
REDUCE_PROMPT_LENGTH = _q(
    BUILDERS,
    "Reducing prompt length. If you're paying for millions of tokens in system prompts that could "
    "instead be baked into the model, fine-tuning cuts inference cost.",
)
FT_COST_HIGH = _q(
    CHOOSE, "High. Requires curated datasets, training compute, and periodic retraining."
)
EDGE_FINE_TUNING = _q(
    CHOOSE, "Excellent. The knowledge is baked in, allowing for fully offline, fast inference."
)
EDGE_RAG = _q(CHOOSE, "Difficult. Requires external database calls.")
LOCAL_SLM = _q(
    CHOOSE,
    "If you are running a 7B parameter model locally and need it to memorize specific internal "
    "policies or coding syntax without relying on internet calls, fine-tuning is highly effective.",
)
SMALL_MODELS = _q(
    CHOOSE,
    "Small/Custom Models (e.g., Phi-2, 7B models). Great for burning specific capabilities into "
    "smaller weights.",
)
LOCK_IN = _q(TREE, "The catch: Fine-tuning locks you into a model.")

# --- hybrid ----------------------------------------------------------------------------
RAG_FACTS_FT_STYLE = _q(
    TREE, "Use RAG for facts and fine-tune for style. Never the other way around."
)
HYBRID_BOTH_SETS = _q(PRODUCTION, "Choose a hybrid path if both sets are true.")
FORM_AND_FACTS = _q(BUILDERS, "This is sometimes called fine-tuning the form, RAG-ing the facts.")
HYBRID_PRODUCTION = _q(
    NOBODY,
    "The most capable production systems increasingly use both: fine-tune for format/style/domain "
    "vocabulary, use RAG for factual knowledge retrieval.",
)
RAG_FOR_BEHAVIOUR = _q(
    BUILDERS,
    "RAG-ing behavioral problems. If the model consistently formats output wrong or breaks "
    "persona, no amount of retrieved context will fix it. That's a behavior problem — train it out.",
)
RAG_OVERUSED = _q(
    PRODUCTION,
    "If the workflow mostly needs structured task behavior, stable formatting, or repeated "
    "internal actions, retrieval may add complexity without solving the main issue.",
)

# --- tools -----------------------------------------------------------------------------
TOOL_AGENTS = _q(
    TREE,
    "The task requires reasoning over data the model has never seen and cannot retrieve. Use "
    "tool-calling agents instead.",
)
REAL_TIME_API = _q(
    TREE, "The task requires real-time data. Build an API integration; do not fine-tune."
)
EXTERNAL_ACTIONS = _q(TREE, "Tool-calling agents: for external actions")

ALL_EVIDENCE: tuple[Evidence, ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Evidence)
)
