"""Repairs of the small English model's named entities where it is known to fail on news.

Each repair is one function over a list of :class:`Candidate` spans, applied in a fixed cascade by
the entities stage (``REPAIRS``), so each can be measured on its own. Why these seven:

1. ``trim_boundaries``: spans carry a leading "the", a trailing possessive or an honorific ("the
   European Union's", "Dr Martisius"); a name is the name alone, so mentions line up with it.
2. ``fixed_labels``: a short hand list of names whose label news fixes (platforms, time zones).
2b. ``split_place_person``: "Chief Executive of Hong Kong Carrie Lam" comes out as one GPE; a GPE
   that is no place name but starts with one and ends with a surname the article gives a PERSON
   is the place, then the person.
3. ``retag_places``: multi-word towns come out as FAC or PERSON ("Sesto San Giovanni"); a name that
   the GeoNames gazetteer knows as a place, and that is not a known person's name, is a GPE.
4. ``drop_title_words``: the capitalised part of a title is tagged ORG ("Italian *Interior* Minister
   Marco Minniti"); an ORG made only of title words and followed by a role noun is no organisation.
5. ``org_suffix``: "the so-called Abu Walaa network" is tagged PERSON for "Abu Walaa"; a name
   followed by an organisation noun (network, group, cell, ...) is that organisation.
6. ``surname_mentions``: once "Marco Minniti" is a PERSON, a later "Minniti" tagged GPE or ORG, or
   missed entirely, is the same person; the small model tags bare surnames inconsistently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from spacy.tokens import Doc

from storyline.components import titles
from storyline.gazetteer import Gazetteer
from storyline.resources import lexicon

#: spaCy labels Storyline keeps as entities (numbers, dates and quantities belong to other stages).
KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
ORG_NOUNS = frozenset(lexicon("org_nouns"))
ROLE_NOUNS = frozenset(lexicon("roles"))


@dataclass(frozen=True)
class Candidate:
    """An entity mention candidate over tokens ``[start, end)`` of the Doc."""

    start: int
    end: int
    label: str
    repaired_by: str | None = None


class PlaceNames(Protocol):
    """What the repairs need of a gazetteer: is this string a place, and is it a big one."""

    def is_place_name(self, name: str) -> bool: ...

    def is_major_place(self, name: str) -> bool: ...

    def canonical(self, name: str) -> tuple[int, str] | None: ...


#: A city this large is a "major place": its one-word name is a place before it is anything else.
MAJOR_PLACE_POPULATION = 100_000


class GazetteerPlaceNames:
    """:class:`PlaceNames` over the GeoNames gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def is_place_name(self, name: str) -> bool:
        return self.gazetteer.is_place_name(name)

    def is_major_place(self, name: str) -> bool:
        return any(
            e.kind in {"country", "admin1", "continent"} or e.population >= MAJOR_PLACE_POPULATION
            for e in self.gazetteer.lookup(name)
        )

    def canonical(self, name: str) -> tuple[int, str] | None:
        """The most likely GeoNames entry's id and name, so "U.S." and "United States" are one entity."""
        entries = self.gazetteer.lookup(name)
        return (entries[0].geonameid, entries[0].name) if entries else None


Repair = Callable[[Doc, list[Candidate], PlaceNames], list[Candidate]]


def candidates_from_ner(doc: Doc) -> list[Candidate]:
    return [Candidate(e.start, e.end, e.label_) for e in doc.ents if e.label_ in KEPT_LABELS]


def _text(doc: Doc, c: Candidate) -> str:
    return doc[c.start : c.end].text


LEADING_WORDS = frozenset({"the", "a", "an"})
#: Forms of address that never begin a PERSON span: one list with the titles stage's.
HONORIFICS = titles.HONORIFICS | titles.ACADEMIC_HONORIFICS
TRAILING = frozenset({"'s", "’s", "'", "’", ",", ".", ";", ":"})


def trim_boundaries(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    out = []
    for c in cands:
        start, end = c.start, c.end
        while end - start > 1 and (
            doc[start].lower_ in LEADING_WORDS
            or (c.label == "PERSON" and (doc[start].lower_ in HONORIFICS or doc[start].lower_ in ROLE_NOUNS))
        ):
            start += 1  # "Queen Elizabeth II": the title is read by the titles step, not the name
        while end - start > 1 and doc[end - 1].text in TRAILING:
            end -= 1
        # "the Commission on Religious Freedom (USCIRF": the name, then its acronym on its own
        opens = [i for i in range(start, end) if doc[i].text == "("]
        if opens and not any(doc[i].text == ")" for i in range(opens[0], end)) and opens[0] > start:
            if end - opens[0] > 1:
                out.append(Candidate(opens[0] + 1, end, c.label, repaired_by="trim_boundaries"))
            end = opens[0]
        if (start, end) != (c.start, c.end):
            c = replace(c, start=start, end=end, repaired_by="trim_boundaries")
        out.append(c)
    return sorted(out, key=lambda c: c.start)


FIXED_LABELS: dict[str, str] = {
    name: label for name, label in (line.split("\t", 1) for line in lexicon("fixed_labels"))
}


def fixed_labels(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    out = []
    for c in cands:
        label = FIXED_LABELS.get(_text(doc, c))
        if label == "-":
            continue
        if label is not None and label != c.label:
            c = replace(c, label=label, repaired_by="fixed_labels")
        out.append(c)
    return out


def split_place_person(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    """ "Chief Executive of Hong Kong Carrie Lam": the model runs a place and the person after it into
    one GPE. A GPE/LOC that is no place name, whose head is one and whose tail ends with a surname
    the article names as a PERSON elsewhere, is the place followed by the person."""
    surnames = {doc[c.end - 1].text for c in cands if c.label == "PERSON"}
    out: list[Candidate] = []
    for c in cands:
        split = None
        if c.label in {"GPE", "LOC"} and c.end - c.start >= 3 and not places.is_place_name(_text(doc, c)):
            for cut in range(c.end - 1, c.start, -1):  # the longest place head first
                head, tail = doc[c.start : cut], doc[cut : c.end]
                if places.is_place_name(head.text) and tail[-1].text in surnames and tail[0].is_title:
                    split = cut
                    break
        if split is None:
            out.append(c)
            continue
        out.append(replace(c, end=split, repaired_by="split_place_person"))
        out.append(Candidate(split, c.end, "PERSON", repaired_by="split_place_person"))
    return out


def retag_places(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    person_names = {_text(doc, c) for c in cands if c.label == "PERSON" and c.end - c.start >= 2}
    surname_set = {name.split()[-1] for name in person_names}
    out = []
    for c in cands:
        text = _text(doc, c)
        if (
            c.label in {"FAC", "PERSON", "ORG"}
            and c.end - c.start >= 2
            and all(t.is_title or t.is_lower for t in doc[c.start : c.end])
            and places.is_place_name(text)
            # A person named once in full and matching a hamlet stays a person unless a place
            # preposition or "a town near" context says otherwise.
            and (c.label != "PERSON" or text not in person_names or _place_context(doc, c))
        ):
            c = replace(c, label="GPE", repaired_by="retag_places")
        elif (
            c.label in {"PERSON", "ORG"}
            and c.end - c.start == 1
            and places.is_major_place(text)
            and ((c.label == "PERSON" and text not in surname_set) or _place_context(doc, c))
        ):
            # one-word names: a country or large city tagged PERSON ("Malawi"), or tagged ORG after a
            # locative preposition ("in Omsk"); a sports club named after its city stays an ORG
            c = replace(c, label="GPE", repaired_by="retag_places")
        out.append(c)
    return out


def _place_context(doc: Doc, c: Candidate) -> bool:
    prev = doc[c.start - 1].lower_ if c.start > 0 else ""
    after = doc[c.end : c.end + 3].text.lower()
    return prev in {"in", "at", "near", "from", "to", "outside"} or after.startswith(("—", "-", ","))


def drop_title_words(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    out = []
    for c in cands:
        nxt = doc[c.end] if c.end < len(doc) else None
        if (
            c.label == "ORG"
            and nxt is not None
            and nxt.lower_ in ROLE_NOUNS
            and nxt.is_title
            and all(t.is_title for t in doc[c.start : c.end])
            and c.end - c.start <= 2
        ):
            continue  # "Interior" in "Interior Minister": part of a title, not an organisation
        out.append(c)
    return out


def org_suffix(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    out = []
    for c in cands:
        nxt = doc[c.end] if c.end < len(doc) else None
        if (
            c.label in {"PERSON", "GPE", "NORP", "ORG"}
            and nxt is not None
            and nxt.lower_ in ORG_NOUNS
            and (c.label != "ORG" or nxt.is_title)
        ):
            c = replace(c, end=c.end + 1, label="ORG", repaired_by="org_suffix")
        out.append(c)
    return out


def surname_mentions(doc: Doc, cands: list[Candidate], places: PlaceNames) -> list[Candidate]:
    surnames: dict[str, str] = {}
    for c in cands:
        if (
            c.label == "PERSON"
            and c.end - c.start == 1
            and c.start > 0
            and doc[c.start - 1].lower_ in HONORIFICS
        ):
            surnames[doc[c.start].text] = doc[c.start].text  # "Dr Martisius": a surname on its own
        if c.label == "PERSON" and c.end - c.start >= 2:
            toks = doc[c.start : c.end]
            surnames[toks[-1].text] = toks.text
            # particles belong to the surname: "de Maiziere", "van Gogh", "bin Laden"
            if c.end - c.start >= 3 and toks[-2].is_lower:
                surnames[toks[-2:].text] = toks.text
    if not surnames:
        return cands
    covered = {i for c in cands for i in range(c.start, c.end)}
    out = []
    for c in cands:
        text = _text(doc, c)
        if (
            c.label in {"ORG", "GPE", "NORP", "FAC", "LOC"}
            and text in surnames
            and not places.is_major_place(text)
        ):
            c = replace(c, label="PERSON", repaired_by="surname_mentions")
        out.append(c)
    # Surnames the model missed entirely (no entity at all), e.g. a sentence-initial "Minniti".
    for tok in doc:
        if tok.i in covered or tok.text not in surnames or tok.pos_ != "PROPN":
            continue
        if tok.i > 0 and doc[tok.i - 1].pos_ == "PROPN" and doc[tok.i - 1].i not in covered:
            continue  # part of an unrecognised longer name: leave it alone
        out.append(Candidate(tok.i, tok.i + 1, "PERSON", repaired_by="surname_mentions"))
    return sorted(out, key=lambda c: c.start)


#: The cascade, in order: boundaries first, then places (so a town is not taken for a surname),
#: then titles, then organisations, then surnames (which need the final PERSON names).
REPAIRS: Sequence[Repair] = (
    trim_boundaries,
    fixed_labels,
    split_place_person,
    retag_places,
    drop_title_words,
    org_suffix,
    surname_mentions,
)


def repair(doc: Doc, places: PlaceNames, repairs: Sequence[Repair] = REPAIRS) -> list[Candidate]:
    cands = candidates_from_ner(doc)
    for step in repairs:
        cands = step(doc, cands, places)
    return cands
