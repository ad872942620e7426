"""Titles, roles and attributes of people, read from the words around their names.

News names people with their function: a pre-modifier ("Italian Interior Minister Marco Minniti"),
an apposition ("A second police agent, Luca Scata," / "Thomas de Maiziere, Germany's interior
minister,"), or an age ("Anis Amri, 24," / "24-year-old Anis Amri"). The small model's parse of long
pre-modifiers is unreliable ("The Berlin Christmas market attack suspect Anis Amri" parses "suspect"
as a verb), so pre-modifiers are read from the token sequence, anchored on a role noun from
``lexicons/roles.txt``; appositions use the parse, which is reliable around commas.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from storyline.resources import lexicon

ROLE_NOUNS = frozenset(lexicon("roles"))
MODIFIER_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ", "POS", "HYPH", "VBN", "VBP", "VBG"})
# Honorifics are not titles a user wants listed ("Mr", "Mrs"), but they sit where titles sit.
#: Courtesy forms that sit between a title and a name and carry no role ("Interior Minister Mr Minniti").
#: "Prof." is not here: it is a title in its own right (see :data:`ACADEMIC_HONORIFICS`).
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame"})
#: Academic forms of address: a title for the titles stage, but like the others not part of a name.
ACADEMIC_HONORIFICS = frozenset({"prof", "prof."})
MAX_TITLE_TOKENS = 7
MAX_AGE = 120
AGE_RE = re.compile(r"^(\d{1,3})-year-old$")


def _is_break(tok: Token) -> bool:
    return tok.is_space or tok.is_punct


def _role_lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    return lemma if lemma in ROLE_NOUNS else tok.lower_


def is_role(tok: Token) -> bool:
    return tok.lower_ in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS


def premodifier_titles(doc: Doc, name_start: int, entity_tokens: set[int]) -> list[str]:
    """Titles from the words right before a name: the whole phrase, without nationality, and its core.

    "Italian Interior Minister Marco Minniti" gives ["Italian Interior Minister", "Interior Minister"];
    "The Berlin Christmas market attack suspect Anis Amri" gives the phrase and "suspect".
    """
    i = name_start - 1
    while i >= 0 and doc[i].lower_ in HONORIFICS:
        i -= 1
    if i < 0 or not is_role(doc[i]) or _is_break(doc[i]):
        return []
    head = i
    j = head - 1
    while j >= 0 and head - j < MAX_TITLE_TOKENS:
        tok = doc[j]
        if tok.is_space:
            break
        if tok.tag_ not in MODIFIER_TAGS or (j in entity_tokens and doc[j].ent_type_ == "PERSON"):
            break
        j -= 1
    words = doc[j + 1 : head + 1]
    full = words.text
    # Drop leading nationality / place modifiers: "Italian", "Germany's", "Berlin".
    k = 0
    while k < len(words) - 1 and (
        words[k].ent_type_ in {"NORP", "GPE", "LOC"} or words[k].tag_ == "POS" or words[k].text == "'s"
    ):
        k += 1
    core = words[k:].text
    titles = [full, core]
    # The capitalised title ("Interior Minister") or, for common nouns, the role itself ("suspect").
    if doc[head].is_title:
        m = head
        while (
            m - 1 >= words.start + k and doc[m - 1].is_title and doc[m - 1].ent_type_ not in {"NORP", "GPE"}
        ):
            m -= 1
        titles.append(doc[m : head + 1].text)
    else:
        titles.append(_role_lemma(doc[head]))
    return _dedupe(titles)


def apposition_titles(doc: Doc, name_root: Token) -> list[str]:
    """Titles from an apposition on either side of the name."""
    titles: list[str] = []
    # "Luca Scata" is the apposition of "A second police agent"
    if name_root.dep_ == "appos":
        head = name_root.head
        if head.lower_ == "one":  # "one of the shot police officers, Cristian Morio"
            pobj = [t for p in head.children if p.dep_ == "prep" for t in p.children if t.dep_ == "pobj"]
            head = pobj[0] if pobj else head
        if is_role(head):
            titles.append(_np_title(head))
    # "Thomas de Maiziere, Germany's interior minister, said"
    for child in name_root.children:
        if child.dep_ == "appos" and is_role(child):
            titles.append(_np_title(child))
    return _dedupe(titles)


def _np_title(head: Token) -> str:
    """The title phrase of a role noun: its noun/adjective modifiers to the left, singular head."""
    left = [t for t in head.lefts if t.dep_ in {"compound", "amod", "poss", "case"} and t.tag_ != "JJS"]
    left = [t for t in left if t.ent_type_ not in {"ORDINAL", "CARDINAL"} and t.lower_ not in {"shot"}]
    words = [t.text for t in sorted(left, key=lambda t: t.i)] + [
        head.lemma_ if head.tag_ == "NNS" else head.text
    ]
    return " ".join(words)


def age_near(doc: Doc, start: int, end: int) -> int | None:
    """An age given beside a name: "24-year-old Anis Amri" or "Anis Amri, 24,"."""
    # "Anis Amri, 24," / "Anis Amri, 24."
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].like_num and doc[end + 2].is_punct:
        value = _small_int(doc[end + 1].text)
        if value is not None:
            return value
    # "24-year-old Anis Amri": tokens "24", "-", "year", "-", "old"
    if start >= 5 and doc[start - 1].lower_ == "old" and doc[start - 3].lower_ == "year":
        return _small_int(doc[start - 5].text)
    return None


def age_of_phrase(text: str) -> int | None:
    """The age in a description such as "The 24-year-old" (None if there is none)."""
    for word in text.split():
        m = AGE_RE.match(word.lower())
        if m:
            return _small_int(m.group(1))
    return None


def _small_int(text: str) -> int | None:
    if not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= MAX_AGE else None


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        item = item.strip()
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out
