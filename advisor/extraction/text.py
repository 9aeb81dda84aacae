"""Text plumbing for extraction: normalisation, sentences, clauses, negation scope,
and dropping instructions addressed to the advisor (prompt injection)."""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2013": " - ", "\u2014": " - ", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
        "\u2192": " -> ",
    }
)  # fmt: skip


def normalize(text: str) -> str:
    """NFKC, straight quotes, spaced dashes, lower case, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).lower()
    text = re.sub(r"[ \t]+", " ", text)
    return text.strip()


# Sentence ends: . ! ? ; or a newline, but not inside numbers (1.5), common
# abbreviations (e.g., i.e., vs., etc.) or version strings.
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|vs|etc|approx|incl|no)\.$")


def _split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in re.finditer(r"[.!?;]+(?=\s|$)|\n+", text):
        candidate = text[start : match.end()]
        if match.group().startswith(".") and _ABBREVIATIONS.search(candidate.rstrip()):
            continue
        parts.append(candidate)
        start = match.end()
    parts.append(text[start:])
    return parts


def sentences(text: str) -> list[str]:
    """Sentences of `text`; a parenthetical aside with its own punctuation is a separate
    sentence (asides often carry injected instructions)."""
    asides: list[str] = []

    def lift(match: re.Match[str]) -> str:
        asides.append(match.group(1))
        return " "

    body = re.sub(r"\(([^()]*[.!?:][^()]*)\)", lift, text)
    out: list[str] = []
    for chunk in [body, *asides]:
        for piece in _split_sentences(chunk):
            piece = piece.strip(" \n\t-")
            if piece:
                out.append(piece)
    return out


_CLAUSE_BREAK = re.compile(
    r",|;|:|\(|\)|\s-\s|\bbut\b|\bhowever\b|\balthough\b|\bthough\b|\bwhereas\b|\bwhile\b"
    r"|\byet\b|\band\b|\bso\b|\bbecause\b|\bexcept\b|\bplus\b"
)


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of `sentence` containing the span [start, end)."""
    left = 0
    for match in _CLAUSE_BREAK.finditer(sentence, 0, start):
        left = match.end()
    right_match = _CLAUSE_BREAK.search(sentence, end)
    right = right_match.start() if right_match else len(sentence)
    return left, right


# "zero-shot" (a way of prompting) is no negation
NEGATION_BEFORE = re.compile(
    r"\b(no|not|never|without|none|nobody|no one|zero(?![- ]shot)|nothing|neither|nor|lack|lacking|"
    r"don't|doesn't|didn't|isn't|aren't|wasn't|weren't|won't|can't|cannot|shouldn't|"
    r"haven't|hasn't|do not|does not|did not|is not|are not|will not|can not|need not|"
    r"no need|no longer)\b"
)
NEGATION_AFTER = re.compile(
    r"^[\s\"']*(?:(?:is|are|was|were)\s+)?(?:not|n't|never|isn't|aren't)\s+(?:really\s+)?"
    r"(?:needed|required|necessary|important|involved|relevant|a\s+(?:concern|priority|"
    r"requirement|factor|issue|problem|thing))"
    r"|^[\s\"']*(?:doesn't|don't|does not|do not)\s+(?:really\s+)?(?:matter|apply|count)"
    r"|^[\s\"']*(?:is|are)\s+(?:irrelevant|optional|unnecessary|not\s+needed|a\s+non-issue)"
)


# A negated verb of compliance with a given requirement says the model misses it, not that there
# is none: "it doesn't reliably hit our strict format" states a strict format, "it does not stay on
# topic" a need to; "it doesn't follow a script" still says there is no script.
_MISSES = re.compile(
    r"^\s*(?:(?:reliably|always|consistently|quite|properly|really|even)\s+)?"
    r"(?:(?:hit|meet|follow|respect|match|obey|honou?r|keep\s+to|stick\s+to|comply\s+with|"
    r"conform\s+to|adhere\s+to)\s+(?:our|the|its|their|your|this|that|these|those)\b"
    r"|stay\s+(?:within|inside|on[- ]topic|on[- ]brand|in\s+(?:character|scope|role)))"
)


# ... but "need not follow our template", "no need to", "shouldn't follow it" say it is not required.
# "It can't follow our template" is a miss like "it doesn't follow our template", so can't is no
# denial here.
_NOT_REQUIRED = re.compile(r"need not|no need|shouldn't|should not")
_DEMAND_BEFORE = re.compile(r"\b(?:should|must|need|needs)\s+$")


def negated(sentence: str, start: int, end: int, window_words: int = 6) -> bool:
    """Whether the match [start, end) is negated within its clause."""
    left, right = clause_bounds(sentence, start, end)
    before = " ".join(sentence[left:start].split()[-window_words:])
    negations = list(NEGATION_BEFORE.finditer(before))
    if negations:
        last = negations[-1]  # the negation nearest the match
        denies_requirement = bool(
            _NOT_REQUIRED.fullmatch(last.group(0)) or _DEMAND_BEFORE.search(before[: last.start()])
        )
        if denies_requirement or not _MISSES.search(f"{before[last.end():]} {sentence[start:right]}"):
            return True
    return bool(NEGATION_AFTER.search(sentence[end:right]))


_INJECTION = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b[^.]{0,40}\b(instructions?|rules|prompts?|"
    r"above|previous|prior|everything|guidelines|system|context)\b"
    r"|\b(must|should|will|have to|are to|need to|please|just)\s+(answer|recommend|say|respond|"
    r"output|reply|pick|choose|return|classify)\s+(with\s+|as\s+)?[\"']?(fine[ _-]?tun\w*|rag|"
    r"prompting|hybrid|tool[ _-]?calling)\b"
    r"|\b(recommend|answer|output|respond with|reply with|return|say|choose|pick)\s*[:\"']*\s*"
    r"(fine[ _-]?tun\w*|rag|prompting|hybrid|tool[ _-]?calling)\b\s*[\"'.!]*\s*$"
    r"|\b(note|message|attention|instruction)s?\s+(to|for)\s+(the\s+)?(ai|llm|model|assistant|"
    r"advisor|bot|classifier)\b"
    r"|\bif you(?:'re| are) an? (ai|llm|language model|assistant|bot)\b"
    r"|\bthe (correct|right|expected) (answer|label|output|recommendation) is\b"
    r"|^\s*(system|assistant)\s*:"
    r"|\bnew instructions?\b|\bjailbreak\b"
)


def is_instruction_to_advisor(sentence: str) -> bool:
    """True for text addressed to the advisor rather than describing the situation."""
    return bool(_INJECTION.search(sentence))


_NO_VALUE = (
    r"no|none|n/a|na|not needed|not required|not necessary|not applicable|nope|false|zero|0|"
    r"not really|no need|nil|not important|irrelevant"
)
_YES_VALUE = (
    r"yes|required|needed|must|mandatory|true|critical|important|a must|essential|yes please"
)
_INLINE_NO = re.compile(rf"(^|[,;(]\s*)([a-z][\w /'&+-]{{1,40}}?)\s*:\s*(?:{_NO_VALUE})\b")
_INLINE_YES = re.compile(rf"(^|[,;(]\s*)([a-z][\w /'&+-]{{1,40}}?)\s*:\s*(?:{_YES_VALUE})\b")
_KEY_VALUE = re.compile(r"^([a-z][\w /'&+()-]{1,40}?)\s*:\s*(\S.*)$")


def rewrite_key_values(sentence: str) -> str:
    """Form-style facts as prose: "citations: no" -> "no citations", "citations: required" ->
    "citations required", "update frequency: weekly" -> "update frequency weekly"."""
    sentence = _INLINE_NO.sub(lambda m: f"{m.group(1)}no {m.group(2)}", sentence)
    sentence = _INLINE_YES.sub(lambda m: f"{m.group(1)}{m.group(2)} required", sentence)
    match = _KEY_VALUE.match(sentence)
    if match and len(match.group(1).split()) <= 5:
        sentence = f"{match.group(1)} {match.group(2)}"
    return sentence


def situation_sentences(text: str) -> list[str]:
    """Normalised sentences that describe the situation (instructions to the advisor dropped,
    form-style "key: value" lines turned into prose)."""
    return [
        rewrite_key_values(s)
        for s in sentences(normalize(text))
        if not is_instruction_to_advisor(s)
    ]
