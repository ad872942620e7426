"""Build the places stage's model files from the TRAINING half of GeoWebNews (deterministic).

    .venv/bin/python training/train_places.py [--data ../shared/data/geo/geowebnews.jsonl]
        [--test-out /tmp/gwn-test.jsonl]

Split: the records sorted by id; the first half trains, the second half (``--test-out`` writes it) is
held out and never read here beyond its ids. Writes to ``src/storyline/resources/places/``:

* ``country_points.json``: a country's (key ``"CA"``) or admin1 region's (key ``"CA.08"``) GeoNames
  point where the training gold's points for it lie > 100 km from the gazetteer's territory centre
  (the median of the gold points).
* ``supplement.json``: names that the gazetteer lacks, or whose every candidate lies > 161 km from
  the gold, with the gold's point (majority over the training occurrences, at least one).
* ``ranker.json``: logistic-regression weights over ``FEATURES`` (scikit-learn here only; inference is
  plain Python). Labels: a candidate is positive when within 161 km of the gold point (the metric).
  Two rounds, because the features of a mention depend on the other mentions' resolutions, which
  depend on the weights: round 1 uses the hand-set defaults, round 2 the round-1 weights.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from spacy.tokens import Doc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storyline.components.geo import lexicon as geo_lexicon  # noqa: E402
from storyline.components.geo.ranker import DEFAULT_WEIGHTS, FEATURES, WEIGHTS_PATH, Ranker  # noqa: E402
from storyline.components.places import PlacesStage  # noqa: E402
from storyline.gazetteer import fold, get_gazetteer  # noqa: E402
from storyline.ingest import read_records  # noqa: E402
from storyline.pipeline import load, make_doc  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "geo" / "geowebnews.jsonl"
OUT = geo_lexicon.PLACES_DIR
ACC_KM = 161.0


def split(path: Path) -> tuple[list[Any], list[Any]]:
    """(train, test) records: sorted by id, first half train."""
    records = [r for r in read_records(path) if not isinstance(r, Exception)]
    records.sort(key=lambda r: r.article.id)
    half = len(records) // 2
    return records[:half], records[half:]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from storyline.components.geo.ranker import haversine_km

    return haversine_km(a[0], a[1], b[0], b[1])


def learn_tables(train: list[Any]) -> tuple[dict[str, list[float]], dict[str, dict[str, Any]]]:
    gaz = get_gazetteer()
    country_gold: dict[str, list[tuple[float, float]]] = defaultdict(list)
    region_gold: dict[str, list[tuple[float, float]]] = defaultdict(list)
    unknown: dict[str, list[tuple[str, float, float, int | None]]] = defaultdict(list)
    known_far: dict[str, set[str]] = defaultdict(set)
    for rec in train:
        for t in rec.gold.get("toponyms") or []:
            if t.get("lat") is None or t.get("lon") is None:
                continue
            point = (float(t["lat"]), float(t["lon"]))
            entry = gaz.by_id(int(t["geonameid"])) if t.get("geonameid") else None
            if entry is not None and entry.kind == "country" and entry.country:
                country_gold[entry.country].append(point)
                continue
            text = t["text"]
            cands = gaz.lookup(text)
            region = next((c for c in cands[:1] if c.kind == "admin1"), None)
            if region is not None and km((region.lat, region.lon), point) < 800:
                region_gold[f"{region.country}.{region.admin1}"].append(point)
                continue
            far = not cands or all(km((c.lat, c.lon), point) > ACC_KM for c in cands)
            if far and gaz.demonym(text) is None:
                unknown[fold(text)].append((text, point[0], point[1], t.get("geonameid")))
                if cands:
                    known_far[fold(text)].add(rec.article.id)
    points: dict[str, list[float]] = {}
    for iso, pts in sorted(country_gold.items()):
        med = (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        entry = gaz.country(iso)
        if km(med, (entry.lat, entry.lon)) > 100:
            points[iso] = [round(med[0], 5), round(med[1], 5)]
    for key, pts in sorted(region_gold.items()):
        med = (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        country, code = key.split(".", 1)
        entry = gaz.admin1(country, code)
        if entry is not None and km(med, (entry.lat, entry.lon)) > 100:
            points[key] = [round(med[0], 5), round(med[1], 5)]
    names: dict[str, dict[str, Any]] = {}
    for key, items in sorted(unknown.items()):
        if len(key) < 3 or (key in known_far and len(known_far[key]) < 2):
            continue  # a gazetteer name overridden only when two articles agree it means elsewhere
        (lat, lon), _ = Counter((round(i[1], 2), round(i[2], 2)) for i in items).most_common(1)[0]
        first = next(i for i in items if (round(i[1], 2), round(i[2], 2)) == (lat, lon))
        names[key] = {
            "name": first[0],
            "lat": first[1],
            "lon": first[2],
            "geonameid": first[3],
            "n": len(items),
        }
    return points, names


def collect(nlp: Any, stage: PlacesStage, train: list[Any]) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Feature rows and labels of every candidate of every gold-matched, resolvable toponym."""
    xs: list[list[float]] = []
    ys: list[int] = []
    groups: list[int] = []
    docs = (make_doc(nlp, r.article) for r in train)
    for g, (rec, doc) in enumerate(zip(train, nlp.pipe(docs), strict=True)):
        doc = _as_doc(doc)
        gold = [t for t in rec.gold.get("toponyms") or [] if t.get("lat") is not None]
        for top in stage.toponyms(doc):
            if not top.rows or len(top.rows) < 2:
                continue
            span = doc[top.start : top.end]
            hit = next((t for t in gold if t["start"] < span.end_char and t["end"] > span.start_char), None)
            if hit is None:
                continue
            point = (float(hit["lat"]), float(hit["lon"]))
            labels = [int(km((m.entry.lat, m.entry.lon), point) <= ACC_KM) for m in top.matches]
            if not any(labels) or all(labels):
                continue
            xs.extend(top.rows)
            ys.extend(labels)
            groups.extend([g] * len(labels))
    return np.array(xs, dtype=float), np.array(ys, dtype=int), groups


def _as_doc(doc: Doc) -> Doc:
    return doc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--test-out", type=Path, default=None, help="write the held-out half here (JSONL)")
    args = ap.parse_args()
    train, test = split(args.data)
    print(f"train {len(train)} docs ({train[0].article.id}..{train[-1].article.id}), test {len(test)}")
    if args.test_out is not None:
        ids = {r.article.id for r in test}
        with args.data.open(encoding="utf-8") as src, args.test_out.open("w", encoding="utf-8") as dst:
            for line in src:
                if line.strip() and json.loads(line)["id"] in ids:
                    dst.write(line)
        print(f"wrote the held-out half to {args.test_out}")
    OUT.mkdir(parents=True, exist_ok=True)
    points, names = learn_tables(train)
    (OUT / "country_points.json").write_text(
        json.dumps({"source": "GeoWebNews training half", "points": points}, indent=1, sort_keys=True) + "\n"
    )
    (OUT / "supplement.json").write_text(
        json.dumps({"source": "GeoWebNews training half", "names": names}, indent=1, sort_keys=True) + "\n"
    )
    print(f"country points: {len(points)}; supplement names: {len(names)}")
    nlp = load(stages=["entities"])
    gaz = get_gazetteer()
    ranker = Ranker(dict(DEFAULT_WEIGHTS))
    for round_ in (1, 2):
        stage = PlacesStage(gaz, ranker)
        x, y, _ = collect(nlp, stage, train)
        model = LogisticRegression(C=1.0, max_iter=5000)
        model.fit(x, y)
        weights = {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0], strict=True)}
        ranker = Ranker(weights, round(float(model.intercept_[0]), 4))
        print(f"round {round_}: {len(y)} candidates, {int(y.sum())} positive; weights {weights}")
    data = {
        "features": list(FEATURES),
        "weights": [ranker.weights[i] for i in range(len(FEATURES))],
        "bias": ranker.bias,
        "trained_on": "GeoWebNews, first half of the records sorted by id",
    }
    WEIGHTS_PATH.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {WEIGHTS_PATH}")


if __name__ == "__main__":
    main()
