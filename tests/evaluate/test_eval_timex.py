"""timex scorer on a hand-made case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.spans import Extent
from storyline.evaluate.timex import TimexPred, score

MakeDoc = Callable[..., GoldDoc]
GoldSpan = Callable[[str, str], dict[str, Any]]

TEXT = "On Monday, 5 May 2020, prices rose for two weeks."


def test_timex_metrics_by_hand(make_doc: MakeDoc, gold_span: GoldSpan) -> None:
    gold = {
        "timexes": [
            {**gold_span(TEXT, "Monday"), "type": "DATE", "value": "2020-05-04"},
            {**gold_span(TEXT, "5 May 2020"), "type": "DATE", "value": "2020-05-05"},
            {**gold_span(TEXT, "two weeks"), "type": "DURATION", "value": "P2W"},
            {"start": 0, "end": 2, "text": "No", "type": "DATE", "value": "X"},  # bad offsets: left out
        ]
    }
    monday, may = TEXT.index("Monday"), TEXT.index("May 2020")
    preds = [
        TimexPred(Extent.of(monday, monday + 6), "DATE", "2020-05-11"),  # exact span, wrong value
        TimexPred(Extent.of(may, may + 8), "DATE", "2020-05-05"),  # inside "5 May 2020", right value
        TimexPred(Extent.of(23, 29), "DATE", "2020"),  # "prices": spurious
    ]
    other = make_doc("Nothing here.", {"timexes": []}, id="d2")
    spurious = [TimexPred(Extent.of(0, 7), "DATE", "2020")]
    result = score([make_doc(TEXT, gold), other], [preds, spurious])
    # Gold 3 (one left out), predictions 3 + 1 = 4.
    # strict: 1 match (Monday): P 1/4, R 1/3, F1 = 2 * 1/12 / (7/12) = 2/7.
    assert result.metrics["strict_f1"] == pytest.approx(2 / 7)
    # relaxed: 2 matches: P 2/4, R 2/3, F1 = 2 * 1/3 / (7/6) = 4/7.
    assert result.metrics["relaxed_f1"] == pytest.approx(4 / 7)
    # value: 1 of the relaxed matches has the gold value: same as strict, 2/7.
    assert result.metrics["value_f1"] == pytest.approx(2 / 7)
    # type: both relaxed matches are DATE as in the gold: 2/2.
    assert result.metrics["type_acc"] == 1.0
    assert result.issues.counts == {"span_mismatch": 1}
    assert result.counts == {"n_gold": 3, "n_pred": 4, "relaxed_matches": 2}
    assert result.per_doc[0] == {
        "id": "d1",
        "n_gold": 3,
        "n_pred": 3,
        "strict": 1,
        "relaxed": 2,
        "value": 1,
        "type": 2,
    }


def test_type_accuracy_is_undefined_without_matches(make_doc: MakeDoc) -> None:
    result = score([make_doc(TEXT, {"timexes": []})], [[]])
    assert result.metrics["type_acc"] is None
    assert result.metrics["relaxed_f1"] == 0.0
