"""URL lists: saved pages with the url they were fetched from (url TAB path [TAB published])."""

from __future__ import annotations

from pathlib import Path

from storyline.ingest import read_paths
from storyline.ingest.base import article_id
from tests.ingest.support import ARTICLE_HTML, split


def test_url_list(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "flood.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (tmp_path / "pages" / "note.txt").write_text(
        "The council met on Monday to discuss the budget.", encoding="utf-8"
    )
    listing = tmp_path / "saved.urls"
    listing.write_text(
        "# saved by hand\n"
        "https://mirror.example/flood\tpages/flood.html\n"
        "\n"
        "https://mirror.example/note\tpages/note.txt\t2021-03-08\n"
        "https://mirror.example/gone\tpages/missing.html\n"
        "just-one-field\n"
        "https://mirror.example/bad-date\tpages/note.txt\tlast week\n",
        encoding="utf-8",
    )
    articles, problems = split(read_paths(listing))
    assert [a.url for a in articles] == ["https://mirror.example/flood", "https://mirror.example/note"]
    assert articles[0].id == article_id(None, "https://mirror.example/flood", "")
    assert articles[0].title == "Flood waters recede in Millbrook as clean-up begins"
    assert articles[0].published == "2021-03-04"  # the page's own date (no date column)
    assert articles[1].published == "2021-03-08"
    assert [p.code for p in problems] == ["E001", "E124", "E124"]
    assert problems[1].where.endswith("saved.urls:6")
