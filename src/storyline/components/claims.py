"""The claims stage (not built yet): registered so the pipeline has its final shape.

It assigns an empty list and never invents items; its issue replaces this with the real stage.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ClaimsStage:
    """Placeholder stage: abstains on every document."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_claims = []
        return doc


@Language.factory("storyline_claims", assigns=["doc._.sl_claims"])
def make_claims(nlp: Language, name: str) -> ClaimsStage:
    return ClaimsStage()
