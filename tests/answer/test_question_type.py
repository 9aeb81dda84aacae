"""What was asked: knowledge question, case, both, follow-up; and what the extractor may read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.answer.question_type import (
    case_messages,
    classify,
    classify_text,
    sentences,
    source_phrases,
    topic_of,
)
from advisor.schemas.reply import ChatMessage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text", [
    "How many extra steps does each RAG request add compared with a fine-tuned model?",
    "What does the article say about catastrophic forgetting?",
    "Why is fine-tuning a poor way to fix hallucinations?",
    "what are the maintenance downsides of rag",
    "Explain what 'fine-tuning the form, RAG-ing the facts' means.",
    "I'd like to understand why RAG quality depends on retrieval.",
    "When is RAG overkill, i.e. the wrong tool for the job?",
    "Is RAG cheaper than fine-tuning?",
])
def test_questions_about_the_articles_or_a_concept(text: str) -> None:
    asked = classify_text(text)
    assert asked.kind == "knowledge"
    assert asked.case_text == ""  # nothing in it is a fact about the team's case


@pytest.mark.parametrize("text", [
    "We answer support questions from a wiki that changes weekly and must cite sources.",
    "Should we fine-tune Llama on our API docs?",
    "i have 500 examples, should i fine tune?",
    "Support bot, wiki changes weekly, must cite sources. RAG or fine-tuning?",
    "RAG or fine-tuning for legal docs that change monthly?",
    "Which approach fits a support bot that answers from a weekly-changing wiki?",
    ("Sales wants to ask 'which of my accounts haven't been contacted in 30 days?' and have the "
     "bot pull that from Salesforce."),
    "hello, we are small company. we want chatbot answer questions of clients. is need fine tune?",
])
def test_a_team_describing_its_case(text: str) -> None:
    asked = classify_text(text)
    assert asked.kind == "case"
    assert asked.case_text == text  # the extractor reads all of it


def test_both_at_once_keeps_only_the_case_for_the_extractor() -> None:
    text = ("We have roughly 400 labelled tickets for a routing classifier. How many examples "
            "do the articles say fine-tuning needs to be worth it?")
    asked = classify_text(text)
    assert asked.kind == "both"
    assert asked.case_text == "We have roughly 400 labelled tickets for a routing classifier."
    assert asked.question.startswith("How many examples")
    assert asked.answer_type == "number"


def test_a_follow_up_question_about_the_last_answer() -> None:
    assert classify_text("Why not just fine-tune it?", True).kind == "follow_up"
    assert classify_text("How would the two parts divide the work in that setup?", True).kind == (
        "follow_up")
    # the same words with no answer before them are a plain question
    assert classify_text("Why not just fine-tune it?", False).kind == "knowledge"
    # a follow-up that adds facts is the case again
    assert classify_text("Also, we now have 5,000 labelled examples.", True).kind == "case"


def test_the_approach_a_yes_no_question_asks_about() -> None:
    assert classify_text("Our docs change weekly. Should we fine-tune?").approach == "fine_tuning"
    assert classify_text("Is prompting enough for our FAQ bot?").approach == "prompting"
    assert classify_text("Our docs change weekly. RAG or fine-tuning?").approach is None
    assert classify_text("Our docs change weekly. What should we build?").approach is None


def test_topic_drops_the_words_that_only_point_at_the_articles() -> None:
    assert topic_of("How often is the answer 'neither', per Manvendra Kumar?") == (
        "How often is the answer 'neither' ?")
    assert topic_of("What does the article say about catastrophic forgetting?") == (
        "catastrophic forgetting?")
    assert topic_of("What does catastrophic forgetting mean?") == (
        "What does catastrophic forgetting mean?")


@pytest.mark.parametrize("text", [
    "Our outputs must follow one fixed template. Is that a reason to fine-tune, per Patel?",
    "We have little labelled data. What does Garcia's checklist say about that?",
    "We pay for long prompts. Does the onboarding-costs essay think training helps?",
    "Our bot answers wrong. Which fix does the 'ship it first' post suggest?",
    "Our docs change daily. In the decision tree, where do we start?",
])
def test_an_article_named_by_its_author_or_nickname_is_a_question_about_the_articles(text) -> None:
    asked = classify_text(text)
    assert asked.kind == "both" and asked.about_articles, asked


@pytest.mark.parametrize("text", [
    "We serve 300 requests per day. Should we fine-tune?",
    "Should we cite the help-center articles?",
    "Should we put the style guide in the prompt?",
])
def test_own_documents_and_per_units_are_no_article_reference(text) -> None:
    asked = classify_text(text)
    assert asked.kind == "case" and not asked.about_articles, asked
    assert "per day" in classify_text(text).case_text or "per day" not in text


def test_naming_phrases_leave_the_topic_only_when_they_name_an_article() -> None:
    q = "In the production stack, what is the retrieval piece responsible for?"
    assert source_phrases(q) == ["the retrieval piece"]
    assert topic_of(q) == q  # "the retrieval piece" may be what is asked about
    assert topic_of("What does the builders guide say about tone?", named=True) == "tone?"
    assert topic_of("Is style a reason to train, per Patel?", named=True) == (
        "Is style a reason to train ?")


def test_sentences_do_not_split_abbreviations_numbers_or_quotations() -> None:
    assert sentences("Use RAG, e.g. for docs. Costs 1.5 cents. They ask 'why?' often.") == [
        "Use RAG, e.g. for docs.", "Costs 1.5 cents.", "They ask 'why?' often."]


def test_case_messages_drop_knowledge_questions_and_keep_replies() -> None:
    messages = [
        ChatMessage(role="user", content="Our HR wiki changes monthly. What does RAG stand for?"),
        ChatMessage(role="assistant", content="... How many labelled examples do you have?"),
        ChatMessage(role="user", content="How many examples do the articles say you need?"),
        ChatMessage(role="assistant", content="..."),
        ChatMessage(role="user", content="about 5k"),
    ]
    out = case_messages(messages)
    assert [m.content for m in out if m.role == "user"] == ["Our HR wiki changes monthly.",
                                                            "about 5k"]
    assert classify(messages).kind == "case"
    assert classify(messages[:3]).kind == "knowledge"


def test_no_shipped_situation_is_read_as_a_knowledge_question() -> None:
    """The decision sets are teams describing cases: each must reach the extractor whole."""
    for name in ("decisions.jsonl", "decisions_holdout_dev.jsonl"):
        for line in (ROOT / "evals" / "datasets" / name).read_text(encoding="utf-8").splitlines():
            text = json.loads(line)["situation"]
            assert classify_text(text).case_text == text, text


def test_counting_words_in_a_knowledge_question_are_not_facts(shared_settings) -> None:
    from advisor.service import Advisor

    advisor = Advisor(shared_settings)
    reply = advisor.ask([ChatMessage(role="user", content=(
        "How many extra steps does each RAG request add compared with a fine-tuned model?"))])
    assert reply.covered
    assert reply.situation.known() == {}  # "how many" is not a need for exact computation
    both = advisor.ask([ChatMessage(role="user", content=(
        "We have 400 labelled tickets. How many examples do the articles say you need?"))])
    assert both.situation.labeled_examples == 400
    assert both.situation.needs_exact_computation is None
