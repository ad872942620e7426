"""5W1H: the top answer to who, what, when, where, why and how, against the coders' phrases.

The gold (Giveme5W1H) lists, per question, the phrases the coders chose, without offsets. The top
answer to a question is right when its token F1 with some gold phrase is at least 0.5 (tokens are
lower-cased, without punctuation and articles, as in SQuAD). For ``when``, an answer that is an ISO
date (``YYYY-MM-DD``) is also right when it equals a gold phrase's ``parsed`` date.

- ``who_p1`` … ``how_p1``: right answers over the articles that have gold phrases for the question; no
  answer counts as wrong. Questions without gold phrases are left out (``counts`` says how many); a
  question no article has gold for has no score (None).
- ``p1``: right answers over all scored questions.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Mapping, Sequence

from storyline.evaluate.data import GoldDoc, Scored
from storyline.evaluate.spans import f1, ratio
from storyline.model import Analysis, Argument, Entity, Event
from storyline.titlepass import main_event

QUESTIONS = ("who", "what", "when", "where", "why", "how")
METRICS = (*(f"{q}_p1" for q in QUESTIONS), "p1")
THRESHOLD = 0.5

Answers = dict[str, str | None]

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation + "“”‘’–—", " "))
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: Where a sentence ends: terminal punctuation (and closing quotes) then space, or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n")


def tokens(text: str) -> list[str]:
    """Lower-cased tokens without punctuation or articles."""
    return _ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split()


def token_f1(answer: str, phrase: str) -> float:
    """Token overlap F1 of two strings (SQuAD's definition)."""
    a, b = tokens(answer), tokens(phrase)
    shared = sum((Counter(a) & Counter(b)).values())
    return f1(ratio(shared, len(a)), ratio(shared, len(b)))


def is_right(question: str, answer: str, phrases: Sequence[Mapping[str, object]]) -> bool:
    """Whether an answer matches one of the gold phrases (see the module docstring)."""
    dated = question == "when" and _ISO_DATE.match(answer)
    if dated and any(str(p.get("parsed") or "")[:10] == answer[:10] for p in phrases):
        return True
    return any(token_f1(answer, str(p["text"])) >= THRESHOLD for p in phrases)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``[start, end)``, by punctuation and line breaks."""
    begin = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        begin = boundary.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.start() + 1 if after is not None else len(text)
    return text[begin:stop].strip()


PRONOUNS = frozenset(
    {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "i", "we", "you", "who"}
)


#: Entity labels of actors that coders name in answer to "who".
NAMED = frozenset({"PERSON", "ORG", "NORP", "GPE"})


#: Entity labels of the actors a headline names ("Lady Gaga", "FBI", "Taliban").
ACTORS = frozenset({"PERSON", "ORG", "NORP"})


def _who(analysis: Analysis, event: Event) -> str | None:
    """The main actor, by name: the event's first agent (a pronoun or a description such as "the
    star" gives way to its entity's name, or to a named agent after it); with no agent, the first
    actor the headline names (a headline names whom its story is about); else the first participant
    it happened to."""
    entities = {entity.id: entity for entity in analysis.entities}
    if event.who:
        first = event.who[0]
        if first.entity is None and (first.text.lower() in PRONOUNS or first.text[:1].islower()):
            named = [a for a in event.who if a.entity in entities and entities[a.entity].label in NAMED]
            if named:
                return _as_named(named[0], entities)
        return _as_named(first, entities)
    headline = [
        (min(m.start for m in e.mentions if m.field == "title"), e.name)
        for e in analysis.entities
        if e.label in ACTORS and any(m.field == "title" and m.kind == "name" for m in e.mentions)
    ]
    if headline:
        return min(headline)[1]
    return _as_named(event.whom[0], entities) if event.whom else None


def _as_named(arg: Argument, entities: Mapping[str, Entity]) -> str:
    entity = entities.get(arg.entity) if arg.entity else None
    if entity is not None and (arg.text.lower() in PRONOUNS or arg.text[:1].islower()):
        return entity.name
    return arg.text


def _when(analysis: Analysis, event: Event) -> str | None:
    """The text of the time expression the event points at, else its value."""
    if event.when is None:
        return None
    times = {time.id: time for time in analysis.times}
    time = times.get(event.when.time) if event.when.time else None
    return time.span.text if time is not None else event.when.value


def _where(event: Event) -> str | None:
    """The words that place the event (a site, or the place as the text names it), else its name."""
    if event.where is None:
        return None
    return event.where.span.text if event.where.span is not None else event.where.name


def fivew1h_answers(analysis: Analysis) -> Answers:
    """Storyline's top answer per question, all from the article's main event (None: no answer).

    The main event is the most salient (:func:`storyline.titlepass.main_event`). who: its agent's name
    (else the first participant); what: its predicate phrase (else the sentence of the trigger); when:
    the text of its time expression; where: its place's name; why, how: the first span.
    """
    event = main_event(analysis.events)
    if event is None:
        return dict.fromkeys(QUESTIONS)
    trigger = event.trigger
    source = (analysis.article.title or "") if trigger.field == "title" else analysis.article.text
    what = event.what.text if event.what is not None else None
    return {
        "who": _who(analysis, event),
        "what": what or sentence_around(source, trigger.start, trigger.end) or trigger.text,
        "when": _when(analysis, event),
        "where": _where(event),
        "why": event.why[0].text if event.why else None,
        "how": event.how[0].text if event.how else None,
    }


def score(docs: Sequence[GoldDoc], preds: Sequence[Mapping[str, str | None]]) -> Scored:
    """Score the top answers against the gold phrases (weight-0 phrases are not gold)."""
    right = dict.fromkeys(QUESTIONS, 0)
    asked = dict.fromkeys(QUESTIONS, 0)
    answered = dict.fromkeys(QUESTIONS, 0)
    per_doc = []
    for doc, answers in zip(docs, preds, strict=True):
        row: dict[str, object] = {"id": doc.id}
        for question in QUESTIONS:
            phrases = [p for p in doc.gold.get(question) or [] if p.get("weight", 1) > 0]
            answer = answers.get(question)
            if not phrases:
                continue
            asked[question] += 1
            answered[question] += answer is not None
            ok = answer is not None and is_right(question, answer, phrases)
            right[question] += ok
            row[question] = {"answer": answer, "right": ok}
        per_doc.append(row)
    metrics: dict[str, float | None] = {
        f"{q}_p1": ratio(right[q], asked[q]) if asked[q] else None for q in QUESTIONS
    }
    metrics["p1"] = ratio(sum(right.values()), sum(asked.values())) if any(asked.values()) else None
    counts = {
        **{f"n_{q}": asked[q] for q in QUESTIONS},
        **{f"answered_{q}": answered[q] for q in QUESTIONS},
        **{f"no_gold_{q}": len(docs) - asked[q] for q in QUESTIONS},
    }
    return Scored(metrics, counts, per_doc)
