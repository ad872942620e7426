"""The highlights stage (not built yet): registered so the pipeline has its final shape.

It assigns an empty list and never invents items; its issue replaces this with the real stage.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class HighlightsStage:
    """Placeholder stage: abstains on every document."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_highlights = []
        return doc


@Language.factory("storyline_highlights", assigns=["doc._.sl_highlights"])
def make_highlights(nlp: Language, name: str) -> HighlightsStage:
    return HighlightsStage()
