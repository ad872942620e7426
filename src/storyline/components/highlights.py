"""The highlights stage: the 3-4 sentences of an article's body that carry its main events and figures.

Highlights are what a reader (and a story's brief) takes from an article at a glance, so they are
chosen for what the earlier stages found, not by position alone: every body sentence is described by
:class:`SentenceFacts` (its position and length, whether it holds the main event's trigger or another
event's, casualty figures, numbers, dates, a claim or a quotation, mentions of the article's main
actors, its overlap with the headline and its centrality: similarity to the rest of the text), a
scorer turns the facts into a score, and the highest-scoring sentences are picked one at a time with
a penalty for repeating what is already picked (maximal marginal relevance), then put back in text
order.

Two scorers share those facts (both measured, see docs/design.md):

- ``learned`` (default): a logistic weight table (:mod:`storyline.linear`) over bucketed facts,
  trained by ``training/train_highlights.py`` on the training half (sha256 of the id, even) of the
  BBC News Summary file, with the label "the reference summary keeps this sentence". The sentence
  count (3, or 4 from some article length on) and the redundancy penalty were chosen on that half
  and ship in the same file.
- ``rules``: a hand-set sum over the same facts (:func:`rule_score`).

A title is not a highlight: on a title's Doc the stage assigns nothing. Highlights are spans into the
body (``field`` "text"), in text order. The model is read when the stage is built; scoring a Doc is
counting and dictionary look-ups.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from storyline.errors import StorylineError
from storyline.linear import LinearModel, load_model_json
from storyline.model import Claim, Entity, Event, Span, Time

Method = Literal["learned", "rules"]
METHODS: tuple[Method, ...] = ("learned", "rules")
MODEL_FOLDER = "highlights"
MODEL_FILE = "model.json.gz"
FORMAT = "storyline.highlights/1"

#: Sentences with fewer words are not picked while longer ones remain (datelines, captions, "Read more").
MIN_WORDS = 5
#: How many sentences an article gets: ``FEW`` below the length threshold (in candidate sentences)
#: that the model file sets, ``MANY`` from it on; a shorter article gets all its sentences.
FEW, MANY = 3, 4
#: How far into the body the main event's sentence may be to be the anchor (else the lead is).
ANCHOR_WITHIN = 3
#: Entity labels whose entities can be an article's actors.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "LAW"})
#: How many of the most mentioned entities count as the main actors (besides those the title names).
MAIN_ACTORS = 3
#: spaCy entity labels that are figures (amounts, counts, percentages).
FIGURE_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
QUOTE_MARKS = frozenset('"“”')
#: First words that lean on an earlier sentence ("It said...", "This is..."): a weaker highlight.
DANGLING = frozenset({"it", "this", "that", "these", "those", "he", "she", "they", "but", "and", "also"})
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


@dataclass(frozen=True)
class SentenceFacts:
    """What the stages found in one body sentence: the inputs of both scorers and of redundancy control.

    ``start``/``end`` are character offsets into the body (whitespace trimmed); ``content`` holds the
    sentence's content-word stems (for the similarity between sentences).
    """

    index: int
    start: int
    end: int
    words: int
    paragraph_first: bool
    title_overlap: float
    centrality: float
    centrality_rank: int
    events: int
    main_event: bool
    casualties: bool
    figures: int
    names: int
    times: int
    claim: bool
    quote: bool
    actors: int
    new_actor: bool
    pronoun_start: bool
    content: frozenset[str]


@dataclass(frozen=True)
class Selection:
    """How the sentences are picked: the count threshold, the redundancy penalty, and whether the
    sentence that states the main event (:func:`anchor`) is always one of them."""

    four_from: int
    redundancy: float
    anchor: bool = True

    def count(self, candidates: int) -> int:
        """How many sentences an article with ``candidates`` candidate sentences gets."""
        return min(candidates, MANY if candidates >= self.four_from else FEW)


# -- facts ---------------------------------------------------------------------------------------------


def stem(word: str) -> str:
    """A crude plural/possessive stem, so "profits" in a headline matches "profit" in the body.

    The title's Doc is parsed separately (and possibly later in the batch), so the stage matches the
    headline's words as strings; a lemma-free stem keeps it cheap and symmetric.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def title_words(title: str | None) -> frozenset[str]:
    """The headline's content-word stems (spaCy's English stop words left out, as in the body)."""
    if not title:
        return frozenset()
    return frozenset(stem(w) for w in _WORD.findall(title) if w.lower() not in STOP_WORDS and not w.isdigit())


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the body's sentences: the parser's, also cut at line breaks (paragraphs), with
    leading and trailing whitespace tokens trimmed and whitespace-only pieces dropped."""
    sents = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
    out: list[tuple[int, int]] = []

    def close(start: int, end: int) -> None:
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if start < end:
            out.append((start, end))

    for sent in sents:
        start = sent.start
        for token in sent:
            if token.is_space and "\n" in token.text:
                close(start, token.i)
                start = token.i + 1
        close(start, sent.end)
    return out


def _centrality(bag: Mapping[str, int], total: Mapping[str, int], total_norm2: int) -> float:
    """Cosine similarity of a sentence's word counts to those of the rest of the text.

    From the text's totals (``total_norm2``: the sum of their squares), in time linear in the
    sentence, since a long article has many sentences.
    """
    dot = own = removed = 0
    for word, count in bag.items():
        t = total[word]
        dot += count * (t - count)
        own += count * count
        removed += t * t - (t - count) * (t - count)
    rest = total_norm2 - removed
    if dot <= 0 or rest <= 0:
        return 0.0
    return dot / math.sqrt(own * rest)


def _main_event(events: Sequence[Event], title: frozenset[str], doc: Doc) -> Event | None:
    """The event the article reports first: one the headline names (its trigger's word or lemma:
    "collapsed" for "collapses"), the earliest of those, else the earliest, most confident one (the
    title pass ranks events after this stage has run)."""
    body = [e for e in events if e.trigger.field != "title"]
    if not body:
        return None
    text_length = len(doc.text)

    def key(event: Event) -> tuple[bool, float]:
        words = {stem(w) for w in _WORD.findall(event.trigger.text)}
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if span is not None:
            words.update(stem(t.lemma_) for t in span if t.lemma_)
        early = 1.0 - event.trigger.start / max(1, text_length)
        return bool(words & title), early + event.confidence

    return max(body, key=key)


def _main_actors(entities: Sequence[Entity], title: frozenset[str]) -> set[str]:
    """Ids of the article's main actors: the most mentioned named entities (two mentions or more) and
    those the headline names."""
    named = [e for e in entities if e.label in ACTOR_LABELS]
    counted = sorted(
        ((sum(1 for m in e.mentions if m.field != "title"), e) for e in named),
        key=lambda pair: -pair[0],
    )
    actors = {e.id for n, e in counted[:MAIN_ACTORS] if n >= 2}
    for entity in named:
        words = [stem(w) for w in _WORD.findall(entity.name)]
        if (words and any(w in title for w in words)) or any(m.field == "title" for m in entity.mentions):
            actors.add(entity.id)
    return actors


def sentence_facts(doc: Doc) -> list[SentenceFacts]:
    """The facts of every body sentence of a Doc the earlier stages have run on."""
    bounds = sentence_bounds(doc)
    if not bounds:
        return []
    text = doc.text
    article = doc._.article
    title = title_words(article.title if article is not None else None)
    starts = [doc[s].idx for s, _ in bounds]

    def where(offset: int) -> int:
        return bisect_right(starts, offset) - 1

    n = len(bounds)
    events_in = [0] * n
    main_in = [False] * n
    casualties_in = [False] * n
    events: list[Event] = [e for e in (doc._.sl_events or []) if e.trigger.field != "title"]
    main = _main_event(events, title, doc)
    for event in events:
        i = where(event.trigger.start)
        if i < 0:
            continue
        events_in[i] += 1
        if main is not None and event.id == main.id:
            main_in[i] = True
        for figure in (event.killed, event.injured):
            if figure is not None:
                j = where(figure.span.start) if figure.span is not None else i
                if j >= 0:
                    casualties_in[j] = True
    times_in = [0] * n
    for time in doc._.sl_times or []:
        if isinstance(time, Time) and time.span.field != "title" and (i := where(time.span.start)) >= 0:
            times_in[i] += 1
    claim_in = [False] * n
    for claim in doc._.sl_claims or []:
        if isinstance(claim, Claim) and claim.content.field != "title":
            for span in (claim.content, claim.cue):
                if span is not None and (i := where(span.start)) >= 0:
                    claim_in[i] = True
    entities: list[Entity] = list(doc._.sl_entities or [])
    actors = _main_actors(entities, title)
    actors_in = [0] * n
    new_actor_in = [False] * n
    for entity in entities:
        if entity.id not in actors:
            continue
        mentions = sorted(m.start for m in entity.mentions if m.field != "title")
        for k, start in enumerate(mentions):
            if (i := where(start)) >= 0:
                actors_in[i] += 1
                new_actor_in[i] = new_actor_in[i] or k == 0
    figures_in = [0] * n
    names_in = [0] * n
    for ent in doc.ents:
        if (i := where(ent.start_char)) >= 0:
            if ent.label_ in FIGURE_LABELS:
                figures_in[i] += 1
            elif ent.label_ in ACTOR_LABELS:
                names_in[i] += 1

    bags: list[Counter[str]] = []
    words: list[int] = []
    for s, e in bounds:
        bag: Counter[str] = Counter()
        count = 0
        for token in doc[s:e]:
            if token.is_punct or token.is_space:
                continue
            count += 1
            if token.is_alpha and not token.is_stop and len(token) > 1:
                bag[stem(token.lemma_ or token.text)] += 1
        bags.append(bag)
        words.append(count)
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    norm2 = sum(v * v for v in total.values())
    centrality = [_centrality(bag, total, norm2) for bag in bags]
    order = sorted(range(n), key=lambda i: -centrality[i])
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r

    out: list[SentenceFacts] = []
    for i, (s, e) in enumerate(bounds):
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
        bag = bags[i]
        words_of = set(bag)
        words_of.update(stem(t.text) for t in doc[s:e] if not t.is_punct and not t.is_space)
        overlap = len(title & words_of) / len(title) if title else 0.0
        out.append(
            SentenceFacts(
                index=i,
                start=start,
                end=end,
                words=words[i],
                paragraph_first=s == 0 or "\n" in doc[s - 1].text,
                title_overlap=overlap,
                centrality=centrality[i],
                centrality_rank=rank[i],
                events=events_in[i],
                main_event=main_in[i],
                casualties=casualties_in[i],
                figures=figures_in[i],
                names=names_in[i],
                times=times_in[i],
                claim=claim_in[i],
                quote=any(ch in QUOTE_MARKS for ch in text[start:end]),
                actors=actors_in[i],
                new_actor=new_actor_in[i],
                pronoun_start=doc[s].pos_ == "PRON" or doc[s].lower_ in DANGLING,
                content=frozenset(bag),
            )
        )
    return out


def _bucket(value: float, edges: Sequence[float]) -> int:
    """Index of the first edge above ``value`` (len(edges) when none is)."""
    return bisect_right(list(edges), value)


def features(fact: SentenceFacts, n_sentences: int) -> list[str]:
    """The learned scorer's binary features of a sentence (bucketed facts)."""
    position = fact.index if fact.index < 5 else 5 + _bucket(fact.index, (7, 10, 15))
    relative = fact.index / max(1, n_sentences - 1)
    out = [
        "bias",
        f"pos={position}",
        f"rel={_bucket(relative, (0.2, 0.4, 0.6, 0.8))}",
        f"len={_bucket(fact.words, (8, 12, 16, 20, 25, 30, 40))}",
        f"title={_bucket(fact.title_overlap, (0.01, 0.2, 0.4, 0.6))}",
        f"cent={_bucket(fact.centrality, (0.1, 0.2, 0.3, 0.4, 0.5))}",
        f"cent_rank={_bucket(fact.centrality_rank, (1, 2, 3, 5, 8))}",
        f"events={min(fact.events, 2)}",
        f"figures={min(fact.figures, 3)}",
        f"names={min(fact.names, 4)}",
        f"times={min(fact.times, 2)}",
        f"actors={min(fact.actors, 3)}",
        f"doclen={_bucket(n_sentences, (6, 10, 15, 20, 30))}",
    ]
    if fact.index == n_sentences - 1:
        out.append("last")
    if fact.paragraph_first:
        out.append("para_first")
    if fact.main_event:
        out.append("main_event")
    if fact.casualties:
        out.append("casualties")
    if fact.claim:
        out.append("claim")
    if fact.quote:
        out.append("quote")
    if fact.new_actor:
        out.append("new_actor")
    if fact.pronoun_start:
        out.append("pronoun_start")
    if fact.index == 0:
        out.append(f"lead&len={_bucket(fact.words, (12, 20, 30))}")
    return out


def rule_score(fact: SentenceFacts, n_sentences: int) -> float:
    """The hand-set scorer: lead first, then what the sentence carries (events, figures, actors, the
    headline's words) and how central it is; longer sentences carry more of a story."""
    lead = 1.0 if fact.index == 0 else 0.4 / (1.0 + fact.index / 4.0)
    score = lead + 0.8 * fact.title_overlap + 1.0 * fact.centrality
    score += 0.3 * fact.main_event + 0.1 * min(fact.events, 2) + 0.3 * fact.casualties
    score += 0.1 * min(fact.figures, 3) + 0.05 * min(fact.times, 2)
    score += 0.1 * min(fact.actors, 2) + 0.1 * fact.new_actor + 0.05 * fact.claim
    score += 0.2 * min(1.0, fact.words / 25.0) - 0.1 * fact.pronoun_start
    return score


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def candidates(facts: Sequence[SentenceFacts]) -> list[int]:
    """Indexes of the sentences that may be picked: those of :data:`MIN_WORDS` words or more, unless
    fewer than :data:`FEW` are (then every sentence)."""
    pool = [i for i, f in enumerate(facts) if f.words >= MIN_WORDS]
    return pool if len(pool) >= FEW else list(range(len(facts)))


def anchor(facts: Sequence[SentenceFacts], pool: Sequence[int]) -> int | None:
    """The sentence that states the article's main event: the first of the first three candidates
    that holds the main event's trigger and shares as much of the headline as the lead does (a soft
    lead sets a scene or quotes someone first), else the lead. Highlights must carry the main
    event, and a scorer trained on reference summaries that do not care about events (BBC's favour
    central sentences) would not always pick it."""
    if not pool:
        return None
    lead = pool[0]
    for i in pool[:ANCHOR_WITHIN]:
        # the lead stays unless the event's sentence restates the headline at least as fully
        if facts[i].main_event and facts[i].title_overlap >= facts[lead].title_overlap:
            return i
    return lead


def select(facts: Sequence[SentenceFacts], scores: Sequence[float], selection: Selection) -> list[int]:
    """Indexes (into ``facts``) of the chosen sentences, in text order: the main event's sentence
    first (when ``selection.anchor``), then greedy maximal marginal relevance, the best score less
    ``redundancy`` times the similarity to the closest chosen one."""
    pool = candidates(facts)
    k = selection.count(len(pool))
    chosen: list[int] = []
    first = anchor(facts, pool) if selection.anchor and k else None
    if first is not None:
        chosen.append(first)
        pool.remove(first)
    while len(chosen) < k and pool:

        def gain(i: int) -> float:
            near = max((_similarity(facts[i].content, facts[j].content) for j in chosen), default=0.0)
            return scores[i] - selection.redundancy * near

        best = max(pool, key=gain)
        chosen.append(best)
        pool.remove(best)
    return sorted(chosen)


# -- the stage -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HighlightsModel:
    """The learned scorer and the selection settings of both scorers, as shipped in
    ``resources/highlights`` (the count rule and the redundancy penalty were chosen on the training
    half for each scorer)."""

    linear: LinearModel
    selection: Selection
    rules_selection: Selection

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HighlightsModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")

        def selection(key: str) -> Selection:
            chosen = data[key]
            return Selection(
                int(chosen["four_from"]), float(chosen["redundancy"]), bool(chosen.get("anchor", True))
            )

        return cls(LinearModel.from_json(data["model"]), selection("selection"), selection("rules_selection"))


def load_model(path: Path | None = None) -> HighlightsModel:
    """The shipped model (or the one at ``path``); E190 when it cannot be read."""
    return load_model_json(MODEL_FOLDER, MODEL_FILE, path, HighlightsModel.from_json, "E190")


class HighlightsStage:
    """Picks each body's highlights with the learned scorer or the hand-set rules (``method``)."""

    def __init__(self, method: Method = "learned", model_path: Path | None = None) -> None:
        if method not in METHODS:
            raise StorylineError("E191", method=method, choices=", ".join(METHODS))
        self.method = method
        self.model = load_model(model_path)
        self.selection = self.model.selection if method == "learned" else self.model.rules_selection

    def scores(self, facts: Sequence[SentenceFacts]) -> list[float]:
        """Each sentence's score by the chosen scorer."""
        n = len(facts)
        if self.method == "rules":
            return [rule_score(f, n) for f in facts]
        linear = self.model.linear
        return [linear.proba(features(f, n))[1] for f in facts]

    def highlights(self, doc: Doc) -> list[Span]:
        """The body's highlights, in text order."""
        facts = sentence_facts(doc)
        if not facts:
            return []
        chosen = select(facts, self.scores(facts), self.selection)
        spans = [(facts[i].start, facts[i].end) for i in chosen]
        return [Span(start=s, end=e, text=doc.text[s:e], field="text") for s, e in spans]

    def __call__(self, doc: Doc) -> Doc:
        doc._.sl_highlights = [] if doc._.sl_field == "title" else self.highlights(doc)
        return doc


@Language.factory(
    "storyline_highlights",
    assigns=["doc._.sl_highlights"],
    default_config={"method": "learned", "model_path": None},
)
def make_highlights(nlp: Language, name: str, method: str, model_path: str | None) -> HighlightsStage:
    if method not in METHODS:
        raise StorylineError("E191", method=method, choices=", ".join(METHODS))
    chosen: Method = "rules" if method == "rules" else "learned"
    return HighlightsStage(chosen, Path(model_path) if model_path else None)
