"""The entity scorer on hand-made spans, with the arithmetic in comments."""

from __future__ import annotations

from storyline.evaluate.entities import LabelledSpan, match


def test_exact_and_overlap_matching() -> None:
    gold = [LabelledSpan(0, 10, "PERSON"), LabelledSpan(20, 34, "ORG"), LabelledSpan(40, 46, "GPE")]
    pred = [
        LabelledSpan(0, 10, "PERSON"),  # exact hit
        LabelledSpan(16, 34, "ORG"),  # "the European Union": overlaps, not exact
        LabelledSpan(40, 46, "PERSON"),  # right span, wrong label: FP for PERSON, FN for GPE
    ]
    exact = match(pred, gold, exact=True)
    # PERSON: tp 1, fp 1 -> P 1/2, R 1/1; ORG: tp 0, fp 1, fn 1; GPE: fn 1
    assert (exact["PERSON"].tp, exact["PERSON"].fp, exact["PERSON"].fn) == (1, 1, 0)
    assert exact["PERSON"].prf() == (0.5, 1.0, 2 * 0.5 / 1.5)
    assert (exact["ORG"].tp, exact["ORG"].fp, exact["ORG"].fn) == (0, 1, 1)
    assert exact["GPE"].fn == 1
    overlap = match(pred, gold, exact=False)
    assert (overlap["ORG"].tp, overlap["ORG"].fp, overlap["ORG"].fn) == (1, 0, 0)


def test_matching_is_one_to_one() -> None:
    gold = [LabelledSpan(0, 20, "ORG")]
    pred = [LabelledSpan(0, 5, "ORG"), LabelledSpan(8, 20, "ORG")]
    counts = match(pred, gold, exact=False)["ORG"]
    # the larger overlap (12 chars) takes the gold span; the other is a false positive
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)
