"""Numbers as teams write them: "40,000", "5k", "10M", "1.5 million", "fifteen",
"a few hundred", "tens of thousands", "a dozen"."""

from __future__ import annotations

import re

WORD_VALUES: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a": 1, "an": 1, "a single": 1, "single": 1,
}  # fmt: skip

SCALES: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9,
    "k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9,
}  # fmt: skip

# Vague quantities: a representative value for each.
VAGUE: dict[str, float] = {
    "tens of millions": 3e7,
    "hundreds of millions": 3e8,
    "tens of thousands": 3e4,
    "hundreds of thousands": 3e5,
    "a few hundred": 300, "a couple hundred": 200, "a couple of hundred": 200,
    "several hundred": 500, "many hundreds": 500,
    "a few thousand": 3000, "a couple thousand": 2000, "a couple of thousand": 2000,
    "several thousand": 5000, "many thousands": 5000,
    "a few million": 3e6, "a couple million": 2e6, "a couple of million": 2e6,
    "several million": 5e6,
    "half a million": 5e5, "half a billion": 5e8,
    "a few dozen": 36, "a couple dozen": 24, "a couple of dozen": 24, "several dozen": 60,
    "dozens": 36, "a dozen": 12, "hundreds": 300, "thousands": 3000, "millions": 2e6,
    "billions": 2e9, "a handful": 5, "a handful of": 5, "a few": 3, "a couple": 2,
    "a couple of": 2, "several": 5, "a hundred": 100, "a thousand": 1000, "a million": 1e6,
}  # fmt: skip

_WORD = "|".join(
    sorted((w for w in WORD_VALUES if " " not in w and len(w) > 2), key=len, reverse=True)
)
_VAGUE = "|".join(re.escape(v) for v in sorted(VAGUE, key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


def number_pattern(group: str = "n") -> str:
    """Regex for one number phrase, captured in the named group `group`."""
    return (
        rf"(?<![\w])(?<![a-z]-)(?P<{group}>"  # not a name's number ("gpt-4", "llama-3")
        rf"(?:{_DIGITS})\s*(?:k|mm|mn|m|bn)\b"
        rf"|(?:{_DIGITS})\s+(?:hundred|thousand|million|billion)s?\b"
        rf"|(?:{_WORD})\s+(?:hundred|thousand|million|billion)s?\b"
        rf"|(?:{_VAGUE})\s+(?:thousand|million|billion)\b"  # "a few hundred thousand"
        rf"|(?:{_VAGUE})\b"
        rf"|(?:{_DIGITS})(?![\d,])"
        rf"|\b(?:{_WORD})\b"
        r")"
    )


NUMBER = number_pattern("n")
NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """Value of one number phrase (as matched by NUMBER), or None."""
    phrase = " ".join(text.lower().replace("~", "").split())
    if phrase in VAGUE:
        return float(VAGUE[phrase])
    head, _, scale = phrase.rpartition(" ")
    if head in VAGUE and scale in ("thousand", "million", "billion"):
        return float(VAGUE[head] * SCALES[scale])
    match = re.fullmatch(rf"({_DIGITS}|{_WORD})\s*([a-z]+)?s?", phrase)
    if match is None:
        return None
    head, scale = match.group(1), match.group(2)
    value = WORD_VALUES.get(head)
    if value is None:
        value = float(head.replace(",", ""))
    if scale:
        scale = scale.rstrip("s") if scale.rstrip("s") in SCALES else scale
        if scale not in SCALES:
            return None
        value *= SCALES[scale]
    return float(value)


def first_number(text: str) -> float | None:
    match = NUMBER_RE.search(text)
    return parse_number(match.group("n")) if match else None
