"""templates scorer (CEAF-REE as in GRIT's eval.py) and adapter on hand-made cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.templates import from_analysis, max_matching, normalize, score
from storyline.model import Analysis, Argument, Article, Entity, Event, Span

MakeDoc = Callable[..., GoldDoc]
GoldSpan = Callable[[str, str], dict[str, Any]]

TEXT = "the guerrillas of the guerrilla column attacked the farm of cerezo and burned a truck."


def test_normalize_like_grit() -> None:
    # lower-case, drop punctuation ("fmln's" -> "fmlns"), then the articles, then extra spaces.
    assert normalize("The FMLN's  guerrillas.") == "fmlns guerrillas"


def test_max_matching_is_one_to_one() -> None:
    # p0 and p2 both fit only g0; p1 fits g1: at most 2 pairs.
    assert max_matching([["a"], ["b"], ["a"]], [["a", "a2"], ["b"]]) == 2
    # A predicted entity scores only when all its mentions are in one gold entity.
    assert max_matching([["a", "b"]], [["a"], ["b"]]) == 0


def test_templates_metrics_by_hand(make_doc: MakeDoc, gold_span: GoldSpan) -> None:
    meta = {
        "grit_extracts": {
            "PerpInd": [[gold_span(TEXT, "guerrillas"), gold_span(TEXT, "guerrilla column")]],
            "PerpOrg": [],
            "Target": [[gold_span(TEXT, "farm")], [gold_span(TEXT, "truck")]],
            "Victim": [[gold_span(TEXT, "cerezo")]],
            "Weapon": [],
        }
    }
    preds = {
        "PerpInd": [["the guerrillas"]],  # "guerrillas" is a gold mention: 1
        "Target": [["farm"], ["the farm"]],  # both fit the farm, one-to-one: 1 of 2
        "Victim": [["president cerezo"]],  # not a gold mention: 0
        "Weapon": [["bomb"]],  # no gold weapon: 0
    }
    result = score([make_doc(TEXT, {"templates": []}, meta=meta)], [preds])
    # PerpInd 1/1/1 -> P = R = F1 = 1.
    assert result.metrics["PerpInd_f1"] == 1.0
    # Target: matched 1, predicted 2, gold 2 -> P = R = F1 = 0.5.
    assert result.metrics["Target_p"] == 0.5
    assert result.metrics["Target_r"] == 0.5
    assert result.metrics["Victim_f1"] == 0.0
    assert result.metrics["Weapon_p"] == 0.0
    # Micro: matched 2, predicted 1 + 2 + 1 + 1 = 5, gold 1 + 2 + 1 = 4: P 0.4, R 0.5, F1 = 0.4 / 0.9.
    assert result.metrics["role_p"] == 0.4
    assert result.metrics["role_r"] == 0.5
    assert result.metrics["role_f1"] == pytest.approx(4 / 9)
    assert result.counts == {"n_gold": 4, "n_pred": 5, "matched": 2}


def test_gold_templates_are_merged_without_grit_extracts(make_doc: MakeDoc) -> None:
    gold = {
        "templates": [
            {"incident_type": "attack", "PerpInd": [["guerrillas"]], "Target": [["farm"]]},
            {"incident_type": "arson", "PerpInd": [["Guerrillas"]], "Target": [["truck"]]},
        ]
    }
    result = score([make_doc(TEXT, gold)], [{"PerpInd": [["guerrillas"]]}])
    # Gold entities: PerpInd [guerrillas] (once: the same after normalising), Target [farm], [truck].
    assert result.counts == {"n_gold": 3, "n_pred": 1, "matched": 1}


def test_adapter_maps_event_arguments_to_roles() -> None:
    """Arguments count by their learned role; those without one, and negated events, do not."""

    def arg(text: str, entity: str | None = None, role: str | None = None) -> Argument:
        start = TEXT.index(text)
        span = Span(start=start, end=start + len(text), text=text)
        return Argument(text=text, span=span, entity=entity, role=role)

    entities = [
        Entity(id="e1", label="ORG", name="guerrilla column"),
        Entity(id="e2", label="FAC", name="farm"),
        Entity(id="e3", label="PERSON", name="cerezo"),
    ]
    trigger = Span(start=39, end=47, text="attacked")
    attack = Event(
        id="v1",
        type="ASSAULT",
        trigger=trigger,
        status="occurred",
        who=[arg("the guerrillas", role="PerpInd"), arg("guerrilla column", "e1", "PerpOrg")],
        whom=[arg("the farm", "e2", "Target"), arg("cerezo", "e3", "Victim"), arg("a truck")],
        how=[Span(start=0, end=3, text="the")],  # normalises to nothing: dropped
    )
    protest = attack.model_copy(update={"id": "v2", "type": "PROTEST", "who": [arg("cerezo")]})
    denied = attack.model_copy(
        update={"id": "v3", "status": "negated", "who": [arg("cerezo", role="PerpInd")]}
    )
    analysis = Analysis(
        article=Article(id="a", text=TEXT), entities=entities, events=[attack, protest, denied]
    )
    assert from_analysis(analysis) == {
        "PerpInd": [["the guerrillas"]],
        "PerpOrg": [["guerrilla column"]],
        "Target": [["the farm"]],
        "Victim": [["cerezo"]],
        "Weapon": [],
    }
