"""The highlights stage: sentence facts, selection (count rule, redundancy, text order), the model file."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from storyline.components.highlights import (
    FORMAT,
    HighlightsStage,
    Method,
    Selection,
    SentenceFacts,
    select,
    sentence_bounds,
    sentence_facts,
    stem,
    title_words,
)
from storyline.errors import StorylineError
from storyline.ingest.base import make_article
from storyline.model import Analysis
from storyline.pipeline import analyze_many, make_doc

BOMBING = (
    "A car bomb exploded outside a police station in Kabul on Monday, killing 12 people and injuring 40, "
    "officials said.\n\n"
    "The blast tore through a busy market street during the morning rush hour.\n\n"
    '"It was a massacre," said Ahmad Shah, a shopkeeper who saw the explosion.\n\n'
    "The Taliban claimed responsibility for the attack in a statement to reporters.\n\n"
    "Police said the bomber drove a stolen car and that three suspects had been arrested.\n\n"
    "The weather in Kabul was cold and dry, with temperatures near freezing.\n\n"
    "The interior ministry said security would be tightened across the capital.\n\n"
    "It was the deadliest attack in the city this year."
)


def facts(index: int, content: set[str], words: int = 20, main_event: bool = False) -> SentenceFacts:
    return SentenceFacts(
        index=index, start=index * 10, end=index * 10 + 9, words=words, paragraph_first=True,
        title_overlap=0.0, centrality=0.0, centrality_rank=index, events=0, main_event=main_event,
        casualties=False, figures=0, names=0, times=0, claim=False, quote=False, actors=0, new_actor=False,
        pronoun_start=False,
        content=frozenset(content),
    )  # fmt: skip


def test_selection_counts_by_article_length() -> None:
    rule = Selection(four_from=10, redundancy=0.0)
    assert rule.count(9) == 3
    assert rule.count(10) == 4
    assert rule.count(2) == 2  # a short article gets what it has


def test_select_returns_text_order_and_avoids_repeats() -> None:
    pool = [facts(i, {f"w{i}", "shared"}) for i in range(6)]
    pool[4] = facts(4, {"w0", "shared"})  # says what sentence 0 says
    scores = [0.9, 0.2, 0.5, 0.3, 0.85, 0.4]
    assert select(pool, scores, Selection(99, 0.0, anchor=False)) == [0, 2, 4]
    assert select(pool, scores, Selection(99, 1.0, anchor=False)) == [0, 2, 5]  # the repeat gives way


def test_the_main_event_sentence_is_always_picked() -> None:
    scores = [0.1, 0.2, 0.9, 0.8, 0.7, 0.6]
    pool = [facts(i, {f"w{i}"}) for i in range(6)]
    assert select(pool, scores, Selection(99, 0.0, anchor=False)) == [2, 3, 4]
    assert select(pool, scores, Selection(99, 0.0)) == [0, 2, 3]  # no event: the lead states it
    pool[1] = facts(1, {"w1"}, main_event=True)
    assert select(pool, scores, Selection(99, 0.0)) == [1, 2, 3]  # a soft lead: the event comes second
    pool[1], pool[5] = facts(1, {"w1"}), facts(5, {"w5"}, main_event=True)
    assert select(pool, scores, Selection(99, 0.0)) == [0, 2, 3]  # too far down to be the news
    pool[5] = facts(5, {"w5"})
    pool[0] = replace(facts(0, {"w0"}), title_overlap=0.5)
    pool[1] = replace(facts(1, {"w1"}, main_event=True), title_overlap=0.25)
    assert select(pool, scores, Selection(99, 0.0)) == [0, 2, 3]  # the lead restates the headline better


def test_select_skips_fragments_while_longer_sentences_remain() -> None:
    pool = [facts(0, {"a"}, words=2), *(facts(i, {f"w{i}"}) for i in range(1, 5))]
    assert select(pool, [1.0, 0.1, 0.2, 0.3, 0.4], Selection(99, 0.0)) == [1, 3, 4]


def test_stem_and_title_words() -> None:
    assert stem("profits") == stem("profit") == "profit"
    assert stem("companies") == "company"
    assert stem("Greenspan's") == "greenspan"
    assert stem("class") == "class"
    assert title_words("Ad sales boost Time Warner profit") == {
        "ad",
        "sale",
        "boost",
        "time",
        "warner",
        "profit",
    }
    assert title_words(None) == frozenset()


def test_sentence_bounds_cut_at_paragraphs_and_trim_space() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("First line without a stop\n\nSecond one. Third one.\n")
    texts = [doc[s:e].text for s, e in sentence_bounds(doc)]
    assert texts == ["First line without a stop", "Second one.", "Third one."]


def write_model(path: Path, **changes: object) -> Path:
    payload: dict[str, object] = {
        "format": FORMAT,
        "model": {"classes": ["0", "1"], "weights": {"bias": [0.0], "pos=0": [1.0]}},
        "selection": {"four_from": 10, "redundancy": 0.2, "anchor": True},
        "rules_selection": {"four_from": 12, "redundancy": 0.3, "anchor": False},
    }
    payload.update(changes)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh)
    return path


def test_model_file_errors_are_coded(tmp_path: Path) -> None:
    with pytest.raises(StorylineError) as info:
        HighlightsStage(model_path=write_model(tmp_path / "m.json.gz", format="other/1"))
    assert info.value.code == "E190"
    with pytest.raises(StorylineError) as info:
        HighlightsStage(model_path=tmp_path / "missing.json.gz")
    assert info.value.code == "E190"
    with pytest.raises(StorylineError) as info:
        HighlightsStage(method="magic")  # type: ignore[arg-type]
    assert info.value.code == "E191"


def test_each_scorer_uses_its_own_selection(tmp_path: Path) -> None:
    path = write_model(tmp_path / "m.json.gz")
    assert HighlightsStage("learned", path).selection == Selection(10, 0.2, anchor=True)
    assert HighlightsStage("rules", path).selection == Selection(12, 0.3, anchor=False)


def test_shipped_model_loads() -> None:
    stage = HighlightsStage()
    assert stage.selection.four_from >= 0
    assert 0.0 <= stage.selection.redundancy <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize("method", ["learned", "rules"])
def test_highlights_carry_the_event_and_its_figures(nlp: Language, method: Method) -> None:
    article = make_article(BOMBING, title="Car bomb kills 12 in Kabul", published="2020-01-06")
    doc = nlp(make_doc(nlp, article))
    spans = HighlightsStage(method).highlights(doc)
    assert 3 <= len(spans) <= 4
    assert [s.start for s in spans] == sorted(s.start for s in spans)  # text order
    for span in spans:
        assert span.field == "text"
        assert BOMBING[span.start : span.end] == span.text
    assert spans[0].text.startswith("A car bomb exploded")  # the main event with its casualty figures
    if method == "learned":  # the shipped scorer; the rules weigh the headline's place name more
        assert not any(s.text.startswith("The weather") for s in spans)
    first = sentence_facts(doc)[0]
    assert first.main_event and first.casualties and first.figures >= 2


@pytest.mark.slow
def test_a_title_is_never_a_highlight(nlp: Language) -> None:
    article = make_article("Short body. It has two sentences.", title="A headline here")
    (result,) = analyze_many(nlp, [article])
    assert isinstance(result, Analysis)
    assert all(s.field == "text" for s in result.highlights)
    assert [s.text for s in result.highlights] == ["Short body.", "It has two sentences."]
