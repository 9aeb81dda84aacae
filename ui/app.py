"""The chat page: Blocks layout and event wiring around the same Advisor the API uses.

The conversation (a role/content list) lives in ``gr.State`` and is sent whole each turn: the
service is stateless. The replies are kept beside it (one per assistant message) so the page can
draw their cards and sources, rate them and offer the latest recommendation for download.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from advisor.answer.conversation import ConversationError  # noqa: E402
from advisor.api.feedback_store import FeedbackStore  # noqa: E402
from advisor.schemas.reply import AdvisorReply, ChatMessage  # noqa: E402
from advisor.service import Advisor  # noqa: E402
from ui import render  # noqa: E402

log = logging.getLogger("advisor.ui")
HERE = Path(__file__).resolve().parent
STREAM_INTERVAL_S = 0.05  # at most ~20 screen updates a second while the answer streams

EXAMPLES = [
    "We answer support questions from a wiki that changes weekly and must cite sources.",
    "Every invoice we process must come back as valid JSON with fixed fields; prompting breaks "
    "the schema about 5% of the time and we have 3,000 labeled examples.",
    "Customers ask our support assistant where their order is right now and want it to "
    "reschedule deliveries in our order system.",
    "We're prototyping a writing assistant for our team and haven't tried prompt engineering "
    "yet; should we fine-tune a model?",
]
WELCOME = (
    "<div class='adv-welcome'><h2>What are you building?</h2>"
    "<p>Describe your use case: what the assistant must know, how often that changes, what it "
    "must output, and what data you have. You get a recommendation (prompting, RAG, "
    "fine-tuning, a hybrid or tool calling) with every claim linked to the article passage it "
    "rests on. Or start from an example:</p></div>"
)


def _header(css: str) -> str:
    return (
        f"<style>{css}</style>"
        '<header class="adv-header"><div class="adv-logo" aria-hidden="true">A</div><div>'
        "<h1>The advisor</h1>"
        "<p>Prompting, RAG, fine-tuning, a hybrid or tool calling? Advice for your LLM "
        "use case, citing expert articles.</p></div></header>"
    )


class _Downloads:
    """Writes the current recommendation to a JSON file the download button can serve."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.gettempdir()) / "advisor-ui"

    def write(self, reply: AdvisorReply, conversation: list[dict[str, str]]) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - 3600
        for old in self.folder.glob("recommendation-*.json"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        path = self.folder / (f"recommendation-{reply.recommendation.approach.replace('_', '-')}"
                              f"-{uuid.uuid4().hex[:8]}.json")
        path.write_text(render.recommendation_json(reply, conversation), encoding="utf-8")
        return str(path)


def build_demo(advisor: Advisor, feedback: FeedbackStore) -> gr.Blocks:
    """The chat page. Presentation only: answers come from ``advisor.stream``."""
    css = (HERE / "theme.css").read_text(encoding="utf-8")
    page_js = (HERE / "page.js").read_text(encoding="utf-8")
    downloads = _Downloads()

    with gr.Blocks(title="The advisor: prompting, RAG, fine-tuning, hybrid or tool calling?",
                   fill_height=True, analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        conversation = gr.State([])  # [{"role", "content"}]: sent whole to the service each turn
        replies = gr.State([])  # one AdvisorReply (as JSON data) per assistant message
        rated = gr.State({})  # chat message index -> feedback record id
        active = gr.State(None)  # {"id", "turn"}: the record the comment box belongs to

        gr.HTML(_header(css), js_on_load=page_js, elem_id="adv-head", apply_default_css=False)
        with gr.Row(elem_id="adv-toolbar"):
            new_chat = gr.Button("New conversation", size="sm", variant="secondary",
                                 elem_id="adv-new")
            download = gr.DownloadButton("Download recommendation", size="sm",
                                         variant="secondary", interactive=False,
                                         elem_id="adv-download")
        chatbot = gr.Chatbot(
            label="Conversation", show_label=False, elem_id="adv-chat", scale=1, height=320,
            layout="panel", placeholder=WELCOME, examples=[{"text": e} for e in EXAMPLES],
            autoscroll=False,  # ui/page.js follows the stream, then shows the reply from its start
            render_markdown=False, sanitize_html=False,  # ui.render escapes everything it shows
            latex_delimiters=[], feedback_options=("Like", "Dislike"), buttons=[],
            group_consecutive_messages=False,
        )
        with gr.Row(visible=False, elem_id="adv-feedback", equal_height=True) as feedback_box:
            feedback_status = gr.Markdown(elem_id="adv-feedback-status", min_height=0)
            comment = gr.Textbox(
                label="Comment on this reply (optional)", show_label=False, container=False,
                placeholder="Add a comment (optional): what was good, wrong or missing?",
                lines=1, max_lines=4, scale=4, min_width=200, elem_id="adv-comment",
            )
            save_comment = gr.Button("Save comment", scale=0, min_width=140, size="md",
                                     elem_id="adv-save-comment")
        with gr.Row(elem_id="adv-composer", equal_height=True):
            box = gr.Textbox(
                label="Describe your situation or ask a follow-up", show_label=False,
                placeholder="Describe your use case…", container=False,
                lines=1, max_lines=8, scale=8, min_width=120, autofocus=True, elem_id="adv-box",
            )
            send = gr.Button("Send", variant="primary", scale=0, min_width=72, elem_id="adv-send")
        gr.HTML("<p class='adv-footnote'>Enter sends, Shift+Enter starts a new line. The advice "
                "rests on expert articles: check the cited passages before you commit to an "
                "architecture.</p>", apply_default_css=False, elem_id="adv-foot")

        # ---- a turn -----------------------------------------------------------------------
        def respond(text: str, convo: list[dict[str, str]], done: list[dict[str, Any]]
                    ) -> Iterator[tuple[Any, ...]]:
            text = (text or "").strip()
            if not text:
                yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
                return
            sent = [*convo, {"role": "user", "content": text}]
            before = render.chat_messages(convo, done)
            chat = [*before, {"role": "user", "content": render.user_html(text)},
                    {"role": "assistant", "content": render.streaming_html("")}]
            yield "", chat, gr.skip(), gr.skip(), gr.skip()
            parts: list[str] = []
            shown_at = time.monotonic()
            reply: AdvisorReply | None = None
            try:
                for event in advisor.stream([ChatMessage(**m) for m in sent]):
                    if event.type == "reply":
                        reply = event.reply
                        continue
                    parts.append(event.text)
                    if time.monotonic() - shown_at >= STREAM_INTERVAL_S:
                        shown_at = time.monotonic()
                        chat = [*chat[:-1], {"role": "assistant",  # a new list: Gradio diffs
                                             "content": render.streaming_html("".join(parts))}]
                        yield gr.skip(), chat, gr.skip(), gr.skip(), gr.skip()
                if reply is None:
                    raise RuntimeError("the advisor ended without a reply")
            except ConversationError as exc:
                gr.Warning(f"{exc}. Start a new conversation to go on." if "too many" in str(exc)
                           else str(exc))
                yield text, before, gr.skip(), gr.skip(), gr.skip()
                return
            except Exception as exc:  # a model or store failure: keep the message, say so
                log.exception("the advisor failed to answer")
                gr.Warning(f"The advisor could not answer: {exc}")
                yield text, before, gr.skip(), gr.skip(), gr.skip()
                return
            convo = [*sent, {"role": "assistant", "content": reply.answer}]
            done = [*done, reply.model_dump(mode="json")]
            path = downloads.write(reply, convo)
            yield ("", render.chat_messages(convo, done), convo, done,
                   gr.DownloadButton(value=path, interactive=True))

        turn_io: dict[str, Any] = {
            "fn": respond, "inputs": [box, conversation, replies],
            "outputs": [box, chatbot, conversation, replies, download],
            "show_progress": "hidden",
        }
        box.submit(**turn_io)
        send.click(**turn_io)
        def pick_example(evt: gr.SelectData) -> str:
            value = evt.value
            return value.get("text", "") if isinstance(value, dict) else str(value or "")

        chatbot.example_select(pick_example, None, box, show_progress="hidden").then(**turn_io)

        # ---- feedback ------------------------------------------------------------------------
        def rate(data: gr.LikeData, convo: list[dict[str, str]], done: list[dict[str, Any]],
                 ids: dict[int, int]) -> tuple[Any, ...]:
            index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
            if not (0 <= index < len(convo)) or convo[index]["role"] != "assistant":
                return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            turn = sum(m["role"] == "assistant" for m in convo[: index + 1])
            ids = dict(ids)
            if data.liked in (True, "Like"):
                rating = "up"
            elif data.liked in (False, "Dislike"):
                rating = "down"
            else:  # the thumb was clicked again: the rating is taken back
                if index in ids:
                    feedback.delete(ids.pop(index))
                return ids, None, gr.Group(visible=False), "", ""
            if index in ids and feedback.set_rating(ids[index], rating):
                record_id = ids[index]
            else:
                record_id = feedback.add(rating, convo[:index], done[turn - 1])
                ids[index] = record_id
            record = feedback.get(record_id)
            thumb = "👍" if rating == "up" else "👎"
            status = f"{thumb} **Thanks, your rating of reply {turn} is saved.**"
            return (ids, {"id": record_id, "turn": turn}, gr.Group(visible=True), status,
                    (record.comment or "") if record else "")

        chatbot.like(rate, [conversation, replies, rated],
                     [rated, active, feedback_box, feedback_status, comment],
                     show_progress="hidden")

        def save(text: str, target: dict[str, int] | None) -> tuple[Any, ...]:
            if not target:
                return gr.skip(), gr.skip()
            try:
                feedback.set_comment(target["id"], text)
            except ValueError as exc:
                gr.Warning(str(exc))
                return gr.skip(), gr.skip()
            said = "saved" if (text or "").strip() else "removed"
            return f"**Comment {said} for reply {target['turn']}.** Thank you.", gr.skip()

        comment_io: dict[str, Any] = {"fn": save, "inputs": [comment, active],
                                      "outputs": [feedback_status, comment],
                                      "show_progress": "hidden"}
        comment.submit(**comment_io)
        save_comment.click(**comment_io)

        # ---- start over ------------------------------------------------------------------
        def start_over() -> tuple[Any, ...]:
            return ([], [], [], {}, None, gr.Group(visible=False), "", "",
                    gr.DownloadButton(value=None, interactive=False))

        reset_io: dict[str, Any] = {
            "fn": start_over, "inputs": None, "show_progress": "hidden",
            "outputs": [chatbot, conversation, replies, rated, active, feedback_box, comment, box,
                        download],
        }
        new_chat.click(**reset_io).then(
            None, js="() => document.querySelector('#adv-box textarea')?.focus()")
        chatbot.clear(**reset_io)  # the chat's own clear (bin) button starts over too
    return demo
