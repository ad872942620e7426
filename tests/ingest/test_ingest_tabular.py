"""JSONL, JSON and CSV readers: the shared record shape as-is, bad lines reported by line, streaming."""

from __future__ import annotations

import csv
import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.errors import Problem, StorylineError
from storyline.ingest import Record, read_paths, read_records
from storyline.model import Article
from tests.ingest.support import split

SHARED_RECORD: dict[str, Any] = {
    "id": "gwn-0042",
    "title": "Suspect killed in Milan shootout",
    "published": "2016-12-23",
    "url": "https://example.org/amri",
    "text": "The suspect was killed in Sesto San Giovanni, near Milan.",
    "gold": {"toponyms": [{"start": 26, "end": 44, "text": "Sesto San Giovanni"}]},
    "meta": {"dataset": "geowebnews", "source_file": "x.xml"},
}


def record(n: int, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": f"r{n}",
        "title": f"Title {n}",
        "published": "2019-09-0" + str(n % 9 + 1),
        "url": None,
        "text": f"Body of article {n}.\n\nSecond paragraph of {n}.",
    }
    return {**base, **fields}


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_shared_format_record_reads_as_is(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "geo.jsonl", [json.dumps(SHARED_RECORD)])

    [item] = list(read_records(path))

    assert isinstance(item, Record)
    assert item.line == 1
    assert item.gold == SHARED_RECORD["gold"]
    assert item.meta == SHARED_RECORD["meta"]
    article = item.article
    assert article.id == "gwn-0042"  # the record's own id, not a hash
    assert (article.title, article.published, article.url) == (
        SHARED_RECORD["title"],
        "2016-12-23",
        "https://example.org/amri",
    )
    span = SHARED_RECORD["gold"]["toponyms"][0]
    assert article.text[span["start"] : span["end"]] == span["text"]
    with pytest.raises(AttributeError):
        item.line = 2  # type: ignore[misc]


def test_malformed_lines_in_the_middle_are_reported_and_reading_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps(record(1)),
        "",  # blank lines are not records
        json.dumps(record(2)),
        '{"id": "r3", "text": "unterminated',  # line 4: bad JSON
        json.dumps({"id": "r4", "title": "no text"}),  # line 5
        json.dumps(record(5, text=["not", "a", "string"])),  # line 6
        json.dumps(record(6, published="23 December 2016")),  # line 7
        json.dumps(record(7, text="   \n ")),  # line 8
        "[1, 2, 3]",  # line 9: not an object
        json.dumps(record(8, title=42)),  # line 10
        json.dumps(record(9, published="2016-12-23T18:30:00Z")),  # line 11: a date-time is fine
        json.dumps(record(10, source="CNN", author="Ben Wedeman")),  # line 12
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", lines)

    items = list(read_records(path))

    good = [item for item in items if isinstance(item, Record)]
    bad = [item for item in items if isinstance(item, Problem)]
    assert [(r.article.id, r.line) for r in good] == [("r1", 1), ("r2", 3), ("r9", 11), ("r10", 12)]
    assert [(p.code, p.where) for p in bad] == [("E003", f"{path}:{n}") for n in (4, 5, 6, 7, 8, 9, 10)]
    assert all(f"{path}:" in str(p) for p in bad)
    reasons = [str(p) for p in bad]
    assert "invalid JSON" in reasons[0]
    assert "no 'text'" in reasons[1]
    assert "'text' must be a string" in reasons[2]
    assert "23 December 2016" in reasons[3]
    assert "'title' must be a string" in reasons[6]
    assert good[2].article.published == "2016-12-23T18:30:00Z"  # kept as given
    assert (good[3].article.source, good[3].article.author) == ("CNN", "Ben Wedeman")
    assert [i for i in items if not isinstance(i, Record | Problem)] == []


def test_invalid_utf8_line_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin.jsonl"
    path.write_bytes(
        json.dumps(record(1)).encode()
        + b"\n"
        + b'{"id": "r2", "text": "caf\xe9"}\n'
        + json.dumps(record(3)).encode()
    )

    items = list(read_records(path))

    assert [type(i).__name__ for i in items] == ["Record", "Problem", "Record"]
    problem = items[1]
    assert isinstance(problem, Problem)
    assert (problem.code, problem.where) == ("E003", f"{path}:2")
    assert "UTF-8" in str(problem)


def test_record_values_win_over_options(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            json.dumps(record(1, source="Wikinews")),
            json.dumps(record(2, published=None, url="https://x.org/2")),
        ],
    )

    articles, problems = split(read_paths([path], published="2000-01-01", source="Default"))

    assert problems == []
    assert [(a.published, a.source) for a in articles] == [
        ("2019-09-02", "Wikinews"),
        ("2000-01-01", "Default"),
    ]


def test_missing_id_falls_back_to_url_then_text_hash(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "noid.jsonl",
        [json.dumps(record(1, id=None, url="https://x.org/1")), json.dumps(record(2, id=None))],
    )

    ids = [item.article.id for item in read_records(path) if isinstance(item, Record)]

    assert ids[0] == __import__("hashlib").sha256(b"https://x.org/1").hexdigest()
    assert ids[1] == __import__("hashlib").sha256(record(2)["text"].encode()).hexdigest()


def test_empty_jsonl_is_e002(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "empty.jsonl", ["", "  "])

    assert [p.code for p in read_records(path) if isinstance(p, Problem)] == ["E002"]


def test_reading_is_lazy(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "lazy.jsonl", [json.dumps(record(1)), json.dumps(record(2))])
    items = read_records(path)

    first = next(items)
    path.unlink()  # the file stays open: the second record still streams from it

    assert isinstance(first, Record)
    assert isinstance(next(items), Record)


def test_json_list_of_records(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([record(1), {"id": "x"}, record(3)]), encoding="utf-8")
    single = tmp_path / "single.json"
    single.write_text(json.dumps(record(1)), encoding="utf-8")

    items = list(read_records(path))

    assert [type(i).__name__ for i in items] == ["Record", "Problem", "Record"]
    assert [i.line for i in items if isinstance(i, Record)] == [1, 3]
    assert items[1].where == f"{path}:2"  # type: ignore[union-attr]
    assert [p.code for p in read_records(single)] == ["E022"]  # type: ignore[union-attr]


def test_csv_with_multiline_text_and_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "url", "title", "published", "text", "source", "author", "section"])
        writer.writerow(["a1", "", "First", "2019-08-29", "Para one.\n\nPara, two.", "BBC", "", "politics"])
        writer.writerow(["a2", "https://x.org/2", "Bad date", "yesterday", "Text.", "", "", ""])
        writer.writerow(["a3", "", "", "", "Third text.", "", "Ann Smith", ""])
        writer.writerow(["a4", "", "Too few fields"])
        writer.writerow(["a5", "", "Empty text", "", "", "", "", ""])

    items = list(read_records(path, source="Default"))

    good = [i for i in items if isinstance(i, Record)]
    bad = [i for i in items if isinstance(i, Problem)]
    assert [(r.article.id, r.line) for r in good] == [("a1", 2), ("a3", 6)]
    first, third = good[0].article, good[1].article
    assert first.text == "Para one.\n\nPara, two."
    assert (first.url, first.title, first.published, first.source, first.author) == (
        None,
        "First",
        "2019-08-29",
        "BBC",
        None,
    )
    assert good[0].meta == {"section": "politics"}
    assert (third.title, third.source, third.author) == (None, "Default", "Ann Smith")
    assert [(p.code, p.where) for p in bad] == [("E003", f"{path}:{n}") for n in (5, 7, 8)]


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "notext.csv"
    path.write_text("id,title,body\n1,T,B\n", encoding="utf-8")

    [problem] = list(read_records(path))

    assert isinstance(problem, Problem)
    assert problem.code == "E023"
    assert "body" in str(problem)


def test_gzipped_jsonl_and_csv(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl.gz"
    jsonl.write_bytes(gzip.compress("\n".join(json.dumps(record(n)) for n in range(3)).encode()))
    table = tmp_path / "b.CSV.gz"
    table.write_bytes(gzip.compress(b"id,text\nc1,Some text here.\n"))

    articles, problems = split(read_paths([jsonl, table]))

    assert problems == []
    assert [a.id for a in articles] == ["r0", "r1", "r2", "c1"]


def test_truncated_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    data = gzip.compress(
        "\n".join(json.dumps(record(n, text="x " * 200 + str(n))) for n in range(400)).encode()
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])

    items = list(read_records(path))

    *records, last = items
    assert records and all(isinstance(r, Record) for r in records)
    assert [r.article.id for r in records if isinstance(r, Record)] == [f"r{n}" for n in range(len(records))]
    assert isinstance(last, Problem)
    assert (last.code, last.where) == ("E021", str(path))


def test_not_gzip_at_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.jsonl.gz"
    path.write_text(json.dumps(record(1)), encoding="utf-8")

    assert [p.code for p in read_records(path)] == ["E021"]  # type: ignore[union-attr]


def test_bad_published_option_raises() -> None:
    with pytest.raises(StorylineError, match=r"\[E006\]"):
        read_records("whatever.jsonl", published="last week")


# Titles: None or non-empty ("" reads back as None: FORMAT.md has null for missing values).
_titles = st.none() | st.text(min_size=1)
_texts = st.text(min_size=1).filter(lambda text: text.strip() != "")
_dates = st.none() | st.dates().map(lambda day: day.isoformat())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({"title": _titles, "text": _texts, "published": _dates}), min_size=1, max_size=6
    ),
    st.booleans(),
)
def test_jsonl_round_trip(rows: list[dict[str, Any]], ascii_only: bool) -> None:
    """Whatever article text and title are written as JSONL come back equal, character for character."""
    written = [Article(id=f"id-{n}", source="Test", **row) for n, row in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "round.jsonl"
        with path.open("w", encoding="utf-8", newline="") as handle:
            for article in written:
                handle.write(json.dumps(article.model_dump(), ensure_ascii=ascii_only) + "\n")
        read = [item.article if isinstance(item, Record) else item for item in read_records(path)]
    assert read == written
