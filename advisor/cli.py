"""The ``advisor`` command line: the composition root that wires settings, service and faces.

Only this module (and only inside the commands that need them) imports ``ui`` and ``evals``;
the library modules never do.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from advisor.config import Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]


class UsageError(Exception):
    """A command-line problem the user can fix; printed without a traceback."""


def _known_errors() -> tuple[type[BaseException], ...]:
    from advisor.answer.conversation import ConversationError
    from advisor.knowledge.documents import KnowledgeError
    from advisor.knowledge.embeddings import EmbedderError
    from advisor.knowledge.store import StoreUnavailable
    from advisor.llm import LLMConfigError, ModelUnavailable
    from advisor.search.retrieval import EmptyQuery

    return (UsageError, KnowledgeError, EmptyQuery, StoreUnavailable, EmbedderError,
            ConversationError, LLMConfigError, ModelUnavailable)


def _knowledge_base(settings: Settings, *, auto_ingest: bool = True):  # noqa: ANN202
    from advisor.search.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings)
    if auto_ingest:
        report = kb.ensure_ingested(show_progress=sys.stderr.isatty())
        if report is not None:
            print(f"synced {settings.knowledge_dir} into the store\n{report.summary()}",
                  file=sys.stderr)
    return kb


# ---- ingest / search ------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings, auto_ingest=False)
    folder = Path(args.path) if args.path else settings.knowledge_dir
    report = kb.ingest_folder(folder, show_progress=not args.no_progress)
    print(f"ingested {folder} into {kb.store.location}")
    print(report.summary())
    return 1 if report.failures and not (report.added or report.replaced or report.unchanged) else 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    if not args.query.strip():
        raise UsageError("the query is empty")
    kb = _knowledge_base(settings)
    result = kb.search(args.query, args.k)
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    if not result.relevant:
        print(f"(nothing in the articles looks relevant: {result.reason})\n")
    for n, p in enumerate(result.passages, 1):
        where = f"{p.title} › {p.section}" if p.section else p.title
        print(f"[{n}] {where}  (score {p.score:.4f}, {p.doc_id} {p.start}-{p.end})")
        print("    " + " ".join(p.text.split())[:600])
        print()
    return 0


def cmd_documents(args: argparse.Namespace, settings: Settings) -> int:
    kb = _knowledge_base(settings, auto_ingest=False)
    docs = kb.documents()
    if args.json:
        print(json.dumps([d.model_dump() for d in docs], indent=2))
    for d in docs if not args.json else []:
        print(f"{d.id:45} {d.chunks:4} chunks  {d.title}")
    return 0


# ---- feedback ---------------------------------------------------------------------------
def cmd_feedback_export(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.api.feedback_store import FeedbackStore

    try:
        count = FeedbackStore(settings.feedback_path).export_jsonl(Path(args.out))
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"wrote {count} feedback record{'' if count == 1 else 's'} to {args.out}")
    return 0


# ---- ask / chat -------------------------------------------------------------------------
def _advisor(settings: Settings):  # noqa: ANN202
    from advisor.service import Advisor

    advisor = Advisor(settings, knowledge=_knowledge_base(settings))
    return advisor


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if not args.question.strip():
        raise UsageError("the question is empty")
    from advisor.answer.render_text import render_reply
    from advisor.schemas.reply import ChatMessage

    reply = _advisor(settings).ask([ChatMessage(role="user", content=args.question)], k=args.k)
    print(reply.model_dump_json(indent=2) if args.json else render_reply(reply))
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.answer.conversation import ConversationError
    from advisor.answer.render_text import render_reply
    from advisor.schemas.reply import ChatMessage

    advisor = _advisor(settings)
    history: list[ChatMessage] = []
    print("Describe your use case (empty line or Ctrl-D to quit, /new to start over).")
    while True:
        try:
            line = input("you> ").strip()
        except EOFError:
            print()
            return 0
        if not line:
            return 0
        if line == "/new":
            history = []
            print("(new conversation)")
            continue
        history.append(ChatMessage(role="user", content=line))
        try:
            reply = advisor.ask(history, k=args.k)
        except ConversationError as exc:
            history.pop()
            print(f"error: {exc}")
            continue
        history.append(ChatMessage(role="assistant", content=reply.answer))
        print(render_reply(reply))
        print()


# ---- serve -------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.api.server import serve

    if args.port is not None and not 0 < args.port < 65536:
        raise UsageError("--port must be between 1 and 65535")
    from ui import build_demo

    return serve(settings, args.host, args.port, page=build_demo)


def cmd_train_reader(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.extraction.train import CORPUS_DIR, HEADS_PATH, QUESTIONS_DIR
    from advisor.extraction.train import main as train_main

    argv = ["--corpus", str(args.corpus or CORPUS_DIR), "--out", str(args.out or HEADS_PATH)]
    argv += ["--no-questions"] if args.no_questions else [
        "--questions", str(args.questions or QUESTIONS_DIR)]
    return train_main(argv + (["--cv", str(args.cv)] if args.cv else []))


def cmd_train_lead(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.answer.lead_projection import CORPUS_DIR, PROJECTION_PATH
    from advisor.answer.lead_training import main as train_main

    return train_main(settings, out=args.out or PROJECTION_PATH, corpus=args.corpus or CORPUS_DIR)


# ---- evals ------------------------------------------------------------------------------
def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.commands import run_eval

    return run_eval(args, settings)


# ---- parser -------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advisor",
        description="Advice on prompting, RAG, fine-tuning, hybrids and tool calling, "
        "citing expert articles.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="chunk and index a folder of .md/.txt/.html articles")
    p.add_argument("path", nargs="?", help="folder or file (default: ADVISOR_KNOWLEDGE_DIR)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("search", help="print the passages that best match a question")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="how many passages (default ADVISOR_TOP_K)")
    p.add_argument("--json", action="store_true", help="print the SearchResult as JSON")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("documents", help="list the documents in the store")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_documents)

    p = sub.add_parser("feedback", help="ratings given on replies (web page and API)")
    actions = p.add_subparsers(dest="feedback_action", required=True, metavar="ACTION")
    p = actions.add_parser("export", help="write every rating with its conversation, reply and "
                           "recommendation as JSON lines, ready to train or evaluate on")
    p.add_argument("--out", required=True, metavar="FILE.jsonl", help="the file to write")
    p.set_defaults(handler=cmd_feedback_export)

    p = sub.add_parser("ask", help="ask one question; prints a cited answer and a recommendation")
    p.add_argument("question")
    p.add_argument("-k", type=int, default=None, help="passages to retrieve")
    p.add_argument("--json", action="store_true", help="print the AdvisorReply as JSON")
    p.set_defaults(handler=cmd_ask)

    p = sub.add_parser("chat", help="an interactive conversation in the terminal")
    p.add_argument("-k", type=int, default=None, help="passages to retrieve")
    p.set_defaults(handler=cmd_chat)

    p = sub.add_parser("serve", help="serve the web page at /, the REST API under /v1, docs at /docs")
    p.add_argument("--host", default=None, help="address to bind (default ADVISOR_HOST, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default ADVISOR_PORT, 7860)")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("train-reader", help="refit the offline reader's heads on its labelled "
                       "corpus (advisor/extraction/corpus)")
    p.add_argument("--corpus", type=Path, default=None, help="folder of *.jsonl rows")
    p.add_argument("--out", type=Path, default=None, help="heads file to write")
    p.add_argument("--cv", type=int, default=0, help="print K-fold agreement per field first")
    p.add_argument("--questions", type=Path, default=None, help="folder of *.questions.jsonl "
                   "taught to the topic head as on topic (default: the shipped knowledge/)")
    p.add_argument("--no-questions", action="store_true",
                   help="teach the topic head no question keys")
    p.set_defaults(handler=cmd_train_reader)

    p = sub.add_parser("train-lead", help="refit the lead's question projection on the "
                       "documents' question keys and the lead corpus (advisor/answer/lead_corpus)")
    p.add_argument("--out", type=Path, default=None, help="projection file to write "
                   "(default: advisor/answer/lead_projection.npz)")
    p.add_argument("--corpus", type=Path, default=None, help="folder of *.jsonl question rows")
    p.set_defaults(handler=cmd_train_lead)

    from evals.commands import add_eval_parser

    add_eval_parser(sub, cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if getattr(args, "k", None) is not None and args.k < 1:
            raise UsageError("-k must be at least 1")
        return int(args.handler(args, settings))
    except _known_errors() as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
