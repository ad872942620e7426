"""The events stage on real news sentences: casualties bound to events, merging, factuality."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storyline.ingest.base import make_article
from storyline.model import Analysis, Event
from storyline.pipeline import analyze_many, load


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    return load(stages=("entities", "times", "events"))


def run(nlp: Language, text: str, published: str = "2019-08-05") -> Analysis:
    (result,) = analyze_many(nlp, [make_article(text, published=published)])
    assert isinstance(result, Analysis)
    return result


def with_casualties(analysis: Analysis) -> list[Event]:
    return [e for e in analysis.events if e.killed is not None or e.injured is not None]


@pytest.mark.slow
def test_killed_and_vague_injured_in_one_event(events_nlp: Language) -> None:
    a = run(
        events_nlp,
        "Twelve people were killed and dozens injured when a truck plowed into a busy market on Monday.",
    )
    (event,) = with_casualties(a)
    assert event.type == "ASSAULT" and event.mode == "vehicle"
    assert event.killed is not None and event.killed.value == 12
    assert event.injured is not None and event.injured.value is None and event.injured.low == 24
    assert event.when is not None and event.when.value == "2019-08-05"
    assert any("truck" in h.text for h in event.how)


@pytest.mark.slow
def test_shot_and_wounded_counts(events_nlp: Language) -> None:
    a = run(
        events_nlp,
        "A gunman shot and killed two people and wounded three others at a bar in Denver on Saturday.",
    )
    event = with_casualties(a)[0]
    assert event.killed is not None and event.killed.value == 2
    assert event.injured is not None and event.injured.value == 3
    assert event.mode == "firearms"


@pytest.mark.slow
def test_survivors_of_people_shot_are_injured(events_nlp: Language) -> None:
    text = "Five people were shot outside a nightclub early Sunday. One of them died at the hospital."
    a = run(events_nlp, text)
    event = with_casualties(a)[0]
    assert event.injured is not None and event.injured.value in {4, 5}


@pytest.mark.slow
def test_same_victim_counts_once(events_nlp: Language) -> None:
    a = run(events_nlp, "Anis Amri was killed in a shootout in Milan on Friday. "
                        "A police officer returned fire, killing Amri.")  # fmt: skip
    events = with_casualties(a)
    assert len(events) == 1
    assert events[0].killed is not None and events[0].killed.value == 1


@pytest.mark.slow
def test_two_incidents_on_different_days_stay_apart(events_nlp: Language) -> None:
    text = (
        "Twelve people were killed in an attack on a market in Berlin on Monday. "
        "On Friday, a suspect was killed in a shootout in Milan."
    )
    a = run(events_nlp, text, published="2016-12-23")
    killed = sorted(e.killed.value for e in with_casualties(a) if e.killed and e.killed.value)
    assert killed == [1, 12]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Investigators said he had previously discussed launching an attack there.", "planned"),
        ("The group threatened to bomb the embassy.", "threatened"),
        ("The army did not attack the village, a spokesman said.", "negated"),
        ("Rebels attacked the village on Tuesday.", "occurred"),
    ],
)
def test_factuality(events_nlp: Language, text: str, status: str) -> None:
    a = run(events_nlp, text)
    assert a.events, "no event found"
    assert a.events[-1].status == status


@pytest.mark.slow
def test_no_event_in_plain_text(events_nlp: Language) -> None:
    a = run(events_nlp, "The museum reopened its galleries after a renovation that lasted two years.")
    assert with_casualties(a) == []


@pytest.mark.slow
def test_verbless_headline_terminates(events_nlp: Language) -> None:
    # a clause with no verb above "critical condition" once looped forever walking to the root
    a = run(
        events_nlp, "Two in critical condition after Saturday shooting\n\nTwo men were shot on Main Street."
    )
    assert isinstance(a, Analysis)
