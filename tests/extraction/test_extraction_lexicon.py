"""One phrase per vocabulary family, so a pattern that silently stops matching fails a test."""

from __future__ import annotations

import pytest

from advisor.extraction import extract_situation

SAMPLES: list[tuple[str, str, object]] = [
    ("Where is my package?", "needs_live_data", True),
    ("Customers ask about seat availability.", "needs_live_data", True),
    ("Which trucks are idle right now?", "needs_live_data", True),
    ("It looks up fares via the airline's API.", "needs_live_data", True),
    ("Sales wants the bot to pull that from Salesforce.", "needs_live_data", True),
    ("The chatbot tells customers the delivery ETA for their package.", "needs_live_data", True),
    ("It should transfer money between accounts.", "needs_actions", True),
    ("It can pay bills for users.", "needs_actions", True),
    ("Users can place an order through the bot.", "needs_actions", True),
    ("The agent should trigger workflows in our system.", "needs_actions", True),
    ("It should add items to the cart.", "needs_actions", True),
    ("It should fill out forms for the user.", "needs_actions", True),
    ("The assistant must take actions in other systems.", "needs_actions", True),
    ("Employees want to book vacation days.", "needs_actions", True),
    ("It rebooks passengers on cancelled flights and issues vouchers.", "needs_actions", True),
    ("It executes buy and sell orders for users.", "needs_actions", True),
    ("The bot resets passwords and unlocks accounts.", "needs_actions", True),
    ("No actions, strictly read-only.", "needs_actions", False),
    ("We want this quarter's revenue numbers.", "needs_exact_computation", True),
    ("We need precise figures.", "needs_exact_computation", True),
    ("It will query our database.", "needs_exact_computation", True),
    ("How many pallets did we ship to Rotterdam last week?", "needs_exact_computation", True),
    (
        "Turn questions into SQL and run them against the sales database.",
        "needs_exact_computation",
        True,
    ),
    ("Our analysts want SQL queries explained in plain English.", "needs_exact_computation", None),
    ("Our content is static.", "knowledge_change_frequency", "static"),
    ("The rulebooks get amended several times a year.", "knowledge_change_frequency", "monthly"),
    ("New editions come out once a year.", "knowledge_change_frequency", "rarely"),
    (
        "We need to add and remove documents without retraining.",
        "knowledge_change_frequency",
        "monthly",
    ),
    ("It must use current knowledge articles.", "knowledge_change_frequency", "monthly"),
    ("It is not about facts.", "needs_private_knowledge", False),
    ("Publicly available information is enough.", "needs_private_knowledge", False),
    ("The LLM doesn't know anything about our internal APIs.", "needs_private_knowledge", True),
    (
        "Engineers want to ask questions across our Confluence pages.",
        "needs_private_knowledge",
        True,
    ),
    ("We have years of reports.", "knowledge_size", "large"),
    ("The corpus is 500 MB.", "knowledge_size", "large"),
    ("Our developer docs are huge.", "knowledge_size", "large"),
    ("It all fits in the context window.", "knowledge_size", "fits_in_prompt"),
    ("It is a one-pager.", "knowledge_size", "fits_in_prompt"),
    ("Source attribution is needed.", "needs_citations", True),
    ("Answers need footnotes.", "needs_citations", True),
    ("Researchers want answers with the DOI of each source.", "needs_citations", True),
    ("Legal citation formatting in Bluebook style.", "needs_citations", None),
    ("Explainability is key.", "needs_audit", True),
    ("Answers must be defensible.", "needs_audit", True),
    ("Output exactly the format we specify.", "output_format_strictness", "strict"),
    ("Summaries go into our maintenance log format.", "output_format_strictness", "strict"),
    ("Use bullet points.", "output_format_strictness", "structured"),
    ("Free-form text is fine.", "output_format_strictness", "free"),
    ("Lots of domain-specific terms.", "specialised_jargon", True),
    ("It must write in our firm's style.", "tone_requirement", True),
    ("Explain it in a Socratic style.", "tone_requirement", True),
    ("We need an in-car voice assistant.", "tone_requirement", None),
    ("Comments must follow our team's conventions.", "needs_consistent_behaviour", True),
    ("We host on in-house servers.", "deployment", "on_premises"),
    ("Data residency rules apply.", "deployment", "on_premises"),
    ("We call the OpenAI API.", "deployment", "cloud"),
    ("The model runs on the drone's onboard computer.", "deployment", "on_device"),
    ("It runs on an offline edge box in the factory.", "deployment", "on_device"),
    ("We run a mid-sized model.", "base_model_size", "medium"),
    ("We use a small language model.", "base_model_size", "small"),
    ("We run Llama 3 70B.", "base_model_size", "medium"),
    ("We have not tried prompting.", "prompting_tried", False),
    ("So far nobody on the team has written a single prompt.", "prompting_tried", False),
    ("No prompt has been written for this yet.", "prompting_tried", False),
    ("Prompting hasn't achieved the tone.", "prompting_outcome", "inconsistent"),
    ("We already use RAG.", "current_approach", "rag"),
    ("We fine-tuned a model last quarter.", "current_approach", "fine_tuning"),
    ("We're considering fine-tuning.", "considered_approach", "fine_tuning"),
    ("Someone suggested a vector database.", "considered_approach", "rag"),
    ("Our RAG system returns irrelevant chunks.", "complaint", "retrieval_quality"),
    ("It takes 4 seconds per response.", "complaint", "latency"),
    ("It costs us $40k a month.", "complaint", "cost"),
    ("The model gets the arithmetic wrong.", "complaint", "arithmetic"),
    ("It sounds robotic and off-brand.", "complaint", "tone"),
    ("It goes off-topic a lot.", "complaint", "off_topic"),
    ("We are a two-person startup building a prototype.", "early_stage", True),
    ("Hallucinated values are not acceptable.", "complaint", None),
    ("We must minimise hallucinations.", "complaint", None),
    ("It hallucinates our refund policy.", "complaint", "hallucination"),
    ("We have 10k labeled POs.", "labeled_examples", 10000),
    ("It can enroll employees in plans through Workday.", "needs_actions", True),
    ("They ask for the p99 latency of each service from Prometheus.", "needs_live_data", True),
    ("Legal insists on the approved phrasing.", "tone_requirement", True),
]


@pytest.mark.parametrize(("text", "field", "value"), SAMPLES)
def test_vocabulary_family(text: str, field: str, value: object) -> None:
    assert getattr(extract_situation(text), field) == value


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        (
            "Docs: ~900 policy PDFs\nUpdate frequency: weekly\nCitations: required",
            "knowledge_change_frequency",
            "weekly",
        ),
        ("Output: strict JSON\nVolume: 60k/day\nLabeled examples: 7,500", "labeled_examples", 7500),
        (
            "Output: strict JSON\nVolume: 60k/day\nLabeled examples: 7,500",
            "requests_per_day",
            60000.0,
        ),
        ("Citations: no", "needs_citations", False),
        ("Labeled data: none", "labeled_examples", 0),
    ],
)
def test_form_style_descriptions(text: str, field: str, value: object) -> None:
    assert getattr(extract_situation(text), field) == value
