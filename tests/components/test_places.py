"""The places stage on real news sentences: context disambiguation, types, "near", abstention and
the event-place helper. Each sentence goes through the pipeline (the ``nlp`` session fixture)."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from storyline.components.geo.ranker import FEATURES, Ranker, haversine_km
from storyline.components.places import event_place
from storyline.model import Article, Place
from storyline.pipeline import make_doc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def run(request: pytest.FixtureRequest) -> object:
    """Analyse one text with the session pipeline.

    Falls back to the stages up to places when the full pipeline cannot load (a later stage's model
    file missing while it is being built): these tests are about the places stage only.
    """
    try:
        nlp: Language = request.getfixturevalue("nlp")
    except Exception:
        from storyline.pipeline import load

        nlp = load(stages=("entities", "times", "places"))

    def _run(text: str, url: str | None = None) -> Doc:
        doc = make_doc(nlp, Article(id="t", text=text, url=url, published="2019-06-01"))
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
        return doc

    return _run


def places(doc: Doc) -> list[Place]:
    return list(doc._.sl_places)


def named(doc: Doc, text: str) -> Place:
    for p in places(doc):
        if any(m.text == text for m in p.mentions):
            return p
    raise AssertionError(f"no place mention {text!r} in {[(p.name, p.type) for p in places(doc)]}")


def test_paris_texas_vs_paris(run) -> None:  # type: ignore[no-untyped-def]
    texas = run("A tornado damaged dozens of homes in Paris, Texas, on Tuesday night, the sheriff said.")
    p = named(texas, "Paris")
    assert p.country == "US" and p.admin1 == "Texas"
    france = run("Thousands of protesters marched through Paris on Saturday against the pension reform.")
    assert named(france, "Paris").country == "FR"


def test_cambridge_massachusetts(run) -> None:  # type: ignore[no-untyped-def]
    doc = run("The company, based in Cambridge, Massachusetts, said it would hire 200 researchers.")
    p = named(doc, "Cambridge")
    assert p.country == "US" and p.admin1 == "Massachusetts"


def test_country_context_resolves_a_town(run) -> None:  # type: ignore[no-untyped-def]
    doc = run(
        "Flooding in Nigeria has displaced thousands. In Kaduna, officials said rescue teams were "
        "struggling to reach villages cut off by the water."
    )
    assert named(doc, "Kaduna").country == "NG"


def test_demonym_type(run) -> None:  # type: ignore[no-untyped-def]
    doc = run("Italian police arrested two men at the port of Genoa on Friday.")
    italian = named(doc, "Italian")
    assert italian.type == "demonym" and italian.country == "IT"
    genoa = named(doc, "Genoa")
    assert genoa.type == "literal" and genoa.country == "IT"
    assert genoa.id != italian.id


def test_metonymy(run) -> None:  # type: ignore[no-untyped-def]
    doc = run("Russia said on Monday it would expel 23 British diplomats in response to the sanctions.")
    assert named(doc, "Russia").type == "metonymic"
    lit = run("Heavy snow fell across Russia on Monday, closing roads in the north.")
    assert named(lit, "Russia").type == "literal"


def test_near_relation(run) -> None:  # type: ignore[no-untyped-def]
    doc = run("The fire started in Vaughan, a city near Toronto, late on Sunday, firefighters said.")
    vaughan = named(doc, "Vaughan")
    toronto = named(doc, "Toronto")
    assert vaughan.country == "CA" and toronto.country == "CA"
    assert vaughan.near == toronto.id


def test_unresolvable_name_does_not_empty_the_rest(run) -> None:  # type: ignore[no-untyped-def]
    doc = run(
        "Residents of Qwertyvale Springs said the storm also cut power in Aleppo, Syria, and in Homs "
        "for several hours."
    )
    resolved = {p.name for p in places(doc) if p.geonameid is not None}
    assert {"Aleppo", "Syria", "Homs"} <= resolved
    for p in places(doc):
        if p.geonameid is None and p.lat is None:
            assert p.confidence < 0.5


def test_ids_in_order_of_first_mention_and_all_mentions(run) -> None:  # type: ignore[no-untyped-def]
    doc = run("Berlin police said the suspect had lived in Berlin for a year before he fled to Milan.")
    ps = places(doc)
    assert [p.id for p in ps] == [f"p{i}" for i in range(1, len(ps) + 1)]
    assert sum(len(p.mentions) for p in ps if p.name == "Berlin") == 2
    for p in ps:
        for m in p.mentions:
            assert doc.text[m.start : m.end] == m.text


def test_event_place_prefers_the_attached_place(run) -> None:  # type: ignore[no-untyped-def]
    doc = run(
        "Two people were killed in a shooting in Dayton, Ohio, early on Sunday, officials in Washington said."
    )
    trigger = next(t for t in doc if t.text == "shooting")
    place = event_place(doc, trigger)
    assert place is not None and place.name == "Dayton"


def test_event_place_falls_back_to_the_sentence_then_none(run) -> None:  # type: ignore[no-untyped-def]
    doc = run("Flood waters rose quickly. Hundreds fled their homes near Dhaka as the river burst its banks.")
    fled = next(t for t in doc if t.text == "fled")
    place = event_place(doc, fled)
    assert place is not None and place.country == "BD"
    empty = run("The committee met on Tuesday and approved the budget.")
    assert event_place(empty, empty[2]) is None


def test_ranker_inference_matches_a_dot_product() -> None:
    ranker = Ranker({name: 1.0 for name in FEATURES}, bias=-1.0)
    rows = [[1.0] * len(FEATURES), [0.0] * len(FEATURES)]
    probs = ranker.rank(rows)
    assert probs[0] > probs[1] and abs(sum(probs) - 1) < 1e-9
    assert round(haversine_km(45.4643, 9.1895, 45.5333, 9.2259)) == 8
