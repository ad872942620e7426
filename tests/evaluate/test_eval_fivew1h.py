"""fivew1h scorer and adapter on hand-made cases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.evaluate.data import GoldDoc
from storyline.evaluate.fivew1h import fivew1h_answers, score, sentence_around, token_f1
from storyline.model import Analysis, Argument, Article, Event, EventPlace, EventTime, Span, Time

MakeDoc = Callable[..., GoldDoc]


def test_token_f1() -> None:
    # [tram, derailed, in, croydon] vs [tram, derailment, in, croydon] ("the" dropped): 3 shared of 4
    # and 4: P = R = 3/4, F1 = 3/4.
    assert token_f1("The tram derailed in Croydon", "tram derailment in Croydon") == 0.75
    assert token_f1("", "anything") == 0.0


def test_fivew1h_metrics_by_hand(make_doc: MakeDoc) -> None:
    gold = {
        "who": [{"text": "British Transport Police", "weight": 3, "parsed": None}],
        "what": [{"text": "tram derailed", "weight": 2, "parsed": None}],
        "when": [{"text": "at around 6am", "weight": 3, "parsed": "2016-11-09"}],
        "where": [],
        "why": [{"text": "speeding", "weight": 0, "parsed": None}],  # weight 0: not gold
        "how": [{"text": "came off the tracks", "weight": 1, "parsed": None}],
    }
    answers = {
        "who": "Police",  # [police] vs 3 tokens: P 1, R 1/3, F1 = 0.5: right (>= 0.5)
        "what": "a tram derailed on Monday",  # [tram, derailed, on, monday] vs 2: P 1/2, R 1, F1 2/3: right
        "when": "2016-11-09",  # an ISO date equal to the phrase's parsed date: right
        "where": "Croydon",  # no gold phrase: left out
        "why": "because",  # only a weight-0 phrase: left out
        "how": None,  # no answer: wrong
    }
    result = score([make_doc("text", gold)], [answers])
    assert result.metrics["who_p1"] == 1.0
    assert result.metrics["what_p1"] == 1.0
    assert result.metrics["when_p1"] == 1.0
    assert result.metrics["where_p1"] is None
    assert result.metrics["why_p1"] is None
    assert result.metrics["how_p1"] == 0.0
    # 3 right of 4 scored questions.
    assert result.metrics["p1"] == 0.75
    assert result.counts["no_gold_where"] == 1
    assert result.counts["answered_how"] == 0


def test_sentence_around() -> None:
    text = "First one. The tram derailed at 6am! Last."
    start = text.index("derailed")
    assert sentence_around(text, start, start + 8) == "The tram derailed at 6am!"


def test_answers_come_from_the_most_confident_event() -> None:
    text = "Police said the tram derailed in Croydon at 6am. It was speeding."
    trigger = text.index("derailed")
    time_start = text.index("at 6am")
    event = Event(
        id="v1",
        type="ACCIDENT",
        trigger=Span(start=trigger, end=trigger + 8, text="derailed"),
        status="occurred",
        who=[Argument(text="the tram")],
        when=EventTime(time="t1", value="2016-11-09T06:00"),
        where=EventPlace(name="Croydon"),
        why=[Span(start=52, end=64, text="was speeding")],
        confidence=0.9,
    )
    weak = event.model_copy(update={"id": "v2", "who": [Argument(text="someone")], "confidence": 0.3})
    time = Time(id="t1", span=Span(start=time_start, end=time_start + 6, text="at 6am"), type="TIME")
    analysis = Analysis(article=Article(id="a", text=text), events=[weak, event], times=[time])
    assert fivew1h_answers(analysis) == {
        "who": "the tram",
        "what": "Police said the tram derailed in Croydon at 6am.",
        "when": "at 6am",
        "where": "Croydon",
        "why": "was speeding",
        "how": None,
    }
    assert fivew1h_answers(Analysis(article=Article(id="b", text=text))) == dict.fromkeys(
        ("who", "what", "when", "where", "why", "how")
    )


def test_p1_is_zero_when_nothing_is_answered(make_doc: MakeDoc) -> None:
    gold = {"who": [{"text": "Police", "weight": 1, "parsed": None}]}
    result = score([make_doc("text", gold)], [dict.fromkeys(("who", "what"))])
    assert result.metrics["who_p1"] == 0.0
    assert result.metrics["p1"] == pytest.approx(0.0)
