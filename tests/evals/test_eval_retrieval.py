"""The retrieval eval runner: dataset loading, hand-computed metrics, and the datasets."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from evals.metrics import normalize
from evals.retrieval import DatasetError, RetrievalCase, evaluate, format_report, load_cases

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
DATASETS = ROOT / "evals" / "datasets"
MAIN_SET = DATASETS / "retrieval.jsonl"
HOLDOUT_SET = DATASETS / "retrieval_holdout_dev.jsonl"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n---[ \t]*\r?\n", re.DOTALL)


def _write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _case(cid: str, question: str = "q?", quote: str = "some quote") -> str:
    return json.dumps({"id": cid, "question": question, "evidence": [{"quote": quote}]})


# ------------------------------------------------------------------ load_cases


def test_load_cases_reads_valid_file(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _case("a1"),
        "",  # blank lines are allowed
        json.dumps(
            {
                "id": "a2",
                "question": "Should we fine-tune?",
                "evidence": [{"quote": "one", "doc": "doc-a"}, {"quote": "two"}],
            }
        ),
    )
    cases = load_cases(path)
    assert [c.id for c in cases] == ["a1", "a2"]
    assert cases[1].quotes == ["one", "two"]
    assert cases[1].evidence[0].doc == "doc-a"
    assert cases[1].evidence[1].doc is None


@pytest.mark.parametrize(
    ("bad_line", "needle"),
    [
        ('{"id": "x", "question": "q", "evidence": [', "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"question": "q", "evidence": [{"quote": "x"}]}', "id"),
        ('{"id": "x", "evidence": [{"quote": "x"}]}', "question"),
        ('{"id": "x", "question": "q"}', "evidence"),
        ('{"id": "x", "question": "q", "evidence": []}', "evidence"),
        ('{"id": "x", "question": "q", "evidence": [{"doc": "d"}]}', "quote"),
        ('{"id": "x", "question": "q", "evidence": [{"quote": ""}]}', "quote"),
        ('{"id": "x", "question": "q", "evidence": [{"quote": "  \\n "}]}', "quote"),
        ('{"id": "x", "question": "   ", "evidence": [{"quote": "x"}]}', "question"),
        ('{"id": "", "question": "q", "evidence": [{"quote": "x"}]}', "id"),
        ('{"id": "x", "question": "q", "evidence": "a quote"}', "evidence"),
    ],
)
def test_load_cases_errors_name_file_and_line(tmp_path: Path, bad_line: str, needle: str) -> None:
    path = _write(tmp_path, _case("ok1"), "", bad_line)  # the bad case is on line 3
    with pytest.raises(DatasetError) as info:
        load_cases(path)
    message = str(info.value)
    assert f"{path}:3:" in message
    assert needle in message
    assert info.value.line == 3


def test_load_cases_duplicate_ids(tmp_path: Path) -> None:
    path = _write(tmp_path, _case("r01"), _case("r02"), _case("r01"))
    with pytest.raises(DatasetError, match=r":3: duplicate id 'r01' \(first used on line 1\)"):
        load_cases(path)


def test_load_cases_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "", "  ")
    with pytest.raises(DatasetError, match="no cases"):
        load_cases(path)


def test_load_cases_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_cases(tmp_path / "nope.jsonl")


def test_dataset_error_is_a_value_error() -> None:
    assert issubclass(DatasetError, ValueError)


# ------------------------------------------------------------------ evaluate


def _filler(i: int) -> str:
    return f"unrelated filler passage number {i}"


def _ranked(relevant: dict[int, str], n: int = 10) -> list[str]:
    """n passages, with the given texts at the given 1-based ranks."""
    return [relevant.get(rank, _filler(rank)) for rank in range(1, n + 1)]


CASES = [
    # A: relevant at rank 1
    RetrievalCase(id="A", question="qa", evidence=[{"quote": "Answer A"}]),
    # B: first quote at rank 4, second at rank 7
    RetrievalCase(
        id="B", question="qb", evidence=[{"quote": "first of b"}, {"quote": "second of b"}]
    ),
    # C: nothing relevant in the top 10
    RetrievalCase(id="C", question="qc", evidence=[{"quote": "never retrieved"}]),
    # D: quotes at ranks 2 and 3; curly punctuation in the passage, straight in the quote
    RetrievalCase(
        id="D", question="qd", evidence=[{"quote": "it's d - one"}, {"quote": "D two"}]
    ),
]
RESULTS = {
    "qa": _ranked({1: "here is answer a."}),
    "qb": _ranked({4: "...First of B...", 7: "second   of\nb"}),
    "qc": _ranked({}),
    "qd": _ranked({2: "It\u2019s D \u2014 one", 3: "and d two"}),
}


class FakeSearch:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, question: str, n: int) -> list[str]:
        self.calls.append((question, n))
        return RESULTS[question][:n]


def test_evaluate_hand_computed_k5() -> None:
    search = FakeSearch()
    m = evaluate(CASES, search, k=5)
    assert search.calls == [("qa", 10), ("qb", 10), ("qc", 10), ("qd", 10)]
    assert m["n"] == 4
    assert m["hit@1"] == pytest.approx(1 / 4)  # A
    assert m["hit@3"] == pytest.approx(2 / 4)  # A, D
    assert m["hit@5"] == pytest.approx(3 / 4)  # A, D, B
    assert m["mrr@10"] == pytest.approx((1 + 1 / 4 + 0 + 1 / 2) / 4)  # 0.4375
    # 6 quotes in all; in the top 5: A's, B's first, both of D's = 4
    assert m["evidence_recall@5"] == pytest.approx(4 / 6)
    assert m["hit_curve"] == pytest.approx(
        {1: 0.25, 2: 0.5, 3: 0.5, 4: 0.75, 5: 0.75, 6: 0.75, 7: 0.75, 8: 0.75, 9: 0.75, 10: 0.75}
    )
    assert [miss["id"] for miss in m["misses"]] == ["C"]
    miss = m["misses"][0]
    assert miss["question"] == "qc"
    assert miss["top_passage"] == _filler(1)
    assert {"latency_ms_p50", "latency_ms_p95"} <= m.keys()
    json.dumps(m)  # the CLI prints it with --json


def test_evaluate_other_k_adds_its_keys() -> None:
    m = evaluate(CASES, FakeSearch(), k=7)
    assert m["hit@7"] == pytest.approx(3 / 4)
    assert m["evidence_recall@7"] == pytest.approx(5 / 6)  # B's second quote now counts
    assert m["evidence_recall@5"] == pytest.approx(4 / 6)  # always reported
    assert {"hit@1", "hit@3", "hit@5", "mrr@10"} <= m.keys()
    assert [miss["id"] for miss in m["misses"]] == ["C"]

    m3 = evaluate(CASES, FakeSearch(), k=3)
    assert [miss["id"] for miss in m3["misses"]] == ["B", "C"]  # B's first hit is at rank 4


def test_evaluate_asks_for_at_least_ten_and_truncates() -> None:
    calls: list[int] = []

    def search(question: str, n: int) -> list[str]:
        calls.append(n)
        return ["x"] * 50 + ["answer a"]  # more than asked; the relevant one is beyond n

    m = evaluate(CASES[:1], search, k=12)
    assert calls == [12]
    assert m["hit@12"] == 0.0
    assert m["mrr@10"] == 0.0
    assert sorted(m["hit_curve"]) == list(range(1, 13))


def test_evaluate_handles_empty_results_and_rejects_bad_input() -> None:
    m = evaluate(CASES[:1], lambda q, n: [], k=5)
    assert m["hit@5"] == 0.0 and m["misses"][0]["top_passage"] == ""
    with pytest.raises(ValueError):
        evaluate([], FakeSearch(), k=5)
    with pytest.raises(ValueError):
        evaluate(CASES, FakeSearch(), k=0)
    with pytest.raises(TypeError, match="passage texts"):
        evaluate(CASES[:1], lambda q, n: [{"text": "answer a"}], k=5)  # type: ignore[list-item]


def test_format_report_mentions_metrics_and_misses() -> None:
    report = format_report(evaluate(CASES, FakeSearch(), k=5))
    assert "4 questions" in report
    assert "hit@5 0.750" in report
    assert "mrr@10 0.438" in report
    assert "evidence_recall@5 0.667" in report
    assert "[C] qc" in report


# ------------------------------------------------------------------ the datasets themselves


def _article_bodies() -> dict[str, str]:
    bodies = {}
    for path in sorted(KNOWLEDGE.glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        match = _FRONT_MATTER.match(raw)
        assert match, f"{path.name} has no front matter"
        bodies[path.stem] = raw[match.end():]
    return bodies


BODIES = _article_bodies()


def test_the_five_articles_are_there() -> None:
    assert len(BODIES) == 5


@pytest.mark.parametrize("dataset", [MAIN_SET, HOLDOUT_SET], ids=lambda p: p.name)
def test_every_quote_is_verbatim_in_its_article(dataset: Path) -> None:
    cases = load_cases(dataset)
    problems = []
    for case in cases:
        for ev in case.evidence:
            where = f"{case.id}: {ev.quote[:60]!r}"
            if ev.doc is None:
                problems.append(f"{where}: no doc id")
                continue
            if ev.doc not in BODIES:
                problems.append(f"{where}: unknown doc {ev.doc!r}")
                continue
            body = BODIES[ev.doc]
            if ev.quote not in body:
                problems.append(f"{where}: not verbatim in {ev.doc}")
            if normalize(ev.quote) not in normalize(body):
                problems.append(f"{where}: not found after normalize() in {ev.doc}")
            if "\n" in ev.quote or ev.quote != ev.quote.strip():
                problems.append(f"{where}: spans a line break or has outer white space")
            if not 30 <= len(ev.quote) <= 250:
                problems.append(f"{where}: length {len(ev.quote)} outside 30..250")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("dataset", [MAIN_SET, HOLDOUT_SET], ids=lambda p: p.name)
def test_questions_are_not_copied_from_the_articles(dataset: Path) -> None:
    everything = normalize(" ".join(BODIES.values()))
    for case in load_cases(dataset):
        assert normalize(case.question) not in everything, case.id
        for quote in case.quotes:
            assert normalize(quote) != normalize(case.question), case.id


def test_main_set_size_ids_and_coverage() -> None:
    cases = load_cases(MAIN_SET)
    assert len(cases) >= 40
    assert [c.id for c in cases] == [f"r{i:02d}" for i in range(1, len(cases) + 1)]
    per_doc = Counter(doc for c in cases for doc in {e.doc for e in c.evidence})
    assert set(per_doc) == set(BODIES)
    assert min(per_doc.values()) >= 6, per_doc
    # The flattened comparison table: at least three of its row lines are quoted.
    table_rows = [
        line
        for line in BODIES["rag-vs-fine-tuning-how-to-choose"].splitlines()
        if line.startswith(
            ("Primary Purpose", "Data Volatility", "Model Size Match", "Cost & Time",
             "Handling", "On-Device/Edge")
        )
    ]
    assert len(table_rows) == 6
    quoted_rows = {
        row for row in table_rows for c in cases for q in c.quotes if q in row
    }
    assert len(quoted_rows) >= 3


def test_holdout_set_is_separate() -> None:
    main = load_cases(MAIN_SET)
    holdout = load_cases(HOLDOUT_SET)
    assert len(holdout) == 20
    assert [c.id for c in holdout] == [f"h{i:02d}" for i in range(1, 21)]
    assert not {normalize(c.question) for c in main} & {normalize(c.question) for c in holdout}
    per_doc = Counter(doc for c in holdout for doc in {e.doc for e in c.evidence})
    assert set(per_doc) == set(BODIES)


def test_pooled_judgments_count_and_the_written_quotes_are_scored_apart() -> None:
    case = RetrievalCase.model_validate({
        "id": "p1", "question": "q",
        "evidence": [{"quote": "written answer"},
                     {"quote": "another answering passage", "doc": "d", "judged": "pooled"}],
    })
    plain = RetrievalCase.model_validate({"id": "p2", "question": "q2",
                                          "evidence": [{"quote": "second written"}]})
    assert case.written_quotes == ["written answer"] and len(case.quotes) == 2
    results = {"q": ["another answering passage here", "x", "the written answer"],
               "q2": ["second written one"]}
    m = evaluate([case, plain], lambda q, n: results[q][:n], k=5)
    assert m["hit@1"] == 1.0 and m["mrr@10"] == 1.0  # every quote counts
    assert m["written_hit@1"] == 0.5 and m["written_hit@3"] == 1.0
    assert m["written_mrr@10"] == pytest.approx((1 / 3 + 1) / 2)
    assert "written with the questions only" in format_report(m)
    # a set without pooled judgments has no written_* keys
    assert "written_hit@1" not in evaluate([plain], lambda q, n: results[q][:n], k=5)
