"""The title pass and the main-event ranking: what the headline says, joined to what the body says.

The pipeline runs an article's title through the same ``nlp.pipe`` batch as its body, as a short Doc of
its own (``doc._.sl_field == "title"``), so every stage reads it with the same models. :func:`merge_title`
then folds the headline's findings into the body's, with every span that points into the title marked
``field="title"``:

- a title entity (place) that the body also names is the body's entity (place), and gains the title
  mention; one the body does not name is added;
- title times are added; title claims are not (a headline quote is repeated in the body);
- a title event joins the body event it reports: the one with the same trigger lemma, else the most
  salient body event of the same type (never across types; OTHER, a headline predicate no PLOVER type
  covers, joins only by lemma). The joined event keeps the body's trigger and counts, takes the
  headline's participants first and its "what" phrase, and cites the title as evidence;
- a title event with no body counterpart is an event of its own; its time and place come from the
  body sentence that restates the headline (the lead, usually), because headlines rarely date or
  place what they report.

:func:`rank` gives every event a ``salience`` in [0, 1]: the article's main event is the one the
headline states, that the lead reports, that is mentioned most and whose arguments are known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, Self, TypeVar

from spacy.tokens import Doc, Token

from storyline.components.headline import CONFIDENCE_HEADLINE
from storyline.model import (
    Argument,
    Claim,
    Entity,
    Event,
    EventPlace,
    EventTime,
    Place,
    Record,
    Span,
    Time,
)

#: The event type of a headline predicate no PLOVER type covers (see the events stage).
OTHER = "OTHER"
#: How many body sentences may restate the headline (the lead and what follows it).
LEAD_SENTENCES = 5
#: A news event happened at most this many days before the report was published.
RECENT_DAYS = 7
#: Weights of the salience features (they sum to 1).
W_TITLE, W_LEAD, W_MENTIONS, W_ARGUMENTS, W_CONFIDENCE = 0.45, 0.2, 0.1, 0.15, 0.10
#: The title feature of an event the headline mentions but does not state as its main clause.
SECONDARY_TITLE = 0.5
#: Content words shared by a headline and a body sentence count only from these parts of speech.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})

R = TypeVar("R", bound=Record)


@dataclass
class Parts:
    """The lists of an Analysis, before it is assembled."""

    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    highlights: list[Span] = field(default_factory=list)


def in_title(record: R) -> R:
    """The record with every span in it marked as pointing into the title."""
    updates: dict[str, object] = {}
    for name, value in record:
        if isinstance(value, Record):
            updates[name] = in_title(value)
        elif isinstance(value, list) and value and isinstance(value[0], Record):
            updates[name] = [in_title(v) for v in value]
    if isinstance(record, Span):
        updates["field"] = "title"
    return record.model_copy(update=updates)


def _same_entity(title: Entity, body: Entity) -> bool:
    """A headline names people by surname ("Clinton blames Comey") and in capitals ("HILLARY Clinton")."""
    if title.label != body.label:
        return False
    name = title.name.lower()
    if name == body.name.lower() or any(m.text.lower() == name for m in body.mentions):
        return True
    return title.label == "PERSON" and name.split()[-1:] == body.name.lower().split()[-1:]


def _same_place(title: Place, body: Place) -> bool:
    if title.geonameid is not None and title.geonameid == body.geonameid:
        return True
    return title.name.lower() == body.name.lower()


def merge_title(body: Doc, title: Doc, parts: Parts) -> Parts:
    """Fold the title Doc's findings into the body's (see the module docstring)."""
    entities, entity_ids = _merge_named(parts.entities, title._.sl_entities or [], _same_entity, "e")
    places, place_ids = _merge_named(parts.places, title._.sl_places or [], _same_place, "p", near=None)
    times = list(parts.times)
    time_ids: dict[str, str] = {}
    for t in title._.sl_times or []:
        time_ids[t.id] = _next_id("t", times)
        times.append(in_title(t).model_copy(update={"id": time_ids[t.id]}))
    events = list(parts.events)
    by_id = {p.id: p for p in places}
    body_rank = {e.id: salience(e, body_length(body)) for e in events}
    for event in title._.sl_events or []:
        event = _relink(in_title(event), entity_ids, place_ids, time_ids)
        target = _counterpart(body, title, event, events, body_rank)
        if target is not None:
            events[events.index(target)] = _join(target, event, by_id)
        else:
            events.append(_anchored(body, title, event, _next_id("v", events), by_id))
    return replace(parts, entities=entities, places=places, times=times, events=events)


def _next_id(prefix: str, records: Iterable[_HasId]) -> str:
    """A fresh local id after the highest of its kind ("e7" after "e6"), so title items never clash."""
    numbers = [int(r.id[len(prefix) :]) for r in records if r.id[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1}"


def body_length(doc: Doc) -> int:
    return len(doc._.article.text) if doc._.article is not None else len(doc.text)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


class _Named(_HasId, Protocol):
    """What an entity and a place share: an id, mentions, and pydantic's copy."""

    @property
    def mentions(self) -> Sequence[Span]: ...
    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self: ...


#: The records the title and the body both name (entities, places): merged by :func:`_merge_named`.
Named = TypeVar("Named", bound=_Named)


def _merge_named(
    body: list[Named],
    title: Iterable[Named],
    same: Callable[[Named, Named], bool],
    prefix: str,
    **fresh: object,
) -> tuple[list[Named], dict[str, str]]:
    """The body's records with the title's merged in: a title record the body also names adds its
    mentions (marked as in the title) to the body's; any other is added under a fresh id, with the
    ``fresh`` field values (a place's ``near`` points into the title's ids, so it is dropped).
    Returns the records and the map from title ids to merged ids."""
    out = list(body)
    ids: dict[str, str] = {}
    for record in title:
        mentions = [in_title(m) for m in record.mentions]
        match = next((i for i, b in enumerate(out) if same(record, b)), None)
        if match is not None:
            ids[record.id] = out[match].id
            out[match] = out[match].model_copy(update={"mentions": [*out[match].mentions, *mentions]})
        else:
            ids[record.id] = _next_id(prefix, out)
            out.append(record.model_copy(update={"id": ids[record.id], "mentions": mentions, **fresh}))
    return out, ids


def _relink(event: Event, entities: dict[str, str], places: dict[str, str], times: dict[str, str]) -> Event:
    """The title event with its entity, place and time ids replaced by the merged analysis' ids."""

    def arg(a: Argument) -> Argument:
        return a.model_copy(update={"entity": entities.get(a.entity) if a.entity else None})

    when = event.when
    if when is not None:
        when = when.model_copy(update={"time": times.get(when.time) if when.time else None})
    where = event.where
    if where is not None:
        where = where.model_copy(update={"place": places.get(where.place) if where.place else None})
    return event.model_copy(
        update={
            "who": [arg(a) for a in event.who],
            "whom": [arg(a) for a in event.whom],
            "when": when,
            "where": where,
            "claims": [],
        }
    )


def _token(doc: Doc, span: Span) -> Token | None:
    found = doc.char_span(span.start, span.end, alignment_mode="expand")
    return found.root if found is not None and len(found) else None


def _counterpart(
    body: Doc, title: Doc, event: Event, events: list[Event], rank: dict[str, float]
) -> Event | None:
    """The body event the title event reports: same trigger lemma, else the most salient of its type."""
    head = _token(title, event.trigger)
    lemma = head.lemma_.lower() if head is not None else event.trigger.text.lower()
    body_events = [e for e in events if e.trigger.field != "title"]
    same_lemma = [
        e for e in body_events if (t := _token(body, e.trigger)) is not None and t.lemma_.lower() == lemma
    ]
    if same_lemma:
        return max(same_lemma, key=lambda e: rank.get(e.id, 0.0))
    if event.type == OTHER:
        return None
    same_type = [e for e in body_events if e.type == event.type and e.status == event.status]
    return max(same_type, key=lambda e: rank.get(e.id, 0.0)) if same_type else None


def _dedupe(args: Iterable[Argument]) -> list[Argument]:
    seen: set[str] = set()
    out = []
    for a in args:
        key = a.entity or a.text.lower()
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _where(title: EventPlace | None, body: EventPlace | None, places: dict[str, Place]) -> EventPlace | None:
    """The headline's place is the one it reports, unless the headline names only a country and the
    body places the event inside it ("German consulate in Afghanistan bombed"; the body: "in
    Mazar-i-Sharif"). A named site in the headline ("protests outside Trump Tower") always stands."""
    if title is None or body is None:
        return title or body
    outer = places.get(title.place or "")
    inner = places.get(body.place or "")
    if outer is None or inner is None or outer.id == inner.id:
        return title
    site = title.span is not None and all(m.text != title.span.text for m in outer.mentions)
    if not site and _is_country(outer) and inner.country == outer.country:
        return body
    return title


def _is_country(place: Place) -> bool:
    """Whether the place is a whole country (the gazetteer is loaded: the places stage found it)."""
    from storyline.gazetteer import get_gazetteer

    if place.country is None or place.geonameid is None:
        return False
    try:
        return get_gazetteer().country(place.country).geonameid == place.geonameid
    except KeyError:
        return False


def _join(body: Event, title: Event, places: dict[str, Place]) -> Event:
    """The body event, told by the headline too: the headline's participants and phrase come first."""
    return body.model_copy(
        update={
            "who": _dedupe([*title.who, *body.who]),
            "whom": _dedupe([*body.whom, *title.whom]),
            "when": body.when or title.when,
            "where": _where(title.where, body.where, places),
            "how": body.how or title.how,
            "why": body.why or title.why,
            "killed": body.killed or title.killed,
            "injured": body.injured or title.injured,
            "what": title.what or body.what,
            "manner": body.manner or title.manner,
            "evidence": [title.trigger, *body.evidence],
            "confidence": max(body.confidence, title.confidence),
        }
    )


def _anchor(body: Doc, title: Doc, event: Event) -> Token | None:
    """The body word that restates the headline's event: the trigger's lemma in the lead, else the
    root of the lead sentence that shares most content words with the headline."""
    head = _token(title, event.trigger)
    if head is None:
        return None
    sentences = list(body.sents)[:LEAD_SENTENCES]
    lemma = head.lemma_.lower()
    for sent in sentences:
        for tok in sent:
            if tok.lemma_.lower() == lemma and tok.pos_ in {"VERB", "NOUN"}:
                return tok
    words = {t.lemma_.lower() for t in title if t.pos_ in CONTENT_POS}
    best, best_shared = None, 0
    for sent in sentences:
        shared = len(words & {t.lemma_.lower() for t in sent if t.pos_ in CONTENT_POS})
        if shared > best_shared:
            best, best_shared = sent.root, shared
    return best


def _anchored(body: Doc, title: Doc, event: Event, event_id: str, places: dict[str, Place]) -> Event:
    """A headline event of its own, dated and placed by the body sentence that restates it."""
    from storyline.components.events import cause_spans, event_where
    from storyline.components.places import event_place
    from storyline.components.times import event_time

    updates: dict[str, object] = {"id": event_id}
    anchor = _anchor(body, title, event)
    if anchor is not None:
        sent = anchor.sent
        restated = Span(start=sent.start_char, end=sent.end_char, text=sent.text)
        updates["evidence"] = [*event.evidence, restated]
        if not event.why:
            updates["why"] = cause_spans(body, [anchor])
        updates["who"] = _dedupe([*event.who, *_subjects(body, anchor)])
        if _coarse(event.when) and body._.sl_times is not None:
            time = event_time(body, anchor)
            if time is not None and (event.when is None or not _coarse(EventTime(value=time.value))):
                # "World Series 2016: ..." - a year in a headline labels the topic; the lead dates it
                updates["when"] = EventTime(time=time.id, value=time.value)
        if body._.sl_places is not None:
            told = event_where(body, anchor, _lead_place(body, anchor, event_place(body, anchor)))
            updates["where"] = _where(event.where, told, places)
    return event.model_copy(update=updates)


def _subjects(body: Doc, anchor: Token) -> list[Argument]:
    """The subject of the sentence that restates the headline: it often names whom the headline
    describes ("F1 legend makes farewell"; the lead: "Felipe Massa bid farewell ...")."""
    from storyline.components.entities import entity_at

    out = []
    for c in anchor.children:
        if c.dep_ in {"nsubj", "agent"} and c.pos_ in {"NOUN", "PROPN"}:
            words = body[c.left_edge.i : c.i + 1]
            span = Span(start=words.start_char, end=words.end_char, text=words.text)
            out.append(
                Argument(text=words.text, span=span, entity=entity_at(body, c.idx, c.idx + len(c.text)))
            )
    return out


def _coarse(when: EventTime | None) -> bool:
    """No time, or one coarser than a day ("2016", "November")."""
    return when is None or not when.value or len(when.value) < len("2016-11-09")


def _lead_place(body: Doc, anchor: Token, found: Place | None) -> Place | None:
    """The place of the anchor's own sentence when it names one; else the first literal place of the
    lead (a report places its event early: "WASHINGTON, Nov 6 (Reuters) - ..."), else ``found``."""
    sent = anchor.sent

    def named_in(place: Place, start: int, end: int) -> bool:
        return any(m.field != "title" and start <= m.start < end for m in place.mentions)

    if found is not None and named_in(found, sent.start_char, sent.end_char):
        return found
    sentences = list(body.sents)[:LEAD_SENTENCES]
    lead_end = sentences[-1].end_char if sentences else 0
    literal = [
        (min(m.start for m in p.mentions if m.field != "title"), p)
        for p in body._.sl_places or []
        if p.type == "literal" and named_in(p, 0, lead_end)
    ]
    return min(literal, key=lambda x: x[0])[1] if literal else found


# -- salience ----------------------------------------------------------------------------------------


def salience(event: Event, text_length: int) -> float:
    """How central an event is to its article, in [0, 1] (weights: the constants W_*).

    - title: the headline states it as its main clause (1), or mentions it otherwise (0.5);
    - lead: how early the body first mentions it (1 at the start, 0 at the end; 0 if only in the title);
    - mentions: how many body sentences mention it (4 or more count fully);
    - arguments: how many of who, whom, when, where, how, why are known;
    - confidence: the events stage's confidence that the trigger names an event (a headline's main
      clause is the most confident).
    """
    spans = [event.trigger, *event.evidence]
    title = 0.0
    if any(s.field == "title" for s in spans):
        title = 1.0 if event.confidence >= CONFIDENCE_HEADLINE else SECONDARY_TITLE
    starts = [s.start for s in spans if s.field != "title"]
    lead = 1.0 - min(starts) / max(1, text_length) if starts else 0.0
    mentions = min(1.0, len({s.start for s in event.evidence if s.field != "title"}) / 4)
    filled = [event.who, event.whom, event.when, event.where, event.how, event.why]
    arguments = sum(1 for a in filled if a) / len(filled)
    score = (
        W_TITLE * title
        + W_LEAD * max(0.0, lead)
        + W_MENTIONS * mentions
        + W_ARGUMENTS * arguments
        + W_CONFIDENCE * event.confidence
    )
    return round(min(1.0, max(0.0, score)), 4)


def rank(events: list[Event], text_length: int) -> list[Event]:
    """The events with their ``salience`` set (order unchanged)."""
    return [e.model_copy(update={"salience": salience(e, text_length)}) for e in events]


def date_main_event(events: list[Event], body: Doc) -> list[Event]:
    """The main event, when no sentence that mentions it dates it (or only by year or month), takes
    the article's date for it.

    A news report is about something that happened shortly before it was published, and its lead
    says when; so the first calendar date or time of the text within :data:`RECENT_DAYS` before the
    publication date (the day itself included), else the first one in the lead.
    """
    main = main_event(events)
    if main is None or not _coarse(main.when):
        return events
    times = [
        t
        for t in body._.sl_times or []
        if t.type in {"DATE", "TIME"} and t.value and t.value[:4].isdigit() and t.span.field != "title"
    ]
    times.sort(key=lambda t: t.span.start)
    published = body._.published
    recent = [t for t in times if published is not None and _recent(t.value or "", published)]
    sentences = list(body.sents)[:LEAD_SENTENCES] if body.has_annotation("SENT_START") else []
    lead_end = sentences[-1].end_char if sentences else 0
    lead = [t for t in times if t.span.start < lead_end]
    chosen = (recent or (lead if main.when is None else []) or [None])[0]
    if chosen is None:
        return events
    dated = main.model_copy(update={"when": EventTime(time=chosen.id, value=chosen.value)})
    return [dated if e is main else e for e in events]


def _recent(value: str, published: dt.date) -> bool:
    """Whether a TIMEX3 value of day or finer granularity falls in the days before publication."""
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return 0 <= (published - day).days <= RECENT_DAYS


def explain_main_event(events: list[Event], body: Doc) -> list[Event]:
    """The main event, when no sentence that mentions it says why, takes the first explicit cause in
    the lead ("because of rising costs", "in retaliation for airstrikes"): the lead explains the
    event the article is about. Only explicit causes: "over", "after" and purpose phrases of other
    words are not enough."""
    from storyline.components.events import cause_spans

    main = main_event(events)
    if main is None or main.why or not body.has_annotation("SENT_START"):
        return events
    sentences = list(body.sents)[:LEAD_SENTENCES]
    words = [t for sent in sentences for t in sent if t.pos_ in {"VERB", "AUX", "NOUN"}]
    causes = cause_spans(body, words, max_rank=0)
    if not causes:
        return events
    first = min(causes, key=lambda s: s.start)
    explained = main.model_copy(update={"why": [first]})
    return [explained if e is main else e for e in events]


def main_event(events: Iterable[Event]) -> Event | None:
    """The article's main event: the most salient (the most confident when unranked); first of equals."""
    pool = list(events)
    if not pool:
        return None
    return max(pool, key=lambda e: (e.salience if e.salience is not None else -1.0, e.confidence))


__all__ = ["Parts", "in_title", "main_event", "merge_title", "rank", "salience"]
