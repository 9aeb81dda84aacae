"""BEIR benchmark: the advisor's own ingest and retrieval on an outside corpus, next to plain BM25.

    advisor eval beir --data DIR [--split test] [--json] [--data-dir DIR] [--out DIR]

``DIR`` holds a dataset in BEIR format: ``corpus.jsonl`` (``_id``, ``title``, ``text``),
``queries.jsonl`` (``_id``, ``text``) and ``qrels/{split}.tsv`` (a header line, then
``query-id<TAB>corpus-id<TAB>score``; CRLF line ends are accepted).

What runs is the product's code, not a re-implementation:

1. every corpus entry becomes a ``Document`` (title + text; ids that are not valid advisor
   document ids are mapped to slugs and back);
2. they are ingested into a fresh store (a temporary data dir, or ``--data-dir``; always the
   embedded Chroma client) with ``KnowledgeBase.ingest_documents``, the product's one write
   path (with the offline default it fits the static embedder on this corpus's chunks, as the
   product does with whatever it ingests; then chunk, embed, upsert, with a progress bar);
3. the BM25 side of the hybrid retriever is built (``HybridRetriever.lexical_index``);
4. each query of the split that has judgements is searched with ``KnowledgeBase.search``
   (k=100 chunks); a document's rank is the rank of its best chunk.

Reported: nDCG@10, Recall@100, MRR@10 (``evals.metrics``, BEIR/trec_eval definitions,
averaged over the judged queries), ingest time, BM25 index build time, query latency
p50/p95. The same run scores a plain BM25 baseline over the same documents: ``bm25s`` with
lower-case ``[a-z0-9]+`` tokens, Lucene's 33 English stop words, no stemming, k1=0.9,
b=0.4, title and text as one field (the peer recipe); our figures are also given as a ratio
to it. ``--ablations`` adds the two halves of the hybrid on their own (its BM25 over chunks,
its dense model) and the hybrid with other RRF weights for the dense side (same store, same
code), which shows which side limits the fusion.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.metrics import mrr_at_k, ndcg_at_k, percentile, recall_at_k
from evals.report import format_value

__all__ = [
    "PUBLISHED",
    "BeirData",
    "bm25_run",
    "evaluate",
    "format_report",
    "ingest",
    "load_beir",
    "score_run",
    "to_documents",
    "write_results",
]

SEARCH_K = 100
ABLATION_DENSE_WEIGHTS = (0.25, 0.5, 2.0)
NDCG_K = 10
RECALL_K = 100
MRR_K = 10

# Published figures for the datasets we ship a README for (dataset folder name contains key).
PUBLISHED: dict[str, list[tuple[str, float, float | None]]] = {
    "scifact": [
        ("BM25, BEIR paper (Anserini multifield)", 0.665, 0.908),
        ("BM25, Anserini flat (title+text as one field)", 0.679, 0.925),
        ("all-MiniLM-L6-v2 (MTEB)", 0.645, None),
        ("e5-small-v2 (model card)", 0.689, None),
        ("bge-small-en-v1.5 (model card)", 0.713, None),
    ],
}

# Lucene's EnglishAnalyzer stop set (the same 33 words as bm25s' STOPWORDS_EN).
LUCENE_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+")


class BeirError(ValueError):
    """A BEIR folder that is missing files or has malformed lines (names the file and line)."""


@dataclass
class BeirData:
    name: str
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]  # only queries judged in the split
    qrels: dict[str, dict[str, int]]
    split: str
    skipped_docs: int = 0
    unjudged_queries: int = 0


# ---------------------------------------------------------------------------- loading


def _jsonl(path: Path) -> Iterable[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise BeirError(f"{path}: missing")
    with path.open(encoding="utf-8-sig") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BeirError(f"{path}:{lineno}: invalid JSON: {exc.msg}") from None
            if not isinstance(obj, dict) or "_id" not in obj:
                raise BeirError(f"{path}:{lineno}: expected an object with an _id")
            yield lineno, obj


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """``query-id corpus-id score`` lines (tab separated; header and CR stripped)."""
    if not path.is_file():
        raise BeirError(f"{path}: missing (is the split name right?)")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n").rstrip("\r")
            if not line.strip():
                continue
            parts = line.split("\t")
            if lineno == 1 and not parts[-1].strip().lstrip("-").isdigit():
                continue  # header
            if len(parts) != 3:
                raise BeirError(
                    f"{path}:{lineno}: expected 3 tab-separated fields, got {len(parts)}"
                )
            qid, doc_id, grade = (p.strip() for p in parts)
            try:
                qrels.setdefault(qid, {})[doc_id] = int(grade)
            except ValueError:
                raise BeirError(f"{path}:{lineno}: score {grade!r} is not an integer") from None
    return qrels


def load_beir(folder: str | Path, split: str = "test") -> BeirData:
    folder = Path(folder)
    if not folder.is_dir():
        raise BeirError(f"{folder}: not a folder")
    qrels = load_qrels(folder / "qrels" / f"{split}.tsv")
    corpus: dict[str, tuple[str, str]] = {}
    skipped = 0
    for _, obj in _jsonl(folder / "corpus.jsonl"):
        title, text = str(obj.get("title") or "").strip(), str(obj.get("text") or "").strip()
        if not title and not text:
            skipped += 1
            continue
        corpus[str(obj["_id"])] = (title, text)
    all_queries = {
        str(o["_id"]): str(o.get("text") or "") for _, o in _jsonl(folder / "queries.jsonl")
    }
    queries = {q: all_queries[q] for q in qrels if q in all_queries and all_queries[q].strip()}
    if not queries:
        raise BeirError(f"{folder}: no query of qrels/{split}.tsv is in queries.jsonl")
    if not corpus:
        raise BeirError(f"{folder}/corpus.jsonl: no documents")
    return BeirData(
        name=folder.resolve().name,
        corpus=corpus,
        queries=queries,
        qrels={q: qrels[q] for q in queries},
        split=split,
        skipped_docs=skipped,
        unjudged_queries=len(qrels) - len(queries),
    )


# ---------------------------------------------------------------------------- ours


def doc_slugs(ids: Iterable[str]) -> dict[str, str]:
    """BEIR id -> advisor document id (the id itself when valid, else a hashed slug)."""
    from advisor.schemas.retrieval import is_valid_doc_id

    out: dict[str, str] = {}
    for beir_id in ids:
        if is_valid_doc_id(beir_id):
            out[beir_id] = beir_id
            continue
        clean = re.sub(r"[^a-z0-9._-]+", "-", beir_id.lower()).strip("-._")[:100] or "doc"
        digest = hashlib.sha1(beir_id.encode()).hexdigest()[:10]
        out[beir_id] = f"{clean}-{digest}" if clean[0].isalnum() else f"d{clean}-{digest}"
    if len(set(out.values())) != len(out):
        raise BeirError("document ids collide after mapping them to advisor ids")
    return out


def to_documents(data: BeirData, slugs: Mapping[str, str], origin: str) -> list[Any]:
    from advisor.schemas.retrieval import Document

    return [
        Document(id=slugs[i], title=title or i, text=text or title, origin=origin, source=origin)
        for i, (title, text) in data.corpus.items()
    ]


def fresh_settings(base: Any, data_dir: Path) -> Any:
    """The user's settings, pointed at a fresh embedded store in ``data_dir``."""
    return base.model_copy(
        update={"data_dir": Path(data_dir), "chroma_url": None, "collection": "beir"}
    )


def ingest(kb: Any, docs: Sequence[Any], show_progress: bool) -> dict[str, float]:
    """Batch ingest through the product's path; returns timings (seconds) and chunk count."""
    started, cpu = time.perf_counter(), time.process_time()
    report = kb.ingest_documents(list(docs), show_progress=show_progress)
    written = time.perf_counter()
    index = kb.retriever.lexical_index()
    indexed = time.perf_counter()
    return {
        "ingest_s": written - started,
        "ingest_cpu_s": time.process_time() - cpu,  # this process's CPU, index build included
        "embedder_fit_s": report.fit_seconds,
        "store_write_s": report.seconds,
        "index_build_s": indexed - written,
        "chunks": float(report.chunks_written or len(index.chunks)),
    }


def _progress(items: Sequence[Any], desc: str, show: bool) -> Iterable[Any]:
    if not show:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, unit="query", leave=False, file=sys.stderr)


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def run_ours(
    kb: Any, queries: Mapping[str, str], back: Mapping[str, str], k: int, show_progress: bool
) -> tuple[dict[str, list[str]], list[float]]:
    """Rank documents for each query with the advisor's search; per-query latency in ms."""
    run: dict[str, list[str]] = {}
    latencies: list[float] = []
    if queries:
        kb.search(next(iter(queries.values())), k)  # warm-up: first-call costs are not per query
    for qid in _progress(list(queries), "searching", show_progress):
        started = time.perf_counter()
        result = kb.search(queries[qid], k)
        latencies.append((time.perf_counter() - started) * 1000.0)
        run[qid] = _dedupe(back.get(p.doc_id, p.doc_id) for p in result.passages)
    return run, latencies


def ablation_runs(
    kb: Any, queries: Mapping[str, str], back: Mapping[str, str], k: int
) -> dict[str, dict[str, list[str]]]:
    """Each half of the hybrid on its own: its BM25 over chunks, and its dense model.

    Reads the retriever's index and the store directly (diagnostics only); returns {} when
    those internals have changed shape.
    """
    import numpy as np

    try:
        index = kb.retriever.lexical_index()
        embedder = kb.embedder()
        lexical: dict[str, list[str]] = {}
        dense: dict[str, list[str]] = {}
        for qid, text in queries.items():
            scores = index.scores(text)
            order = np.argsort(-scores, kind="stable")[:k]
            lexical[qid] = _dedupe(
                back.get(index.chunks[i].chunk.doc_id, index.chunks[i].chunk.doc_id)
                for i in order
                if scores[i] > 0
            )
            hits = kb.store.query(embedder.encode([text])[0], k)
            by_id = index.by_id
            dense[qid] = _dedupe(
                back.get(
                    index.chunks[by_id[cid]].chunk.doc_id, index.chunks[by_id[cid]].chunk.doc_id
                )
                for cid, _ in hits
                if cid in by_id
            )
    except (AttributeError, TypeError, KeyError) as exc:  # internals moved on: skip, say why
        print(f"note: ablations skipped ({exc})", file=sys.stderr)
        return {}
    return {"ours: BM25 side only (stemmed, chunks)": lexical, "ours: dense side only": dense}


# ---------------------------------------------------------------------------- BM25 baseline


def bm25_tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in LUCENE_STOPWORDS]


def bm25_run(
    data: BeirData, k: int = SEARCH_K, k1: float = 0.9, b: float = 0.4
) -> tuple[dict[str, list[str]], float]:
    """Plain BM25 over whole documents (title + text); returns the run and seconds taken."""
    import bm25s
    import numpy as np

    started = time.perf_counter()
    ids = list(data.corpus)
    corpus_tokens = [bm25_tokens(f"{t} {x}") or [""] for t, x in data.corpus.values()]
    model = bm25s.BM25(k1=k1, b=b)
    model.index(corpus_tokens, show_progress=False)
    run: dict[str, list[str]] = {}
    for qid, text in data.queries.items():
        q = bm25_tokens(text)
        if not q:
            run[qid] = []
            continue
        scores = np.asarray(model.get_scores(q))
        top = np.argsort(-scores, kind="stable")[:k]
        run[qid] = [ids[i] for i in top if scores[i] > 0]
    return run, time.perf_counter() - started


# ---------------------------------------------------------------------------- scoring


def score_run(
    run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> dict[str, Any]:
    """Mean nDCG@10, Recall@100, MRR@10 over the judged queries (a query with no run scores 0)."""
    per_query = {
        qid: {
            f"ndcg@{NDCG_K}": ndcg_at_k(run.get(qid, []), rel, NDCG_K),
            f"recall@{RECALL_K}": recall_at_k(run.get(qid, []), rel, RECALL_K),
            f"mrr@{MRR_K}": mrr_at_k(run.get(qid, []), rel, MRR_K),
        }
        for qid, rel in qrels.items()
    }
    n = len(per_query)
    keys = (f"ndcg@{NDCG_K}", f"recall@{RECALL_K}", f"mrr@{MRR_K}")
    out: dict[str, Any] = {key: sum(q[key] for q in per_query.values()) / n for key in keys}
    out["n"] = n
    out["per_query"] = per_query
    return out


# ---------------------------------------------------------------------------- the whole run


def evaluate(
    folder: str | Path,
    settings: Any,
    *,
    split: str = "test",
    store_dir: str | Path | None = None,
    k: int = SEARCH_K,
    show_progress: bool = False,
    ablations: bool = False,
    weights: tuple[float | None, float | None] = (None, None),
    log: Callable[[str], None] = lambda s: None,
) -> dict[str, Any]:
    """Ingest a BEIR dataset into a fresh store, run its judged queries, score them.

    Returns a flat dict of the headline figures (``ndcg@10``, ``recall@100``, ``mrr@10``,
    ``n``, ``ingest_s``, ``query_ms_p50``, ``query_ms_p95``, ``bm25_*``, ``ratio_*``) plus
    ``systems`` (every system's figures), ``published``, ``config`` and ``per_query``.
    """
    from advisor.search.knowledge_base import KnowledgeBase

    started = time.perf_counter()
    data = load_beir(folder, split)
    log(
        f"loaded {data.name}: {len(data.corpus)} documents, {len(data.queries)} judged "
        f"{split} queries ({time.perf_counter() - started:.1f}s)"
    )

    with tempfile.TemporaryDirectory(prefix="advisor-beir-") as tmp:
        target = Path(store_dir) if store_dir else Path(tmp)
        if store_dir and any(target.iterdir() if target.exists() else []):
            raise BeirError(f"{target}: --data-dir must be a new or empty folder")
        cfg = fresh_settings(settings, target)
        kb = KnowledgeBase(cfg)
        if weights[0] is not None:
            kb.retriever.bm25_weight = weights[0]
        if weights[1] is not None:
            kb.retriever.dense_weight = weights[1]
        slugs = doc_slugs(data.corpus)
        back = {v: key for key, v in slugs.items()}
        docs = to_documents(data, slugs, origin=f"beir:{data.name}")
        log(f"ingesting into a fresh store at {target} ...")
        timing = ingest(kb, docs, show_progress)
        log(
            f"ingested {int(timing['chunks'])} chunks in {timing['ingest_s']:.1f}s "
            f"(embedder {timing['embedder_fit_s']:.1f}s, store {timing['store_write_s']:.1f}s), "
            f"BM25 index {timing['index_build_s']:.1f}s"
        )
        run, latencies = run_ours(kb, data.queries, back, k, show_progress)
        extra = ablation_runs(kb, data.queries, back, k) if ablations else {}
        if ablations:  # the same store and code, other RRF weights for the dense side
            base_weight = kb.retriever.dense_weight
            for w in ABLATION_DENSE_WEIGHTS:
                kb.retriever.dense_weight = w
                extra[f"advisor, dense RRF weight {w:g} (BM25 {kb.retriever.bm25_weight:g})"] = (
                    run_ours(kb, data.queries, back, k, False)[0]
                )
            kb.retriever.dense_weight = base_weight
        embedder_name = kb.embedder().name

    log("plain BM25 baseline ...")
    baseline_run, bm25_s = bm25_run(data, k=max(k, RECALL_K))

    ours = score_run(run, data.qrels)
    base = score_run(baseline_run, data.qrels)
    keys = (f"ndcg@{NDCG_K}", f"recall@{RECALL_K}", f"mrr@{MRR_K}")
    systems: dict[str, dict[str, float]] = {
        "advisor (hybrid)": {key: ours[key] for key in keys},
        "plain BM25 (bm25s, peer recipe)": {key: base[key] for key in keys},
    }
    for name, r in extra.items():
        s = score_run(r, data.qrels)
        systems[name] = {key: s[key] for key in keys}

    metrics: dict[str, Any] = {"dataset": data.name, "split": split, "n": ours["n"]}
    metrics.update({key: ours[key] for key in keys})
    metrics.update(
        {
            "ingest_s": timing["ingest_s"],
            "embedder_fit_s": timing["embedder_fit_s"],
            "store_write_s": timing["store_write_s"],
            "index_build_s": timing["index_build_s"],
            "ingest_cpu_s": timing["ingest_cpu_s"],
            "documents": len(docs),
            "chunks": int(timing["chunks"]),
            "query_ms_p50": percentile(latencies, 50),
            "query_ms_p95": percentile(latencies, 95),
            "bm25_s": bm25_s,
        }
    )
    for key in keys:
        metrics[f"bm25_{key}"] = base[key]
        metrics[f"ratio_{key}"] = ours[key] / base[key] if base[key] else None
    metrics["systems"] = systems
    metrics["published"] = next(
        (
            [{"system": s, "ndcg@10": n, "recall@100": r} for s, n, r in rows]
            for key, rows in PUBLISHED.items()
            if key in data.name.lower()
        ),
        [],
    )
    metrics["config"] = {
        "embedding_model": cfg.embedding_model,
        "embedder": embedder_name,
        "chunk_max_chars": cfg.chunk_max_chars,
        "chunk_overlap_chars": cfg.chunk_overlap_chars,
        "search_k": k,
        "bm25_weight": weights[0],
        "dense_weight": weights[1],
        "skipped_empty_docs": data.skipped_docs,
        "qrels_queries_without_text": data.unjudged_queries,
        "code": code_version(),
    }
    metrics["per_query"] = {
        qid: {
            "ours": ours["per_query"][qid][f"ndcg@{NDCG_K}"],
            "bm25": base["per_query"][qid][f"ndcg@{NDCG_K}"],
        }
        for qid in data.qrels
    }
    metrics["total_s"] = time.perf_counter() - started
    return metrics


def code_version() -> str:
    """HEAD commit, with '+dirty' when advisor/ has uncommitted changes (what was measured)."""
    import subprocess

    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], check=False, cwd=root, text=True,
                              capture_output=True, timeout=10).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "advisor")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


def _f(value: Any) -> str:
    return format_value(value, missing="n/a")


def format_report(m: Mapping[str, Any]) -> str:
    """Markdown-ish tables: our figures, the baseline, ratios, published figures, timings."""
    lines = [
        (
            f"BEIR {m['dataset']} ({m['split']}): {m['n']} judged queries, {m['documents']} documents "
            f"-> {m['chunks']} chunks"
        ),
        "",
        "| system | nDCG@10 | Recall@100 | MRR@10 |",
        "|---|---|---|---|",
    ]
    for name, s in m["systems"].items():
        lines.append(f"| {name} | {_f(s['ndcg@10'])} | {_f(s['recall@100'])} | {_f(s['mrr@10'])} |")
    lines.append(
        f"| ratio advisor / plain BM25 | {_f(m['ratio_ndcg@10'])} | "
        f"{_f(m['ratio_recall@100'])} | {_f(m['ratio_mrr@10'])} |"
    )
    if m.get("published"):
        lines += [
            "",
            "Published (same split):",
            "",
            "| system | nDCG@10 | Recall@100 |",
            "|---|---|---|",
        ]
        lines += [
            f"| {p['system']} | {_f(p['ndcg@10'])} | {_f(p['recall@100'])} |"
            for p in m["published"]
        ]
    lines += [
        "",
        (
            f"ingest {m['ingest_s']:.1f} s (embedder fit {m['embedder_fit_s']:.1f} s, chunk+embed+store "
            f"{m['store_write_s']:.1f} s) + BM25 index {m['index_build_s']:.1f} s (process CPU for "
            f"all of it {m['ingest_cpu_s']:.1f} s); "
            f"query latency p50 {m['query_ms_p50']:.1f} ms, p95 {m['query_ms_p95']:.1f} ms "
            f"(search k={m['config']['search_k']}); plain BM25 total {m['bm25_s']:.1f} s"
        ),
        (
            f"code {m['config'].get('code', '?')}; embedder: {m['config']['embedder']}; chunks of at most {m['config']['chunk_max_chars']} "
            f"characters, overlap {m['config']['chunk_overlap_chars']}"
        ),
    ]
    per_query = m.get("per_query") or {}
    if per_query:
        better = sum(1 for v in per_query.values() if v["ours"] > v["bm25"] + 1e-9)
        worse = sum(1 for v in per_query.values() if v["ours"] < v["bm25"] - 1e-9)
        lines.append(
            f"per query nDCG@10 vs plain BM25: better on {better}, worse on {worse}, "
            f"tied on {len(per_query) - better - worse}"
        )
    return "\n".join(lines)


def headline(m: Mapping[str, Any]) -> dict[str, Any]:
    """The flat JSON object ``--json`` prints last."""
    return {k: v for k, v in m.items() if not isinstance(v, (dict, list))}


def write_results(m: Mapping[str, Any], out: str | Path) -> list[Path]:
    """results.json (everything) and report.md (the tables) in ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results.json"
    results.write_text(json.dumps(m, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    report = out / "report.md"
    header = (
        f"# BEIR run: {m['dataset']} ({m['split']})\n\n"
        f"Reproduce: `advisor eval beir --data BEIR_FOLDER --split {m['split']} --ablations "
        f"--out OUT_FOLDER`. Code {m['config'].get('code')}; "
        f"timings are wall clock on the machine that ran it (2 shared cores).\n\n"
    )
    report.write_text(header + format_report(m) + "\n", encoding="utf-8")
    return [results, report]
