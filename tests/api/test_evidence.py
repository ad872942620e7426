"""Evidence segments: overlapping spans cut into runs that each list the items covering them."""

from __future__ import annotations

from storyline.api.evidence import Mark, article_segments, segments
from tests.store.samples import milan


def test_overlapping_spans_are_cut_at_every_boundary() -> None:
    text = "Anis Amri was shot dead."
    runs = segments(
        text,
        [
            Mark("entity", "e1", 0, 9, "text"),
            Mark("claim", "c1", 0, 24, "text"),
            Mark("event", "v1", 14, 23, "text"),
        ],
    )
    assert "".join(r.text for r in runs) == text
    assert [(r.text, r.items) for r in runs] == [
        ("Anis Amri", ("claim:c1", "entity:e1")),
        (" was ", ("claim:c1",)),
        ("shot dead", ("claim:c1", "event:v1")),
        (".", ("claim:c1",)),
    ]
    assert runs[0].kinds == ("entity", "claim")


def test_offsets_outside_the_text_are_clipped() -> None:
    runs = segments("abc", [Mark("entity", "e1", 2, 99, "text"), Mark("time", "t1", 5, 9, "text")])
    assert [(r.text, r.items) for r in runs] == [("ab", ()), ("c", ("entity:e1",))]
    assert segments("", [Mark("entity", "e1", 0, 3, "text")]) == []


def test_article_segments_rebuild_the_text() -> None:
    analysis = milan()
    title, body = article_segments(analysis)
    assert "".join(r.text for r in body) == analysis.article.text
    assert "".join(r.text for r in title) == (analysis.article.title or "")
    covered = {item for r in body for item in r.items}
    assert {"entity:e1", "place:p1", "time:t1", "claim:c1", "event:v1"} <= covered
