"""Round trips on real text: articles analysed by the pipeline, stored in SQLite, exported in each
format through the streaming store reader, read back with the format's ordinary reader (csv, json,
pyarrow), and compared field by field with the events themselves.
"""

from __future__ import annotations

from datetime import date

import pytest

from storyline.export import Selection
from storyline.export.acled import COLUMNS, EXPORTED_STATUSES, classify
from storyline.model import Analysis, Event, Quantity
from storyline.store import Store
from tests.export.helpers import read_csv, read_gkg, read_jsonl, read_parquet, run

pytestmark = pytest.mark.slow


def _events(analyses: list[Analysis]) -> dict[str, tuple[Analysis, Event]]:
    return {f"{a.article.id}:{e.id}": (a, e) for a in analyses for e in a.events}


def _count(quantity: Quantity | None) -> int | None:
    if quantity is None:
        return None
    return quantity.value if quantity.value is not None else quantity.low


def test_the_real_articles_have_events_to_export(real_analyses: list[Analysis]) -> None:
    events = [e for a in real_analyses for e in a.events]
    assert len(events) >= 5
    assert any(e.killed is not None for e in events)
    assert any(e.where is not None and e.where.lat is not None for e in events)


def test_jsonl_reads_back_as_the_stored_analyses(real_store: Store, real_analyses: list[Analysis]) -> None:
    data, stats = run("jsonl", real_store)
    back = [Analysis.model_validate(record) for record in read_jsonl(data)]
    assert sorted(back, key=lambda a: a.article.id) == sorted(real_analyses, key=lambda a: a.article.id)
    assert stats.records == len(real_analyses)


def test_acled_rows_carry_the_events_values(real_store: Store, real_analyses: list[Analysis]) -> None:
    data, stats = run("acled", real_store)
    rows = read_csv(data)
    assert tuple(rows[0]) == COLUMNS if rows else True
    events = _events(real_analyses)
    expected = {
        uid for uid, (_, e) in events.items() if e.status in EXPORTED_STATUSES and classify(e) is not None
    }
    assert {row["event_id_cnty"] for row in rows} == expected
    assert expected, "the sample yields no ACLED event: the test would prove nothing"
    assert stats.events == len(rows)
    for row in rows:
        analysis, event = events[row["event_id_cnty"]]
        assert row["event_type"] == classify(event).event_type  # type: ignore[union-attr]
        killed = _count(event.killed)
        assert row["fatalities"] == (str(killed) if killed is not None else "0")
        value = event.when.value if event.when else None
        if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            assert row["event_date"] == value[:10]
            assert row["time_precision"] == "1"
            assert row["year"] == value[:4]
        if event.where is not None and event.where.lat is not None:
            assert float(row["latitude"]) == event.where.lat
            assert float(row["longitude"]) == event.where.lon
            assert row["location"] == event.where.name
        else:
            assert row["latitude"] == row["longitude"] == ""
        assert row["source"] == (analysis.article.source or "")
        assert row["timestamp"].isdigit()  # from the store's updated_at


def test_plover_records_carry_the_events_values(real_store: Store, real_analyses: list[Analysis]) -> None:
    data, _ = run("plover", real_store)
    records = read_jsonl(data)
    events = _events(real_analyses)
    assert {r["id"] for r in records} == set(events)
    for record in records:
        analysis, event = events[record["id"]]
        assert record["event"] == [event.type]
        assert record["mode"] == event.mode
        assert record["status"] == event.status
        assert record["size_info"] == {"dead": _count(event.killed), "injured": _count(event.injured)}
        value = event.when.value if event.when else None
        if value and len(value) >= 10 and value[7] == "-":
            assert record["date"] == value[:10]
        if event.where is not None:
            assert record["event_loc"]["name"] == event.where.name
            assert record["event_loc"]["latitude"] == event.where.lat
            assert record["event_loc"]["longitude"] == event.where.lon
        in_title = event.trigger.field == "title"  # offsets into the title, as the contract says
        text = (analysis.article.title or "") if in_title else analysis.article.text
        info = record["text_info"]
        if info is not None and not in_title:
            assert info["start"] <= event.trigger.start < event.trigger.end <= info["end"]
        assert record["trigger"].get("field") == event.trigger.field
        assert text[record["trigger"]["start"] : record["trigger"]["end"]] == event.trigger.text
        for actor, argument in zip(record["source"], event.who, strict=True):
            assert actor["actor_text"] == argument.text


def test_gkg_counts_bind_each_count_to_its_events_place(
    real_store: Store, real_analyses: list[Analysis]
) -> None:
    data, _ = run("gkg-counts", real_store)
    records = read_gkg(data)
    by_article = {a.article.id: a for a in real_analyses}
    blocks_seen = 0
    for record in records:
        analysis = by_article[record["GKGRECORDID"]]
        expected = []
        for event in analysis.events:
            if event.status not in ("occurred", "alleged"):
                continue
            for kind, quantity in (("KILL", event.killed), ("WOUND", event.injured)):
                if _count(quantity) is not None:
                    expected.append((kind, event, quantity))
        assert len(record["blocks"]) == len(expected)
        for block, (kind, event, quantity) in zip(record["blocks"], expected, strict=True):
            blocks_seen += 1
            assert block["type"] == kind
            assert int(block["number"]) == _count(quantity)
            if event.where is not None and event.where.lat is not None and block["loc_type"] != "0":
                assert float(block["lat"]) == event.where.lat
                assert float(block["lon"]) == event.where.lon
            assert quantity is not None
            if quantity.span is not None and quantity.span.field != "title":
                assert analysis.article.text[int(block["offset"]) :].startswith(quantity.span.text)
            elif event.trigger.field != "title":  # no span in the text: the event's trigger
                assert int(block["offset"]) == event.trigger.start
            else:
                assert block["offset"] == ""  # GKG offsets point into the text; a title has none
        published = analysis.article.published
        assert record["V2.1DATE"].startswith(published.replace("-", "")[:8] if published else "")
    assert blocks_seen > 0


def test_parquet_rows_carry_the_events_values(real_store: Store, real_analyses: list[Analysis]) -> None:
    data, stats = run("parquet", real_store)
    rows = read_parquet(data)
    events = _events(real_analyses)
    assert len(rows) == len(events) == stats.events
    for row in rows:
        analysis, event = events[row["event_uid"]]
        assert (row["type"], row["mode"], row["status"]) == (event.type, event.mode, event.status)
        assert row["trigger_start"] == event.trigger.start
        assert row["killed"] == _count(event.killed)
        assert row["injured"] == _count(event.injured)
        assert row["killed_text"] == (event.killed.text if event.killed else None)
        assert row["lat"] == (event.where.lat if event.where else None)
        assert row["lon"] == (event.where.lon if event.where else None)
        assert row["when_value"] == (event.when.value if event.when else None)
        value = row["when_value"]
        if value and len(value) >= 10 and value[7] == "-":
            assert row["date_start"] == row["date_end"] == date.fromisoformat(value[:10])
        assert row["claims"] == event.claims
        assert row["published"] == analysis.article.published


def test_a_type_selection_exports_only_that_type(real_store: Store, real_analyses: list[Analysis]) -> None:
    types = {e.type for a in real_analyses for e in a.events}
    chosen = sorted(types)[0]
    data, _ = run("parquet", real_store, Selection(types=frozenset({chosen})))
    rows = read_parquet(data)
    assert rows and {row["type"] for row in rows} == {chosen}
    assert len(rows) == sum(1 for a in real_analyses for e in a.events if e.type == chosen)
