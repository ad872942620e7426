"""The learned same-story model: the probability that two articles report one story.

Why a second scorer beside the hand-weighted one (:meth:`StoryIndex._combine`): weights set by a
grid search over a few settings cannot use a sentence embedding's cosine, whose scale differs from
the TF-IDF cosines (two reports of different shootings sit at 0.6, two of one story at 0.8). A
logistic regression over the per-group similarities learns each group's weight and scale from
labelled pairs: the even-hash half of the newscluster stories and the development half of the
derived GVA pairs (``training/train_story_pairs.py``). Features, per evidence group (words, headline
words, entities, places, event types, the embedding): the cosine and a flag for "one side has none";
then log(1 + days apart) and a flag for "undated".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyline.linear import load_model_json

__all__ = ["FORMAT", "GROUPS", "PairModel", "feature_names", "load_pair_model"]

FORMAT = "storyline.story-pairs/1"
MODEL_FOLDER = "stories"
MODEL_FILE = "pairs.json.gz"
#: Evidence groups the model reads, in feature order ("dense": the sentence embedding's cosine).
GROUPS = ("words", "title", "entities", "places", "types", "dense")


def feature_names() -> list[str]:
    names = [name for group in GROUPS for name in (group, f"{group}:missing")]
    return [*names, "log_days", "days:missing"]


def features(sims: Mapping[str, float], gap: float | None) -> list[float]:
    """The feature vector of a pair (or of an article and a story: mean similarities, nearest gap)."""
    row: list[float] = []
    for group in GROUPS:
        if group in sims:
            row += [sims[group], 0.0]
        else:
            row += [0.0, 1.0]
    row += [math.log1p(gap), 0.0] if gap is not None else [0.0, 1.0]
    return row


@dataclass(frozen=True, slots=True)
class PairModel:
    """Logistic weights over :func:`feature_names`, and the probability threshold chosen with them."""

    weights: tuple[float, ...]
    bias: float
    threshold: float
    trained_on: str = ""
    #: Share of an article's score for a story that comes from its most similar member (the rest:
    #: the mean over members), chosen with the threshold.
    link_weight: float = 0.0

    def probability(self, sims: Mapping[str, float], gap: float | None) -> float:
        z = self.bias + math.fsum(w * x for w, x in zip(self.weights, features(sims, gap), strict=True))
        if z < -30.0:
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "features": feature_names(),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
            "link_weight": self.link_weight,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PairModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
        if list(data["features"]) != feature_names():
            raise ValueError("its features are not the ones this version computes")
        weights: Sequence[float] = data["weights"]
        return cls(
            tuple(float(w) for w in weights),
            float(data["bias"]),
            float(data["threshold"]),
            str(data.get("trained_on", "")),
            float(data.get("link_weight", 0.0)),
        )


def load_pair_model(path: Path | None = None) -> PairModel:
    """The shipped model (or the one at ``path``); E049 when it cannot be read."""
    return load_model_json(MODEL_FOLDER, MODEL_FILE, path, PairModel.from_json, "E049")
