"""Entity scorer: PERSON / ORG / GPE / LOC mention precision and recall against hand-annotated spans.

The shared data sets have no complete NER annotation, so the gold is
``tests/fixtures/ner/wikinews-ner-gold.jsonl``: 20 Wikinews articles from ../shared/data/corpus,
annotated blind (see its README). Predicted mentions are the ``name`` mentions of
``analysis.entities`` (descriptions and pronouns are coreference, scored elsewhere). A predicted
mention matches a gold one of the same label: ``exact`` with identical offsets, ``overlap`` when they
share a character (one-to-one, greedy by overlap, as every span task here).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storyline.model import Analysis

LABELS = ("PERSON", "ORG", "GPE", "LOC")


@dataclass(frozen=True)
class LabelledSpan:
    start: int
    end: int
    label: str


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def predicted_spans(analysis: Analysis, limit: int | None = None) -> list[LabelledSpan]:
    spans = [
        LabelledSpan(m.start, m.end, e.label)
        for e in analysis.entities
        if e.label in LABELS
        for m in e.mentions
        if m.kind == "name" and m.field != "title" and (limit is None or m.end <= limit)
    ]
    return sorted(set(spans), key=lambda s: (s.start, s.end))


def match(pred: Iterable[LabelledSpan], gold: Iterable[LabelledSpan], exact: bool) -> dict[str, Counts]:
    counts = {label: Counts() for label in LABELS}
    gold_left = list(gold)
    pairs = []
    for p in pred:
        for g in gold_left:
            if p.label != g.label:
                continue
            overlap = min(p.end, g.end) - max(p.start, g.start)
            if (exact and (p.start, p.end) == (g.start, g.end)) or (not exact and overlap > 0):
                pairs.append((overlap, p, g))
    pairs.sort(key=lambda t: -t[0])
    used_p: set[LabelledSpan] = set()
    used_g: set[int] = set()
    for _, p, g in pairs:
        if p in used_p or id(g) in used_g:
            continue
        used_p.add(p)
        used_g.add(id(g))
        counts[p.label].tp += 1
    for p in pred:
        if p not in used_p and p.label in counts:
            counts[p.label].fp += 1
    for g in gold_left:
        if id(g) not in used_g and g.label in counts:
            counts[g.label].fn += 1
    return counts
