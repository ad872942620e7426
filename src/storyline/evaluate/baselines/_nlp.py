"""The plain spaCy model the baselines parse with (no Storyline stage), loaded once per process."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

BATCH_SIZE = 32


@lru_cache(maxsize=1)
def base_nlp() -> Language:
    import spacy

    from storyline.pipeline import BASE_MODEL

    return spacy.load(BASE_MODEL)
