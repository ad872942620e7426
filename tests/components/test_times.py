"""The times stage on real news sentences, the seed's five expectations, and properties of resolution.

Sentences are run through spaCy + the times stage (the Doc arrives parsed, as in the pipeline). The
property tests use a blank English tokenizer instead: without a parse the tense is unknown, which is
exactly the case where news conventions must decide (a bare weekday is the most recent one).
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from storyline.components import times as times_module
from storyline.components.times import event_time, local_timezone, tag
from storyline.components.timex import resolve as resolve_module
from storyline.ingest.base import make_article
from storyline.model import Analysis, Time
from storyline.pipeline import analyze_many, load, make_doc

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "acceptance" / "seed" / "article.txt"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(stages=("times",))


@functools.cache
def _blank() -> Language:
    return spacy.blank("en")


def run(nlp: Language, text: str, published: str | None = "2016-12-23") -> list[Time]:
    (result,) = analyze_many(nlp, [make_article(text, published=published)])
    assert isinstance(result, Analysis)
    return result.times


def blank_times(text: str, published: dt.date | None) -> list[Time]:
    """Tag a text without a parse (tokens only): fast, and the tense is unknown."""
    doc = _blank()(text)
    return tag(doc, published)


def by_text(items: list[Time]) -> dict[str, Time]:
    return {t.span.text: t for t in items}


# --- the seed article ------------------------------------------------------------------------------


@pytest.mark.slow
def test_seed_expectations(nlp: Language) -> None:
    times = run(nlp, SEED.read_text(encoding="utf-8"), "2016-12-23")
    texts = [(t.span.text, t.value) for t in times]
    assert ("Friday", "2016-12-23") in texts
    assert ("Monday", "2016-12-19") in texts
    assert ("Thursday", "2016-12-22") in texts
    local = [t for t in times if t.span.text == "just after 3am local time"]
    assert local and local[0].value is not None and local[0].value.startswith("2016-12-23T03")
    assert local[0].type == "TIME"
    assert local[0].timezone == "Europe/Rome"  # Sesto San Giovanni, near Milan
    week = [t for t in times if t.span.text == "earlier this week"]
    assert week and week[0].value in ("2016-W51", "2016-12-19/2016-12-23", "PAST_REF")
    # "The 24-year-old" is an age, not a time; "Christmas market" is a name, not a date.
    assert not any("year" in t.span.text for t in times)
    assert not any(t.span.text == "Christmas" for t in times)


@pytest.mark.slow
def test_seed_records_are_well_formed(nlp: Language) -> None:
    text = SEED.read_text(encoding="utf-8")
    times = run(nlp, text, "2016-12-23")
    assert [t.id for t in times] == [f"t{i}" for i in range(1, len(times) + 1)]
    assert [t.span.start for t in times] == sorted(t.span.start for t in times)
    for t in times:
        assert text[t.span.start : t.span.end] == t.span.text
        assert 0.0 <= t.confidence <= 1.0
    friday = by_text(times)["Friday"]
    assert friday.granularity == "day"
    assert friday.interval == ["2016-12-23T00:00:00", "2016-12-24T00:00:00"]


# --- real news sentences ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Past-tense reporting: the most recent such day, the publication day included.
        ("The president said Friday that the talks had failed.", "1998-02-13", {"Friday": "1998-02-13"}),
        ("Police arrested two men on Tuesday.", "1998-02-13", {"Tuesday": "1998-02-10"}),
        # A future points forward.
        ("The foreign ministers will meet on Monday in Brussels.", "1998-02-13", {"Monday": "1998-02-16"}),
        ("The court is scheduled to rule Wednesday.", "2000-04-03", {"Wednesday": "2000-04-05"}),
        ("The relatives could bring the boy as early as Tuesday.", "2000-04-03", {"Tuesday": "2000-04-04"}),
        ("He and Arafat meet separately Monday with Albright.", "1998-05-01", {"Monday": "1998-05-04"}),
        (
            "Anheuser said net income for the third quarter rose 5%.",
            "1989-10-26",
            {"the third quarter": "1989-Q3"},
        ),
        (
            "Sales rose to $2.1 billion from $1.4 billion a year earlier.",
            "1989-10-26",
            {"a year earlier": "1988"},
        ),
        ("Unemployment fell to 4.7 percent last month.", "1998-02-06", {"last month": "1998-01"}),
        ("The company earned $480 million last year.", "1989-10-30", {"last year": "1988"}),
        ("The index hit a record on Aug. 6.", "1998-02-06", {"Aug. 6": "1997-08-06"}),
        (
            "The dividend is payable Dec. 15 to stock of record Nov. 17.",
            "1989-10-26",
            {"Dec. 15": "1989-12-15", "Nov. 17": "1989-11-17"},
        ),
        (
            "The treaty was signed on March 26, 1996, in Geneva.",
            "1998-01-08",
            {"March 26, 1996": "1996-03-26"},
        ),
        ("The offer expires at 5 p.m. EST Nov. 9.", "1989-11-02", {"5 p.m. EST Nov. 9": "1989-11-09T17:00"}),
        ("Two weeks ago the board met in Chicago.", "1998-03-22", {"Two weeks ago": "1998-W10"}),
        ("The bomb went off 10 days ago.", "1998-03-22", {"10 days ago": "1998-03-12"}),
        ("Hate groups grew through the nineties.", "1998-03-03", {"the nineties": "199"}),
        ("The firm was founded in the late 1970s.", "1998-02-19", {"the late 1970s": "197"}),
        ("Strikes began last spring.", "1989-10-26", {"last spring": "1988-SP"}),
        ("Investors are nervous now.", "1998-01-08", {"now": "PRESENT_REF"}),
        ("The company has grown rapidly in recent years.", "1989-10-26", {"recent years": "PAST_REF"}),
        ("The plant will close early next year.", "1989-10-26", {"early next year": "1990"}),
        ("Officials said the attack happened overnight.", "2016-12-23", {}),
    ],
)
def test_news_sentences(nlp: Language, text: str, published: str, expected: dict[str, str]) -> None:
    found = {t.span.text: t.value for t in run(nlp, text, published)}
    for span, value in expected.items():
        assert found.get(span) == value, found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "span", "type_", "value"),
    [
        ("The rebels held the town for three days.", "three days", "DURATION", "P3D"),
        ("After a two-hour meeting, the talks ended.", "two-hour", "DURATION", "PT2H"),
        ("He spent about 5 1/2 hours in Nairobi.", "5 1/2 hours", "DURATION", "PT5H30M"),
        ("Unisys pays interest every quarter.", "every quarter", "SET", "P3M"),
        ("Protesters gather daily outside the house.", "daily", "SET", "P1D"),
        ("Flights leave each Thursday.", "each Thursday", "SET", "XXXX-WXX-4"),
        ("The stock has doubled over the past three years.", "the past three years", "DURATION", "P3Y"),
        ("Several years ago the plant closed.", "Several years ago", "DATE", "PAST_REF"),
        ("It has been a long war of twenty years.", "twenty years", "DURATION", "P20Y"),
    ],
)
def test_durations_and_sets(nlp: Language, text: str, span: str, type_: str, value: str) -> None:
    found = by_text(run(nlp, text, "1998-02-13"))
    assert span in found, list(found)
    assert (found[span].type, found[span].value) == (type_, value)


@pytest.mark.slow
def test_clock_times_and_parts_of_day(nlp: Language) -> None:
    found = by_text(
        run(nlp, "The blast occurred at about 10:35 a.m. Friday. Rescuers worked Friday night.", "1998-08-08")
    )
    assert found["10:35 a.m. Friday"].value == "1998-08-07T10:35"
    assert found["10:35 a.m. Friday"].type == "TIME"
    assert found["Friday night"].value == "1998-08-07TNI"
    assert found["Friday night"].granularity == "part_of_day"
    found = by_text(run(nlp, "The minister spoke this morning.", "1998-02-06"))
    assert found["this morning"].value == "1998-02-06TMO"


@pytest.mark.slow
def test_compositions(nlp: Language) -> None:
    text = (
        "Phivolcs recorded 611 aftershocks as of Saturday 8:00 p.m. The hearing is set for the week of "
        "March 6. The editorial ran on Thursday, Jan. 6, and the offer was valid through January this year."
    )
    found = by_text(run(nlp, text, "2000-02-24"))
    assert found["Saturday 8:00 p.m."].value == "2000-02-19T20:00"
    assert found["the week of March 6"].value == "2000-W10"
    assert found["Thursday, Jan. 6"].value == "2000-01-06"
    assert found["January this year"].value == "2000-01"


@pytest.mark.slow
def test_ages_and_names_are_not_times(nlp: Language) -> None:
    text = (
        "The 24-year-old suspect, who is 30 years old, bought 2000 shares. May I ask? "
        "She marched in the annual March for Life, watched 60 Minutes and Back to the Future."
    )
    assert [t.span.text for t in run(nlp, text, "2016-12-23")] == []


@pytest.mark.slow
def test_anaphora_follow_the_text(nlp: Language) -> None:
    text = (
        "The talks opened on March 3, 2015. The next day, the delegates walked out. "
        "A year earlier, they had agreed."
    )
    found = by_text(run(nlp, text, None))
    assert found["March 3, 2015"].value == "2015-03-03"
    assert found["The next day"].value == "2015-03-04"  # relative to the explicit date, no DCT needed
    assert found["A year earlier"].value == "2014"


@pytest.mark.slow
def test_without_publication_date_relative_expressions_abstain(nlp: Language) -> None:
    found = by_text(run(nlp, "Police said yesterday that the man fled last week.", None))
    assert found["yesterday"].value is None
    assert found["last week"].value is None
    assert found["yesterday"].confidence <= 0.4


@pytest.mark.slow
def test_dateline_anchors_weekdays(nlp: Language) -> None:
    text = "\n\nWASHINGTON, March 12 (Xinhua) --\n\nPoland and Hungary formally joined NATO on Friday."
    found = by_text(run(nlp, text, "1999-03-13"))
    assert found["March 12"].value == "1999-03-12"
    assert found["Friday"].value == "1999-03-12"


@pytest.mark.slow
def test_event_time_prefers_the_attached_expression(nlp: Language) -> None:
    text = "On Thursday, officials said the man was killed on Monday in Berlin."
    doc = nlp(text)
    doc._.published = dt.date(2016, 12, 23)
    doc = nlp.get_pipe("storyline_times")(doc)
    killed = next(t for t in doc if t.text == "killed")
    said = next(t for t in doc if t.text == "said")
    found = event_time(doc, killed)
    assert found is not None and found.value == "2016-12-19"
    found = event_time(doc, said.i)
    assert found is not None and found.span.text == "Thursday"


@pytest.mark.slow
def test_event_time_possessive_and_none(nlp: Language) -> None:
    doc = nlp("He had been at large since Monday's attack. Nobody was hurt.")
    doc._.published = dt.date(2016, 12, 23)
    doc = nlp.get_pipe("storyline_times")(doc)
    attack = next(t for t in doc if t.text == "attack")
    found = event_time(doc, attack)
    assert found is not None and found.value == "2016-12-19"
    hurt = next(t for t in doc if t.text == "hurt")
    assert event_time(doc, hurt) is None


@pytest.mark.slow
def test_local_timezone_helper(nlp: Language) -> None:
    text = "The suspect was shot in Sesto San Giovanni, near Milan, just after 3am local time."
    doc = make_doc(nlp, make_article(text, published="2016-12-23"))
    doc = nlp(doc)
    local = next(t for t in doc._.sl_times if "local time" in t.span.text)
    assert local_timezone(doc, local.span) == "Europe/Rome"
    assert local_timezone(doc, (0, 3)) == "Europe/Rome"
    nowhere = nlp("The meeting ended at 3pm local time.")
    assert local_timezone(nowhere, (21, 35)) is None


# --- properties ------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(max_examples=60, deadline=None)
@given(published=dates)
def test_today_and_neighbours_round_trip(published: dt.date) -> None:
    found = by_text(blank_times("Today he arrived; yesterday he left; tomorrow he returns.", published))
    assert found["Today"].value == published.isoformat()
    assert found["yesterday"].value == (published - dt.timedelta(days=1)).isoformat()
    assert found["tomorrow"].value == (published + dt.timedelta(days=1)).isoformat()


@settings(max_examples=60, deadline=None)
@given(published=dates, weekday=st.sampled_from(WEEKDAYS))
def test_bare_weekday_is_the_most_recent_such_day(published: dt.date, weekday: str) -> None:
    (found,) = blank_times(f"The ministers met {weekday} in Rome.", published)
    value = dt.date.fromisoformat(found.value or "")
    assert value.strftime("%A") == weekday
    assert 0 <= (published - value).days <= 6  # the publication day itself included


@settings(max_examples=60, deadline=None)
@given(published=dates, weekday=st.sampled_from(WEEKDAYS))
def test_last_and_next_weekday_exclude_the_publication_day(published: dt.date, weekday: str) -> None:
    last, nxt = blank_times(f"They met last {weekday} and meet again next {weekday}.", published)
    assert 1 <= (published - dt.date.fromisoformat(last.value or "")).days <= 7
    assert 1 <= (dt.date.fromisoformat(nxt.value or "") - published).days <= 7


_NUMBER_WORDS = {2: "two", 3: "three", 10: "ten", 12: "twelve", 21: "twenty-one", 45: "forty-five"}


@settings(max_examples=80, deadline=None)
@given(published=dates, n=st.integers(min_value=1, max_value=400), words=st.booleans())
def test_n_days_ago_round_trips(published: dt.date, n: int, words: bool) -> None:
    amount = _NUMBER_WORDS.get(n, str(n)) if words else str(n)
    unit = "day" if n == 1 else "days"
    (found,) = blank_times(f"The plant closed {amount} {unit} ago.", published)
    assert found.type == "DATE"
    assert found.value == (published - dt.timedelta(days=n)).isoformat()


@settings(max_examples=40, deadline=None)
@given(year=st.integers(min_value=1900, max_value=2099), month=st.integers(1, 12), day=st.integers(1, 28))
def test_explicit_dates_need_no_publication_date(year: int, month: int, day: int) -> None:
    name = dt.date(year, month, day).strftime("%B")
    (found,) = blank_times(f"The accord was signed on {name} {day}, {year}.", None)
    assert found.value == f"{year:04d}-{month:02d}-{day:02d}"
    assert found.interval is not None and found.interval[0].startswith(found.value)


class _Clock:
    """Replaces ``datetime`` in the tagger's modules: any read of the wall clock gives a chosen date."""

    def __init__(self, today: dt.date) -> None:
        fixed = today

        class FakeDate(dt.date):
            @classmethod
            def today(cls) -> FakeDate:
                return cls(fixed.year, fixed.month, fixed.day)

        class FakeDateTime(dt.datetime):
            @classmethod
            def now(cls, tz: dt.tzinfo | None = None) -> FakeDateTime:
                return cls(fixed.year, fixed.month, fixed.day, 12, tzinfo=tz)

        self.date = FakeDate
        self.datetime = FakeDateTime
        self.timedelta = dt.timedelta
        self.time = dt.time


@settings(max_examples=25, deadline=None)
@given(published=dates)
def test_values_never_depend_on_the_wall_clock(published: dt.date) -> None:
    text = (
        "Last week the company said on Monday that sales fell in March and would recover next year; "
        "a year ago they rose, and the board meets Friday."
    )
    outputs = []
    for clock in (dt.date(1970, 1, 1), dt.date(2042, 6, 15)):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(times_module, "dt", _Clock(clock))
            mp.setattr(resolve_module, "dt", _Clock(clock))
            outputs.append([t.model_dump() for t in blank_times(text, published)])
    assert outputs[0] == outputs[1]
    assert outputs[0] == [t.model_dump() for t in blank_times(text, published)]


def test_no_module_reads_the_clock() -> None:
    package = ROOT / "src" / "storyline" / "components"
    sources = [package / "times.py", *(package / "timex").glob("*.py")]
    for source in sources:
        code = source.read_text(encoding="utf-8")
        for call in (".today(", ".now(", "time.time(", "utcnow("):
            assert call not in code, f"{source.name} calls {call}"


def test_stage_on_a_doc_without_extensions_set() -> None:
    doc = _blank()("Nothing happened on Friday.")
    assert isinstance(doc, Doc)
    found = tag(doc, None)
    assert [(t.span.text, t.value) for t in found] == [("Friday", "XXXX-WXX-5")]
