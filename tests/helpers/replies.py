"""A reply with every part filled, hostile text included, for the rendering and export tests."""

from __future__ import annotations

from advisor.schemas.decision import (
    Alternative,
    AntiPatternWarning,
    Evidence,
    FollowUpQuestion,
    Reason,
    Recommendation,
    Situation,
)
from advisor.schemas.reply import AdvisorReply, Citation

NASTY = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def citation(n: int, text: str, doc: str = "doc-a", title: str = "An <Article>",
             section: str = "Section & more") -> Citation:
    return Citation(n=n, chunk_id=f"{doc}:{n}", doc_id=doc, title=title, section=section,
                    text=text, start=10 * n, end=10 * n + len(text), score=0.5)


def make_reply(**overrides: object) -> AdvisorReply:
    rec = Recommendation(
        approach="rag",
        confidence=0.76,
        summary="RAG: the knowledge changes often & answers must cite sources.",
        reasons=[
            Reason(factor="knowledge_change_frequency",
                   statement="The knowledge changes weekly.",
                   evidence=[Evidence(doc_id="doc-a", quote="RAG reflects   that immediately")]),
            Reason(factor="needs_citations", statement="Answers must cite sources.",
                   evidence=[Evidence(doc_id="doc-z", quote="Uncited quote <b>here</b>")]),
        ],
        warnings=[AntiPatternWarning(code="w", message="Measure retrieval first.",
                                     evidence=[Evidence(doc_id="doc-b", quote="hit rate")])],
        next_steps=["Index the documents.", "Evaluate retrieval <carefully>."],
        follow_up_questions=[FollowUpQuestion(field="tone_requirement",
                                              question='Must answers keep a "brand" voice?',
                                              impact=0.5)],
        alternatives=[Alternative(approach="hybrid", condition="if a voice were required")],
    )
    data: dict[str, object] = {
        "answer": "**Recommendation: RAG** because [1] and [2]. Not a marker: [9]. `code [1]`",
        "citations": [
            citation(1, "If your knowledge base updates daily, RAG reflects that immediately."),
            citation(2, f"Measure the hit rate. {NASTY}\n\nSecond paragraph.", doc="doc-b"),
        ],
        "recommendation": rec,
        "situation": Situation(knowledge_change_frequency="weekly", needs_citations=True),
        "follow_up_questions": [q.question for q in rec.follow_up_questions],
        "changes": [],
        "covered": True,
        "model": "offline",
        "extraction": "offline",
    }
    data.update(overrides)
    return AdvisorReply.model_validate(data)
