"""Shared span matching: overlap over fragments, greedy one-to-one matching, micro P/R/F1."""

from __future__ import annotations

import pytest

from storyline.evaluate.data import DataIssues
from storyline.evaluate.spans import Extent, Tally, gold_extent, match, overlap


def test_overlap_counts_every_fragment() -> None:
    gold = Extent(((0, 5), (10, 15)))
    # (3, 12) shares 3-5 (2 chars) with the first fragment and 10-12 (2 chars) with the second: 4.
    assert overlap(gold, Extent.of(3, 12)) == 4
    assert overlap(gold, Extent.of(5, 10)) == 0  # touching is not sharing


def test_gold_extent_checks_offsets_against_the_text() -> None:
    text = "Smith said it rained."
    issues = DataIssues()
    ok = gold_extent({"start": 0, "end": 5, "text": "Smith"}, text, "f.jsonl:3", issues)
    assert ok == Extent.of(0, 5, "Smith")
    bad = gold_extent({"start": 1, "end": 5, "text": "Smith"}, text, "f.jsonl:3", issues)
    assert bad is None
    # Fragments are joined by one space: "Smith" + " " + "rained".
    frag = gold_extent({"fragments": [[0, 5], [14, 20]], "text": "Smith rained"}, text, "f.jsonl:3", issues)
    assert frag is not None and frag.ranges == ((0, 5), (14, 20))
    assert issues.counts == {"span_mismatch": 1}
    assert issues.examples["span_mismatch"][0].startswith("[E010] f.jsonl:3: span 1:5")


def test_matching_is_one_to_one_and_largest_overlap_first() -> None:
    gold = [Extent.of(0, 10), Extent.of(20, 30)]
    pred = [Extent.of(8, 25), Extent.of(0, 9), Extent.of(40, 50)]
    # Overlaps: g0-p0 2, g0-p1 9, g1-p0 5. Largest first: g0-p1 (9), then g1-p0 (5); p2 matches nothing.
    assert match(gold, pred) == [(0, 1), (1, 0)]
    assert match(gold, pred, exact=True) == []
    assert match(gold, [Extent.of(20, 30)], exact=True) == [(1, 0)]


def test_greedy_takes_one_prediction_once() -> None:
    gold = [Extent.of(0, 10), Extent.of(10, 20)]
    pred = [Extent.of(5, 15)]
    # Both gold spans overlap the prediction by 5; the tie goes to the first gold span, once.
    assert match(gold, pred) == [(0, 0)]


def test_tally_micro_averages() -> None:
    tally = Tally()
    tally.add(tp=1, n_pred=1, n_gold=2)
    tally.add(tp=1, n_pred=3, n_gold=1)
    # tp 2, predictions 4, gold 3: P = 0.5, R = 2/3, F1 = 2 * 0.5 * 2/3 / (0.5 + 2/3) = 4/7.
    assert tally.precision == 0.5
    assert tally.recall == pytest.approx(2 / 3)
    assert tally.f1 == pytest.approx(4 / 7)
    assert Tally().f1 == 0.0  # nothing predicted, nothing gold
