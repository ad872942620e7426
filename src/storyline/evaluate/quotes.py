"""Attributions (who said what) against ``gold.attributions``.

- ``source_f1``, ``cue_f1``, ``content_f1``: each part scored as a span task on its own, matched by
  overlap (:mod:`storyline.evaluate.spans`); ``*_exact``: identical offsets. Every attribution is one
  item (two attributions that share a source span are two gold sources).
- ``attribution_f1``: a gold attribution is found when one predicted claim has a content that
  overlaps its content *and* a source that overlaps its source; one-to-one, by largest summed overlap.

Gold attributions with a null source (or cue) are left out of ``source_*`` (``cue_*``) and, for a null
source, out of ``attribution_f1``; ``counts`` reports how many. Predicted claims whose source has no
span in the text (an unnamed or title-only source) are left out of the same metrics likewise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import Extent, Tally, from_span, gold_extent, greedy, match, overlap
from storyline.model import Analysis

PARTS = ("source", "cue", "content")
METRICS = (
    *(f"{part}_f1" for part in PARTS),
    *(f"{part}_f1_exact" for part in PARTS),
    "attribution_f1",
)


@dataclass(frozen=True, slots=True)
class ClaimPred:
    """A predicted attribution: the content, and the source and cue spans when there are any."""

    content: Extent
    source: Extent | None = None
    cue: Extent | None = None


def from_analysis(analysis: Analysis) -> list[ClaimPred]:
    """Storyline's claims: content, cue and the source's span (a claim in the title is skipped)."""
    preds = []
    for claim in analysis.claims:
        content = from_span(claim.content)
        if content is None:
            continue
        source = from_span(claim.source.span) if claim.source is not None else None
        preds.append(ClaimPred(content, source, from_span(claim.cue)))
    return preds


def score(docs: Sequence[GoldDoc], preds: Sequence[Sequence[ClaimPred]]) -> Scored:
    """Score predicted claims against ``gold.attributions``."""
    overlap_tally = {part: Tally() for part in PARTS}
    exact_tally = {part: Tally() for part in PARTS}
    attribution = Tally()
    issues = DataIssues()
    left_out = {"gold_without_source": 0, "gold_without_cue": 0, "pred_without_source": 0}
    per_doc = []
    for doc, predicted in zip(docs, preds, strict=True):
        text = doc.article.text
        # Each gold attribution as {part: Extent or None}: None for a null part or a broken span.
        gold: list[dict[str, Extent | None]] = []
        for item in doc.gold.get("attributions") or []:
            gold.append({part: gold_extent(item.get(part), text, doc.where, issues) for part in PARTS})
            left_out["gold_without_source"] += item.get("source") is None
            left_out["gold_without_cue"] += item.get("cue") is None
        left_out["pred_without_source"] += sum(1 for p in predicted if p.source is None)
        row: dict[str, object] = {"id": doc.id, "n_gold": len(gold), "n_pred": len(predicted)}
        for part in PARTS:
            gold_part = [extent for g in gold if (extent := g[part]) is not None]
            pred_part = [extent for p in predicted if (extent := getattr(p, part)) is not None]
            pairs = match(gold_part, pred_part)
            exact = match(gold_part, pred_part, exact=True)
            overlap_tally[part].add(len(pairs), len(pred_part), len(gold_part))
            exact_tally[part].add(len(exact), len(pred_part), len(gold_part))
            row[part] = len(pairs)
            row[f"{part}_exact"] = len(exact)
        # Whole attributions: gold with content and source, claims with content and source.
        full_gold = [
            (c, s) for g in gold if (c := g["content"]) is not None and (s := g["source"]) is not None
        ]
        full_pred = [(p.content, p.source) for p in predicted if p.source is not None]
        candidates = []
        for gi, (g_content, g_source) in enumerate(full_gold):
            for pi, (p_content, p_source) in enumerate(full_pred):
                by_content, by_source = overlap(g_content, p_content), overlap(g_source, p_source)
                if by_content > 0 and by_source > 0:
                    candidates.append((by_content + by_source, gi, pi))
        found = len(greedy(candidates))
        attribution.add(found, len(full_pred), len(full_gold))
        row["attribution"] = found
        per_doc.append(row)
    metrics: dict[str, float | None] = {f"{part}_f1": overlap_tally[part].f1 for part in PARTS}
    metrics.update({f"{part}_f1_exact": exact_tally[part].f1 for part in PARTS})
    metrics["attribution_f1"] = attribution.f1
    counts = {
        "n_gold": sum(len(doc.gold.get("attributions") or []) for doc in docs),
        "n_pred": sum(len(p) for p in preds),
        **{f"n_gold_{part}": overlap_tally[part].n_gold for part in PARTS},
        **left_out,
    }
    return Scored(metrics, counts, per_doc, issues)
