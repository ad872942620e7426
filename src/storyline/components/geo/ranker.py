"""Candidate features and the trained ranker that picks a GeoNames entry for a toponym in context.

Why a learned ranker: the gazetteer's prior (countries, capitals and big cities first, then population)
is right most of the time, but how much a country named elsewhere in the article, a nearby resolved
place or a "Paris, Texas" container should outweigh population is an empirical question. A logistic
regression over a dozen features, trained on half of GeoWebNews (``training/train_places.py``), answers
it; inference is a dot product in plain Python, so the runtime needs no scikit-learn.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from storyline.gazetteer import GeoEntry, GeoMatch

WEIGHTS_PATH: Final = Path(__file__).resolve().parents[2] / "resources" / "places" / "ranker.json"

#: Feature names, in the order of the weight vector. Kept in one place so training and inference agree.
FEATURES: Final[tuple[str, ...]] = (
    "prior_top",  # first in the gazetteer's prior order
    "prior_rank",  # 1 / (1 + position in the prior order)
    "log_pop",  # log10(population + 1) / 7
    "is_country",
    "is_admin1",
    "is_continent",
    "is_capital",
    "match_alternate",  # matched one of the entry's alternate names, not its name
    "match_alias_or_acronym",
    "ctx_country",  # log(1 + mentions of the entry's country elsewhere in the article)
    "ctx_country_top",  # the entry's country is the article's most mentioned country
    "ctx_country_share",  # the entry's country's share of the article's country mentions
    "ctx_admin1",  # a city whose admin1 region is named in the article
    "contains_other",  # a region or country that contains another place the article names
    "container_next",  # "Paris, Texas": the next toponym contains this entry
    "near_other_50",  # within 50 km of another resolved place of the article
    "near_other_200",  # within 200 km
    "log_dist_other",  # log10(1 + km to the nearest other resolved place) / 4 (1 when none)
    "publisher_country",  # the entry's country is the publisher's (from the URL's country domain)
    "single_candidate",
)

#: Hand-set weights used when no trained file exists (the prior, nudged by context).
DEFAULT_WEIGHTS: Final[dict[str, float]] = {
    "prior_top": 2.0,
    "prior_rank": 1.0,
    "log_pop": 2.0,
    "ctx_country": 1.5,
    "ctx_admin1": 2.0,
    "container_next": 4.0,
    "near_other_50": 1.0,
    "near_other_200": 1.0,
    "publisher_country": 0.5,
}


@dataclass(frozen=True, slots=True)
class Context:
    """What the article says about where it is, for scoring one mention's candidates."""

    countries: dict[str, float]
    top_country: str | None
    admin1: frozenset[tuple[str, str]]
    city_regions: frozenset[tuple[str, str]]
    city_countries: frozenset[str]
    container: tuple[GeoEntry, ...]
    others: tuple[tuple[float, float], ...]
    publisher_country: str | None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def contains(outer: GeoEntry, inner: GeoEntry) -> bool:
    """Whether ``outer`` (a country or admin1 region) is where ``inner`` lies."""
    if outer.geonameid == inner.geonameid or inner.country is None:
        return False
    if outer.kind == "country":
        return outer.country == inner.country
    if outer.kind == "admin1":
        return outer.country == inner.country and outer.admin1 == inner.admin1 and inner.kind == "city"
    return False


def features(matches: list[GeoMatch], ctx: Context) -> list[list[float]]:
    """One feature row per candidate (see :data:`FEATURES`)."""
    rows = []
    single = 1.0 if len(matches) == 1 else 0.0
    total = sum(ctx.countries.values())
    for rank, m in enumerate(matches):
        e = m.entry
        cc = e.country
        if ctx.others:
            dist = min(haversine_km(e.lat, e.lon, lat, lon) for lat, lon in ctx.others)
        else:
            dist = math.inf
        rows.append(
            [
                1.0 if rank == 0 else 0.0,
                1.0 / (1 + rank),
                math.log10(e.population + 1) / 7,
                1.0 if e.kind == "country" else 0.0,
                1.0 if e.kind == "admin1" else 0.0,
                1.0 if e.kind == "continent" else 0.0,
                1.0 if e.feature == "PPLC" else 0.0,
                1.0 if m.match == "alternate" else 0.0,
                1.0 if m.match in ("alias", "acronym") else 0.0,
                math.log1p(ctx.countries.get(cc, 0.0)) if cc else 0.0,
                1.0 if cc is not None and cc == ctx.top_country else 0.0,
                ctx.countries.get(cc, 0.0) / total if cc and total else 0.0,
                1.0
                if e.kind == "city"
                and cc is not None
                and e.admin1 is not None
                and (cc, e.admin1) in ctx.admin1
                else 0.0,
                1.0
                if (e.kind == "admin1" and cc is not None and (cc, e.admin1 or "") in ctx.city_regions)
                or (e.kind == "country" and cc in ctx.city_countries)
                else 0.0,
                1.0 if any(contains(c, e) for c in ctx.container) else 0.0,
                1.0 if dist <= 50 else 0.0,
                1.0 if dist <= 200 else 0.0,
                min(1.0, math.log10(1 + dist) / 4) if dist != math.inf else 1.0,
                1.0 if cc is not None and cc == ctx.publisher_country else 0.0,
                single,
            ]
        )
    return rows


class Ranker:
    """A linear scorer over :data:`FEATURES`; ``rank`` returns softmax probabilities over candidates."""

    def __init__(self, weights: dict[str, float], bias: float = 0.0) -> None:
        self.weights = [float(weights.get(name, 0.0)) for name in FEATURES]
        self.bias = bias

    @classmethod
    def load(cls, path: Path = WEIGHTS_PATH) -> Ranker:
        """The trained weights, or :data:`DEFAULT_WEIGHTS` when the file is absent."""
        if not path.exists():
            return cls(dict(DEFAULT_WEIGHTS))
        data = json.loads(path.read_text(encoding="utf-8"))
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(f"{path}: features {data.get('features')} do not match {FEATURES}")
        return cls(dict(zip(FEATURES, data["weights"], strict=True)), float(data.get("bias", 0.0)))

    def scores(self, rows: list[list[float]]) -> list[float]:
        w = self.weights
        return [self.bias + sum(a * b for a, b in zip(w, row, strict=True)) for row in rows]

    def rank(self, rows: list[list[float]]) -> list[float]:
        """Softmax probabilities of the candidates (which of them is the place meant)."""
        if not rows:
            return []
        s = self.scores(rows)
        top = max(s)
        exp = [math.exp(v - top) for v in s]
        total = sum(exp)
        return [v / total for v in exp]
