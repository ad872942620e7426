"""Evidence of an analysis as highlightable segments of the article's text (for the article page).

Why segments: evidence spans overlap (an entity mention inside a claim inside an event's evidence), and
HTML cannot nest arbitrary overlapping ranges. Cutting the text at every span boundary gives runs of
text that each carry the set of items covering them; the template renders each run as one escaped
``<span>`` listing those items, and the page's script highlights the runs of a selected item.
Offsets outside the text are clipped, so a damaged analysis cannot break the page.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from storyline.model import Analysis, Span

#: The kinds of evidence, in the order the page lists them.
KINDS = ("entity", "place", "time", "claim", "event")


@dataclass(frozen=True, slots=True)
class Mark:
    """One item's evidence span: which item (``kind``/``id``) and where."""

    kind: str
    item: str
    start: int
    end: int
    field: str  # "text" or "title"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text and the items whose evidence covers all of it (sorted, possibly none)."""

    text: str
    items: tuple[str, ...]
    kinds: tuple[str, ...]


def _mark(kind: str, item: str, span: Span | None) -> Mark | None:
    if span is None:
        return None
    return Mark(kind, item, span.start, span.end, span.field or "text")


def marks(analysis: Analysis) -> list[Mark]:
    """Every evidence span of every item, tagged with its kind and item id."""
    out: list[Mark | None] = []
    for entity in analysis.entities:
        out += [_mark("entity", entity.id, m) for m in entity.mentions]
    for place in analysis.places:
        out += [_mark("place", place.id, m) for m in place.mentions]
    for time in analysis.times:
        out.append(_mark("time", time.id, time.span))
    for claim in analysis.claims:
        out += [_mark("claim", claim.id, claim.content), _mark("claim", claim.id, claim.cue)]
        if claim.source is not None:
            out.append(_mark("claim", claim.id, claim.source.span))
    for event in analysis.events:
        out.append(_mark("event", event.id, event.trigger))
        out += [_mark("event", event.id, s) for s in event.evidence]
    return [m for m in out if m is not None]


def segments(text: str, spans: list[Mark]) -> list[Segment]:
    """``text`` cut at every boundary of ``spans``; each piece lists the items covering it."""
    n = len(text)
    clipped = [(max(0, min(n, m.start)), max(0, min(n, m.end)), m) for m in spans]
    clipped = [(s, e, m) for s, e, m in clipped if s < e]
    cuts = sorted({0, n, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    index = {cut: i for i, cut in enumerate(cuts)}
    covering: list[list[Mark]] = [[] for _ in range(len(cuts) - 1)]
    for s, e, m in clipped:  # each mark covers the pieces between its two cuts: linear in the output
        for piece in range(index[s], index[e]):
            covering[piece].append(m)
    out: list[Segment] = []
    for piece, (a, b) in enumerate(itertools.pairwise(cuts)):
        marks_here = covering[piece]
        items = tuple(sorted({f"{m.kind}:{m.item}" for m in marks_here}))
        kinds = tuple(k for k in KINDS if any(m.kind == k for m in marks_here))
        out.append(Segment(text[a:b], items, kinds))
    return out


def article_segments(analysis: Analysis) -> tuple[list[Segment], list[Segment]]:
    """Segments of the article's title and of its text."""
    all_marks = marks(analysis)
    title = analysis.article.title or ""
    return (
        segments(title, [m for m in all_marks if m.field == "title"]),
        segments(analysis.article.text, [m for m in all_marks if m.field != "title"]),
    )
