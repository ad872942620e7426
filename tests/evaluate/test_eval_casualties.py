"""casualties scorer and adapter on hand-made cases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from storyline.components.events import incident_totals
from storyline.evaluate.casualties import (
    CasualtyPred,
    from_analysis,
    main_event,
    place_keys,
    score,
    shooting_event,
)
from storyline.evaluate.data import GoldDoc
from storyline.model import Analysis, Article, Event, EventPlace, EventStatus, EventTime, Quantity, Span

MakeDoc = Callable[..., GoldDoc]


def _event(
    start: int,
    status: EventStatus = "occurred",
    killed: Quantity | None = None,
    injured: Quantity | None = None,
) -> Event:
    return Event(
        id=f"v{start}",
        type="ASSAULT",
        trigger=Span(start=start, end=start + 4, text="shot"),
        status=status,
        killed=killed,
        injured=injured,
        when=EventTime(value="2014-01-27T18:00"),
        where=EventPlace(name="Rocky Mount"),
    )


def test_place_keys() -> None:
    assert place_keys("Pittsburgh (Wilkinsburg)") == {"pittsburgh", "wilkinsburg"}
    assert place_keys("Brown (county)") == {"brown"}
    assert place_keys("Noble County") == {"noble"}
    assert place_keys("Rocky Mount, North Carolina") == {"rocky mount"}


def test_main_event_is_the_first_reported_event_with_a_count() -> None:
    events = [
        _event(50, killed=Quantity(value=2, text="two dead")),
        _event(10, injured=Quantity(low=24, text="dozens injured")),  # first with a count
        _event(5, status="negated", killed=Quantity(value=9, text="nine")),  # denied: not an event
        _event(1),  # no count
    ]
    analysis = Analysis(article=Article(id="a", text="x" * 60), events=incident_totals(events))
    assert main_event(analysis) == incident_totals(events)[1]
    # "dozens" has no value: its lower bound, 24, is the count; the date is the day of the value; the
    # death figure comes from the later mention of the same incident (same type, place and day),
    # as the product's incident totals give it.
    assert from_analysis(analysis) == CasualtyPred(2, 24, "2014-01-27", "Rocky Mount")
    elsewhere = events[0].model_copy(update={"where": EventPlace(name="Raleigh")})
    other_incident = Analysis(
        article=Article(id="a", text="x" * 60), events=incident_totals([elsewhere, *events[1:]])
    )
    assert from_analysis(other_incident) == CasualtyPred(None, 24, "2014-01-27", "Rocky Mount")
    assert from_analysis(Analysis(article=Article(id="b", text="quiet"))) is None


def test_figures_come_from_the_shooting_not_an_arrest_that_carries_a_count() -> None:
    # "Two teens were arrested in a shooting that wounded a 15-year-old. ... a shooting that killed him"
    arrest = _event(5, injured=Quantity(value=1, text="a 15-year-old")).model_copy(update={"type": "ARREST"})
    shooting = _event(40, killed=Quantity(value=1, text="Zavier Ellis"))
    analysis = Analysis(article=Article(id="a", text="x" * 60), events=[arrest, shooting])
    assert main_event(analysis) is arrest and shooting_event(analysis) is shooting
    assert from_analysis(analysis) == CasualtyPred(1, None, "2014-01-27", "Rocky Mount")
    alone = Analysis(article=Article(id="a", text="x" * 60), events=[arrest])
    assert shooting_event(alone) is arrest


def test_casualties_metrics_by_hand(make_doc: MakeDoc) -> None:
    def gold(killed: int, injured: int) -> dict[str, object]:
        return {"date": "2014-01-27", "city_or_county": "Rocky Mount", "killed": killed, "injured": injured}

    docs = [
        make_doc("a", gold(1, 0), id="a"),
        make_doc("b", gold(0, 4), id="b"),
        make_doc("c", gold(2, 1), id="c"),
        make_doc("d", {"killed": "two"}, id="d"),  # malformed gold: left out
    ]
    preds = [
        CasualtyPred(1, None, "2014-01-27", "rocky mount"),  # all right (no injured figure: 0)
        CasualtyPred(0, 3, "2014-01-28", None),  # killed right, injured off by 1, date and city wrong
        None,  # no event: wrong, counts read as 0 (errors 2 and 1)
        None,
    ]
    result = score(docs, preds)
    assert result.metrics["killed_acc"] == pytest.approx(2 / 3)  # a, b
    assert result.metrics["injured_acc"] == pytest.approx(1 / 3)  # a
    assert result.metrics["both_acc"] == pytest.approx(1 / 3)  # a
    assert result.metrics["killed_mae"] == pytest.approx(2 / 3)  # (0 + 0 + 2) / 3
    assert result.metrics["injured_mae"] == pytest.approx(2 / 3)  # (0 + 1 + 1) / 3
    assert result.metrics["date_acc"] == pytest.approx(1 / 3)  # a
    assert result.metrics["city_acc"] == pytest.approx(1 / 3)  # a
    assert result.counts == {"n_docs": 3, "no_event": 1}
    assert result.issues.counts == {"malformed_gold": 1}
