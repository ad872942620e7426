"""WARC/ARC reader: HTML responses become articles keyed by their target url; junk is reported or passed."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

from storyline.ingest import read_paths
from storyline.ingest.warc import read_warc, warc_published
from tests.ingest.support import split
from tests.scale.support import build_warc, sample_records


def test_articles_from_a_warc_with_target_url_and_capture_date(tmp_path: Path) -> None:
    records = sample_records(3)
    urls = build_warc(tmp_path / "crawl.warc.gz", records)
    articles, problems = split(read_warc(tmp_path / "crawl.warc.gz"))
    english = [a for a in articles if a.url in urls]
    assert [a.url for a in english] == urls
    assert [a.title for a in english] == [r["title"] for r in records]
    assert [a.published for a in english] == [f"{r['published']}T12:00:00Z" for r in records]
    # The body is the article's text (paragraphs kept), not the navigation or footer of the page.
    assert english[1].text == records[1]["text"]
    assert "Home" not in english[0].text
    # Junk: the 404 page, the empty page and the page without an article are reported with offsets;
    # the request, the warcinfo and the image are passed over; the French page is read (language is
    # decided at ingest).
    codes = sorted(p.code for p in problems)
    assert codes == ["E005", "E122", "E122"]
    assert all("crawl.warc.gz@" in p.where for p in problems)
    assert any(a.url == "https://news.example/fr" for a in articles)


def test_uncompressed_and_bz2_warcs_read_the_same(tmp_path: Path) -> None:
    records = sample_records(2)
    build_warc(tmp_path / "plain.warc", records, junk=False)
    (tmp_path / "packed.warc.bz2").write_bytes(bz2.compress((tmp_path / "plain.warc").read_bytes()))
    plain, _ = split(read_paths(tmp_path / "plain.warc"))
    packed, problems = split(read_paths(tmp_path / "packed.warc.bz2"))
    assert problems == []
    assert [a.model_dump() for a in packed] == [a.model_dump() for a in plain]
    assert len(plain) == 2


def test_truncated_gzip_warc_keeps_what_came_before_and_reports_the_offset(tmp_path: Path) -> None:
    records = sample_records(4)
    build_warc(tmp_path / "full.warc.gz", records, junk=False)
    data = (tmp_path / "full.warc.gz").read_bytes()
    (tmp_path / "cut.warc.gz").write_bytes(data[: int(len(data) * 0.7)])
    articles, problems = split(read_warc(tmp_path / "cut.warc.gz"))
    assert 1 <= len(articles) < 4
    assert [p.code for p in problems] == ["E121"]
    assert "cut.warc.gz@" in problems[0].where


def test_garbage_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "junk.warc").write_bytes(b"this is not a warc file\n" * 10)
    (tmp_path / "junk2.warc.gz").write_bytes(gzip.compress(b"\xff\xfe garbage \x00" * 100))
    for name in ("junk.warc", "junk2.warc.gz"):
        articles, problems = split(read_warc(tmp_path / name))
        assert articles == []
        assert [p.code for p in problems] == ["E121"]


def test_a_10_mb_record_is_reported_and_the_rest_go_on(tmp_path: Path) -> None:
    records = sample_records(4)
    build_warc(tmp_path / "big.warc.gz", records, junk=False, big=True)
    articles, problems = split(read_warc(tmp_path / "big.warc.gz"))
    assert len(articles) == 4
    assert [p.code for p in problems] == ["E123"]
    assert "big.warc.gz@" in problems[0].where


def test_empty_warc_is_empty_input(tmp_path: Path) -> None:
    (tmp_path / "empty.warc").write_bytes(b"")
    _, problems = split(read_warc(tmp_path / "empty.warc"))
    assert [p.code for p in problems] == ["E002"]


def test_arc_dates() -> None:
    assert warc_published("20190104120000") == "2019-01-04"
    assert warc_published("2019-01-04T12:00:00Z") == "2019-01-04T12:00:00Z"
    assert warc_published("yesterday") is None
