"""MUC-4 event templates: role fillers scored with CEAF-REE, as GRIT's ``eval.py`` does.

Per document and role, gold and predicted fillers are *entities*, each a list of mention strings.
Strings are normalised (lower-case, no punctuation, no articles, single spaces). A predicted entity
scores 1 against a gold entity when all its mentions are among the gold entity's mentions (GRIT's
``phi_strict``), and entities are aligned one-to-one to maximise the total (GRIT uses the Hungarian
algorithm; with 0/1 scores that is a maximum bipartite matching, computed here directly). Then, summed
over documents, P = matched / predicted entities and R = matched / gold entities, per role and
micro-averaged over the five roles (``role_p``, ``role_r``, ``role_f1``).

The gold is ``meta.grit_extracts`` when the record has it (GRIT's document-level gold exactly, so the
figures compare with GRIT's), else the roles of ``gold.templates`` merged per document.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import Any

from storyline.evaluate.data import DataIssues, GoldDoc, Scored
from storyline.evaluate.spans import Tally, gold_extent
from storyline.model import Analysis

ROLES = ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
METRICS = ("role_f1", "role_p", "role_r", *(f"{role}_{m}" for role in ROLES for m in ("p", "r", "f1")))
#: Event types (PLOVER) whose arguments fill a MUC-4 template: attacks, bombings, kidnappings, arson,
#: robbery, and threats of them.
MUC_TYPES = frozenset({"ASSAULT", "COERCE", "FIGHT", "THREATEN"})

Fillers = dict[str, list[list[str]]]

_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)
_PUNCTUATION = set(string.punctuation)


def normalize(text: str) -> str:
    """GRIT's ``normalize_string``: lower-case, drop punctuation, then articles, then squeeze spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def from_analysis(analysis: Analysis, *, how_weapons: bool = False) -> Fillers:
    """Storyline's events mapped to MUC-4 roles, one entity (its argument's text) per filler.

    The fillers are the arguments that carry a ``role``: the learned role fillers of
    :mod:`storyline.components.roles`, which the events stage adds to ``who`` and ``whom`` (or marks on
    the parse's own arguments) and, for weapons, to ``instruments``. Arguments without a role are not
    fillers: on MUC-4 train's tune slice, mapping them too (subjects to PerpInd, objects to Victim)
    halved precision (role F1 0.37 -> 0.26). ``how_weapons`` also reads the parse's ``how`` spans as
    Weapons (in attack events that have role fillers, not the event word itself: "bombing"); it cost
    precision end to end on the tune slice, so it is off. Negated events are left out. Fillers are
    deduplicated per role by normalised text.
    """
    fillers: Fillers = {role: [] for role in ROLES}
    seen: set[tuple[str, str]] = set()

    def add(role: str, text: str) -> None:
        key = (role, normalize(text))
        if key[1] and key not in seen:
            seen.add(key)
            fillers[role].append([text])

    for event in analysis.events:
        if event.status == "negated":
            continue
        roled = [arg for arg in (*event.who, *event.whom, *event.instruments) if arg.role in ROLES]
        for arg in roled:
            add(arg.role or "", arg.text)
        if not how_weapons or not roled or event.type not in MUC_TYPES:
            continue
        for how in event.how:
            if not _manner_word(how.text):
                add("Weapon", how.text)
    return fillers


#: Event nouns the events stage gives as the manner of an event (its ``how``), which are no weapon.
MANNER_WORDS = frozenset(
    {"bombing", "shooting", "explosion", "arrest", "raid", "gunshot", "killing", "gunman"}
)


def _manner_word(text: str) -> bool:
    """Is this one word naming the event rather than an instrument ("explosions", "gunmen")?"""
    from storyline.components.events import INSTRUMENTS, TRIGGERS

    word = normalize(text)
    if " " in word or word in INSTRUMENTS:
        return False
    forms = {word, word.removesuffix("s"), word.removesuffix("ing"), word.removesuffix("men") + "man"}
    return bool(forms & (TRIGGERS.keys() | MANNER_WORDS))


def gold_fillers(doc: GoldDoc, issues: DataIssues) -> Fillers:
    """The document's gold entities per role (see the module docstring for which gold)."""
    extracts = doc.meta.get("grit_extracts")
    fillers: Fillers = {role: [] for role in ROLES}
    if isinstance(extracts, Mapping):
        for role in ROLES:
            for entity in extracts.get(role) or []:
                mentions = []
                for span in entity:
                    extent = gold_extent(span, doc.article.text, doc.where, issues)
                    if extent is not None:
                        mentions.append(extent.text)
                if mentions:
                    fillers[role].append(mentions)
        return fillers
    seen: set[tuple[str, frozenset[str]]] = set()
    for template in doc.gold.get("templates") or []:
        for role in ROLES:
            for entity in template.get(role) or []:
                key = (role, frozenset(normalize(m) for m in entity))
                if entity and key not in seen:
                    seen.add(key)
                    fillers[role].append(list(entity))
    return fillers


def max_matching(pred: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> int:
    """The most predicted entities that can be paired one-to-one with a gold entity that holds them.

    ``pred`` and ``gold`` hold normalised mentions. Kuhn's augmenting paths: tiny inputs (a handful of
    entities per role and document).
    """
    gold_sets = [set(entity) for entity in gold]
    edges = [[g for g, mentions in enumerate(gold_sets) if set(entity) <= mentions] for entity in pred]
    owner: list[int | None] = [None] * len(gold)

    def assign(p: int, visited: set[int]) -> bool:
        for g in edges[p]:
            if g in visited:
                continue
            visited.add(g)
            holder = owner[g]
            if holder is None or assign(holder, visited):
                owner[g] = p
                return True
        return False

    return sum(assign(p, set()) for p in range(len(pred)))


def score(docs: Sequence[GoldDoc], preds: Sequence[Mapping[str, Sequence[Sequence[str]]]]) -> Scored:
    """CEAF-REE (phi_strict) role-filler P/R/F1, per role and micro-averaged."""
    tallies = {role: Tally() for role in ROLES}
    issues = DataIssues()
    per_doc = []
    for doc, predicted in zip(docs, preds, strict=True):
        gold = gold_fillers(doc, issues)
        row: dict[str, Any] = {"id": doc.id}
        for role in ROLES:
            gold_entities = [[normalize(m) for m in entity] for entity in gold[role]]
            pred_entities = [[normalize(m) for m in entity] for entity in predicted.get(role) or []]
            matched = max_matching(pred_entities, gold_entities)
            tallies[role].add(matched, len(pred_entities), len(gold_entities))
            row[role] = [matched, len(pred_entities), len(gold_entities)]
        per_doc.append(row)
    total = Tally()
    for tally in tallies.values():
        total.add(tally.tp, tally.n_pred, tally.n_gold)
    metrics: dict[str, float | None] = {
        "role_f1": total.f1,
        "role_p": total.precision,
        "role_r": total.recall,
    }
    for role, tally in tallies.items():
        metrics.update({f"{role}_p": tally.precision, f"{role}_r": tally.recall, f"{role}_f1": tally.f1})
    counts = {"n_gold": total.n_gold, "n_pred": total.n_pred, "matched": total.tp}
    return Scored(metrics, counts, per_doc, issues)
