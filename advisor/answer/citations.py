"""Checking ``[n]`` markers against the passages that were actually supplied."""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\d{1,3})\]")


def validate_markers(answer: str, valid: set[int]) -> tuple[str, int]:
    """Remove markers that point at no supplied passage; return the answer and how many went."""
    removed = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal removed
        if int(match.group(1)) in valid:
            return match.group(0)
        removed += 1
        return ""

    cleaned = MARKER.sub(keep, answer)
    if removed:
        cleaned = re.sub(r"[ \t]+([.,;:!?])", r"\1", cleaned)
        cleaned = re.sub(r"[ \t]{2,}", " ", cleaned)
    return cleaned, removed


def cited_numbers(answer: str) -> list[int]:
    """Marker numbers in order of first use."""
    seen: list[int] = []
    for m in MARKER.finditer(answer):
        n = int(m.group(1))
        if n not in seen:
            seen.append(n)
    return seen
