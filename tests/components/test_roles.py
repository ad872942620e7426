"""The learned event role fillers (storyline.components.roles) and their way into events and MUC-4 roles."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storyline.components.roles import MODEL, RoleModel, candidates, dep_path, role_fillers
from storyline.evaluate.templates import from_analysis
from storyline.ingest.base import make_article
from storyline.model import Analysis, Argument, Event, Span
from storyline.pipeline import analyze_many, load

MUC_TEXT = (
    "urban guerrillas of the farabundo marti national liberation front (fmln) attacked the united "
    "states embassy in san salvador with dynamite last night. the guerrillas also killed two "
    "policemen who were guarding the building."
)


@pytest.fixture(scope="module")
def base() -> Language:
    return load(stages=())


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    return load(stages=("entities", "times", "places", "claims", "events"))


def test_candidates_offer_every_extent_of_a_phrase(base: Language) -> None:
    doc = base("the bomb damaged the residence of msgr oscar arnulfo romero and a shining path office.")
    texts = {doc[c.start : c.end].text for c in candidates(doc)}
    # the chunk without its article, a shorter suffix, the "of" extension, a modifier, the head alone
    assert "residence of msgr oscar arnulfo romero" in texts
    assert "oscar arnulfo romero" in texts
    assert "residence" in texts
    assert "bomb" in texts
    assert "shining path" in texts


def test_dep_path_reads_subject_and_passive_agent(base: Language) -> None:
    doc = base("the mayor was killed by terrorists.")
    mayor, killed, terrorists = doc[1], doc[3], doc[5]
    assert dep_path(mayor, killed) == "nsubjpass^"
    assert dep_path(terrorists, killed) == "pobj^agent^"


def test_shipped_model_loads_with_thresholds_for_every_role() -> None:
    model = RoleModel.load()
    assert MODEL is not None
    assert set(model.thresholds) == {"PerpInd", "PerpOrg", "Target", "Victim", "Weapon", "document"}
    assert set(model.limits) <= set(model.thresholds) and all(k >= 1 for k in model.limits.values())
    assert model.relevance is not None
    assert model.linear.classes[0] == "none"


@pytest.mark.slow
def test_muc_report_fills_perpetrator_target_and_weapon(base: Language) -> None:
    doc = base(MUC_TEXT)
    triggers = [t for t in doc if t.lemma_ in {"attack", "kill"}]
    fillers = role_fillers(doc, triggers)
    by_role: dict[str, set[str]] = {}
    for f in fillers:
        by_role.setdefault(f.role, set()).add(f.text)
    assert by_role.get("Weapon") == {"dynamite"}
    assert any("guerrillas" in t for t in by_role.get("PerpInd", set()))
    # the name and its parenthesised acronym are one participant, given once
    assert by_role.get("PerpOrg") == {"farabundo marti national liberation front"}
    assert all(0.0 <= f.score <= 1.0 for f in fillers)
    # a filler is the event's whose trigger word is nearest: none is given twice
    assert len({(f.start, f.end) for f in fillers}) == len(fillers)


@pytest.mark.slow
def test_events_carry_roles_and_muc_adapter_reads_them(events_nlp: Language) -> None:
    (result,) = analyze_many(events_nlp, [make_article(MUC_TEXT, published="1989-11-12")])
    assert isinstance(result, Analysis)
    roles = {a.role for e in result.events for a in e.who + e.whom if a.role}
    assert "PerpInd" in roles or "PerpOrg" in roles
    fillers = from_analysis(result)
    assert ["dynamite"] in fillers["Weapon"]


@pytest.mark.slow
def test_normal_case_news_keeps_the_parse_subject_first(events_nlp: Language) -> None:
    text = "A gunman shot and killed two police officers in Dallas on Thursday, the police said."
    (result,) = analyze_many(events_nlp, [make_article(text, published="2016-07-08")])
    assert isinstance(result, Analysis)
    event = next(e for e in result.events if e.type == "ASSAULT")
    assert event.who and event.who[0].text.lower().endswith("gunman")


def test_adapter_reads_roles_only() -> None:
    """Arguments without a role are no fillers; weapons come from events that have role fillers."""

    def arg(text: str, role: str | None) -> Argument:
        return Argument(text=text, span=Span(start=0, end=len(text), text=text), role=role)

    event = Event(
        id="v1",
        type="ASSAULT",
        trigger=Span(start=0, end=6, text="attack"),
        status="occurred",
        who=[arg("the fmln", "PerpOrg"), arg("gunmen", None)],
        whom=[arg("the embassy", "Target"), arg("two policemen", "Victim")],
        how=[Span(start=0, end=8, text="dynamite"), Span(start=0, end=10, text="explosions")],
    )
    analysis = Analysis.model_validate({"article": {"id": "a", "text": "x"}, "events": [event]})
    fillers = from_analysis(analysis, how_weapons=True)
    assert fillers["PerpOrg"] == [["the fmln"]]
    assert fillers["PerpInd"] == []  # "gunmen" has no role
    assert fillers["Target"] == [["the embassy"]]
    assert fillers["Victim"] == [["two policemen"]]
    assert fillers["Weapon"] == [["dynamite"]]  # "explosions" names the event, not a weapon
    assert from_analysis(analysis)["Weapon"] == []  # by default only instruments are weapons
    bare = event.model_copy(update={"who": [arg("gunmen", None)], "whom": []})
    analysis = Analysis.model_validate({"article": {"id": "a", "text": "x"}, "events": [bare]})
    assert from_analysis(analysis) == {
        role: [] for role in ("PerpInd", "PerpOrg", "Target", "Victim", "Weapon")
    }


def test_decode_caps_fillers_per_role_keeping_the_best(base: Language) -> None:
    """A report names few perpetrators: with a cap of one, only the best-scoring PerpOrg is kept."""
    from storyline.components.roles import CLASSES, decode

    doc = base("the fmln and the eln attacked the embassy.")
    cands = [c for c in candidates(doc) if doc[c.start : c.end].text in {"fmln", "eln", "embassy"}]
    probas = {"fmln": 0.9, "eln": 0.6, "embassy": 0.8}

    def row(text: str) -> list[float]:
        role = "Target" if text == "embassy" else "PerpOrg"
        out = [0.0] * len(CLASSES)
        out[CLASSES.index(role)] = probas[text]
        out[0] = 1.0 - probas[text]
        return out

    scored = [(c, row(doc[c.start : c.end].text)) for c in cands]
    thresholds = dict.fromkeys(("PerpInd", "PerpOrg", "Target", "Victim", "Weapon"), 0.5)
    uncapped = {(f.role, f.text) for f in decode(doc, scored, thresholds)}
    assert uncapped == {("PerpOrg", "fmln"), ("PerpOrg", "eln"), ("Target", "embassy")}
    capped = {(f.role, f.text) for f in decode(doc, scored, thresholds, {"PerpOrg": 1})}
    assert capped == {("PerpOrg", "fmln"), ("Target", "embassy")}


def test_filler_joins_the_nearest_real_event(base: Language) -> None:
    """A filler whose nearest trigger word made no event of its own joins the nearest event made."""
    from storyline.components.roles import EventTriggers, event_anchor

    doc = base("guerrillas attacked the base. the bombing was condemned. police said the fmln did it.")
    attacked = next(t.i for t in doc if t.lower_ == "attacked")
    bombing = next(t.i for t in doc if t.lower_ == "bombing")
    fmln = next(t.i for t in doc if t.lower_ == "fmln")
    events = [EventTriggers("ASSAULT", (attacked, bombing))]
    # no event word in its sentence: the nearest trigger of an attack event in the Doc
    assert event_anchor(doc, fmln, events) == bombing
    # attack events win over others, and the own sentence wins over distance
    events = [EventTriggers("PROTEST", (fmln - 1,)), EventTriggers("ASSAULT", (attacked,))]
    assert event_anchor(doc, fmln, events) == attacked
    assert event_anchor(doc, fmln, []) is None


def test_adapter_reads_weapons_from_instruments() -> None:
    """Weapons are the instruments with role Weapon; the parse's unroled how spans only on request."""
    text = "dynamite"
    event = Event(
        id="v1",
        type="ASSAULT",
        trigger=Span(start=0, end=6, text="attack"),
        status="occurred",
        who=[Argument(text="the fmln", role="PerpOrg")],
        how=[Span(start=0, end=8, text=text), Span(start=0, end=6, text="rifles")],
        instruments=[Argument(text=text, span=Span(start=0, end=8, text=text), role="Weapon")],
    )
    analysis = Analysis.model_validate({"article": {"id": "a", "text": "x"}, "events": [event]})
    assert from_analysis(analysis)["Weapon"] == [["dynamite"]]
    assert from_analysis(analysis, how_weapons=True)["Weapon"] == [["dynamite"], ["rifles"]]
