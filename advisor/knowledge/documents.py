"""Loading articles from a folder: Markdown (with front matter), plain text and HTML, each with
the question keys of its ``.questions.jsonl`` sidecar if it has one (``advisor.knowledge.question_keys``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from advisor.knowledge.question_keys import load_questions, sidecar
from advisor.schemas.retrieval import Document, is_valid_doc_id

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.DOTALL)


class KnowledgeError(ValueError):
    """A folder or file that cannot be used as knowledge."""


@dataclass
class LoadReport:
    documents: list[Document] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # file name -> why


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._")
    slug = re.sub(r"\.{2,}", ".", slug)
    return slug[:128] or "document"


def parse_front_matter(raw: str) -> tuple[dict[str, str], str]:
    """Split ``---`` front matter (simple ``key: value`` lines) from the body."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            meta[key.strip().lower()] = value
    return meta, raw[match.end():]


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in text.splitlines() if ln.strip()), "")


def html_to_text(raw: str) -> tuple[str, str]:
    """Visible text of an HTML page (blocks on their own lines) and its title."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "footer"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    lines = [ln.strip() for ln in soup.get_text("\n").splitlines()]
    text = "\n\n".join(ln for ln in lines if ln)
    return text, title


def document_from_text(
    raw: str,
    *,
    name: str,
    suffix: str,
    source: str = "",
    origin: str = "",
    doc_id: str | None = None,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
) -> Document:
    """Build a Document from file contents; ``name`` is the file stem.

    ``doc_id``, ``title``, ``author`` and ``date`` override what the text itself says (the API
    names a document by its URL)."""
    suffix = suffix.lower()
    meta: dict[str, str] = {}
    if suffix in (".html", ".htm"):
        text, title = html_to_text(raw)
        meta["title"] = title
    elif suffix in (".md", ".markdown"):
        meta, text = parse_front_matter(raw)
    else:
        text = raw
    if not text.strip():
        raise KnowledgeError("it has no text")
    doc_id = doc_id or meta.get("id") or slugify(name)
    if not is_valid_doc_id(doc_id):
        raise KnowledgeError(f"invalid document id {doc_id!r}")
    title = title or meta.get("title") or _first_line(text).lstrip("# ").strip()[:200] or doc_id
    return Document(
        id=doc_id,
        title=title,
        text=text,
        author=author or meta.get("author") or None,
        date=date or meta.get("date") or None,
        source=source,
        origin=origin,
    )


def load_file(path: Path, origin: str = "") -> Document:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise KnowledgeError(exc.strerror or str(exc)) from exc
    return document_from_text(
        raw, name=path.stem, suffix=path.suffix, source=str(path), origin=origin
    )


def iter_knowledge_files(folder: Path) -> Iterable[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
        and (p.is_file() or p.is_symlink())
    )


def load_folder(folder: Path) -> LoadReport:
    """Load every supported file; a file that cannot be read is reported, the rest go on."""
    folder = Path(folder)
    if not folder.exists():
        raise KnowledgeError(f"{folder} does not exist")
    if folder.is_file():
        paths: list[Path] = [folder]
        origin = str(folder.resolve())
    else:
        paths = list(iter_knowledge_files(folder))
        origin = str(folder.resolve())
        if not paths:
            raise KnowledgeError(
                f"{folder} has no {', '.join(SUPPORTED_SUFFIXES)} files to ingest"
            )
    report = LoadReport()
    seen: dict[str, str] = {}
    for path in paths:
        try:
            doc = load_file(path, origin=origin)
        except KnowledgeError as exc:
            report.failures[str(path)] = str(exc)
            continue
        if doc.id in seen:
            report.failures[str(path)] = f"document id {doc.id!r} already used by {seen[doc.id]}"
            continue
        seen[doc.id] = str(path)
        report.documents.append(_with_questions(doc, path, report))
    return report


def _with_questions(doc: Document, path: Path, report: LoadReport) -> Document:
    """The document with the question keys of its sidecar file, if it has one; a bad line is
    reported under the sidecar's name and skipped."""
    side = sidecar(path)
    if not side.is_file():
        return doc
    keys, problems = load_questions(side, doc)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        report.failures[str(side)] = "; ".join(problems[:3]) + more
    return doc.model_copy(update={"questions": keys}) if keys else doc
