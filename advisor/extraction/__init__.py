"""Offline, deterministic extraction of a Situation from free text."""

from advisor.extraction.offline import extract_situation

__all__ = ["extract_situation"]
