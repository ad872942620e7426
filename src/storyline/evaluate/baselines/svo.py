"""``svo`` baseline for templates: subjects and objects of attack verbs, and weapon nouns.

On spaCy's parse: for every verb of :data:`ATTACK_VERBS`, its subject (or the agent of a passive) is a
PerpInd (a PerpOrg when spaCy tags it ORG) and its object (or the subject of a passive) a Victim when
its head noun is a person word of :data:`PEOPLE` (or a PERSON entity), else a Target; every noun chunk
whose head is in :data:`WEAPONS` is a Weapon. Each filler is the noun chunk around the argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Span, Token

from storyline.evaluate.baselines._nlp import BATCH_SIZE, base_nlp
from storyline.evaluate.data import DataIssues, GoldDoc
from storyline.evaluate.templates import ROLES, Fillers, normalize

ATTACK_VERBS = frozenset(
    {
        "attack",
        "kill",
        "murder",
        "assassinate",
        "kidnap",
        "abduct",
        "bomb",
        "burn",
        "destroy",
        "shoot",
        "wound",
        "injure",
        "damage",
        "dynamite",
        "explode",
        "massacre",
        "raid",
        "ambush",
        "seize",
    }
)
PEOPLE = frozenset(
    {
        "people",
        "person",
        "man",
        "men",
        "woman",
        "women",
        "child",
        "children",
        "civilian",
        "civilians",
        "peasant",
        "peasants",
        "soldier",
        "soldiers",
        "policeman",
        "policemen",
        "officer",
        "officers",
        "leader",
        "leaders",
        "official",
        "officials",
        "member",
        "members",
        "student",
        "students",
        "priest",
        "priests",
        "judge",
        "mayor",
        "minister",
        "journalist",
        "guard",
        "guards",
        "driver",
        "worker",
        "workers",
        "president",
        "candidate",
        "family",
    }
)
WEAPONS = frozenset(
    {
        "bomb",
        "bombs",
        "dynamite",
        "explosive",
        "explosives",
        "rifle",
        "rifles",
        "grenade",
        "grenades",
        "gun",
        "guns",
        "machinegun",
        "machineguns",
        "mortar",
        "mortars",
        "rocket",
        "rockets",
        "mine",
        "mines",
        "weapon",
        "weapons",
        "pistol",
        "pistols",
        "firearm",
        "firearms",
        "bullet",
        "bullets",
        "ammunition",
    }
)
SUBJECTS = ("nsubj", "agent")
OBJECTS = ("dobj", "nsubjpass")


def _chunk(token: Token, chunks: dict[int, Span]) -> str:
    chunk = chunks.get(token.i)
    return str(chunk.text) if chunk is not None else str(token.text)


def fillers(doc_chunks: list[Span], tokens: Iterable[Token]) -> Fillers:
    chunks = {token.i: chunk for chunk in doc_chunks for token in chunk}
    found: Fillers = {role: [] for role in ROLES}
    seen: set[tuple[str, str]] = set()

    def add(role: str, text: str) -> None:
        key = (role, normalize(text))
        if key[1] and key not in seen:
            seen.add(key)
            found[role].append([text])

    for verb in tokens:
        if verb.pos_ != "VERB" or verb.lemma_ not in ATTACK_VERBS:
            continue
        for child in verb.children:
            arg = child
            if child.dep_ == "agent":  # "by the guerrillas": the object of the preposition
                arg = next((c for c in child.children if c.dep_ == "pobj"), child)
            if child.dep_ in SUBJECTS:
                add("PerpOrg" if arg.ent_type_ == "ORG" else "PerpInd", _chunk(arg, chunks))
            elif child.dep_ in OBJECTS:
                person = arg.lemma_ in PEOPLE or arg.text in PEOPLE or arg.ent_type_ == "PERSON"
                add("Victim" if person else "Target", _chunk(arg, chunks))
    for chunk in doc_chunks:
        if chunk.root.text in WEAPONS or chunk.root.lemma_ in WEAPONS:
            add("Weapon", str(chunk.text))
    return found


def run(docs: Sequence[GoldDoc], issues: DataIssues) -> list[Fillers]:
    texts = (doc.article.text for doc in docs)
    return [
        fillers(list(parsed.noun_chunks), parsed) for parsed in base_nlp().pipe(texts, batch_size=BATCH_SIZE)
    ]
