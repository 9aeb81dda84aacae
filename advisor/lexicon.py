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
QUANTITY = CONCEPT_PREFIX + "quantity"  # any number in the text ("100", "1,000+", "2k", "70%")
_NUMBER_WORDS = frozenset(
    "hundr hundred thousand million billion dozen percent"
    " ten eleven twelv thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
    " twenti thirti forti fifti sixti seventi eighti nineti".split()
)  # Snowball stems ("hundreds" -> "hundr", "sixty" -> "sixti"); spelled-out numbers from ten up
# count as quantities ("about sixty examples" vs "less than 100 examples"); one to nine do not
# ("the two approaches", "one thing")

CONCEPTS: dict[str, tuple[str, ...]] = {
    # ---- the approaches --------------------------------------------------------------------
    "fine_tuning": (
        "fine-tune", "fine-tuning", "fine-tuned", "fine tune", "fine tuning", "finetune",
        "finetuning", "finetuned", "re-fine-tune", "re-fine-tuning", "ft", "sft",
        "supervised fine-tuning", "instruction tuning", "rlhf", "dpo", "lora", "qlora", "peft",
        "parameter-efficient", "adapter", "adapters", "retrain", "retraining", "retrained",
        "train the model", "training the model", "train a model", "train our own model",
        "train your own model", "train it", "trained model", "tuned model", "custom-trained",
        "custom model", "customize the model", "customizing a model", "customise the model",
        "adapt the model", "adapting the model", "model adaptation", "continued training",
        "continue training", "update the weights", "updates the model's weights",
        "adjusts the base model's weights", "weight updates", "teach the model",
        "memorize", "memorise", "internalize", "internalized", "internalise", "baked in",
        "bake in", "bake it into", "bake into the model", "burn into", "burning specific capabilities",
        "training run", "training runs", "model training", "distillation", "distill",
    ),
    "rag": (
        "rag", "retrieval-augmented", "retrieval augmented", "retrieval", "retrieve",
        "retrieved", "retriever", "retrieving", "retrieval pipeline", "vector search",
        "vector store", "vector database", "vector db", "vector index", "semantic search",
        "embedding", "embeddings", "knowledge base", "kb", "kbs", "search index",
        "index your docs", "indexing", "document-grounded", "grounding", "grounded",
        "look things up", "looks things up", "lookup", "lookups", "look up", "fetches",
        "fetch", "rag-ing", "context injection", "inject them into the prompt",
        "smart librarian", "open-book",
    ),
    "peft": (
        "lora", "qlora", "peft", "parameter-efficient", "parameter efficient", "adapter",
        "adapters", "low-rank adaptation", "full-model retraining", "full fine-tuning",
    ),
    "vector_search": (
        "vector search", "vector store", "vector stores", "vector database", "vector databases",
        "vector db", "vector index", "semantic search", "embedding", "embeddings",
        "embedding model", "similarity search", "pinecone", "pgvector", "chroma", "faiss",
    ),
    "prompting": (
        "prompting", "prompt engineering", "prompt engineer", "prompt eng", "prompt",
        "prompts", "system prompt", "system prompts", "sys prompt", "few-shot", "few shot",
        "zero-shot", "in-context", "instructions", "prompt design", "prompt template",
        "prompt tweaks",
    ),
    "hybrid": (
        "hybrid", "combine", "combined", "combining", "combination", "use both", "both",
        "together", "the two together", "mix of", "layered", "in tandem", "side by side",
        "fine-tuning the form", "rag-ing the facts",
    ),
    "tool_calling": (
        "tool calling", "tool-calling", "tool use", "function calling", "agent", "agents",
        "agentic", "api integration", "api call", "api calls", "call an api", "external actions",
        "take actions", "external system", "external systems", "calculator",
        "exact computation", "query the database", "orchestration",
    ),
    "live_data": (
        "real-time data", "real time data", "real-time", "realtime", "live data", "live",
        "up-to-the-minute", "stock prices", "stock price", "market data", "live inventory",
        "inventory", "account balance", "portfolio balance", "weather", "current prices",
        "user data", "user history",
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
        "underperform", "underperforming", "underperforms", "mediocre", "bad answers",
        "bad answer", "garbage", "brittle", "not working", "doesn't work", "falls short",
        "insufficient",
    ),
    "weakness": (
        "weakness", "weaknesses", "weak", "weaker", "the catch", "catch", "downside",
        "downsides", "drawback", "drawbacks", "limitation", "limitations", "cons",
        "does not do well", "bad at", "struggle", "struggles", "difficult", "poor",
    ),
    "strength": (
        "best at", "good at", "strongest", "strength", "strengths", "superpower",
        "superpowers", "wins", "excels", "shines", "sweet spot", "good use cases",
        "primary purpose", "purpose", "good for", "excellent",
    ),
    "retrieval_quality": (
        "retrieval quality", "bad retrieval", "poor retrieval", "ranking", "reranking",
        "reranker", "recall", "right chunk", "wrong chunk", "right docs", "right documents",
        "relevant chunks", "irrelevant", "misses the right evidence", "isn't returned",
        "not returned", "embedding choice", "search quality", "relevance",
    ),
    "wrong_fix": (
        "mask the real problem", "mask", "paper over", "band-aid", "band aid", "symptom",
        "wrong fix", "won't fix", "will not fix", "no amount of", "our way out", "fix it",
        "premature", "prematurely", "overused", "overkill", "unnecessary", "wrong reason",
    ),
    "forgetting": (
        "catastrophic forgetting", "forgetting", "forget", "damage", "damaging", "degrade",
        "degrades", "lose its abilities", "general abilities", "innate ability",
        "general knowledge", "keeps the genius intact", "general smarts", "regress",
        "regression",
    ),
    # ---- constraints and resources ------------------------------------------------------
    "cost": (
        "cost", "costs", "costly", "cheap", "cheaper", "cheapest", "expensive", "pricey",
        "budget", "spend", "spending", "money", "margins", "margin", "bill", "billing",
        "pay", "paying", "dollar", "dollars", "euro", "pound", "economics", "economical",
        "roi", "afford", "affordable", "overhead", "tco", "gpu", "gpus", "gpu hours",
        "training compute", "compute", "per-query", "per query", "price tag",
        "cost-effective", "rent", "invoice",
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
        "per request", "every request", "each request", "high volume", "calls a day",
    ),
    "complexity": (
        "ml expertise", "ml engineers", "ml team", "expertise", "in-house skills",
        "complexity", "complex", "infrastructure", "pipeline", "pipelines", "maintenance",
        "maintain", "maintaining", "operational", "ops", "moving parts", "engineering effort",
        "headache", "babysit", "upkeep", "real work", "setup", "set up", "setup cost",
        "wire up",
    ),
    "effort": (
        "effort", "efforts", "focus", "invest", "investing", "invest time", "spend time",
        "time on", "energy", "prioritize", "prioritise", "priority", "where to start",
        "70%",
    ),
    "training_data": (
        "labeled examples", "labelled examples", "labeled data", "labelled data",
        "training data", "training examples", "training pairs", "training set",
        "input/output pairs", "input-output pairs", "examples", "example pairs", "dataset",
        "datasets", "data set", "curated dataset", "annotations", "annotated", "data labeling",
        "data labelling", "labeling", "labelling", "labeled", "labelled", "transcripts",
        "usage data", "real interactions", "gold data", "samples", "pairs",
    ),
    "small_data": (
        "few examples", "a few examples", "handful", "handful of examples", "small dataset",
        "tiny dataset", "little data", "not enough data", "too little data", "limited data",
        "no data", "zero data", "no labeled data", "only a few", "less than 100", "fewer than",
        "underfit", "overfit", "cold start", "don't have that volume", "dozens of examples",
        "don't have at day one", "zero usage data",
    ),
    # ---- what the system needs ----------------------------------------------------------
    "freshness": (
        "up to date", "up-to-date", "current", "latest", "fresh", "freshness", "stale",
        "outdated", "out of date", "changes often", "change often", "changes frequently",
        "changing", "changes", "frequently updated", "updates daily", "updated daily",
        "daily", "weekly", "hourly", "every week", "every day", "dynamic", "volatile",
        "volatility", "evolving", "new facts", "edited", "edits", "news", "keep up",
        "time-sensitive", "add or remove knowledge",
    ),
    "static_knowledge": (
        "static", "stable knowledge", "never change", "never changes", "rarely changes",
        "rarely", "fixed knowledge", "fixed regulations", "unchanging", "doesn't change",
    ),
    "traceability": (
        "traceability", "traceable", "trace", "traced", "audit", "auditability", "auditable",
        "audited", "citation", "citations", "cite", "cited", "source attribution",
        "attribution", "provenance", "sources", "source documents", "where the answer came from",
        "where the ai got its answer", "explain", "explainability", "explainable", "verify",
        "verifiable", "opaque", "inspect", "black box",
    ),
    "regulated": (
        "regulated", "regulation", "regulations", "regulatory", "compliance", "compliant",
        "legal", "lawyers", "law", "medical", "healthcare", "clinical", "finance", "financial",
        "banking", "bank", "insurance", "review-heavy", "reviewers", "medtech",
    ),
    "on_device": (
        "on-prem", "on-premise", "on-premises", "self-hosted", "data can't leave",
        "on-device", "on device", "edge", "offline", "phone", "phones", "mobile", "laptop",
        "laptops", "locally", "local", "no internet", "without internet", "internet",
        "no network", "network access", "no connectivity", "connectivity", "air-gapped",
        "air gapped", "internet calls", "embedded device", "runs locally", "disconnected",
    ),
    "behavior": (
        "behavior", "behaviour", "behaviors", "behave", "behaves", "behavioral",
        "behavioural", "consistent", "consistency", "consistently", "reliably", "reliable",
        "predictable", "stable behavior", "refuse", "refuses", "refusal", "refusals",
        "guardrails", "follow instructions", "off-topic", "adhere", "adherence", "persona",
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
        "domain vocabulary", "vocabulary", "taxonomy", "dialect", "codes", "medical coding",
        "billing codes", "acronyms", "niche",
    ),
    "extraction": (
        "extraction", "extract", "extracting", "classification", "classify", "classifying",
        "named entities", "entity", "entities", "parse", "parsing", "pull out", "tagging",
    ),
    "large_corpus": (
        "large knowledge base", "large knowledge bases", "large corpus",
        "entire documentation corpus", "millions of documents", "hundreds of thousands",
        "100mb", "huge corpus", "lots of documents", "many documents", "context window",
        "corpus", "corpora",
    ),
    "model_size": (
        "open-source model", "open-source models", "open-weight", "open weights",
        "small model", "small models", "small language models", "slm", "slms", "7b",
        "mid-sized", "phi-2", "large llms", "gpt-4", "gpt-4o", "claude", "llama", "mistral",
        "frontier model", "foundation model", "foundational models", "trillion-parameter",
        "model size", "biggest models", "huge model", "giant",
    ),
    "model_swap": (
        "swap", "swapping", "switch models", "switch to", "switching", "upgrade", "upgrades",
        "newer model", "new base model", "newer, smarter base model", "ports over", "port",
        "portable", "migrate", "migration", "provider", "vendor",
    ),
    "reversibility": (
        "permanent", "permanently", "stuck", "forever", "lock-in", "locks you into",
        "locked in", "locks you in", "irreversible", "reversible", "one-way door", "undo",
        "change course", "revisit", "isn't permanent", "commit",
    ),
    "prompt_size": (
        "prompt length", "prompt size", "long prompts", "long prompt", "lengthy system prompts",
        "huge prompt", "enormous system prompt", "giant prompt", "tokens", "token", "verbose",
        "context length", "longer context", "shorter prompts", "compress prompt length",
        "reduce prompt size", "reducing prompt length",
    ),
    "inference_time": (
        "inference", "inference time", "at inference", "request time", "query time",
        "answer time", "runtime", "run time", "serving", "at serving time", "per call",
    ),
    "neither": (
        "neither", "do neither", "skip both", "without either", "either of them",
        "just prompting", "prompting alone", "prompt alone", "need either",
    ),
    "accuracy": (
        "accuracy", "accurate", "correctness", "correct answers", "right answers",
        "factual accuracy", "precision", "precise", "answer quality",
    ),
    # ---- question forms and the answers they look for ------------------------------------
    "quantity": (
        "how many", "how much data", "how much training data", "what number", "how large",
        "how big", "what volume", "minimum number",
    ),
    "duration": (
        "how long", "how quickly", "how soon", "turnaround", "hours", "days", "weeks",
        "months", "minutes", "hours to days", "in minutes", "overnight",
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
        "number one", "most common", "main", "biggest", "top reason", "main reason",
        "most teams", "usually", "typically", "typical", "most of the time", "80%",
    ),
    "mechanism": (
        "how it works", "how does it work", "what it does", "actually does", "mechanism",
        "under the hood", "works by", "tl;dr", "summary", "in a nutshell",
    ),
    "comparison": (
        "compare", "compared", "comparison", "comparative", "versus", "vs", "trade-off",
        "trade-offs", "tradeoff", "tradeoffs", "pros and cons", "difference", "differences",
        "breakdown", "head to head",
    ),
    "decision": (
        "decision", "decisions", "decide", "deciding", "make the call", "making this call",
        "this call", "dilemma", "choice", "decision tree", "decision framework", "checklist",
    ),
    "production": (
        "production", "prod", "real-world", "in practice", "shipped", "deploy", "deployed",
        "deployment", "deploying", "production systems", "production stack",
    ),
    # ---- process ------------------------------------------------------------------------
    "start_default": (
        "start with", "starting point", "start", "default", "first move", "begin", "day one",
        "initially", "before anything", "step 1", "baseline", "early-stage", "early stage",
        "startup", "mvp", "prototype", "validate the product hypothesis", "first",
    ),
    "premature": (
        "too early", "too soon", "jump the gun", "early", "before assuming", "not yet",
        "premature", "prematurely", "day one",
    ),
    "tipping_point": (
        "crossover", "crossover points", "tipping point", "break-even", "break even",
        "worth it", "worth", "justify", "justifies", "pays off", "pay off", "threshold",
        "the moment", "when to switch", "trigger", "becomes worth it",
    ),
    "knowledge": (
        "knowledge", "facts", "factual", "fact", "information", "info", "factual recall",
        "what to say",
    ),
    "sequence": (
        "in order", "order", "sequence", "step", "steps", "first or second", "second move",
        "fifth", "last-mile", "eventually", "later", "next",
    ),
    "iteration_speed": (
        "iterate", "iterating", "iteration", "iteration speed", "ship", "ships", "shipping",
        "ship fast", "time to market", "quickly", "in minutes", "in a day", "sprint",
        "rapidly", "move fast",
    ),
    "evaluation": (
        "evaluation", "evaluate", "evals", "eval", "metrics", "measure", "benchmark",
        "test", "testing", "validate", "quality", "regressed", "a/b",
    ),
    "chunking": (
        "chunk", "chunks", "chunking", "split", "splitting", "segment", "segmentation",
        "passages", "passage", "pieces of text", "piece of text", "semantic boundaries",
    ),
    "support": (
        "customer support", "support", "customer service", "help center", "helpdesk",
        "help desk", "tickets", "support tickets", "support bot", "support assistant",
        "copilot", "escalate", "triage", "chatbot", "bot",
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
    get = table.get
    numbers = _NUMBER_WORDS
    out: list[tuple[int, int, str]] = []
    covered: dict[str, int] = {}  # concept token -> end of its last match
    # Stems are [a-z0-9]+, so s[:1] <= "9" means "starts with a digit": a cheap first filter.
    for i in [i for i, s in enumerate(stems) if s in table or s[:1] <= "9" or s in numbers]:
        stem = stems[i]
        if stem[:1] <= "9" or stem in numbers:  # starts with a digit ("100", "2k", "7b")
            out.append((i, i + 1, QUANTITY))
        bucket = get(stem)
        if bucket is None:
            continue
        for phrase, token in bucket:  # longest first
            if covered.get(token, 0) > i:
                continue  # inside a longer match of the same concept ("system prompt")
            end = i + len(phrase)
            if end == i + 1 or tuple(stems[i:end]) == phrase:
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
# makes sense", "what would you pick", "is it worth using"). Every article is about choosing an
# approach, so these say nothing about which passage is meant: the relevance check ignores them
# (a question made only of them and stop words has no topic of its own).
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
