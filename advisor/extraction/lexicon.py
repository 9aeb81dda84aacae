"""Broad vocabularies per factor: the many ways teams say the same thing, as data.

The cues live in ``cues.toml`` beside this module (shared regex fragments, then one ``[[cue]]``
per pattern set; its header says what each key means). This module reads the file once,
checks it (known keys, a Situation field and a value that field accepts, fragments that exist,
patterns that compile) and builds the ``Cue`` objects; a malformed entry raises
``VocabularyError`` naming the cue. Patterns run on normalised text (lower case, straight
quotes); ``offline.py`` combines the hits per field.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from advisor.extraction.cues import SKIP, Cue, cue
from advisor.schemas.decision import Situation

CUES_PATH = Path(__file__).with_name("cues.toml")
GROUPS = ("tools", "knowledge", "behaviour", "deployment", "history")
_KEYS = {"group", "field", "value", "patterns", "needs", "needs_in_clause", "unless",
         "if_negated", "check_negation", "fallback"}
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class VocabularyError(ValueError):
    """``cues.toml`` is malformed; the message names the entry."""


def _expand(template: str, fragments: dict[str, str], where: str) -> str:
    def fragment(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise VocabularyError(f"{where}: unknown fragment ${{{name}}}")
        return fragments[name]

    return _REFERENCE.sub(fragment, template)


def _check_value(field: str, value: Any, where: str) -> None:
    try:
        Situation(**{field: value})
    except ValidationError as exc:
        raise VocabularyError(f"{where}: {value!r} is not a value of {field}") from exc


def _build(entry: dict[str, Any], fragments: dict[str, str], where: str) -> Cue:
    unknown = set(entry) - _KEYS
    if unknown:
        raise VocabularyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    field = entry.get("field")
    if field not in Situation.model_fields:
        raise VocabularyError(f"{where}: {field!r} is not a Situation field")
    if entry.get("group") not in GROUPS:
        raise VocabularyError(f"{where}: group must be one of {', '.join(GROUPS)}")
    if "value" not in entry:
        raise VocabularyError(f"{where}: no value")
    _check_value(field, entry["value"], where)
    if "if_negated" in entry:
        _check_value(field, entry["if_negated"], where)
    patterns = entry.get("patterns")
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) and p for p in patterns):
        raise VocabularyError(f"{where}: patterns must be a non-empty list of strings")
    expanded = {k: _expand(entry[k], fragments, where)
                for k in ("needs", "needs_in_clause", "unless") if k in entry}
    try:
        return cue(
            field,
            entry["value"],
            *(_expand(p, fragments, where) for p in patterns),
            if_negated=entry.get("if_negated", SKIP),
            check_negation=bool(entry.get("check_negation", True)),
            fallback=bool(entry.get("fallback", False)),
            **expanded,
        )
    except re.error as exc:
        raise VocabularyError(f"{where}: a pattern does not compile: {exc}") from exc


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        data = tomllib.load(f)
    unknown = set(data) - {"fragments", "cue"}
    if unknown:
        raise VocabularyError(f"{path}: unknown table(s) {', '.join(sorted(unknown))}")
    return data


def load_fragments(path: Path = CUES_PATH) -> dict[str, str]:
    """The file's shared [fragments], expanded (other modules' patterns use them too)."""
    fragments: dict[str, str] = {}
    for name, template in _load(path).get("fragments", {}).items():
        fragments[name] = _expand(template, fragments, f"{path} [fragments] {name}")
    return fragments


def load_cues(path: Path = CUES_PATH) -> dict[str, tuple[Cue, ...]]:
    """group -> its cues, in file order."""
    data = _load(path)
    fragments = load_fragments(path)
    groups: dict[str, list[Cue]] = {g: [] for g in GROUPS}
    for i, entry in enumerate(data.get("cue", []), 1):
        where = f"{path} cue {i} ({entry.get('field', '?')} = {entry.get('value', '?')!r})"
        built = _build(entry, fragments, where)
        groups[entry["group"]].append(built)
    return {g: tuple(c) for g, c in groups.items()}


_CUES = load_cues()
FRAGMENTS = load_fragments()
TOOL_CUES = _CUES["tools"]
KNOWLEDGE_CUES = _CUES["knowledge"]
BEHAVIOUR_CUES = _CUES["behaviour"]
DEPLOYMENT_CUES = _CUES["deployment"]
HISTORY_CUES = _CUES["history"]
ALL_CUES: tuple[Cue, ...] = TOOL_CUES + KNOWLEDGE_CUES + BEHAVIOUR_CUES + DEPLOYMENT_CUES + HISTORY_CUES
