"""The times stage: time expressions -> TIMEX3 values resolved against the publication date.

A rule-based tagger in the manner of HeidelTime. Precompiled regular expressions over the text find and
compose the expressions (:mod:`storyline.components.timex.grammar`); the spaCy parse the Doc already
carries gives the tense that orients a bare "Friday" or "March" (:mod:`~storyline.components.timex.syntax`);
the values are anchored on the publication date or, for anaphora ("the next day"), on the last date the
text named (:mod:`~storyline.components.timex.resolve`). Results go to ``doc._.sl_times`` as
:class:`~storyline.model.Time` records with ids ``t1``, ``t2`` ... in text order, character offsets into
the text, a TIMEX3 ``value``, its ``granularity`` and ``interval`` ``[start, end)``, and a ``confidence``
that is lower for vague expressions ("recently") and for those left without a value.

A learned half (:mod:`~storyline.components.timex.learned`) may take two decisions over from the rules:
whether a candidate is emitted, and which of the values the rules chose between it takes. Its model
(``resources/times/timex_model.json``, built on TimeBank by ``training/train_timex_model.py``) is loaded
once at construction; a decision that did not beat the rules in cross-validation ships as null, and
with none active the stage is the rules alone (``learned=False`` forces that).

Deterministic by construction: nothing reads the wall clock, so the same text and publication date give
the same values on any day. Without a publication date, deictic expressions ("yesterday", "Friday") get
no value; dates written out, and anaphora of a date written out, still do.

Two helpers serve the later stages:

- :func:`event_time` picks the time of an event trigger (its docstring gives the rule);
- :func:`local_timezone` names the zone a "local time" refers to, from a place in the same sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from storyline.components.timex.frame import Frame, TimexType
from storyline.components.timex.grammar import Chunk, compose, extend, find_atoms
from storyline.components.timex.learned import TimexModel, candidate_features, load_model
from storyline.components.timex.resolve import Context, granularity_and_interval, resolve_point
from storyline.components.timex.syntax import TokenIndex, direction
from storyline.model import Span as EvidenceSpan
from storyline.model import Time

# Prefixes a time word may carry across a hyphen ("mid-November", "post-1959").
_HYPHEN_PREFIXES = ("mid", "pre", "post", "early", "late")
# Suffixes that keep a duration a duration ("day-long", "40-plus"); "-old" makes it an age.
_HYPHEN_SUFFIXES = ("long", "plus")
_AGE = re.compile(r"(?:-|\s+)old\b|\s+of\s+age\b", re.I)
_PERCENT = re.compile(r"\s*(?:%|percent)")
# A rate: "$5 a week", "24 hours a day", "700 seats a week", "twice a year". Annotators leave it out.
_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*\s*(?:%|percent|[a-z]+(?:\s+[a-z]+)?)?|once|twice|times|[a-z]+\s+times)\s+$", re.I
)
# "the year ended Sept. 30" is a fiscal year: TimeBank types it as the duration P1Y.
_YEAR_ENDED = re.compile(r"\s+(?:that\s+)?(?:ended|ending|ends|through|to)\b", re.I)
# Plural nouns a year-like number can count ("2000 people") without being a year.
_YEAR_NOUNS = {"years", "levels", "prices", "results", "earnings", "sales", "figures", "elections", "games"}
# Fixed-offset zones of the abbreviations news prints after a clock time.
_ZONE_ABBREVIATIONS = {
    "EST": "UTC-05:00", "EDT": "UTC-04:00", "CST": "UTC-06:00", "CDT": "UTC-05:00", "MST": "UTC-07:00",
    "MDT": "UTC-06:00", "PST": "UTC-08:00", "PDT": "UTC-07:00", "GMT": "UTC", "UTC": "UTC",
    "BST": "UTC+01:00", "CET": "UTC+01:00", "CEST": "UTC+02:00", "EET": "UTC+02:00", "EEST": "UTC+03:00",
    "WET": "UTC", "WEST": "UTC+01:00", "MSK": "UTC+03:00", "IST": "UTC+05:30", "JST": "UTC+09:00",
    "HKT": "UTC+08:00", "SGT": "UTC+08:00", "AEST": "UTC+10:00", "AEDT": "UTC+11:00",
}  # fmt: skip
# A newswire dateline: "WASHINGTON, March 12 (Xinhua) --".
_DATELINE_BEFORE = re.compile(r"\s*[A-Z][A-Za-z.'-]*(?:[ ,]+[A-Za-z.'-]+)*,\s*")
_DATELINE_AFTER = re.compile(r"\s*\([A-Za-z][\w .&-]*\)\s*(?:--|_|—|-)")


# --- filters ---------------------------------------------------------------------------------------


def _hyphen_ok(text: str, chunk: Chunk) -> bool:
    """A time word glued by a hyphen to another word is part of that word ("24-year-old", "Friday-night")."""
    if chunk.start > 1 and text[chunk.start - 1] == "-" and text[chunk.start - 2] != "-":
        before = re.search(r"(\w+)-$", text[max(0, chunk.start - 12) : chunk.start])
        if before is not None and before.group(1).lower() not in _HYPHEN_PREFIXES:
            return False
    if chunk.end + 1 < len(text) and text[chunk.end] == "-" and text[chunk.end + 1] != "-":
        after = re.match(r"-(\w+)", text[chunk.end :])
        if after is not None and after.group(1).lower() not in _HYPHEN_SUFFIXES:
            return False
    return True


def _keep(text: str, chunk: Chunk, index: TokenIndex) -> bool:
    """Filters that need more than the pattern: ages, quantities that look like years, names, titles."""
    if chunk.weak or not _hyphen_ok(text, chunk):
        return False
    after = text[chunk.end : chunk.end + 24]
    if chunk.cat in ("duration", "duration_adj"):
        if _AGE.match(after):
            return False  # "24 years old", "a 24-year-old": an age, not a time
        if re.search(r"\d\s+[A-Z][a-z]+$", text[chunk.start : chunk.end]):
            return False  # "60 Minutes": a title
        if re.match(r"an?\s", text[chunk.start : chunk.start + 3], re.I) and _RATE_BEFORE.search(
            text[max(0, chunk.start - 30) : chunk.start]
        ):
            return False
    if chunk.cat == "year" and chunk.frame.mod is None and not chunk.frame.fiscal:
        if text[chunk.start - 1 : chunk.start] in ("$", "#", "£", "€") or _PERCENT.match(after):
            return False
        tok = index.at(chunk.start)
        head = tok.head if tok is not None and tok.dep_ == "nummod" else None
        round_number = (chunk.frame.year or 0) % 50 == 0
        if head is not None and head.tag_ == "NNS" and head.lower_ not in _YEAR_NOUNS and round_number:
            return False  # "2000 people", "1500 troops"
    if chunk.cat == "month" and chunk.frame.year is None and chunk.frame.day is None:
        if re.match(r"\s+(?:of\s+the|for|on)\s+[A-Z]", after):
            return False  # "the March of the Combatant Mothers", "the annual March for Life"
        tok = index.at(chunk.start)
        if (
            tok is not None
            and tok.tag_ in ("MD", "VB", "VBP")
            and text[chunk.start : chunk.end] in ("May", "March")
        ):
            return False  # "May I ...", "March on Washington" as a verb
    if chunk.cat == "clock" and text[max(0, chunk.start - 5) : chunk.start].lower() == "high ":
        return False  # "High Noon"
    if chunk.cat == "holiday" and index.modifies_next_noun(chunk.end):
        return False  # "the Christmas market": a name, not a date
    if chunk.cat == "ref" and any(w[:1].isupper() for w in text[chunk.start : chunk.end].split()[1:]):
        return False  # "Back to the Future": a title
    # "future earnings", "the recent sale": annotators mostly leave the adjective unmarked.
    return not (
        chunk.cat == "ref" and chunk.rule in ("future", "recent") and index.modifies_next_noun(chunk.end)
    )


def _retype(text: str, chunk: Chunk) -> Chunk:
    """Type decisions that depend on the words after the expression ("the year ended Sept. 30")."""
    if chunk.cat == "the_year" and _YEAR_ENDED.match(text, chunk.end):
        return Chunk(chunk.start, chunk.end, "duration", "DURATION", Frame("duration", value="P1Y"), 0.7)
    return chunk


def _dedupe(chunks: Iterable[Chunk]) -> list[Chunk]:
    """After extension two chunks can overlap: keep the longer (the earlier when as long)."""
    out: list[Chunk] = []
    for c in sorted(chunks, key=lambda c: (c.start, -(c.end - c.start))):
        if out and c.start < out[-1].end:
            if c.end - c.start > out[-1].end - out[-1].start:
                out[-1] = c
            continue
        out.append(c)
    return out


# --- anchoring -------------------------------------------------------------------------------------


def _dateline_anchor(text: str, chunks: Sequence[Chunk], published: dt.date | None) -> dt.date | None:
    """The date a newswire dateline gives ("WASHINGTON, March 12 (Xinhua) --"), else the publication date.

    Agencies file under a dateline in the reporter's time zone and the archive's date can be a day later:
    "Friday" in such a story counts from the dateline's day, as its readers (and annotators) count it.
    The dateline is trusted only within a week of the publication date.
    """
    if published is None or not chunks:
        return published
    first = chunks[0]
    if first.cat != "monthday" or first.start > 120 or first.frame.month is None or first.frame.day is None:
        return published
    if not (_DATELINE_BEFORE.fullmatch(text, 0, first.start) and _DATELINE_AFTER.match(text, first.end)):
        return published
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            day = dt.date(first.frame.year or year, first.frame.month, first.frame.day)
        except ValueError:
            continue
        if abs((day - published).days) <= 7:
            candidates.append(day)
    return min(candidates, key=lambda d: abs((d - published).days)) if candidates else published


class _Document:
    """One document being tagged: its text, tokens, sentences and candidate chunks."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.index = TokenIndex(doc, text)
        try:
            self.sentence_starts = [s.start_char for s in doc.sents]
        except ValueError:  # a Doc without sentence boundaries
            self.sentence_starts = [0]
        chunks = compose(text, find_atoms(text))
        chunks = [c for c in chunks if _keep(text, c, self.index)]
        self.chunks = _dedupe(_retype(text, extend(text, c, self.index.modifies_next_noun)) for c in chunks)

    def value(self, chunk: Chunk, ctx: Context) -> tuple[str | None, TimexType]:
        """The TIMEX3 value and type of a chunk in its context."""
        value, type_, _ = self.value_and_alternatives(chunk, ctx, alternatives=False)
        return value, type_

    def value_and_alternatives(
        self, chunk: Chunk, ctx: Context, alternatives: bool = True
    ) -> tuple[str | None, TimexType, dict[str, tuple[str, TimexType]]]:
        """The TIMEX3 value and type of a chunk in its context, and the values the rules had to choose
        between (see :data:`ALTERNATIVES`), for the learned value decisions."""
        frame = chunk.frame
        if frame.kind in ("duration", "set", "ref"):
            return frame.value, chunk.type, {}
        oriented = (
            frame.weekday is not None or frame.month is not None or frame.season is not None
            or frame.holiday is not None or frame.quarter is not None
        )  # fmt: skip
        guessed = oriented and frame.unit is None
        way = direction(self.index, chunk.start, chunk.end) if guessed else 0
        clock_day = None
        if frame.hour is not None or (frame.pod is not None and frame.unit is None and frame.weekday is None):
            clock_day = self.sentence_day(chunk, ctx)
        value = resolve_point(frame, ctx, way, clock_day)
        type_ = chunk.type
        if value is not None and type_ == "TIME" and "T" not in value:
            type_ = "DATE"  # a "morning" that resolved only to its day
        alts: dict[str, tuple[str, TimexType]] = {}
        if not alternatives or value is None:
            return value, type_, alts
        if guessed and not frame.direction and not frame.year:
            for name, way_ in (("past", -2), ("future", 2)):
                alt = resolve_point(frame, ctx, way_, clock_day)
                if alt is not None and alt != value:
                    alts[name] = (alt, type_)
        if frame.value == "ago" and ctx.ref_quarter is not None:
            alt = resolve_point(frame, replace(ctx, ref_quarter=None), way, clock_day)
            if alt is not None and alt != value:
                alts["calendar"] = (alt, type_)
        if frame.pod is not None and frame.hour is None and re.fullmatch(r"\d{4}-\d\d-\d\dT[A-Z]{2}", value):
            alts["day_only"] = (value[:10], "DATE")
        return value, type_, alts

    def sentence_day(self, chunk: Chunk, ctx: Context) -> dt.date | None:
        """The day a bare clock time belongs to: a day named in its sentence, else the narrative's day
        (the last date the text named, which is the DCT until it names one)."""
        starts = self.sentence_starts
        i = bisect.bisect_right(starts, chunk.start) - 1
        lo = starts[i] if i >= 0 else 0
        hi = starts[i + 1] if i + 1 < len(starts) else len(self.text)
        for other in self.chunks:
            f = other.frame
            if other is chunk or not lo <= other.start < hi or f.kind != "point" or f.hour is not None:
                continue
            if f.weekday is not None or f.day is not None or f.unit == "day":
                way = direction(self.index, other.start, other.end) if f.unit is None else 0
                value = resolve_point(f, ctx, way)
                if value and re.match(r"\d{4}-\d\d-\d\d", value):
                    return dt.date.fromisoformat(value[:10])
        return ctx.ref_day or ctx.dct


def _doc_text(doc: Doc) -> str:
    """The Doc's text. The article's own string when the pipeline attached it: ``Doc.text`` is rebuilt
    token by token on every access, which costs as much as the whole tagger."""
    article = doc._.article if Doc.has_extension("article") else None
    text = getattr(article, "text", None)
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    return doc.text


@dataclass(frozen=True)
class Candidate:
    """A chunk the grammar proposed, resolved in its context: what the learned filter decides on."""

    chunk: Chunk
    value: str | None
    type: TimexType
    sentence_start: int
    alternatives: dict[str, tuple[str, TimexType]] = field(default_factory=dict)


def candidates(
    doc: Doc, published: dt.date | None, alternatives: bool = False
) -> tuple[_Document, list[Candidate]]:
    """Every candidate of the rules, resolved against ``published``, in text order (with the values the
    rules chose between when ``alternatives``)."""
    document = _Document(doc, _doc_text(doc))
    text = document.text
    ctx = Context(dct=_dateline_anchor(text, document.chunks, published))
    out: list[Candidate] = []
    starts = document.sentence_starts
    for chunk in document.chunks:
        ctx.position = chunk.start
        value, type_, alts = document.value_and_alternatives(chunk, ctx, alternatives)
        f = chunk.frame
        if (
            value is not None
            and f.kind == "point"
            and not (f.fuzzy or f.anaphoric or f.period_ref or f.value)
        ):
            # Only dates the text names outright move the reference time: anaphora would chain.
            ctx.note(value, chunk.start)
        i = bisect.bisect_right(starts, chunk.start) - 1
        out.append(Candidate(chunk, value, type_, starts[i] if i >= 0 else 0, alts))
    return document, out


def tag(doc: Doc, published: dt.date | None, model: TimexModel | None = None) -> list[Time]:
    """The time expressions of a parsed Doc, resolved against the publication date ``published``.

    With a ``model`` (:mod:`~storyline.components.timex.learned`) a candidate is emitted only when the
    model expects the annotators to have marked it, and takes one of the values the rules chose between
    when the model prefers it; without one every candidate of the rules is emitted with the rules' value.
    """
    document, found = candidates(doc, published, alternatives=model is not None)
    text = document.text
    times: list[Time] = []
    for cand in found:
        chunk, value, type_ = cand.chunk, cand.value, cand.type
        if model is not None:
            features = candidate_features(
                text, document.index, cand.sentence_start, chunk, value=value, type_=type_
            )
            if not model.keep(chunk.cat, features):
                continue
            if cand.alternatives and (switch := model.choose(features, cand.alternatives)) is not None:
                value, type_ = cand.alternatives[switch]
        f = chunk.frame
        granularity, interval = granularity_and_interval(value, type_)
        confidence = chunk.confidence if value is not None else min(chunk.confidence, 0.4)
        zone = _ZONE_ABBREVIATIONS.get(f.timezone.upper()) if f.timezone else None
        times.append(
            Time(
                id=f"t{len(times) + 1}",
                span=EvidenceSpan(start=chunk.start, end=chunk.end, text=text[chunk.start : chunk.end]),
                type=type_,
                value=value,
                interval=interval,
                granularity=granularity,
                timezone=zone,
                confidence=round(confidence, 2),
            )
        )
    return times


# --- helpers for later stages ----------------------------------------------------------------------

_EVENT_PREPS = ("on", "at", "in", "during", "overnight", "by", "since", "before", "after")


def event_time(doc: Doc, trigger: int | Span | Token) -> Time | None:
    """The time of the event a trigger (a token index, token or span) expresses, from ``doc._.sl_times``.

    The rule, in order:

    1. a time expression syntactically attached to the trigger, or to the word the trigger depends on
       when the trigger is a noun ("the attack on Monday") or a verb complement: the object of a
       temporal preposition ("on Friday", "at 3am", "in March", "during the night"), a bare temporal
       modifier ("killed Monday": npadvmod/tmod) or a possessive or compound ("Monday's attack");
    2. else the nearest DATE or TIME with a calendar value (not PAST_REF and the like) in the same
       sentence, by character distance from the trigger;
    3. else None: this sentence does not date the event, and the caller decides (e.g. the DCT).
    """
    times: list[Time] = [
        t for t in doc._.sl_times or [] if t.type in ("DATE", "TIME") and t.value and t.value[:1].isdigit()
    ]
    if not times:
        return None
    token = (
        trigger if isinstance(trigger, Token) else doc[trigger] if isinstance(trigger, int) else trigger.root
    )

    def time_at(tok: Token) -> Time | None:
        for t in times:
            if t.span.start <= tok.idx < t.span.end:
                return t
        return None

    heads = [token]
    if token.head.i != token.i and (
        token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("xcomp", "conj", "advcl")
    ):
        heads.append(token.head)
    for head in heads:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in _EVENT_PREPS:
                for obj in child.children:
                    if obj.dep_ == "pobj" and (found := time_at(obj)) is not None:
                        return found
            if child.dep_ in ("npadvmod", "tmod", "poss", "compound", "nmod") and (found := time_at(child)):
                return found
    try:
        sent = token.sent
    except ValueError:  # no sentence boundaries on this Doc
        return None
    same = [t for t in times if sent.start_char <= t.span.start < sent.end_char]
    if not same:
        return None
    return min(same, key=lambda t: (abs(t.span.start - token.idx), t.span.start))


def local_timezone(doc: Doc, span: Span | EvidenceSpan | tuple[int, int]) -> str | None:
    """The IANA zone a "local time" in ``span`` refers to: the nearest place named in its sentence.

    Places come from ``doc._.sl_places`` when the places stage has run (its geonameid, else its name), and
    from spaCy's GPE/LOC entities otherwise; a name is looked up in the gazetteer (its most likely entry:
    a city's own zone, a country's most populous one). None when no place in the sentence is known: the
    caller must not guess.
    """
    from storyline.gazetteer import GazetteerError, get_gazetteer

    if isinstance(span, tuple):
        start = span[0]
    elif isinstance(span, EvidenceSpan):
        start = span.start
    else:
        start = span.start_char
    tok = TokenIndex(doc, _doc_text(doc)).at(start)
    if tok is None or not doc.has_annotation("SENT_START"):
        return None
    sent = tok.sent
    try:
        gazetteer = get_gazetteer()
    except GazetteerError:
        return None
    candidates: list[tuple[int, int | None, str]] = []
    for place in doc._.sl_places or []:
        for mention in getattr(place, "mentions", []):
            if sent.start_char <= mention.start < sent.end_char:
                candidates.append(
                    (abs(mention.start - start), getattr(place, "geonameid", None), str(place.name))
                )
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC") and sent.start_char <= ent.start_char < sent.end_char:
            candidates.append((abs(ent.start_char - start), None, ent.text))
    for _, geonameid, name in sorted(candidates, key=lambda c: c[0]):
        entry = gazetteer.by_id(geonameid) if geonameid is not None else None
        if entry is None:
            found = gazetteer.lookup(name.removeprefix("the "))
            entry = found[0] if found else None
        if entry is not None and entry.timezone:
            return entry.timezone
    return None


class TimesStage:
    """Tags and resolves the time expressions of a Doc (see the module docstring)."""

    def __init__(self, resolve_local_zones: bool = True, learned: bool = True) -> None:
        self.resolve_local_zones = resolve_local_zones
        # The learned decisions (resources/times/timex_model.json), loaded once here.
        self.model: TimexModel | None = load_model() if learned else None
        if resolve_local_zones:
            from storyline.gazetteer import GazetteerError, get_gazetteer

            try:
                get_gazetteer()  # load the place index now, not on the first document
            except GazetteerError:
                self.resolve_local_zones = False  # no index: "local time" keeps timezone None

    def __call__(self, doc: Doc) -> Doc:
        times = tag(doc, doc._.published, self.model)
        if self.resolve_local_zones:
            times = [self._local_zone(doc, t) for t in times]
        doc._.sl_times = times
        return doc

    @staticmethod
    def _local_zone(doc: Doc, time: Time) -> Time:
        if time.timezone is None and "local time" in time.span.text.lower():
            zone = local_timezone(doc, time.span)
            if zone:
                return time.model_copy(update={"timezone": zone})
        return time


@Language.factory(
    "storyline_times",
    assigns=["doc._.sl_times"],
    default_config={"resolve_local_zones": True, "learned": True},
)
def make_times(
    nlp: Language, name: str, resolve_local_zones: bool = True, learned: bool = True
) -> TimesStage:
    """The times stage; ``resolve_local_zones`` names the zone of "local time" from the sentence's places,
    ``learned`` applies the candidate filter trained on TimeBank (False: the rules alone)."""
    return TimesStage(resolve_local_zones=resolve_local_zones, learned=learned)
