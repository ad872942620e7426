"""HTML reader: trafilatura finds the body and the page's metadata, offline; no body is E005."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from storyline.ingest import read_html, read_paths
from storyline.ingest.html import body_text
from tests.ingest.support import ARTICLE_HTML, BROKEN_HTML, split


def test_article_page_body_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "millbrook.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")

    articles, problems = split(read_html(path))

    assert problems == []
    [article] = articles
    assert article.title == "Flood waters recede in Millbrook as clean-up begins"
    assert article.author == "Jane Doe"
    assert article.published == "2021-03-04"
    assert article.url == "https://courier.example/2021/03/04/millbrook-flood"
    assert article.source == "The Valley Courier"
    # The id of a page with a url is the url's hash, so re-reading a re-rendered page finds the same article.
    assert article.id == __import__("hashlib").sha256(article.url.encode()).hexdigest()
    text = article.text
    assert text.startswith("Flood waters began to recede on Thursday")  # the repeated headline is dropped
    assert '"We have never seen the water rise this fast," Mayor Ellen Carter' in text
    assert "Two people were killed" in text
    assert "8.2 metres" in text
    assert "\n\n" in text  # paragraphs kept apart, as in the shared corpus
    for boilerplate in ("Home", "Sport", "Copyright", "All rights reserved"):
        assert boilerplate not in text


def test_page_metadata_wins_and_options_fill_gaps(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_text(ARTICLE_HTML, encoding="utf-8")
    bare = tmp_path / "bare.html"
    paragraphs = "".join(
        f"<p>Paragraph {n} of a report with enough words to be kept as a body.</p>" for n in range(4)
    )
    bare.write_text(f"<html><body><article>{paragraphs}</article></body></html>", encoding="utf-8")

    articles, problems = split(read_paths([page, bare], published="2020-01-01", source="Wire"))

    assert problems == []
    assert [(a.published, a.source) for a in articles] == [
        ("2021-03-04", "The Valley Courier"),
        ("2020-01-01", "Wire"),
    ]
    assert articles[1].title is None
    assert articles[1].text.count("\n\n") == 3


@pytest.mark.parametrize(
    "content",
    [
        BROKEN_HTML.encode(),
        b"",
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
        bytes(range(256)) * 8,
    ],
    ids=["truncated-markup", "empty", "navigation-only", "binary"],
)
def test_no_article_body_is_e005(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.html"
    path.write_bytes(content)

    articles, problems = split(read_paths([path]))

    assert articles == []
    assert [(p.code, p.where) for p in problems] == [("E005", str(path))]


def test_gzipped_html(tmp_path: Path) -> None:
    path = tmp_path / "millbrook.html.gz"
    path.write_bytes(gzip.compress(ARTICLE_HTML.encode("utf-8")))

    articles, problems = split(read_paths([path]))

    assert problems == []
    assert articles[0].source == "The Valley Courier"


def test_body_text_drops_only_a_leading_title_line() -> None:
    assert body_text("Headline\nFirst para.\n\n  Second para.  \nHeadline", "headline") == (
        "First para.\n\nSecond para.\n\nHeadline"
    )
    assert body_text("First para.\nSecond.", None) == "First para.\n\nSecond."
