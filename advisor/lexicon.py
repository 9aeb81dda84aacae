"""A domain lexicon for search over writing about building with LLMs.

Each concept is a group of words and phrases that people use for the same idea ("customize
the model", "LoRA" and "fine-tune"; "makes things up" and "hallucinates"; "p95" and "slow").
Like a search engine's synonym filter, the analyzer emits the concept's token wherever any
member occurs, at index time and at query time alike, so a question and a passage that name
the same idea in different words share a term. Members are matched on Snowball stems over the
full word sequence (stop words included, so "up to date" and "no internet" work), longest
phrase first, and a word may belong to several concepts.

The groups were written from domain knowledge of LLM engineering (the vocabulary of the field
and of the kind of articles the advisor is built on), not from evaluation questions. Keep them
that way: a group should hold only words a search engineer would accept as the same idea in
any article of this field. Very broad words (model, data, use) belong in no group.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

CONCEPT_PREFIX = "#"
QUANTITY = CONCEPT_PREFIX + "quantity"  # any number in the text ("100", "1,000+", "70%", "p95")
_NUMBER_WORDS = frozenset(
    "hundred hundreds thousand thousands million millions billion billions dozen dozens "
    "percent".split()
)


def _is_quantity(stem: str) -> bool:
    return stem.isdigit() or stem in _NUMBER_WORDS

CONCEPTS: dict[str, tuple[str, ...]] = {
    # ---- the approaches --------------------------------------------------------------------
    "fine_tuning": (
        "ft", "fted", "memorize", "memorise", "internalize", "internalized", "internalise", "burn into", "training run", "training runs", "model training",
        "fine-tune", "fine-tuning", "fine-tuned", "fine tune", "finetune", "finetuning",
        "finetuned", "re-fine-tune", "retrain", "retraining", "retrained", "train the model",
        "training the model", "train a model", "train our own model", "train your own model",
        "trained model", "custom-trained", "custom model", "customize the model",
        "customizing a model", "customise the model", "adapt the model", "adapting the model",
        "model adaptation", "parameter-efficient", "peft", "lora", "qlora", "adapter",
        "adapters", "continued training", "continue training", "update the weights",
        "updates the model's weights", "adjusts the base model's weights", "weight updates",
        "tuned model", "teach the model", "bake into the model", "baked in", "bake it into",
        "burning specific capabilities", "sft", "supervised fine-tuning", "rlhf", "dpo",
        "instruction tuning", "distillation", "distill",
    ),
    "rag": (
        "kb", "kbs", "retrieval pipeline", "search index", "vector index", "pull the right docs",
        "rag", "retrieval-augmented", "retrieval augmented", "retrieval", "retrieve",
        "retrieved", "retriever", "retrieving", "vector search", "vector store",
        "vector database", "vector db", "semantic search", "embedding", "embeddings",
        "knowledge base", "index your docs", "indexing", "reranking", "reranker",
        "document-grounded", "grounding", "grounded", "look things up", "looks things up",
        "lookup", "lookups", "look up", "fetches", "fetch", "search step", "search the docs",
        "rag-ing", "context injection", "inject them into the prompt", "smart librarian",
    ),
    "prompting": (
        "sys prompt", "prompt eng", "prompt engineer", "prompt engineers", "prompt tweaks", "prompt tuning",
        "prompting", "prompt engineering", "prompt", "prompts", "system prompt",
        "system prompts", "few-shot", "few shot", "zero-shot", "in-context", "instructions",
        "instruction", "prompt design", "prompt template",
    ),
    "hybrid": (
        "hybrid", "combine", "combined", "combining", "combination", "both", "together",
        "use both", "the two together", "mix of", "layered", "fine-tuning the form",
        "rag-ing the facts", "in tandem", "side by side",
    ),
    "tool_calling": (
        "stock prices", "market data", "live inventory", "account balance", "portfolio balance", "weather",
        "tool calling", "tool-calling", "tool use", "function calling", "agent",
        "agents", "agentic", "api integration", "api call", "api calls", "external actions",
        "take actions", "live data", "real-time data", "real time data",
        "calculator", "exact computation", "query the database", "external system",
        "external systems",
    ),
    # ---- what goes wrong ---------------------------------------------------------------------
    "hallucination": (
        "hallucinate", "hallucinates", "hallucination", "hallucinations", "hallucinating",
        "made up", "make things up", "makes things up", "makes stuff up", "making things up",
        "made-up", "make up", "fabricate", "fabricated", "fabrication", "invented", "invents",
        "confabulate", "confabulation", "wrong facts", "false facts", "factually wrong",
        "inaccurate", "confidently wrong", "confidently hallucinate", "untrue", "bogus",
    ),
    "failure": (
        "fail", "fails", "failure", "failures", "failure modes", "break down", "breaks down",
        "go wrong", "goes wrong", "went wrong", "pitfall", "pitfalls", "mistake", "mistakes",
        "weakness", "weak", "poor", "underperform", "underperforming", "underperforms",
        "mediocre", "bad answers", "bad answer", "garbage", "brittle",
        "not working", "doesn't work", "falls short",
    ),
    "forgetting": (
        "catastrophic forgetting", "forgetting", "forget", "damage", "damaging", "degrade",
        "degrades", "lose its abilities", "general abilities", "innate ability",
        "general knowledge", "keeps the genius intact", "regress", "regression",
    ),
    # ---- constraints and resources ------------------------------------------------------
    "cost": (
        "dollar", "dollars", "euro", "pound", "pricing", "cheaper to update", "rent",
        "cost", "costs", "costly", "cheap", "cheaper", "cheapest", "expensive", "pricey",
        "budget", "spend", "spending", "money", "margins", "margin", "bill", "billing",
        "pay", "paying", "dollars", "economics", "economical", "roi", "afford",
        "affordable", "overhead", "tco", "compute", "gpu", "gpus", "gpu hours",
        "training compute", "per-query", "per query", "price tag", "cost-effective",
    ),
    "latency": (
        "latency", "latencies", "slow", "slower", "fast", "faster", "speed", "speedy", "quick",
        "response time", "response times", "p50", "p95", "p99", "tail latency", "sla",
        "slas", "milliseconds", "ms", "round trip", "round-trip", "snappy", "lag",
        "request path",
    ),
    "scale": (
        "at scale", "scale", "scales", "scalable", "volume", "volumes", "request volume",
        "traffic", "throughput", "qps", "requests per day", "millions of requests",
        "per request", "every request", "each request", "high volume",
    ),
    "complexity": (
        "complexity", "complex", "infrastructure", "pipeline", "pipelines", "maintenance",
        "maintain", "maintaining", "operational", "ops", "moving parts", "engineering effort",
        "headache", "babysit", "upkeep", "real work", "setup", "set up", "setup cost",
    ),
    "training_data": (
        "labeled examples", "labelled examples", "labeled data", "labelled data",
        "training data", "training examples", "training pairs", "training set",
        "input/output pairs", "input-output pairs", "examples", "example pairs", "dataset",
        "datasets", "data set", "curated dataset", "annotations", "annotated", "data labeling",
        "data labelling", "labeling", "labelling", "transcripts", "usage data",
        "real interactions", "gold data", "samples", "pairs",
    ),
    # ---- what the system needs ----------------------------------------------------------
    "freshness": (
        "up to date", "up-to-date", "current", "latest", "fresh", "freshness", "stale",
        "outdated", "out of date", "changes often", "change often", "changes frequently",
        "changing", "changes", "frequently updated", "updates daily", "updated daily",
        "daily", "weekly", "hourly", "every week", "every day", "dynamic", "volatile",
        "volatility", "evolving", "new facts", "edited", "real-time", "real time",
        "live", "news", "keep up", "time-sensitive",
    ),
    "static_knowledge": (
        "static", "stable knowledge", "never change", "never changes",
        "rarely changes", "rarely", "fixed knowledge", "fixed regulations", "unchanging",
    ),
    "traceability": (
        "traceability", "traceable", "trace", "traced", "audit", "auditability", "auditable",
        "audited", "citation", "citations", "cite", "cited", "source attribution",
        "attribution", "provenance", "sources", "source documents", "where the answer came from",
        "explain", "explainability", "explainable", "verify", "verifiable", "opaque",
        "inspect",
    ),
    "regulated": (
        "regulated", "regulation", "regulations", "regulatory", "compliance", "compliant",
        "legal", "lawyers", "law", "medical", "healthcare", "clinical", "finance", "financial",
        "banking", "bank", "insurance", "review-heavy", "reviewers",
    ),
    "on_device": (
        "on-device", "on device", "edge", "offline", "phone", "phones", "mobile", "laptop",
        "laptops", "locally", "local", "no internet", "without internet", "no network",
        "no connectivity", "air-gapped", "air gapped", "internet calls", "embedded device",
        "no network access", "runs locally",
    ),
    "behavior": (
        "behavior", "behaviour", "behaviors", "behave", "behaves", "behavioral",
        "behavioural", "consistent", "consistency", "consistently", "reliably", "reliable",
        "predictable", "stable behavior", "refuse", "refuses", "refusal", "refusals",
        "guardrails", "follow instructions", "persona", "off-topic", "adhere", "adherence",
    ),
    "style": (
        "tone", "style", "voice", "brand", "brand voice", "persona", "personality",
        "character", "house style", "writing style", "register", "dialect", "sound like",
        "sounds like", "on-brand", "wording", "phrasing",
    ),
    "format": (
        "format", "formats", "formatting", "formatted", "json", "schema", "schemas",
        "structure", "structured", "structured output", "template", "templates", "layout",
        "keys", "fields", "output format", "output schema", "report formats", "xml", "yaml",
        "markdown",
    ),
    "domain_language": (
        "jargon", "terminology", "specialized", "specialised", "domain-specific",
        "domain vocabulary", "vocabulary", "taxonomy", "dialect", "codes",
        "medical coding", "billing codes", "acronyms", "niche",
    ),
    "extraction": (
        "extraction", "extract", "extracting", "classification", "classify", "classifying",
        "named entities", "entity", "entities", "parse", "parsing", "pull out", "tagging",
        "labeling task",
    ),
    "large_corpus": (
        "large knowledge base", "large corpus", "entire documentation corpus",
        "millions of documents", "hundreds of thousands", "100mb", "huge corpus",
        "lots of documents", "many documents", "context window", "corpus", "corpora",
    ),
    "model_size": (
        "small model", "small models", "small language models", "slm", "slms", "7b",
        "mid-sized", "phi-2", "large llms", "gpt-4", "gpt-4o", "claude", "llama", "mistral",
        "frontier model", "foundation model", "foundational models", "trillion-parameter",
        "model size", "base model", "base models",
    ),
    "model_swap": (
        "swap", "swapping", "switch", "switching", "upgrade", "upgrades", "newer model",
        "new base model", "newer, smarter base model", "ports over", "port", "portable",
        "migrate", "migration", "lock-in", "locks you into", "locked in", "vendor",
        "provider", "stuck", "permanent", "reversible", "irreversible", "one-way door",
    ),
    "small_data": (
        "few examples", "a few examples", "handful", "handful of examples", "small dataset",
        "tiny dataset", "little data", "not enough data", "too little data", "limited data",
        "no data", "zero data", "no labeled data", "only a few", "less than 100", "fewer than",
        "underfit", "overfit", "cold start", "don't have that volume", "dozens of examples",
    ),
    "premature": (
        "premature", "prematurely", "too early", "too soon", "jump the gun", "early",
        "before assuming", "not yet", "day one", "mask the real problem", "paper over",
        "band-aid", "band aid", "overkill", "overused", "unnecessary",
    ),
    "tipping_point": (
        "crossover", "crossover points", "tipping point", "break-even", "break even",
        "worth it", "worth", "justify", "justifies", "pays off", "pay off", "threshold",
        "the moment", "when to switch", "trigger", "becomes worth it",
    ),
    "knowledge": (
        "knowledge", "facts", "factual", "fact", "information", "info", "know", "knows",
        "recall", "factual recall", "what to say",
    ),
    "sequence": (
        "order", "in order", "sequence", "step", "steps", "first or second", "second move",
        "fifth", "move", "last-mile", "eventually", "later", "priority", "prioritize",
    ),
    # ---- question forms and the answers they look for ------------------------------------
    "quantity": (
        "how many", "how much data", "how much training data", "what number", "how large",
        "how big", "what volume", "minimum number",
    ),
    "duration": (
        "how long", "how quickly", "how fast", "how soon", "turnaround", "hours", "days",
        "weeks", "months", "minutes", "hours to days", "in minutes", "overnight",
    ),
    "naming": (
        "is there a name", "what is it called", "what's it called", "name for", "term for",
        "called", "known as", "sometimes called", "nickname", "slogan", "rule of thumb",
    ),
    "example": (
        "example", "examples", "for example", "for instance", "e.g", "such as", "imagine",
        "concrete", "walk me through", "case study", "scenario", "use case", "use cases",
    ),
    "most_common": (
        "number one", "most common", "main", "biggest", "primary", "top reason", "main reason",
        "most teams", "usually", "typically", "typical", "most of the time", "80%",
    ),
    # ---- process ------------------------------------------------------------------------
    "start_default": (
        "start with", "starting point", "start", "default", "first", "first move",
        "begin", "day one", "initially", "before anything", "step 1", "baseline",
        "early-stage", "early stage", "mvp", "prototype", "validate the product hypothesis",
    ),
    "iteration_speed": (
        "iterate", "iterating", "iteration", "iteration speed", "ship", "ships", "shipping",
        "ship fast", "time to market", "quickly", "in minutes", "in a day", "weeks",
        "months", "hours to days", "sprint", "rapidly",
    ),
    "evaluation": (
        "evaluation", "evaluate", "evals", "eval", "metrics", "measure", "benchmark",
        "test", "testing", "validate", "quality", "regressed", "a/b",
    ),
    "chunking": (
        "chunk", "chunks", "chunking", "split", "splitting", "segment", "segmentation",
        "passages", "passage", "pieces of text", "semantic boundaries",
    ),
    "support": (
        "customer support", "support", "customer service", "help center", "helpdesk",
        "help desk", "tickets", "support tickets", "support bot", "support assistant",
        "copilot", "escalate", "triage",
    ),
    "documents": (
        "documents", "docs", "documentation", "wiki", "wikis", "manuals", "pdf", "pdfs",
        "articles", "knowledge articles", "reports", "policies", "records", "filings",
        "changelogs", "catalog", "pages",
    ),
}


def _stem_words(text: str) -> tuple[str, ...]:
    from advisor.text_analysis import stem_all, words

    return tuple(stem_all(words(text)))


@lru_cache(maxsize=1)
def _phrase_table() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], int]:
    """First stem -> [(stemmed phrase, concept token)], longest phrases first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    longest = 1
    for concept, members in CONCEPTS.items():
        token = CONCEPT_PREFIX + concept
        for member in members:
            stems = _stem_words(member)
            if not stems:
                continue
            longest = max(longest, len(stems))
            entry = (stems, token)
            bucket = table.setdefault(stems[0], [])
            if entry not in bucket:
                bucket.append(entry)
    for bucket in table.values():
        bucket.sort(key=lambda e: -len(e[0]))
    return table, longest


def concept_spans(stems: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, concept token) of every lexicon phrase found in a sequence of stems."""
    table, _ = _phrase_table()
    out: list[tuple[int, int, str]] = []
    covered: dict[str, int] = {}  # concept token -> end of its last match
    for i, stem in enumerate(stems):
        if _is_quantity(stem):
            out.append((i, i + 1, QUANTITY))
        bucket = table.get(stem)
        if not bucket:
            continue
        for phrase, token in bucket:  # longest first
            if covered.get(token, 0) > i:
                continue  # inside a longer match of the same concept ("system prompt")
            end = i + len(phrase)
            if tuple(stems[i:end]) == phrase:
                out.append((i, end, token))
                covered[token] = end
    return out


def concept_tokens(stems: Sequence[str]) -> list[str]:
    """Concept tokens for every lexicon phrase found in a sequence of stems (all words)."""
    return [token for _, _, token in concept_spans(stems)]


def concepts_of(text: str) -> set[str]:
    """The concepts a text mentions (names without the prefix)."""
    return {t[len(CONCEPT_PREFIX):] for t in concept_tokens(_stem_words(text))}


# Words that frame a question in this domain rather than say what it is about ("which approach
# makes sense", "what would you pick", "is it worth using"): every article is about choosing an
# approach, so these match everywhere and mislead BM25 on a small corpus. Removed from queries
# only (after concept matching, so "worth it" still emits its concept).
QUERY_STOPWORDS: frozenset[str] = frozenset(
    """
    approach approaches option options technique techniques method methods strategy
    choose choosing chose choice pick picking picked go going goes better best make makes
    making sense suit suits fit fits work works working way ways thing things stuff actually
    really basically honestly just ok okay guess someone somebody anyone need needs needed
    want wants wanted use uses using used would could might get gets got give gives kind sort
    lot lots much many us anything something else also even still yeah hey hi please pls thanks
    tell know wondering wonder question ask asking think idea help say says said right
    """.split()
)
