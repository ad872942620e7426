"""The events stage (not built yet): registered so the pipeline has its final shape.

It assigns an empty list and never invents items; its issue replaces this with the real stage.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class EventsStage:
    """Placeholder stage: abstains on every document."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_events = []
        return doc


@Language.factory("storyline_events", assigns=["doc._.sl_events"])
def make_events(nlp: Language, name: str) -> EventsStage:
    return EventsStage()
