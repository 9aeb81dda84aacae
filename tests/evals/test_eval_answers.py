"""The answers eval: citation validity/support on hand-made replies, the loader, the runner."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from evals.answer_quality import LEAD_CHARS, answer_found, quote_fits, quotes, stands_alone
from evals.answers import (
    AnswerCase,
    citation_support,
    citation_validity,
    cited_sentences,
    evaluate,
    format_report,
    load_cases,
    markers,
    sentence_support,
)
from evals.metrics import normalize
from evals.retrieval import DatasetError

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "evals" / "datasets" / "answers.jsonl"

FRESH = "RAG reflects knowledge base updates immediately: update the vector store and the model uses the new data."
FORMAT = (
    "Fine-tuning wins when you need stable formatting and strong task-specific output patterns."
)


# ------------------------------------------------------------------ pure metrics


def test_markers_and_validity_count_every_occurrence() -> None:
    answer = "RAG keeps answers fresh [1]. It cites sources [1][2]. Invented [7]."
    assert markers(answer) == [1, 1, 2, 7]
    assert citation_validity(answer, {1, 2}) == (3, 4)
    assert citation_validity(answer, {1: "x", 2: "y", 7: "z"}) == (4, 4)
    assert citation_validity("no markers at all", {1}) == (0, 0)


def test_cited_sentences_keep_trailing_markers_and_drop_markdown() -> None:
    answer = (
        "**Recommendation: RAG** (confidence 76%). Nothing cited here.\n"
        "\n"
        "- The knowledge changes weekly; retrieval picks up updates. [1][2]\n"
        "- “Fine-tuning wins when you need stable formatting.” [3]\n"
        "First claim [1]. Second claim with no marker. Third claim [2]."
    )
    got = cited_sentences(answer)
    assert got == [
        ("The knowledge changes weekly; retrieval picks up updates.", [1, 2]),
        ("“Fine-tuning wins when you need stable formatting.”", [3]),
        ("First claim .", [1]),
        ("Third claim .", [2]),
    ]


def test_sentence_support_is_share_of_content_terms_in_the_passages() -> None:
    # content terms: rag, reflect(s), updat(es), immedi(ately) -> all in FRESH
    assert sentence_support("RAG reflects updates immediately.", [FRESH]) == 1.0
    # "bananas" and "purple" are not in the passage: 2 of 4 terms found
    score = sentence_support("RAG reflects purple bananas.", [FRESH])
    assert score == pytest.approx(2 / 4)
    # pooled over several cited passages
    assert sentence_support("RAG reflects stable formatting.", [FRESH, FORMAT]) == 1.0
    assert sentence_support("the and of", [FRESH]) is None  # no content terms


def test_citation_support_on_a_hand_made_reply() -> None:
    passages = {1: FRESH, 2: FORMAT}
    answer = (
        "RAG reflects updates immediately [1]. "  # supported (1.0)
        "Fine-tuning gives stable formatting [2]. "  # supported
        "Quantum bananas dance purple tango [1]. "  # unsupported (0.0)
        "Cites nothing valid [9]."  # marker points nowhere: left to validity
    )
    rows = citation_support(answer, passages)
    assert [r["supported"] for r in rows] == [True, True, False]
    assert rows[2]["support"] == 0.0
    assert rows[1]["cites"] == [2]
    # the threshold is inclusive and configurable
    half = citation_support("RAG reflects purple bananas [1].", passages)
    assert half[0]["support"] == 0.5 and half[0]["supported"] is True
    assert (
        citation_support("RAG reflects purple bananas [1].", passages, threshold=0.6)[0][
            "supported"
        ]
        is False
    )


# ------------------------------------------------------------------ dataset


def _write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    return path


def test_loader_validates_with_line_numbers(tmp_path: Path) -> None:
    ok = {
        "id": "a",
        "turns": ["q1", "q2"],
        "expect": {"approach_after_each_turn": ["rag", ["hybrid", "rag"]]},
    }
    cases = load_cases(
        _write(tmp_path, ok, "", {"id": "b", "turns": ["q"], "expect": {"covered": False}})
    )
    assert [c.id for c in cases] == ["a", "b"]
    assert cases[0].approaches_at(1) == ["hybrid", "rag"] and cases[1].approaches_at(0) == []
    assert cases[1].covered_at(0) is False

    bad = [
        (
            {"id": "a", "turns": ["q1", "q2"], "expect": {"approach_after_each_turn": ["rag"]}},
            "2 turns",
        ),
        (
            {"id": "a", "turns": ["q"], "expect": {"approach_after_each_turn": ["magic"]}},
            "unknown approach",
        ),
        ({"id": "a", "turns": ["q"], "expect": {"covered": [True, False]}}, "covered has 2"),
        ({"id": "a", "turns": []}, "turns"),
        ({"id": "a", "turns": ["  "]}, "blank"),
        ({"id": "a", "turns": ["q"], "expected": {}}, "expected"),
    ]
    for obj, message in bad:
        with pytest.raises(DatasetError, match=message) as err:
            load_cases(_write(tmp_path, {"id": "z", "turns": ["fine"]}, obj))
        assert ":2:" in str(err.value)
    with pytest.raises(DatasetError, match="duplicate id"):
        load_cases(_write(tmp_path, {"id": "a", "turns": ["q"]}, {"id": "a", "turns": ["q"]}))
    with pytest.raises(DatasetError, match="invalid JSON"):
        load_cases(_write(tmp_path, "{nope"))


def test_shipped_dataset_is_large_and_varied() -> None:
    cases = load_cases(DATASET)
    assert len(cases) >= 36
    kinds = {c.kind for c in cases}
    assert {"article", "situation", "follow_up", "uncovered"} <= kinds
    multi = [c for c in cases if len(c.turns) > 1]
    assert len(multi) >= 8
    changing = [
        c
        for c in multi
        if any(
            c.approaches_at(i)
            and c.approaches_at(i - 1)
            and c.approaches_at(i)[0] != c.approaches_at(i - 1)[0]
            for i in range(1, len(c.turns))
        )
    ]
    assert len(changing) >= 6  # follow-ups that should change the decision
    assert sum(1 for c in cases for i in range(len(c.turns)) if not c.covered_at(i)) >= 8


# ------------------------------------------------------------------ runner on a scripted advisor


def _reply(
    answer: str,
    citations: dict[int, tuple[str, str]],
    *,
    covered: bool = True,
    approach: str = "rag",
    removed: int = 0,
) -> SimpleNamespace:
    cites = [
        SimpleNamespace(n=n, doc_id=doc, title="T", section="", text=text, start=0, end=len(text))
        for n, (doc, text) in citations.items()
    ]
    return SimpleNamespace(
        answer=answer,
        citations=cites,
        covered=covered,
        recommendation=SimpleNamespace(approach=approach),
        invalid_citations_removed=removed,
        timings_ms={"retrieve": 1.0},
    )


def test_evaluate_on_scripted_replies() -> None:
    cases = [
        AnswerCase.model_validate(
            {
                "id": "c1",
                "kind": "follow_up",
                "turns": ["docs change weekly", "and JSON"],
                "expect": {"approach_after_each_turn": ["rag", "hybrid"], "cites_doc": ["doc-a"]},
            }
        ),
        AnswerCase.model_validate(
            {"id": "u1", "kind": "uncovered", "turns": ["lasagna?"], "expect": {"covered": False}}
        ),
        AnswerCase.model_validate({"id": "c2", "turns": ["what is RAG best at?"]}),
    ]
    script = {
        "docs change weekly": _reply(
            "RAG reflects updates immediately [1].", {1: ("doc-a", FRESH)}
        ),
        "and JSON": _reply(
            "Fine-tuning gives stable formatting [1]. Bananas tango purple [1]. Ghost [4].",
            {1: ("doc-b", FORMAT)},
            approach="rag",
            removed=2,
        ),
        "lasagna?": _reply("Not covered.", {}, covered=False, approach="prompting"),
        "what is RAG best at?": _reply("Not covered.", {}, covered=False),
    }
    seen: list[list[str]] = []

    def ask(messages):
        seen.append([m.role for m in messages])
        return script[messages[-1].content]

    docs = {"doc-a": FRESH, "doc-b": "something else entirely"}
    m = evaluate(cases, ask, documents=docs)
    # the follow-up carries the conversation with the advisor's answer as an assistant turn
    assert seen[1] == ["user", "assistant", "user"]
    assert m["n"] == 3 and m["turns"] == 4
    assert m["citation_validity"] == pytest.approx(3 / 4)
    assert m["citation_verbatim"] == pytest.approx(1 / 2)  # doc-b's citation is not in doc-b
    assert m["citation_support"] == pytest.approx(2 / 3)
    assert m["abstention_rate"] == 1.0
    assert m["false_abstention_rate"] == pytest.approx(1 / 3)
    assert m["approach_accuracy"] == pytest.approx(1 / 2)
    assert m["approach_accuracy_on_change"] == 0.0
    assert m["source_cited"] == 0.0  # the last reply of c1 cites doc-b only
    assert m["invalid_citations_removed"] == 2
    assert m["uncovered_citations"] == 0
    assert len(m["latencies_ms"]) == 4 and m["stage_ms_p50"] == {"retrieve": 1.0}
    ids = {(f["id"], f["turn"]) for f in m["failures"]}
    assert {("c1", 2), ("c2", 1)} <= ids and ("u1", 1) not in ids
    json.dumps({k: v for k, v in m.items()})
    text = format_report(m)
    assert "citation validity  0.750" in text and "recommended rag, expected hybrid" in text


def test_evaluate_on_the_real_advisor(shared_settings) -> None:
    from advisor.knowledge.documents import load_folder
    from advisor.service import Advisor

    advisor = Advisor(shared_settings)
    cases = [c for c in load_cases(DATASET) if c.id in {"s01", "m01", "u01", "a04"}]
    docs = {d.id: d.text for d in load_folder(shared_settings.knowledge_dir).documents}
    m = evaluate(cases, advisor.ask, documents=docs)
    assert m["citation_validity"] == 1.0
    assert m["citation_verbatim"] == 1.0
    assert m["uncovered_citations"] == 0
    assert m["abstention_rate"] == 1.0
    assert m["invalid_citations_removed"] == 0


# ------------------------------------------------------------------ does the answer answer?


def test_answer_found_in_the_first_500_characters_normalised() -> None:
    sentence = "That’s 3-5 additional steps adding cost and latency at every request."
    lead = "“That's 3–5 additional   steps adding cost and latency at every request.” [1]"
    assert answer_found(lead, [sentence])  # curly quotes, dashes and spaces folded
    late = "x" * (LEAD_CHARS - 20) + lead
    assert not answer_found(late, [sentence])  # it must lie wholly inside the first 500
    assert answer_found(late, [sentence], within=None)
    assert not answer_found("Recommendation: RAG (confidence 36%).", [sentence])


def test_quotes_and_what_makes_one_fit() -> None:
    answer = ("“If the answer to the second is yes, consider fine-tuning.” [2] and "
              "“RAG wins when the information changes often.” [1][3]")
    assert quotes(answer) == [("If the answer to the second is yes, consider fine-tuning.", [2]),
                              ("RAG wins when the information changes often.", [1, 3])]
    assert not stands_alone("If the answer to the second is yes, consider fine-tuning.")
    assert not stands_alone("That is often premature.")
    assert stands_alone("Most teams skip this step and lose three months.")
    question = [("We have 200 pages of API docs updated every two weeks. Should we fine-tune "
                 "Llama on the docs?")]
    # the example: points at questions the reader never saw
    assert not quote_fits("If the answer to the second is yes, consider fine-tuning.", question,
                          "rag")
    # about the recommended approach, and freshness in other words
    assert quote_fits("RAG wins when the information changes often.", question, "rag")
    # shares no topic with the question and is about another approach
    assert not quote_fits("Fine-tuning locks you into a model.", question, "rag")
    # with nothing known about the case there is no recommendation to bear on
    assert not quote_fits("RAG is strongest when the real problem is access to the right context.",
                          ["What does catastrophic forgetting mean?"], None)


def test_lead_answer_rate_and_quote_relevance_in_evaluate() -> None:
    cases = [
        AnswerCase.model_validate({"id": "k1", "kind": "knowledge",
                                   "turns": ["how many steps does each request take?"],
                                   "expect": {"answers": ["Retrieval adds three steps."]}}),
        AnswerCase.model_validate({"id": "k2", "kind": "knowledge", "turns": ["why chunking?"],
                                   "expect": {"answers": ["Chunking matters most."]}}),
    ]
    script = {
        "how many steps does each request take?": _reply(
            "“Retrieval adds three steps. Each request waits.” [1]",
            {1: ("d", "Retrieval adds three steps. Each request waits.")}),
        "why chunking?": _reply("**Recommendation: RAG** “That is why.” [1]",
                                {1: ("d", "That is why.")}),
    }
    m = evaluate(cases, lambda messages: script[messages[-1].content])
    assert m["knowledge_questions"] == 2
    assert m["lead_answer_rate"] == 0.5 and m["answer_anywhere_rate"] == 0.5
    assert m["quotes"] == 2 and m["quote_relevance"] == 0.5  # "That is why." does not stand alone
    assert any("first 500 characters" in p for f in m["failures"] for p in f["problems"])
    assert "leads with the answer 0.500 of 2" in format_report(m)


def test_shipped_knowledge_questions_carry_verbatim_answers() -> None:
    from advisor.config import SHIPPED_KNOWLEDGE
    from advisor.knowledge.documents import load_folder

    texts = [normalize(d.text) for d in load_folder(SHIPPED_KNOWLEDGE).documents]
    knowledge = [c for c in load_cases(DATASET) if c.expect.answers]
    assert sum(1 for c in knowledge if c.kind == "knowledge") >= 40
    questions = {normalize(c.turns[-1]) for c in knowledge}
    assert len(questions) == len(knowledge)  # all different
    for case in knowledge:
        for sentence in case.expect.answers:
            assert any(normalize(sentence) in t for t in texts), (case.id, sentence)
            assert normalize(sentence) not in normalize(case.turns[-1])  # not a copy of it


def test_a_knowledge_question_in_the_question_bank_form(tmp_path: Path) -> None:
    path = tmp_path / "k.jsonl"
    path.write_text(json.dumps({"id": "q1", "question": "How many steps?", "doc": "a",
                                "answers": ["Three steps."]}) + "\n", encoding="utf-8")
    (case,) = load_cases(path)
    assert (case.kind, case.turns, case.expect.answers, case.expect.cites_doc) == (
        "knowledge", ["How many steps?"], ["Three steps."], ["a"])
    assert case.covered_at(0) and case.approaches_at(0) == []
