"""Event role fillers: which noun phrases of a document are the perpetrators, targets, victims, weapons.

The parse-based arguments of the events stage (subject and object of the trigger) miss most fillers of
a real report: "the fmln" is named in the next sentence, the victims in an apposition, the weapon in a
"with" phrase, and on lower-cased text (MUC-4) spaCy's NER barely fires. So a small multinomial logistic
regression, trained on MUC-4 train by ``training/train_roles.py``, labels every candidate noun phrase
of the Doc with one of :data:`ROLES` or ``none``, from the phrase's words and head, its dependency
relation and path to the nearest event trigger, the trigger's lemma and voice, the preposition that
introduces it, its position in the document, the entity label and whether the phrase recurs.

Decoding is per document, because MUC-4 gold (and a reader) asks for each participant once: the
mentions of one phrase are pooled (the best score wins), a role is kept when its probability clears the
threshold tuned for it on a slice of train, and of several extents with one head ("a guerrilla column",
"guerrilla column of the fmln") only the best-scoring one is kept.

:func:`role_fillers` gives the fillers of one event (those whose nearest trigger word is one of the
event's triggers). The model is read once, when this module is imported (the events stage imports it at
pipeline construction); scoring a Doc is dictionary look-ups, and the Doc's result is cached on it.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from storyline.errors import StorylineError
from storyline.linear import LinearModel, read_model_json
from storyline.model import Argument
from storyline.model import Span as OutSpan
from storyline.resources import lexicon

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
NONE = "none"
CLASSES = (NONE, *ROLES)
MODEL_FILE = "model.json.gz"
FORMAT = "storyline.roles/1"
#: Key of the Doc's decoded fillers in ``doc.user_data`` (scored once per Doc, read once per event).
CACHE_KEY = "storyline.roles"

#: Trigger lemmas of the events stage's lexicon with their event type, and the casualty words it
#: also reads.
TRIGGER_TYPES: dict[str, str] = {
    lemma: etype for lemma, etype, *_ in (line.split("\t") for line in lexicon("event_triggers"))
}
TRIGGER_LEMMAS = frozenset(TRIGGER_TYPES)
#: Event types whose participants are perpetrators, targets, victims and weapons (PLOVER).
ATTACK_TYPES = frozenset({"ASSAULT", "COERCE", "FIGHT", "THREATEN"})
CASUALTY_LEMMAS = frozenset(
    {"kill", "die", "dead", "slay", "murder", "injure", "wound", "hurt", "shoot", "stab", "execute"}
)
#: Event words of political-violence reports beyond the events stage's lexicon ("kidnapped",
#: "assassinated", "dynamited"). Used only for features (the path from a phrase to the nearest event
#: word); which events exist is the events stage's decision.
EVENT_WORDS = TRIGGER_LEMMAS | CASUALTY_LEMMAS | frozenset(
    {
        "kidnap", "kidnapping", "abduct", "abduction", "assassinate", "assassination", "burn", "arson",
        "destroy", "damage", "dynamite", "blow", "detonate", "hijack", "rob", "robbery", "seize",
        "sabotage", "torture", "fire", "death", "perpetrate", "massacre", "machinegun", "hurl", "set",
    }
)  # fmt: skip
#: Words that make a sentence about an attack (a feature of every phrase in it).
ATTACK_WORDS = EVENT_WORDS | frozenset(
    {"terrorist", "terrorism", "guerrilla", "explosive", "victim", "responsibility", "claim", "bomb"}
)
#: Head words that never fill a role: times, quantities, reporting vocabulary, pronouns.
SKIP_HEADS = frozenset(
    {
        "today", "yesterday", "tomorrow", "year", "years", "month", "months", "day", "days", "week", "weeks",
        "hour", "hours", "time", "morning", "night", "evening", "afternoon", "report", "reports", "news",
        "statement", "communique", "spokesman", "source", "sources", "agency", "radio", "television",
        "newspaper", "interview", "press", "conference", "way", "part", "number", "one", "lot",
    }
)  # fmt: skip
DETERMINERS = frozenset({"a", "an", "the"})
#: How many words before a chunk's head may start a shorter extent of it.
MAX_SUFFIXES = 5
#: The longest "of" extension kept ("branch of the social savings association").
MAX_OF_WORDS = 12
#: Token distance beyond which the nearest trigger is "far" (bucketed in features).
DISTANCE_BUCKETS = (0, 2, 4, 8, 16, 32)


@dataclass(frozen=True)
class RoleFiller:
    """A noun phrase of the Doc that fills an event role: tokens ``start:end``, ``head`` its head token."""

    role: str
    start: int
    end: int
    head: int
    score: float
    text: str
    #: index of the nearest trigger word (the event the filler belongs to), None when the Doc has none
    anchor: int | None = None


@dataclass(frozen=True)
class Candidate:
    """One extent of a candidate phrase: tokens ``start:end`` with head token ``head``."""

    start: int
    end: int
    head: int
    extent: str


@dataclass
class RoleModel:
    """The linear model over :data:`CLASSES` and the per-role probability thresholds."""

    linear: LinearModel
    thresholds: dict[str, float]
    #: Is the document a report of an attack at all? (binary, over :func:`doc_features`); a Doc it
    #: scores under ``thresholds["document"]`` gets no fillers. None: no such gate.
    relevance: LinearModel | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: At most this many fillers of a role per document (the best-scoring ones); a role absent has no
    #: cap. Chosen end to end with the thresholds (``training/tune_roles_e2e.py``).
    limits: dict[str, int] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        data = {
            "format": FORMAT,
            "model": self.linear.to_json(),
            "relevance": self.relevance.to_json() if self.relevance is not None else None,
            "thresholds": self.thresholds,
            "limits": self.limits,
            "meta": self.meta,
        }
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))

    @classmethod
    def load(cls, path: Path | None = None) -> RoleModel:
        """The shipped model (``resources/roles/model.json.gz``) or the one at ``path``; E140 if not."""
        name = str(path or MODEL_FILE)
        try:
            data = read_model_json("roles", MODEL_FILE, path)
        except (OSError, ValueError) as exc:
            raise StorylineError("E140", path=name, reason=repr(exc)) from exc
        if data.get("format") != FORMAT:
            raise StorylineError("E140", path=name, reason=f"format {data.get('format')!r}")
        return cls(
            linear=LinearModel.from_json(data["model"]),
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            relevance=LinearModel.from_json(data["relevance"]) if data.get("relevance") else None,
            meta=dict(data.get("meta") or {}),
            limits={k: int(v) for k, v in (data.get("limits") or {}).items()},
        )

    def relevant(self, doc: Doc) -> float:
        """Probability that the Doc reports an attack (1.0 without a relevance model)."""
        if self.relevance is None:
            return 1.0
        return self.relevance.proba(doc_features(doc))[1]

    def candidate_probas(self, doc: Doc) -> list[tuple[Candidate, list[float]]]:
        """Every candidate extent of the Doc with its class probabilities (order of :data:`CLASSES`)."""
        context = DocContext(doc)
        return [(c, self.linear.proba(features(doc, c, context))) for c in candidates(doc)]

    def fillers(self, doc: Doc) -> list[RoleFiller]:
        """The Doc's decoded fillers (see the module docstring), cached in ``doc.user_data``."""
        cached = doc.user_data.get(CACHE_KEY)
        if isinstance(cached, list):
            return cached
        if self.relevant(doc) < self.thresholds.get("document", 0.0):
            out: list[RoleFiller] = []
        else:
            out = decode(doc, self.candidate_probas(doc), self.thresholds, self.limits)
        doc.user_data[CACHE_KEY] = out
        return out


# -- candidates ---------------------------------------------------------------------------------------


def _is_head(tok: Token) -> bool:
    return (
        tok.pos_ in {"NOUN", "PROPN"}
        and tok.is_alpha
        and len(tok.text) > 1
        and tok.lower_ not in SKIP_HEADS
        and tok.ent_type_ not in {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}
    )


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop leading determiners, possessives, numbers and punctuation, and trailing punctuation."""
    while start < end - 1 and (
        doc[start].lower_ in DETERMINERS or doc[start].is_punct or doc[start].dep_ in {"poss", "predet"}
    ):
        start += 1
    while end > start + 1 and doc[end - 1].is_punct and doc[end - 1].text not in {")", '"'}:
        end -= 1
    return start, end


def candidates(doc: Doc) -> list[Candidate]:
    """Extents around every nominal head, because gold fillers come in all of them and decoding keeps
    the best one per head: the noun chunk ("the guerrilla column"), its shorter suffixes ("oscar
    arnulfo romero" of "msgr oscar arnulfo romero", "food stands" of "some 20 food stands") down to the
    head alone ("farm"), each also with the head's "of" phrase ("segments of the road"); the nominal
    modifiers inside a chunk ("shining path" of "shining path terrorists", "bomb" of "a bomb
    explosion"); and every entity span."""
    seen: set[tuple[int, int]] = set()
    out: list[Candidate] = []

    def add(start: int, end: int, head: int, extent: str) -> None:
        start, end = _trim(doc, start, end)
        if end <= start or (start, end) in seen or not (start <= head < end):
            return
        seen.add((start, end))
        out.append(Candidate(start, end, head, extent))

    for chunk in doc.noun_chunks:
        root = chunk.root
        if not _is_head(root):
            continue
        first, _ = _trim(doc, chunk.start, root.i + 1)
        of = next((c for c in root.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        of_end = _phrase_end(of) if of is not None else None
        if of_end is not None and of_end - root.i > MAX_OF_WORDS:
            of_end = None
        for begin in range(max(first, root.i - MAX_SUFFIXES), root.i + 1):
            kind = "chunk" if begin == first else "head" if begin == root.i else "suffix"
            add(begin, chunk.end, root.i, kind)
            if of_end is not None:
                add(begin, of_end, root.i, f"{kind}_of")
        for mod in doc[first : root.i]:
            if not _modifier(mod):
                continue
            begin = mod.i  # with the modifiers just before it: "shining path" of "shining path terrorists"
            while begin > max(first, mod.i - 3) and _modifier(doc[begin - 1]):
                begin -= 1
            for b in range(begin, mod.i + 1):
                add(b, mod.i + 1, mod.i, "mod")
    for ent in doc.ents:
        if ent.label_ in {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}:
            continue
        add(ent.start, ent.end, ent.root.i, "ent")
    return out


def _modifier(tok: Token) -> bool:
    return (
        tok.dep_ in {"compound", "amod", "nmod"}
        and tok.is_alpha
        and tok.pos_ in {"NOUN", "PROPN", "ADJ", "VERB"}
    )


def _phrase_end(prep: Token) -> int | None:
    """End of a preposition's phrase without what is coordinated or appended to its object: "of the
    judge" of "of the judge and a shining path office"."""
    pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    end = pobj.i
    for c in pobj.rights:
        if c.dep_ in {"cc", "conj", "punct", "relcl", "appos"}:
            break
        end = c.right_edge.i
    return end + 1


# -- features -----------------------------------------------------------------------------------------


class DocContext:
    """What features need of the whole Doc, computed once: trigger words, recurrence, sentence order."""

    def __init__(self, doc: Doc) -> None:
        self.triggers = event_words(doc)
        self.attack_sents = {t.sent.start for t in doc if _lemma(t) in ATTACK_WORDS}
        self.head_counts = Counter(_lemma(t) for t in doc if t.pos_ in {"NOUN", "PROPN"})
        self.sent_index = {s.start: n for n, s in enumerate(doc.sents)}
        self.n_attack = sum(1 for t in doc if _lemma(t) in ATTACK_WORDS)


def doc_features(doc: Doc) -> list[str]:
    """Bag of content lemmas and the number of attack words: what tells an attack report from a
    report of a battle, a policy speech or a trial (half of MUC-4's documents report no attack)."""
    lemmas = {
        _lemma(t) for t in doc if t.is_alpha and not t.is_stop and t.pos_ in {"NOUN", "VERB", "PROPN", "ADJ"}
    }
    n_attack = sum(1 for t in doc if _lemma(t) in ATTACK_WORDS)
    return ["bias", f"n_attack={_bucket(n_attack, (0, 1, 2, 4, 8))}", *(f"l={x}" for x in sorted(lemmas))]


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def trigger_tokens(doc: Doc) -> list[Token]:
    """The words a filler may belong to: the events stage's triggers (its lexicon, as verbs or nouns,
    names and dates excluded, as the events stage reads them), those of attack types when the Doc
    has any (a perpetrator belongs to the attack, not to the protest that followed it); only when
    there is no trigger at all, the casualty words (the events stage's events of their own)."""
    lexical = [
        t
        for t in doc
        if t.pos_ in {"VERB", "NOUN"}
        and t.ent_type_ not in {"PERSON", "ORG", "GPE", "DATE"}
        and (_lemma(t) in TRIGGER_TYPES or t.lower_ in TRIGGER_TYPES)
    ]
    attacks = [
        t for t in lexical if TRIGGER_TYPES.get(_lemma(t), TRIGGER_TYPES.get(t.lower_)) in ATTACK_TYPES
    ]
    if attacks or lexical:
        return attacks or lexical
    return [t for t in doc if t.pos_ in {"VERB", "NOUN", "ADJ"} and _lemma(t) in CASUALTY_LEMMAS]


def event_words(doc: Doc) -> list[Token]:
    """Verbs and nouns of :data:`EVENT_WORDS`: what the features measure paths and distances to."""
    return [t for t in doc if t.pos_ in {"VERB", "NOUN"} and _lemma(t) in EVENT_WORDS]


def nearest_trigger(tok: Token, triggers: Sequence[Token]) -> Token | None:
    """The trigger word nearest to ``tok``, preferring one of its own sentence."""
    same = [t for t in triggers if t.sent.start == tok.sent.start]
    pool = same or list(triggers)
    if not pool:
        return None
    return min(pool, key=lambda t: (abs(t.i - tok.i), t.i))


def dep_path(a: Token, b: Token, limit: int = 4) -> str:
    """The dependency path from ``a`` up to the lowest common ancestor and down to ``b``, as labels
    ("nsubj^" is "a is the subject of b"); "far" beyond ``limit`` steps."""
    up: list[Token] = [a]
    while up[-1].head.i != up[-1].i and len(up) <= 12:
        up.append(up[-1].head)
    up_index = {t.i: n for n, t in enumerate(up)}
    down: list[Token] = [b]
    while down[-1].i not in up_index and down[-1].head.i != down[-1].i and len(down) <= 12:
        down.append(down[-1].head)
    if down[-1].i not in up_index:
        return "none"
    n_up = up_index[down[-1].i]
    if n_up + len(down) - 1 > limit:
        return "far"
    ups = [t.dep_ + "^" for t in up[:n_up]]
    downs = [t.dep_ + "v" for t in reversed(down[:-1])]
    return "".join(ups + downs) or "self"


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _voice(trigger: Token) -> str:
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in trigger.children) or (
        trigger.tag_ == "VBN" and trigger.dep_ in {"acl", "relcl"}
    ):
        return "passive"
    return "active" if trigger.pos_ == "VERB" else trigger.pos_.lower()


def features(doc: Doc, cand: Candidate, context: DocContext) -> list[str]:
    """The sparse features of one candidate extent (strings; the model holds one weight row each)."""
    head = doc[cand.head]
    span = doc[cand.start : cand.end]
    lemma = _lemma(head)
    words = [t.lower_ for t in span if not t.is_punct]
    out = [
        "bias",
        f"x={cand.extent}",
        f"h={lemma}",
        f"hw={head.lower_}",
        f"hp={head.pos_}",
        f"hx={lemma}|{cand.extent}",
        f"len={min(len(words), 6)}",
        f"dep={head.dep_}",
        f"gov={_lemma(head.head)}",
        f"dep_gov={head.dep_}|{_lemma(head.head)}",
        f"ent={head.ent_type_ or '-'}",
        f"rec={min(context.head_counts[lemma], 4)}",
        f"sent={_bucket(context.sent_index.get(head.sent.start, 0), (0, 1, 2, 4, 8))}",
        f"attack_sent={head.sent.start in context.attack_sents}",
        f"doc_attack={_bucket(context.n_attack, (0, 1, 3, 6))}",
        f"first={words[0] if words else '-'}",
        f"last2={' '.join(words[-2:])}",
    ]
    out += [f"w={w}" for w in words if w not in DETERMINERS]
    out += [f"left={c.lower_}" for c in head.lefts if c.dep_ in {"amod", "compound", "nummod"}][:3]
    if cand.start > 0:
        out.append(f"prev={doc[cand.start - 1].lower_}")
    if cand.end < len(doc):
        out.append(f"next={doc[cand.end].lower_}")
    if head.dep_ == "pobj":
        prep = head.head
        out += [f"prep={prep.lower_}", f"prep_gov={prep.lower_}|{_lemma(prep.head)}"]
    if head.dep_ in {"appos", "conj"}:
        out.append(f"via={head.dep_}|{head.head.dep_}")
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        pobj = next((g for g in of.children if g.dep_ == "pobj"), None)
        if pobj is not None:
            out.append(f"of={_lemma(pobj)}")
    trigger = nearest_trigger(head, context.triggers)
    if trigger is None:
        out.append("trig=none")
        return out
    t_lemma = _lemma(trigger)
    same_sent = trigger.sent.start == head.sent.start
    path = dep_path(head, trigger) if same_sent else "other_sent"
    voice = _voice(trigger)
    out += [
        f"trig={t_lemma}",
        f"path={path}",
        f"path_trig={path}|{t_lemma}",
        f"path_voice={path}|{voice}",
        f"voice={voice}",
        f"dist={_bucket(abs(trigger.i - head.i), DISTANCE_BUCKETS)}",
        f"side={'before' if head.i < trigger.i else 'after'}",
        f"h_path={lemma}|{path}",
    ]
    if head.dep_ == "pobj":
        out.append(f"prep_path={head.head.lower_}|{path}")
    return out


# -- decoding -----------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(w for w in "".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def decode(
    doc: Doc,
    scored: Iterable[tuple[Candidate, Sequence[float]]],
    thresholds: dict[str, float],
    limits: dict[str, int] | None = None,
) -> list[RoleFiller]:
    """Per phrase the best role and score over its mentions; per (role, head lemma) the best extent;
    per role at most ``limits[role]`` fillers, the best-scoring (a report names few perpetrators).
    (Pooling a phrase's mentions by noisy-or instead of max was tried: tune role F1 0.467 -> 0.459.)"""
    triggers = trigger_tokens(doc)
    best: dict[str, tuple[float, str, Candidate]] = {}  # normalised text -> (score, role, first best)
    for cand, probas in scored:
        role_i = max(range(1, len(CLASSES)), key=lambda k: probas[k])
        role, p = CLASSES[role_i], probas[role_i]
        if p < thresholds.get(role, 0.5):
            continue
        key = _norm(doc[cand.start : cand.end].text)
        if not key:
            continue
        if key not in best or p > best[key][0]:
            best[key] = (p, role, cand)
    by_head: dict[tuple[str, str], tuple[float, Candidate]] = {}
    for p, role, cand in best.values():
        slot = (role, _lemma(doc[cand.head]))
        if slot not in by_head or p > by_head[slot][0]:
            by_head[slot] = (p, cand)
    out = []
    for (role, _), (p, cand) in by_head.items():
        anchor = nearest_trigger(doc[cand.head], triggers)
        out.append(
            RoleFiller(
                role=role,
                start=cand.start,
                end=cand.end,
                head=cand.head,
                score=round(p, 4),
                text=doc[cand.start : cand.end].text,
                anchor=anchor.i if anchor is not None else None,
            )
        )
    if limits:
        taken: Counter[str] = Counter()
        capped = []
        for f in sorted(out, key=lambda f: (-f.score, f.start)):
            taken[f.role] += 1
            if f.role not in limits or taken[f.role] <= limits[f.role]:
                capped.append(f)
        out = capped
    out.sort(key=lambda f: (f.start, f.role))
    return [f for f in out if not _restated(doc, f, out)]


def _restated(doc: Doc, filler: RoleFiller, fillers: Sequence[RoleFiller]) -> bool:
    """Is the filler a parenthesised restatement of the filler just before it, "the farabundo marti
    national liberation front (fmln)"? Then both name one participant, which is given once."""
    if filler.start < 1 or doc[filler.start - 1].text != "(":
        return False
    return any(f.role == filler.role and f.end == filler.start - 1 for f in fillers)


def _shipped() -> RoleModel | None:
    """The shipped model, or None while it is being built (``training/train_roles.py`` imports this
    module before the file exists); :func:`role_fillers` then raises E140."""
    if not resources.files("storyline.resources").joinpath("roles", MODEL_FILE).is_file():
        return None
    return RoleModel.load()


#: Read at import, i.e. when the events stage is constructed: no I/O when a Doc is processed.
MODEL = _shipped()


#: Key of the events stage's events in ``doc.user_data``: per event its type and trigger word indices.
EVENTS_KEY = "storyline.roles.events"


@dataclass(frozen=True)
class EventTriggers:
    """One event of the events stage as the fillers see it: its PLOVER type and trigger word indices."""

    etype: str
    triggers: tuple[int, ...]


def set_events(doc: Doc, events: Sequence[EventTriggers]) -> None:
    """Tell the fillers which events the events stage made (called before their arguments are built).

    Without it a filler belongs to the event of its nearest trigger *word*; but a trigger word often
    makes no event of its own (it merged into another, or the stage dropped it), and its fillers were
    then lost (about a tenth of them on MUC-4 train). With it, every filler joins a real event.
    """
    doc.user_data[EVENTS_KEY] = list(events)


def event_anchor(doc: Doc, head: int, events: Sequence[EventTriggers]) -> int | None:
    """The trigger word (of a real event) a filler with head token ``head`` belongs to: among the attack
    events when the Doc has any (a perpetrator belongs to the attack, not to the protest that followed
    it), the nearest trigger of the filler's own sentence, else the nearest in the Doc."""
    attacks = [e for e in events if e.etype in ATTACK_TYPES]
    pool = [i for e in (attacks or events) for i in e.triggers]
    if not pool:
        return None
    sent = doc[head].sent
    same = [i for i in pool if sent.start <= i < sent.end]
    return min(same or pool, key=lambda i: (abs(i - head), i))


def role_fillers(doc: Doc, triggers: Sequence[Token], model: RoleModel | None = None) -> list[RoleFiller]:
    """The role fillers of the event whose trigger words are ``triggers``: those of the Doc whose
    nearest trigger word is one of them (a filler belongs to one event). When the events stage told
    which events it made (:func:`set_events`), nearest among those events' triggers. In document order."""
    model = model or MODEL
    if model is None:
        raise StorylineError("E140", path=MODEL_FILE, reason="not found")
    wanted = {t.i for t in triggers if t.doc is doc}  # a headline's trigger belongs to the title's Doc
    events = doc.user_data.get(EVENTS_KEY)
    if isinstance(events, list) and events:
        return [f for f in model.fillers(doc) if event_anchor(doc, f.head, events) in wanted]
    return [f for f in model.fillers(doc) if f.anchor in wanted]


def filler_span(doc: Doc, filler: RoleFiller) -> Span:
    """The filler's tokens as a spaCy span."""
    return doc[filler.start : filler.end]


#: The event argument list each role goes to: perpetrators are who, targets and victims whom.
WHO_ROLES = frozenset({"PerpInd", "PerpOrg"})
WHOM_ROLES = frozenset({"Target", "Victim"})


def with_role_fillers(
    doc: Doc,
    triggers: Sequence[Token],
    who: list[Argument],
    whom: list[Argument],
    how: list[OutSpan],
    *,
    model: RoleModel | None = None,
) -> tuple[list[Argument], list[Argument], list[OutSpan], list[Argument]]:
    """The event's who/whom/how with the learned fillers added after the parse's own arguments, and
    its instruments (the Weapon fillers as arguments with ``role`` "Weapon").

    The parse's arguments come first and are kept (the first ``who`` is the event's answer to "who?"):
    a filler with the same words as one of them only lends it its role; any other filler is appended
    (perpetrators to ``who``, targets and victims to ``whom``), unless the parse gave its words to the
    other side. A weapon is also added to ``how`` (unless a ``how`` span has its words), but ``how``
    spans carry no role, so the instruments list is where a reader (the MUC-4 adapter) tells a weapon
    from a manner ("ambush", "in cold blood").
    """
    from storyline.components.entities import entity_at

    who, whom, how = list(who), list(whom), list(how)
    instruments: list[Argument] = []
    for filler in role_fillers(doc, triggers, model):
        span = doc[filler.start : filler.end]
        start, end = span.start_char, span.end_char
        if filler.role == "Weapon":
            out = OutSpan(start=start, end=end, text=span.text)
            if not any(s.start < end and start < s.end for s in how):
                how.append(out)
            instruments.append(Argument(text=span.text, span=out, role="Weapon"))
            continue
        args = who if filler.role in WHO_ROLES else whom
        other = whom if filler.role in WHO_ROLES else who
        if any(_overlaps(a, start, end) for a in other):
            continue  # the parse put it on the other side: trust the parse
        key = _norm(span.text)
        hit = next((k for k, a in enumerate(args) if _overlaps(a, start, end) and _norm(a.text) == key), None)
        if hit is not None:
            if args[hit].role is None:
                args[hit] = args[hit].model_copy(update={"role": filler.role})
            continue
        if any(a.role == filler.role and _overlaps(a, start, end) for a in args):
            continue
        # a filler inside a longer parse argument ("gustavo alvarez" of "former honduran armed forces
        # chief general gustavo alvarez") is added beside it: the parse's argument stays as it was
        out = OutSpan(start=start, end=end, text=span.text)
        args.append(Argument(text=span.text, span=out, entity=entity_at(doc, start, end), role=filler.role))
    return who, whom, how, instruments


def _overlaps(arg: Argument, start: int, end: int) -> bool:
    return arg.span is not None and arg.span.start < end and start < arg.span.end
