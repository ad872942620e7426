"""Time expressions (TempEval-3 Task A) against ``gold.timexes``.

Metrics, micro-averaged over the documents (span conventions in :mod:`storyline.evaluate.spans`):

- ``strict_f1``: extents with identical offsets.
- ``relaxed_f1``: extents that share a character (one-to-one, largest overlap first).
- ``value_f1``: relaxed matches whose TIMEX3 ``value`` is the same string, over all predictions and
  all gold timexes (TempEval-3's value F1).
- ``type_acc``: of the relaxed matches, the share with the same ``type`` (None when nothing matched).

Published TempEval-3 scores come from a token-based scorer; this one counts characters. Both call two
extents a relaxed match when they share anything, so the figures are close but not identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import Extent, Tally, from_span, gold_extent, match, ratio
from storyline.model import Analysis

METRICS = ("strict_f1", "relaxed_f1", "value_f1", "type_acc")


@dataclass(frozen=True, slots=True)
class TimexPred:
    """A predicted time expression."""

    extent: Extent
    type: str | None = None
    value: str | None = None


def from_analysis(analysis: Analysis) -> list[TimexPred]:
    """Storyline's times: each ``Time`` is one prediction (its span, type and resolved value)."""
    preds = []
    for time in analysis.times:
        extent = from_span(time.span)
        if extent is not None:
            preds.append(TimexPred(extent, time.type, time.value))
    return preds


def score(docs: Sequence[GoldDoc], preds: Sequence[Sequence[TimexPred]]) -> Scored:
    """Score predicted time expressions against ``gold.timexes``."""
    strict, relaxed, valued = Tally(), Tally(), Tally()
    typed = 0
    issues = DataIssues()
    per_doc = []
    for doc, predicted in zip(docs, preds, strict=True):
        gold_items = []
        for item in doc.gold.get("timexes") or []:
            extent = gold_extent(item, doc.article.text, doc.where, issues)
            if extent is not None:
                gold_items.append((extent, item.get("type"), item.get("value")))
        gold = [extent for extent, _, _ in gold_items]
        pred = [p.extent for p in predicted]
        exact_pairs = match(gold, pred, exact=True)
        pairs = match(gold, pred)
        value_ok = sum(1 for g, p in pairs if gold_items[g][2] == predicted[p].value)
        type_ok = sum(1 for g, p in pairs if gold_items[g][1] == predicted[p].type)
        strict.add(len(exact_pairs), len(pred), len(gold))
        relaxed.add(len(pairs), len(pred), len(gold))
        valued.add(value_ok, len(pred), len(gold))
        typed += type_ok
        per_doc.append(
            {
                "id": doc.id,
                "n_gold": len(gold),
                "n_pred": len(pred),
                "strict": len(exact_pairs),
                "relaxed": len(pairs),
                "value": value_ok,
                "type": type_ok,
            }
        )
    metrics: dict[str, float | None] = {
        "strict_f1": strict.f1,
        "relaxed_f1": relaxed.f1,
        "value_f1": valued.f1,
        "type_acc": ratio(typed, relaxed.tp) if relaxed.tp else None,
    }
    counts = {"n_gold": relaxed.n_gold, "n_pred": relaxed.n_pred, "relaxed_matches": relaxed.tp}
    return Scored(metrics, counts, per_doc, issues)
