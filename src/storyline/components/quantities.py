"""Counts of people as the text gives them: "Twelve people", "dozens", "at least 3", "a policeman".

A :class:`~storyline.model.Quantity` keeps what the text said: an exact number is ``value``; a
vague plural is a lower bound ("dozens" is low 24, value None); "up to N" is an upper bound; a
singular noun phrase ("a man", "the suspect", a name) is one person.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from storyline.model import Quantity, Span

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "a": 1, "an": 1, "single": 1, "both": 2, "dozen": 12,
    "couple": 2,
}  # fmt: skip
#: Vague plurals as lower bounds: "dozens" means at least two dozen.
VAGUE_LOW = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "several": 3, "many": 3,
    "numerous": 3, "multiple": 2, "some": 2, "few": 2, "others": 2,
}  # fmt: skip
#: Entity types of numbers that are never head counts.
NOT_COUNTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
#: A bare number ("two were killed") larger than this is more likely a code, a year or a running
#: total than a count of victims; with a person noun ("300 people") larger figures stand.
MAX_BARE_COUNT = 100
LOWER_MARKERS = ("at least", "more than", "over", "upwards of", "nearly", "almost", "about", "around")
UPPER_MARKERS = ("up to", "as many as", "fewer than", "less than", "at most")
PERSON_HEADS = frozenset(
    [
        "people",
        "person",
        "persons",
        "man",
        "men",
        "woman",
        "women",
        "child",
        "children",
        "boy",
        "boys",
        "girl",
        "girls",
        "teen",
        "teens",
        "teenager",
        "teenagers",
        "victim",
        "victims",
        "officer",
        "officers",
        "policeman",
        "policemen",
        "soldier",
        "soldiers",
        "civilian",
        "civilians",
        "student",
        "students",
        "resident",
        "residents",
        "passenger",
        "passengers",
        "worker",
        "workers",
        "member",
        "members",
        "adult",
        "adults",
        "suspect",
        "suspects",
        "gunman",
        "driver",
        "pedestrian",
        "bystander",
        "bystanders",
        "others",
        "individual",
        "individuals",
        "infant",
        "baby",
        "toddler",
        "friend",
        "friends",
        "brother",
        "sister",
        "mother",
        "father",
        "son",
        "daughter",
        "wife",
        "husband",
        "relative",
        "relatives",
        "family",
        "protester",
        "protesters",
        "demonstrators",
        "fighters",
        "militants",
        "troops",
        "agent",
        "agents",
        "guard",
        "guards",
        "inmate",
        "inmates",
        "customer",
        "customers",
        "patient",
        "patients",
    ]
)
#: Pronouns that denote one person, reflexives included: "shot himself", "accidentally shoots self".
SINGULAR_PRONOUNS = frozenset({"he", "she", "him", "her", "himself", "herself", "self"})
_NUM = re.compile(r"^\d{1,3}(,\d{3})*$|^\d+$")


def number_of(tok: Token) -> int | None:
    """The integer a token spells ("12", "1,200", "twelve", "a"), else None."""
    text = tok.lower_
    if _NUM.match(text):
        return int(text.replace(",", ""))
    return WORD_NUMBERS.get(text)


def victims_quantity(doc: Doc, head: Token) -> Quantity | None:
    """How many people a victim noun phrase headed by ``head`` denotes, as the text says it.

    Abstains (None) on phrases that are not about people ("the building"), so "destroyed the
    building" adds no casualty.
    """
    phrase = doc[head.left_edge.i : head.i + 1]
    text = phrase.text
    lower = text.lower()
    span = Span(start=phrase.start_char, end=phrase.end_char, text=text)
    nums = [t for t in head.lefts if t.dep_ == "nummod" or t.like_num]
    if head.like_num or (head.lower_ in WORD_NUMBERS and head.lower_ not in {"a", "an"}):
        nums = [head]
    aged = head.lower_ == "old" and head.i >= 2 and doc[head.i - 2].lower_ in {"year", "years", "month"}
    personal = (
        head.lemma_.lower() in PERSON_HEADS
        or head.lower_ in PERSON_HEADS
        or aged
        or head.ent_type_ == "PERSON"
        or head.lower_ == "more"  # "injured nine more": more people
    )
    if nums and head not in nums and not personal:
        return None  # "a 911 call", "3,099 vehicles": numbers of things, not of people
    if nums:
        if nums[-1].ent_type_ in NOT_COUNTS:
            return None  # "2015", "$400", "911": a year, money or a phone number, not people
        n = number_of(nums[-1])
        if n is None or (head in nums and n > MAX_BARE_COUNT):
            return None
        if any(lower.startswith(m) or f" {m} " in f" {lower} " for m in LOWER_MARKERS):
            return Quantity(low=n, text=text, span=span)
        if any(f" {m} " in f" {lower} " or lower.startswith(m) for m in UPPER_MARKERS):
            return Quantity(high=n, text=text, span=span)
        return Quantity(value=n, low=n, high=n, text=text, span=span)
    if head.lower_ == "another":  # "another was wounded": one more person
        return Quantity(value=1, low=1, high=1, text=text, span=span)
    if head.lower_ in VAGUE_LOW:
        return Quantity(low=VAGUE_LOW[head.lower_], text=text, span=span)
    if head.ent_type_ == "PERSON" or (head.pos_ in {"PRON", "NOUN"} and head.lower_ in SINGULAR_PRONOUNS):
        return Quantity(value=1, low=1, high=1, text=text, span=span)  # "shot himself": one person
    if personal:
        if head.tag_ in {"NNS", "NNPS"}:
            return Quantity(low=2, text=text, span=span)  # "officers were injured": more than one
        return Quantity(value=1, low=1, high=1, text=text, span=span)
    return None


def merge_counts(quantities: list[Quantity]) -> Quantity | None:
    """One figure for an event from several statements of it: the largest exact or bounded figure.

    Reports restate counts ("12 killed", "the twelve victims"); a later, larger figure is an update
    ("the death toll rose to 13"), so the largest figure wins and the text of that statement is kept.
    """
    if not quantities:
        return None
    exact = [q for q in quantities if q.value is not None]
    lows = [q for q in quantities if q.value is None and q.low is not None]
    best_exact = max(exact, key=lambda q: q.value or 0, default=None)
    best_low = max(lows, key=lambda q: q.low or 0, default=None)
    if best_exact is not None and (best_low is None or (best_exact.value or 0) >= (best_low.low or 0)):
        return best_exact
    if best_low is not None:
        return best_low
    return quantities[-1]
