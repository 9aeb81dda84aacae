"""The page's rendering functions: answer markers, sources panel, recommendation card, download."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from helpers.replies import NASTY, make_reply

from advisor.schemas.decision import (
    Situation,
)
from advisor.schemas.reply import AdvisorReply, ChatMessage
from ui import render


class _Collector(HTMLParser):
    """Parses the HTML (it must be well formed enough) and collects tags and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def test_answer_markers_link_to_their_passages_and_unknown_ones_stay_text() -> None:
    reply = make_reply()
    html = render.answer_html(reply.answer, 3, reply.citations)
    links = [a for tag, a in parse(html).tags if tag == "a"]
    assert [a["href"] for a in links] == ["#adv-t3-src-1", "#adv-t3-src-2"]
    assert all("adv-cite" in (a["class"] or "") for a in links)
    assert links[0]["aria-label"] == "Source 1: An <Article> › Section & more"
    assert "<strong>Recommendation: RAG</strong>" in html
    assert "[9]" in html  # no passage 9: left as written
    assert "<code>code [1]</code>" in html  # markers inside code are not links


def test_raw_html_in_the_answer_is_shown_as_text() -> None:
    html = render.answer_html(f"Look {NASTY} [x](javascript:alert(1))", 1, [])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert not any(tag == "a" for tag, _ in parse(html).tags)


def test_sources_panel_lists_each_passage_escaped_with_anchor_ids() -> None:
    reply = make_reply()
    html = render.sources_html(reply.citations, 2, open_=True)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    tags = parse(html).tags
    ids = [a["id"] for tag, a in tags if tag == "li"]
    assert ids == ["adv-t2-src-1", "adv-t2-src-2"]
    details = [a for tag, a in tags if tag == "details"]
    assert "open" in details[0]  # the panel; each passage is its own collapsible item
    text = "".join(parse(html).text)
    assert "An <Article>" in text and "Section & more" in text  # escaped, reads right
    assert "2 passages cited" in text
    assert html.count("<p>") == 3  # the blank line split passage 2 into two paragraphs


def test_sources_panel_of_an_earlier_turn_is_collapsed_and_empty_gives_nothing() -> None:
    reply = make_reply()
    html = render.sources_html(reply.citations, 1, open_=False)
    assert "<details class=\"adv-sources\" id=\"adv-t1-sources\">" in html
    assert render.sources_html([], 1) == ""


def test_card_shows_approach_confidence_reasons_with_citations_and_follow_ups() -> None:
    reply = make_reply()
    html = render.card_html(reply, 4)
    parsed = parse(html)
    text = " ".join(" ".join(parsed.text).split())
    assert "RAG" in text and "Retrieval-augmented generation" in text
    meter = next(a for tag, a in parsed.tags if a.get("role") == "meter")
    assert meter["aria-valuenow"] == "76" and "width:76%" in html
    assert "76% high" in text
    # reason 1's quote (whitespace differs) is inside passage 1: linked by marker
    reasons = html.split('class="adv-block adv-reasons"')[1].split("</ul>")[0]
    assert 'href="#adv-t4-src-1"' in reasons
    # reason 2's quote was not cited: the quote itself is shown, escaped
    assert "“Uncited quote &lt;b&gt;here&lt;/b&gt;” — Doc z" in reasons
    # the warning's evidence is in passage 2
    assert 'href="#adv-t4-src-2"' in html.split("adv-warnings")[1]
    assert "Evaluate retrieval &lt;carefully&gt;." in html
    button = next(a for tag, a in parsed.tags if tag == "button")
    assert button["data-question"] == 'Must answers keep a "brand" voice?'
    assert button["type"] == "button" and button["aria-label"].startswith("Put this question")
    assert "Hybrid" in text and "if a voice were required" in text
    assert "adv-approach-rag" in html


def test_card_shows_what_changed_since_the_previous_turn() -> None:
    reply = make_reply(changes=["labeled_examples: unknown -> 5000",
                                "recommendation: rag -> hybrid", "something free-form"])
    html = render.card_html(reply, 2)
    text = " ".join(" ".join(parse(html).text).split())
    assert "What changed since your last message" in text
    assert "Labeled examples: unknown → changed to 5000" in text
    assert "Recommendation: RAG → changed to Hybrid" in text
    assert "something free-form" in text
    assert "adv-changes" not in render.card_html(make_reply(), 2)


def test_three_follow_ups_show_and_the_rest_wait_behind_more() -> None:
    questions = [f"Question {i}?" for i in range(5)]
    html = render.followups_html(questions)
    assert html.count('class="adv-followup"') == 5
    shown, more = html.split('<details class="adv-more-questions">')
    assert shown.count('class="adv-followup"') == 3 and "2 more questions" in more
    assert "adv-more-questions" not in render.followups_html(questions[:3])
    assert render.followups_html([]) == ""


def test_uncovered_question_gets_no_recommendation_but_keeps_the_questions() -> None:
    html = render.card_html(make_reply(covered=False), 1)
    assert "No recommendation" in html and "adv-bar" not in html
    assert "adv-followup" in html


@pytest.mark.parametrize("confidence, word", [(0.9, "high"), (0.6, "moderate"), (0.3, "low")])
def test_confidence_words(confidence: float, word: str) -> None:
    assert f"adv-conf-{word}" in render.confidence_html(confidence)


def test_reply_html_puts_answer_card_and_sources_in_that_order() -> None:
    html = render.reply_html(make_reply(), 1)
    assert html.index("adv-answer") < html.index("adv-card") < html.index("adv-sources")
    parse(html)  # well formed enough to parse
    assert html.count("<section") == html.count("</section>")
    assert html.count("<details") == html.count("</details>")


def test_chat_messages_escape_user_text_and_collapse_older_sources() -> None:
    r = make_reply().model_dump(mode="json")
    convo = [{"role": "user", "content": NASTY}, {"role": "assistant", "content": "a"},
             {"role": "user", "content": "more"}, {"role": "assistant", "content": "b"}]
    msgs = render.chat_messages(convo, [r, r])
    assert [m["role"] for m in msgs] == ["user", "assistant", "user", "assistant"]
    assert "<script" not in msgs[0]["content"] and "&lt;script&gt;" in msgs[0]["content"]
    assert 'id="adv-t1-sources">' in msgs[1]["content"]  # collapsed
    assert 'id="adv-t2-sources" open>' in msgs[3]["content"]  # the latest is open
    assert 'href="#adv-t2-src-1"' in msgs[3]["content"]


def test_streaming_html_shows_a_pending_state_then_the_partial_answer() -> None:
    assert "Reading the articles" in render.streaming_html("")
    partial = render.streaming_html("**Recommendation: R")
    assert "adv-streaming" in partial and "Recommendation: R" in partial
    assert "<script" not in render.streaming_html(NASTY)
    # markers show as pills while streaming; they become links with the complete reply
    assert '<span class="adv-cite">3</span>' in render.streaming_html("Because [3]")


def test_recommendation_download_is_json_with_what_it_rests_on() -> None:
    reply = make_reply()
    data = json.loads(render.recommendation_json(reply, [{"role": "user", "content": "hi"}]))
    assert data["recommendation"]["approach"] == "rag"
    assert data["situation"] == {"knowledge_change_frequency": "weekly", "needs_citations": True}
    assert [c["n"] for c in data["citations"]] == [1, 2]
    assert data["conversation"] == [{"role": "user", "content": "hi"}]
    assert re.match(r"\d{4}-\d\d-\d\dT", data["exported_at"])


# ---- the page's event handlers (no server, no browser: a scripted advisor) --------------------
class ScriptedAdvisor:
    """Streams a fixed answer in pieces and records every conversation it was sent."""

    def __init__(self, reply: AdvisorReply, error: Exception | None = None) -> None:
        self.reply, self.error, self.calls = reply, error, []

    def stream(self, messages: list, k: int | None = None):  # noqa: ANN201
        from advisor.service import StreamEvent

        self.calls.append([m.model_dump() for m in messages])
        if self.error is not None:
            raise self.error
        words = self.reply.answer.split(" ")
        for i, word in enumerate(words):
            yield StreamEvent(type="delta", text=word + (" " if i < len(words) - 1 else ""))
        yield StreamEvent(type="reply", reply=self.reply)


def handler(demo: object, name: str):  # noqa: ANN201
    return next(f.fn for f in demo.fns.values() if f.name == name)  # type: ignore[attr-defined]


@pytest.fixture
def page(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    from advisor.api.feedback_store import FeedbackStore
    from ui import app, build_demo

    monkeypatch.setattr(app, "STREAM_INTERVAL_S", 0.0)
    monkeypatch.setattr(app._Downloads, "__init__",
                        lambda self: setattr(self, "folder", tmp_path / "downloads"))
    advisor = ScriptedAdvisor(make_reply())
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    return advisor, store, build_demo(advisor, store)  # type: ignore[arg-type]


def test_a_turn_streams_then_shows_the_reply_and_keeps_the_conversation(page) -> None:  # noqa: ANN001
    advisor, _store, demo = page
    respond = handler(demo, "respond")
    steps = list(respond("  Our wiki changes weekly  ", [], []))
    box, chat, *_ = steps[0]
    assert box == "" and "Reading the articles" in chat[-1]["content"]
    streamed = [s[1][-1]["content"] for s in steps[1:-1]]
    assert len(streamed) >= 3 and all("adv-streaming" in c for c in streamed)
    box, chat, convo, replies, download = steps[-1]
    assert convo == [{"role": "user", "content": "Our wiki changes weekly"},
                     {"role": "assistant", "content": make_reply().answer}]
    assert len(replies) == 1 and "adv-card" in chat[-1]["content"]
    path = download.value["path"] if isinstance(download.value, dict) else download.value
    data = json.loads(open(path, encoding="utf-8").read())
    assert data["recommendation"]["approach"] == "rag"

    # the next turn sends the whole conversation (the service is stateless)
    *_, last = respond("We also need a brand voice", convo, replies)
    assert advisor.calls[-1] == [*convo, {"role": "user", "content": "We also need a brand voice"}]
    assert len(last[2]) == 4 and 'id="adv-t2"' in last[1][-1]["content"]


def test_an_empty_message_does_nothing_and_an_error_gives_the_text_back(page) -> None:  # noqa: ANN001
    from advisor.answer.conversation import ConversationError

    advisor, _store, demo = page
    respond = handler(demo, "respond")
    (only,) = list(respond("   ", [], []))
    assert advisor.calls == [] and len(only) == 5
    advisor.error = ConversationError("message 0 has 9000 characters (at most 4000)")
    with pytest.warns(UserWarning):
        steps = list(respond("too long", [], []))
    box, chat, *rest = steps[-1]
    assert box == "too long" and chat == []  # the message is back in the box, nothing kept


def test_thumbs_store_the_rating_with_its_conversation_and_can_be_taken_back(page) -> None:  # noqa: ANN001
    import gradio as gr

    _advisor, store, demo = page
    *_, (_, _, convo, replies, _) = handler(demo, "respond")("Our wiki changes weekly", [], [])
    rate = handler(demo, "rate")
    like = gr.LikeData(None, {"index": 1, "value": "…", "liked": True})
    ids, active, box, status, comment = rate(like, convo, replies, {})
    (record,) = store.records()
    assert record.rating == "up" and [m.content for m in record.conversation] == [convo[0]["content"]]
    assert ids == {1: record.id} and active == {"id": record.id, "turn": 1}
    assert "reply 1" in status
    handler(demo, "save")("Helpful, thanks", active)
    assert store.records()[0].comment == "Helpful, thanks"
    dislike = gr.LikeData(None, {"index": 1, "value": "…", "liked": False})
    ids, *_ = rate(dislike, convo, replies, ids)
    assert [r.rating for r in store.records()] == ["down"]  # switched, not duplicated
    undo = gr.LikeData(None, {"index": 1, "value": "…", "liked": ""})
    ids, *_ = rate(undo, convo, replies, ids)
    assert ids == {} and store.records() == []


def test_every_example_prompt_gets_a_recommendation(shared_settings) -> None:  # noqa: ANN001
    """A first visit starts from these: each must be covered and land on its intended approach."""
    from advisor.service import Advisor
    from ui.app import EXAMPLES

    advisor = Advisor(shared_settings)
    got = [(r.covered, r.recommendation.approach) for r in
           (advisor.ask([ChatMessage(role="user", content=e)]) for e in EXAMPLES)]
    assert got == [(True, "rag"), (True, "fine_tuning"), (True, "tool_calling"),
                   (True, "prompting")]


# ---- answer and card divide the work ----------------------------------------------------------
def test_the_page_drops_a_closing_line_that_only_restates_the_card() -> None:
    answer = ("**Use RAG.** The knowledge changes often & answers must cite sources. [1]\n\n"
              "**Recommendation: RAG (retrieval-augmented generation)** (confidence 76%). "
              'To sharpen it: Must answers keep a "brand" voice?')
    reply = make_reply(answer=answer)
    assert render.page_answer(reply) == answer.split("\n\n")[0]
    assert reply.answer == answer  # the API and the terminal keep it
    html = render.reply_html(reply, 1)
    assert "confidence 76%" not in html and "76%" in html  # the card's meter says it once
    # a closing paragraph with a citation is the answer's own, whatever it mentions
    cited = make_reply(answer="Intro.\n\nRAG at 76% fits, as [1] says.")
    assert render.page_answer(cited) == cited.answer


def test_the_card_does_not_repeat_the_summary_the_answer_leads_with() -> None:
    says = make_reply(answer="**Use RAG.** The knowledge changes often & answers must cite "
                             "sources. [1]")
    assert "adv-summary" not in render.card_html(says, 1)
    other = make_reply(answer="Something else entirely [1].")
    assert "the knowledge changes often" in render.card_html(other, 1)


def test_no_recommendation_card_when_nothing_is_known_about_the_case() -> None:
    reply = make_reply(answer="“Spend 70% of your effort on chunking.” [1]", situation=Situation())
    card = render.card_html(reply, 1)
    assert "No recommendation yet" in card and 'role="meter"' not in card
    assert "adv-followup" in card  # the questions that would start one, as buttons


def test_a_real_reply_shows_no_list_twice(shared_settings) -> None:
    from advisor.service import Advisor

    reply = Advisor(shared_settings).ask([ChatMessage(role="user", content=(
        "We answer support questions from a wiki that changes every week and every answer must "
        "cite its source. Should we fine-tune?"))])
    answer = render.answer_html(render.page_answer(reply), 1, reply.citations)
    assert "<ul>" not in answer and "<ol>" not in answer
    for reason in reply.recommendation.reasons:
        assert reason.statement not in answer  # the card lists the reasons
    for question in reply.follow_up_questions:
        assert question not in answer  # the card's buttons ask them
    for warning in reply.recommendation.warnings:
        assert warning.message not in answer


def test_the_reply_says_who_read_the_situation_and_who_wrote_the_answer() -> None:
    offline = render.reply_html(make_reply(), 1)
    assert 'data-extraction="offline"' in offline and 'data-composition="offline"' in offline
    assert "answer written by the offline composer." in offline and "Model:" not in offline
    reply = make_reply(model="openai:<small>", extraction="llm", composition="offline_fallback",
                       fallback_reasons=["the model's answer cited <no> passage"])
    html = render.reply_html(reply, 2)
    assert "Situation read by the model; answer written by the offline composer, standing in " \
           "for the model." in html
    assert "Model: openai:&lt;small&gt;." in html and "cited &lt;no&gt; passage" in html
    assert "<small>" not in html and "<no>" not in html
