"""Exports of hand-built analyses: hostile text through every delimiter, dates and counts of every
shape, selections, the registry's errors. No pipeline: these hold whatever the NLP stages find.
"""

from __future__ import annotations

import sys
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.errors import StorylineError
from storyline.export import Selection, get_exporter, parse_since, parse_types
from storyline.export.acled import COLUMNS, classify
from storyline.export.base import period_of
from storyline.model import Analysis, Argument, Article, Event, EventPlace, Quantity, Span
from tests.export.helpers import read_csv, read_gkg, read_jsonl, read_parquet, run
from tests.export.samples import HOSTILE_TEXT, dated, hostile
from tests.store.samples import berlin, milan, paris


def test_acled_csv_keeps_hostile_text_verbatim() -> None:
    data, stats = run("acled", [hostile()])
    rows = read_csv(data)
    assert tuple(rows[0]) == COLUMNS
    # v1 occurred, v2 alleged (tagged), v3 hypothetical (left out)
    assert [r["event_id_cnty"] for r in rows] == ['hostile,"id";#1:v1', 'hostile,"id";#1:v2']
    assert stats.skipped == {"status hypothetical": 1}
    first, second = rows
    assert first["actor1"] == 'Gunmen of the "Front; #1, North"'
    assert first["notes"] == HOSTILE_TEXT[: HOSTILE_TEXT.index("killing 3 people") + 16]
    assert "\r\n" in first["notes"] and "\t" in first["notes"]  # verbatim, quoted by RFC 4180
    assert first["source"] == 'Wire, "Agency"; #1'
    assert (first["event_type"], first["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert first["civilian_targeting"] == "Civilians targeted"
    assert (first["actor2"], first["assoc_actor_2"]) == ("Civilians (Italy)", "a market")
    assert first["inter2"] == "7"
    # a week is dated at its middle with precision 2 (2016-W51 is Mon 19 - Sun 25 December)
    assert (first["event_date"], first["time_precision"], first["year"]) == ("2016-12-22", "2", "2016")
    assert (first["country"], first["iso"], first["admin1"]) == ("Italy", "380", "Lombardy")
    assert (first["latitude"], first["longitude"], first["geo_precision"]) == ("45.53", "9.23", "1")
    assert first["fatalities"] == "3"
    assert first["region"] == first["admin2"] == first["source_scale"] == ""
    # "up to 100" is no figure: fatalities stay empty, never 0 or 100; a month is precision 3
    assert second["fatalities"] == ""
    assert second["tags"] == "status=alleged"
    assert (second["event_date"], second["time_precision"]) == ("2016-12-16", "3")
    assert second["event_type"] == "Violence against civilians"  # a casualty phrase, no armed target


def test_gkg_fields_never_contain_its_delimiters() -> None:
    data, stats = run("gkg-counts", [hostile()])
    (record,) = read_gkg(data)
    assert record["GKGRECORDID"] == 'hostile,"id";#1'  # only tabs and newlines would break a column
    assert record["V2.1DATE"] == "20161223000000"
    kill, wound = record["blocks"]
    assert (kill["type"], kill["number"], wound["type"], wound["number"]) == ("KILL", "3", "WOUND", "24")
    assert kill["loc_type"] == "4"  # a city outside the US
    assert kill["loc_name"] == "Sesto San Giovanni, Lombardy, Italy"
    assert (kill["country"], kill["adm1"]) == ("IT", "IT09")  # FIPS codes
    assert (kill["lat"], kill["lon"], kill["feature"]) == ("45.53", "9.23", "3166598")
    assert HOSTILE_TEXT[int(kill["offset"]) :].startswith("killing 3 people")
    assert stats.skipped == {"no casualty count": 1, "status hypothetical": 1}


def test_plover_record_fields() -> None:
    data, _ = run("plover", [hostile(), milan()])
    records = {r["id"]: r for r in read_jsonl(data)}
    v1 = records['hostile,"id";#1:v1']
    assert (v1["date"], v1["enddate"]) == ("2016-12-19", "2016-12-25")
    assert v1["event"] == ["ASSAULT"] and v1["quad_code"] == 4 and v1["context"] == []
    assert v1["source"][0]["actor_text"] == 'Gunmen of the "Front; #1, North"'
    assert v1["event_loc"]["country code"] == "IT" and v1["event_loc"]["cc3"] == "ITA"
    assert v1["size_info"] == {"dead": 3, "injured": 24}
    assert records['hostile,"id";#1:v3']["context"] == ["hypothetical"]
    amri = records["milan-2016-12-23:v1"]
    assert amri["recipient"][0]["identifier_text"] == "Anis Amri"
    assert amri["date"] == "2016-12-23" and amri["enddate"] is None


def test_parquet_keeps_bounds_and_phrases() -> None:
    rows = {r["event_uid"]: r for r in read_parquet(run("parquet", [hostile(), berlin(), paris()])[0])}
    v2 = rows['hostile,"id";#1:v2']
    assert (v2["killed"], v2["killed_high"], v2["killed_text"]) == (None, 100, "Up to 100 may have died")
    assert (v2["date_start"], v2["date_end"]) == (date(2016, 12, 1), date(2016, 12, 31))
    berlin_row = rows["berlin-2016-12-19:v1"]
    assert (berlin_row["injured"], berlin_row["injured_low"], berlin_row["injured_value"]) == (24, 24, None)
    assert berlin_row["country"] == "DE"


def test_parquet_without_pyarrow_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(StorylineError) as info:
        get_exporter("parquet")
    assert info.value.code == "E163"


def test_unknown_format_type_and_date_are_coded_errors() -> None:
    with pytest.raises(StorylineError) as info:
        get_exporter("excel")
    assert info.value.code == "E160"
    with pytest.raises(StorylineError) as info:
        parse_types(["ASSAULT,BOMBING"])
    assert info.value.code == "E162"
    with pytest.raises(StorylineError) as info:
        parse_since("23/12/2016")
    assert info.value.code == "E161"
    assert parse_types(["assault, protest", "COERCE"]) == {"ASSAULT", "PROTEST", "COERCE"}


def test_since_keeps_events_on_or_after_the_date_and_dates_undated_ones_by_publication() -> None:
    analyses = [
        dated("a-before", "2016-12-30", "2016-11-02"),
        dated("b-after", "2016-12-30", "2016-12-24"),
        dated("c-month", "2016-12-30", "2016-12"),  # the month reaches past the 20th
        dated("d-undated-new", "2016-12-30", None),
        dated("e-undated-old", "2016-11-30", None),
        dated("f-protest", "2016-12-30", "2016-12-24", type_="PROTEST"),
    ]
    selection = Selection(since=date(2016, 12, 20))
    kept = [r["event_uid"] for r in read_parquet(run("parquet", analyses, selection)[0])]
    assert kept == ["b-after:v1", "c-month:v1", "d-undated-new:v1", "f-protest:v1"]
    selection = Selection(types=frozenset({"PROTEST"}), since=date(2016, 12, 20))
    assert [r["event_uid"] for r in read_parquet(run("parquet", analyses, selection)[0])] == ["f-protest:v1"]
    lines = read_jsonl(run("jsonl", analyses, selection)[0])
    assert [line["article"]["id"] for line in lines] == ["f-protest"]


@pytest.mark.parametrize(
    ("value", "start", "end", "granularity"),
    [
        ("2016-12-23", date(2016, 12, 23), date(2016, 12, 23), "day"),
        ("2016-12-23T15:00", date(2016, 12, 23), date(2016, 12, 23), "day"),
        ("2016-W51", date(2016, 12, 19), date(2016, 12, 25), "week"),
        ("2016-W51-WE", date(2016, 12, 24), date(2016, 12, 25), "week"),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29), "month"),
        ("2016-Q4", date(2016, 10, 1), date(2016, 12, 31), "quarter"),
        ("2016", date(2016, 1, 1), date(2016, 12, 31), "year"),
    ],
)
def test_periods_of_timex_values(value: str, start: date, end: date, granularity: str) -> None:
    period = period_of(value)
    assert period is not None
    assert (period.start, period.end, period.granularity) == (start, end, granularity)


@pytest.mark.parametrize("value", [None, "", "PRESENT_REF", "P3D", "2016-02-30", "2016-SU", "XXXX-12-23"])
def test_values_that_name_no_calendar_span_give_no_date(value: str | None) -> None:
    assert period_of(value) is None


def _event(**fields: object) -> Event:
    base: dict[str, object] = {
        "id": "v1",
        "type": "ASSAULT",
        "trigger": Span(start=0, end=6, text="struck"),
        "status": "occurred",
    }
    return Event.model_validate({**base, **fields})


def test_acled_classification_table() -> None:
    soldiers = Quantity(value=4, text="four soldiers were killed")
    people = Quantity(value=4, text="four people were killed")
    assert classify(_event(mode="aerial", how=[Span(start=0, end=7, text="rockets")])).sub_event_type == (
        "Shelling/artillery/missile attack"
    )
    assert classify(_event(mode="aerial")).sub_event_type == "Air/drone strike"  # type: ignore[union-attr]
    assert classify(_event(mode="explosives")).sub_event_type == "Remote explosive/landmine/IED"  # type: ignore[union-attr]
    assert classify(_event(killed=soldiers)).event_type == "Battles"  # type: ignore[union-attr]
    assert classify(_event(killed=people)).event_type == "Violence against civilians"  # type: ignore[union-attr]
    by_police = Quantity(value=1, text="a man was shot dead by police")
    assert classify(_event(killed=by_police)).event_type == "Violence against civilians"  # type: ignore[union-attr]
    assert classify(_event(type="PROTEST", mode="riot")).event_type == "Riots"  # type: ignore[union-attr]
    assert classify(_event(type="PROTEST")).sub_event_type == "Peaceful protest"  # type: ignore[union-attr]
    assert classify(_event(type="PROTEST", injured=people)).sub_event_type == ""  # type: ignore[union-attr]
    assert classify(_event(type="COERCE", mode="arrest")).sub_event_type == "Arrests"  # type: ignore[union-attr]
    assert classify(_event(mode="abduct")).sub_event_type == "Abduction/forced disappearance"  # type: ignore[union-attr]
    assert classify(_event(type="DISASTER")) is None
    assert classify(_event(type="CONSULT")) is None


def test_a_kidnapping_in_real_text_is_an_acled_abduction() -> None:
    from storyline import analyze

    analysis = analyze(
        "Gunmen kidnapped three aid workers on Tuesday near the town of Maiduguri, police said.",
        published="2020-03-05",
    )
    kinds = [classify(event) for event in analysis.events if event.mode == "abduct"]
    assert [k.sub_event_type for k in kinds if k is not None] == ["Abduction/forced disappearance"]


# -- property tests --------------------------------------------------------------------------------

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    """An analysis with arbitrary (valid) text, names and counts: its offsets point into its text."""
    words = draw(st.lists(_TEXT, min_size=2, max_size=4))
    text = " ".join(words)
    trigger = Span(start=0, end=len(words[0]), text=words[0])
    count = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)))
    return Analysis(
        article=Article(
            id=draw(_TEXT),
            text=text,
            title=draw(st.one_of(st.none(), _TEXT)),
            source=draw(st.one_of(st.none(), _TEXT)),
            published=draw(st.one_of(st.none(), st.dates().map(date.isoformat))),
        ),
        events=[
            Event(
                id="v1",
                type=draw(st.sampled_from(["ASSAULT", "PROTEST", "COERCE", "DISASTER"])),
                mode=draw(st.sampled_from([None, "firearms", "aerial", "riot", "arrest"])),
                trigger=trigger,
                status="occurred",
                who=[Argument(text=draw(_TEXT))],
                where=EventPlace(
                    name=draw(_TEXT),
                    lat=draw(st.floats(-90, 90)),
                    lon=draw(st.floats(-180, 180)),
                ),
                killed=None if count is None else Quantity(value=count, text=words[-1]),
                evidence=[Span(start=0, end=len(text), text=text)],
                confidence=draw(st.floats(0, 1)),
            )
        ],
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(analyses(), min_size=1, max_size=3))
def test_jsonl_round_trips_any_analysis(items: list[Analysis]) -> None:
    data, _ = run("jsonl", items)
    assert data.count(b"\n") == len(items)
    assert [Analysis.model_validate(line) for line in read_jsonl(data)] == items


_CONTROL = {chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses())
def test_acled_and_gkg_keep_their_structure_on_any_text(analysis: Analysis) -> None:
    (event,) = analysis.events
    rows = read_csv(run("acled", [analysis])[0])
    if classify(event) is not None:
        (row,) = rows
        assert row["notes"] == "".join(c for c in analysis.article.text if c not in _CONTROL)
        assert float(row["latitude"]) == event.where.lat  # type: ignore[union-attr]
    else:
        assert rows == []
    records = read_gkg(run("gkg-counts", [analysis])[0])  # asserts 5 columns and 11 fields a block
    assert len(records) == (1 if event.killed is not None else 0)
    for record in records:
        assert record["blocks"][0]["number"] == str(event.killed.value)  # type: ignore[union-attr]
