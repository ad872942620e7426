"""Held-out check of another kind: does Storyline find the incident's city in local US news?

    .venv/bin/python training/measure_places_gva.py [--n 300] [--data ../shared/data/casualties/gva-dev.jsonl]

Gun Violence Archive articles (never used in training) carry the incident's ``city_or_county`` and
``state``. The gold point is the gazetteer's entry for that city in that state (the most populous one;
incidents whose city the gazetteer lacks are counted apart). An article is a hit when one of the places
Storyline outputs (any type but demonym) lies within 30 km of it. The baseline is the evaluation's
gazetteer baseline: spaCy GPE/LOC, each resolved to the most populous entry of its name.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.components.geo.ranker import haversine_km  # noqa: E402
from storyline.evaluate.baselines import gazetteer as baseline  # noqa: E402
from storyline.evaluate.baselines._nlp import base_nlp  # noqa: E402
from storyline.gazetteer import GeoEntry, get_gazetteer  # noqa: E402
from storyline.model import Analysis, Article  # noqa: E402
from storyline.pipeline import analyze_many, load  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "casualties" / "gva-dev.jsonl"
WITHIN_KM = 30.0


def gold_point(city: str, state: str) -> GeoEntry | None:
    """The gazetteer's most populous entry called ``city`` in US state ``state`` (a state name)."""
    gaz = get_gazetteer()
    states = [e for e in gaz.lookup(state) if e.kind == "admin1" and e.country == "US"]
    if not states:
        return None
    code = states[0].admin1
    name = city.removesuffix(" (county)").strip()
    cands = [e for e in gaz.lookup(name) if e.country == "US" and e.admin1 == code and e.kind == "city"]
    return max(cands, key=lambda e: e.population) if cands else None


def hit(points: list[tuple[float, float]], gold: GeoEntry) -> bool:
    return any(haversine_km(lat, lon, gold.lat, gold.lon) <= WITHIN_KM for lat, lon in points)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    records = []
    with args.data.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                records.append(json.loads(line))
            if len(records) >= args.n:
                break
    articles = [
        Article(
            id=r["id"], text=r["text"], url=r.get("url"), title=r.get("title"), published=r.get("published")
        )
        for r in records
    ]
    golds = [gold_point(r["gold"]["city_or_county"], r["gold"]["state"]) for r in records]
    scored = [i for i, g in enumerate(golds) if g is not None]
    nlp = load(stages=["entities", "times", "places"])
    t0 = time.perf_counter()
    ours: list[list[tuple[float, float]]] = []
    for result in analyze_many(nlp, articles):
        if isinstance(result, Analysis):
            ours.append([(p.lat, p.lon) for p in result.places if p.lat is not None and p.lon is not None
                         and p.type != "demonym"])  # fmt: skip
        else:
            ours.append([])
    seconds = time.perf_counter() - t0
    base: list[list[tuple[float, float]]] = []
    for parsed in base_nlp().pipe((a.text for a in articles), batch_size=32):
        pts = []
        for ent in parsed.ents:
            if ent.label_ in baseline.LABELS:
                lat, lon = baseline.lookup(ent.text)
                if lat is not None and lon is not None:
                    pts.append((lat, lon))
        base.append(pts)
    n = len(scored)
    ours_hits = sum(hit(ours[i], golds[i]) for i in scored if golds[i] is not None)  # type: ignore[arg-type]
    base_hits = sum(hit(base[i], golds[i]) for i in scored if golds[i] is not None)  # type: ignore[arg-type]
    print(f"articles: {len(records)}; gold city found in the gazetteer: {n} (skipped {len(records) - n})")
    print(
        f"gold city among the places (<= {WITHIN_KM:.0f} km): storyline {ours_hits}/{n} = {ours_hits / n:.3f}"
    )
    print(f"                                      gazetteer baseline {base_hits}/{n} = {base_hits / n:.3f}")
    print(f"(storyline pipeline up to places: {seconds:.1f} s)")


if __name__ == "__main__":
    main()
