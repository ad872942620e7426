"""Hand-built analyses for the export tests that must not depend on what the NLP stages find today:
hostile text (delimiters of every format inside names and evidence) and the shapes of dates and
counts the exporters must carry (a week, a month, "dozens", "up to 100", no date at all).
"""

from __future__ import annotations

from storyline.model import (
    Analysis,
    Argument,
    Article,
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
from tests.store.samples import span

#: Every delimiter the formats use: CSV (comma, quote, newline), GKG (# ; tab), plus a CR and a NUL-free
#: control character, inside the article text that names, evidence and places come from.
HOSTILE_TEXT = (
    'Gunmen of the "Front; #1, North"\tattacked a market in Sesto San Giovanni,\r\nkilling 3 people'
    " and wounding dozens; police said =SUM(A1) was #trending.\nUp to 100 may have died."
)


def hostile() -> Analysis:
    """One assault whose actor, evidence and place names carry every delimiter of every format."""
    t = HOSTILE_TEXT
    actor = 'Gunmen of the "Front; #1, North"'
    evidence = span(t, t[: t.index("killing 3 people") + len("killing 3 people")])
    return Analysis(
        article=Article(
            id='hostile,"id";#1',
            url="https://example.com/a?b=1;c=#d",
            title='Market "attack"; #breaking',
            published="2016-12-23",
            source='Wire, "Agency"; #1',
            text=t,
        ),
        entities=[
            Entity(
                id="e1",
                label="ORG",
                name=actor,
                mentions=[Mention(start=0, end=len(actor), text=actor)],
            )
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
            )
        ],
        times=[],
        events=[
            Event(
                id="v1",
                type="ASSAULT",
                mode="firearms",
                trigger=span(t, "attacked"),
                status="occurred",
                who=[Argument(text=actor, span=span(t, actor), entity="e1")],
                whom=[Argument(text="a market", span=span(t, "a market"))],
                when=EventTime(value="2016-W51"),
                where=EventPlace(place="p1", name="Sesto San Giovanni", lat=45.53, lon=9.23),
                killed=Quantity(
                    value=3, low=3, high=3, text="killing 3 people", span=span(t, "killing 3 people")
                ),
                injured=Quantity(low=24, text="wounding dozens", span=span(t, "wounding dozens")),
                evidence=[evidence],
                confidence=0.7,
            ),
            Event(
                id="v2",
                type="ASSAULT",
                trigger=span(t, "died"),
                status="alleged",
                when=EventTime(value="2016-12"),
                killed=Quantity(high=100, text="Up to 100 may have died", span=span(t, "Up to 100")),
                evidence=[span(t, "Up to 100 may have died.")],
                confidence=0.4,
            ),
            Event(
                id="v3",
                type="PROTEST",
                trigger=span(t, "said"),
                status="hypothetical",
                evidence=[span(t, "police said")],
                confidence=0.3,
            ),
        ],
    )


def dated(article_id: str, published: str, value: str | None, type_: str = "ASSAULT") -> Analysis:
    """A one-event article with a given event date (or none), for the --since and --type filters."""
    t = f"Something happened ({article_id})."
    return Analysis(
        article=Article(id=article_id, published=published, text=t),
        times=[Time(id="t1", span=Span(start=0, end=9, text="Something"), type="DATE", value=value)]
        if value
        else [],
        events=[
            Event(
                id="v1",
                type=type_,
                trigger=span(t, "happened"),
                status="occurred",
                when=EventTime(time="t1", value=value) if value else None,
                confidence=0.5,
            )
        ],
    )
