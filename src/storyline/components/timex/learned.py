"""The learned half of the times stage: two decisions a model trained on TimeBank may take over.

The grammar proposes candidates and resolves them. Two logistic regressions over context features can
then decide where the rules have to guess:

- ``emit``: whether a candidate is emitted at all (the annotators' habits with "now", "current",
  "recently", "for years", "daily" ...), for the categories the model was trained to decide;
- ``values``: whether a candidate takes one of the values the rules chose between (a bare weekday or
  month in the past or the future, "a year ago" as the year-ago quarter or the calendar year, "Friday
  night" with its part of day or as the plain date).

``training/train_timex_model.py`` builds both on TimeBank (model selection by cross-validation over
documents) and ships ``resources/times/timex_model.json``; a decision whose cross-validated gain is below
a noise floor is shipped as null and the stage keeps the rules' choice. Inference is a sum of weights
and a sigmoid in plain Python: deterministic, and cheap (the features read the parse the Doc carries).

:func:`candidate_features` is the single definition of the features, used by training and at run time,
so that the two cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Token

from storyline.components.timex.grammar import Chunk
from storyline.components.timex.syntax import TokenIndex

MODEL_FILE = "timex_model.json"
_WORD = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")
_QUOTES = re.compile(r"``|''|\"|“|”")


def _shape(value: str | None) -> str:
    """The form of a TIMEX3 value: digits become 9 ("1998-W33" -> "9999-W99"), refs stay as they are."""
    if value is None:
        return "NONE"
    return re.sub(r"\d", "9", value)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def candidate_features(
    text: str,
    index: TokenIndex,
    sentence_start: int,
    chunk: Chunk,
    *,
    value: str | None,
    type_: str,
) -> list[str]:
    """The features of one candidate: its category, words, value form, neighbours and syntax."""
    span_text = text[chunk.start : chunk.end]
    words = _words(span_text)
    before = _words(text[max(sentence_start, chunk.start - 40) : chunk.start])[-2:]
    after = _words(text[chunk.end : chunk.end + 30])[:2]
    prev1 = before[-1] if before else "<s>"
    prev2 = before[-2] if len(before) > 1 else "<s>"
    next1 = after[0] if after else "</s>"
    f = chunk.frame
    cat = chunk.cat
    feats = [
        f"cat={cat}",
        f"type={type_}",
        f"shape={_shape(value)}",
        f"kind={f.kind}",
        f"nwords={min(len(words), 5)}",
        f"first={words[0] if words else ''}",
        f"last={words[-1] if words else ''}",
        f"prev={prev1}",
        f"prev2={prev2} {prev1}",
        f"next={next1}",
        f"cat_prev={cat} {prev1}",
        f"cat_next={cat} {next1}",
        f"conf={round(chunk.confidence, 1)}",
    ]
    if len(words) <= 3:
        joined = " ".join(words)
        feats += [f"text={joined}", f"text_prev={joined} | {prev1}", f"text_next={joined} | {next1}"]
    if f.fuzzy:
        feats.append("fuzzy")
    if f.anaphoric:
        feats.append("anaphoric")
    if f.mod:
        feats.append(f"mod={f.mod}")
    if f.period_ref:
        feats.append("period_ref")
    if chunk.start == sentence_start or not text[sentence_start : chunk.start].strip():
        feats.append("sentence_initial")
    if span_text[:1].isupper():
        feats.append("capitalised")
    if len(_QUOTES.findall(text[sentence_start : chunk.start])) % 2 == 1:
        feats.append("in_quote")
    feats += _syntax_features(index, chunk, cat)
    return feats


def _syntax_features(index: TokenIndex, chunk: Chunk, cat: str) -> list[str]:
    span = index.span(chunk.start, chunk.end)
    if span is None or len(span) == 0:
        return ["no_parse"]
    root: Token = span.root
    head = root.head
    feats = [
        f"dep={root.dep_}",
        f"cat_dep={cat} {root.dep_}",
        f"tag={root.tag_}",
        f"head_pos={head.pos_}",
        f"head_lemma={head.lemma_.lower()}",
        f"dep_head={root.dep_} {head.pos_}",
    ]
    first = span[0]
    if first.i > 0:
        feats.append(f"prev_tag={index.doc[first.i - 1].tag_}")
    last = span[-1]
    if last.i + 1 < len(index.doc):
        feats.append(f"next_tag={index.doc[last.i + 1].tag_}")
    if head.dep_ == "prep" or root.dep_ == "pobj":
        feats.append(f"prep={head.lower_}")
    return feats


def alternative_features(name: str, features: list[str]) -> list[str]:
    """The features of switching a candidate to its alternative value ``name`` ("past", "day_only" ...)."""
    return [f"{name}|bias"] + [f"{name}|{x}" for x in features]


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over feature strings: p = sigmoid(bias + sum of the features' weights)."""

    weights: dict[str, float]
    bias: float
    threshold: float
    categories: frozenset[str] | None = None  # the chunk categories it decides; None: all

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        cats = data.get("categories")
        return cls(
            weights=weights,
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            categories=frozenset(cats) if cats is not None else None,
        )

    def applies(self, cat: str) -> bool:
        """Whether the model decides candidates of this category."""
        return self.categories is None or cat in self.categories

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class TimexModel:
    """The two learned decisions: ``emit`` (is this candidate a TIMEX3 the annotators would mark with this
    value?) and ``values`` (should the candidate take one of the values the rules chose between?)."""

    emit: LinearModel | None
    values: LinearModel | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TimexModel:
        emit = LinearModel.from_json(data["emit"]) if data.get("emit") else None
        values = LinearModel.from_json(data["values"]) if data.get("values") else None
        return cls(emit=emit, values=values)

    @property
    def active(self) -> bool:
        """Whether the model decides anything (training ships a decision only when CV shows a gain)."""
        return self.emit is not None or self.values is not None

    def keep(self, cat: str, features: list[str]) -> bool:
        """Emit the candidate? (Always, for categories the filter does not decide.)"""
        if self.emit is None or not self.emit.applies(cat):
            return True
        return self.emit.probability(features) >= self.emit.threshold

    def choose(self, features: list[str], alternatives: Iterable[str]) -> str | None:
        """The alternative to switch to (the likeliest above the threshold), or None to keep the rules'."""
        if self.values is None:
            return None
        best: tuple[float, str] | None = None
        for name in sorted(alternatives):
            p = self.values.probability(alternative_features(name, features))
            if p >= self.values.threshold and (best is None or p > best[0]):
                best = (p, name)
        return best[1] if best else None


def load_model() -> TimexModel | None:
    """The shipped model; None when the file is absent or decides nothing (the stage then runs on the
    rules alone, without computing features)."""
    try:
        raw = resources.files("storyline.resources").joinpath("times", MODEL_FILE).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    model = TimexModel.from_json(json.loads(raw))
    return model if model.active else None
