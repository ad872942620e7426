"""The learned decisions of the times stage (storyline.components.timex.learned) and their shipped file."""

from __future__ import annotations

import datetime as dt
import json
import math
from importlib import resources

import spacy

from storyline.components.times import candidates, tag
from storyline.components.timex.learned import (
    MODEL_FILE,
    LinearModel,
    TimexModel,
    alternative_features,
    candidate_features,
    load_model,
)

PUBLISHED = dt.date(1998, 10, 25)  # a Sunday


def _doc(text: str) -> spacy.tokens.Doc:
    return spacy.blank("en")(text)


def test_linear_model_is_a_logistic_regression() -> None:
    model = LinearModel(weights={"a": 1.0, "b": -2.0}, bias=0.5, threshold=0.5)
    assert math.isclose(model.probability(["a", "b", "unknown"]), 1 / (1 + math.exp(0.5)))
    assert model.probability([]) > 0.5
    assert model.applies("anything")
    assert not LinearModel({}, 0.0, 0.5, frozenset({"ref"})).applies("weekday")


def test_filter_only_decides_its_categories() -> None:
    drop_all = LinearModel(weights={}, bias=-10.0, threshold=0.5, categories=frozenset({"ref"}))
    model = TimexModel(emit=drop_all, values=None)
    assert not model.keep("ref", ["text=now"])
    assert model.keep("weekday", ["text=friday"])


def test_choose_takes_the_likeliest_alternative_above_threshold() -> None:
    values = LinearModel(weights={"past|bias": 1.0, "future|bias": 3.0}, bias=0.0, threshold=0.6)
    model = TimexModel(emit=None, values=values)
    assert model.choose([], ["past", "future"]) == "future"
    assert TimexModel(None, LinearModel({}, -5.0, 0.5)).choose([], ["past"]) is None
    assert alternative_features("past", ["x"]) == ["past|bias", "past|x"]


def test_tag_applies_the_model() -> None:
    text = "The doctor was shot Friday night at his home. Police now say they have a suspect."
    rules = {t.span.text: t for t in tag(_doc(text), PUBLISHED)}
    assert rules["Friday night"].value == "1998-10-23TNI"
    assert "now" in rules
    model = TimexModel(
        emit=LinearModel({"text=now": -20.0}, 5.0, 0.5, frozenset({"ref"})),
        values=LinearModel({"day_only|bias": 5.0}, 0.0, 0.5),
    )
    learned = {t.span.text: t for t in tag(_doc(text), PUBLISHED, model)}
    assert "now" not in learned
    assert learned["Friday night"].value == "1998-10-23"
    assert learned["Friday night"].type == "DATE"
    assert [t.id for t in tag(_doc(text), PUBLISHED, model)] == ["t1"]


def test_alternatives_are_the_values_the_rules_chose_between() -> None:
    text = "Officials said Friday night that a year ago the plan failed."
    _, found = candidates(_doc(text), PUBLISHED, alternatives=True)
    by_text = {text[c.chunk.start : c.chunk.end]: c for c in found}
    night = by_text["Friday night"]
    assert night.alternatives["day_only"] == ("1998-10-23", "DATE")
    assert night.alternatives["future"][0] == "1998-10-30TNI"
    _, plain = candidates(_doc(text), PUBLISHED)
    assert all(not c.alternatives for c in plain)


def test_features_are_deterministic_strings() -> None:
    text = "Police now say they have a suspect."
    document, found = candidates(_doc(text), PUBLISHED)
    (cand,) = found
    args = (text, document.index, cand.sentence_start, cand.chunk)
    one = candidate_features(*args, value=cand.value, type_=cand.type)
    assert one == candidate_features(*args, value=cand.value, type_=cand.type)
    assert {"cat=ref", "text=now", "prev=police", "next=say", "shape=PRESENT_REF"} <= set(one)


def test_shipped_model_file_is_well_formed() -> None:
    path = resources.files("storyline.resources").joinpath("times", MODEL_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) >= {"emit", "values", "cv_gain"}
    for key in ("emit", "values"):
        if data[key] is not None:
            assert {"weights", "bias", "threshold"} <= set(data[key])
    model = load_model()
    assert (model is None) == (data["emit"] is None and data["values"] is None)
