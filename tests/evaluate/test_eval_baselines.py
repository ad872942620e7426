"""Baselines that need no spaCy model, on hand-made cases (the others run in test_eval_cli.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.errors import StorylineError
from storyline.evaluate import baselines
from storyline.evaluate.baselines import dates, lead3, nearest_number, tfidf
from storyline.evaluate.data import DataIssues, GoldDoc

MakeDoc = Callable[..., GoldDoc]


def test_every_task_has_one_named_baseline() -> None:
    assert baselines.baseline_name("geo") == "gazetteer"
    baselines.check("summaries", "lead3")
    with pytest.raises(StorylineError, match=r"\[E060\]"):
        baselines.check("summaries", "textacy")


def test_number_words() -> None:
    assert nearest_number.number("three") == 3
    assert nearest_number.number("twenty-one") == 21
    assert nearest_number.number("1,200") == 1200
    assert nearest_number.number("people") is None


def test_nearest_number() -> None:
    text = "Two men were killed on Friday. Four others were injured. A 12-year-old was hurt."
    # killed: "Two" is 3 words before it; "Four" is past the full stop, so not considered.
    assert nearest_number.nearest(text, nearest_number.KILLED) == 2
    # injured: "Four" (3 words before "injured"); the "12" before "hurt" is an age: skipped.
    assert nearest_number.nearest(text, nearest_number.INJURED) == 4
    assert nearest_number.nearest("Nobody was hurt in 2015.", nearest_number.INJURED) is None


def test_nearest_number_run(make_doc: MakeDoc) -> None:
    doc = make_doc("Shots in Chicago: one man was killed.", {}, published="2016-05-02")
    (pred,) = nearest_number.run([doc], DataIssues())
    assert pred is not None
    assert (pred.killed, pred.injured, pred.date, pred.city) == (1, 0, "2016-05-02", "Chicago")


def test_dateparser_finds_dates_relative_to_publication() -> None:
    text = "The talks began yesterday and end on 5 May 2020, officials said."
    preds = dates.predict(text, "2020-05-01")
    # dateparser's matched substrings, located in the text; they take in neighbouring words
    # ("yesterday and", "on 5 May 2020"), which costs the baseline strict matches, not relaxed ones.
    yesterday, on = text.index("yesterday"), text.index("on 5 May")
    assert [(p.extent.start, p.type, p.value) for p in preds] == [
        (yesterday, "DATE", "2020-04-30"),
        (on, "DATE", "2020-05-05"),
    ]
    assert all(text[p.extent.start : p.extent.end] == p.extent.text for p in preds)


def test_lead3(make_doc: MakeDoc) -> None:
    doc = make_doc("One is here. Two is here. Three is here. Four is here.", {})
    assert lead3.run([doc], DataIssues()) == ["One is here. Two is here. Three is here."]


def test_tfidf_groups_similar_articles(make_doc: MakeDoc) -> None:
    pytest.importorskip("sklearn")
    texts = [
        "The rocket launch from the space station was delayed by the storm.",
        "Storm delays rocket launch at space station.",
        "Cats and dogs fill the animal shelter this winter.",
        "The animal shelter is full of cats and dogs.",
    ]
    docs = [make_doc(text, {}, id=f"d{i}") for i, text in enumerate(texts)]
    labels = tfidf.run(docs, DataIssues())
    assert labels[0] == labels[1] != labels[2] == labels[3]
