"""The reader's vocabularies are data (advisor/extraction/cues.toml): a malformed entry fails
loudly, naming the cue, instead of silently reading nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.extraction.lexicon import ALL_CUES, CUES_PATH, GROUPS, VocabularyError, load_cues

GOOD = """
[fragments]
NOUN = '''(?:docs|wiki)'''
BOTH = '''${NOUN} pages'''

[[cue]]
group = "knowledge"
field = "knowledge_change_frequency"
value = "weekly"
patterns = ['''weekly''']
needs_in_clause = '''${BOTH}'''
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cues.toml"
    path.write_text(text)
    return path


def test_the_shipped_file_loads_every_group() -> None:
    cues = load_cues(CUES_PATH)
    assert set(cues) == set(GROUPS) and all(cues[g] for g in GROUPS)
    assert sum(map(len, cues.values())) == len(ALL_CUES)


def test_fragments_expand_inside_fragments_and_patterns(tmp_path: Path) -> None:
    (c,) = load_cues(write(tmp_path, GOOD))["knowledge"]
    assert c.needs_in_clause is not None
    assert c.needs_in_clause.pattern == "(?:docs|wiki) pages"
    assert c.pattern.search("we edit the wiki weekly")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('field = "knowledge_change_frequency"', 'field = "how_often"'), "not a Situation field"),
        (('value = "weekly"', 'value = "sometimes"'), "not a value of knowledge_change_frequency"),
        (("${BOTH}", "${MISSING}"), "unknown fragment ${MISSING}"),
        (("'''weekly'''", "'''week(ly'''"), "does not compile"),
        (('group = "knowledge"', 'group = "misc"'), "group must be one of"),
        (('value = "weekly"', 'value = "weekly"\nnegated = "rarely"'), "unknown key(s) negated"),
        (("patterns = ['''weekly''']", "patterns = []"), "patterns must be a non-empty list"),
    ],
)
def test_a_malformed_cue_is_named(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(VocabularyError, match="cue 1") as raised:
        load_cues(write(tmp_path, GOOD.replace(*change)))
    assert message in str(raised.value)
