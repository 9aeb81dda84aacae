"""Offline, deterministic extraction of a Situation from free text: the patterns, the learned
reader over a sentence encoder, numbers and units.

May import: ``advisor.schemas``, ``advisor.decision`` (the follow-up questions' fields).

``extract_situation`` is loaded on first use, so that importing a light submodule (``numbers``,
``quantities``: the retriever reads example counts with them) does not build the whole
extractor and the decision schemas (about 0.3 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.extraction.offline import extract_situation

__all__ = ["extract_situation"]


def __getattr__(name: str) -> Any:
    if name == "extract_situation":
        from advisor.extraction.offline import extract_situation

        return extract_situation
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
