"""Saved RSS/Atom feeds: every entry with a body is an article; nothing is fetched."""

from __future__ import annotations

import gzip
from pathlib import Path

from storyline.ingest import read_paths
from storyline.ingest.feeds import fragment_text, read_feed
from tests.ingest.support import split

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Valley Courier</title>
  <link>https://courier.example/</link>
  <item>
    <title>Flood waters recede in Millbrook</title>
    <link>https://courier.example/2021/03/04/flood</link>
    <pubDate>Thu, 04 Mar 2021 08:15:00 GMT</pubDate>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>Flood waters began to recede on Thursday in Millbrook.</p>
      <p>"We have never seen the water rise this fast," Mayor Ellen Carter said.</p>]]></content:encoded>
  </item>
  <item>
    <title>Council approves budget</title>
    <link>https://courier.example/2021/03/05/budget</link>
    <pubDate>Fri, 05 Mar 2021 10:00:00 GMT</pubDate>
    <description>The town council approved the budget for next year on Friday evening.</description>
  </item>
  <item>
    <title>No body here</title>
    <link>https://courier.example/2021/03/06/empty</link>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Wire</title>
  <id>urn:example:wire</id>
  <updated>2020-02-02T10:00:00Z</updated>
  <entry>
    <title>Storm closes schools</title>
    <link href="https://wire.example/storm"/>
    <id>urn:example:wire:1</id>
    <updated>2020-02-02T09:30:00Z</updated>
    <author><name>A. Reporter</name></author>
    <content type="html">&lt;p&gt;Schools closed on Sunday as the storm arrived.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_rss_entries(tmp_path: Path) -> None:
    path = tmp_path / "courier.rss"
    path.write_text(RSS, encoding="utf-8")
    articles, problems = split(read_feed(path))
    assert [a.url for a in articles] == [
        "https://courier.example/2021/03/04/flood",
        "https://courier.example/2021/03/05/budget",
    ]
    first = articles[0]
    assert first.title == "Flood waters recede in Millbrook"
    assert first.published == "2021-03-04T08:15:00Z"
    assert first.source == "Valley Courier"
    assert first.text == (
        "Flood waters began to recede on Thursday in Millbrook.\n\n"
        '"We have never seen the water rise this fast," Mayor Ellen Carter said.'
    )
    assert articles[1].text == "The town council approved the budget for next year on Friday evening."
    assert [p.code for p in problems] == ["E126"]
    assert problems[0].where.endswith("courier.rss@2")


def test_atom_gzipped_through_read_paths(tmp_path: Path) -> None:
    path = tmp_path / "wire.atom.gz"
    path.write_bytes(gzip.compress(ATOM.encode()))
    articles, problems = split(read_paths(tmp_path))
    assert problems == []
    (article,) = articles
    assert article.url == "https://wire.example/storm"
    assert article.author == "A. Reporter"
    assert article.published == "2020-02-02T09:30:00Z"
    assert article.text == "Schools closed on Sunday as the storm arrived."


def test_not_a_feed(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<html><body>hello</body></html>", encoding="utf-8")
    _, problems = split(read_feed(path))
    assert [p.code for p in problems] == ["E125"]
    (tmp_path / "e.rss").write_bytes(b"")
    _, problems = split(read_feed(tmp_path / "e.rss"))
    assert [p.code for p in problems] == ["E002"]


def test_fragment_text() -> None:
    assert fragment_text("<p>One <b>two</b>.</p><p>Three.</p><script>x()</script>") == "One two.\n\nThree."
    assert fragment_text("plain   text") == "plain text"
