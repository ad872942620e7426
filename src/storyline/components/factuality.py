"""Factuality of an event mention: did it happen, according to the text?

Statuses (docs/design.md): occurred | alleged | planned | threatened | hypothetical | negated.
The rules read the trigger's own modifiers and the verbs that govern it, because factuality is
marked there in English news: "did not attack" (negation), "allegedly shot" (hedge), "plotted to
bomb" / "had discussed launching an attack" (intent), "threatened to kill" (threat), "could strike"
/ "if ... attacked" (modality, condition).
"""

from __future__ import annotations

from spacy.tokens import Token

NEGATORS = frozenset({"not", "n't", "never", "no"})
HEDGES = frozenset({"allegedly", "reportedly", "suspected", "alleged", "purportedly", "apparently"})
INTENT = frozenset(
    {"plan", "plot", "prepare", "intend", "discuss", "consider", "aim", "want", "seek", "try", "attempt",
     "scheme", "conspire", "propose", "launch"}
)  # fmt: skip
THREAT = frozenset({"threaten", "vow", "warn", "pledge"})
MODALS = frozenset({"could", "would", "might", "may", "should"})
ALLEGE = frozenset({"accuse", "allege", "charge"})
#: How far up the parse a governing verb may sit ("had previously discussed launching an attack").
MAX_HOPS = 3


def status_of(trigger: Token) -> str:
    """The status of the event the trigger names; "occurred" unless the text marks otherwise."""
    if any(c.dep_ == "neg" or c.lower_ in NEGATORS for c in trigger.children):
        return "negated"
    if any(c.lower_ in HEDGES for c in trigger.children):
        return "alleged"
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in trigger.children):
        return "hypothetical"
    if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in trigger.children):
        return "hypothetical"
    node = trigger
    for _ in range(MAX_HOPS):
        if node.head.i == node.i:
            break
        gov = node.head
        lemma = gov.lemma_.lower()
        if lemma == "launch" and gov.head.i != gov.i:
            node = gov
            continue  # "launching an attack": look further up for the intent verb
        if lemma in THREAT:
            return "threatened"
        if lemma in INTENT:
            return "planned"
        if lemma in ALLEGE:
            return "alleged"
        if gov.pos_ == "VERB" and node.dep_ not in {
            "dobj",
            "pobj",
            "xcomp",
            "nsubj",
            "nsubjpass",
            "prep",
            "compound",
        }:
            break
        node = gov
    return "occurred"
