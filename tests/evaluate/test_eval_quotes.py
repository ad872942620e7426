"""quotes scorer on a hand-made case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.quotes import ClaimPred, from_analysis, score
from storyline.evaluate.spans import Extent
from storyline.model import Analysis, Argument, Article, Claim, Span

MakeDoc = Callable[..., GoldDoc]
GoldSpan = Callable[[str, str], dict[str, Any]]

TEXT = 'Smith said "we will win" today. Jones added that taxes rise.'


def _ext(part: str) -> Extent:
    start = TEXT.index(part)
    return Extent.of(start, start + len(part), part)


def test_quotes_metrics_by_hand(make_doc: MakeDoc, gold_span: GoldSpan) -> None:
    gold = {
        "attributions": [
            {
                "source": gold_span(TEXT, "Smith"),
                "cue": gold_span(TEXT, "said"),
                "content": gold_span(TEXT, "we will win"),
            },
            {"source": None, "cue": gold_span(TEXT, "added"), "content": gold_span(TEXT, "that taxes rise")},
        ]
    }
    preds = [
        # Source and cue exact; content overlaps ("we will win\" today") but is not exact.
        ClaimPred(_ext('we will win" today'), _ext("Smith"), _ext("said")),
        # Overlaps the second content; its source is not in the gold (the gold source is null); no cue.
        ClaimPred(_ext("taxes rise"), _ext("Jones"), None),
    ]
    result = score([make_doc(TEXT, gold)], [preds])
    # source: gold [Smith] (the null one left out), predicted [Smith, Jones]: tp 1, P 1/2, R 1, F1 2/3.
    assert result.metrics["source_f1"] == pytest.approx(2 / 3)
    assert result.metrics["source_f1_exact"] == pytest.approx(2 / 3)
    # cue: gold [said, added], predicted [said]: tp 1, P 1, R 1/2, F1 2/3 (exact too).
    assert result.metrics["cue_f1"] == pytest.approx(2 / 3)
    assert result.metrics["cue_f1_exact"] == pytest.approx(2 / 3)
    # content: both overlap (tp 2 of 2 and 2): 1.0; neither is exact: 0.0.
    assert result.metrics["content_f1"] == 1.0
    assert result.metrics["content_f1_exact"] == 0.0
    # attribution: gold with a source [first]; claims with a source [both]; the first claim matches
    # content and source: tp 1, P 1/2, R 1, F1 2/3.
    assert result.metrics["attribution_f1"] == pytest.approx(2 / 3)
    assert result.counts["gold_without_source"] == 1
    assert result.counts["n_gold_source"] == 1


def test_adapter_skips_title_spans_and_sourceless_spans() -> None:
    article = Article(id="a", text=TEXT, title="Smith speaks")
    content = Span(start=12, end=23, text="we will win")
    claims = [
        Claim(
            id="c1",
            source=Argument(text="Smith", span=Span(start=0, end=5, text="Smith")),
            content=content,
            kind="direct",
        ),
        Claim(id="c2", source=Argument(text="officials"), content=content, kind="indirect"),
        Claim(id="c3", content=Span(start=0, end=5, text="Smith", field="title"), kind="direct"),
    ]
    preds = from_analysis(Analysis(article=article, claims=claims))
    assert preds == [
        ClaimPred(Extent.of(12, 23, "we will win"), Extent.of(0, 5, "Smith"), None),
        ClaimPred(Extent.of(12, 23, "we will win"), None, None),
    ]
