"""Numbers with units: labeled examples, request volume, latency, knowledge size,
instruction length and model size."""

from __future__ import annotations

import re

from advisor.extraction.lexicon import FRAGMENTS
from advisor.extraction.numbers import NUMBER, number_pattern, parse_number

_N = NUMBER  # one number phrase, group "n"

# ---- request volume -------------------------------------------------------------------
PER_DAY: dict[str, float] = {
    "second": 86_400, "sec": 86_400, "s": 86_400, "minute": 1_440, "min": 1_440,
    "hour": 24, "hr": 24, "h": 24, "day": 1, "d": 1, "week": 1 / 7, "wk": 1 / 7,
    "month": 1 / 30, "mo": 1 / 30, "year": 1 / 365, "yr": 1 / 365,
    "daily": 1, "weekly": 1 / 7, "monthly": 1 / 30, "hourly": 24, "nightly": 1,
    "yearly": 1 / 365, "annually": 1 / 365, "qps": 86_400, "rps": 86_400, "tps": 86_400,
}  # fmt: skip
_NOT_VOLUME = re.compile(
    r"\b(times?|x|percent|examples?|labell?ed|pairs?|samples?|annotated|dollars?|usd|eur|gbp|"
    r"hours? of|years?|months?|weeks?|days?|tokens?|words?|pages?|steps?)\b|%"
)
_VOLUME = re.compile(
    rf"{_N}\+?\s*(?P<noun>(?:[a-z][\w'/&-]*\s+){{0,4}}?(?:[a-z][\w'&-]*)?)\s*"
    r"(?:(?:per|an?|each|every)\s+|/\s*)(?P<unit>second|sec|minute|min|hour|hr|day|week|wk|"
    r"month|mo|year|yr)s?\b|"
    rf"{number_pattern('n4')}\+?\s*(?P<noun4>(?:[a-z][\w'&-]*\s+){{0,3}}?(?:[a-z][\w'&-]*)?)/(?P<unit4>s|h|d)\b"
    rf"|{number_pattern('n2')}\+?\s*(?P<noun2>(?:[a-z][\w'&-]*\s+){{0,2}}?)(?P<unit2>daily|weekly|monthly|hourly|"
    r"nightly|yearly|annually)\b"
    rf"|{number_pattern('n3')}\s*(?P<unit3>qps|rps|tps)\b"
)
_VOLUME_QUALITATIVE: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        re.compile(
            r"\b(low|tiny|small|minimal) (volume|traffic)|volume is (tiny|low|small|minimal)"
            r"|(a )?handful of (requests|queries|users)|occasional(ly)? (use|requests)"
        ),
        50.0,
    ),
    (
        re.compile(
            r"\b(massive|huge|enormous|very high|high) (volume|traffic|scale)|at massive scale"
        ),
        500_000.0,
    ),
)
_USERS = re.compile(
    rf"(?:team of|used by|for|serving|serves|with)\s+(?:about |around |~)?{_N}\s+(?:internal\s+)?"
    r"(?:people|users|employees|analysts|agents|reps|staff|clinicians|lawyers|engineers|members|"
    r"technicians|managers|adjusters|dispatchers|recruiters|nurses|doctors)\b"
)


def requests_per_day(sentences: list[str]) -> float | None:
    best: float | None = None
    for sentence in sentences:
        for match in _VOLUME.finditer(sentence):
            start = match.start()
            if start > 0 and sentence[max(0, start - 2) : start].strip().endswith(("$", "€", "£")):
                continue
            noun = match.group("noun") or match.group("noun2") or match.group("noun4") or ""
            if _NOT_VOLUME.search(noun):
                continue
            before = sentence[max(0, start - 12) : start]
            if re.search(r"\b(every|in|for|over|last|past|within)\s*$", before):
                continue
            value = parse_number(match.group("n") or match.group("n2") or match.group("n3")
                                 or match.group("n4"))
            unit = (match.group("unit") or match.group("unit2") or match.group("unit3")
                    or match.group("unit4"))
            if value is None or unit is None:
                continue
            daily = value * PER_DAY[unit]
            best = daily if best is None else max(best, daily)
    if best is not None:
        return round(best, 3)
    joined = " ".join(sentences)
    for pattern, value in _VOLUME_QUALITATIVE:
        if pattern.search(joined):
            return value
    users = [parse_number(m.group("n")) for m in _USERS.finditer(joined)]
    known = [u for u in users if u is not None]
    return float(max(known) * 5) if known else None


# ---- labeled examples -----------------------------------------------------------------
# What a count of labelled examples counts (also what ``advisor.search.count_match`` reads in passages).
EXAMPLE_NOUN = (
    r"(?:examples?|samples?|pairs?|demonstrations?|shots|training (?:examples|data points|rows|"
    r"records|data))"
)
_ARTIFACT_NOUN = (
    r"(?:transcripts?|conversations?|chats?|chat logs?|logs|dialogues?|replies|responses|"
    r"summaries|descriptions|memos|captions|reviews|lines|messages|letters|answers|outputs|"
    r"translations|emails|tickets|posts|pieces|articles written|precedents|comments|"
    r"review comments|proposals|scripts|stories|sessions|utterances|queries|notes|drafts|"
    r"extractions|annotations|completions|articles|essays|cases)"
)
_RECORD_NOUN = (
    r"(?:documents|docs|records|notes|reports|contracts|clauses|invoices|manifests|forms|"
    r"claims|codes|cases|calls|queries|questions|emails|tickets|messages|reviews)"
)
_LABEL_ADJ = (
    r"(?:labell?ed|annotated|hand[- ]labell?ed|hand[- ]written|tagged|coded|verified|curated|"
    r"approved|corrected|hand[- ]corrected|gold|graded|validated|scripted|resolved|sent|"
    r"written|published|finished|formatted|logged|historical|past|example|training|"
    r"before/after|input/output|input-output|q&a|question[- ]answer|paired|reviewed|"
    r"human[- ]written|expert[- ]written|edited|completed|filled|filled[- ]in|processed|handled|"
    r"closed|answered|successful|accepted|real)"
)
_STRONG_LABEL_ADJ = (
    r"(?:labell?ed|annotated|hand[- ]labell?ed|tagged|verified|hand[- ]corrected|corrected|gold|"
    r"graded|validated|human[- ]labell?ed|expert[- ]labell?ed|coded)"
)
_OWN = re.compile(
    r"\b(have|has|had|got|there are|exists?|available|collected|logged|saved|archived|written by|"
    r"to learn from|to train on|trained on|train on|fine[- ]tuned on|learn from|we like|from our|"
    r"from the last|historical|past|previous|existing|years of|on file|in our archive)\b"
)
_EXAMPLES = (
    re.compile(rf"{_N}\+?\s*(?:[\w'/&-]+\s+){{0,3}}?{EXAMPLE_NOUN}\b"),
    re.compile(
        rf"{_N}\+?\s*(?:[\w'/&-]+\s+){{0,2}}?{_LABEL_ADJ}\s+(?:[\w'/&-]+\s+){{0,1}}?"
        rf"(?:{_RECORD_NOUN}|{_ARTIFACT_NOUN})\b"
    ),
    # "80k analyst-labelled mappings", "400k bookkeeper-corrected assignments"
    re.compile(rf"{_N}\+?\s*(?:[\w'/&-]+\s+){{0,1}}?(?:[a-z]+-)?{_STRONG_LABEL_ADJ}\s+[a-z][\w'-]*"),
    re.compile(
        rf"(?:labell?ed|annotated|tagged|coded|collected|curated|wrote|written|"
        rf"hand[- ]labell?ed|graded)\s+(?:around |about |roughly |~|some |only |just )?"
        rf"{_N}\s+(?:[\w'-]+\s+){{0,1}}?(?:{_RECORD_NOUN}|{_ARTIFACT_NOUN}|{EXAMPLE_NOUN})"
    ),
    re.compile(
        rf"(?:{EXAMPLE_NOUN}|{_ARTIFACT_NOUN})\s*\(\s*(?:~|about |around |roughly )?{_N}"
        r"\s*\)"
    ),
    re.compile(
        rf"(?:labell?ed|annotated|training|example|gold)\s+(?:{EXAMPLE_NOUN}|data|set|"
        rf"pairs)\s*(?:[:=~]|of|about|around|roughly|approximately|is|are)?\s*(?:about |around |"
        rf"~)?{_N}"
    ),
)
# "of which 3,000 are labelled", "1,500 of the claims are coded by adjusters", "4,000 rows are
# labelled by hand": the labelled part of a collection, which is what there is to train on
_PART_LABELLED = re.compile(
    rf"{_N}\+?\s*(?!(?:categories|classes|labels|queues|types|fields|columns|intents|topics|tags|"
    rf"codes|departments|teams|people|staff)\b)"
    rf"(?:of (?:the|our|them|these|those)\b\s*(?:[\w'-]+\s+){{0,2}}?)?(?:[\w'-]+\s+){{0,1}}?"
    r"(?:are|were|have been|has been|is|was)\s+(?:already\s+|all\s+|now\s+|manually\s+|each\s+)?"
    r"(?:hand[- ])?(?:labell?ed|annotated|tagged|coded|graded|classified|categori[sz]ed)\b"
)
# A count of records each paired with its output, or outputs people wrote or checked: training
# pairs whatever their noun ("6,000 stays, each paired with the discharge summary", "9,000
# write-ups with their correct coded records", "10,000 before/after citation corrections",
# "25,000 reports our editors wrote and fixed"); not a count of pages, users or documents.
_W = r"(?:[\w'/&-]+\s+)"
_NOT_PAIRED_NOUN = (
    r"(?!(?:pages?|documents?|docs|articles?|policies|manuals?|files?|tokens?|words?|faqs?|sops?|"
    r"guides?|handbooks?|wikis?|users?|customers?|employees?|people|staff|stores?|sites?|"
    r"clients?|from|of|in|on|at|to|for|by|with|and|or)\b)"
)
_PAIRED = re.compile(
    rf"{number_pattern('n')}\+?\s*{_W}{{0,3}}?{_NOT_PAIRED_NOUN}[a-z][\w'/-]*\s*,?\s*"
    r"(?:each |all |every one )?(?:paired|matched|aligned|linked) (?:with|to)\b"
    rf"|{number_pattern('n2')}\+?\s*{_W}{{0,3}}?{_NOT_PAIRED_NOUN}[a-z][\w'/-]*\s+(?:with|and) "
    r"(?:their|the|its) (?:correct|original|approved|final|matching|expected|corrected|gold|"
    r"accepted|reviewed|coded|verified)\b"
    rf"|{number_pattern('n3')}\+?\s*{_W}{{0,2}}?{_NOT_PAIRED_NOUN}[a-z][\w'/-]*\s+(?:that |which )?"
    rf"(?:our|the|their|his|her) {_W}{{0,2}}?(?:wrote|fixed|corrected|approved|reviewed|annotated|"
    r"edited|graded|labell?ed|checked|signed off)\b"
    rf"|{number_pattern('n4')}\+?\s*{_W}{{0,1}}?(?:before/after|before-and-after|input/output|"
    r"input-output|source/target|question/answer|q/a)\s+\w+"
)
_ARTIFACTS_OWNED = re.compile(rf"{_N}\+?\s*(?:[\w'/&-]+\s+){{0,2}}?{_ARTIFACT_NOUN}\b")
_YEARS_OF = re.compile(
    rf"(?:{_N}|\ba|\ban)\s+(?:full |whole )?(?:years?|months?) of (?:[\w'-]+ ){{0,2}}(?:transcripts|"
    r"tickets|precedents|logs|chat logs|emails|conversations|data|examples|records|outputs|"
    r"reports|summaries|comments|messages|chats|calls|interactions|replies)"
)
_LOTS_OF = re.compile(
    r"\b(lots|plenty|a lot|tons|loads|heaps|a large (?:set|number|dataset|corpus|archive)|"
    r"a big (?:archive|dataset|set|pile)|a huge (?:archive|dataset|set|pile))\s+of\s+"
    rf"(?:[\w/-]+\s+){{0,3}}?(?:{EXAMPLE_NOUN}|{_ARTIFACT_NOUN}|labell?ed data|training data)\b"
)
_NO_EXAMPLES = re.compile(
    r"\b(no|zero|without|don't have any|do not have any|don't have|do not have|lack|lacking|"
    r"nothing|none of|haven't got any|have no|(?:haven't|have not|never) (?:collected|gathered|"
    r"built|labell?ed|annotated|created) any)\s+(?:\w+\s+){0,2}?(labell?ed|training|annotated|"
    r"examples?|pairs|ground[- ]truth|gold|curated)\b"
)
_NEEDED = re.compile(
    r"\b(?:need|needs|needed|require|requires|required|requiring|demand|demands|take|takes)\s+"
    r"(?:at least\s+|about\s+|around\s+|roughly\s+|some\s+|maybe\s+)?$"
)
_VOLUME_AFTER = re.compile(
    r"^\s*(?:[\w'-]+\s+){0,2}?(?:(?:per|an?|each|every)\s+|/\s*)"
    r"(?:second|minute|hour|day|week|month|year)\b|^\s*(?:daily|weekly|"
    r"monthly|hourly)\b"
)

_VOLUME_INSIDE = re.compile(
    r"\b(?:per|a|an|each|every)\s+(?:second|minute|hour|day|week|month|year)\b|"
    r"\b(?:daily|weekly|monthly|hourly|nightly)\b"
)


def _corpus_named(sentence: str, start: int) -> bool:
    return bool(_CORPUS_OF.search(sentence[max(0, start - 60) : start]))


def labeled_examples(sentences: list[str]) -> int | None:
    found: list[float] = []
    part: list[float] = []  # the labelled part of a collection counted elsewhere
    zero = False
    for sentence in sentences:
        if _NO_EXAMPLES.search(sentence):
            zero = True
        owned = bool(_OWN.search(sentence))
        evaluation = bool(_EVAL_USE.search(sentence))  # records kept to evaluate or train on
        patterns = [*_EXAMPLES, _PAIRED, *([_ARTIFACTS_OWNED] if owned else []),
                    *([_RECORDS_COUNTED] if evaluation else [])]
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                if pattern in (_RECORDS_COUNTED, _ARTIFACTS_OWNED) and _corpus_named(
                        sentence, match.start()):
                    continue  # "a knowledge base of 3,000 articles" is a corpus, not examples
                if _VOLUME_AFTER.search(sentence[match.end() :]) or (
                        pattern is _PAIRED and _VOLUME_INSIDE.search(match.group())):
                    continue  # "40,000 manifests a day" is volume, not data
                if re.search(r"\b(?:for|each|every|any|which)\s*$", sentence[: match.start()]):
                    continue  # "each one labelled with its component" counts no example
                if _NEEDED.search(sentence[: match.start()]):
                    continue  # "detectors need thousands of labelled logs": required, not owned
                groups = match.groupdict()
                value = parse_number(next(v for k in ("n", "n2", "n3", "n4") if (v := groups.get(k))))
                if value is not None:
                    found.append(value)
        for match in _PART_LABELLED.finditer(sentence):
            value = parse_number(match.group("n"))
            if value is not None and not _NEEDED.search(sentence[: match.start()]):
                part.append(value)
        for match in _YEARS_OF.finditer(sentence):
            found.append(5000.0)
        if _LOTS_OF.search(sentence):
            found.append(2000.0)
    if part:
        return int(max(part))  # "10,000 tickets, of which 3,000 are labelled": 3,000
    if found:
        return int(max(found))
    return 0 if zero else None


# ---- latency --------------------------------------------------------------------------
_TIME = re.compile(
    r"(?P<v>\d+(?:\.\d+)?|one|two|three|five|ten|half a)\s*[- ]?(?P<u>ms|milliseconds?|msecs?|"
    r"s|secs?|seconds?)\b"
)
_LATENCY_CUE = re.compile(
    r"\b(p\d{2}|latency|response times?|respond\w*|reply|replies|answer\w*|generated|return\w*|"
    r"budget|sla|slo|autocomplete|under|below|less than|within|sub|at most|fast|quick|"
    r"per (?:call|request|query|message)|time to first token|ttft)\b|<"
)
_NOT_LATENCY = re.compile(r"\b(every|training|train|takes? \d+ (?:hours|days)|ago)\b")
_SUBSECOND = re.compile(r"\bsub[- ]second|\b(?:under|within|less than|below) (?:a|one) second\b")
_WORD_SECONDS = {"one": 1.0, "two": 2.0, "three": 3.0, "five": 5.0, "ten": 10.0, "half a": 0.5}


def latency_ms(sentences: list[str]) -> float | None:
    found: list[float] = []
    for sentence in sentences:
        if not _LATENCY_CUE.search(sentence):
            continue
        for match in _TIME.finditer(sentence):
            window = sentence[max(0, match.start() - 30) : match.start()]
            if _NOT_LATENCY.search(window):
                continue
            raw = match.group("v")
            value = _WORD_SECONDS.get(raw) or float(raw)
            unit = match.group("u")
            found.append(value if unit.startswith("m") else value * 1000)
        if _SUBSECOND.search(sentence):
            found.append(1000.0)
    return min(found) if found else None


# ---- knowledge size, instruction length -------------------------------------------------
_TOKENS = re.compile(rf"{_N}\+?\s*[- ]?(?:k\s*)?tokens?\b")
_WORDS = re.compile(rf"{_N}\+?\s*[- ]?words?\b")
_PAGES = re.compile(rf"{_N}\+?\s*[- ]?(?:[a-z][\w-]*\s+){{0,2}}?pages?\b")
_DOCS = re.compile(
    rf"{_N}\+?\s*[- ]?(?:(?!(?:of|gb|mb|tb|kb|per|an?|the)\b)[a-z][\w-]*\s+){{0,2}}?"
    r"(?:documents|docs|articles|pdfs|files|manuals|contracts|policies|papers|judgments|filings|"
    r"spec sheets|sheets|entries|items|faqs|skus|products|machines|guides|tickets|abstracts|"
    r"books|textbooks|threads|wiki pages|proposals|patents|-?items?|reports|records|incidents|"
    r"lessons|leases|rulebooks|guidelines|regulations|standards|procedures|sops|"
    r"case files|precedents|write-?ups|transcripts|memos|circulars|notebooks|bulletins|"
    r"monographs|wordings|rulings|case studies|datasheets|data sheets|notes)\b"
    r"(?! (?:written by|to learn|as examples|formatted|from (?:our|the) (?:best|top)))"
)
# A sentence saying its counted items are there to evaluate or train on, or carry ground truth
# ("1,000 recent reports and radiologist-set ground truth for evaluation", "obligations
# extracted from 1,500 contracts that we can use for evaluation and training"): the count is of
# labelled items, not of a corpus to search.
_EVAL_USE = re.compile(
    r"\bground[- ]truth\b|\bgold(?:[- ]standard)? (?:labels?|answers?|annotations?|codes?)\b|"
    r"\b(?:use|used|using|keep|kept|set aside|hold out|held out)\b(?:\s+[\w',.-]+){0,3}\s+"
    r"(?:for|as) (?:an? )?(?:evaluation|evaluating|testing|training|eval|test set|training set|"
    r"benchmark)\b|\bfor (?:evaluation|evaluating)\b|\bgold[- ]standard\b|\btest (?:set|bed)\b"
)
# ... but a count named as a corpus is one, whatever else the sentence keeps for testing ("a
# test set of 200 questions and a corpus of 5,000 documents")
_CORPUS_OF = re.compile(
    r"\b(?:corpus|knowledge ?base|kb|library|archive|collection|repository|wiki) of\s+"
    r"(?:[\w~,.+-]+\s+){0,2}$"
)
# counted items the model is to label or classify are its input, not a corpus (cues.toml)
_ITEMS_TO_LABEL = re.compile(FRAGMENTS["_ITEMS_TO_LABEL"])
_RECORDS_COUNTED = re.compile(rf"{_N}\+?\s*(?:[\w'/&-]+\s+){{0,2}}?{_RECORD_NOUN}\b")
_PROMPT_CONTEXT = re.compile(r"\b(prompts?|instructions|system messages?|preambles?)\b")
# a token count that is itself a capacity ("a 128k token model", "1M token context windows",
# "limits prompts to a few hundred tokens", "once context windows hit 1M tokens") says how much
# fits, not how much knowledge there is; "a handbook of 200k tokens, beyond the context window"
# still counts
_CAPACITY_AFTER = re.compile(r"^[\s-]*(?:context|window|limit|models?\b)")
_CAPACITY_BEFORE = re.compile(
    r"(?:\bwindows? (?:of|hit|hits|reach|reaches|at)|\blimit\w* (?:[\w-]+ ){0,4}to|\blimited to|"
    r"\bcapped at|\bbudget of|\bup to)\s+(?:about |around |roughly |only |just |~|a few )?$"
)
_EXAMPLE_CONTEXT = re.compile(rf"\b{_LABEL_ADJ}\b")
_LABELLED_BEFORE = re.compile(rf"\b{_STRONG_LABEL_ADJ}\s+(?:about |around |roughly |some |over |~)?$")
PAGE_TOKENS = 600
WORD_TOKENS = 1.33
FITS_TOKENS = 50_000
LARGE_TOKENS = 100_000


def knowledge_numbers(sentences: list[str]) -> dict[str, int]:
    """knowledge_tokens / knowledge_documents / instruction_tokens as stated."""
    out: dict[str, int] = {}

    def keep(field: str, value: float) -> None:
        out[field] = max(out.get(field, 0), int(value))

    for sentence in sentences:
        for match in _TOKENS.finditer(sentence):
            value = parse_number(match.group("n"))
            if value is None:
                continue
            if "k" in match.group(0)[len(match.group("n")) :].split("token")[0]:
                value *= 1000
            before = sentence[max(0, match.start() - 40) : match.start()]
            if _CAPACITY_AFTER.search(sentence[match.end() :]) or _CAPACITY_BEFORE.search(before):
                continue
            around = sentence[max(0, match.start() - 40) : match.end() + 40]
            prompt = _PROMPT_CONTEXT.search(around)
            keep("instruction_tokens" if prompt else "knowledge_tokens", value)
        for match in _WORDS.finditer(sentence):
            value = parse_number(match.group("n"))
            if value is not None:
                keep("knowledge_tokens", value * WORD_TOKENS)
        if _ITEMS_TO_LABEL.search(sentence):
            continue  # the items to label or classify: the task's input, not a corpus
        for match in _PAGES.finditer(sentence):
            value = parse_number(match.group("n"))
            if value is not None:
                keep("knowledge_tokens", value * PAGE_TOKENS)
                if value >= 20:
                    keep("knowledge_documents", value)
        evaluation = bool(_EVAL_USE.search(sentence))
        paired = [m.span() for m in _PAIRED.finditer(sentence)]
        for match in _DOCS.finditer(sentence):
            if evaluation and not _corpus_named(sentence, match.start()):
                continue  # its counted items are examples to evaluate or train on, not a corpus
            if _VOLUME_AFTER.search(sentence[match.end() :]):
                continue
            if any(a <= match.start() < b for a, b in paired):
                continue  # "25,000 reports our editors wrote": training pairs, not a corpus
            if _EXAMPLE_CONTEXT.search(match.group(0)):
                continue
            if _LABELLED_BEFORE.search(sentence[max(0, match.start() - 30) : match.start()]):
                continue  # "annotated about 3,500 ..." are examples, not a corpus to search
            value = parse_number(match.group("n"))
            if value is not None:
                keep("knowledge_documents", value)
    return out


def knowledge_size_from_numbers(numbers: dict[str, int]) -> str | None:
    tokens = numbers.get("knowledge_tokens")
    documents = numbers.get("knowledge_documents")
    if (documents is not None and documents >= 100) or (
        tokens is not None and tokens > LARGE_TOKENS
    ):
        return "large"
    if tokens is not None and tokens <= FITS_TOKENS:
        return "fits_in_prompt"
    if documents is not None and documents <= 30:
        return "fits_in_prompt"
    return None


# ---- model size -----------------------------------------------------------------------
_PARAMS = re.compile(r"\b(?P<v>\d+(?:\.\d+)?)\s*b\b(?![- ]?(?:tokens|rows|records|requests|users))")
_MODEL_CONTEXT = re.compile(r"\b(model|llama|mistral|qwen|gemma|phi|param\w*|open|local|slm|llm)")


def model_params_billions(sentences: list[str]) -> float | None:
    for sentence in sentences:
        if not _MODEL_CONTEXT.search(sentence):
            continue
        match = _PARAMS.search(sentence)
        if match:
            return float(match.group("v"))
    return None


def model_size_from_params(params: float) -> str:
    if params <= 15:
        return "small"
    return "medium" if params <= 75 else "large"
