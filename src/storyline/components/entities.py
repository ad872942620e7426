"""The entities stage (first cut: spaCy NER as-is; repaired in the following commits)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from storyline.model import Entity, Span

KEPT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")


class EntitiesStage:
    def __call__(self, doc: Doc) -> Doc:
        by_name: dict[tuple[str, str], list[Span]] = {}
        for ent in doc.ents:
            if ent.label_ in KEPT_LABELS:
                span = Span(start=ent.start_char, end=ent.end_char, text=ent.text)
                by_name.setdefault((ent.label_, ent.text), []).append(span)
        doc._.sl_entities = [
            Entity(id=f"e{i}", label=label, name=name, mentions=mentions)
            for i, ((label, name), mentions) in enumerate(by_name.items(), start=1)
        ]
        return doc


@Language.factory("storyline_entities", assigns=["doc._.sl_entities"])
def make_entities(nlp: Language, name: str) -> EntitiesStage:
    return EntitiesStage()
