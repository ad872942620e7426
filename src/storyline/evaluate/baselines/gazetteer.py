"""``gazetteer`` baseline for geo: spaCy's GPE and LOC entities, each resolved to the most populous
entry of that name in Storyline's GeoNames index (:mod:`storyline.gazetteer`: cities of 500+ people
with their Latin-script alternate names, countries and regions with territory centres, continents).

No context is used: "Georgia" is the US state (more people than the country), "Paris" the French
capital. That is the gap the places stage has to close.
"""

from __future__ import annotations

from collections.abc import Sequence

from storyline.evaluate.baselines._nlp import BATCH_SIZE, base_nlp
from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.evaluate.geo import ToponymPred
from storyline.evaluate.spans import Extent
from storyline.gazetteer import get_gazetteer

LABELS = ("GPE", "LOC")


def lookup(name: str) -> tuple[float | None, float | None]:
    """Coordinates of the most populous entry called ``name`` (a leading "the" ignored; the first of
    equals in the index's order)."""
    if name.lower().startswith("the "):
        name = name[4:]
    entries = get_gazetteer().lookup(name)
    if not entries:
        return None, None
    best = max(entries, key=lambda entry: entry.population)
    return best.lat, best.lon


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[list[ToponymPred]]:
    out = []
    texts = (doc.article.text for doc in docs)
    for parsed in base_nlp().pipe(texts, batch_size=BATCH_SIZE):
        preds = []
        for ent in parsed.ents:
            if ent.label_ in LABELS:
                lat, lon = lookup(ent.text)
                preds.append(ToponymPred(Extent.of(ent.start_char, ent.end_char, ent.text), lat, lon))
        out.append(preds)
    return out
