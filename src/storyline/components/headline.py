"""The headline's main predicate and the compact "what" phrase of an event mention.

A news headline states the article's main event in one clause ("Trump meets with Obama at the White
House as whirlwind transition starts"), but it is written in headlinese: present tense, no articles,
often a topic before a colon ("Croydon tram crash: Driver arrested as ...") or a quotation. spaCy's
small model, trained on running text, often reads a headline verb in -s as a plural noun ("Donald
Trump *lands* in Washington", "Toblerone *shrinks* chocolate bar"). :func:`headline` finds the
predicate anyway: finite verbs of the parse, plus a plural noun in verb position (after a noun, before
an argument) whose base form is an English verb; the one highest in the tree wins, outside quotations.

:func:`predicate_phrase` gives the compact answer to "what happened" for any trigger: the trigger with
its auxiliaries, negation, objects, complements and one prepositional phrase, without its subject and
without the clauses hanging off it ("as ...", "after ...", "and ..."). The events stage stores it as
``Event.what``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from spacy.tokens import Doc, Token

#: The confidence of a headline's main event: a headline's main clause states the article's event,
#: the surest trigger there is (the events stage sets it; the main-event ranking reads it).
CONFIDENCE_HEADLINE = 0.8
QUOTES = frozenset({"'", '"', "‘", "’", "“", "”", "``", "''"})
#: Tokens that split a headline into segments: "Topic: headline", "headline | site".
SEGMENT_BREAKS = frozenset({":", "|", "–", "—", ";"})
FINITE_TAGS = frozenset({"VBZ", "VBP", "VBD", "VBN"})
#: A reporting verb heads its report in a headline ("FBI has found no wrongdoing, says Comey").
SPEECH_VERBS = frozenset({"say", "tell", "claim", "report", "announce", "reveal", "confirm"})
#: Dependents that are not part of what happened: the subject and the clauses attached to the verb.
OFF_PHRASE = frozenset(
    {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "mark", "cc", "conj", "advcl", "punct",
     "parataxis", "dep", "intj", "relcl", "acl", "appos", "meta"}
)  # fmt: skip
#: Tokens that may follow a headline verb that the tagger read as a plural noun.
ARGUMENT_POS = frozenset({"DET", "ADP", "PROPN", "NOUN", "ADJ", "NUM", "PRON", "ADV", "PART"})
#: Where a headline clause ends when the parse is not trusted.
CLAUSE_END_POS = frozenset({"SCONJ", "CCONJ"})
CLAUSE_END_WORDS = frozenset({",", ";", ":", "as", "while", "|", "–", "—", "to"})
#: Punctuation that ends a phrase; other marks (hyphens, quotes) sit inside one ("90-minute").
PHRASE_BREAKS = frozenset({",", ";", ":", "|", "–", "—", "(", ")", "--"})
#: Verbs whose infinitive complement is part of what happened ("trying to reach the boy").
CATENATIVE = frozenset(
    {"try", "want", "plan", "seek", "attempt", "hope", "need", "fail", "begin", "start", "continue",
     "refuse", "agree", "decide", "promise", "vow", "threaten", "manage", "aim", "be", "have", "get",
     "go", "come", "help", "struggle", "prepare", "expect", "intend"}
)  # fmt: skip


@dataclass(frozen=True)
class Headline:
    """The main predicate of a headline, with the token ranges ``[start, end)`` around it."""

    predicate: Token
    #: the subject when the parse does not give one (a verb the tagger read as a noun)
    subject: tuple[int, int] | None
    #: the "what" phrase: the predicate with its objects and complements
    phrase: tuple[int, int]


def _segments(doc: Doc) -> list[int]:
    """Segment number of every token: a break (":", "|", a spaced dash) starts a new segment."""
    out, n = [], 0
    for tok in doc:
        spaced_dash = (
            tok.text == "-" and bool(tok.whitespace_) and tok.i > 0 and bool(doc[tok.i - 1].whitespace_)
        )
        if tok.text in SEGMENT_BREAKS or spaced_dash:
            n += 1
        out.append(n)
    return out


def _quoted(doc: Doc) -> set[int]:
    """Token indices inside quotation marks (a quoted remark is not the headline's own statement)."""
    inside, out = False, set()
    for tok in doc:
        if tok.text in QUOTES:
            inside = not inside
        elif inside:
            out.add(tok.i)
    return set() if inside else out  # an unclosed quote was an apostrophe after all


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


def _finite(tok: Token) -> bool:
    """A verb that can head a headline's clause: finite, with a modal ("may bring"), or a bare
    progressive at the root ("Justice Department investigating Ford")."""
    if tok.tag_ in FINITE_TAGS:
        return True
    if tok.tag_ == "VB":
        return any(c.tag_ == "MD" for c in tok.children)
    return tok.tag_ == "VBG" and tok.dep_ == "ROOT"


def _noun_read_verb(tok: Token, segment: list[int], verbs: Collection[str]) -> bool:
    """A headline verb the tagger read as a noun: "Trump *lands* in", "bomber *rams* truck", and after
    a plural subject the base form, "Thousands *march* in"."""
    doc = tok.doc
    if tok.i == 0 or tok.i + 1 >= len(doc):
        return False
    prev, nxt = doc[tok.i - 1], doc[tok.i + 1]
    third_person = tok.tag_ == "NNS" and tok.lower_.endswith("s")
    plural_subject = tok.tag_ == "NN" and prev.tag_ in {"NNS", "NNPS"}
    if not (third_person or plural_subject):
        return False
    if segment[prev.i] != segment[tok.i] or prev.pos_ not in {"PROPN", "NOUN"}:
        return False
    if nxt.pos_ not in ARGUMENT_POS or nxt.text in QUOTES:
        return False
    return tok.lemma_.lower() in verbs


def headline(doc: Doc, verbs: Collection[str]) -> Headline | None:
    """The main predicate of a headline Doc (see the module docstring); None for a verbless headline.

    ``verbs`` is the set of English verb lemmas (the lemmatizer's index), loaded once by the caller.
    """
    segment = _segments(doc)
    quoted = _quoted(doc)
    candidates: list[tuple[Token, bool]] = []
    for tok in doc:
        if tok.i in quoted:
            continue
        if tok.pos_ == "VERB" and tok.dep_ not in {"amod", "compound", "aux", "auxpass"} and _finite(tok):
            candidates.append((tok, False))
        elif _noun_read_verb(tok, segment, verbs):
            candidates.append((tok, True))
    # of two nouns read as verbs in a row the first is the verb, the second its object: "court
    # *sentences* parents"
    noun_read = {tok.i for tok, as_noun in candidates if as_noun}
    candidates = [(tok, as_noun) for tok, as_noun in candidates if not (as_noun and tok.i - 1 in noun_read)]
    if not candidates:
        return None
    # a relative clause modifies a noun ("parents who kept ..."): the main clause is elsewhere
    pred, as_noun = min(candidates, key=lambda c: (c[0].dep_ == "relcl", _depth(c[0]), c[0].i))
    if pred.lemma_.lower() in SPEECH_VERBS:
        reported = [c for c in candidates if c[0].dep_ == "ccomp" and c[0].head.i == pred.i]
        if reported:
            pred, as_noun = reported[0]
    if as_noun:
        start = pred.i
        while (
            start > 0 and segment[start - 1] == segment[pred.i] and doc[start - 1].pos_ in {"PROPN", "NOUN"}
        ):
            start -= 1
        end = pred.i + 1
        while end < len(doc) and segment[end] == segment[pred.i] and not _clause_end(doc[end], quoted):
            end += 1
        return Headline(pred, (start, pred.i) if start < pred.i else None, (pred.i, end))
    start, end = headline_phrase(pred)
    return Headline(pred, None, (start, end))


def _clause_end(tok: Token, quoted: set[int]) -> bool:
    return (
        tok.pos_ in CLAUSE_END_POS
        or tok.lower_ in CLAUSE_END_WORDS
        or tok.text in QUOTES
        or (tok.pos_ == "VERB" and tok.tag_ == "VBG")
        or tok.i in quoted
    )


def predicate_phrase(trigger: Token) -> tuple[int, int]:
    """What happened, compactly, as a token range ``[start, end)``: "meets with Obama", "blamed her
    defeat on Comey", "attack on the German consulate".

    The trigger with its auxiliaries, negation, particles and objects, and only its first
    prepositional phrase or agent: coders of 5W1H answer "what" with a short verb phrase, and a second
    phrase is usually an adjunct ("... in call with top donors"). The subject and the clauses attached
    to the trigger ("as ...", "and ...", "to end the curse") are left out, except the infinitive of a
    catenative verb ("trying to reach the boy"). The range is contiguous around the trigger.
    """
    kept = {trigger.i}
    first_prep = True
    for child in trigger.children:
        if child.dep_ in OFF_PHRASE and not (child.dep_ == "punct" and child.text not in PHRASE_BREAKS):
            continue
        if (
            child.dep_ == "xcomp"
            and trigger.lemma_.lower() not in CATENATIVE
            and child.i > trigger.i
            and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children)
        ):
            continue  # "win the World Series to end a curse": a second event; "proposes converting" is one
        if child.dep_ in {"prep", "agent", "npadvmod"} and child.i > trigger.i:
            if not first_prep:
                continue
            # "cleared by the FBI over emails": the agent and one more
            first_prep = child.dep_ == "agent" or (child.lower_ == "by" and trigger.tag_ == "VBN")
        kept.update(t.i for t in _subtree(child))
    start = trigger.i
    while start - 1 in kept:
        start -= 1
    doc = trigger.doc
    end, preps = trigger.i + 1, 0
    while end in kept:
        if doc[end].dep_ in {"prep", "agent"} and doc[end].lower_ != "of":
            preps += 1
            if preps > 1 + any(
                doc[i].dep_ == "agent" or (doc[i].lower_ == "by" and trigger.tag_ == "VBN")
                for i in range(trigger.i, end)
            ):
                break  # a second phrase, even inside the object, is an adjunct: "... on Comey in a call"
        end += 1
    while end - 1 > trigger.i and (doc[end - 1].is_punct or doc[end - 1].pos_ in {"CCONJ", "ADP", "DET"}):
        end -= 1  # no dangling "and", "of", "the" or punctuation
    while start < trigger.i and (doc[start].is_punct or doc[start].pos_ == "CCONJ"):
        start += 1
    return start, end


def _subtree(tok: Token) -> list[Token]:
    """The token's subtree without relative and adverbial clauses or clause punctuation."""
    out, stack = [], [tok]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(
            c
            for c in node.children
            if c.dep_ not in {"relcl", "advcl", "appos"}
            and not (c.dep_ == "punct" and c.text in PHRASE_BREAKS)
        )
    return out


def headline_phrase(pred: Token) -> tuple[int, int]:
    """The headline's "what": the predicate phrase, with the patient of a bare passive ("German
    consulate in Afghanistan bombed", "At least 7 killed in tram accident"), which is what happened."""
    start, end = predicate_phrase(pred)
    passive = pred.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in pred.children)
    if not passive:
        return start, end
    subjects = [c for c in pred.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i < pred.i]
    if subjects:
        return min(start, subjects[0].left_edge.i), end
    if pred.dep_ == "acl" and pred.head.i < pred.i and pred.head.pos_ in {"NUM", "NOUN", "PROPN"}:
        return min(start, pred.head.left_edge.i), end
    return start, end
