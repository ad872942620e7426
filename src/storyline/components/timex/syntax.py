"""What the spaCy parse tells the tagger: character offsets -> tokens, and the tense around an expression.

The Doc arrives tagged and parsed by the base model; nothing here runs spaCy again. The tense decides the
direction of a bare "Friday" or "March": +1 forward (a plan, a schedule, a future), -1 back (a report),
0 when the clause does not say, which resolution then treats as news' default, the past.
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc, Span, Token

# Auxiliaries of a future: "will meet Friday", "'ll see".
_FUTURE_AUX = {"will", "'ll", "shall", "wo", "ll"}
# Heads of a "to"-infinitive that point forward: "is scheduled to leave Monday", "plans to vote in March".
_FUTURE_HEADS = {
    "schedule", "expect", "plan", "set", "due", "go", "intend", "hope", "prepare", "want", "aim", "seek",
    "propose", "agree", "promise", "vow", "threaten", "decide", "try", "continue", "like", "need", "able",
}  # fmt: skip
# Verbs whose object date is ahead of them whatever their tense: "postponed the vote to Monday".
_FORWARD_VERBS = {"schedule", "reschedule", "postpone", "adjourn", "delay"}
_FUTURE_PREPS = {"until", "till", "by", "before"}
# "as early as Tuesday", "as soon as Monday": possible dates of a plan.
_AS_EARLY_AS = re.compile(r"\bas\s+(?:early|soon)\s+as\s+$")
# "until Friday", "starting Monday": forward unless the clause is in the past.
_UNTIL = re.compile(r"(?:\buntil|\btill|\bstarting|\bbeginning)\s+$")
_REPORTING = {"say", "tell", "report", "announce"}
# Verbs whose past is spelt like their present: a "present" tag on them is often a past ("hurt Friday").
_SAME_PAST = {
    "hurt", "put", "set", "cut", "hit", "let", "shut", "split", "spread", "cost", "quit", "bet", "cast",
    "burst", "thrust", "upset", "read", "beat", "broadcast", "forecast", "bid", "rid", "shed", "slit",
}  # fmt: skip


class TokenIndex:
    """Character offset -> token, for a Doc whose parse the stage reads but never reruns."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.starts: list[int] = doc.to_array("IDX").tolist() if len(doc) else []

    def at(self, char: int) -> Token | None:
        """The token that contains ``char``, else the next one."""
        if not self.starts:
            return None
        i = max(bisect.bisect_right(self.starts, char) - 1, 0)
        tok = self.doc[i]
        if tok.idx + len(tok.text) <= char and i + 1 < len(self.doc):
            tok = self.doc[i + 1]
        return tok

    def next_after(self, char: int) -> Token | None:
        """The first token that starts at or after ``char``."""
        i = bisect.bisect_left(self.starts, char)
        return self.doc[i] if i < len(self.doc) else None

    def span(self, start: int, end: int) -> Span | None:
        """The tokens that cover ``[start, end)``."""
        first = self.at(start)
        last = self.at(max(start, end - 1))
        if first is None or last is None:
            return None
        return self.doc[first.i : last.i + 1]

    def modifies_next_noun(self, char: int) -> bool:
        """Whether the words just after ``char`` are the noun an expression modifies ("the [third-quarter]
        loss", "the [current] four flights", "the [Feb. 23] accord")."""
        tok = self.next_after(char)
        if tok is None or tok.idx > char + 2:
            return False
        if tok.pos_ == "ADJ" and tok.i + 1 < len(self.doc):
            tok = self.doc[tok.i + 1]
        return tok.pos_ in ("NOUN", "PROPN", "NUM") and tok.tag_ != "POS"


def direction(index: TokenIndex, start: int, end: int) -> int:
    """Positive when the clause governing the expression points to the future, negative when past, 0 when
    it does not say; 2 in size when the verb governs the expression directly (see the module doc)."""
    span = index.span(start, end)
    if span is None or len(span) == 0:
        return 0
    before = index.text[max(0, start - 20) : start].lower()
    if _AS_EARLY_AS.search(before):
        return 2
    value = tense(span)
    if value == 0 and _UNTIL.search(before):
        return 1
    return value


def tense(span: Span) -> int:
    """The time orientation of the verb governing ``span`` (see :func:`direction`)."""
    tok = span.root
    hops = 0
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        if (
            tok.dep_ == "pobj"
            and tok.head.lower_ in _FUTURE_PREPS
            and tok.head.head.tag_ in ("VBZ", "VBP", "VB")
        ):
            return 2  # "must decide by Friday", "runs until Sunday"
        tok = tok.head
        hops += 1
    # The expression's own verb governs it as a child, or as the object of one of its prepositions.
    strength = 2 if hops <= 2 else 1
    return strength * _orientation(span, tok)


def _orientation(span: Span, verb: Token) -> int:
    """+1, -1 or 0: the tense, aspect and mood of ``verb`` (and of the verb a to-infinitive hangs on)."""
    for _ in range(3):
        aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if aux & _FUTURE_AUX or {"going", "to"} <= aux:
            return 1
        if verb.tag_ == "VB" and "to" in aux:
            head = verb.head
            if head.lemma_ in _FUTURE_HEADS or (head.lemma_ == "be" and head.i != verb.i):
                head_aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
                return -1 if "had" in head_aux else 1  # "had been due to expire Friday": the plan is over
            if head.i == verb.i:
                break
            verb = head
            continue
        if "would" in aux or verb.lemma_ in _FORWARD_VERBS:
            return 1
        passive = {c.lower_ for c in verb.children if c.dep_ == "auxpass"}
        if verb.tag_ == "VBN" and passive & {"is", "are", "be"}:
            # "is expected in December", "is scheduled for Monday"; other present passives say nothing.
            return 1 if verb.lemma_ in ("schedule", "expect", "set", "slate", "plan", "due") else 0
        if verb.tag_ == "VBN" and aux & {"has", "have", "'s", "'ve"}:
            return 0  # the present perfect is about now: "has given them until Tuesday"
        if verb.tag_ in ("VBD", "VBN"):
            return -1  # "ended March 31", "approved last April": reduced relatives are past too
        if verb.tag_ in ("VBZ", "VBP") and verb.lemma_ == "be":
            # "is due Tuesday", "is set for Monday"
            return (
                1
                if any(c.lemma_ in ("schedule", "due", "set", "expect", "slate") for c in verb.children)
                else 0
            )
        if (
            verb.tag_ in ("VBZ", "VBP")
            and verb.lemma_ not in _REPORTING
            and verb.lower_ not in _SAME_PAST
            and _modifies_directly(span.root, verb)
        ):
            # News present tense with a day name is a schedule: "Arafat meets Albright Monday".
            return 1
        if verb.tag_ == "VBG" and aux & {"is", "are", "'s", "'re"}:
            return 1  # "is meeting Monday"
        break
    return 0


def _modifies_directly(root: Token, verb: Token) -> bool:
    """The expression is the verb's own temporal modifier ("meets Monday", "meets on Monday")."""
    if root.head.i == verb.i and root.dep_ in ("npadvmod", "tmod", "obl", "advmod", "dobj"):
        return True
    return (
        root.dep_ == "pobj"
        and root.head.head.i == verb.i
        and root.head.lower_ in ("on", "at", "in", "until", "by")
    )
