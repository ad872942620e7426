"""Measures what the exports claim over GDELT-style exports, on the Gun Violence Archive articles.

Run: ``.venv/bin/python training/measure_export_gva.py --limit 150``.

Two claims, each against the baseline that GKG itself uses, on the same analyses (so only the
export's choice differs):

- place: a KILL/WOUND count is bound to its event's own place (gkg-counts) versus to the place
  mentioned nearest to the count in the text (GKG's co-occurrence). Scored per count block: the
  block's place lies in the incident's state (``gold.state``): its admin1 is that state, or it is
  that state.
- date: ACLED's ``event_date`` (the event's own date, precision 1 only) versus the article's
  publication date (the only date a GKG record has). Scored per exported row: equal to the
  incident's date (``gold.date``).

Articles are split by a hash of the incident id (all articles of an incident on one side) into a
development half and a held-out half; nothing in the exporters was tuned on either.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from pathlib import Path

from storyline import get_nlp
from storyline.errors import Problem
from storyline.export.acled import AcledExporter, classify
from storyline.export.base import Geo, StoredAnalysis, figure
from storyline.export.gkg import GkgCountsExporter
from storyline.ingest.base import make_article
from storyline.model import Analysis, Event, Quantity
from storyline.pipeline import analyze_many

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "casualties" / "gva-dev.jsonl"


def part_of(incident_id: str) -> str:
    return "dev" if hashlib.sha256(incident_id.encode()).digest()[0] % 2 == 0 else "heldout"


def nearest_place_admin1(analysis: Analysis, quantity: Quantity, event: Event) -> str | None:
    """GKG's binding: the admin1 (or name) of the place mentioned nearest to the count in the text."""
    anchor = quantity.span.start if quantity.span is not None else event.trigger.start
    best: tuple[int, str | None] | None = None
    for place in analysis.places:
        if place.lat is None:
            continue
        for m in place.mentions:
            if m.field == "title":
                continue
            distance = abs(m.start - anchor)
            value = place.admin1 if place.admin1 else place.name
            if best is None or distance < best[0]:
                best = (distance, value)
    return best[1] if best else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=150, help="articles per part")
    args = parser.parse_args()
    records: dict[str, list[dict[str, object]]] = {"dev": [], "heldout": []}
    with DATA.open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            part = records[part_of(record["gold"]["incident_id"])]
            if len(part) < args.limit:
                part.append(record)
            if all(len(p) >= args.limit for p in records.values()):
                break
    geo = Geo()
    gkg, acled = GkgCountsExporter(geo), AcledExporter(geo)
    nlp = get_nlp()
    for name, part in records.items():
        articles = [
            make_article(
                text=str(r["text"]),
                id=str(r["id"]),
                title=r.get("title"),  # type: ignore[arg-type]
                published=r.get("published"),  # type: ignore[arg-type]
            )
            for r in part
        ]
        gold = {str(r["id"]): r["gold"] for r in part}
        tally: Counter[str] = Counter()
        for result in analyze_many(nlp, articles):
            if isinstance(result, Problem):
                tally["problems"] += 1
                continue
            g = gold[result.article.id]
            state = str(g["state"]).lower()  # type: ignore[index]
            for event in result.events:
                if event.status not in ("occurred", "alleged"):
                    continue
                # the export's own output: each block's LOCATIONFULLNAME ("City, State, Country")
                blocks = [b.split("#") for b in gkg.blocks(result, event)]
                quantities = [q for q in (event.killed, event.injured) if figure(q) is not None]
                for block, quantity in zip(blocks, quantities, strict=True):
                    tally["blocks"] += 1
                    ours = [part.strip().lower() for part in block[4].split(",")] if block[4] else []
                    if ours:
                        tally["blocks_located_event_place"] += 1
                    if state in ours:
                        tally["blocks_state_ok_event_place"] += 1
                    assert quantity is not None
                    theirs = nearest_place_admin1(result, quantity, event)
                    if theirs:
                        tally["blocks_located_nearest"] += 1
                    if theirs and theirs.lower() == state:
                        tally["blocks_state_ok_nearest"] += 1
                kind = classify(event)
                if kind is None:
                    continue
                row = acled.row(StoredAnalysis(result), event, kind)
                tally["acled_rows"] += 1
                if row["time_precision"] == 1:
                    tally["rows_day"] += 1
                    tally["rows_day_event_date_ok"] += row["event_date"] == g["date"]  # type: ignore[index]
                    tally["rows_day_published_ok"] += result.article.published == g["date"]  # type: ignore[index]
                tally["rows_published_ok"] += result.article.published == g["date"]  # type: ignore[index]
        print(name, len(part), "articles", json.dumps(dict(sorted(tally.items()))))


if __name__ == "__main__":
    main()
