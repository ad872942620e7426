"""Span matching shared by every span task (timex, geo, quotes).

The conventions, the same for every task:

- An :class:`Extent` is one or more ``[start, end)`` character ranges of ``article.text``; a gold span
  with ``fragments`` (discontinuous) keeps them all, and overlap is counted over all of them.
- Two extents *overlap* when they share at least one character; they are *exact* when their ranges are
  identical (a contiguous prediction is never exact with a discontinuous gold span).
- Matching is one-to-one and greedy: candidate pairs are taken in order of largest character overlap
  (ties: gold order, then prediction order), each gold item and each prediction at most once.
- P/R/F1 are micro-averaged: add up true positives, predictions and gold items over all documents
  (:class:`Tally`), then divide; a 0/0 ratio is 0.
- A gold span whose offsets do not give its text is an error in the data: :func:`gold_extent` notes it
  in :class:`~storyline.evaluate.data.DataIssues` (E010) and it is left out, never scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storyline.errors import Problem
from storyline.evaluate.data import DataIssues
from storyline.model import Span

Range = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Extent:
    """Character ranges of ``article.text`` (one range, or several for a discontinuous span)."""

    ranges: tuple[Range, ...]
    text: str = ""

    @classmethod
    def of(cls, start: int, end: int, text: str = "") -> Extent:
        return cls(((start, end),), text)

    @property
    def start(self) -> int:
        return self.ranges[0][0]

    @property
    def end(self) -> int:
        return self.ranges[-1][1]

    def to_json(self) -> list[list[int]]:
        return [[start, end] for start, end in self.ranges]


def overlap(a: Extent, b: Extent) -> int:
    """How many characters the two extents share."""
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a.ranges for s2, e2 in b.ranges)


def from_span(span: Span | None) -> Extent | None:
    """A predicted span as an Extent; None for no span or one in the title (gold covers only the text)."""
    if span is None or span.field == "title":
        return None
    return Extent.of(span.start, span.end, span.text)


def gold_extent(obj: Any, text: str, where: str, issues: DataIssues) -> Extent | None:
    """A gold span (``{start, end, text}`` or ``{fragments, text}``) checked against ``text``.

    Returns None, and notes the issue, when the span is malformed or its offsets do not give its text.
    """
    if obj is None:
        return None
    try:
        if "fragments" in obj:
            ranges = tuple((int(start), int(end)) for start, end in obj["fragments"])
            found = " ".join(text[start:end] for start, end in ranges)
        else:
            ranges = ((int(obj["start"]), int(obj["end"])),)
            found = text[ranges[0][0] : ranges[0][1]]
        expected = obj["text"]
    except (KeyError, TypeError, ValueError) as exc:
        issues.left_out("malformed_span", where, f"malformed span {obj!r} ({type(exc).__name__}: {exc})")
        return None
    if not ranges or found != expected or any(not 0 <= s <= e <= len(text) for s, e in ranges):
        start, end = ranges[0][0] if ranges else -1, ranges[-1][1] if ranges else -1
        path, _, line = where.rpartition(":")
        problem = Problem("E010", where, path=path, line=line, start=start, end=end, text=expected)
        issues.add("span_mismatch", str(problem))
        return None
    return Extent(ranges, expected)


def greedy(candidates: Iterable[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one matching of ``(weight, gold index, prediction index)`` candidates, heaviest first."""
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _weight, g, p in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def match(gold: Sequence[Extent], pred: Sequence[Extent], *, exact: bool = False) -> list[tuple[int, int]]:
    """Match gold to predicted extents (overlap, or identical ranges with ``exact``); pairs sorted by gold."""
    candidates = []
    for g, gold_item in enumerate(gold):
        for p, pred_item in enumerate(pred):
            shared = overlap(gold_item, pred_item)
            if shared > 0 and (not exact or gold_item.ranges == pred_item.ranges):
                candidates.append((shared, g, p))
    return greedy(candidates)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, 0.0 when the denominator is 0 (the usual convention for P, R and F1)."""
    return numerator / denominator if denominator else 0.0


def f1(precision: float, recall: float) -> float:
    return ratio(2 * precision * recall, precision + recall)


@dataclass(slots=True)
class Tally:
    """Micro-averaged counts for one metric: true positives, predictions, gold items."""

    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.n_pred += n_pred
        self.n_gold += n_gold

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.n_pred)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.n_gold)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)
