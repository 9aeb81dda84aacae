"""Whether a message is covered: on topic for the articles, so the advisor answers it, or not,
so it abstains.

The reader's topic head (``extraction.reader.topic_probability``), trained on the reader's
2,500 case messages and the knowledge base's 880 question keys against 1,600 off-topic
messages (other tech, the domain's words in other senses, chat, tasks, teams describing a
project that is not about LLMs), says how sure it is that the message is about building with
LLMs at all. A message is covered when

* the head is sure (``SURE``), whatever words it uses ("a customised model", "a bot that looks
  things up"), or
* the head finds it plausible (``PLAUSIBLE``) and the words agree: retrieval finds a passage
  that covers the question's terms, the question names an approach or asks what the articles
  say (``Asked.on_topic``), or it continues a conversation that is on topic ("what would that
  cost us?"), or
* it is a follow-up question in a conversation that is on topic, unless the head is sure it is
  off topic (below ``OFF``: "what is the capital of France?" asked after an answer), or
* it is a question about what something is or does (``Asked.kind == "knowledge"``), the head
  finds it at least possible (``POSSIBLE``), and retrieval's term check finds a passage for it:
  "How long do training runs take, and what comes with them?" names nothing of the domain, so
  the head hesitates (0.20), but the articles answer it in those words.

A conversation is on topic when retrieval finds it so or the head is sure of one of its
``RETRIEVAL_TURNS`` earlier user messages (each scored alone, as it was when it was the latest).
Stating facts about a case no longer establishes coverage on its own: the reader's heads read
"2M patient records under HIPAA" in a message about backups as well as in one about a chatbot.
The thresholds were chosen on out-of-fold probabilities of the training rows and the
development sets, never on the held-out sets (docs/answers.md). With heads that have no topic
head, the rule is the one before it: retrieval's term check, the question's shape, or any
fact stated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from advisor.answer.question_type import Asked

SURE = 0.6
PLAUSIBLE = 0.2
POSSIBLE = 0.1  # a knowledge question retrieval finds words for (out-of-fold: docs/answers.md)
OFF = 0.05  # below this the head is sure a message is off topic, even as a follow-up


@dataclass(frozen=True)
class Coverage:
    covered: bool
    topic: float | None  # the topic head's probability, None without a topic head
    why: str


def judge(asked: Asked, *, latest_relevant: bool, conversation_relevant: bool,
          topic: float | None, states_facts: bool, continues: bool = False,
          earlier_topic: Callable[[], float | None] | None = None) -> Coverage:
    """Covered or not, and which evidence decided it (see the module docstring).

    ``conversation_relevant``: retrieval finds the conversation on topic; ``continues``: the
    message follows earlier user messages; ``earlier_topic``: the head's highest probability
    for them, asked only when it can change the outcome."""
    if topic is None:
        shape = asked.on_topic(conversation_relevant)
        covered = latest_relevant or shape or states_facts
        return Coverage(covered, None, "terms, shape or facts" if covered else "nothing on topic")
    if topic >= SURE:
        return Coverage(True, topic, "the topic head is sure")
    if topic < OFF:
        return Coverage(False, topic, "the topic head is sure it is off topic")
    if continues and not conversation_relevant and earlier_topic is not None:
        earlier = earlier_topic()
        conversation_relevant = earlier is not None and earlier >= SURE
    shape = asked.on_topic(conversation_relevant)
    if asked.kind == "follow_up" and shape:
        return Coverage(True, topic, "a follow-up in an on-topic conversation")
    if topic >= PLAUSIBLE and (latest_relevant or shape):
        return Coverage(True, topic, "plausible, and the words agree")
    if topic >= POSSIBLE and asked.kind == "knowledge" and latest_relevant:
        return Coverage(True, topic, "a knowledge question the articles have words for")
    if topic >= PLAUSIBLE and continues and conversation_relevant:
        return Coverage(True, topic, "plausible, in an on-topic conversation")
    return Coverage(False, topic, "off topic")
