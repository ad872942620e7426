"""The entities stage: people, organisations and other named things, with titles and all mentions.

Cascade (each step in its own module, so each can be measured):
1. spaCy's NER, repaired where the small model fails on news (:mod:`.ner_repair`);
2. name clusters: full names, then surnames joining them (:mod:`.coref`);
3. titles and ages from pre-modifiers and appositions (:mod:`.titles`);
4. descriptions and pronouns joining the clusters (:mod:`.coref`).

Assigns ``doc._.sl_entities`` (output records) and ``doc._.sl_clusters`` (token-level clusters that
the claims and events stages use to resolve a source or a participant to an entity).
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from storyline.components.coref import Cluster, MentionIndex, MentionRef, resolve_anaphora, surname_keys
from storyline.components.ner_repair import Candidate, PlaceNames, repair
from storyline.components.titles import age_near, apposition_titles, premodifier_titles
from storyline.model import Entity, Mention

if not Doc.has_extension("sl_clusters"):
    Doc.set_extension("sl_clusters", default=None)

#: Confidence of an entity straight from the model, and of one a repair changed or created.
CONFIDENCE_MODEL = 0.85
CONFIDENCE_REPAIRED = 0.7
LEADING_ARTICLES = ("the ", "The ")


def _clean_name(text: str) -> str:
    for art in LEADING_ARTICLES:
        if text.startswith(art):
            text = text[len(art) :]
    for suffix in ("'s", "’s"):
        text = text.removesuffix(suffix)
    return " ".join(text.split())


class EntitiesStage:
    """Repairs NER, clusters mentions and reads titles; see the module docstring for the cascade."""

    def __init__(self, places: PlaceNames) -> None:
        self.places = places

    def __call__(self, doc: Doc) -> Doc:
        cands = repair(doc, self.places)
        clusters, index = self._name_clusters(doc, cands)
        entity_tokens = set(index.owner)
        for cluster in clusters:
            if cluster.label != "PERSON":
                continue
            for m in cluster.mentions:
                cluster.add_titles(premodifier_titles(doc, m.start, entity_tokens))
                cluster.add_titles(apposition_titles(doc, doc[m.start : m.end].root))
                age = age_near(doc, m.start, m.end)
                if age is not None:
                    cluster.attributes.setdefault("age", age)
        resolve_anaphora(doc, clusters, index)
        clusters.sort(key=lambda c: min(m.start for m in c.mentions))
        for n, cluster in enumerate(clusters, start=1):
            cluster.id = f"e{n}"
        doc._.sl_clusters = clusters
        doc._.sl_entities = [self._entity(doc, c) for c in clusters]
        return doc

    def _name_clusters(self, doc: Doc, cands: list[Candidate]) -> tuple[list[Cluster], MentionIndex]:
        index = MentionIndex()
        clusters: list[Cluster] = []
        by_key: dict[tuple[str, str], Cluster] = {}
        surnames: dict[str, list[Cluster]] = {}
        # Full names first, so a surname can join a name that appears later in the text too.
        ordered = sorted(cands, key=lambda c: (c.label != "PERSON" or c.end - c.start < 2, c.start))
        for cand in ordered:
            text = _clean_name(doc[cand.start : cand.end].text)
            if not text:
                continue
            cluster: Cluster | None = None
            key, name = (cand.label, text.lower()), text
            if cand.label == "PERSON" and cand.end - cand.start == 1 and text in surnames:
                # the most recently named person with this surname, before this mention if any
                options = surnames[text]
                before = [c for c in options if min(m.start for m in c.mentions) < cand.start]
                cluster = (before or options)[-1]
            else:
                if cand.label == "GPE":
                    # one entity per GeoNames place: "U.S.", "US" and "United States"
                    canonical = self.places.canonical(text)
                    if canonical is not None:
                        key, name = ("GPE", f"geonames:{canonical[0]}"), canonical[1]
                cluster = by_key.get(key)
            if cluster is None:
                cluster = Cluster(label=cand.label, name=name)
                clusters.append(cluster)
                by_key[key] = cluster
                if cand.label == "PERSON" and cand.end - cand.start >= 2:
                    for key_text in surname_keys(doc, cand.start, cand.end):
                        surnames.setdefault(_clean_name(key_text), []).append(cluster)
            cluster.repaired = cluster.repaired or cand.repaired_by is not None
            index.add(cluster, MentionRef(cand.start, cand.end, "name"))
        return clusters, index

    @staticmethod
    def _entity(doc: Doc, cluster: Cluster) -> Entity:
        mentions = []
        for m in sorted(cluster.mentions, key=lambda m: m.start):
            span = doc[m.start : m.end]
            mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text, kind=m.kind))
        attributes: dict[str, Any] = dict(cluster.attributes)
        if cluster.gender:
            attributes.setdefault("gender", {"m": "male", "f": "female"}[cluster.gender])
        return Entity(
            id=cluster.id,
            label=cluster.label,
            name=cluster.name,
            titles=cluster.titles,
            attributes=attributes,
            mentions=mentions,
            confidence=CONFIDENCE_REPAIRED if cluster.repaired else CONFIDENCE_MODEL,
        )


def entity_at(doc: Doc, start_char: int, end_char: int) -> str | None:
    """The id of the entity with a mention overlapping these character offsets (for later stages)."""
    clusters: list[Cluster] = doc._.sl_clusters or []
    best: tuple[int, str] | None = None
    for cluster in clusters:
        for m in cluster.mentions:
            span = doc[m.start : m.end]
            overlap = min(end_char, span.end_char) - max(start_char, span.start_char)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, cluster.id)
    return best[1] if best else None


@Language.factory("storyline_entities", assigns=["doc._.sl_entities", "doc._.sl_clusters"])
def make_entities(nlp: Language, name: str) -> EntitiesStage:
    from storyline.components.ner_repair import GazetteerPlaceNames
    from storyline.gazetteer import get_gazetteer

    return EntitiesStage(places=GazetteerPlaceNames(get_gazetteer()))
