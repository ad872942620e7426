"""The places stage (not built yet): registered so the pipeline has its final shape.

It assigns an empty list and never invents items; its issue replaces this with the real stage.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class PlacesStage:
    """Placeholder stage: abstains on every document."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_places = []
        return doc


@Language.factory("storyline_places", assigns=["doc._.sl_places"])
def make_places(nlp: Language, name: str) -> PlacesStage:
    return PlacesStage()
