"""Answers that answer: the articles' sentences first for a knowledge question, a direct verdict
for a case, both in that order, and always the recommendation line at the end."""

from __future__ import annotations

import re

import pytest

from advisor.answer.compose import compose_offline
from advisor.answer.lead import find_lead, passage_sentences
from advisor.answer.prompts import (
    COMPOSE_SYSTEM,
    ComposeContext,
    Lead,
    LeadSentence,
    NumberedPassage,
    compose_messages,
    parse_context,
)
from advisor.decision import decide
from advisor.schemas.decision import Situation
from advisor.schemas.reply import AdvisorReply, ChatMessage
from advisor.service import Advisor
from evals.answer_quality import answer_found, quote_fits, quotes

STEPS = ("RAG requires: embedding the query, searching the vector store, retrieving chunks, "
         "building a longer context prompt, then inference. That’s 3-5 additional steps adding "
         "cost and latency at every request.")
WEEKLY_DOCS = ("Our developer portal has about 300 pages of API reference that is revised every "
               "two weeks, and answers must link the page they came from.")


def user(text: str) -> ChatMessage:
    return ChatMessage(role="user", content=text)


@pytest.fixture
def advisor(shared_settings) -> Advisor:
    return Advisor(shared_settings)


def _first_quote_is_verbatim(reply: AdvisorReply) -> None:
    quoted = quotes(reply.answer)
    assert quoted, reply.answer
    text, numbers = quoted[0]
    by_n = {c.n: c for c in reply.citations}
    assert all(text in " ".join(by_n[n].text.split()) for n in numbers)


# ---- through the service -----------------------------------------------------------------------
def test_a_knowledge_question_is_answered_by_the_articles_in_the_first_lines(advisor) -> None:
    reply = advisor.ask([user("How many extra steps does each RAG request add compared with a "
                              "fine-tuned model?")])
    assert reply.answer.startswith("“")  # the answer, not "Recommendation: ..."
    steps = "That’s 3-5 additional steps adding cost and latency at every request."
    assert answer_found(reply.answer, [steps])
    _first_quote_is_verbatim(reply)
    # nothing is known about the team: no 20 % guess, the question that would start one
    assert "Recommendation:" not in reply.answer
    assert "I know nothing about your own case yet" in reply.answer
    assert reply.follow_up_questions[0] in reply.answer


def test_a_case_gets_a_direct_verdict_to_the_question_asked(advisor) -> None:
    reply = advisor.ask([user(WEEKLY_DOCS + " Should we fine-tune Mistral on the reference?")])
    assert reply.recommendation.approach == "rag"
    assert reply.answer.startswith("**No: don't fine-tune; use RAG")
    assert "Fine-tuning would win if" in reply.answer  # and what would make it a yes
    assert reply.answer.splitlines()[-1].startswith("**Recommendation: RAG")
    _first_quote_is_verbatim(reply)
    # prose, not the card's lists again
    assert "**Why**" not in reply.answer
    assert not any(r.statement in reply.answer for r in reply.recommendation.reasons)
    assert not re.search(r"^\s*- ", reply.answer, re.MULTILINE)


def test_a_yes_verdict_when_the_approach_asked_about_fits(advisor) -> None:
    reply = advisor.ask([user(
        "We extract fields from supplier invoices into a strict JSON schema. Prompting GPT-4o "
        "gets the schema wrong about one time in ten, and we have 6,000 labelled invoice/JSON "
        "pairs. Should we fine-tune?")])
    assert reply.recommendation.approach == "fine_tuning"
    assert reply.answer.startswith("**Yes, fine-tuning fits.**")


def test_both_at_once_answers_the_question_then_the_case(advisor) -> None:
    reply = advisor.ask([user(
        "Our product docs change every sprint and support agents need answers with links to the "
        "page. What do the articles say about keeping a fine-tuned model up to date?")])
    assert reply.answer.startswith("“")
    assert "**For your case: " in reply.answer
    assert reply.answer.index("“") < reply.answer.index("**For your case: ")
    assert reply.answer.splitlines()[-1].startswith("**Recommendation: RAG")


def test_a_follow_up_question_keeps_the_advice_and_answers_it(advisor) -> None:
    history = [user("We answer employee questions from an HR handbook of 500 pages that is "
                    "updated monthly, and every answer must cite the policy section.")]
    first = advisor.ask(history)
    history += [ChatMessage(role="assistant", content=first.answer),
                user("Why not just fine-tune a model on the handbook?")]
    reply = advisor.ask(history)
    assert reply.covered and reply.changes == []
    assert reply.recommendation.approach == first.recommendation.approach == "rag"
    assert "Fine-tuning would win if" in reply.answer
    assert reply.answer.splitlines()[-1].startswith("**For your case, still: RAG")


def test_quotes_fit_the_question(advisor) -> None:
    question = WEEKLY_DOCS + " Should we fine-tune Mistral on the reference?"
    reply = advisor.ask([user(question)])
    for text, _ in quotes(reply.answer):
        assert quote_fits(text, [question], reply.recommendation.approach), text


# ---- the composer on a hand-made context -------------------------------------------------------
def _ctx(situation: Situation, *, asked: str, question: str, approach: str | None = None,
         lead: Lead | None = None) -> ComposeContext:
    rec = decide(situation)
    return ComposeContext(
        question=question, covered=True, passages=[], recommendation=rec,
        asked=asked, asked_approach=approach, case_known=bool(situation.known()),
        answer=lead or Lead(),
    )


FRESH_DOCS = Situation(knowledge_change_frequency="weekly", needs_private_knowledge=True,
                       knowledge_size="large")


@pytest.mark.parametrize(("approach", "opening"), [
    ("fine_tuning", "**No: don't fine-tune; use RAG (retrieval-augmented generation) instead.**"),
    ("rag", "**Yes, RAG fits.**"),
    ("hybrid", "**Not yet: RAG alone covers what you describe.**"),
    (None, "**Use RAG (retrieval-augmented generation).**"),
])
def test_verdicts(approach: str | None, opening: str) -> None:
    ctx = _ctx(FRESH_DOCS, asked="case", question="What should we do?", approach=approach)
    answer = compose_offline(ctx)
    assert answer.startswith(opening)
    assert answer.splitlines()[-1].startswith("**Recommendation: RAG")


def test_a_knowledge_answer_leads_with_its_sentences_and_says_where_articles_differ() -> None:
    lead = Lead(sentences=[LeadSentence(n=2, text="Spend 70% of your effort on chunking.", title="A"),
                           LeadSentence(n=3, text="Chunk on semantic boundaries.", title="B")],
                disagreement="How much data fine-tuning needs: one says X, another Y.")
    answer = compose_offline(_ctx(Situation(), asked="knowledge", question="How much?", lead=lead))
    assert answer.startswith("“Spend 70% of your effort on chunking.” [2] Another article: "
                             "“Chunk on semantic boundaries.” [3]")
    assert "The articles differ here. How much data fine-tuning needs" in answer
    assert "I know nothing about your own case yet" in answer


def test_the_compose_prompt_asks_a_real_llm_for_the_same_shape() -> None:
    ctx = _ctx(FRESH_DOCS, asked="case", question="Should we fine-tune?", approach="fine_tuning")
    messages = compose_messages(ctx)
    assert "verdict" in COMPOSE_SYSTEM and "first" in COMPOSE_SYSTEM
    assert "do not list them again" in COMPOSE_SYSTEM
    parsed = parse_context(messages[-1].content)
    assert parsed is not None and parsed.asked == "case" and parsed.asked_approach == "fine_tuning"


# ---- finding the sentences ---------------------------------------------------------------------
def test_passage_sentences_split_glued_tables_and_keep_list_context() -> None:
    text = ('Model Size MatchLarge LLMs (e.g., GPT-4). Retains massive general knowledge without '
            'risking "catastrophic forgetting."Small/Custom Models (e.g., Phi-2, 7B models).\n'
            "When Neither Works\nThe crossover points:\n- You have less than 100 examples. "
            "Stick to prompting + few-shot.")
    got = passage_sentences(text)
    texts = [s.text for s in got]
    assert 'Retains massive general knowledge without risking "catastrophic forgetting."' in texts
    assert [s.heading for s in got if s.text in {"When Neither Works", "The crossover points:"}] == [
        True, True]
    item = next(s for s in got if s.text == "You have less than 100 examples.")
    assert item.intro == "The crossover points:" and item.under == "When Neither Works"


def test_find_lead_widens_a_pointing_sentence_and_prefers_numbers(shared_settings) -> None:
    from advisor.search.knowledge_base import KnowledgeBase

    index = KnowledgeBase(shared_settings).retriever.lexical_index()
    passages = [
        NumberedPassage(n=1, title="T", section="Inference Cost", text=STEPS, kind="retrieved"),
        NumberedPassage(n=2, title="U", section="", kind="retrieved",
                        text="Each request adds steps to the pipeline, and some teams add more."),
    ]
    lead = find_lead("How many extra steps does each request add?", passages, idf=index.idf,
                     answer_type="number")
    assert lead.sentences[0].n == 1
    assert lead.sentences[0].text == " ".join(STEPS.split())  # with the sentence it points at


def test_find_lead_weighs_meaning_when_the_words_differ(shared_settings) -> None:
    from advisor.search.knowledge_base import KnowledgeBase

    index = KnowledgeBase(shared_settings).retriever.lexical_index()
    said = "These are fundamentally different architectures, not different tuning knobs."
    other = "Many teams tune the same settings of their retrieval mechanism every week."
    passages = [NumberedPassage(n=1, title="T", section="", text=other, kind="retrieved"),
                NumberedPassage(n=2, title="U", section="", text=said, kind="retrieved")]
    question = "Are the two just settings of the same mechanism?"
    lexical = find_lead(question, passages, idf=index.idf)
    assert lexical.sentences[0].n == 1  # the words match the other sentence
    near = {said: 0.62, other: 0.31}
    meant = find_lead(question, passages, idf=index.idf,
                      semantic=lambda texts: [near.get(t, 0.0) for t in texts])
    assert meant.sentences[0].n == 2
    keyed = find_lead(question, passages, idf=index.idf,
                      keyed=[(" ".join(said.lower().split()), 0.7)])  # a near question key's answer
    assert keyed.sentences[0].n == 2


@pytest.mark.parametrize(("question", "answer"), [
    (("Once a model has been trained on your domain, does it still have to look things up "
      "when answering?"),
     "The knowledge is baked in — it doesn’t need to be retrieved at inference time."),
    ("In the banking assistant example, how does the bot get a customer's live balance?",
     ('Then, you wrap it in a RAG pipeline so that when a user asks, "What is my current '
      'portfolio balance?" the model can retrieve live, real-time data from your secure '
      "database to formulate its perfectly-toned answer.")),
])
def test_a_paraphrased_question_gets_the_sentence_that_answers_it(advisor, question, answer) -> None:
    reply = advisor.ask([user(question)])
    assert answer_found(reply.answer, [answer]), reply.answer[:400]
    by_n = {c.n: c for c in reply.citations}
    for text, numbers in quotes(reply.answer):  # a chunk brought in by a question key is cited
        assert numbers and all(n in by_n for n in numbers)
        assert any(" ".join(text.split()) in " ".join(by_n[n].text.split()) for n in numbers)


def test_a_case_verdict_is_followed_by_the_sentence_that_answers_the_question() -> None:
    lead = Lead(sentences=[LeadSentence(n=4, text="Fine-tuning does not keep a model current.",
                                        title="A"),
                           LeadSentence(n=5, text="A second span.", title="A")])
    ctx = _ctx(FRESH_DOCS, asked="case", question="Should we fine-tune on the docs?",
               approach="fine_tuning", lead=lead)
    paragraphs = compose_offline(ctx).split("\n\n")
    assert paragraphs[0].startswith("**No: don't fine-tune")
    # the best answering sentence right after the verdict; one quote of it, not the whole lead
    assert paragraphs[1].startswith("“Fine-tuning does not keep a model current.” [4]")
    assert "A second span." not in compose_offline(ctx)


def test_both_at_once_quotes_each_answering_sentence_once() -> None:
    lead = Lead(sentences=[LeadSentence(n=4, text="Fine-tuning does not keep a model current.",
                                        title="A")])
    ctx = _ctx(FRESH_DOCS, asked="both", question="Docs change weekly. What do the articles "
               "say about keeping a tuned model current?", lead=lead)
    answer = compose_offline(ctx)
    assert answer.startswith("“Fine-tuning does not keep a model current.” [4]")
    assert answer.count("Fine-tuning does not keep a model current.") == 1
    assert "**For your case: " in answer


def test_find_lead_does_not_quote_a_sentence_twice_in_overlapping_spans() -> None:
    text = ("Ignoring chunk quality in RAG. The most common RAG failure is poor chunking at "
            "arbitrary character counts. Invest time in chunking before optimizing anything else.")
    passage = NumberedPassage(n=1, title="A", section="Mistakes", text=text, kind="retrieved")
    lead = find_lead("why does chunk quality matter in RAG chunking?", [passage],
                     idf={"chunk": 2.0, "qualiti": 2.0, "rag": 0.5, "matter": 1.0}, limit=3)
    quoted = [s for x in lead.sentences for s in passage_sentences(x.text)]
    assert lead.sentences and len({q.text for q in quoted}) == len(quoted)


def test_a_span_overlapping_a_quoted_one_widens_it_instead_of_being_dropped() -> None:
    from advisor.knowledge.question_keys import fold

    first = ("Most production stacks combine prompting and retrieval for a long time before "
             "anyone trains a model.")  # the paragraph is too long to be quoted whole
    second = "Teams that settle this question early tend to avoid expensive detours later."
    other = "Unrelated closing remarks about something else entirely here."
    passage = NumberedPassage(n=1, title="A", section="End", kind="retrieved",
                              text=f"{first} {second}\n\n{other}")
    # the first sentence scores best alone; the pair holding the second one scores next
    keyed = [(fold(first), 0.95), (fold(f"{first} {second}"), 0.9)]
    lead = find_lead("what do teams gain by deciding early?", [passage],
                     idf={"team": 1.0, "gain": 1.0, "decid": 1.0, "earli": 1.0}, keyed=keyed)
    assert [x.text for x in lead.sentences] == [f"{first} {second}"]


def test_a_case_verdict_skips_an_answering_sentence_that_points_at_text_left_out() -> None:
    lead = Lead(sentences=[
        LeadSentence(n=2, text="If the answer to the second is yes, consider fine-tuning.", title="A"),
        LeadSentence(n=4, text="Fine-tuning does not keep a model current with new facts.", title="A"),
    ])
    ctx = _ctx(FRESH_DOCS, asked="case", question="Should we fine-tune on the docs?",
               approach="fine_tuning", lead=lead)
    answer = compose_offline(ctx)
    assert "the second is yes" not in answer  # the reader never saw the two questions
    assert answer.split("\n\n")[1].startswith("“Fine-tuning does not keep a model current")
