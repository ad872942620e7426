"""geo scorer on a hand-made case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.geo import ToponymPred, distance_km, score
from storyline.evaluate.spans import Extent

MakeDoc = Callable[..., GoldDoc]
GoldSpan = Callable[[str, str], dict[str, Any]]

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)
ROME = (41.9028, 12.4964)
PARIS_LONDON_KM = 343.6  # great-circle distance, km


def test_distance() -> None:
    assert distance_km(*PARIS, *LONDON) == pytest.approx(PARIS_LONDON_KM, abs=0.5)
    assert distance_km(*ROME, *ROME) == 0.0


def _at(text: str, part: str, coords: tuple[float, float] | None) -> ToponymPred:
    start = text.index(part)
    lat, lon = coords if coords else (None, None)
    return ToponymPred(Extent.of(start, start + len(part), part), lat, lon)


def test_geo_metrics_by_hand(make_doc: MakeDoc, gold_span: GoldSpan) -> None:
    text1 = "French officials flew from Paris to London, not Berlin."
    gold1 = {
        "toponyms": [
            {**gold_span(text1, "French"), "type": "Demonym", "lat": None, "lon": None, "geonameid": None},
            {
                **gold_span(text1, "Paris"),
                "type": "Literal",
                "lat": PARIS[0],
                "lon": PARIS[1],
                "geonameid": 1,
            },
            {
                **gold_span(text1, "London"),
                "type": "Literal",
                "lat": LONDON[0],
                "lon": LONDON[1],
                "geonameid": 2,
            },
        ]
    }
    preds1 = [
        _at(text1, "Paris", PARIS),  # right place: 0 km
        _at(text1, "London", PARIS),  # resolved to Paris: 343.6 km, a miss at 161 km
        _at(text1, "Berlin", None),  # not in the gold
    ]
    text2 = "Rome."
    gold2 = {"toponyms": [{**gold_span(text2, "Rome"), "lat": ROME[0], "lon": ROME[1], "type": "Literal"}]}
    preds2 = [_at(text2, "Rome", None)]  # found but not resolved
    result = score([make_doc(text1, gold1), make_doc(text2, gold2, id="d2")], [preds1, preds2])
    # Spans: gold 4, predicted 4, matched 3 (Paris, London, Rome): P = R = F1 = 3/4.
    assert result.metrics["toponym_p"] == 0.75
    assert result.metrics["toponym_r"] == 0.75
    assert result.metrics["toponym_f1"] == 0.75
    # Found gold toponyms with coordinates: Paris, London, Rome (3); within 161 km: Paris only: 1/3.
    assert result.metrics["acc_161km"] == pytest.approx(1 / 3)
    # Errors over the found *and resolved* ones: [0, 343.6]: mean 171.8, median 171.8.
    assert result.metrics["mean_error_km"] == pytest.approx(PARIS_LONDON_KM / 2, abs=0.5)
    assert result.metrics["median_error_km"] == pytest.approx(PARIS_LONDON_KM / 2, abs=0.5)
    assert result.counts == {
        "n_gold": 4,
        "n_gold_with_coords": 3,
        "n_pred": 4,
        "found": 3,
        "found_with_coords": 3,
        "found_resolved": 2,
    }


def test_errors_are_undefined_when_nothing_is_found(make_doc: MakeDoc, gold_span: GoldSpan) -> None:
    gold = {"toponyms": [{**gold_span("Rome.", "Rome"), "lat": ROME[0], "lon": ROME[1]}]}
    result = score([make_doc("Rome.", gold)], [[]])
    assert result.metrics["toponym_r"] == 0.0
    assert result.metrics["acc_161km"] is None
    assert result.metrics["mean_error_km"] is None
