"""Logistic-regression models as plain weight tables: the form every trained Storyline model ships in.

Trained with scikit-learn by the scripts in ``training/`` and shipped as gzipped JSON (feature -> one
weight per class), so a component scores with a few dictionary look-ups: no pickled estimator (tied
to one scikit-learn version) and no scikit-learn at run time. Used by the claims stage's cue and role
models and by the event roles model.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Callable, Sequence
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from storyline.errors import StorylineError

T = TypeVar("T")


def read_model_json(folder: str, name: str, path: Path | None = None) -> Any:
    """A gzipped JSON model: the shipped ``resources/<folder>/<name>``, or the file at ``path``.

    Raises OSError or ValueError (the callers turn them into their stage's coded error).
    """
    if path is None:
        ref = resources.files("storyline.resources").joinpath(folder, name)
        with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def load_model_json(folder: str, name: str, path: Path | None, parse: Callable[[Any], T], code: str) -> T:
    """A model read by :func:`read_model_json` and made by ``parse``; the stage's error ``code``
    (with ``path`` and ``reason``) when the file cannot be read or does not parse."""
    try:
        return parse(read_model_json(folder, name, path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorylineError(code, path=path or f"resources/{folder}/{name}", reason=exc) from exc


class LinearModel:
    """A logistic-regression model: binary (one weight per feature) or multinomial (one per class).

    Scores are sums over dictionary look-ups done by ``map`` and ``zip`` (C loops), since the stage
    scores every candidate token and this is its hot spot.
    """

    def __init__(
        self,
        classes: list[str],
        weights: dict[str, list[float]],
        dense: list[float] | None = None,
        center: list[float] | None = None,
        scale: list[float] | None = None,
    ) -> None:
        self.classes = classes
        self.weights = weights
        self._width = 1 if len(classes) == 2 else len(classes)
        self._flat = {f: w[0] for f, w in weights.items()} if self._width == 1 else {}
        self._rows = {f: tuple(w) for f, w in weights.items()} if self._width > 1 else {}
        # A binary model may also weigh a dense vector per token (spaCy's contextual token vector,
        # standardised with the training set's center and scale); folded into one weight vector here.
        self.dense, self.center, self.scale = dense, center, scale
        self._dense_w: np.ndarray[Any, np.dtype[np.float32]] | None = None
        self._dense_b = 0.0
        if dense is not None and center is not None and scale is not None and self._width == 1:
            w = (np.asarray(dense, dtype=np.float32) / np.asarray(scale, dtype=np.float32)).astype(np.float32)
            self._dense_w = w
            self._dense_b = -float(np.dot(w, np.asarray(center, dtype=np.float32)))

    @property
    def dense_width(self) -> int:
        """How many dimensions the dense part expects (0: the model has none)."""
        return 0 if self._dense_w is None else int(self._dense_w.shape[0])

    def dense_scores(self, matrix: np.ndarray[Any, Any]) -> list[float] | None:
        """The dense part of every row's score (one row per token); None when it does not apply.

        A matrix of the wrong width (a pipeline without the tok2vec the model was trained with) gets
        None: the sparse part alone then decides, which is weaker but never wrong-footed.
        """
        if self._dense_w is None or matrix.ndim != 2 or matrix.shape[1] != self._dense_w.shape[0]:
            return None
        return [float(v) + self._dense_b for v in matrix.astype(np.float32) @ self._dense_w]

    def scores(self, feats: Sequence[str], extra: float = 0.0) -> list[float]:
        if self._width == 1:
            return [sum(map(self._flat.get, feats, repeat(0.0, len(feats)))) + extra]
        found = [w for w in map(self._rows.get, feats) if w is not None]
        if not found:
            return [0.0] * self._width
        return [sum(column) for column in zip(*found, strict=True)]

    def proba(self, feats: Sequence[str], extra: float = 0.0) -> list[float]:
        """Class probabilities, in the order of ``classes``; ``extra`` adds to a binary model's score."""
        s = self.scores(feats, extra)
        if len(self.classes) == 2:
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s[0]))))
            return [1.0 - p, p]
        top = max(s)
        exps = [math.exp(v - top) for v in s]
        norm = sum(exps)
        return [e / norm for e in exps]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"classes": self.classes, "weights": self.weights}
        if self.dense is not None:
            out.update({"dense": self.dense, "center": self.center, "scale": self.scale})
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(
            classes=list(data["classes"]),
            weights={k: list(v) for k, v in data["weights"].items()},
            dense=data.get("dense"),
            center=data.get("center"),
            scale=data.get("scale"),
        )
