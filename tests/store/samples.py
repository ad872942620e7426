"""Hand-built analyses of short real news passages, with offsets computed from the text itself.

Why by hand rather than through the pipeline: store tests must not depend on what the NLP stages
currently find, and every offset here is checked against its text when the sample is built.
"""

from __future__ import annotations

from storyline.model import (
    Analysis,
    Argument,
    Article,
    Claim,
    Entity,
    Event,
    EventPlace,
    EventTime,
    Mention,
    Place,
    Quantity,
    Span,
    Time,
)

BERLIN_TEXT = (
    "A truck ploughed into a crowded Christmas market in Berlin on Monday evening, killing 12 people "
    "and injuring dozens, police said. Chancellor Angela Merkel said she was shocked and deeply saddened."
)
MILAN_TEXT = (
    "Anis Amri, the suspect in the Berlin Christmas market attack, was shot dead by police in "
    "Sesto San Giovanni near Milan early on Friday, Italian Interior Minister Marco Minniti said. "
    "Minniti told a press conference that Amri had been stopped during a routine check."
)
PARIS_TEXT = (
    "Thousands of people marched through Paris on Saturday to protest against a proposed pension "
    "reform, the CGT union said. Protesters in Zürich held a smaller rally in solidarity."
)


def span(text: str, phrase: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``phrase`` in ``text`` (an error if there is none)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start=start, end=start + len(phrase), text=phrase)


def mention(text: str, phrase: str, nth: int = 0, kind: str = "name") -> Mention:
    s = span(text, phrase, nth)
    return Mention.model_validate({"start": s.start, "end": s.end, "text": s.text, "kind": kind})


def berlin() -> Analysis:
    t = BERLIN_TEXT
    return Analysis(
        article=Article(
            id="berlin-2016-12-19",
            url="https://example.com/berlin-truck",
            title="Truck rams Berlin Christmas market",
            published="2016-12-19",
            source="Reuters",
            text=t,
        ),
        entities=[
            Entity(id="e1", label="ORG", name="police", mentions=[mention(t, "police")]),
            Entity(
                id="e2",
                label="PERSON",
                name="Angela Merkel",
                titles=["Chancellor"],
                attributes={"gender": "female"},
                mentions=[mention(t, "Angela Merkel"), mention(t, "she", kind="pronoun")],
            ),
        ],
        places=[
            Place(
                id="p1",
                name="Berlin",
                mentions=[span(t, "Berlin")],
                geonameid=2950159,
                country="DE",
                admin1="Berlin",
                lat=52.52437,
                lon=13.41053,
                type="city",
                confidence=0.95,
            )
        ],
        times=[
            Time(
                id="t1",
                span=span(t, "Monday evening"),
                type="TIME",
                value="2016-12-19TEV",
                granularity="day",
            )
        ],
        claims=[
            Claim(
                id="c1",
                source=Argument(text="police", span=span(t, "police"), entity="e1"),
                cue=span(t, "said"),
                content=span(t, "A truck ploughed into a crowded Christmas market in Berlin"),
                kind="indirect",
                confidence=0.8,
            ),
            Claim(
                id="c2",
                source=Argument(text="Angela Merkel", span=span(t, "Angela Merkel"), entity="e2"),
                cue=span(t, "said", 1),
                content=span(t, "she was shocked and deeply saddened"),
                kind="indirect",
                confidence=0.7,
            ),
        ],
        events=[
            Event(
                id="v1",
                type="ASSAULT",
                mode="vehicle",
                trigger=span(t, "ploughed"),
                status="occurred",
                who=[Argument(text="A truck", span=span(t, "A truck"))],
                when=EventTime(time="t1", value="2016-12-19"),
                where=EventPlace(place="p1", name="Berlin", lat=52.52437, lon=13.41053),
                killed=Quantity(value=12, low=12, high=12, text="killing 12 people"),
                injured=Quantity(value=None, low=24, high=None, text="dozens"),
                claims=["c1"],
                evidence=[span(t, "A truck ploughed into a crowded Christmas market in Berlin")],
                confidence=0.7,
            )
        ],
        highlights=[span(t, "A truck ploughed into a crowded Christmas market in Berlin")],
    )


def milan() -> Analysis:
    t = MILAN_TEXT
    return Analysis(
        article=Article(
            id="milan-2016-12-23",
            title="Berlin attack suspect killed in Milan shootout",
            published="2016-12-23",
            source="CNN",
            text=t,
        ),
        entities=[
            Entity(
                id="e1",
                label="PERSON",
                name="Anis Amri",
                titles=["suspect"],
                attributes={"age": 24},
                mentions=[mention(t, "Anis Amri"), mention(t, "Amri", 1)],
            ),
            Entity(
                id="e2",
                label="PERSON",
                name="Marco Minniti",
                titles=["Interior Minister"],
                mentions=[mention(t, "Marco Minniti"), mention(t, "Minniti", 1)],
            ),
            Entity(id="e3", label="ORG", name="police", mentions=[mention(t, "police")]),
        ],
        places=[
            Place(
                id="p1",
                name="Sesto San Giovanni",
                mentions=[span(t, "Sesto San Giovanni")],
                geonameid=3166598,
                country="IT",
                admin1="Lombardy",
                lat=45.53,
                lon=9.23,
                confidence=0.9,
            ),
            Place(
                id="p2",
                name="Berlin",
                mentions=[span(t, "Berlin")],
                geonameid=2950159,
                country="DE",
                admin1="Berlin",
                lat=52.52437,
                lon=13.41053,
                confidence=0.6,
            ),
        ],
        times=[Time(id="t1", span=span(t, "Friday"), type="DATE", value="2016-12-23", granularity="day")],
        claims=[
            Claim(
                id="c1",
                source=Argument(text="Marco Minniti", span=span(t, "Marco Minniti"), entity="e2"),
                cue=span(t, "said"),
                content=span(
                    t, "Anis Amri, the suspect in the Berlin Christmas market attack, was shot dead"
                ),
                kind="indirect",
                channel="press conference",
                confidence=0.8,
            )
        ],
        events=[
            Event(
                id="v1",
                type="ASSAULT",
                mode="firearms",
                trigger=span(t, "shot dead"),
                status="occurred",
                who=[Argument(text="police", span=span(t, "police"), entity="e3")],
                whom=[Argument(text="Anis Amri", span=span(t, "Anis Amri"), entity="e1")],
                when=EventTime(time="t1", value="2016-12-23"),
                where=EventPlace(place="p1", name="Sesto San Giovanni", lat=45.53, lon=9.23),
                killed=Quantity(value=1, low=1, high=1, text="shot dead"),
                claims=["c1"],
                confidence=0.8,
            )
        ],
    )


def paris() -> Analysis:
    t = PARIS_TEXT
    return Analysis(
        article=Article(
            id="paris-protest",
            title="Pension reform protest",
            published=None,
            source="AFP",
            language="en",
            text=t,
        ),
        entities=[Entity(id="e1", label="ORG", name="CGT", mentions=[mention(t, "CGT")])],
        places=[
            Place(id="p1", name="Paris", mentions=[span(t, "Paris")], geonameid=2988507, country="FR"),
            Place(id="p2", name="Zürich", mentions=[span(t, "Zürich")], geonameid=2657896, country="CH"),
        ],
        events=[
            Event(
                id="v1",
                type="PROTEST",
                mode="demonstrate",
                trigger=span(t, "marched"),
                status="occurred",
                who=[Argument(text="Thousands of people", span=span(t, "Thousands of people"))],
                where=EventPlace(place="p1", name="Paris"),
            )
        ],
    )


def all_samples() -> list[Analysis]:
    return [berlin(), milan(), paris()]
