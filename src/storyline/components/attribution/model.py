"""The two linear models (cue, role) as plain weight tables, and their loading.

Trained with scikit-learn's logistic regression by ``training/train_claims.py`` and shipped as a small
gzipped JSON table (feature -> one weight per class), so the stage scores a token with a few dictionary
look-ups: no pickled estimator (tied to one scikit-learn version) and no scikit-learn at run time.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError
from storyline.linear import LinearModel, read_model_json

__all__ = ["AttributionModel", "LinearModel"]

MODEL_FILE = "model.json.gz"
FORMAT = "storyline.claims/1"


@dataclass
class AttributionModel:
    """The cue model, the role model and the decoding thresholds tuned on a train slice."""

    cue: LinearModel
    role: LinearModel
    cue_threshold: float = 0.5
    #: A run of cue tokens starts at a token over ``cue_threshold`` and takes in its neighbours over this
    #: lower one ("called for", "is expected to"): hysteresis, so a cue is one span, not one per word.
    cue_grow: float = 0.5
    #: Lemmas that were part of a cue in training; other tokens are not scored (most of a text).
    cue_lemmas: frozenset[str] | None = None
    #: The cue lexicon: P(token is in a cue | lemma and coarse part of speech), for keys seen in a cue.
    cue_prior: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def may_cue(self, lemma: str) -> bool:
        return self.cue_lemmas is None or lemma in self.cue_lemmas

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "cue": self.cue.to_json(),
            "role": self.role.to_json(),
            "cue_threshold": self.cue_threshold,
            "cue_grow": self.cue_grow,
            "cue_prior": {k: round(v, 4) for k, v in sorted(self.cue_prior.items())},
            "cue_lemmas": sorted(self.cue_lemmas) if self.cue_lemmas is not None else None,
            "meta": self.meta,
        }
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))

    @classmethod
    def load(cls, path: Path | None = None) -> AttributionModel:
        """The shipped model (``resources/claims/model.json.gz``) or the one at ``path``."""
        try:
            data = read_model_json("claims", MODEL_FILE, path)
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
            cue_grow=float(data.get("cue_grow", data["cue_threshold"])),
            cue_prior={str(k): float(v) for k, v in (data.get("cue_prior") or {}).items()},
            cue_lemmas=frozenset(data["cue_lemmas"]) if data.get("cue_lemmas") is not None else None,
            meta=dict(data.get("meta") or {}),
        )
