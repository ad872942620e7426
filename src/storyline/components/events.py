"""The events stage: what happened, to whom, when, where, how, why, with casualties bound to it.

Cascade:
1. triggers: verbs and nouns from ``lexicons/event_triggers.txt`` (PLOVER types and modes);
2. casualty statements: a kill word ("killed", "died", "dead") or a harm word ("injured",
   "wounded", "shot") and the people it is said of, read as a :class:`Quantity`;
3. binding: a casualty statement belongs to the trigger it is syntactically attached to ("killed
   ... when a truck plowed", "injured in the shootout"), else to the sentence's trigger, else it is
   an event of its own;
4. merging: mentions of one event ("the attack", "Monday's attack", "the shootout") join the most
   recent event of the same type whose time and place do not contradict theirs;
5. arguments: who/whom from the parse and the entities' clusters; when from the times stage
   (:func:`~storyline.components.times.event_time`); where from the places stage
   (:func:`~storyline.components.places.event_place`); how (mode words, instruments); why (cause
   and purpose clauses);
6. factuality (:mod:`.factuality`): occurred / alleged / planned / threatened / hypothetical / negated.
A victim counted once stays counted once: the same person killed in three sentences is one death.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from storyline.components.entities import entity_at
from storyline.components.factuality import status_of
from storyline.components.fivew1h import manner_spans
from storyline.components.geo.ranker import haversine_km
from storyline.components.headline import CONFIDENCE_HEADLINE, Headline, headline, predicate_phrase
from storyline.components.quantities import merge_counts, victims_quantity
from storyline.components.roles import (  # hook (roles): learned role fillers
    EventTriggers,
    set_events,
    with_role_fillers,
)
from storyline.model import Argument, Event, EventPlace, EventTime, Place, Quantity, Span
from storyline.resources import lexicon

TRIGGERS: dict[str, tuple[str, str | None]] = {
    lemma: (etype, None if mode == "-" else mode)
    for lemma, etype, mode in (line.split("\t") for line in lexicon("event_triggers"))
}
KILL_WORDS = frozenset(
    {"kill", "die", "dead", "slay", "murder", "fatally", "execute", "killed", "succumb", "perish"}
)
HARM_WORDS = frozenset({"injure", "wound", "hurt", "hospitalize", "injured", "wounded", "shoot", "stab"})
INSTRUMENTS = frozenset(
    [
        "gun",
        "guns",
        "rifle",
        "rifles",
        "pistol",
        "pistols",
        "handgun",
        "shotgun",
        "knife",
        "knives",
        "machete",
        "truck",
        "lorry",
        "car",
        "van",
        "vehicle",
        "bomb",
        "bombs",
        "explosive",
        "explosives",
        "grenade",
        "grenades",
        "missile",
        "missiles",
        "rocket",
        "rockets",
        "drone",
        "drones",
        "weapon",
        "weapons",
        "firearm",
        "firearms",
    ]
)
MODE_OF_INSTRUMENT = {
    "gun": "firearms", "guns": "firearms", "rifle": "firearms", "rifles": "firearms", "pistol": "firearms",
    "pistols": "firearms", "handgun": "firearms", "shotgun": "firearms", "firearm": "firearms",
    "firearms": "firearms", "knife": "blade", "knives": "blade", "machete": "blade", "truck": "vehicle",
    "lorry": "vehicle", "car": "vehicle", "van": "vehicle", "vehicle": "vehicle", "bomb": "explosives",
    "bombs": "explosives", "explosive": "explosives", "explosives": "explosives", "grenade": "explosives",
    "missile": "aerial", "missiles": "aerial", "rocket": "aerial", "rockets": "aerial", "drone": "aerial",
}  # fmt: skip
#: "killed his son and then himself": the perpetrator among the dead.
REFLEXIVES = frozenset({"himself", "herself"})
CONDITIONS = frozenset({"critical", "stable", "serious", "fair", "grave", "good", "life-threatening"})
#: "suffered a gunshot wound", "was found with gunshot wounds": the subject was hurt.
WOUND_NOUNS = frozenset({"wound", "wounds", "injury", "injuries"})
WOUND_VERBS = frozenset({"suffer", "sustain", "receive", "have"})
WOUND_PREPS = frozenset({"with", "from", "for"})
HOSPITAL_VERBS = frozenset(
    {"be", "remain", "take", "transport", "rush", "treat", "hospitalize", "airlift", "stay", "send", "admit"}
    | {"fly", "bring", "carry", "drive"}
)
#: "treated at Erie County Medical Center": a hospital named as a medical or trauma center.
HOSPITAL_CENTERS = frozenset({"center", "centre"})
HOSPITAL_MODIFIERS = frozenset({"medical", "trauma"})
#: "was treated at the hospital": with "at", only verbs of care make a casualty.
AT_HOSPITAL_VERBS = frozenset({"treat", "hospitalize", "admit"})
CAUSE_MARKERS = frozenset({"because", "since", "as"})
CAUSE_PREPS = frozenset({"over", "because", "amid"})
#: Two places further apart than this are different event locations.
SAME_PLACE_KM = 40.0
CONFIDENCE_VERB = 0.7
CONFIDENCE_NOUN = 0.55
#: The type of a headline's main event that no PLOVER type (nor ACCIDENT, DISASTER) covers.
OTHER_TYPE = "OTHER"


@dataclass
class Mention:
    """One textual mention of an event, before merging."""

    trigger: Token
    etype: str
    mode: str | None
    killed: list[Quantity] = field(default_factory=list)
    injured: list[Quantity] = field(default_factory=list)
    killed_victims: set[str] = field(default_factory=set)
    injured_victims: set[str] = field(default_factory=set)
    #: "N people were shot": everyone hit, the dead included (GVA counts survivors as injured)
    shot: list[Quantity] = field(default_factory=list)
    #: a casualty statement with no event word of its own ("Two remain in critical condition")
    casualty_only: bool = False
    #: victim entity by the start offset of the quantity that names it
    victim_spans: dict[int, set[str]] = field(default_factory=dict)
    #: set on the main predicate of a headline Doc (the title pass)
    headline: Headline | None = None


@dataclass
class EventBuild:
    mentions: list[Mention]
    when: Any = None  # a storyline.model.Time
    where: Place | None = None

    @property
    def first(self) -> Mention:
        return self.mentions[0]


def _trigger_info(tok: Token) -> tuple[str, str | None] | None:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in {"VERB", "NOUN"} or tok.ent_type_ in {"PERSON", "ORG", "GPE", "DATE"}:
        return None
    info = TRIGGERS.get(lemma) or TRIGGERS.get(tok.lower_)
    if info is None:
        return None
    if lemma == "shoot" and tok.pos_ == "VERB" and any(c.lower_ in {"video", "film"} for c in tok.children):
        return None
    if lemma in {"plow", "plough", "ram"} and not (
        any(t.lower_ in MODE_OF_INSTRUMENT for t in tok.children if t.dep_ in {"nsubj", "nsubjpass"})
        or (tok.dep_ == "acl" and tok.head.lower_ in MODE_OF_INSTRUMENT)
    ):
        return None  # "a truck plowed into the market", not "farmers plowed the field"
    return info


def _victim_heads(pred: Token) -> list[Token]:
    """The people a kill/harm word is said of: passive subjects, objects, "left N dead", coordination."""
    heads = [c for c in pred.children if c.dep_ in {"nsubjpass", "dobj"}]
    # "killed his son and then himself": the parser hangs the reflexive on the verb
    heads += [c for c in pred.children if c.dep_ == "conj" and c.lower_ in REFLEXIVES]
    if pred.tag_ == "VBN" and not any(c.lemma_ == "have" for c in pred.children):
        # a bare participle is passive: "and dozens injured", "three people shot"
        heads += [c for c in pred.children if c.dep_ == "nsubj"]
    if (
        pred.lemma_.lower() in {"die", "dead"}
        or _passed_away(pred)
        or pred.dep_ == "acomp"
        or pred.pos_ == "ADJ"
    ):
        heads += [c for c in pred.children if c.dep_ == "nsubj"]
        if pred.dep_ in {"acomp", "oprd"}:
            heads += [c for c in pred.head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
        if pred.dep_ == "amod":  # "three dead"
            heads.append(pred.head)
    if pred.pos_ in {"PROPN", "NOUN", "ADJ"} and pred.lower_ in KILL_WORDS | HARM_WORDS:
        # headlinese: "1 Dead, 3 Injured", "1 teen dead": the count modifies the word itself
        heads += [
            c for c in pred.children if c.dep_ == "nummod" or (c.dep_ == "npadvmod" and c.pos_ == "NOUN")
        ]
    if pred.tag_ == "VBD" and _is_title(pred.doc) and not any(c.dep_ == "dobj" for c in pred.children):
        heads += [c for c in pred.children if c.dep_ == "nsubj"]  # headline "Man killed": a participle
    if pred.dep_ in {"xcomp", "oprd", "ccomp"} and pred.head.lemma_ == "leave":
        # "a shooting that left 16 people injured": the object of "left" is who was hurt
        heads += [c for c in pred.head.children if c.dep_ == "dobj" and c.i not in {h.i for h in heads}]
    if pred.dep_ == "conj" and pred.head.lemma_ == "leave" and pred.tag_ in {"VBD", "VBN"}:
        # "left a man dead and three others wounded": the parser makes the survivors a subject
        heads += [c for c in pred.children if c.dep_ == "nsubj" and c.i not in {h.i for h in heads}]
    if not heads and pred.dep_ == "conj":  # "Twelve people were killed and dozens injured"
        heads = [c for c in pred.head.children if c.dep_ in {"nsubjpass", "nsubj"}]
    if pred.dep_ in {"acl", "amod", "relcl"} and pred.head.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}:
        heads.append(pred.head)  # "the man killed", "two people injured", "others who were injured"
        heads = [h for h in heads if not (pred.dep_ == "relcl" and h.lower_ in {"who", "that"})]
    return [h for h in heads if _is_person_head(h)]


def _is_title(doc: Doc) -> bool:
    """Whether the Doc is an article's title (the title pass), where verbs lose their auxiliaries:
    "Man killed in shooting" is passive."""
    return Doc.has_extension("sl_field") and doc._.sl_field == "title"


def _victim_quantities(doc: Doc, heads: list[Token]) -> list[tuple[Token, Quantity]]:
    """Each victim phrase as a Quantity; coordinated phrases add up ("killed his wife and two sons" is
    three, "a man and a woman were shot" two), since one statement names each victim once."""
    out: list[tuple[Token, Quantity]] = []
    # "killed his son and then himself": a reflexive conjoined to the verb adds to its object
    reflexives = [h for h in heads if h.dep_ == "conj" and h.lower_ in REFLEXIVES]
    if reflexives and len(reflexives) < len(heads):
        heads = [h for h in heads if h.i not in {r.i for r in reflexives}]
    else:
        reflexives = []
    for n, head in enumerate(heads):
        q = victims_quantity(doc, head)
        if q is None:
            continue
        conjuncts = [c for c in head.conjuncts if c.i > head.i and _is_person_head(c)]
        if n == 0:
            conjuncts += reflexives
        more = [x for x in (victims_quantity(doc, c) for c in conjuncts) if x is not None]
        if more and all(x.value is not None for x in [q, *more]):
            total = sum(x.value or 0 for x in [q, *more])
            phrase = doc[head.left_edge.i : max(c.i for c in conjuncts) + 1]
            span = _span(phrase)
            q = Quantity(value=total, low=total, high=total, text=span.text, span=span)
        out.append((head, q))
    return out


def _is_person_head(h: Token) -> bool:
    """A token that can head a victim phrase; "A 3-year-old" is headed by the adjective "old", "injured
    nine more" by "more"."""
    return (
        h.pos_ in {"NOUN", "PROPN", "NUM", "PRON"}
        or (h.lower_ == "old" and h.i >= 2)
        or (h.lower_ == "more" and any(c.dep_ == "nummod" or c.like_num for c in h.children))
        or (h.lower_ == "another" and h.dep_ in {"nsubj", "nsubjpass", "dobj"})
    )


FATAL_MODIFIERS = frozenset({"fatal", "deadly", "fatally", "lethal"})
DEATH_NOUNS = frozenset({"death", "deaths", "killing", "killings", "murder", "murders", "homicide"})


def _noun_victims(pred: Token) -> list[Token]:
    """Victims of a nominal statement of death: "the fatal shooting of a student", "Amri's death"."""
    fatal_noun = pred.lower_ in DEATH_NOUNS or (
        pred.pos_ == "NOUN" and any(c.lower_ in FATAL_MODIFIERS for c in pred.children)
    )
    if not fatal_noun or pred.pos_ != "NOUN":
        return []
    heads = [
        g
        for c in pred.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj"
    ]
    heads += [c for c in pred.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN"}]
    return heads


def _passed_away(tok: Token) -> bool:
    """ "where he passed away two days later": a death told politely."""
    return tok.lemma_.lower() == "pass" and any(c.lower_ == "away" and c.dep_ == "prt" for c in tok.children)


def _is_fatal(pred: Token) -> bool:
    lemma = pred.lemma_.lower()
    if lemma in KILL_WORDS or pred.lower_ in KILL_WORDS or pred.lower_ in DEATH_NOUNS or _passed_away(pred):
        return True
    if pred.pos_ == "NOUN" and any(c.lower_ in FATAL_MODIFIERS for c in pred.children):
        return True
    # "shot and killed", "fatally shot", "shot dead", "shot to death"
    return (
        any(c.lower_ in {"fatally", "dead"} for c in pred.children)
        or any(c.dep_ == "conj" and c.lemma_.lower() in KILL_WORDS for c in pred.children)
        or any(
            c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children)
            for c in pred.children
        )
    )


def _fatal_share(tok: Token) -> Token | None:
    """The number of "six people were shot, one fatally": the dead among those hit. The survivors
    stay injured (the "shot" count minus the dead, see :func:`_with_shot`)."""
    if tok.lower_ != "fatally" or tok.head.i == tok.i:
        return None
    head = tok.head
    if head.lower_ in {"one", "two", "three", "four", "five"} or (head.like_num and head.pos_ == "NUM"):
        return head
    return None


#: "struck by gunfire", "hit by a stray bullet": shot, the dead among them or not.
STRIKE_VERBS = frozenset({"strike", "hit", "graze"})
GUNFIRE_NOUNS = frozenset({"gunfire", "bullet", "bullets", "round", "rounds", "shot", "shots", "shotgun"})


def _struck_by_fire(tok: Token) -> bool:
    """ "four victims who had been struck by gunfire": a passive of "strike"/"hit" whose agent is a
    bullet or gunfire says its subject was shot (counted like "shot": survivors are injured)."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in STRIKE_VERBS:
        return False
    return any(
        c.dep_ == "agent" and any(g.dep_ == "pobj" and g.lower_ in GUNFIRE_NOUNS for g in c.children)
        for c in tok.children
    )


def _wound_clause(tok: Token) -> Token | None:
    """The verb of "suffered a gunshot wound", "was found with gunshot wounds", "is being treated for
    injuries": its subject is a casualty. Not "died of his wounds", a death the kill word counts."""
    if tok.lower_ not in WOUND_NOUNS or tok.pos_ != "NOUN":
        return None
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in WOUND_VERBS:
        verb = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ in WOUND_PREPS and tok.head.head.pos_ == "VERB":
        verb = tok.head.head
    else:
        return None
    if verb.lemma_.lower() in KILL_WORDS or any(c.lemma_.lower() in KILL_WORDS for c in verb.children):
        return None
    return verb


def _fatal_wound(tok: Token) -> bool:
    """ "sustained a fatal wound": the wound killed."""
    return any(c.lower_ in FATAL_MODIFIERS for c in tok.children)


def _nearest_trigger(pred: Token, triggers: list[Token]) -> Token | None:
    """The trigger a casualty word attaches to: its own ancestors or descendants first, then the sentence."""
    if pred in triggers:
        return pred
    sent = [t for t in triggers if t.sent.start == pred.sent.start]
    if not sent:
        return None
    related = [t for t in sent if t in pred.subtree or pred in t.subtree or t in pred.ancestors]
    pool = related or sent
    return min(pool, key=lambda t: abs(t.i - pred.i))


class EventsStage:
    def __init__(self, verbs: frozenset[str] = frozenset()) -> None:
        #: English verb lemmas, to read headline verbs the tagger took for plural nouns
        self.verbs = verbs

    def __call__(self, doc: Doc) -> Doc:
        from storyline.components.places import event_place
        from storyline.components.times import event_time

        mentions = self._mentions(doc)
        # 1. mentions that govern one another in a sentence are one event ("killed ... when a truck
        #    plowed"); 2. those groups merge across sentences with the most recent compatible event.
        groups: list[list[Mention]] = []
        for m in mentions:
            group = next(
                (
                    g
                    for g in groups
                    if any(
                        _linked(x.trigger, m.trigger)
                        and (x.etype == m.etype or x.casualty_only or m.casualty_only)
                        for x in g
                    )
                ),
                None,
            )  # "threatened to bomb": a threat and a (threatened) attack stay two events
            if group is None:
                groups.append([m])
            else:
                group.append(m)
        builds: list[EventBuild] = []
        for group in groups:
            when = next((t for t in (event_time(doc, m.trigger) for m in group) if t is not None), None)
            # only a place the sentence itself gives is evidence for merging; the article-level
            # fallback of event_place (dateline, most-mentioned place) is used at the end
            where = next(
                (p for p in (_sentence_place(doc, m.trigger, event_place) for m in group) if p), None
            )
            target = self._merge_target(builds, group, when, where)
            if target is None:
                builds.append(EventBuild(list(group), when, where))
            else:
                target.mentions.extend(group)
                target.when = target.when or when
                if target.where is None or (where is not None and where.near == target.where.id):
                    target.where = where or target.where  # "Sesto San Giovanni, near Milan" is more precise
        for build in builds:
            if build.where is None:
                build.where = event_place(doc, build.first.trigger)
        # -- hook (roles): the events made, so each learned filler joins a real event
        made = [EventTriggers(b.first.etype, tuple(m.trigger.i for m in b.mentions)) for b in builds]
        set_events(doc, made)
        events = [self._event(doc, n, b) for n, b in enumerate(builds, start=1)]
        doc._.sl_events = events
        return doc

    # -- mentions ----------------------------------------------------------------------------
    def _mentions(self, doc: Doc) -> list[Mention]:
        triggers: list[Token] = []
        by_token: dict[int, Mention] = {}
        for tok in doc:
            info = _trigger_info(tok)
            if info is not None:
                triggers.append(tok)
                by_token[tok.i] = Mention(tok, info[0], info[1])
        self._headline_mention(doc, triggers, by_token)
        for tok in doc:
            lemma = tok.lemma_.lower()
            wound = _wound_clause(tok)
            condition = _condition_clause(tok) or wound
            share = _fatal_share(tok)
            if condition is not None:
                heads = [c for c in condition.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
                if wound is not None:  # the object of "suffered a wound" is the wound, not a victim
                    heads = [c for c in condition.children if c.dep_ in {"nsubj", "nsubjpass"}]
                heads = [h for h in heads if _is_person_head(h)]
                moved = [h for h in heads if h.dep_ == "dobj"]
                if moved and wound is None:  # "his parents drove him to the hospital": him, not them
                    heads = moved
            elif share is not None:
                heads = [share]
            elif _noun_victims(tok):
                heads = _noun_victims(tok)
            elif (
                lemma in KILL_WORDS
                or lemma in HARM_WORDS
                or tok.lower_ in KILL_WORDS | HARM_WORDS
                or _struck_by_fire(tok)
                or _passed_away(tok)
            ):
                heads = _victim_heads(tok)
            else:
                continue
            if not heads:
                continue
            fatal = _is_fatal(tok) if condition is None else (wound is not None and _fatal_wound(tok))
            trig = _nearest_trigger(tok, triggers)
            if trig is None:
                trig = tok  # "X died", "three injured": a statement that joins an event when merging
                if trig.i not in by_token:
                    by_token[trig.i] = Mention(trig, "ASSAULT", None, casualty_only=True)
            mention = by_token[trig.i]
            for head, q in _victim_quantities(doc, heads):
                if _aggregate_sentence(tok) and (q.value or q.low or 0) > AGGREGATE_MIN:
                    continue
                if condition is not None and wound is None and q.value is None:
                    continue  # "Victims were taken to hospitals": a restatement, the count is elsewhere
                victim = entity_at(doc, head.idx, head.idx + len(head.text)) if q.value == 1 else None
                if victim and q.span is not None:
                    mention.victim_spans.setdefault(q.span.start, set()).add(victim)
                if fatal:
                    mention.killed.append(q)
                    if victim:
                        mention.killed_victims.add(victim)
                elif (lemma == "shoot" or _struck_by_fire(tok)) and condition is None:
                    mention.shot.append(q)
                    if victim:
                        mention.injured_victims.add(victim)
                else:
                    mention.injured.append(q)
                    if victim:
                        mention.injured_victims.add(victim)
        return sorted(by_token.values(), key=lambda m: m.trigger.i)

    def _headline_mention(self, doc: Doc, triggers: list[Token], by_token: dict[int, Mention]) -> None:
        """The title pass: a headline's main predicate is an event mention even when no trigger word
        names it ("Chicago Cubs win World Series"), typed by the lexicon when it can be, else OTHER.
        Only headlines get this: their main clause is by definition what the article reports."""
        if not _is_title(doc):
            return
        found = headline(doc, self.verbs)
        if found is None:
            return
        tok = found.predicate
        mention = by_token.get(tok.i)
        if mention is None:
            info = TRIGGERS.get(tok.lemma_.lower()) or TRIGGERS.get(tok.lower_)
            etype, mode = info if info is not None else (OTHER_TYPE, None)
            mention = by_token[tok.i] = Mention(tok, etype, mode)
            triggers.append(tok)
        mention.headline = found

    # -- places and merging -------------------------------------------------------------------
    @staticmethod
    def _merge_target(
        builds: list[EventBuild], group: list[Mention], when: Any, where: Place | None
    ) -> EventBuild | None:
        m = group[0]
        for build in reversed(builds):
            if build.first.etype != m.etype and not all(x.casualty_only for x in group):
                continue
            if when is not None and build.when is not None and not _same_time(when, build.when):
                continue
            if where is not None and build.where is not None and _km(where, build.where) > SAME_PLACE_KM:
                continue
            victims = {v for x in group for v in x.killed_victims | x.injured_victims}
            shared_victim = bool(
                victims & {v for x in build.mentions for v in x.killed_victims | x.injured_victims}
            )
            anaphoric = any(
                x.trigger.pos_ == "NOUN" and any(c.dep_ in {"det", "poss"} for c in x.trigger.children)
                for x in group
            )
            time_or_place_match = (when is not None and build.when is not None) or (
                where is not None and build.where is not None
            )
            anchors = {a for x in group for a in _anchors(x.trigger)}
            shared_anchor = bool(anchors & {a for x in build.mentions for a in _anchors(x.trigger)})
            casualty_only = all(x.casualty_only for x in group)
            if shared_victim or anaphoric or time_or_place_match or shared_anchor or casualty_only:
                return build  # the most recent compatible event with evidence of identity
        return None

    # -- output --------------------------------------------------------------------------------
    def _event(self, doc: Doc, n: int, build: EventBuild) -> Event:
        head = max(
            build.mentions,
            key=lambda m: (
                m.headline is not None,  # the title pass: the headline's predicate names the event
                not m.casualty_only,
                bool(m.killed or m.injured or m.shot),
                m.trigger.pos_ == "VERB",
            ),
        )
        trigger = head.trigger
        killed = _count(build.mentions, "killed")
        injured = _with_shot(build.mentions, killed, _count(build.mentions, "injured"))
        who, whom = self._participants(doc, build.mentions)
        if head.headline is not None and head.headline.subject is not None and not who:
            subject = doc[head.headline.subject[0] : head.headline.subject[1]]
            entity = entity_at(doc, subject.start_char, subject.end_char)
            who = [Argument(text=subject.text, span=_span(subject), entity=entity)]
        phrase = head.headline.phrase if head.headline is not None else predicate_phrase(trigger)
        modes = [m.mode for m in build.mentions if m.mode]
        # "Gunmen kidnapped ...": what was done (an abduction) says more than what was carried
        mode = "abduct" if "abduct" in modes else next(iter(modes), None)
        how = self._how(doc, build.mentions)
        if mode is None:
            mode = next((MODE_OF_INSTRUMENT.get(s.text.split()[-1].lower()) for s in how), None)
        # -- hook (storyline.components.roles, owned by the templates work): the learned role fillers
        #    of this event's trigger words join who/whom/how after the parse's own arguments
        trigger_words = [m.trigger for m in build.mentions]
        who, whom, how, instruments = with_role_fillers(doc, trigger_words, who, whom, how)
        # -- end of hook
        when = EventTime(time=build.when.id, value=build.when.value) if build.when is not None else None
        where = event_where(doc, trigger, build.where)
        evidence = [_span(doc[m.trigger.sent.start : m.trigger.sent.end]) for m in build.mentions]
        return Event(
            id=f"v{n}",
            type=head.etype,
            mode=mode,
            trigger=_span(doc[trigger.i : trigger.i + 1]),
            status=status_of(trigger),
            who=who,
            whom=whom,
            when=when,
            where=where,
            how=how,
            instruments=instruments,
            why=self._why(doc, build.mentions),
            killed=killed,
            injured=injured,
            claims=self._claims(doc, build.mentions),
            evidence=_dedupe_spans(evidence),
            confidence=(
                CONFIDENCE_HEADLINE
                if head.headline is not None
                else CONFIDENCE_VERB
                if trigger.pos_ == "VERB"
                else CONFIDENCE_NOUN
            ),
            what=_span(doc[phrase[0] : phrase[1]]),
            manner=manner_spans(doc, [m.trigger for m in build.mentions]),  # 5W1H "how" (components/fivew1h)
        )

    @staticmethod
    def _participants(doc: Doc, mentions: list[Mention]) -> tuple[list[Argument], list[Argument]]:
        who: dict[str, Argument] = {}
        whom: dict[str, Argument] = {}
        headline_doc = _is_title(doc)
        for m in mentions:
            t = m.trigger
            if (
                t.dep_ == "acl"
                and t.tag_ == "VBN"
                and t.head.pos_ in {"NOUN", "PROPN"}
                and t.lemma_.lower() in KILL_WORDS | HARM_WORDS
            ):
                head = t.head  # "the man shot": the man is who it happened to
                entity = entity_at(doc, head.idx, head.idx + len(head.text))
                span = doc[head.left_edge.i : head.i + 1]
                whom.setdefault(
                    entity or span.text.lower(), Argument(text=span.text, span=_span(span), entity=entity)
                )
            # a headline's bare passive ("Clinton cleared by FBI", "Three killed"): its subject is who
            # it happened to, its "by" phrase who did it. Only in headlines: in running text a VBN
            # with a subject and no auxiliary is mostly a past tense the tagger mistook.
            bare_passive = (
                headline_doc and t.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in t.children)
            )
            for c in t.children:
                agent = c.dep_ == "agent" or (bare_passive and c.dep_ == "prep" and c.lower_ == "by")
                patient = c.dep_ in {"dobj", "nsubjpass"} or (bare_passive and c.dep_ == "nsubj")
                target = who if agent or (c.dep_ == "nsubj" and not patient) else whom if patient else None
                if agent:
                    c = next((g for g in c.children if g.dep_ == "pobj"), c)
                if target is None or c.pos_ not in {"NOUN", "PROPN", "PRON"}:
                    continue
                span = doc[c.left_edge.i : c.i + 1]
                entity = entity_at(doc, c.idx, c.idx + len(c.text))
                key = entity or span.text.lower()
                target.setdefault(key, Argument(text=span.text, span=_span(span), entity=entity))
            for victims in (m.killed, m.injured):
                for q in victims:
                    if q.span is None:
                        continue
                    entity = entity_at(doc, q.span.start, q.span.end)
                    key = entity or q.span.text.lower()
                    whom.setdefault(key, Argument(text=q.span.text, span=q.span, entity=entity))
        for key in list(whom):
            who.pop(key, None)
        return list(who.values()), list(whom.values())

    @staticmethod
    def _how(doc: Doc, mentions: list[Mention]) -> list[Span]:
        out: list[Span] = []
        for m in mentions:
            t = m.trigger
            if m.mode is not None and t.pos_ == "NOUN":
                out.append(_span(doc[t.i : t.i + 1]))  # "shootout", "bombing": the manner itself
            for tok in t.sent:
                if (
                    tok.lower_ in INSTRUMENTS
                    and tok.pos_ == "NOUN"
                    and (
                        tok.dep_ in {"dobj", "nsubj", "nsubjpass", "conj", "appos"}
                        or (tok.dep_ == "pobj" and tok.head.lower_ in {"with", "by", "from"})
                    )
                ):
                    mods = [c for c in tok.lefts if c.dep_ in {"compound", "amod", "nummod", "nmod"}]
                    start = min((c.left_edge.i for c in mods), default=tok.i)
                    out.append(_span(doc[start : tok.i + 1]))
        return _dedupe_spans(out)

    @staticmethod
    def _why(doc: Doc, mentions: list[Mention]) -> list[Span]:
        return cause_spans(doc, [m.trigger for m in mentions])

    @staticmethod
    def _claims(doc: Doc, mentions: list[Mention]) -> list[str]:
        claims = doc._.sl_claims or []
        out = []
        for c in claims:
            for m in mentions:
                if c.content.start <= m.trigger.idx < c.content.end and c.id not in out:
                    out.append(c.id)
        return out


#: Prepositions that put an event at a site ("protests outside Trump Tower", "met at the White House").
SITE_PREPS = frozenset({"at", "outside", "inside", "in", "into", "near", "on", "from"})
SITE_LABELS = frozenset({"FAC", "ORG", "GPE", "LOC"})
#: After these a proper noun is a site whatever NER calls it ("outside Trump Towers").
SITE_ONLY_PREPS = frozenset({"at", "outside", "inside", "near"})
NOT_SITES = frozenset({"PERSON", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"})


def event_where(doc: Doc, trigger: Token, place: Place | None) -> EventPlace | None:
    """The event's place, with the words that place it: a named site in a locative phrase of the
    trigger (or of the verb it depends on) when there is one, else the place's mention nearest the
    trigger. A site that is no gazetteer place ("Trump Tower") is the event's place only when the
    places stage found none: the place keeps the coordinates readers map."""
    site = _site(doc, trigger)
    if place is None:
        return EventPlace(name=site.text, span=site) if site is not None else None
    if site is None:
        mentions = [m for m in place.mentions if m.field != "title"]
        if mentions:
            site = min(
                mentions,
                key=lambda m: (
                    m.start < trigger.sent.start_char or m.start >= trigger.sent.end_char,
                    abs(m.start - trigger.idx),
                ),
            )
    return EventPlace(place=place.id, name=place.name, lat=place.lat, lon=place.lon, span=site)


def _site(doc: Doc, trigger: Token) -> Span | None:
    heads = [trigger] if trigger.head.i == trigger.i or trigger.pos_ == "VERB" else [trigger, trigger.head]
    for head in heads:
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in SITE_PREPS:
                continue
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                ent = next((e for e in doc.ents if e.start <= obj.i < e.end), None)
                if ent is not None and ent.label_ in SITE_LABELS:
                    return _span(ent)
                if prep.lower_ in SITE_ONLY_PREPS and obj.pos_ == "PROPN" and obj.ent_type_ not in NOT_SITES:
                    # "outside Trump Towers" (which NER may call a work of art): a named site
                    left = min(
                        (c.i for c in obj.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"), default=obj.i
                    )
                    return _span(doc[left : obj.i + 1])
    return None


#: Nouns of "in retaliation for", "in response to": the phrase gives the reason.
REASON_NOUNS = frozenset(
    {"retaliation", "response", "revenge", "reprisal", "protest", "reaction", "retribution"}
)
#: Verbs whose "on" phrase or, with "for", object is the cause: "blamed her defeat on Comey",
#: "blames Comey for her defeat".
BLAME_VERBS = frozenset({"blame", "credit"})
#: Verbs whose "for"/"of"/"over" phrase is the reason: "arrested for fraud", "accused of impropriety".
REASON_VERBS = frozenset(
    {"accuse", "criticize", "criticise", "arrest", "charge", "sue", "fine", "praise", "hail", "punish",
     "condemn", "convict", "sentence", "apologize", "apologise"}
)  # fmt: skip
#: Subordinators of a cause clause ("as" and "since" are mostly temporal in news, so not these).
CAUSE_CLAUSE_MARKS = frozenset({"because"})


def cause_spans(doc: Doc, triggers: list[Token], max_rank: int = 3) -> list[Span]:
    """Why the event happened, by the trigger's dependents (or, for a noun, its verb's), in order of
    reliability: an explicit cause ("because ...", "due to", "in retaliation for"), a cause phrase
    of the trigger ("over", "amid", "blamed ... on", "arrested for"), an "after" clause or phrase
    (news reports consequences "after" their cause: "died after a tram derailed"), then a purpose
    ("to meet Obama"). Only
    ranks up to ``max_rank`` (0 to 3, in that order) are given."""
    found: list[tuple[int, int, Span]] = []
    for t in triggers:
        heads = [t, t.head] if t.pos_ == "NOUN" and t.head.i != t.i else [t]
        for node in heads:
            lemma = node.lemma_.lower()
            for c in node.children:
                marks = {g.lower_ for g in c.children if g.dep_ == "mark"}
                clause = _span(doc[c.left_edge.i : c.right_edge.i + 1])
                phrase = _span(doc[c.i : c.right_edge.i + 1])
                objects = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
                if (c.dep_ == "advcl" and marks & CAUSE_CLAUSE_MARKS) or (
                    c.dep_ == "prep"
                    and (
                        (c.lower_ in {"because", "due"} and any(g.lower_ in {"of", "to"} for g in c.children))
                        or (
                            c.lower_ in {"in", "as"}
                            and any(
                                g.lemma_.lower() in REASON_NOUNS and any(x.dep_ == "prep" for x in g.children)
                                for g in objects
                            )  # "in retaliation for X", not "march in protest"
                        )
                    )
                ):
                    found.append((0, c.i, clause if c.dep_ == "advcl" else phrase))
                elif c.dep_ == "prep" and (
                    c.lower_ in CAUSE_PREPS
                    or (c.lower_ == "on" and lemma in BLAME_VERBS and c.i > node.i)
                    or (c.lower_ in {"for", "of", "over"} and lemma in REASON_VERBS and c.i > node.i)
                ):
                    found.append((1, c.i, phrase))
                elif (
                    c.dep_ == "dobj"
                    and lemma in BLAME_VERBS
                    and any(g.dep_ == "prep" and g.lower_ == "for" for g in node.children)
                ):
                    found.append((1, c.i, _span(doc[c.left_edge.i : c.right_edge.i + 1])))
                elif (c.dep_ == "advcl" and "after" in marks) or (
                    c.dep_ == "prep" and c.lower_ in {"after", "following"} and objects
                ):
                    found.append((2, c.i, clause if c.dep_ == "advcl" else phrase))
                elif c.dep_ == "advcl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                    found.append((3, c.i, clause))
    found = [f for f in found if f[0] <= max_rank and not _is_time_phrase(doc, f[2])]
    return _dedupe_spans([span for _, _, span in sorted(found, key=lambda f: (f[0], f[1]))])


def _is_time_phrase(doc: Doc, span: Span) -> bool:
    """ "after midnight", "just after 3am local time"? A phrase that is only a time is no cause.

    A word counts as time when the NER tags it DATE/TIME or it lies inside a time expression the
    times stage found (which reads "3am local time" whole, where the NER stops at "3am")."""
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    if words is None:
        return False
    times = [(t.span.start, t.span.end) for t in (doc._.sl_times or [])]  # offsets into this Doc

    def timed(tok: Token) -> bool:
        end = tok.idx + len(tok)
        return tok.ent_type_ in {"DATE", "TIME"} or any(a <= tok.idx and end <= b for a, b in times)

    content = [t for t in words[1:] if not (t.is_punct or t.pos_ in {"DET", "ADP"})]
    return bool(content) and all(timed(t) for t in content)


def _sentence_place(doc: Doc, trigger: Token, event_place: Any) -> Place | None:
    place: Place | None = event_place(doc, trigger)
    if place is None or place.type not in {None, "literal"}:
        return None  # "Berlin terror suspect": a modifier names no event location
    sent = trigger.sent
    in_sentence = any(
        m.field != "title" and sent.start_char <= m.start < sent.end_char for m in place.mentions
    )
    return place if in_sentence else None


def _same_time(a: Any, b: Any) -> bool:
    """Two times can be one event's when their intervals overlap ("Monday" and "this week")."""
    if a.interval and b.interval:
        return bool(a.interval[0] < b.interval[1] and b.interval[0] < a.interval[1])
    return bool(a.value[:10] == b.value[:10])


ANCHOR_DEPS = frozenset({"compound", "poss", "pobj", "dobj", "nmod"})


def _anchors(trigger: Token) -> set[str]:
    """Content nouns that pin an event mention down: "the Berlin Christmas *market* attack", "plowed
    into the busy *market*". Two mentions sharing one are the same event (argument overlap)."""
    out = set()
    nodes = [trigger, *[c for c in trigger.children if c.dep_ == "prep"]]
    for node in nodes:
        for c in node.children:
            if c.dep_ in ANCHOR_DEPS and c.pos_ in {"NOUN", "PROPN"} and c.ent_type_ not in {"DATE", "TIME"}:
                out.add(c.lemma_.lower())
    for c in trigger.children:  # the trigger's own clause: "a truck plowed into the market"
        if c.dep_ in {"advcl", "acl", "conj", "dobj"}:
            out |= {
                g.lemma_.lower()
                for p in c.children
                if p.dep_ == "prep"
                for g in p.children
                if g.dep_ == "pobj"
            }
    return out - {"people", "person", "man", "woman", "police", "time", "year", "day", "week"}


#: A count above this in a sentence about a period ("this year", "since 2010") is a running total.
AGGREGATE_MIN = 3


#: Month names: a bare month ("in November alone") dates a period, not an incident.
MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october"}
    | {"november", "december"}
)


def _aggregate_sentence(tok: Token) -> bool:
    """Is this a statement about a period rather than one incident ("400 people killed this year",
    "at least 80 people were killed in November alone")? A bare month is a period: an incident's
    date names its day."""
    for ent in tok.sent.ents:
        if ent.label_ == "DATE" and (
            any(w in ent.text.lower() for w in ("year", "decade", "month", "so far"))
            or ent.text.isdigit()
            or (len(ent) == 1 and ent[0].lower_ in MONTHS)
        ):
            return True
    return any(t.lower_ in {"annually", "since"} for t in tok.sent)


def _condition_clause(tok: Token) -> Token | None:
    """The clause verb of "in critical condition" / "in the hospital" statements, which report injuries."""
    hospital = tok.lower_ in {"hospital", "hospitals"} or (
        tok.lower_ in HOSPITAL_CENTERS and any(c.lower_ in HOSPITAL_MODIFIERS for c in tok.children)
    )
    # "another is fighting for her life": a survivor, gravely hurt
    fighting = tok.lower_ in {"life", "lives"} and tok.head.lower_ == "for"
    fighting = fighting and tok.head.head.lemma_ == "fight"
    if (
        (tok.lower_ == "condition" and any(c.lower_ in CONDITIONS for c in tok.children))
        or (hospital and tok.dep_ == "pobj" and tok.head.lower_ in {"in", "to", "at"})
        or fighting
    ):
        node = tok
    else:
        return None
    while node.head.i != node.i and node.pos_ not in {"VERB", "AUX"}:
        node = node.head
    if tok.head.lower_ == "at" and node.lemma_.lower() not in AT_HOSPITAL_VERBS:
        return None  # "his mother was at the hospital": a visit, not a casualty
    if node.pos_ in {"VERB", "AUX"} and (
        node.lemma_.lower() in HOSPITAL_VERBS or tok.lower_ == "condition" or fighting
    ):
        return node
    return None


def _linked(a: Token, b: Token) -> bool:
    """Two triggers of one sentence describe one event when one governs the other ("killed ... when a
    truck plowed", "injured in the shootout"); a noun modifying a person ("attack suspect") does not."""
    if a.sent.start != b.sent.start:
        return False
    for x, y in ((a, b), (b, a)):
        if y in x.subtree and not (
            y.dep_ == "compound" and y.head.pos_ in {"NOUN", "PROPN"} and y.head.i != x.i
        ):
            return True
    return False


def _count(mentions: list[Mention], kind: str) -> Quantity | None:
    quantities = [q for m in mentions for q in getattr(m, kind)]
    if kind == "injured":
        # a person both shot and killed is a death, not an injury
        dead = {v for m in mentions for v in m.killed_victims}
        quantities = [q for q in quantities if not (q.value == 1 and _victim_of(q, mentions) & dead)]
    if kind == "injured" and any(m.killed for m in mentions):
        # "A man was shot ... He was taken to the hospital, where he died": a lone "he" / "the victim"
        # hurt in an event with deaths names someone already counted, most often the dead
        quantities = [q for q in quantities if not _anaphoric_one(q)]
        dead_heads = {_head_word(q) for m in mentions for q in m.killed if q.value == 1}
        quantities = [q for q in quantities if not (q.value == 1 and _head_word(q) in dead_heads - {""})]
    victims = {v for m in mentions for v in getattr(m, f"{kind}_victims")}
    # "fatally shot his wife and two sons before killing himself": the shooter is one more death
    selves = [q for q in quantities if q.text.lower() in REFLEXIVES]
    others = [q for q in quantities if q.text.lower() not in REFLEXIVES]
    if kind == "killed" and selves and others and not any(_names_self(q) for q in others):
        base = merge_counts(others)
        if base is not None and base.value is not None:
            n = base.value + 1
            return Quantity(value=n, low=n, high=n, text=base.text, span=base.span)
    merged = merge_counts(quantities)
    if merged is None:
        return None
    # individuals named one by one: the distinct victims, when that says more than any one figure
    if victims and len(victims) > (merged.value or merged.low or 0):
        n = len(victims)
        return Quantity(value=n, low=n, high=n, text=merged.text, span=merged.span)
    return merged


ANAPHORS = frozenset({"he", "she", "him", "her"})


def _anaphoric_one(q: Quantity) -> bool:
    """One person named by a pronoun or a definite description ("he", "the victim", "the 17-year-old"),
    not "the other man": a reference back to someone the text has counted already."""
    words = q.text.lower().split()
    if q.value != 1 or not words or any(w in OTHER_WORDS or w == "another" for w in words):
        return False
    return (len(words) == 1 and words[0] in ANAPHORS) or (words[0] == "the" and len(words) <= 3)


def _head_word(q: Quantity) -> str:
    """The last word of a one-person phrase without a count of its own ("a 16-year-old", "Man"), so
    "killed a 16-year-old" and "critically injured a 16-year-old" are one victim; "" for "one man",
    "another man", whose wording sets a second person apart."""
    words = q.text.lower().split()
    if not words or any(w in OTHER_WORDS or w in {"another", "one", "1", "second"} for w in words):
        return ""
    return words[-1]


def _names_self(q: Quantity) -> bool:
    """Whether a victim phrase already counts the perpetrator ("his son and then himself")."""
    return any(word in REFLEXIVES for word in q.text.lower().split())


def _with_shot(mentions: list[Mention], killed: Quantity | None, injured: Quantity | None) -> Quantity | None:
    """Survivors of "N people were shot" are injured: N minus the dead, when that says more."""
    shot = merge_counts([q for m in mentions for q in m.shot])
    if shot is None:
        return injured
    dead = (killed.value or killed.low or 0) if killed is not None else 0
    total = shot.value if shot.value is not None else shot.low
    if total is None:
        return injured
    survivors = max(0, total - dead)
    current = (injured.value or injured.low or 0) if injured is not None else 0
    if survivors > current:
        exact = shot.value is not None
        return Quantity(
            value=survivors if exact else None,
            low=survivors,
            high=survivors if exact else None,
            text=shot.text,
            span=shot.span,
        )
    if injured is None and shot.value is not None:
        return Quantity(value=survivors, low=survivors, high=survivors, text=shot.text, span=shot.span)
    return injured


def _victim_of(q: Quantity, mentions: list[Mention]) -> set[str]:
    return {
        v
        for m in mentions
        for v in m.injured_victims
        if q.span is not None and v in m.victim_spans.get(q.span.start, set())
    }


#: Event statuses that report something that happened (not planned, hypothetical or denied).
REPORTED_STATUSES = frozenset({"occurred", "alleged"})
#: "Three others were taken to hospitals": survivors counted apart from the dead already named.
OTHER_WORDS = frozenset({"other", "others", "more", "remaining"})


def figure(quantity: Quantity | None) -> int | None:
    """A Quantity as one number: its value, else its lower bound ("at least 3" is 3, "dozens" is 24)."""
    if quantity is None:
        return None
    return quantity.value if quantity.value is not None else quantity.low


def _counted(event: Event) -> bool:
    return event.status in REPORTED_STATUSES and (event.killed is not None or event.injured is not None)


def _text_order(event: Event) -> tuple[bool, int]:
    """Headline first (an event found in the title), then body offset."""
    return (event.trigger.field != "title", event.trigger.start)


def _same_incident(event: Event, other: Event) -> bool:
    """A later mention of the same incident: same type, counted, and no other place or day.

    The stage keeps such mentions apart when nothing in their sentences proves identity (a bare "The
    17-year-old died" two paragraphs on); for the incident's totals, not contradicting is enough."""
    if other.id == event.id or other.type != event.type or not _counted(other):
        return False
    if event.where is not None and other.where is not None and event.where.name != other.where.name:
        return False
    a = event.when.value if event.when is not None else None
    b = other.when.value if other.when is not None else None
    return a is None or b is None or a[:10] == b[:10]


def _names_others(quantity: Quantity) -> bool:
    return any(word in OTHER_WORDS for word in quantity.text.lower().split())


def incident_totals(events: list[Event]) -> list[Event]:
    """Each counted event's killed/injured as the incident's totals over all its mentions.

    Reports spread one incident's figures over sentences the stage cannot link ("a teenager was shot
    on Elm Street ... the 17-year-old died from his wounds"; "one man was killed ... Two others were
    taken to hospitals"). For every reported event that gives a figure, a missing death figure comes
    from the first later mention of the same incident (:func:`_same_incident`), and then a lone person
    hurt is the one who died, not one more casualty; a missing injured figure comes from a later "N
    others" (survivors counted apart from the dead). The statements used are cited in ``evidence``.
    Runs over the article's whole event list (title events included), so a headline's "1 dead" and
    the body's "two others were wounded" make one incident.
    """
    ordered = sorted(events, key=_text_order)
    out: dict[str, Event] = {}
    for event in ordered:
        if not _counted(event) or (event.killed is not None and event.injured is not None):
            continue
        later = [e for e in ordered if _text_order(e) > _text_order(event) and _same_incident(event, e)]
        killed, injured = event.killed, event.injured
        donors: list[Event] = []
        if killed is None:
            donor = next((e for e in later if figure(e.killed) is not None), None)
            if donor is not None:
                killed = donor.killed
                donors.append(donor)
                if figure(killed) and figure(injured) == 1:
                    injured = None  # the one person hurt is the one who died
        if injured is None:
            donor = next((e for e in later if e.injured is not None and _names_others(e.injured)), None)
            if donor is not None:
                injured = donor.injured
                donors.append(donor)
        if donors:
            seen = {(s.field, s.start, s.end) for s in event.evidence}
            extra = [s for d in donors for s in d.evidence if (s.field, s.start, s.end) not in seen]
            out[event.id] = event.model_copy(
                update={"killed": killed, "injured": injured, "evidence": [*event.evidence, *extra]}
            )
    return [out.get(e.id, e) for e in events]


def _km(a: Place, b: Place) -> float:
    if a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return 0.0
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _span(span: Any) -> Span:
    return Span(start=span.start_char, end=span.end_char, text=span.text)


def _dedupe_spans(spans: list[Span]) -> list[Span]:
    seen: set[tuple[int, int]] = set()
    out = []
    for s in spans:
        if (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            out.append(s)
    return out


@Language.factory("storyline_events", assigns=["doc._.sl_events"])
def make_events(nlp: Language, name: str) -> EventsStage:
    verbs: frozenset[str] = frozenset()
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            verbs = frozenset(lookups.get_table("lemma_index").get("verb", []))
    return EventsStage(verbs)
