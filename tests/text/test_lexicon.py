"""The domain lexicon: concept tokens, phrase matching, and its use at index and query time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advisor.text.analysis import analysis, analyze
from advisor.text.lexicon import CONCEPTS, QUANTITY, concept_spans, concepts_of
from advisor.text.words import stem_all, words


def test_every_group_has_members_and_every_member_has_words() -> None:
    assert len(CONCEPTS) >= 30
    for name, members in CONCEPTS.items():
        assert members, name
        assert name == name.lower() and " " not in name
        for m in members:
            assert words(m), f"{name}: {m!r} has no words"
            assert m == m.lower(), f"{name}: {m!r} must be lower case"


def test_paraphrases_share_a_concept_with_the_article_wording() -> None:
    pairs = [
        ("customizing a model with LoRA", "fine-tuning", "fine_tuning"),
        ("our bot makes things up", "the model hallucinates", "hallucination"),
        ("runs on a phone with no internet", "fully offline inference on the edge", "on_device"),
        ("our p95 is too slow", "retrieval latency", "latency"),
        ("we're stuck with it forever", "the decision isn't permanent", "reversibility"),
        ("labeled data", "high-quality input/output pairs", "training_data"),
        ("strict JSON output", "a specific schema and format", "format"),
        ("brand voice", "a specific tone", "style"),
        ("the knowledge base changes daily", "knowledge freshness", "freshness"),
        ("vector db", "a vector database", "vector_search"),
    ]
    for user, article, concept in pairs:
        assert concept in concepts_of(user), (user, concept)
        assert concept in concepts_of(article), (article, concept)


def test_multi_word_phrases_need_the_whole_phrase() -> None:
    assert "on_device" in concepts_of("no internet on board")
    assert "fine_tuning" not in concepts_of("bake sourdough bread")  # "baked in" is a phrase
    assert "hallucination" not in concepts_of("we made an update")  # "made up" is a phrase


def test_a_longer_match_is_not_counted_twice_for_the_same_concept() -> None:
    stems = stem_all(words("the system prompt and the prompt"))
    prompting = [s for s in concept_spans(stems) if s[2] == "#prompting"]
    assert [(a, b) for a, b, _ in prompting] == [(1, 3), (5, 6)]


def test_numbers_are_quantities() -> None:
    for text in ("100 examples", "1,000+ pairs", "2k pairs", "hundreds of documents"):
        assert QUANTITY in analysis(text).concepts, text
    assert QUANTITY not in analysis("a few examples").concepts


def test_spelled_out_numbers_from_ten_are_quantities() -> None:
    for text in ("about sixty labeled examples", "twenty pairs", "ten thousand documents"):
        assert QUANTITY in analysis(text).concepts, text
    for text in ("the two approaches", "one thing to try first"):
        assert QUANTITY not in analysis(text).concepts, text


def test_shorthand_and_symbols_become_words() -> None:
    assert words("KB edits w/o a retrain, tl;dr $$") == [
        "kb", "edits", "without", "a", "retrain", "summary", "dollar", "dollar"]
    assert words("Cost & TimeLow to Medium") == ["cost", "time", "low", "to", "medium"]
    assert words("LoRA and QLoRA") == ["lora", "and", "qlora"]


def test_index_and_query_analysis_agree() -> None:
    terms, concepts = analyze("Fine-tuning locks you into a model.")
    q_terms, q_concepts = analyze("FT lock-in?", stop_plus=True)
    assert "#fine_tuning" in concepts and "#fine_tuning" in q_concepts
    assert "#reversibility" in concepts and "#reversibility" in q_concepts


def test_fitted_embedder_puts_lexicon_synonyms_together(fitted_data_dir: Path) -> None:
    from advisor.knowledge.embeddings import StaticEmbedder

    emb = StaticEmbedder(fitted_data_dir / "embedder")
    phone, offline, json_ = emb.encode(["phone", "offline inference", "strict JSON schema"])
    assert float(phone @ offline) > float(phone @ json_)
    assert np.isfinite(phone).all()


def test_the_lexicon_file_is_validated(tmp_path: Path) -> None:
    from advisor.text.lexicon import LexiconError, load_lexicon

    good = ('[quantity]\nnumber_words = ["ten"]\n[query]\nstopwords = ["pick"]\n'
            '[concepts]\nrag = ["rag", "retrieval"]\n')
    path = tmp_path / "lexicon.toml"
    path.write_text(good)
    groups, numbers, stop = load_lexicon(path)
    assert groups == {"rag": ("rag", "retrieval")} and numbers == {"ten"} and stop == {"pick"}
    for bad, message in [
        (good.replace('"retrieval"]', '"rag"]'), "repeats rag"),
        (good.replace('"retrieval"', '"Retrieval"'), "lower-case"),
        (good.replace("rag = ", "Rag-Group = "), "not snake_case"),
        (good + "[extra]\nx = 1\n", "unknown table"),
    ]:
        path.write_text(bad)
        with pytest.raises(LexiconError, match=message):
            load_lexicon(path)
