"""Toponyms: recognition (overlapping spans) and geocoding, against ``gold.toponyms``.

- ``toponym_p``, ``toponym_r``, ``toponym_f1``: every gold toponym (demonyms and other coordinate-less
  types included) against every predicted place mention, matched one-to-one by overlap.
- Geocoding is scored on the gold toponyms that have coordinates and were *found* (matched to a
  predicted mention):

  - ``acc_161km``: the share whose predicted place lies within 161 km (100 miles) of the gold point; a
    found toponym whose predicted place has no coordinates counts as a miss.
  - ``mean_error_km``, ``median_error_km``: great-circle distance, over the found toponyms whose
    predicted place has coordinates (None when there are none); ``counts`` gives how many that is.

This follows Gritta, Pilehvar & Collier (2019) except for unresolved toponyms, which they score at
the maximum error (20,039 km); here they count against accuracy only, and are counted apart.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import Extent, Tally, from_span, gold_extent, match, ratio
from storyline.model import Analysis

METRICS = ("toponym_p", "toponym_r", "toponym_f1", "acc_161km", "mean_error_km", "median_error_km")
LOWER_IS_BETTER = frozenset({"mean_error_km", "median_error_km"})

#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
ACCURACY_KM = 161.0


@dataclass(frozen=True, slots=True)
class ToponymPred:
    """A predicted toponym mention and the coordinates of the place it was resolved to (if any)."""

    extent: Extent
    lat: float | None = None
    lon: float | None = None


def from_analysis(analysis: Analysis) -> list[ToponymPred]:
    """Storyline's places: every mention of every ``Place``, with that place's coordinates."""
    preds = []
    for place in analysis.places:
        for mention in place.mentions:
            extent = from_span(mention)
            if extent is not None:
                preds.append(ToponymPred(extent, place.lat, place.lon))
    return preds


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def score(docs: Sequence[GoldDoc], preds: Sequence[Sequence[ToponymPred]]) -> Scored:
    """Score predicted toponyms against ``gold.toponyms``."""
    spans = Tally()
    issues = DataIssues()
    errors: list[float] = []
    gold_with_coords = 0
    found_with_coords = 0
    within = 0
    per_doc = []
    for doc, predicted in zip(docs, preds, strict=True):
        gold_items = []
        for item in doc.gold.get("toponyms") or []:
            extent = gold_extent(item, doc.article.text, doc.where, issues)
            if extent is not None:
                gold_items.append((extent, item.get("lat"), item.get("lon")))
        gold_with_coords += sum(1 for _, lat, lon in gold_items if lat is not None and lon is not None)
        pairs = match([g[0] for g in gold_items], [p.extent for p in predicted])
        spans.add(len(pairs), len(predicted), len(gold_items))
        doc_errors = []
        for g, p in pairs:
            _, gold_lat, gold_lon = gold_items[g]
            if gold_lat is None or gold_lon is None:
                continue
            found_with_coords += 1
            guess = predicted[p]
            if guess.lat is None or guess.lon is None:
                continue
            error = distance_km(gold_lat, gold_lon, guess.lat, guess.lon)
            doc_errors.append(round(error, 1))
            errors.append(error)
            within += error <= ACCURACY_KM
        per_doc.append(
            {
                "id": doc.id,
                "n_gold": len(gold_items),
                "n_pred": len(predicted),
                "matched": len(pairs),
                "errors_km": doc_errors,
            }
        )
    metrics: dict[str, float | None] = {
        "toponym_p": spans.precision,
        "toponym_r": spans.recall,
        "toponym_f1": spans.f1,
        "acc_161km": ratio(within, found_with_coords) if found_with_coords else None,
        "mean_error_km": statistics.fmean(errors) if errors else None,
        "median_error_km": statistics.median(errors) if errors else None,
    }
    counts = {
        "n_gold": spans.n_gold,
        "n_gold_with_coords": gold_with_coords,
        "n_pred": spans.n_pred,
        "found": spans.tp,
        "found_with_coords": found_with_coords,
        "found_resolved": len(errors),
    }
    return Scored(metrics, counts, per_doc, issues)
