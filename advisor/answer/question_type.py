"""What was asked: a question about the articles or a concept, a team's case, both, or a
follow-up question about the last answer.

Read from the shape of each sentence, not from topic words:

* a **question about the articles or a concept** is a question (a question mark, or an opening
  interrogative: what, why, how many, is, does, ...) or a request to explain ("explain X",
  "tell me about X", "I'd like to know ..."), that speaks of no "we", "our", "I" or "my"
  (once the request frame is set aside) and asks no advice about a use case it describes
  ("which approach fits a bot that ...", "RAG or fine-tuning for legal docs?"); or any question
  about what the articles, an article or its author say;
* a sentence about **the team's case** is every other sentence: a statement ("we have 4,000
  labelled pairs", "support bot, wiki changes weekly"), or a question in the first person
  ("should we fine-tune?", "how do I keep my model current?"), or one asking advice for a
  described use case;
* a message holding both is **both**; in a conversation, a question that holds no case
  sentence and points back at the last answer ("why not fine-tune?", "what does that mean?",
  "how would the two parts divide the work?") is a **follow-up**.

What a case sentence says is all the extractor reads: counting words in a knowledge question
("how many examples do the articles say you need?") are not facts about the team's case.
Doubtful sentences count as the case, since dropping a real fact costs more than reading a
hypothetical one. ``Asked.on_topic`` says whether a question's shape puts it on topic for the articles
whatever retrieval's term check says (``coverage`` weighs it with the topic head): one that
names an approach the advisor chooses between
(RAG, fine-tuning, prompting, a hybrid, tool calling or agents; every article is about them) or
asks what the articles say (off-topic questions about cooking or Kubernetes do neither), and a
follow-up question in a conversation that is on topic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from advisor.schemas.reply import ChatMessage

QuestionKind = Literal["knowledge", "case", "both", "follow_up"]
AnswerType = Literal["number", "reason", "definition", "other"]

__all__ = ["AnswerType", "Asked", "QuestionKind", "case_messages", "classify", "classify_text",
           "source_phrases", "topic_of"]


@dataclass(frozen=True)
class Asked:
    kind: QuestionKind
    question: str  # the sentences that ask something of the articles (or the whole message)
    topic: str  # the question without the words that point at the articles ("per the author")
    case_text: str  # the sentences about the team's case: what the extractor reads ('' = none)
    approach: str | None  # the approach a yes/no question about the case asks about
    answer_type: AnswerType
    names_approach: bool
    about_articles: bool  # asks what the articles, an article or its author say

    def on_topic(self, conversation_relevant: bool) -> bool:
        """On topic for the articles by its shape (see the module docstring)."""
        if self.kind == "follow_up" and conversation_relevant:
            return True
        return self.kind != "case" and (self.names_approach or self.about_articles)


# ---- sentences ---------------------------------------------------------------------------------
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|no|mr|ms|dr)|\b[A-Za-z])\.$", re.IGNORECASE)
_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)|\n+")


_QUOTED = re.compile(r"(?:^|(?<=[\s(:]))([\"“'‘])[^\n]{3,200}?[\"”'’](?=[\s.,;:!?)]|$)")


def sentences(text: str) -> list[str]:
    """Split a message into sentences (not at 'e.g.', '1.5', 'vs.' or inside a quotation:
    "they ask 'which accounts are overdue?' and ..." is one sentence)."""
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    out: list[str] = []
    start = 0
    for m in _END.finditer(text):
        if any(a < m.start() < b - 1 for a, b in quoted):
            continue
        piece = text[start : m.end()]
        if m.group().startswith(".") and _ABBREV.search(piece.rstrip("\"'”’)")):
            continue
        if piece.strip():
            out.append(piece.strip())
        start = m.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


# ---- sentence shapes ---------------------------------------------------------------------------
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_INTERROGATIVE = re.compile(
    r"^(?:and |but |so |ok,? |also,? )?(?:what|what's|whats|why|how|when|where|who|whom|whose|"
    r"which|is|are|was|were|does|do|did|can|could|should|would|will|shall|must|may|might|isn't|"
    r"aren't|doesn't|don't|won't|wouldn't|shouldn't|has|have|had)\b"
)
# Frames that ask for an explanation; what follows them is the question itself.
_REQUEST = re.compile(
    r"^(?:please,? )?(?:(?:can|could|would|will) you (?:please )?(?:explain|tell me|clarify|"
    r"say|give me an example)|(?:please )?(?:explain|define|clarify|compare|tell me (?:about|"
    r"what|why|how|whether|if|when|which)|give me an example|walk me through|help me understand|"
    r"remind me)|i'?d like to "
    r"(?:know|understand|learn)|i (?:want|need|would like) to (?:know|understand|learn)|"
    r"i'?m (?:curious|wondering|confused)|i am (?:curious|wondering|confused)|i wonder|"
    r"i was wondering|quick question|question|eli5)\b[:,]?\s*"
)
_PERSONAL = re.compile(
    r"\b(?:we|we're|we've|we'd|we'll|our|ours|ourselves|us|i|i'm|i've|i'd|i'll|my|mine|me|"
    r"myself|im|ive)\b(?![/&]|\.\w)"
)
# An article named by a nickname: "the builders guide says", "the 'decision nobody is making' piece"
# (one's own "style guide" or "help-center articles" are not meant).
_NAMED_ARTICLE = (
    r"\b(?:the|this|that) (?:[\w'’\"“”-]+ ){1,5}(?:(?:article|post|piece|blog|essay|write-?up)\b(?!s)|"
    r"guide(?= (?:says?|suggests?|recommends?|lists?|gives?)\b))"
)
_ABOUT_SOURCES = re.compile(
    r"\b(?:the|these|your|this|that|each|both|all|which|other) (?:articles?|authors?|posts?|"
    r"guides?|pieces?|sources?|blog(?: posts?)?|papers?|writers?|experts?|passages?)\b|"
    r"\baccording to\b|\bdo(?:es)? (?:the|that|this) \w+(?: \w+)? (?:say|claim|mean|suggest|"
    r"recommend|argue)\b|\bper (?:the|that|this)\b|"
    # a named one: "the builders guide", "the 'decision nobody is making' piece", "the decision tree"
    + _NAMED_ARTICLE + r"|\bdecision[- ]tree\b"
)
# A source named by its author or publisher ("per Kumar", "Kumar's list", "Miniml's two-question
# test"): read before case folding, the capital tells a name from "per day".
_NAMED_SOURCE = re.compile(
    r"\bper [A-Z][\w-]+|\b[A-Z][\w-]+(?:'s|’s) (?:[\w-]+ ){0,2}(?:list|tree|test|table|grid|"
    r"framework|checklist|advice|take|article|post|piece|guide|blog|essay|write-?up|rule)s?\b"
)
_ADVICE = re.compile(
    r"\b(?:which|what) (?:approach|option|architecture|stack|setup|method|technique|one|path|"
    r"strategy)\b[^?]{0,30}\b(?:fits?|suits?|would you|do you|should|is (?:best|right)|works? best)"
    r"|\bwhat would you (?:do|use|pick|choose|build|recommend|suggest)\b"
    r"|\b(?:would|do) you (?:recommend|suggest|advise)\b"
    r"|\bbest (?:approach|option|fit|way|choice|architecture) for (?:a|an|this)\b"
)
_APPROACH_NAMES: dict[str, re.Pattern[str]] = {
    "fine_tuning": re.compile(
        r"\bfine[- ]?tun\w*|\bfinetun\w*|\bre-?train\w*|\b(?:lora|qlora|peft|sft)\b|"
        r"\btrain(?:ing)? (?:a|an|our|my|the|your|its|their) (?:own |custom )?(?:model|llm)\b"
    ),
    "rag": re.compile(
        r"\brag\b|\bretrieval\b|\bretriev\w+|\bvector (?:search|store|db|database|index)\b"
    ),
    "prompting": re.compile(r"\bprompt(?:s|ing| engineering)?\b|\bfew[- ]shot\b|\bzero[- ]shot\b"),
    "hybrid": re.compile(r"\bhybrid\b|\bcombin\w* (?:both|the two|them|rag|retrieval|fine)"),
    "tool_calling": re.compile(
        r"\btool[- ]?(?:calling|use)\b|\bfunction[- ]calling\b|\bagents?\b|\bagentic\b|"
        r"\bapi integration\b"
    ),
}
_CHOICE = re.compile(r"\b(?:or|vs\.?|versus)\b")
_YES_NO = re.compile(
    r"^(?:and |but |so |also,? )?(?:should|shall|is|are|do|does|would|will|can|could|must|"
    r"isn't|wouldn't|shouldn't|is it|does it)\b|\bshould (?:we|i)\b|\bdo (?:we|i) (?:need|have)\b"
)
_NUMBER = re.compile(
    r"\bhow (?:many|much|often|long|big|large|fast|quickly|soon)\b|\bwhat (?:fraction|share|"
    r"percent(?:age)?|proportion|portion|number|amount|size|volume|threshold)\b|\bwhat % "
)
_REASON = re.compile(r"\bwhy\b|\bhow come\b|\bwhat(?:'s| is) the (?:reason|point|catch|downside)\b")
_DEFINITION = re.compile(
    r"^(?:what(?:'s| is| are) (?:a |an |the )?[\w\- ']{1,40}\??$)|\bwhat does [^?]{1,60} mean\b|"
    r"\bwhat do (?:you|they|the articles?) mean by\b|\bstand for\b|\bdefin\w*|\bis called\b"
)
# Words that point back at the last answer.
_POINTER = re.compile(
    r"\b(?:that|this|it|those|these|them|you said|your answer|your recommendation|the two|"
    r"both parts|that setup|instead|why not|what about|how so|and if|what if)\b"
)


_SOURCE_FRAMES = (
    re.compile(r",?\s*\b(?:(?i:according to|as per)\b|(?i:per) (?=(?i:the|that|this)\b|[A-Z]))[^,?;:.]*"),
    re.compile(
        r"\b(?i:(?:what|how) (?:does|do|did)) (?:(?i:the|this|that|these|each) )?"
        r"(?:(?:[\w'’-]+ ){0,3}(?i:articles?|authors?|posts?|pieces?|guides?|blogs?|papers?|sources?)|"
        r"[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+)?) (?i:say|says|claim|argue|recommend|suggest|write|"
        r"think|put it|describe|explain)\b(?: (?i:about|on|of))?"
    ),
    re.compile(
        r"\b(?i:in|from|by) (?i:the|this|that) [\w'’ -]{0,40}?\b(?i:article|post|piece|guide|"
        r"blog|paper)\b"
    ),
    re.compile(r"\b(?i:do|does|did) (?i:the )?(?i:articles?|authors?) (?i:say|think|claim)\b"),
)
# Phrases that may name an article ("the builders guide", "Kumar's list", "the decision tree") or
# may not ("the retrieval piece"): left in the topic unless they name one (``source_names``).
_NAMING_FRAMES = (
    re.compile(_NAMED_ARTICLE + r"(?: (?:says?|gives?|lists?|calls?|puts? it|suggests?|recommends?))?",
               re.IGNORECASE),
    _NAMED_SOURCE,
    re.compile(r"\b(?:(?i:in|from|on|by) )?(?i:the )?(?i:decision[- ]tree)(?: (?i:article|post|piece|author))?\b"),
)


def source_phrases(question: str) -> list[str]:
    """The phrases of a question that point at an article ("the builders guide", "per Kumar",
    "in the Miniml article"): what ``topic_of`` leaves out, kept to tell which article is meant."""
    return [m.group().strip(" ,") for rx in (*_SOURCE_FRAMES, *_NAMING_FRAMES)
            for m in rx.finditer(question)]


def topic_of(question: str, named: bool = False) -> str:
    """The question without the frames that only point at the articles ("according to the
    Miniml framework", "per Manvendra Kumar", "what does the article say about"; ``named``:
    it names an article, so "the builders guide" and "Kumar's list" go too)."""
    out = question
    for rx in (*_SOURCE_FRAMES, *_NAMING_FRAMES) if named else _SOURCE_FRAMES:
        out = rx.sub(" ", out)
    out = " ".join(out.split())
    return out if re.search(r"\w", out) else question


def _names_author(text: str) -> bool:
    """Names a source by author or publisher ("per Kumar", "Miniml's two-question test")."""
    return bool(_NAMED_SOURCE.search(text.translate(_FOLD)))


def _fold(text: str) -> str:
    return " ".join(text.translate(_FOLD).lower().split())


def approaches_named(text: str) -> list[str]:
    """The approaches a text names, in the order they first appear."""
    return list(_approaches_named(text))


@lru_cache(maxsize=16384)  # the lead asks it of the same passage spans ask after ask
def _approaches_named(text: str) -> tuple[str, ...]:
    folded = _fold(text)
    found = [(m.start(), name) for name, rx in _APPROACH_NAMES.items() if (m := rx.search(folded))]
    return tuple(name for _, name in sorted(found))


@dataclass(frozen=True)
class _Sentence:
    text: str
    question: bool  # asks something (a question or a request to explain)
    knowledge: bool  # asks about the articles or a concept, not about the team's case


def _shape(sentence: str, beside_case: bool = False) -> _Sentence:
    """``beside_case``: the message also states facts about the team's case, so a question that
    is neither about the articles nor a definition asks about that case ("Is need fine tune?",
    "What now?")."""
    s = _fold(sentence)
    request = _REQUEST.match(s)
    body = s[request.end():] if request else s
    question = s.endswith("?") or bool(_INTERROGATIVE.match(s)) or bool(request)
    if not question:
        return _Sentence(sentence, False, False)
    if _ABOUT_SOURCES.search(body) or _names_author(sentence):
        return _Sentence(sentence, True, True)
    if beside_case:
        return _Sentence(sentence, True, bool(_DEFINITION.search(body)))
    personal = bool(_PERSONAL.search(body))
    names = approaches_named(body)
    advice = bool(_ADVICE.search(body)) or (
        len(names) >= 2 and bool(_CHOICE.search(body)) and not _INTERROGATIVE.match(body)
    )
    return _Sentence(sentence, True, not personal and not advice)


def _answer_type(question: str) -> AnswerType:
    q = _fold(question)
    if _NUMBER.search(q):
        return "number"
    if _REASON.search(q):
        return "reason"
    if _DEFINITION.search(q):
        return "definition"
    return "other"


def _asked_approach(case_questions: Sequence[str]) -> str | None:
    """The approach a yes/no question about the case asks about ("Should we fine-tune?")."""
    for q in case_questions:
        folded = _fold(q)
        names = approaches_named(folded)
        if len(names) == 1 and _YES_NO.search(folded):
            return names[0]
        if len(names) >= 2 and not _CHOICE.search(folded) and _YES_NO.search(folded):
            return names[0]
    return None


@lru_cache(maxsize=4096)
def classify_text(text: str, in_conversation: bool = False) -> Asked:
    """What one user message asks (``in_conversation``: the advisor has answered before)."""
    parts = sentences(text) or [text]
    shaped = [_shape(s) for s in parts]
    if any(not s.question for s in shaped):  # a statement about the case: read questions with it
        shaped = [_shape(s, beside_case=True) for s in parts]
    knowledge = [s.text for s in shaped if s.knowledge]
    case = [s.text for s in shaped if not s.knowledge]
    case_questions = [s.text for s in shaped if s.question and not s.knowledge]
    names = bool(approaches_named(text))
    if knowledge and case:
        kind: QuestionKind = "both"
    elif knowledge:
        short = len(_fold(" ".join(knowledge)).split()) <= 6
        pointing = any(_POINTER.search(_fold(k)) for k in knowledge)
        kind = "follow_up" if in_conversation and (short or pointing) else "knowledge"
    else:
        kind = "case"
    question = " ".join(knowledge) if knowledge else " ".join(case_questions) or text
    return Asked(
        kind=kind,
        question=question.strip(),
        topic=topic_of(question.strip()),
        case_text=" ".join(case) if knowledge else text,
        approach=_asked_approach(case_questions),
        answer_type=_answer_type(question),
        names_approach=names,
        about_articles=any(_ABOUT_SOURCES.search(_fold(k)) or _names_author(k) for k in knowledge),
    )


def classify(messages: Sequence[ChatMessage]) -> Asked:
    """What the conversation's last user message asks."""
    users = [i for i, m in enumerate(messages) if m.role == "user"]
    last = users[-1]
    answered = any(m.role == "assistant" for m in messages[:last])
    return classify_text(messages[last].content, answered)


def case_messages(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """The conversation as the extractor should read it: each user message reduced to what it
    says about the team's case, messages that say nothing about it left out."""
    out: list[ChatMessage] = []
    for i, m in enumerate(messages):
        if m.role != "user":
            out.append(m)
            continue
        answered = any(x.role == "assistant" for x in messages[:i])
        case_text = classify_text(m.content, answered).case_text
        if case_text.strip():
            out.append(m if case_text == m.content else ChatMessage(role="user", content=case_text))
    return out
