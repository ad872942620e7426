"""Property: whatever valid analysis goes in comes back out equal, and storing it again is a no-op."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from storyline.store import Store

# Text as decoded input can hold it: valid UTF-8 (no lone surrogates) and no NUL, which PostgreSQL
# text cannot store (ingest refuses NUL input as binary, E020).
CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
TEXT = st.text(alphabet=CHARS, max_size=40)
NONEMPTY = st.text(alphabet=CHARS, min_size=1, max_size=20)
UNIT = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
COORD = st.floats(min_value=-180.0, max_value=180.0, allow_nan=False)
COUNT = st.none() | st.integers(min_value=0, max_value=10_000_000)
JSON_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT
)


@st.composite
def spans(draw: st.DrawFn, text: str, cls: type[Span] = Span) -> Any:
    start = draw(st.integers(min_value=0, max_value=len(text)))
    end = draw(st.integers(min_value=start, max_value=len(text)))
    data: dict[str, Any] = {"start": start, "end": end, "text": text[start:end]}
    if cls is Mention:
        data["kind"] = draw(st.sampled_from(["name", "nominal", "pronoun"]))
    return cls.model_validate(data)


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    text = draw(st.text(alphabet=CHARS, min_size=1, max_size=300))
    article = Article(
        id=draw(NONEMPTY),
        url=draw(st.none() | TEXT),
        title=draw(st.none() | TEXT),
        published=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
        source=draw(st.none() | TEXT),
        author=draw(st.none() | TEXT),
        language=draw(st.none() | st.sampled_from(["en", "de", "it"])),
        text=text,
    )
    n_entities = draw(st.integers(0, 4))
    entities = [
        Entity(
            id=f"e{i + 1}",
            label=draw(st.sampled_from(["PERSON", "ORG", "GPE", "NORP"])),
            name=draw(NONEMPTY),
            titles=draw(st.lists(TEXT, max_size=2)),
            attributes=draw(st.dictionaries(TEXT, JSON_SCALAR, max_size=3)),
            mentions=draw(st.lists(spans(text, Mention), max_size=3)),
            confidence=draw(UNIT),
        )
        for i in range(n_entities)
    ]
    places = [
        Place(
            id=f"p{i + 1}",
            name=draw(NONEMPTY),
            mentions=draw(st.lists(spans(text), max_size=2)),
            geonameid=draw(st.none() | st.integers(1, 2**31 - 1)),
            country=draw(st.none() | st.sampled_from(["DE", "IT", "FR"])),
            admin1=draw(st.none() | TEXT),
            lat=draw(st.none() | COORD),
            lon=draw(st.none() | COORD),
            type=draw(st.none() | st.sampled_from(["city", "country", "demonym"])),
            confidence=draw(UNIT),
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    times = [
        Time(
            id=f"t{i + 1}",
            span=draw(spans(text)),
            type=draw(st.sampled_from(["DATE", "TIME", "DURATION", "SET"])),
            value=draw(st.none() | TEXT),
            interval=draw(st.none() | st.lists(TEXT, min_size=2, max_size=2)),
            granularity=draw(st.none() | st.sampled_from(["day", "month", "year"])),
            confidence=draw(UNIT),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    entity_ids = [e.id for e in entities]
    argument = st.builds(
        Argument,
        text=NONEMPTY,
        span=st.none() | spans(text),
        entity=st.none() | st.sampled_from(entity_ids) if entity_ids else st.none(),
    )
    claims = [
        Claim(
            id=f"c{i + 1}",
            source=draw(st.none() | argument),
            cue=draw(st.none() | spans(text)),
            content=draw(spans(text)),
            kind=draw(st.sampled_from(["direct", "indirect", "according_to", "mixed"])),
            channel=draw(st.none() | TEXT),
            confidence=draw(UNIT),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    quantity = st.builds(
        Quantity, value=COUNT, low=COUNT, high=COUNT, text=TEXT, span=st.none() | spans(text)
    )
    events = [
        Event(
            id=f"v{i + 1}",
            type=draw(st.sampled_from(["ASSAULT", "PROTEST", "COERCE"])),
            mode=draw(st.none() | TEXT),
            trigger=draw(spans(text)),
            status=draw(st.sampled_from(["occurred", "alleged", "planned", "negated"])),
            who=draw(st.lists(argument, max_size=2)),
            whom=draw(st.lists(argument, max_size=2)),
            when=draw(st.none() | st.builds(EventTime, time=st.none() | TEXT, value=st.none() | TEXT)),
            where=draw(
                st.none()
                | st.builds(
                    EventPlace,
                    place=st.none() | TEXT,
                    name=TEXT,
                    lat=st.none() | COORD,
                    lon=st.none() | COORD,
                )
            ),
            how=draw(st.lists(spans(text), max_size=2)),
            killed=draw(st.none() | quantity),
            injured=draw(st.none() | quantity),
            claims=[c.id for c in claims],
            evidence=draw(st.lists(spans(text), max_size=2)),
            confidence=draw(UNIT),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    highlights = sorted(draw(st.lists(spans(text), max_size=3)), key=lambda s: (s.start, s.end))
    return Analysis(
        article=article,
        entities=entities,
        places=places,
        times=times,
        claims=claims,
        events=events,
        highlights=highlights,
    )


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(analysis=analyses())
def test_get_analysis_returns_what_was_upserted(store: Store, analysis: Analysis) -> None:
    assert store.upsert(analysis) in {"stored", "updated", "unchanged"}
    assert store.get_analysis(analysis.article.id) == analysis
    assert store.upsert(analysis) == "unchanged"
    # The projection agrees with the document.
    counts = {
        "entities": len(analysis.entities),
        "places": len(analysis.places),
        "claims": len(analysis.claims),
        "events": len(analysis.events),
    }
    with store.engine.connect() as conn:
        from sqlalchemy import func, select

        from storyline.store.schema import metadata

        for name, expected in counts.items():
            table = metadata.tables[name]
            got = conn.execute(
                select(func.count()).select_from(table).where(table.c.article_id == analysis.article.id)
            ).scalar_one()
            assert got == expected, name


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=CHARS, max_size=60))
def test_any_query_is_safe(store: Store, text: str) -> None:
    """Arbitrary unicode, operators and quotes never raise."""
    assert isinstance(store.search(text), list)
