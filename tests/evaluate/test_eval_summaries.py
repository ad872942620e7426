"""summaries scorer (ROUGE F1 averaged over articles) on a hand-made case."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.summaries import from_analysis, score, sentences
from storyline.model import Analysis, Article, Span

MakeDoc = Callable[..., GoldDoc]


def test_sentences() -> None:
    assert sentences(["First one. Second  one!\n\nThird?"]) == [["First one.", "Second one!", "Third?"]]


def test_rouge_by_hand(make_doc: MakeDoc) -> None:
    docs = [
        make_doc("x", {"summary": "The cat sat on the mat."}, id="a"),
        make_doc("x", {"summary": "Dogs bark."}, id="b"),
        make_doc("x", {"summary": None}, id="c"),  # no reference: left out
    ]
    result = score(docs, ["The cat sat.", "", "ignored"])
    # a: reference [the, cat, sat, on, the, mat], prediction [the, cat, sat].
    #   ROUGE-1: 3 shared: P 1, R 1/2, F 2/3. ROUGE-2: bigrams 2 of 5 shared: P 1, R 2/5, F 4/7.
    #   ROUGE-L: LCS 3: F 2/3; one sentence each, so ROUGE-Lsum 2/3 too.
    # b: empty prediction: 0. Averages over the 2 scored articles.
    assert result.metrics["rouge1"] == pytest.approx(1 / 3)
    assert result.metrics["rouge2"] == pytest.approx(2 / 7)
    assert result.metrics["rougeL"] == pytest.approx(1 / 3)
    assert result.metrics["rougeLsum"] == pytest.approx(1 / 3)
    assert result.counts == {"n_docs": 2, "empty_summaries": 1}
    assert result.issues.counts == {"no_summary": 1}


def test_rouge_lsum_uses_sentences(make_doc: MakeDoc) -> None:
    # Same sentences, other order. ROUGE-L over one sequence: LCS 2 of 4 tokens, F 1/2; ROUGE-Lsum,
    # sentence by sentence: every reference sentence is found whole, F 1.
    result = score([make_doc("x", {"summary": "Cats sleep. Dogs bark."})], ["Dogs bark. Cats sleep."])
    assert result.metrics["rougeLsum"] == pytest.approx(1.0)
    assert result.metrics["rougeL"] == pytest.approx(0.5)


def test_adapter_joins_highlights() -> None:
    text = "One. Two. Three."
    highlights = [Span(start=0, end=4, text="One."), Span(start=10, end=16, text="Three.")]
    analysis = Analysis(article=Article(id="a", text=text), highlights=highlights)
    assert from_analysis(analysis) == "One. Three."
