"""The coverage decision: the topic head's judgment, with retrieval's terms and the question's
shape as supporting evidence (advisor/answer/coverage.py)."""

from __future__ import annotations

import pytest

from advisor.answer.coverage import OFF, PLAUSIBLE, POSSIBLE, SURE, judge
from advisor.answer.question_type import classify
from advisor.schemas.reply import ChatMessage


def asked(*texts: str):  # type: ignore[no-untyped-def]
    messages = []
    for i, text in enumerate(texts):
        if i:
            messages.append(ChatMessage(role="assistant", content="An earlier answer."))
        messages.append(ChatMessage(role="user", content=text))
    return classify(messages)


CASE = asked("We keep 2M patient records and the nightly backup fails.")
NAMES_APPROACH = asked("Is RAG slower than fine-tuning?")
MIDDLE = (SURE + PLAUSIBLE) / 2


def test_a_sure_topic_head_covers_whatever_the_words() -> None:
    c = judge(CASE, latest_relevant=False, conversation_relevant=False, topic=SURE,
              states_facts=False)
    assert c.covered and c.topic == SURE


@pytest.mark.parametrize(("relevant", "expected"), [(True, True), (False, False)])
def test_a_plausible_message_needs_the_words_to_agree(relevant: bool, expected: bool) -> None:
    c = judge(CASE, latest_relevant=relevant, conversation_relevant=relevant, topic=MIDDLE,
              states_facts=True)
    assert c.covered is expected


def test_naming_an_approach_is_words_that_agree() -> None:
    assert judge(NAMES_APPROACH, latest_relevant=False, conversation_relevant=False,
                 topic=MIDDLE, states_facts=False).covered


def test_stating_facts_alone_does_not_cover() -> None:
    c = judge(CASE, latest_relevant=False, conversation_relevant=False, topic=MIDDLE,
              states_facts=True)
    assert not c.covered and c.why == "off topic"


def test_an_unlikely_message_is_off_topic_even_when_words_match() -> None:
    c = judge(NAMES_APPROACH, latest_relevant=True, conversation_relevant=True,
              topic=(OFF + POSSIBLE) / 2, states_facts=True)
    assert not c.covered


def test_a_knowledge_question_in_plain_words_is_covered_when_retrieval_finds_them() -> None:
    # no word of the domain, so the head hesitates; the articles' words decide
    plain = asked("How long does it take to get one of those running, and what does it cost?")
    assert plain.kind == "knowledge"
    between = (POSSIBLE + PLAUSIBLE) / 2
    assert judge(plain, latest_relevant=True, conversation_relevant=True, topic=between,
                 states_facts=False).covered
    assert not judge(plain, latest_relevant=False, conversation_relevant=False, topic=between,
                     states_facts=False).covered
    # a team's case is not covered on that evidence alone
    assert not judge(CASE, latest_relevant=True, conversation_relevant=True, topic=between,
                     states_facts=True).covered


def test_a_follow_up_in_an_on_topic_conversation_is_covered() -> None:
    follow_up = asked("We answer from a wiki that changes weekly.", "Why not fine-tune instead?")
    assert follow_up.kind == "follow_up"
    assert judge(follow_up, latest_relevant=False, conversation_relevant=True,
                 topic=PLAUSIBLE / 2, states_facts=False).covered


def test_a_plausible_turn_continuing_an_on_topic_conversation_is_covered() -> None:
    turn = asked("Our support bot answers from a wiki.", "What would that cost us?")
    kwargs = {"latest_relevant": False, "topic": MIDDLE, "states_facts": False}
    assert judge(turn, conversation_relevant=True, continues=True, **kwargs).covered
    assert not judge(turn, conversation_relevant=False, continues=True, **kwargs).covered
    assert not judge(turn, conversation_relevant=True, continues=False, **kwargs).covered


@pytest.mark.parametrize(
    ("relevant", "facts", "expected"), [(True, False, True), (False, True, True), (False, False, False)]
)
def test_without_a_topic_head_the_earlier_rule_holds(relevant: bool, facts: bool,
                                                     expected: bool) -> None:
    c = judge(CASE, latest_relevant=relevant, conversation_relevant=relevant, topic=None,
              states_facts=facts)
    assert c.covered is expected and c.topic is None


def test_a_follow_up_the_head_is_sure_is_off_topic_is_refused() -> None:
    aside = asked("We answer from a wiki that changes weekly.", "What is the capital of France?")
    assert aside.kind == "follow_up"
    assert not judge(aside, latest_relevant=False, conversation_relevant=True,
                     topic=OFF / 2, states_facts=False).covered


def test_an_earlier_turn_the_head_is_sure_of_makes_the_conversation_on_topic() -> None:
    turn = asked("Our support bot answers from a wiki.", "What would that cost us?")
    kwargs = {"latest_relevant": False, "conversation_relevant": False, "topic": MIDDLE,
              "states_facts": False, "continues": True}
    assert judge(turn, earlier_topic=lambda: SURE, **kwargs).covered
    assert not judge(turn, earlier_topic=lambda: PLAUSIBLE, **kwargs).covered
    assert not judge(turn, earlier_topic=lambda: None, **kwargs).covered


def test_the_earlier_turns_are_only_scored_when_they_can_change_the_outcome() -> None:
    def never() -> float:
        raise AssertionError("scored the earlier turns needlessly")

    turn = asked("Our support bot answers from a wiki.", "What would that cost us?")
    assert judge(turn, latest_relevant=False, conversation_relevant=False, topic=SURE,
                 states_facts=False, continues=True, earlier_topic=never).covered
    assert judge(turn, latest_relevant=False, conversation_relevant=True, topic=MIDDLE,
                 states_facts=False, continues=True, earlier_topic=never).covered
