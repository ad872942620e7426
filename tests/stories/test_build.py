"""build_story on real articles: the GVA reports of one shooting, and a Wikinews story of the sample.

The analyses come from the real pipeline (session-scoped: analysed once). What is checked is what
the story record promises: every source's figures are kept and the figure's latest/range follow from
them, an article's own events are never merged with each other, the timeline is in event-time
order, brief sentences quote their articles exactly, and a Story survives a JSON round trip.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from storyline.components.events import figure
from storyline.components.timex.resolve import granularity_and_interval
from storyline.ingest.tabular import Record, read_records
from storyline.model import (
    Analysis,
    BriefSentence,
    EventPlace,
    Figure,
    Quantity,
    SourceReport,
    SourceSpan,
    Span,
    Story,
    StoryArticle,
    StoryEvent,
    dump,
)
from storyline.pipeline import analyze_many
from storyline.stories.brief import lead_sentences
from storyline.stories.build import build_story, combine

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "articles.jsonl"
#: A GVA incident reported by three articles (4 killed, 2 injured in Alturas, California).
INCIDENT = "108649"
#: A two-article Wikinews story of the sample.
WIKINEWS_STORY = "hurricane-dorian-2019"


def _analyse(nlp: Language, records: Sequence[Record]) -> list[Analysis]:
    out = [a for a in analyze_many(nlp, (r.article for r in records)) if isinstance(a, Analysis)]
    assert len(out) == len(records)
    return out


@pytest.fixture(scope="session")
def gva_analyses(nlp: Language, shared: Path) -> list[Analysis]:
    records = [
        r
        for r in read_records(shared / "data" / "casualties" / "gva-dev.jsonl")
        if isinstance(r, Record) and str(r.gold.get("incident_id")) == INCIDENT
    ]
    assert len(records) >= 2
    return _analyse(nlp, records)


@pytest.fixture(scope="session")
def wikinews_analyses(nlp: Language) -> list[Analysis]:
    records = [
        r for r in read_records(SAMPLE) if isinstance(r, Record) and r.meta.get("story") == WIKINEWS_STORY
    ]
    assert len(records) >= 2
    return _analyse(nlp, records)


@pytest.fixture(scope="session")
def gva_story(gva_analyses: list[Analysis]) -> Story:
    return build_story("s-gva", gva_analyses, {a.article.id: 0.9 for a in gva_analyses})


@pytest.fixture(scope="session")
def wikinews_story(wikinews_analyses: list[Analysis]) -> Story:
    return build_story("s-wikinews", wikinews_analyses, {a.article.id: 1.0 for a in wikinews_analyses})


# -- figures ----------------------------------------------------------------------------------------


def test_figure_keeps_latest_and_range() -> None:
    """'12 killed' in the first report and '13' in a later one: latest 13, range 12-13, two sources."""
    twelve = Quantity(value=12, low=12, high=12, text="12")
    thirteen = Quantity(value=13, low=13, high=13, text="13")
    dozens = Quantity(low=24, text="dozens")
    result = combine([("2019-06-01", 0, twelve), ("2019-06-02", 1, thirteen), ("2019-06-03", 2, None)])
    assert result == Figure(latest=13, low=12, high=13, sources=2)
    # the latest is by publication, not by input order; a lower bound counts as the report's figure
    result = combine([("2019-06-05", 0, twelve), ("2019-06-02", 1, dozens)])
    assert result == Figure(latest=12, low=12, high=24, sources=2)
    assert combine([("2019-06-05", 0, None)]) is None


def test_story_events_keep_every_source(gva_story: Story, gva_analyses: list[Analysis]) -> None:
    by_id = {a.article.id: a for a in gva_analyses}
    assert {a.article for a in gva_story.articles} == set(by_id)
    seen: set[tuple[str, str]] = set()
    for event in gva_story.events:
        articles = [r.article for r in event.reports]
        assert len(articles) == len(set(articles)), "an article's own events are never merged together"
        for report in event.reports:
            key = (report.article, report.event)
            assert key not in seen, "a report belongs to one story event"
            seen.add(key)
            own = next(e for e in by_id[report.article].events if e.id == report.event)
            assert report.killed == own.killed and report.injured == own.injured
            assert report.claims == own.claims
            assert report.published == by_id[report.article].article.published
        for name in ("killed", "injured"):
            expected = combine([(r.published, i, getattr(r, name)) for i, r in enumerate(event.reports)])
            merged = getattr(event, name)
            assert merged == expected
            if merged is not None:
                values = [figure(getattr(r, name)) for r in event.reports]
                assert merged.sources == sum(v is not None for v in values)
    assert seen, "the story has events"


def test_gva_incident_is_one_shooting_with_the_incident_figures(
    gva_story: Story, gva_analyses: list[Analysis]
) -> None:
    """The three reports of the Alturas shooting: the most reported shooting merges several articles."""
    shootings = [e for e in gva_story.events if e.type == "ASSAULT"]
    assert shootings
    main = max(shootings, key=lambda e: len(e.reports))
    assert len(main.reports) >= 2
    assert main.killed is not None and main.killed.high == 4


# -- timeline ---------------------------------------------------------------------------------------


def _start(event: StoryEvent) -> dt.datetime | None:
    if event.when is None:
        return None
    _, interval = granularity_and_interval(event.when, "DATE")
    return dt.datetime.fromisoformat(interval[0]) if interval else None


@pytest.mark.parametrize("which", ["gva", "wikinews"])
def test_timeline_is_in_event_time_order(which: str, gva_story: Story, wikinews_story: Story) -> None:
    story = gva_story if which == "gva" else wikinews_story
    starts = [_start(e) for e in story.events]
    dated = [s for s in starts if s is not None]
    assert dated == sorted(dated)
    # undated events come last
    first_undated = next((i for i, s in enumerate(starts) if s is None), len(starts))
    assert all(s is None for s in starts[first_undated:])
    for event in story.events:
        if event.when is not None:
            assert event.granularity is not None


# -- brief ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["gva", "wikinews"])
def test_brief_points_to_real_spans(
    which: str,
    gva_story: Story,
    wikinews_story: Story,
    gva_analyses: list[Analysis],
    wikinews_analyses: list[Analysis],
) -> None:
    story, analyses = (gva_story, gva_analyses) if which == "gva" else (wikinews_story, wikinews_analyses)
    texts = {a.article.id: a.article.text for a in analyses}
    assert 3 <= len(story.brief) <= 6
    sentences = [b.text for b in story.brief]
    assert len(sentences) == len(set(sentences)), "no sentence twice"
    for sentence in story.brief:
        assert sentence.sources
        for source in sentence.sources:
            assert texts[source.article][source.span.start : source.span.end] == source.span.text
        assert sentence.text == sentence.sources[0].span.text


def test_title_is_an_article_title(wikinews_story: Story, wikinews_analyses: list[Analysis]) -> None:
    assert wikinews_story.title in {a.article.title for a in wikinews_analyses}


def test_build_is_pure_and_order_free(gva_analyses: list[Analysis], gva_story: Story) -> None:
    again = build_story("s-gva", list(reversed(gva_analyses)), {a.article.id: 0.9 for a in gva_analyses})
    assert again == gva_story


def test_lead_sentences_split_a_lead() -> None:
    text = 'Four people were shot Monday. "It was awful," a neighbour said.\n\nPolice made no arrest.'
    spans = lead_sentences(text)
    assert [s.text for s in spans] == [
        "Four people were shot Monday.",
        '"It was awful," a neighbour said.',
        "Police made no arrest.",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


# -- the record -------------------------------------------------------------------------------------

_text = st.text(min_size=1, max_size=20)
_spans = st.builds(
    lambda start, n, text: Span(start=start, end=start + n, text=text),
    st.integers(0, 1000),
    st.integers(0, 50),
    _text,
)
_quantities = st.none() | st.builds(
    Quantity, value=st.none() | st.integers(0, 500), low=st.none() | st.integers(0, 500), text=_text
)
_figures = st.none() | st.builds(
    Figure,
    latest=st.none() | st.integers(0, 500),
    low=st.none() | st.integers(0, 500),
    high=st.none() | st.integers(0, 500),
    sources=st.integers(0, 9),
)
_reports = st.builds(
    SourceReport,
    article=_text,
    event=_text,
    source=st.none() | _text,
    published=st.none() | st.dates().map(dt.date.isoformat),
    killed=_quantities,
    injured=_quantities,
    claims=st.lists(_text, max_size=3),
)
_events = st.builds(
    StoryEvent,
    id=_text,
    type=st.sampled_from(["ASSAULT", "PROTEST", "OTHER"]),
    mode=st.none() | _text,
    status=st.sampled_from(["occurred", "alleged", "planned"]),
    label=_text,
    when=st.none() | st.dates().map(dt.date.isoformat),
    granularity=st.none() | st.just("day"),
    where=st.none()
    | st.builds(
        EventPlace, name=_text, lat=st.none() | st.floats(-90, 90), lon=st.none() | st.floats(-180, 180)
    ),
    killed=_figures,
    injured=_figures,
    reports=st.lists(_reports, max_size=3),
    confidence=st.floats(0, 1),
)
_stories_strategy = st.builds(
    Story,
    id=_text,
    title=st.none() | _text,
    articles=st.lists(
        st.builds(StoryArticle, article=_text, score=st.floats(0, 1), title=st.none() | _text), max_size=3
    ),
    events=st.lists(_events, max_size=3),
    brief=st.lists(
        st.builds(
            BriefSentence,
            text=_text,
            sources=st.lists(st.builds(SourceSpan, article=_text, span=_spans), max_size=2),
        ),
        max_size=3,
    ),
)


@settings(max_examples=60, deadline=None)
@given(story=_stories_strategy)
def test_story_round_trips_through_json(story: Story) -> None:
    data = json.loads(json.dumps(dump(story)))
    assert data["schema"] == "storyline.story/1"
    assert Story.model_validate(data) == story


def test_real_story_round_trips(gva_story: Story) -> None:
    assert Story.model_validate(json.loads(json.dumps(dump(gva_story)))) == gva_story
