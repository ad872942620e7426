"""The two linear models (cue, role) as plain weight tables, and their loading.

Trained with scikit-learn's logistic regression by ``training/train_claims.py`` and shipped as a small
gzipped JSON table (feature -> one weight per class), so the stage scores a token with a few dictionary
look-ups: no pickled estimator (tied to one scikit-learn version) and no scikit-learn at run time.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError

MODEL_FILE = "model.json.gz"
FORMAT = "storyline.claims/1"


class LinearModel:
    """A logistic-regression model: binary (one weight per feature) or multinomial (one per class).

    Scores are sums over dictionary look-ups done by ``map`` and ``zip`` (C loops), since the stage
    scores every candidate token and this is its hot spot.
    """

    def __init__(self, classes: list[str], weights: dict[str, list[float]]) -> None:
        self.classes = classes
        self.weights = weights
        self._width = 1 if len(classes) == 2 else len(classes)
        self._flat = {f: w[0] for f, w in weights.items()} if self._width == 1 else {}
        self._rows = {f: tuple(w) for f, w in weights.items()} if self._width > 1 else {}

    def scores(self, feats: Sequence[str]) -> list[float]:
        if self._width == 1:
            return [sum(map(self._flat.get, feats, repeat(0.0, len(feats))))]
        found = [w for w in map(self._rows.get, feats) if w is not None]
        if not found:
            return [0.0] * self._width
        return [sum(column) for column in zip(*found, strict=True)]

    def proba(self, feats: Sequence[str]) -> list[float]:
        """Class probabilities, in the order of ``classes``."""
        s = self.scores(feats)
        if len(self.classes) == 2:
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s[0]))))
            return [1.0 - p, p]
        top = max(s)
        exps = [math.exp(v - top) for v in s]
        norm = sum(exps)
        return [e / norm for e in exps]

    def to_json(self) -> dict[str, Any]:
        return {"classes": self.classes, "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(classes=list(data["classes"]), weights={k: list(v) for k, v in data["weights"].items()})


@dataclass
class AttributionModel:
    """The cue model, the role model and the decoding thresholds tuned on a train slice."""

    cue: LinearModel
    role: LinearModel
    cue_threshold: float = 0.5
    #: Lemmas that were part of a cue in training; other tokens are not scored (most of a text).
    cue_lemmas: frozenset[str] | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def may_cue(self, lemma: str) -> bool:
        return self.cue_lemmas is None or lemma in self.cue_lemmas

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "cue": self.cue.to_json(),
            "role": self.role.to_json(),
            "cue_threshold": self.cue_threshold,
            "cue_lemmas": sorted(self.cue_lemmas) if self.cue_lemmas is not None else None,
            "meta": self.meta,
        }
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))

    @classmethod
    def load(cls, path: Path | None = None) -> AttributionModel:
        """The shipped model (``resources/claims/model.json.gz``) or the one at ``path``."""
        try:
            if path is None:
                ref = resources.files("storyline.resources").joinpath("claims", MODEL_FILE)
                with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
                    data = json.load(fh)
            else:
                with gzip.open(path, "rt", encoding="utf-8") as fh:
                    data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise StorylineError("E090", path=str(path or MODEL_FILE), reason=repr(exc)) from exc
        if data.get("format") != FORMAT:
            raise StorylineError(
                "E090", path=str(path or MODEL_FILE), reason=f"format {data.get('format')!r}"
            )
        return cls(
            cue=LinearModel.from_json(data["cue"]),
            role=LinearModel.from_json(data["role"]),
            cue_threshold=float(data["cue_threshold"]),
            cue_lemmas=frozenset(data["cue_lemmas"]) if data.get("cue_lemmas") is not None else None,
            meta=dict(data.get("meta") or {}),
        )
