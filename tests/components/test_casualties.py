"""Casualty counts on sentences of local US shooting reports (Gun Violence Archive sources): who was
killed and who was hurt, bound to the shooting, and the town it happened in."""

from __future__ import annotations

import pytest
from spacy.language import Language
from tests.components.builders import assault

from storyline.components.events import incident_totals
from storyline.evaluate.casualties import from_analysis
from storyline.ingest.base import make_article
from storyline.model import Analysis, Article, Event, Quantity
from storyline.pipeline import analyze_many, load


@pytest.fixture(scope="module")
def casualty_nlp() -> Language:
    return load(stages=("entities", "times", "places", "events"))


def mainassault(nlp: Language, text: str) -> Event:
    (result,) = analyze_many(nlp, [make_article(text, published="2016-07-18")])
    assert isinstance(result, Analysis)
    events = [e for e in result.events if e.killed is not None or e.injured is not None]
    assert events, "no casualty found"
    return events[0]


def one(q: Quantity | None) -> int | None:
    return None if q is None else (q.value if q.value is not None else q.low)


def figures(event: Event) -> tuple[int | None, int | None]:
    return one(event.killed), one(event.injured)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # "N shot, one fatally": one dead, the others hurt
        ("A pair of gunmen shot six people, one fatally, at a West Side party early Saturday morning.", 1, 5),
        # murder-suicide: the victim and the shooter
        ("A 59-year-old Sulphur man killed his 4-year-old son and then himself on Sunday night.", 2, None),
        ("Bacque fatally shot his son before killing himself, according to the sheriff's office.", 2, None),
        # a wound as the statement of the casualty
        ("A 3-year-old sustained a fatal, self-inflicted wound after he discharged a handgun.", 1, None),
        ("Two were found with gunshot wounds, and two others were dead.", 2, 2),
        # coordinated victims add up
        ("Police said a man and a woman were shot on Edwards Street on Monday evening.", 0, 2),
        # a self-inflicted, non-fatal shooting is one injured
        ("A deputy accidentally shot himself in the foot at the city jail on Tuesday.", 0, 1),
        ("Officers say 13-year-old Craig Roberts was shot to death by his brother on March 11.", 1, 0),
        # "left N people injured": the object of "left" is who was hurt
        ("A shooting at a party early Sunday left 16 people injured, police said.", 0, 16),
    ],
)
def test_casualty_statements(casualty_nlp: Language, text: str, killed: int, injured: int | None) -> None:
    got_killed, got_injured = figures(mainassault(casualty_nlp, text))
    assert (got_killed or 0, got_injured or 0) == (killed, injured or 0)


@pytest.mark.slow
def test_dateline_city_over_a_state(casualty_nlp: Language) -> None:
    event = mainassault(
        casualty_nlp,
        "TULSA, Okla. (AP) — Police say a man apparently fatally shot his wife and two young sons "
        "before killing himself in Oklahoma.",
    )
    assert figures(event)[0] == 4
    assert event.where is not None and event.where.name == "Tulsa"


@pytest.mark.slow
def test_headline_counts(casualty_nlp: Language) -> None:
    article = make_article(
        "Police said the shooting happened just before 4 a.m. on Sunday.",
        title="1 Dead, 3 Injured In Baltimore Quadruple Shooting",
        published="2016-07-18",
    )
    (result,) = analyze_many(casualty_nlp, [article])
    assert isinstance(result, Analysis)
    pred = from_analysis(result)
    assert pred is not None and (pred.killed, pred.injured) == (1, 3)


def _analysis(*events: Event) -> Analysis:
    """An analysis as the pipeline builds it: incident totals over the events (to_analysis)."""
    return Analysis(article=Article(id="a", text="x" * 200), events=incident_totals(list(events)))


def test_adapter_reads_the_incident_totals_of_a_later_death() -> None:
    # "A teenager was shot ... The 17-year-old died from his wounds": one death, nobody else hurt
    pred = from_analysis(_analysis(assault(1, 10, None, 1), assault(2, 120, 1, None)))
    assert pred is not None and (pred.killed, pred.injured) == (1, None)


def test_adapter_reads_the_other_victims_and_reports_a_shooting_without_figures() -> None:
    pred = from_analysis(_analysis(assault(1, 10, 1, None), assault(2, 120, None, 3, "Three other victims")))
    assert pred is not None and (pred.killed, pred.injured) == (1, 3)
    pred = from_analysis(_analysis(assault(1, 10, None, None)))
    assert pred is not None and (pred.killed, pred.injured) == (None, None)
