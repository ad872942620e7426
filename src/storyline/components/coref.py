"""Mention clusters: names, definite descriptions and pronouns that refer to one entity.

Built once here and used by every later stage (claims resolve "he added" and "the Interior Minister"
through it). The approach is deterministic and precision-first, in the spirit of the Stanford sieve
(Lee et al. 2013), with three passes:

1. names: a full name opens a cluster; a surname (or particle + surname) joins the most recent
   cluster whose name ends with it; other labels cluster on their normalised text;
2. descriptions: "the suspect", "The Interior Minister" join the most recent person whose titles
   carry that role (and its capitalised words, so Germany's Interior Minister stays apart until
   named); generic descriptions ("the man", "the 24-year-old") join a person of that age, else the
   clearly most salient person so far, else nothing;
3. pronouns (he/she and their forms): a person subject earlier in the same sentence, else the main
   subject of the previous sentences, else the most recent person mention; never a person whose
   known gender disagrees.
Each pass abstains when the text does not make the referent clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from spacy.tokens import Doc, Token

from storyline.components.titles import ROLE_NOUNS, age_of_phrase, is_role
from storyline.resources import lexicon

MentionKind = Literal["name", "nominal", "pronoun"]
PERSON_NOUNS = frozenset(lexicon("person_nouns"))
PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip
GENDERED_WORDS = {
    "man": "m", "boy": "m", "policeman": "m", "king": "m", "prince": "m", "mr": "m", "mr.": "m",
    "chairman": "m", "spokesman": "m", "congressman": "m", "councilman": "m",
    "woman": "f", "girl": "f", "policewoman": "f", "queen": "f", "princess": "f", "mrs": "f",
    "mrs.": "f", "ms": "f", "ms.": "f", "chairwoman": "f", "spokeswoman": "f", "congresswoman": "f",
    "councilwoman": "f", "lady": "f",
}  # fmt: skip
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
#: How many sentences back a pronoun may look for its antecedent.
PRONOUN_WINDOW = 2


@dataclass
class MentionRef:
    """A mention over tokens ``[start, end)``."""

    start: int
    end: int
    kind: MentionKind


@dataclass
class Cluster:
    """One entity being built: its label, canonical name, mentions, titles and attributes."""

    label: str
    name: str
    mentions: list[MentionRef] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    gender: str | None = None
    repaired: bool = False
    id: str = ""

    def add_titles(self, titles: list[str]) -> None:
        known = {t.lower() for t in self.titles}
        self.titles.extend(t for t in titles if t.lower() not in known)

    def title_words(self) -> set[str]:
        return {w.lower() for t in self.titles for w in t.split()}

    def role_heads(self) -> set[str]:
        return {t.split()[-1].lower() for t in self.titles if t.split()}


def surname_keys(doc: Doc, start: int, end: int) -> list[str]:
    """The strings a later bare mention of this person may use: the last name, with its particle."""
    toks = doc[start:end]
    keys = [toks[-1].text]
    if len(toks) >= 3 and toks[-2].is_lower:
        keys.append(toks[-2:].text)
    return keys


class MentionIndex:
    """Which cluster each token belongs to, and the order mentions appear in."""

    def __init__(self) -> None:
        self.owner: dict[int, Cluster] = {}

    def add(self, cluster: Cluster, mention: MentionRef) -> None:
        cluster.mentions.append(mention)
        for i in range(mention.start, mention.end):
            self.owner[i] = cluster

    def cluster_at(self, tokens: range) -> Cluster | None:
        for i in tokens:
            if i in self.owner:
                return self.owner[i]
        return None


def _persons_before(clusters: list[Cluster], token: int) -> list[Cluster]:
    ranked: list[tuple[int, Cluster]] = []
    for c in clusters:
        if c.label != "PERSON":
            continue
        before = [m.start for m in c.mentions if m.start < token]
        if before:
            ranked.append((max(before), c))
    return [c for _, c in sorted(ranked, key=lambda pc: -pc[0])]


def _mentions_before(cluster: Cluster, token: int) -> int:
    return sum(1 for m in cluster.mentions if m.start < token)


def definite_descriptions(doc: Doc, taken: set[int]) -> list[tuple[int, int, Token]]:
    """Definite noun phrases headed by a role or person noun: ("the", ..., head) token ranges.

    A head right before a name is a title of that name, not a description, and is skipped.
    """
    found = []
    for tok in doc:
        if tok.i in taken:
            continue
        is_age = tok.lower_ == "old" and tok.i >= 4 and doc[tok.i - 2].lower_ == "year"
        if not (is_role(tok) or tok.lower_ in PERSON_NOUNS or tok.lemma_.lower() in PERSON_NOUNS or is_age):
            continue
        if tok.i + 1 < len(doc) and (doc[tok.i + 1].pos_ in {"PROPN", "NOUN"} or doc[tok.i + 1].i in taken):
            continue  # a modifier ("police car") or a title before a name ("suspect Anis Amri")
        if tok.tag_ in {"NNS", "NNPS"}:
            continue  # plural: "the officers" is not one person
        start = tok.i
        while start > 0 and not doc[start - 1].is_space and doc[start - 1].tag_ in {
            "NNP", "NN", "JJ", "HYPH", "CD", "VBN",
        }:  # fmt: skip
            start -= 1
        if start == 0 or doc[start - 1].lower_ != "the":
            continue
        found.append((start - 1, tok.i + 1, tok))
    return found


def resolve_description(
    doc: Doc, start: int, end: int, head: Token, clusters: list[Cluster]
) -> Cluster | None:
    candidates = _persons_before(clusters, start)
    if not candidates:
        return None
    words = {t.lower_ for t in doc[start + 1 : end] if t.is_title}
    role = head.lemma_.lower() if head.tag_ == "NNS" else head.lower_
    if role in ROLE_NOUNS and role not in PERSON_NOUNS:
        for c in candidates:  # most recent first
            if role in c.role_heads() and words <= c.title_words() | {role}:
                return c
        return None
    age = age_of_phrase(doc[start:end].text)
    if age is not None:
        aged = [c for c in candidates if c.attributes.get("age") == age]
        if aged:
            return aged[0]
    gender = GENDERED_WORDS.get(role)
    candidates = [c for c in candidates if gender is None or c.gender in {None, gender}]
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: -_mentions_before(c, start))
    top = ranked[0]
    if len(ranked) == 1 or _mentions_before(top, start) > _mentions_before(ranked[1], start):
        return top
    return None


def _sentence_subjects(sent: Any, index: MentionIndex) -> list[Cluster]:
    """Person clusters that are subjects in a sentence, the main clause's subject first."""
    subjects = [t for t in sent if t.dep_ in SUBJECT_DEPS]
    subjects.sort(key=lambda t: (t.head.dep_ != "ROOT", t.i))
    out = []
    for tok in subjects:
        # the subject's head word first: "Italian Interior Minister Marco Minniti" is Minniti
        c = index.owner.get(tok.i) or index.cluster_at(range(tok.left_edge.i, tok.i + 1))
        if c is not None and c.label == "PERSON" and c not in out:
            out.append(c)
    return out


def resolve_pronoun(doc: Doc, tok: Token, clusters: list[Cluster], index: MentionIndex) -> Cluster | None:
    gender = PRONOUN_GENDER[tok.lower_]

    def agrees(c: Cluster) -> bool:
        return c.gender in {None, gender}

    sent = tok.sent
    # A person subject earlier in the same sentence: "When the man was asked for his papers, he ..."
    for cand in _sentence_subjects(doc[sent.start : tok.i], index):
        if agrees(cand):
            return cand
    # The main subject of the previous sentences: "Minniti said ... . He added that ..."
    sents = list(doc.sents)
    k = next(i for i, s in enumerate(sents) if s.start == sent.start)
    for prev in reversed(sents[max(0, k - PRONOUN_WINDOW) : k]):
        for cand in _sentence_subjects(prev, index):
            if agrees(cand):
                return cand
        for cand in _persons_before(clusters, prev.end):
            if any(prev.start <= m.start < prev.end for m in cand.mentions) and agrees(cand):
                return cand
    return None


def resolve_anaphora(doc: Doc, clusters: list[Cluster], index: MentionIndex) -> None:
    """Add description and pronoun mentions to the clusters, in text order (later ones see earlier)."""
    descriptions = {
        start: (start, end, head) for start, end, head in definite_descriptions(doc, set(index.owner))
    }
    for tok in doc:
        if tok.i in descriptions:
            start, end, head = descriptions[tok.i]
            cluster = resolve_description(doc, start, end, head, clusters)
            if cluster is not None:
                index.add(cluster, MentionRef(start, end, "nominal"))
                age = age_of_phrase(doc[start:end].text)
                if age is not None:
                    cluster.attributes.setdefault("age", age)
                cluster.gender = cluster.gender or GENDERED_WORDS.get(head.lower_)
        elif tok.lower_ in PRONOUN_GENDER and tok.i not in index.owner:
            cluster = resolve_pronoun(doc, tok, clusters, index)
            if cluster is not None:
                index.add(cluster, MentionRef(tok.i, tok.i + 1, "pronoun"))
                cluster.gender = cluster.gender or PRONOUN_GENDER[tok.lower_]
