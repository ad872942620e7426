"""A story's brief: 3-6 extractive sentences on its main events, in time order, each with its sources.

The brief has one sentence per development (a story event that leads an article or that several
articles report), at least :data:`MIN_SENTENCES` and at most :data:`MAX_SENTENCES`.

Candidates are the articles' highlights (``Analysis.highlights``, the highlights stage's summary
sentences); an article without highlights offers its first sentences instead (a news lead states its
event). Sentences are chosen greedily:

- a sentence is worth the story events it reports (one whose trigger or evidence lies inside it),
  each weighted by how many articles report the event and whether an article leads with it (the
  story's main event most), counted once across the brief, plus how
  central its words are to the story (the share of the story's articles that use them);
- a sentence that repeats one already chosen (content-word overlap at or above :data:`REPEAT` and no
  story event the brief lacks, or overlap at or above :data:`SAME`) is not chosen; the same sentence
  in another article (overlap at or above :data:`SAME`) becomes another source of the chosen one;
- the brief is ordered by the time of the earliest event each sentence reports (the timeline; a
  sentence that reports none goes with its article's main event), then by publication.

Every :class:`BriefSentence` points to spans in its articles (``text`` equals the article text there).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from storyline.model import Analysis, BriefSentence, SourceSpan, Span, StoryEvent
from storyline.titlepass import main_event

#: Brief length bounds.
MIN_SENTENCES = 3
MAX_SENTENCES = 6
#: Fallback when an article has no highlights: its first sentences (a lead and what follows).
LEAD_SENTENCES = 3
#: Extra weight of a story event that some article leads with (its main event).
LEAD_WEIGHT = 0.5
#: Content-word overlap (Jaccard) from which a candidate that adds no story event repeats a chosen
#: sentence.
REPEAT = 0.35
#: ... and from which it is the same sentence whatever it reports, counted as another source.
SAME = 0.7
#: A sentence longer than this is no brief sentence (a paragraph the splitter could not cut).
MAX_CHARS = 400

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")
_STOP = frozenset(
    re.split(
        r"\s+",
        """a an the of to in on at for by with from and or but as is are was were be been being has have had
    it its this that these those he she they them his her their we our you i not no will would could
    should may might can said says say also after before over about into than then there here who
    which what when where while more most other some such only just up out new one two""",
    )
)
# a sentence ends at . ! or ? (optionally followed by a closing quote) before whitespace and a capital,
# digit or opening quote, or at a paragraph break
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?(?=\s+[\"'\u201c\u2018(A-Z0-9])|\n\s*\n")


@dataclass(slots=True, eq=False)
class Candidate:
    """A sentence of one article that the brief may quote."""

    article: int
    span: Span
    words: frozenset[str]
    events: frozenset[str]
    """Ids of the story events whose reports in this article lie in the sentence."""
    rank: int
    """Its position among the article's candidates (0: the first highlight or the lead)."""
    sources: list[SourceSpan] = field(default_factory=list)


def content_words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1)


def lead_sentences(text: str, limit: int = LEAD_SENTENCES) -> list[Span]:
    """The first sentences of a text as spans (a light splitter for articles without highlights)."""
    spans: list[Span] = []
    start = 0
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for cut in cuts:
        piece = text[start:cut]
        lstrip = len(piece) - len(piece.lstrip())
        s, e = start + lstrip, start + len(piece.rstrip())
        start = cut
        if e - s < 20 or e - s > MAX_CHARS:
            continue
        spans.append(Span(start=s, end=e, text=text[s:e]))
        if len(spans) >= limit:
            break
    return spans


def _sentences(analysis: Analysis) -> list[Span]:
    text = analysis.article.text
    highlights = [
        h
        for h in analysis.highlights
        if h.field in (None, "text") and text[h.start : h.end] == h.text and 0 < h.end - h.start <= MAX_CHARS
    ]
    return highlights or lead_sentences(text)


def candidates(analyses: Sequence[Analysis], events: Sequence[StoryEvent]) -> list[Candidate]:
    """Every article's highlight (or lead) sentences, with the story events each one reports."""
    located: dict[tuple[str, str], str] = {}
    for event in events:
        for report in event.reports:
            located[(report.article, report.event)] = event.id
    out: list[Candidate] = []
    for index, analysis in enumerate(analyses):
        spans_of: dict[str, list[tuple[int, int]]] = {}
        for ev in analysis.events:
            story_event = located.get((analysis.article.id, ev.id))
            if story_event is None:
                continue
            spans_of[story_event] = [
                (s.start, s.end) for s in (ev.trigger, *ev.evidence) if s.field in (None, "text")
            ]
        for rank, span in enumerate(_sentences(analysis)):
            covered = frozenset(
                sid
                for sid, spans in spans_of.items()
                if any(span.start <= s and e <= span.end for s, e in spans)
            )
            out.append(Candidate(index, span, content_words(span.text), covered, rank))
    return out


def _article_main_events(analyses: Sequence[Analysis], events: Sequence[StoryEvent]) -> dict[str, str]:
    """Article id -> the story event that holds the article's main event."""
    mains = {(a.article.id, m.id) for a in analyses if (m := main_event(a.events)) is not None}
    return {r.article: e.id for e in events for r in e.reports if (r.article, r.event) in mains}


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two sentences' content words."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _repeats(candidate: Candidate, chosen: Candidate, covered: set[str]) -> bool:
    """The candidate says what a chosen sentence says: nearly the same words, or many of them and no
    story event the brief does not cover yet (two reports of one development share its names)."""
    overlap = _overlap(candidate.words, chosen.words)
    return overlap >= SAME or (overlap >= REPEAT and candidate.events <= covered)


def brief(
    analyses: Sequence[Analysis], events: Sequence[StoryEvent], main: StoryEvent | None
) -> list[BriefSentence]:
    """The story's brief (see the module docstring); empty when no article offers a sentence.

    ``events`` are the story's events in timeline order; ``main`` its main event, whose sentence the
    brief always includes when one reports it.
    """
    pool = candidates(analyses, events)
    if not pool:
        return []
    n = len(analyses)
    frequency: Counter[str] = Counter()
    for analysis in analyses:
        frequency.update(content_words(analysis.article.text))
    lead_of = _article_main_events(analyses, events)
    leads = set(lead_of.values())
    weight = {e.id: len(e.reports) / n + (LEAD_WEIGHT if e.id in leads else 0.0) for e in events}
    if main is not None:
        weight[main.id] = weight.get(main.id, 0.0) + 1.0
    timeline = {e.id: i for i, e in enumerate(events)}

    def centrality(c: Candidate) -> float:
        if not c.words or n < 2:
            return 0.0
        return sum(frequency[w] - 1 for w in c.words) / (len(c.words) * (n - 1))

    # one sentence per development a reader follows: the events that lead an article, or that several
    # articles report
    developments = sum(1 for e in events if e.id in leads or len(e.reports) > 1)
    target = min(MAX_SENTENCES, max(MIN_SENTENCES, developments))
    chosen: list[Candidate] = []
    covered: set[str] = set()
    while len(chosen) < target:
        best: tuple[float, Candidate] | None = None
        for c in pool:
            if c in chosen or any(_repeats(c, o, covered) for o in chosen):
                continue
            gain = sum(weight.get(e, 0.0) for e in c.events - covered) + 0.5 * centrality(c) - 0.05 * c.rank
            if best is None or gain > best[0]:
                best = (gain, c)
        if best is None:
            break
        chosen.append(best[1])
        covered |= best[1].events
    for c in chosen:
        c.sources = [SourceSpan(article=analyses[c.article].article.id, span=c.span)]
    for c in pool:
        if c in chosen:
            continue
        twin = max(chosen, key=lambda o: _overlap(c.words, o.words))
        if _overlap(c.words, twin.words) >= SAME and all(
            s.article != analyses[c.article].article.id for s in twin.sources
        ):
            twin.sources.append(SourceSpan(article=analyses[c.article].article.id, span=c.span))

    def when(c: Candidate) -> tuple[int, str, int]:
        # a sentence that reports no story event of its own belongs with its article's main event
        own = c.events or {lead_of.get(analyses[c.article].article.id, "")}
        first = min((timeline[e] for e in own if e in timeline), default=len(timeline))
        return (first, analyses[c.article].article.published or "", c.span.start)

    return [BriefSentence(text=c.span.text, sources=c.sources) for c in sorted(chosen, key=when)]


__all__ = ["Candidate", "brief", "candidates", "content_words", "lead_sentences"]
