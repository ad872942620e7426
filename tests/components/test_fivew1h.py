"""The main event in 5W1H: manner phrases from the parse, candidate answers and the answer ranker."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from spacy.language import Language

from storyline.components.fivew1h import QUESTIONS, AnswerRanker, candidates, manner_spans
from storyline.errors import StorylineError
from storyline.ingest.base import make_article
from storyline.model import Analysis
from storyline.pipeline import analyze_many, load, make_doc, make_title_doc, to_analysis


@pytest.fixture(scope="module")
def nlp5() -> Language:
    return load(stages=("entities", "times", "places", "claims", "events"))


def manners(nlp: Language, text: str) -> list[str]:
    doc = nlp(text)
    verbs = [t for t in doc if t.pos_ == "VERB"]
    return [s.text for s in manner_spans(doc, verbs)]


@pytest.mark.slow
def test_manner_by_with_using_and_adverbs(nlp5: Language) -> None:
    assert manners(nlp5, "The attackers rammed the gate with a suicide car bomb.") == [
        "with a suicide car bomb"
    ]
    assert manners(nlp5, "He killed three people by driving into the crowd.") == ["by driving into the crowd"]
    assert manners(nlp5, "The victims were brutally beaten.") == ["brutally"]


@pytest.mark.slow
def test_manner_leaves_out_agents_company_and_hedges(nlp5: Language) -> None:
    assert manners(nlp5, "The man was arrested by police.") == []
    assert manners(nlp5, "Trump met with Obama at the White House.") == []
    assert manners(nlp5, "The suspect reportedly fled the scene.") == []


@pytest.mark.slow
def test_event_carries_manner_and_the_analysis_its_5w1h(nlp5: Language) -> None:
    article = make_article(
        "Militants attacked the German consulate in Mazar-i-Sharif with a suicide car bomb on Thursday, "
        "killing two people, in retaliation for airstrikes in Kunduz.",
        title="Taliban attack German consulate in Afghanistan",
        published="2016-11-11",
    )
    (result,) = analyze_many(nlp5, [article])
    assert isinstance(result, Analysis)
    assert any(s.text == "with a suicide car bomb" for e in result.events for s in e.manner)
    summary = result.fivew1h
    assert summary is not None
    for question in QUESTIONS:
        answer = getattr(summary, question)
        if answer is not None and answer.span is not None:
            source = result.article.title if answer.span.field == "title" else result.article.text
            assert (source or "")[answer.span.start : answer.span.end] == answer.span.text
    assert summary.who is not None and summary.when is not None


@pytest.mark.slow
def test_candidates_come_from_title_and_lead_with_features(nlp5: Language) -> None:
    article = make_article(
        "Donald Trump has blamed FBI director James Comey for his defeat in a call with donors on Sunday.",
        title="Clinton blames Comey for election loss",
        published="2016-11-13",
    )
    body, title = make_doc(nlp5, article), make_title_doc(nlp5, article)
    docs = list(nlp5.pipe([body, title]))  # type: ignore[list-item]
    analysis = to_analysis(docs[0], docs[1])
    pools = candidates(analysis, docs[0], docs[1])
    assert any(c.text == "blames" and c.span.field == "title" for c in pools["how"])
    assert any(c.text == "Sunday" for c in pools["when"])
    assert all(
        "bias" in c.features and any(f.startswith("src=") for f in c.features)
        for q in pools
        for c in pools[q]
    )


def test_ranker_file_errors_carry_a_code(tmp_path: Path) -> None:
    bad = tmp_path / "ranker.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(StorylineError) as info:
        AnswerRanker(bad)
    assert info.value.code == "E150"


def test_ranker_uses_only_the_questions_it_beat_the_rules_on(tmp_path: Path) -> None:
    path = tmp_path / "ranker.json.gz"
    model = {"classes": ["no", "yes"], "weights": {"bias": [0.0]}}
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"models": {"how": model}, "use": {"how": True}}, fh)
    ranker = AnswerRanker(path)
    assert ranker.use == {
        "who": False,
        "what": False,
        "when": False,
        "where": False,
        "why": False,
        "how": True,
    }


def test_shipped_ranker_loads() -> None:
    ranker = AnswerRanker()
    assert set(ranker.use) == set(QUESTIONS)
