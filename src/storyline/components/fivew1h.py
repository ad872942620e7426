"""The article's main event in 5W1H: manner phrases, candidate answers and a learned answer ranker.

A journalist asks of an article: who did what, when, where, why and how. The events stage answers
from the parse, one event at a time; the answer a reader (and a 5W1H coder) wants is often a phrase
of the headline or the lead that no single argument slot holds ("blames", "in a letter", "two days
before the election"). So, per question, this module

- generates candidate phrases from the analysis and the parse: entities, every event's arguments,
  noun chunks, time expressions, places, cause clauses, manner phrases and predicates of the title
  and the lead;
- describes each by where it is (title, lead, body; sentence), what produced it, its entity label,
  dependency relation, length and whether it is an argument of the main event;
- scores it with a logistic model per question (a weight table, ``resources/fivew1h/ranker.json.gz``,
  built by ``training/train_fivew1h.py`` on the even half of Giveme5W1H dev by document id hash).

The model file also says, per question, whether the ranker or the rules (the main event's own
arguments, :func:`rule_answers`) answer: the ranker is used only where it beat the rules on data it
was not trained on. :func:`summarize` puts the result in ``Analysis.fivew1h``.

:func:`manner_spans` gives ``Event.manner``: "by shooting", "with a truck", "in a vote" (no: that is
a place in time), "using drones", "brutally".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from storyline.linear import LinearModel, load_model_json
from storyline.model import Analysis, Answer, Argument, Entity, Event, FiveW1H, Place, Span

QUESTIONS = ("who", "what", "when", "where", "why", "how")
#: How many body sentences make the lead (5W1H answers concentrate there).
LEAD_SENTENCES = 3
#: Candidates from later sentences than this are not generated (cost; answers are early).
MAX_SENTENCES = 12
#: A candidate phrase longer than this many tokens is cut (coders choose short phrases).
MAX_TOKENS = 14

#: Prepositions that introduce how something was done ("by shooting", "with a truck", "via Twitter").
MANNER_PREPS = frozenset({"by", "with", "via", "through", "using"})
#: "-ly" adverbs that say when, how sure or how much, not how.
NOT_MANNER_ADVERBS = frozenset(
    {"only", "early", "reportedly", "allegedly", "likely", "nearly", "currently", "recently", "finally",
     "really", "already", "apparently", "largely", "mostly", "initially", "previously", "eventually",
     "shortly", "widely", "originally", "publicly", "officially", "possibly", "probably", "certainly",
     "clearly", "simply", "actually", "usually", "fully", "immediately", "supposedly",
     "lately", "subsequently", "ultimately", "repeatedly", "partly", "mainly", "entirely", "roughly",
     "approximately", "daily", "weekly", "monthly", "yearly", "barely", "hardly", "merely"}
)  # fmt: skip
#: Entity labels of participants: "with police" is company, not means.
PARTICIPANT_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Entity labels that answer "who".
WHO_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Entity labels that answer "where".
WHERE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels that answer "when" (a "Brazilian Grand Prix" dates a race).
WHEN_LABELS = frozenset({"DATE", "TIME", "EVENT"})
#: Locative prepositions that open a "where" phrase.
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "on", "into", "from"})
#: Subordinators and prepositions that open a "why" phrase.
CAUSE_WORDS = frozenset(
    {"because", "after", "following", "over", "for", "amid", "due", "as", "since", "in", "to"}
)  # fmt: skip
_SPACE = re.compile(r"\s+")


# -- manner --------------------------------------------------------------------------------------


def _is_participant(tok: Token) -> bool:
    return tok.pos_ == "PRON" or tok.ent_type_ in PARTICIPANT_LABELS or tok.pos_ == "PROPN"


def _cut(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The range without a trailing clause: stopped at the first comma, dash or quote after ``start``
    and at :data:`MAX_TOKENS`; trailing punctuation and conjunctions dropped."""
    stop = min(end, start + MAX_TOKENS)
    for i in range(start + 1, stop):
        if doc[i].text in {",", ";", ":", "--", "–", "—", "(", ")", '"', "“", "”"}:
            stop = i
            break
    while stop - 1 > start and (doc[stop - 1].is_punct or doc[stop - 1].pos_ in {"CCONJ", "DET", "ADP"}):
        stop -= 1
    return start, stop


def _span_of(doc: Doc, start: int, end: int, field: str | None) -> Span:
    words = doc[start:end]
    return Span(start=words.start_char, end=words.end_char, text=words.text, field=field)


def manner_tokens(trigger: Token) -> list[tuple[int, int]]:
    """Token ranges that say how the trigger's event was done, from its dependents: a by/with/via/
    through/using phrase whose object is not a participant ("with a suicide car bomb", "by
    ramming"), a "using ..." clause, and a manner adverb in "-ly" ("brutally")."""
    doc = trigger.doc
    out: list[tuple[int, int]] = []
    for c in trigger.children:
        if c.dep_ == "prep" and c.lower_ in MANNER_PREPS:
            objects = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            if not objects or (objects[0].dep_ == "pobj" and _is_participant(objects[0])):
                continue  # "with Obama" is company
            if c.lower_ == "by" and trigger.tag_ == "VBN" and objects[0].dep_ == "pobj":
                continue  # "arrested by police": a passive's agent, who did it
            out.append(_cut(doc, c.i, c.right_edge.i + 1))
        elif c.dep_ in {"advcl", "xcomp"} and c.lemma_.lower() == "use" and c.tag_ == "VBG":
            out.append(_cut(doc, c.i, c.right_edge.i + 1))
        elif (
            c.dep_ == "advmod"
            and c.pos_ == "ADV"
            and c.lower_.endswith("ly")
            and c.lower_ not in NOT_MANNER_ADVERBS
        ):
            out.append((c.i, c.i + 1))
    return out


def manner_spans(doc: Doc, triggers: Iterable[Token], field: str | None = None) -> list[Span]:
    """``Event.manner``: the manner phrases of the event's trigger words (see :func:`manner_tokens`)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for t in triggers:
        for start, end in manner_tokens(t):
            if (start, end) not in seen and end > start:
                seen.add((start, end))
                out.append(_span_of(doc, start, end, field))
    return out


# -- rules -----------------------------------------------------------------------------------------

#: Pronouns that give way to the entity's name in a "who" answer.
PRONOUNS = frozenset(
    {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their", "i", "we", "you", "who"}
)
#: Entity labels of actors that coders name in answer to "who".
NAMED = frozenset({"PERSON", "ORG", "NORP", "GPE"})
#: Entity labels of the actors a headline names ("Lady Gaga", "FBI", "Taliban").
ACTORS = frozenset({"PERSON", "ORG", "NORP"})
#: Where a sentence ends: terminal punctuation (and closing quotes) then space, or a line break.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``[start, end)``, by punctuation and line breaks."""
    begin = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        begin = boundary.end()
    after = _SENTENCE_END.search(text, end)
    stop = after.start() + 1 if after is not None else len(text)
    return text[begin:stop].strip()


def _as_named(arg: Argument, entities: Mapping[str, Entity]) -> Answer:
    entity = entities.get(arg.entity) if arg.entity else None
    if entity is not None and (arg.text.lower() in PRONOUNS or arg.text[:1].islower()):
        return Answer(text=entity.name, span=arg.span)
    return Answer(text=arg.text, span=arg.span)


def _rule_who(analysis: Analysis, event: Event) -> Answer | None:
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
        (min(m.start for m in e.mentions if m.field == "title"), e)
        for e in analysis.entities
        if e.label in ACTORS and any(m.field == "title" and m.kind == "name" for m in e.mentions)
    ]
    if headline:
        _, entity = min(headline, key=lambda x: x[0])
        mention = next(m for m in entity.mentions if m.field == "title")
        return Answer(text=entity.name, span=Span(**mention.model_dump(exclude={"kind"})))
    return _as_named(event.whom[0], entities) if event.whom else None


def rule_answers(analysis: Analysis, event: Event) -> dict[str, Answer | None]:
    """The rules' answers, all from the main event's arguments: who its agent's name (else the first
    participant); what its predicate phrase (else the trigger's sentence); when its time expression;
    where the words that place it, else its place's name; why its first cause; how its first
    instrument, else its first manner phrase."""
    trigger = event.trigger
    source = (analysis.article.title or "") if trigger.field == "title" else analysis.article.text
    if event.what is not None and event.what.text:
        what: Answer | None = Answer(text=event.what.text, span=event.what)
    else:
        what = Answer(text=sentence_around(source, trigger.start, trigger.end) or trigger.text)
    when = None
    if event.when is not None:
        times = {time.id: time for time in analysis.times}
        time = times.get(event.when.time) if event.when.time else None
        if time is not None:
            when = Answer(text=time.span.text, span=time.span)
        elif event.when.value:
            when = Answer(text=event.when.value)
    where = None
    if event.where is not None:
        where = (
            Answer(text=event.where.span.text, span=event.where.span)
            if event.where.span is not None
            else Answer(text=event.where.name)
        )
    how = event.how[0] if event.how else event.manner[0] if event.manner else None
    return {
        "who": _rule_who(analysis, event),
        "what": what,
        "when": when,
        "where": where,
        "why": Answer(text=event.why[0].text, span=event.why[0]) if event.why else None,
        "how": Answer(text=how.text, span=how) if how is not None else None,
    }


# -- candidates ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A possible answer to one question: its words, where they are, and what describes it."""

    question: str
    text: str
    span: Span
    features: set[str] = field(default_factory=set)


@dataclass
class _Context:
    """What the generators read: the analysis, its main event and the Docs of the body and title."""

    analysis: Analysis
    main: Event
    body: Doc
    title: Doc | None
    lead_end: int  # character offset where the lead ends in the body
    sentence_starts: list[int]  # character offsets of the body's sentence starts
    body_lemmas: dict[str, int]  # lower-cased lemma -> occurrences in the body

    def sentence_index(self, span: Span) -> int:
        if span.field == "title":
            return -1
        return sum(1 for s in self.sentence_starts if s <= span.start) - 1

    def docs(self) -> list[tuple[Doc, str | None]]:
        out: list[tuple[Doc, str | None]] = [(self.body, None)]
        if self.title is not None:
            out.insert(0, (self.title, "title"))
        return out

    def sentences(self) -> list[tuple[SpacySpan, str | None, int]]:
        """The title's sentences (index -1) and the body's first :data:`MAX_SENTENCES`."""
        out: list[tuple[SpacySpan, str | None, int]] = []
        if self.title is not None:
            out.extend((s, "title", -1) for s in _sents(self.title))
        out.extend((s, None, i) for i, s in enumerate(_sents(self.body)[:MAX_SENTENCES]))
        return out


def _sents(doc: Doc) -> list[SpacySpan]:
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def _bucket(n: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f">{edges[-1]}"


def _overlap(a: Span, b: Span | None) -> bool:
    return b is not None and a.field == b.field and a.start < b.end and b.start < a.end


class _Pool:
    """Candidates of one question, merged by span: a phrase several generators give keeps every
    generator's features (agreement is evidence)."""

    def __init__(self, question: str, ctx: _Context) -> None:
        self.question = question
        self.ctx = ctx
        self.by_key: dict[tuple[str | None, int, int, str], Candidate] = {}

    def add(self, span: Span, source: str, *extra: str, text: str | None = None) -> None:
        text = _SPACE.sub(" ", (text or span.text)).strip()
        if not text or len(text) > 200:
            return
        key = (span.field, span.start, span.end, text.lower())
        cand = self.by_key.get(key)
        if cand is None:
            cand = self.by_key[key] = Candidate(self.question, text, span, self._base(span, text))
        cand.features.add(f"src={source}")
        cand.features.update(f"{source}:{e}" for e in extra)

    def _base(self, span: Span, text: str) -> set[str]:
        ctx = self.ctx
        sent = ctx.sentence_index(span)
        where = "title" if span.field == "title" else "lead" if span.start < ctx.lead_end else "body"
        n_words = len(text.split())
        feats = {"bias", f"in={where}", f"sent={_bucket(sent, (-1, 0, 1, 2, 4, 8))}"}
        feats.add(f"len={_bucket(n_words, (1, 2, 3, 5, 8, 12))}")
        feats.add(f"in={where}&len={_bucket(n_words, (1, 3, 6))}")
        doc = ctx.title if span.field == "title" else ctx.body
        words = doc.char_span(span.start, span.end, alignment_mode="expand") if doc is not None else None
        if words is not None and len(words):
            root = words.root
            feats.update({f"dep={root.dep_}", f"pos={root.pos_}", f"first={words[0].pos_}"})
            if words[0].pos_ in {"ADP", "SCONJ"}:
                feats.add(f"opens={words[0].lower_}")
            if root.ent_type_:
                feats.add(f"ent={root.ent_type_}")
            if any(t.pos_ == "PROPN" for t in words):
                feats.add("has_name")
            if root.dep_ in {"nsubj", "nsubjpass"}:
                feats.add("subject")
            if root.i == root.sent.root.i:
                feats.add("sent_root")
            count = ctx.body_lemmas.get(root.lemma_.lower(), 0)
            feats.add(f"recurs={_bucket(count, (0, 1, 3, 6))}")
        main = ctx.main
        for slot, spans in (
            ("trigger", [main.trigger]),
            ("what", [main.what]),
            ("who", [a.span for a in main.who[:1]]),
            ("whom", [a.span for a in main.whom[:1]]),
            ("where", [main.where.span if main.where else None]),
            ("why", main.why[:1]),
            ("how", main.how[:1]),
            ("manner", main.manner[:1]),
            ("evidence", main.evidence),
        ):
            if any(_overlap(span, s) for s in spans):
                feats.add(f"main_{slot}")
        return feats

    def candidates(self) -> list[Candidate]:
        return list(self.by_key.values())


def _doc_span(ctx: _Context, doc: Doc, start: int, end: int, fld: str | None) -> Span:
    start, end = _cut(doc, start, end) if end - start > 1 else (start, end)
    return _span_of(doc, start, end, fld)


def _gen_who(ctx: _Context, pool: _Pool) -> None:
    entities = {e.id: e for e in ctx.analysis.entities}
    for rank, arg in enumerate(ctx.main.who[:3]):
        if arg.span is not None:
            ent = entities.get(arg.entity or "")
            pool.add(arg.span, "main_who", f"rank={rank}")
            if ent is not None and ent.label in NAMED:
                pool.add(arg.span, "main_who_named", text=ent.name)
    for rank, arg in enumerate(ctx.main.whom[:2]):
        if arg.span is not None:
            pool.add(arg.span, "main_whom", f"rank={rank}")
    for ev in ctx.analysis.events:
        if ev.id != ctx.main.id:
            for arg in ev.who[:1]:
                if arg.span is not None:
                    pool.add(arg.span, "other_who")
    order = 0
    for entity in ctx.analysis.entities:
        if entity.label not in WHO_LABELS:
            continue
        for mention in entity.mentions:
            if mention.kind != "name":
                continue
            span = Span(**mention.model_dump(exclude={"kind"}))
            if ctx.sentence_index(span) < LEAD_SENTENCES:
                order += 1
                pool.add(
                    span,
                    "entity",
                    f"label={entity.label}",
                    f"mentions={_bucket(len(entity.mentions), (1, 2, 4, 8))}",
                )
    for sent, fld, _i in ctx.sentences()[: LEAD_SENTENCES + 2]:
        for chunk in sent.noun_chunks:
            if chunk.root.dep_ in {"nsubj", "nsubjpass", "pobj", "dobj"}:
                pool.add(
                    _doc_span(ctx, sent.doc, chunk.start, chunk.end, fld), "chunk", f"dep={chunk.root.dep_}"
                )


def _predicates(sent: SpacySpan) -> list[Token]:
    return [t for t in sent if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}]


def _gen_what(ctx: _Context, pool: _Pool) -> None:
    from storyline.components.headline import headline_phrase, predicate_phrase

    if ctx.main.what is not None:
        pool.add(ctx.main.what, "main_what")
    for ev in ctx.analysis.events:
        if ev.what is not None and ev.id != ctx.main.id:
            pool.add(ev.what, "event_what")
    if ctx.title is not None:
        pool.add(_span_of(ctx.title, 0, len(ctx.title), "title"), "title_whole")
        for sent in _sents(ctx.title):
            for part in re.split(r"[:|–—]", sent.text):
                if part.strip() and part.strip() != sent.text.strip():
                    begin = sent.start_char + sent.text.index(part)
                    s = ctx.title.char_span(begin, begin + len(part), alignment_mode="contract")
                    if s is not None and len(s):
                        pool.add(_span_of(ctx.title, s.start, s.end, "title"), "title_segment")
    for sent, fld, _i in ctx.sentences()[: LEAD_SENTENCES + 1]:
        doc = sent.doc
        for tok in _predicates(sent):
            start, end = headline_phrase(tok) if fld == "title" else predicate_phrase(tok)
            pool.add(_span_of(doc, start, end, fld), "predicate", f"root={tok.i == sent.root.i}")
            subjects = [c for c in tok.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < tok.i]
            if subjects:
                s_start = subjects[0].left_edge.i
                pool.add(_doc_span(ctx, doc, s_start, end, fld), "clause", f"root={tok.i == sent.root.i}")
        for chunk in sent.noun_chunks:
            if fld == "title":
                pool.add(_span_of(doc, chunk.start, chunk.end, fld), "chunk")


def _gen_when(ctx: _Context, pool: _Pool) -> None:
    main_time = ctx.main.when.time if ctx.main.when else None
    for time in ctx.analysis.times:
        idx = ctx.sentence_index(time.span)
        if idx >= MAX_SENTENCES:
            continue
        pool.add(
            time.span,
            "timex",
            f"type={time.type}",
            f"gran={len(time.value or '')}",
            f"main={time.id == main_time}",
        )
    for doc, fld in ctx.docs():
        for ent in doc.ents:
            if ent.label_ in WHEN_LABELS and ent.sent.start < _sent_limit(doc):
                pool.add(_span_of(doc, ent.start, ent.end, fld), "ent", f"label={ent.label_}")


def _sent_limit(doc: Doc) -> int:
    sents = _sents(doc)
    return sents[min(len(sents), MAX_SENTENCES) - 1].end if sents else 0


def _gen_where(ctx: _Context, pool: _Pool) -> None:
    main_place = ctx.main.where.place if ctx.main.where else None
    if ctx.main.where is not None and ctx.main.where.span is not None:
        pool.add(ctx.main.where.span, "main_where")
    for place in ctx.analysis.places:
        for rank, mention in enumerate(place.mentions):
            if ctx.sentence_index(mention) >= MAX_SENTENCES:
                continue
            pool.add(
                mention,
                "place",
                f"type={place.type}",
                f"main={place.id == main_place}",
                f"first={rank == 0}",
                f"country={_whole_country(place)}",
            )
    for doc, fld in ctx.docs():
        limit = _sent_limit(doc)
        for ent in doc.ents:
            if ent.label_ in WHERE_LABELS and ent.start < limit:
                pool.add(_span_of(doc, ent.start, ent.end, fld), "ent", f"label={ent.label_}")
                prep = ent.root.head
                if ent.root.dep_ == "pobj" and prep.lower_ in PLACE_PREPS:
                    pool.add(_doc_span(ctx, doc, prep.i, ent.end, fld), "pp", f"prep={prep.lower_}")
                    if prep.head.pos_ in {"NOUN", "PROPN"} and prep.head.i < prep.i:
                        pool.add(_doc_span(ctx, doc, prep.head.left_edge.i, ent.end, fld), "np_pp")


def _whole_country(place: Place) -> bool:
    """A gazetteer place with a country and no region: a country named as the place."""
    return place.geonameid is not None and place.country is not None and place.admin1 is None


def _gen_why(ctx: _Context, pool: _Pool) -> None:
    from storyline.components.events import cause_spans

    for rank, span in enumerate(ctx.main.why[:2]):
        pool.add(span, "main_why", f"rank={rank}")
    for sent, fld, _i in ctx.sentences()[: LEAD_SENTENCES + 3]:
        doc = sent.doc
        words = [t for t in sent if t.pos_ in {"VERB", "AUX", "NOUN"}]
        for span in cause_spans(doc, words):
            if fld == "title":
                span = span.model_copy(update={"field": "title"})
            pool.add(span, "cause")
        for tok in sent:
            if tok.dep_ in {"advcl", "ccomp", "xcomp"} and tok.head.pos_ in {"VERB", "AUX"}:
                marks = [c.lower_ for c in tok.children if c.dep_ == "mark"]
                mark = marks[0] if marks else "none"
                pool.add(
                    _doc_span(ctx, doc, tok.left_edge.i, tok.right_edge.i + 1, fld),
                    "clause",
                    f"dep={tok.dep_}",
                    f"mark={mark}",
                    f"head={tok.head.lemma_.lower() in _BLAME}",
                )
            if tok.dep_ == "prep" and tok.lower_ in CAUSE_WORDS and tok.head.pos_ in {"VERB", "NOUN"}:
                objects = [c for c in tok.children if c.dep_ in {"pobj", "pcomp"}]
                if objects and objects[0].ent_type_ not in {"DATE", "TIME"}:  # "after 3am" says when
                    pool.add(
                        _doc_span(ctx, doc, tok.i, tok.right_edge.i + 1, fld), "prep", f"word={tok.lower_}"
                    )
                    pool.add(
                        _doc_span(ctx, doc, objects[0].left_edge.i, tok.right_edge.i + 1, fld),
                        "prep_object",
                        f"word={tok.lower_}",
                    )
            if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _BLAME:
                pool.add(_doc_span(ctx, doc, tok.left_edge.i, tok.right_edge.i + 1, fld), "blamed")


#: Verbs whose complements or objects give a reason ("blames Comey for ...", "accused the FBI of ...").
_BLAME = frozenset({"blame", "accuse", "cite", "attribute", "criticize", "criticise", "say", "announce"})


def _gen_how(ctx: _Context, pool: _Pool) -> None:
    for span in ctx.main.how[:2]:
        pool.add(span, "main_how")
    for span in ctx.main.manner[:2]:
        pool.add(span, "main_manner")
    main_lemmas: set[str] = set()
    for doc, fld in ctx.docs():
        for s in [ctx.main.trigger, *ctx.main.evidence]:
            if (s.field == "title") == (fld == "title"):
                words = doc.char_span(s.start, s.end, alignment_mode="expand")
                if words is not None and len(words) == 1:
                    main_lemmas.add(words[0].lemma_.lower())
    for sent, fld, _i in ctx.sentences()[: LEAD_SENTENCES + 1]:
        doc = sent.doc
        for tok in _predicates(sent):
            same = tok.lemma_.lower() in main_lemmas
            root = tok.i == sent.root.i
            pool.add(_span_of(doc, tok.i, tok.i + 1, fld), "verb", f"main={same}", f"root={root}")
            parts = [c for c in tok.children if c.dep_ in {"prt", "dobj"} and c.i > tok.i]
            if parts:
                end = max(p.right_edge.i for p in parts) + 1
                pool.add(_doc_span(ctx, doc, tok.i, end, fld), "verb_object", f"main={same}")
            conj = [c for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB"]
            if conj:
                pool.add(_span_of(doc, tok.i, conj[0].i + 1, fld), "verb_conj", f"main={same}")
            for start, end in manner_tokens(tok):
                pool.add(_span_of(doc, start, end, fld), "manner", f"main={same}")
            for c in tok.children:
                if c.dep_ == "prep" and c.i > tok.i and any(g.dep_ in {"pobj", "pcomp"} for g in c.children):
                    pool.add(_doc_span(ctx, doc, c.i, c.right_edge.i + 1, fld), "pp", f"word={c.lower_}")
        for tok in sent:
            if tok.dep_ == "amod" and tok.head.pos_ == "NOUN":
                pool.add(_span_of(doc, tok.i, tok.head.i + 1, fld), "adj_noun")


_GENERATORS = {
    "who": _gen_who,
    "what": _gen_what,
    "when": _gen_when,
    "where": _gen_where,
    "why": _gen_why,
    "how": _gen_how,
}


def candidates(analysis: Analysis, body: Doc, title: Doc | None) -> dict[str, list[Candidate]]:
    """Every question's candidate answers, from the analysis and the parse (empty without an event)."""
    from storyline.titlepass import main_event

    main = main_event(analysis.events)
    if main is None:
        return {q: [] for q in QUESTIONS}
    sents = _sents(body)
    lead_end = sents[min(len(sents), LEAD_SENTENCES) - 1].end_char if sents else 0
    lemmas: dict[str, int] = {}
    for tok in body:
        if not tok.is_punct:
            key = tok.lemma_.lower()
            lemmas[key] = lemmas.get(key, 0) + 1
    ctx = _Context(analysis, main, body, title, lead_end, [s.start_char for s in sents], lemmas)
    rules = rule_answers(analysis, main)
    out = {}
    for question, generate in _GENERATORS.items():
        pool = _Pool(question, ctx)
        rule = rules[question]
        if rule is not None:
            # the rules' own answer competes too: the ranker learns when to overrule it
            pool.add(rule.span or main.trigger, "rules", text=rule.text)
        generate(ctx, pool)
        found = pool.candidates()
        if rule is not None:
            said = set(rule.text.lower().split())
            for cand in found:
                shared = len(said & set(cand.text.lower().split()))
                if shared:
                    cand.features.add("rules_overlap")
                    cand.features.add(f"rules_cover={_bucket(round(4 * shared / len(said)), (1, 2, 3, 4))}")
        out[question] = found
    return out


# -- the ranker ------------------------------------------------------------------------------------


class AnswerRanker:
    """Per question, a logistic model over candidate features and whether it answers (else the rules).

    Loaded once at construction; :meth:`summarize` does no I/O.
    """

    def __init__(self, path: Path | None = None) -> None:
        def parse(data: dict[str, Any]) -> tuple[dict[str, LinearModel], dict[str, bool]]:
            models = {q: LinearModel.from_json(m) for q, m in data["models"].items()}
            return models, {q: bool(data["use"].get(q, False)) for q in QUESTIONS}

        self.models, self.use = load_model_json("fivew1h", "ranker.json.gz", path, parse, "E150")

    def score(self, candidate: Candidate) -> float:
        """The probability that the candidate answers its question."""
        model = self.models.get(candidate.question)
        return model.proba(sorted(candidate.features))[1] if model is not None else 0.0

    def best(self, pool: Sequence[Candidate]) -> tuple[Candidate, float] | None:
        """The highest-scored candidate (the earliest of equals) and its score."""
        scored = [(self.score(c), -_position(c), c) for c in pool]
        if not scored:
            return None
        top = max(scored, key=lambda x: (x[0], x[1]))
        return top[2], top[0]

    def summarize(self, analysis: Analysis, body: Doc, title: Doc | None) -> FiveW1H | None:
        """The main event in 5W1H: per question the ranker's best candidate where it answers, else
        the rules' answer (None without an event)."""
        from storyline.titlepass import main_event

        main = main_event(analysis.events)
        if main is None:
            return None
        rules = rule_answers(analysis, main)
        pools = candidates(analysis, body, title)
        answers: dict[str, Answer | None] = {}
        for question in QUESTIONS:
            answer = rules[question]
            if self.use.get(question):
                found = self.best(pools[question])
                if found is not None:
                    cand, p = found
                    answer = Answer(text=cand.text, span=cand.span, confidence=round(p, 4), method="ranker")
            answers[question] = answer
        return FiveW1H(**answers)


def _position(c: Candidate) -> int:
    return -1 if c.span.field == "title" else c.span.start


@functools.cache
def default_ranker() -> AnswerRanker:
    """The shipped ranker, loaded once per process (the first analysis pays for reading it)."""
    return AnswerRanker()


def summarize(analysis: Analysis, body: Doc, title: Doc | None) -> Analysis:
    """The analysis with ``fivew1h`` filled by the shipped ranker and the rules."""
    return analysis.model_copy(update={"fivew1h": default_ranker().summarize(analysis, body, title)})
